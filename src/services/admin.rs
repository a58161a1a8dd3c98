//! Delegated administrators: an account of the organization made administrator of a
//! security service, with what that takes outside CloudFormation (trusted access, the
//! registration or the service's own enable-admin call), declared for the deploy plan.

use crate::app::{
    any_impls, App, CfnResource, Check, Construct, ResourceHandle, Scope, Typed, View,
};
use crate::cfn::needs::Need;
use crate::cfn::{NodeId, Resource};
use crate::error::{Diagnostic, Result, Rule};
use crate::org::AccountHandle;

use super::guardduty::GuardDutyFeature;

/// The region Firewall Manager's administrator is associated in, whatever region the
/// policies are in.
pub const FMS_ADMIN_REGION: &str = "us-east-1";

/// GuardDuty's service-linked role, which a GuardDuty policy needs in the management
/// account to enable GuardDuty there.
const GUARDDUTY_SERVICE_LINKED_ROLE: &str = "AWSServiceRoleForAmazonGuardDuty";

/// A security service an account of the organization can administer for every other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Service {
    /// AWS Config: the organization aggregator and organization rules and conformance
    /// packs (`config.amazonaws.com`, `config-multiaccountsetup.amazonaws.com`).
    Config,
    /// Amazon GuardDuty, per region (`guardduty enable-organization-admin-account`).
    GuardDuty,
    /// AWS Security Hub, per region (`AWS::SecurityHub::DelegatedAdmin` in the home
    /// region, `securityhub enable-organization-admin-account` in the others).
    SecurityHub,
    /// IAM Access Analyzer: organization analyzers (`access-analyzer.amazonaws.com`).
    AccessAnalyzer,
    /// AWS Firewall Manager (`fms associate-admin-account`, in us-east-1).
    FirewallManager,
}

impl Service {
    /// Every service, in the order the plan registers them.
    pub const ALL: [Service; 5] = [
        Service::Config,
        Service::GuardDuty,
        Service::SecurityHub,
        Service::AccessAnalyzer,
        Service::FirewallManager,
    ];

    /// The service's name as AWS writes it.
    pub fn name(self) -> &'static str {
        match self {
            Service::Config => "AWS Config",
            Service::GuardDuty => "Amazon GuardDuty",
            Service::SecurityHub => "AWS Security Hub",
            Service::AccessAnalyzer => "IAM Access Analyzer",
            Service::FirewallManager => "AWS Firewall Manager",
        }
    }

    /// The service principals registered with `register-delegated-administrator` (and
    /// given trusted access first). Empty for the services whose own enable-admin call
    /// does both.
    pub fn delegated_principals(self) -> &'static [&'static str] {
        match self {
            Service::Config => &[
                "config.amazonaws.com",
                "config-multiaccountsetup.amazonaws.com",
            ],
            Service::AccessAnalyzer => &["access-analyzer.amazonaws.com"],
            Service::GuardDuty | Service::SecurityHub | Service::FirewallManager => &[],
        }
    }
}

/// Makes `account` the administrator of `service` for the organization: one call per
/// service, typed by the account's handle, so only an account of the organization (one
/// the app creates, or an existing one by id) can be made administrator.
///
/// Add it to a top-level stack that deploys after the stack creating the account (a
/// stack of its own for the services, for instance): the deploy plan runs the
/// registration right before that stack, once the account exists, and an account created
/// in the same stack is reported ([`Rule::AdministratorOrder`]).
///
/// ```
/// use orgstack::{App, org::{Account, Organization}};
/// use orgstack::services::{DelegatedAdministrator, Service};
/// let mut app = App::new();
/// let mgmt = app.stack("Management")?;
/// let org = app.add(&mgmt, Organization::create())?;
/// let audit = app.add(&org, Account::new("Audit", "aws+audit@acme.example"))?;
/// let services = app.stack("Services")?;
/// // In the home region through AWS::SecurityHub::DelegatedAdmin, in eu-west-1 by the plan.
/// app.add(&services, DelegatedAdministrator::new(Service::SecurityHub, &audit)
///     .regions(["us-east-1", "eu-west-1"]))?;
/// let assembly = app.synth()?;
/// assert_eq!(assembly.deploy_order(), ["Management-Bootstrap", "Management", "Services"]);
/// let plan = assembly.deploy_plan();
/// let enable = plan.find("enable-organization-admin-account --admin-account-id \"$ADMIN_ID\" --region eu-west-1").unwrap();
/// assert!(plan.find("--stack-name Management ").unwrap() < enable);
/// assert!(enable < plan.find("--stack-name Services ").unwrap());
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DelegatedAdministrator {
    service: Service,
    account: AccountHandle,
    regions: Vec<String>,
    members_by_policy: bool,
    access_role: String,
    features: Vec<GuardDutyFeature>,
}

/// The role the plan assumes in an administrator account to run what only that account
/// can (GuardDuty's enrolment of the members): the role Organizations creates in every
/// account it creates.
pub const DEFAULT_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

impl DelegatedAdministrator {
    /// `account` administers `service` for the organization.
    pub fn new(service: Service, account: &AccountHandle) -> Self {
        DelegatedAdministrator {
            service,
            account: account.clone(),
            regions: Vec::new(),
            members_by_policy: false,
            access_role: DEFAULT_ACCESS_ROLE.to_owned(),
            features: Vec::new(),
        }
    }

    /// The role the plan assumes in the administrator account, through a profile named
    /// after the account, for what runs there (GuardDuty: enrolling every member account);
    /// default [`DEFAULT_ACCESS_ROLE`]. An account that joined by invitation has no such
    /// role unless you created one: name a role of it that may call GuardDuty.
    pub fn access_role(mut self, role: impl Into<String>) -> Self {
        self.access_role = role.into();
        self
    }

    /// For the regional services (GuardDuty, Security Hub): the regions the account
    /// administers, the home region first; without any, the app's home region only.
    pub fn regions<R: Into<String>>(mut self, regions: impl IntoIterator<Item = R>) -> Self {
        for r in regions {
            let r = r.into();
            if !self.regions.contains(&r) {
                self.regions.push(r);
            }
        }
        self
    }

    /// GuardDuty: the member accounts are enrolled by a `GUARDDUTY_POLICY` attached
    /// elsewhere (as [`SecurityServices`](super::SecurityServices) attaches one), not by
    /// the administrator's `update-organization-configuration`; the plan says so and
    /// creates GuardDuty's service-linked role in the management account, which the
    /// policy needs there.
    pub(crate) fn members_by_policy(mut self) -> Self {
        self.members_by_policy = true;
        self
    }

    /// GuardDuty: the protection plans the administrator turns on in every member account
    /// it enrols (foundational threat detection is always on).
    pub(crate) fn features(mut self, features: &[GuardDutyFeature]) -> Self {
        self.features = features.to_vec();
        self
    }
}

/// A [`DelegatedAdministrator`] in the app.
#[derive(Debug, Clone)]
pub struct DelegatedAdministratorHandle {
    node: NodeId,
    service: Service,
    account: AccountHandle,
    resource: Option<ResourceHandle>,
}

impl Scope for DelegatedAdministratorHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl DelegatedAdministratorHandle {
    /// The service administered.
    pub fn service(&self) -> Service {
        self.service
    }

    /// The administrator account.
    pub fn account(&self) -> &AccountHandle {
        &self.account
    }

    /// The resource that makes the account administrator, where CloudFormation has one
    /// (`AWS::SecurityHub::DelegatedAdmin`); what the administrator's own resources wait
    /// for.
    pub fn resource(&self) -> Option<ResourceHandle> {
        self.resource
    }
}

/// What the tree keeps of a delegated administrator.
#[derive(Debug)]
struct AdminData {
    service: Service,
    account: AccountHandle,
    regions: Vec<String>,
    members_by_policy: bool,
    access_role: String,
    features: Vec<GuardDutyFeature>,
}

impl AdminData {
    /// GuardDuty's `--features` of the protection plans enrolled members get, as JSON;
    /// `None` for foundational detection alone.
    fn features_json(&self) -> Option<String> {
        let list: Vec<serde_json::Value> = self
            .features
            .iter()
            .filter_map(|f| f.api_name())
            .map(|name| serde_json::json!({ "Name": name, "AutoEnable": "ALL" }))
            .collect();
        (!list.is_empty()).then(|| serde_json::Value::Array(list).to_string())
    }

    /// The shell line that sets `ADMIN_ID` to the account's id: literal for an existing
    /// account, looked up by its e-mail for one the app creates (e-mails are unique in
    /// AWS, and cannot change through CloudFormation).
    fn account_id_line(&self, app: &App) -> Option<String> {
        let id = match self.account.node() {
            Some(n) => {
                let email = app
                    .accounts()
                    .find(|a| a.handle().node() == Some(n))?
                    .email();
                let query = format!(
                    "Accounts[?Email=={}].Id",
                    crate::shell::jmespath_literal(email)
                );
                format!(
                    "\"$(aws organizations list-accounts --query {} --output text)\"",
                    crate::shell::query(&query)
                )
            }
            None => self.account.id().as_str()?.to_owned(),
        };
        Some(format!("ADMIN_ID={id}"))
    }

    fn account_name(&self, app: &App) -> String {
        match self.account.node() {
            Some(n) => app
                .accounts()
                .find(|a| a.handle().node() == Some(n))
                .map_or_else(|| "the account".to_owned(), |a| a.name().to_owned()),
            None => self
                .account
                .id()
                .as_str()
                .map_or_else(|| "the account".to_owned(), |s| format!("account {s}")),
        }
    }

    fn regions<'a>(&'a self, app: &'a App) -> Vec<&'a str> {
        if self.regions.is_empty() {
            vec![app.home_region()]
        } else {
            self.regions.iter().map(String::as_str).collect()
        }
    }
}

/// A service has one administrator for the organization (per region, for the regional
/// services): a second account for the same service is reported.
fn one_administrator_per_service(model: &dyn View, out: &mut Vec<Diagnostic>) {
    let admins: Vec<(NodeId, &AdminData)> = model.app().each::<AdminData>().collect();
    for (i, (n, a)) in admins.iter().enumerate() {
        let first = admins[..i]
            .iter()
            .find(|(_, b)| b.service == a.service && b.account != a.account);
        if let Some((m, _)) = first {
            out.push(Diagnostic::new(
                model.path(*n),
                Rule::DuplicateName,
                a.service.name(),
                format!(
                    "`{}` already makes another account the {} administrator; a service has one for the organization",
                    model.path(*m),
                    a.service.name()
                ),
                "make one account administrator of each service",
            ));
        }
    }
}

impl Typed for AdminData {
    fn check_all(&self) -> Option<fn(&dyn View, &mut Vec<Diagnostic>)> {
        Some(one_administrator_per_service)
    }

    fn validate(&self, cx: &mut Check<'_>) {
        let app = cx.model.app();
        let own = app.stack_of(&cx.node);
        let is_member = own.is_some_and(|s| app.is_member_stack(s.node()));
        if is_member {
            cx.report(
                Rule::AdministratorOrder,
                self.service.name(),
                "a delegated administrator is registered from the management account; this one is in a StackSet's member template",
                "add it to a top-level stack of the management account",
            );
            return;
        }
        if let Some(n) = self.account.node() {
            if app.stack_of(&n).is_some() && app.stack_of(&n) == own {
                let name = self.account_name(app);
                cx.report(
                    Rule::AdministratorOrder,
                    name,
                    format!(
                        "the {} administrator is created in the stack that needs it as administrator; the plan registers it before that stack deploys, when it does not exist yet",
                        self.service.name()
                    ),
                    "add the services to a stack of their own (e.g. `app.stack(\"Services\")`), deployed after the stack creating the account",
                );
            }
        }
        crate::iam::checks::report_name(cx, "role", &self.access_role, 64);
        // An existing account's id is 12 digits.
        crate::org::AccountRef::from(&self.account).check(cx);
        if self.service == Service::FirewallManager && self.regions.len() > 1 {
            cx.report(
                Rule::PropertyValue,
                self.regions.join(", "),
                "Firewall Manager has one administrator for every region, associated in us-east-1",
                "leave the regions out",
            );
        }
        for r in &self.regions {
            if let Err(e) = r.parse::<crate::aws::Region>() {
                cx.push(e.to_diagnostic(""));
            }
        }
    }

    fn waits_for(&self, _app: &App, out: &mut Vec<NodeId>) {
        // Its stack deploys after the account's: the plan registers it in between.
        out.extend(self.account.node());
    }

    fn needs(&self, app: &App, out: &mut Vec<Need>) {
        for p in self.service.delegated_principals() {
            out.push(Need::TrustedAccess(p));
        }
        let Some(id_line) = self.account_id_line(app) else {
            return;
        };
        let name = self.account_name(app);
        let service = self.service.name();
        let mut commands = vec![id_line];
        let why;
        match self.service {
            Service::Config | Service::AccessAnalyzer => {
                for p in self.service.delegated_principals() {
                    commands.push(format!(
                        "aws organizations list-delegated-administrators --service-principal {p} --query \"DelegatedAdministrators[?Id=='$ADMIN_ID'].Id\" --output text | grep -q . || aws organizations register-delegated-administrator --service-principal {p} --account-id \"$ADMIN_ID\""
                    ));
                }
                why = format!("The stack below creates {service} resources in {name} for the whole organization, which only a registered delegated administrator can; CloudFormation cannot register one. It runs once the account exists (an earlier stack creates it) and does nothing where it is registered already.");
            }
            Service::GuardDuty => {
                for r in self.regions(app) {
                    commands.push(format!(
                        "aws guardduty list-organization-admin-accounts --region {r} --query \"AdminAccounts[?AdminAccountId=='$ADMIN_ID'].AdminAccountId\" --output text | grep -q . || aws guardduty enable-organization-admin-account --admin-account-id \"$ADMIN_ID\" --region {r}"
                    ));
                }
                if self.members_by_policy {
                    commands.push(format!("aws iam get-role --role-name {GUARDDUTY_SERVICE_LINKED_ROLE} >/dev/null 2>&1 || aws iam create-service-linked-role --aws-service-name guardduty.amazonaws.com"));
                    why = format!("GuardDuty's administrator is designated per region by GuardDuty itself (which enables its trusted access and turns GuardDuty on in {name}); CloudFormation has no resource for it. The member accounts, new ones included, are enrolled by the GUARDDUTY_POLICY attached at the root, which GuardDuty applies through this administrator in the regions the policy names. The policy enables GuardDuty in the management account only where GuardDuty's service-linked role exists: the last command creates it there (IAM roles are global: once for every region).");
                    out.push(Need::BeforeStack {
                        title: format!("Make {name} the {service} administrator"),
                        why,
                        commands,
                    });
                    return;
                }
                // Enrolling the members is the administrator's own call: through a profile
                // that assumes the access role there.
                let profile = crate::shell::profile_name(&name);
                let role = &self.access_role;
                why = format!(
                    "GuardDuty's administrator is designated per region by GuardDuty itself (which enables its trusted access and turns GuardDuty on in {name}); CloudFormation has no resource for it. Then every member account is enrolled, new ones included, by {name}'s own `update-organization-configuration` in each region, run {}.",
                    crate::shell::assume_role_profile_why(&profile, role)
                );
                commands.extend(crate::shell::assume_role_profile(
                    &profile, "ADMIN_ID", role,
                ));
                let features = match self.features_json() {
                    Some(json) => format!(" --features {}", crate::shell::quote(&json)),
                    None => String::new(),
                };
                for r in self.regions(app) {
                    commands.push(format!(
                        "aws guardduty update-organization-configuration --profile {profile} --region {r} --detector-id \"$(aws guardduty list-detectors --profile {profile} --region {r} --query 'DetectorIds[0]' --output text)\" --auto-enable-organization-members ALL{features}"
                    ));
                }
            }
            Service::SecurityHub => {
                // The home region's is a resource of the stack (AWS::SecurityHub::DelegatedAdmin).
                let home = app.home_region();
                let others: Vec<&str> = self
                    .regions(app)
                    .into_iter()
                    .filter(|r| *r != home)
                    .collect();
                if others.is_empty() {
                    return;
                }
                for r in others {
                    commands.push(format!(
                        "aws securityhub list-organization-admin-accounts --region {r} --query \"AdminAccounts[?AccountId=='$ADMIN_ID'].AccountId\" --output text | grep -q . || aws securityhub enable-organization-admin-account --admin-account-id \"$ADMIN_ID\" --region {r}"
                    ));
                }
                why = format!("In {home} the stack below makes {name} Security Hub's administrator (AWS::SecurityHub::DelegatedAdmin); a stack deploys to one region, so the other regions are designated here.");
            }
            Service::FirewallManager => {
                commands.push(format!(
                    "aws fms get-admin-account --region {FMS_ADMIN_REGION} --query AdminAccount --output text 2>/dev/null | grep -qx \"$ADMIN_ID\" || aws fms associate-admin-account --admin-account \"$ADMIN_ID\" --region {FMS_ADMIN_REGION}"
                ));
                why = format!("Firewall Manager's policies are created in its administrator account, associated once for every region, in {FMS_ADMIN_REGION} (which enables its trusted access); CloudFormation has no resource for it. AWS Config must record in the accounts the policies cover.");
            }
        }
        out.push(Need::BeforeStack {
            title: format!("Make {name} the {service} administrator"),
            why,
            commands,
        });
    }

    any_impls!();
}

impl<P: Scope + ?Sized> Construct<P> for DelegatedAdministrator {
    type Handle = DelegatedAdministratorHandle;

    fn build(self, app: &mut App, parent: &P) -> Result<DelegatedAdministratorHandle> {
        let id = format!("{:?}Administrator", self.service);
        let service = self.service;
        let account = self.account.clone();
        let node = app.add_typed_scope(
            parent.node(),
            id,
            AdminData {
                service: self.service,
                account: self.account,
                regions: self.regions,
                members_by_policy: self.members_by_policy,
                access_role: self.access_role,
                features: self.features,
            },
        );
        let resource = if service == Service::SecurityHub {
            Some(
                app.add(
                    &node,
                    CfnResource::new(
                        "DelegatedAdmin",
                        Resource::new("AWS::SecurityHub::DelegatedAdmin")
                            .property("AdminAccountId", account.id()),
                    ),
                )?,
            )
        } else {
            None
        };
        Ok(DelegatedAdministratorHandle {
            node,
            service,
            account,
            resource,
        })
    }
}
