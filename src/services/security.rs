//! The security services the layout's article recommends, switched on for the whole
//! organization in one construct, administered from one account.

use crate::app::{App, CfnResource, Construct, Scope, Subtree, SubtreeHandle};
use crate::cfn::{Resource, Value};
use crate::error::{Diagnostic, Result, Rule};
use crate::iam::{ManagedPolicyRef, PolicyDocument, Principal, Statement};
use crate::obj;
use crate::org::{AccountHandle, OrganizationHandle, OuHandle, Policy, PolicyHandle, PolicyType};
use crate::stackset::{StackSet, StackSetHandle};

use super::admin::{DelegatedAdministrator, DelegatedAdministratorHandle, Service};
use super::config::{self, ConfigRule, GlobalResources, CONFIG_PRINCIPAL};
use super::guardduty::{GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};

/// AWS Config, GuardDuty, Security Hub, IAM Access Analyzer and Firewall Manager across
/// the organization, with one account (the audit account of the five-account layout) as
/// every service's delegated administrator.
///
/// Add it to a top-level stack of its own, deployed after the stack creating the
/// administrator account: the plan registers the administrators between the two.
///
/// What it builds, per service (all on by default; [`without`](Self::without) turns one
/// off):
/// - **AWS Config**: a Config bucket in the log archive account (`<prefix>-config-<id>`:
///   AWS Config does not deliver to a bucket with Object Lock, which the layout's archive
///   has); a recorder (every supported resource) and a delivery channel in every member
///   account through service-managed StackSets — global resources (IAM) recorded in the
///   home region only, the other [regions](Self::regions) by a second StackSet — and in the
///   management account (the services' stack, home region; [`management_recorder`](Self::management_recorder));
///   in the administrator, an organization aggregator of every region and the
///   organization rules ([`ConfigRule::baseline`] unless [`config_rules`](Self::config_rules)).
/// - **GuardDuty**: the administrator designated in every [region](Self::regions) (a plan
///   step: CloudFormation has no resource for it; designating the administrator turns
///   GuardDuty on there), and every account enrolled, new ones included, with foundational
///   threat detection and the [protection plans](Self::guardduty_features) asked for (none
///   by default) — as [`GuardDutyEnrolment`] says: by default the administrator's own
///   `update-organization-configuration` in each region, a plan step run through a
///   profile assuming its [access role](Self::administrator_access_role); or a
///   `GUARDDUTY_POLICY` ([`GuardDutyPolicy`]) attached at the root, in the organization's
///   stack, with a block per region (regions outside them are left as they are), for
///   which the plan enables the policy type and creates GuardDuty's service-linked role in
///   the management account, without which the policy does not enable GuardDuty there.
///   Accounts joined by invitation rather than through the organization are not covered
///   by the policy.
/// - **Security Hub**: `AWS::SecurityHub::DelegatedAdmin` (home region; other regions
///   through plan steps) and, in the administrator, `AWS::SecurityHub::OrganizationConfiguration`
///   that enables Security Hub and its default standards in new accounts.
/// - **IAM Access Analyzer**: an organization analyzer in the administrator.
/// - **Firewall Manager**: the administrator associated (a plan step), and a security-group
///   usage audit policy over the [scoped OUs](Self::firewall_scope) (every account without
///   any).
///
/// What it does not do: it attaches no Security Hub Organizations policy (a
/// `SECURITYHUB_POLICY` is a [`SecurityHubPolicy`](super::SecurityHubPolicy) you attach
/// with [`crate::org::Policy::management`]); GuardDuty's detection settings (trusted IP
/// and threat lists, suppression rules, findings export) and the protection plans the
/// policy does not model (see [`GuardDutyFeature`]), Security Hub's central
/// configuration, conformance packs and custom Config rules are not modelled; an account that already has AWS Config's
/// service-linked role (Config turned on by hand) makes the recorder StackSet fail there
/// until the role is imported or the instance is removed.
///
/// ```
/// use orgstack::{App, layouts::FiveAccountLayout, services::SecurityServices};
/// let mut app = App::new();
/// let management = app.stack("Management")?;
/// let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("aws.acme.example"))?;
/// let services = app.stack("Services")?;
/// app.add(&services, SecurityServices::new("acme", layout.organization(), layout.audit_account())
///     .firewall_scope(&layout.workloads_ou()))?;
/// let assembly = app.synth()?;
/// assert_eq!(assembly.deploy_order(), ["Management-Bootstrap", "Management", "Services"]);
/// assert!(assembly.deploy_plan().contains("aws fms associate-admin-account"));
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SecurityServices {
    prefix: String,
    organization: OrganizationHandle,
    administrator: AccountHandle,
    log_archive: AccountHandle,
    regions: Vec<String>,
    services: Vec<Service>,
    rules: Vec<ConfigRule>,
    management_recorder: bool,
    firewall_scope: Vec<OuHandle>,
    retention_days: u32,
    guardduty_features: Vec<GuardDutyFeature>,
    guardduty_enrolment: GuardDutyEnrolment,
    access_role: String,
}

/// How [`SecurityServices`] enrols every account of the organization in GuardDuty.
///
/// ```
/// use orgstack::{App, layouts::FiveAccountLayout};
/// use orgstack::services::{GuardDutyEnrolment, GuardDutyFeature, SecurityServices};
/// let mut app = App::new();
/// let management = app.stack("Management")?;
/// let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("aws.acme.example"))?;
/// let services = app.stack("Services")?;
/// let handle = app.add(&services, SecurityServices::new("acme", layout.organization(), layout.audit_account())
///     .guardduty_features([GuardDutyFeature::S3DataEvents]))?;
/// // By default the administrator enrols every member, with S3 Protection.
/// assert!(handle.guardduty_policy().is_none());
/// let plan = app.synth()?.deploy_plan().to_owned();
/// assert!(plan.contains("--auto-enable-organization-members ALL --features"));
///
/// // Or a GUARDDUTY_POLICY at the root does.
/// let mut app = App::new();
/// let management = app.stack("Management")?;
/// let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("aws.acme.example"))?;
/// let services = app.stack("Services")?;
/// let handle = app.add(&services, SecurityServices::new("acme", layout.organization(), layout.audit_account())
///     .guardduty_enrolment(GuardDutyEnrolment::Policy))?;
/// assert!(handle.guardduty_policy().is_some());
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum GuardDutyEnrolment {
    /// The administrator's own `update-organization-configuration
    /// --auto-enable-organization-members ALL` (with the protection plans as `--features`)
    /// in every region, a plan step run through a profile that assumes the
    /// [access role](SecurityServices::administrator_access_role) in the administrator
    /// account. The default: GuardDuty's long-documented API.
    #[default]
    Administrator,
    /// A `GUARDDUTY_POLICY` ([`GuardDutyPolicy`]) attached at the root, in the
    /// organization's stack, with a block per region. The policy's exact syntax could not
    /// be checked against AWS's examples for this version (see [`GuardDutyPolicy`]):
    /// compare its document with the Organizations user guide before choosing it.
    Policy,
}

impl SecurityServices {
    /// The services of the organization `organization`, administered by `administrator`
    /// (which holds the Config bucket too, unless [`log_archive`](Self::log_archive)
    /// says otherwise); `prefix` (lower-case letters, digits and hyphens) starts the names.
    pub fn new(
        prefix: impl Into<String>,
        organization: OrganizationHandle,
        administrator: &AccountHandle,
    ) -> Self {
        SecurityServices {
            prefix: prefix.into(),
            organization,
            administrator: administrator.clone(),
            log_archive: administrator.clone(),
            regions: Vec::new(),
            services: Service::ALL.to_vec(),
            rules: ConfigRule::baseline(),
            management_recorder: true,
            firewall_scope: Vec::new(),
            retention_days: 365,
            guardduty_features: vec![GuardDutyFeature::Foundational],
            guardduty_enrolment: GuardDutyEnrolment::default(),
            access_role: super::admin::DEFAULT_ACCESS_ROLE.to_owned(),
        }
    }

    /// How every account is enrolled in GuardDuty (default
    /// [`GuardDutyEnrolment::Administrator`]).
    pub fn guardduty_enrolment(mut self, enrolment: GuardDutyEnrolment) -> Self {
        self.guardduty_enrolment = enrolment;
        self
    }

    /// The role the plan assumes in the administrator account for what only that account
    /// can do (default `OrganizationAccountAccessRole`, which Organizations creates in the
    /// accounts it creates); see [`DelegatedAdministrator::access_role`].
    pub fn administrator_access_role(mut self, role: impl Into<String>) -> Self {
        self.access_role = role.into();
        self
    }

    /// The account holding the Config bucket (the administrator by default).
    pub fn log_archive(mut self, account: &AccountHandle) -> Self {
        self.log_archive = account.clone();
        self
    }

    /// The regions recorded and watched, the app's home region among them (it is added
    /// first when missing); only the home region without any.
    pub fn regions<R: Into<String>>(mut self, regions: impl IntoIterator<Item = R>) -> Self {
        for r in regions {
            let r = r.into();
            if !self.regions.contains(&r) {
                self.regions.push(r);
            }
        }
        self
    }

    /// Leaves `service` off.
    pub fn without(mut self, service: Service) -> Self {
        self.services.retain(|s| *s != service);
        self
    }

    /// The organization Config rules, instead of [`ConfigRule::baseline`].
    pub fn config_rules(mut self, rules: impl IntoIterator<Item = ConfigRule>) -> Self {
        self.rules = rules.into_iter().collect();
        self
    }

    /// Whether the management account gets a recorder too (on by default).
    pub fn management_recorder(mut self, on: bool) -> Self {
        self.management_recorder = on;
        self
    }

    /// Limits the Firewall Manager policy to the accounts of `ou` (and of the other OUs
    /// given); without any, it covers every account.
    pub fn firewall_scope(mut self, ou: &OuHandle) -> Self {
        if !self.firewall_scope.contains(ou) {
            self.firewall_scope.push(*ou);
        }
        self
    }

    /// How long the Config bucket keeps configuration history, in days (365 by default).
    pub fn config_retention_days(mut self, days: u32) -> Self {
        self.retention_days = days;
        self
    }

    /// The GuardDuty protection plans every enrolled account gets in every region, besides
    /// foundational threat detection, which is always on (the only one by default: each
    /// protection plan is billed on its own).
    pub fn guardduty_features(
        mut self,
        features: impl IntoIterator<Item = GuardDutyFeature>,
    ) -> Self {
        for f in features {
            if !self.guardduty_features.contains(&f) {
                self.guardduty_features.push(f);
            }
        }
        self
    }

    fn on(&self, s: Service) -> bool {
        self.services.contains(&s)
    }
}

/// The [`SecurityServices`] in the app.
#[derive(Debug, Clone)]
pub struct SecurityServicesHandle {
    scope: SubtreeHandle,
    administrators: Vec<DelegatedAdministratorHandle>,
    config_bucket: Option<StackSetHandle>,
    recorders: Vec<StackSetHandle>,
    administration: StackSetHandle,
    guardduty_policy: Option<PolicyHandle>,
}

impl Scope for SecurityServicesHandle {
    fn node(&self) -> crate::cfn::NodeId {
        self.scope.node()
    }
}

impl SecurityServicesHandle {
    /// The delegated administrators, one per service switched on.
    pub fn administrators(&self) -> &[DelegatedAdministratorHandle] {
        &self.administrators
    }
    /// The StackSet of the Config bucket (with AWS Config on).
    pub fn config_bucket(&self) -> Option<StackSetHandle> {
        self.config_bucket
    }
    /// The StackSets of the member accounts' recorders: the home region's, then the
    /// other regions' (with AWS Config on).
    pub fn recorders(&self) -> &[StackSetHandle] {
        &self.recorders
    }
    /// The StackSet of what the administrator account holds: the aggregator, the
    /// organization rules, the analyzer, Security Hub's organization configuration, the
    /// Firewall Manager policy. Add your own to its template.
    pub fn administration(&self) -> StackSetHandle {
        self.administration
    }
    /// The `GUARDDUTY_POLICY` attached at the root, which enrols every account in
    /// GuardDuty with [`GuardDutyEnrolment::Policy`] (in the organization's stack); `None`
    /// when the administrator enrols them, or GuardDuty is off.
    pub fn guardduty_policy(&self) -> Option<PolicyHandle> {
        self.guardduty_policy
    }
}

fn is_prefix(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 30
        && p.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !p.starts_with('-')
        && !p.ends_with('-')
}

impl<P: Scope + ?Sized> Construct<P> for SecurityServices {
    type Handle = SecurityServicesHandle;

    fn build(self, app: &mut App, parent: &P) -> Result<SecurityServicesHandle> {
        let me = app.add(parent, Subtree::new("SecurityServices"))?;
        let prefix = self.prefix.as_str();
        if !is_prefix(prefix) {
            app.report(Diagnostic::new(
                app.path(&me),
                Rule::PropertyValue,
                prefix,
                "the prefix starts bucket, StackSet and rule names: 1 to 30 lower-case letters, digits and hyphens, not starting or ending with a hyphen",
                "use the layout's name, e.g. `acme`",
            ));
        }
        if !(1..=36_500).contains(&self.retention_days) {
            app.report(Diagnostic::new(
                app.path(&me),
                Rule::PropertyValue,
                self.retention_days.to_string(),
                "the Config bucket keeps history 1 to 36,500 days",
                "keep it a year or more: auditors ask for it",
            ));
        }
        let home = app.home_region().to_owned();
        let mut regions = vec![home.clone()];
        regions.extend(self.regions.iter().filter(|r| **r != home).cloned());

        let mut administrators = Vec::new();
        for s in Service::ALL.into_iter().filter(|s| self.on(*s)) {
            let admin = DelegatedAdministrator::new(s, &self.administrator);
            let admin = match s {
                Service::GuardDuty => {
                    let admin = admin
                        .regions(regions.clone())
                        .access_role(self.access_role.as_str())
                        .features(&self.guardduty_features);
                    if self.guardduty_enrolment == GuardDutyEnrolment::Policy {
                        admin.members_by_policy()
                    } else {
                        admin
                    }
                }
                Service::SecurityHub => admin.regions(regions.clone()),
                _ => admin,
            };
            administrators.push(app.add(&me, admin)?);
        }

        // Every account enrolled in GuardDuty, new ones included, by a policy at the
        // root: a block per region (the regions the administrator is designated in), so
        // regions outside them are left as they are.
        let mut guardduty_policy = None;
        if self.on(Service::GuardDuty) && self.guardduty_enrolment == GuardDutyEnrolment::Policy {
            let block = GuardDutyBlock::new()
                .enable(GuardDutyFeature::Foundational)
                .enable_all(self.guardduty_features.iter().copied());
            let document = GuardDutyPolicy::new().regions(regions.iter().cloned(), &block);
            let policy = Policy::management(
                format!("{prefix}-guardduty"),
                PolicyType::GuardDutyPolicy,
                document.content(),
            )
            .id("GuardDutyMembers")
            .description(
                "GuardDuty in every account of the organization, in the security services' regions",
            );
            let handle = document.add_with(app, &self.organization, policy)?;
            handle.attach(app, &self.organization);
            guardduty_policy = Some(handle);
        }

        let org_id = Value::from(self.organization.id());
        let mut config_bucket = None;
        let mut recorders = Vec::new();
        if self.on(Service::Config) {
            let set = app.add(
                &me,
                StackSet::new("ConfigBucket", format!("{prefix}-config-bucket"))
                    .description("AWS Config's bucket in the log archive account")
                    .template_description(format!(
                        "{prefix}: the bucket AWS Config delivers the organization's configuration history to"
                    ))
                    .target(&self.organization)
                    .only_account(&self.log_archive)
                    .retain_stacks_on_account_removal(true),
            )?;
            config::add_bucket(
                app,
                &set.template(),
                prefix,
                org_id.clone(),
                self.retention_days,
            )?;
            config_bucket = Some(set);
            let bucket = config::bucket_name(prefix, self.log_archive.id());
            let home_set = app.add(
                &me,
                StackSet::new("ConfigRecorders", format!("{prefix}-config-recorders"))
                    .description("AWS Config's recorder in every member account (home region, global resources)")
                    .template_description(format!(
                        "{prefix}: AWS Config recorder and delivery channel, recording global resources"
                    ))
                    .target(&self.organization)
                    .regions([home.as_str()]),
            )?;
            config::add_recorder(
                app,
                &home_set.template(),
                bucket.clone(),
                GlobalResources::Recorded,
                true,
            )?;
            app.add_dependency(&home_set, &set);
            recorders.push(home_set);
            if regions.len() > 1 {
                let others = app.add(
                    &me,
                    StackSet::new(
                        "ConfigRegionalRecorders",
                        format!("{prefix}-config-regional-recorders"),
                    )
                    .description("AWS Config's recorder in every member account (the other regions)")
                    .template_description(format!(
                        "{prefix}: AWS Config recorder and delivery channel, global resources left to the home region"
                    ))
                    .target(&self.organization)
                    .regions(regions[1..].iter().map(String::as_str)),
                )?;
                config::add_recorder(
                    app,
                    &others.template(),
                    bucket.clone(),
                    GlobalResources::Skipped,
                    false,
                )?;
                // The recorders use the service-linked role the home region's creates.
                app.add_dependency(&others, &home_set);
                recorders.push(others);
            }
            if self.management_recorder {
                let mgmt = app.add(&me, Subtree::new("ManagementAccount"))?;
                let recorder =
                    config::add_recorder(app, &mgmt, bucket, GlobalResources::Recorded, true)?;
                app.add_dependency(&recorder, &set);
            }
        }

        let administration = app.add(
            &me,
            StackSet::new(
                "SecurityAdministration",
                format!("{prefix}-security-administration"),
            )
            .description("What the security services' delegated administrator holds")
            .template_description(format!(
                "{prefix}: the organization's Config aggregator and rules, Access Analyzer, Security Hub and Firewall Manager configuration"
            ))
            .target(&self.organization)
            .only_account(&self.administrator)
            .retain_stacks_on_account_removal(true),
        )?;
        let tpl = administration.template();
        for set in &recorders {
            app.add_dependency(&administration, set);
        }
        for a in &administrators {
            if let Some(r) = a.resource() {
                app.add_dependency(&administration, &r);
            }
        }
        if self.on(Service::Config) {
            let role = app.add(
                &tpl,
                CfnResource::new(
                    "ConfigAggregatorRole",
                    Resource::new("AWS::IAM::Role")
                        .property(
                            "AssumeRolePolicyDocument",
                            PolicyDocument::new()
                                .statement(
                                    Statement::allow()
                                        .principal(Principal::service(CONFIG_PRINCIPAL))
                                        .action("sts:AssumeRole"),
                                )
                                .to_value(),
                        )
                        .property(
                            "ManagedPolicyArns",
                            vec![ManagedPolicyRef::aws_managed(
                                "service-role/AWSConfigRoleForOrganizations",
                            )
                            .arn()],
                        )
                        .property(
                            "Description",
                            "AWS Config reads the organization's accounts for the aggregator",
                        ),
                ),
            )?;
            app.add(
                &tpl,
                CfnResource::new(
                    "OrganizationAggregator",
                    Resource::new("AWS::Config::ConfigurationAggregator")
                        .property(
                            "ConfigurationAggregatorName",
                            format!("{prefix}-organization"),
                        )
                        .property(
                            "OrganizationAggregationSource",
                            obj! {
                                "RoleArn" => role.get_att("Arn"),
                                "AllAwsRegions" => true,
                            },
                        ),
                ),
            )?;
            let rules = app.add(&tpl, Subtree::new("Rules"))?;
            for rule in &self.rules {
                let name = format!("{prefix}-{}", rule.name());
                let name_ok = (1..=64).contains(&name.len())
                    && name
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
                if !name_ok {
                    app.report(Diagnostic::new(
                        app.path(&rules),
                        Rule::PropertyValue,
                        &name,
                        "an organization Config rule's name is 1 to 64 letters, digits, hyphens and underscores",
                        "shorten the rule's name or the prefix",
                    ));
                }
                let r = app.add(
                    &rules,
                    CfnResource::new(rule_id(rule.name()), rule.to_resource(prefix)),
                )?;
                // Organization rules deploy to every account: AWS Config refuses a second
                // one while the first is being deployed.
                app.set_serial_group(&r, "OrganizationConfigRules");
            }
        }
        if self.on(Service::AccessAnalyzer) {
            app.add(
                &tpl,
                CfnResource::new(
                    "OrganizationAnalyzer",
                    Resource::new("AWS::AccessAnalyzer::Analyzer")
                        .property("AnalyzerName", format!("{prefix}-organization"))
                        .property("Type", "ORGANIZATION"),
                ),
            )?;
        }
        if self.on(Service::SecurityHub) {
            app.add(
                &tpl,
                CfnResource::new(
                    "SecurityHubOrganization",
                    Resource::new("AWS::SecurityHub::OrganizationConfiguration")
                        .property("AutoEnable", true)
                        .property("AutoEnableStandards", "DEFAULT")
                        .property("ConfigurationType", "LOCAL"),
                ),
            )?;
        }
        if self.on(Service::FirewallManager) {
            let managed = serde_json::json!({
                "type": "SECURITY_GROUPS_USAGE_AUDIT",
                "deleteUnusedSecurityGroups": false,
                "coalesceRedundantSecurityGroups": false,
            })
            .to_string();
            let mut policy = Resource::new("AWS::FMS::Policy")
                .property("PolicyName", format!("{prefix}-security-group-audit"))
                .property(
                    "PolicyDescription",
                    "Reports unused and redundant security groups",
                )
                .property(
                    "SecurityServicePolicyData",
                    obj! {
                        "Type" => "SECURITY_GROUPS_USAGE_AUDIT",
                        "ManagedServiceData" => managed,
                    },
                )
                .property("ResourceType", "AWS::EC2::SecurityGroup")
                .property("ExcludeResourceTags", false)
                .property("RemediationEnabled", false);
            if !self.firewall_scope.is_empty() {
                policy = policy.property(
                    "IncludeMap",
                    obj! {
                        "ORGUNIT" => self
                            .firewall_scope
                            .iter()
                            .map(|ou| Value::from(ou.id()))
                            .collect::<Vec<_>>(),
                    },
                );
            }
            app.add(&tpl, CfnResource::new("SecurityGroupAudit", policy))?;
        }
        Ok(SecurityServicesHandle {
            scope: me,
            administrators,
            config_bucket,
            recorders,
            administration,
            guardduty_policy,
        })
    }
}

/// `s3-public-read` → `S3PublicRead`.
fn rule_id(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
