//! Service-managed StackSets: a member template built with the ordinary constructs,
//! deployed from the management account to OUs (optionally narrowed to accounts).
//!
//! Values of the management stack used inside the member template (an account id, the
//! organization id) become parameters of the member template and `Parameters` of the
//! StackSet, wired at synthesis; nobody writes a parameter by hand.
//!
//! ```
//! use orgstack::{App, iam::Role, org::{Account, Organization, OrganizationalUnit}, stackset::StackSet};
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = Organization::create().build(&mut app, &mgmt)?;
//! let security = org.add_ou(&mut app, OrganizationalUnit::new("Security"))?;
//! let identity = security.add_account(&mut app, Account::new("Identity", "aws+identity@acme.example"))?;
//! let workloads = org.add_ou(&mut app, OrganizationalUnit::new("Workloads"))?;
//!
//! let roles = StackSet::new("WorkloadRoles", "workload-roles")
//!     .target(&workloads)
//!     .build(&mut app, &mgmt)?;
//! Role::assumable_with_mfa("Admin", identity.id()).build(&mut app, &roles.template())?;
//!
//! let assembly = app.synth()?;
//! let member = assembly.artifact("Management.WorkloadRoles.Template").unwrap();
//! assert!(member.body.contains("\"Parameters\""));
//! # Ok::<(), orgstack::Error>(())
//! ```

use crate::app::{App, Construct, ResourceHandle, StackHandle};
use crate::cfn::{Expr, Map, NodeId, Pseudo, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};
use crate::obj;
use crate::org::{AccountHandle, OrganizationHandle, OuHandle};

/// Type of the StackSet resource.
pub const STACK_SET_TYPE: &str = "AWS::CloudFormation::StackSet";
/// Construct id of a StackSet's member stack.
pub const TEMPLATE_ID: &str = "Template";

/// Who manages the StackSet's permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PermissionModel {
    /// Organizations creates the roles; targets are OUs (the default).
    ServiceManaged,
    /// Roles you created in every target account; targets are accounts.
    SelfManaged,
}

impl PermissionModel {
    /// The value as CloudFormation takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionModel::ServiceManaged => "SERVICE_MANAGED",
            PermissionModel::SelfManaged => "SELF_MANAGED",
        }
    }
}

/// How an account list narrows the OUs targeted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountFilter {
    /// Only the listed accounts of the OUs.
    Intersection,
    /// Every account of the OUs but the listed ones.
    Difference,
    /// The OUs' accounts and the listed ones.
    Union,
}

impl AccountFilter {
    /// The value as CloudFormation takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountFilter::Intersection => "INTERSECTION",
            AccountFilter::Difference => "DIFFERENCE",
            AccountFilter::Union => "UNION",
        }
    }
}

/// Whether the StackSet is managed by the management account or a delegated administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallAs {
    /// The management account (`SELF`).
    SelfAccount,
    /// A delegated administrator (`DELEGATED_ADMIN`).
    DelegatedAdmin,
}

/// Whether regions deploy one after another or together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegionConcurrency {
    /// One region after another.
    Sequential,
    /// All regions at once.
    Parallel,
}

/// How fast and how carefully stack instances roll out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct OperationPreferences {
    failure_tolerance_count: Option<u32>,
    failure_tolerance_percentage: Option<u32>,
    max_concurrent_count: Option<u32>,
    max_concurrent_percentage: Option<u32>,
    region_concurrency: Option<RegionConcurrency>,
}

impl OperationPreferences {
    /// No preferences set (CloudFormation's defaults: one account at a time, no failure).
    pub fn new() -> Self {
        Self::default()
    }

    /// Accounts per region that may fail before the operation stops.
    pub fn failure_tolerance_count(mut self, n: u32) -> Self {
        self.failure_tolerance_count = Some(n);
        self
    }

    /// Percentage of accounts per region that may fail (0–100).
    pub fn failure_tolerance_percentage(mut self, p: u32) -> Self {
        self.failure_tolerance_percentage = Some(p);
        self
    }

    /// Accounts deployed at once (at least 1).
    pub fn max_concurrent_count(mut self, n: u32) -> Self {
        self.max_concurrent_count = Some(n);
        self
    }

    /// Percentage of accounts deployed at once (1–100).
    pub fn max_concurrent_percentage(mut self, p: u32) -> Self {
        self.max_concurrent_percentage = Some(p);
        self
    }

    /// Regions one after another or together.
    pub fn region_concurrency(mut self, c: RegionConcurrency) -> Self {
        self.region_concurrency = Some(c);
        self
    }

    fn to_value(&self) -> Value {
        let mut m = Map::default();
        if let Some(n) = self.failure_tolerance_count {
            m.insert("FailureToleranceCount".into(), n.into());
        }
        if let Some(n) = self.failure_tolerance_percentage {
            m.insert("FailureTolerancePercentage".into(), n.into());
        }
        if let Some(n) = self.max_concurrent_count {
            m.insert("MaxConcurrentCount".into(), n.into());
        }
        if let Some(n) = self.max_concurrent_percentage {
            m.insert("MaxConcurrentPercentage".into(), n.into());
        }
        if let Some(c) = self.region_concurrency {
            let v = match c {
                RegionConcurrency::Sequential => "SEQUENTIAL",
                RegionConcurrency::Parallel => "PARALLEL",
            };
            m.insert("RegionConcurrencyType".into(), v.into());
        }
        Value::Map(m)
    }

    fn problems(&self) -> Vec<&'static str> {
        let mut p = Vec::new();
        if self.failure_tolerance_percentage.is_some_and(|v| v > 100) {
            p.push("FailureTolerancePercentage must be 0 to 100");
        }
        if self
            .max_concurrent_percentage
            .is_some_and(|v| v == 0 || v > 100)
        {
            p.push("MaxConcurrentPercentage must be 1 to 100");
        }
        if self.max_concurrent_count == Some(0) {
            p.push("MaxConcurrentCount must be at least 1");
        }
        if self.failure_tolerance_count.is_some() && self.failure_tolerance_percentage.is_some() {
            p.push("set FailureToleranceCount or FailureTolerancePercentage, not both");
        }
        if self.max_concurrent_count.is_some() && self.max_concurrent_percentage.is_some() {
            p.push("set MaxConcurrentCount or MaxConcurrentPercentage, not both");
        }
        p
    }
}

/// What a service-managed StackSet can target: the root or an OU.
pub trait DeploymentTarget {
    /// The target's id (`r-…` or `ou-…`).
    fn deployment_target_id(&self) -> Value;
}

impl DeploymentTarget for OuHandle {
    fn deployment_target_id(&self) -> Value {
        Value::from(self.id())
    }
}

impl DeploymentTarget for OrganizationHandle {
    fn deployment_target_id(&self) -> Value {
        Value::from(self.root_id())
    }
}

/// A StackSet whose member template is built with the ordinary constructs.
#[derive(Debug, Clone)]
#[must_use]
pub struct StackSet {
    id: String,
    name: String,
    description: Option<String>,
    permission_model: PermissionModel,
    auto_deployment: bool,
    retain_on_removal: bool,
    targets: Vec<Value>,
    accounts: Vec<Value>,
    filter: Option<AccountFilter>,
    regions: Vec<Value>,
    preferences: Option<OperationPreferences>,
    call_as: Option<CallAs>,
    template_description: Option<String>,
}

impl StackSet {
    /// A service-managed StackSet with construct id `id` and `StackSetName` `name`
    /// (`^[a-zA-Z][a-zA-Z0-9-]{0,127}$`), auto-deployment on, deployed to the management
    /// stack's own region unless [`regions`](Self::regions) says otherwise.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        StackSet {
            id: id.into(),
            name: name.into(),
            description: None,
            permission_model: PermissionModel::ServiceManaged,
            auto_deployment: true,
            retain_on_removal: false,
            targets: Vec::new(),
            accounts: Vec::new(),
            filter: None,
            regions: Vec::new(),
            preferences: None,
            call_as: None,
            template_description: None,
        }
    }

    /// Sets the StackSet's `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the member template's `Description`.
    pub fn template_description(mut self, d: impl Into<String>) -> Self {
        self.template_description = Some(d.into());
        self
    }

    /// Deploys to an OU or the root (every account below it, now and later).
    pub fn target(mut self, target: &impl DeploymentTarget) -> Self {
        let id = target.deployment_target_id();
        if !self.targets.contains(&id) {
            self.targets.push(id);
        }
        self
    }

    /// Narrows (or widens) the OU targets with an account list.
    pub fn accounts<'a>(
        mut self,
        filter: AccountFilter,
        accounts: impl IntoIterator<Item = &'a AccountHandle>,
    ) -> Self {
        self.filter = Some(filter);
        for a in accounts {
            let id = a.id();
            if !self.accounts.contains(&id) {
                self.accounts.push(id);
            }
        }
        self
    }

    /// Deploys to this one account of the targeted OUs (`INTERSECTION` with it).
    pub fn only_account(self, account: &AccountHandle) -> Self {
        self.accounts(AccountFilter::Intersection, [account])
    }

    /// The regions to deploy to (e.g. `["us-east-1", "eu-west-1"]`).
    pub fn regions<R: Into<String>>(mut self, regions: impl IntoIterator<Item = R>) -> Self {
        self.regions = regions
            .into_iter()
            .map(|r| Value::String(r.into()))
            .collect();
        self
    }

    /// Keeps the stacks (and their resources) when an account leaves a targeted OU.
    pub fn retain_stacks_on_account_removal(mut self, retain: bool) -> Self {
        self.retain_on_removal = retain;
        self
    }

    /// Turns auto-deployment to accounts that join a targeted OU later on or off.
    pub fn auto_deployment(mut self, enabled: bool) -> Self {
        self.auto_deployment = enabled;
        self
    }

    /// Uses the self-managed permission model; targets are then the accounts given with
    /// [`accounts`](Self::accounts).
    pub fn self_managed(mut self) -> Self {
        self.permission_model = PermissionModel::SelfManaged;
        self
    }

    /// Sets how instances roll out.
    pub fn operation_preferences(mut self, p: OperationPreferences) -> Self {
        self.preferences = Some(p);
        self
    }

    /// Manages the StackSet as the management account or a delegated administrator.
    pub fn call_as(mut self, c: CallAs) -> Self {
        self.call_as = Some(c);
        self
    }

    /// Adds the StackSet to `stack` and returns a handle whose
    /// [`template`](StackSetHandle::template) is the member stack to build into.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the id is taken. A bad name or
    /// missing targets are reported at synthesis.
    pub fn build(self, app: &mut App, stack: &StackHandle) -> Result<StackSetHandle> {
        let mut res = Resource::new(STACK_SET_TYPE).property("StackSetName", self.name.as_str());
        if let Some(d) = &self.description {
            res = res.property("Description", d.as_str());
        }
        res = res.property("PermissionModel", self.permission_model.as_str());
        let service_managed = self.permission_model == PermissionModel::ServiceManaged;
        if service_managed {
            res = res.property(
                "AutoDeployment",
                obj! {
                    "Enabled" => self.auto_deployment,
                    "RetainStacksOnAccountRemoval" => self.retain_on_removal,
                },
            );
        }
        if let Some(c) = self.call_as {
            res = res.property(
                "CallAs",
                match c {
                    CallAs::SelfAccount => "SELF",
                    CallAs::DelegatedAdmin => "DELEGATED_ADMIN",
                },
            );
        }
        if let Some(p) = &self.preferences {
            res = res.property("OperationPreferences", p.to_value());
        }
        let mut targets = Map::default();
        if service_managed {
            targets.insert(
                "OrganizationalUnitIds".into(),
                Value::List(self.targets.clone()),
            );
            if let Some(f) = self.filter {
                targets.insert("Accounts".into(), Value::List(self.accounts.clone()));
                targets.insert("AccountFilterType".into(), f.as_str().into());
            }
        } else {
            targets.insert("Accounts".into(), Value::List(self.accounts.clone()));
        }
        let regions = if self.regions.is_empty() {
            vec![Value::from(Pseudo::Region)]
        } else {
            self.regions.clone()
        };
        res = res.property(
            "StackInstancesGroup",
            Value::List(vec![obj! {
                "DeploymentTargets" => Value::Map(targets),
                "Regions" => Value::List(regions),
            }]),
        );
        let carrier = app.add_resource(stack, self.id.as_str(), res)?;
        let member = app.add_member_stack(&carrier, TEMPLATE_ID, &carrier)?;
        if let Some(d) = &self.template_description {
            app.set_stack_description(&member, d.as_str())?;
        }
        let path = app.path(&carrier);
        if !is_stack_set_name(&self.name) {
            app.report(Diagnostic::new(
                &path,
                Rule::StackSetName,
                &self.name,
                "a StackSet name starts with a letter and holds letters, digits and hyphens, at most 128",
                "rename it, e.g. `identity-roles`",
            ));
        }
        let no_targets = if service_managed {
            self.targets.is_empty()
        } else {
            self.accounts.is_empty()
        };
        if no_targets {
            app.report(Diagnostic::new(
                &path,
                Rule::StackSetTargets,
                "",
                if service_managed {
                    "a service-managed StackSet needs at least one OU or the root as target"
                } else {
                    "a self-managed StackSet needs at least one account"
                },
                "call `.target(&ou)` (or `.accounts(…)` for self-managed)",
            ));
        }
        if service_managed && self.filter.is_some() && self.accounts.is_empty() {
            app.report(Diagnostic::new(
                &path,
                Rule::StackSetTargets,
                "",
                "an account filter needs at least one account",
                "pass the accounts to `.accounts(…)`",
            ));
        }
        for r in &self.regions {
            let ok = r.as_str().is_some_and(|s| {
                (1..=128).contains(&s.len())
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
            if !ok {
                app.report(Diagnostic::new(
                    &path,
                    Rule::Region,
                    format!("{r:?}"),
                    "a region is letters, digits and hyphens, e.g. eu-west-1",
                    "fix the region name",
                ));
            }
        }
        if let Some(p) = &self.preferences {
            for why in p.problems() {
                app.report(Diagnostic::new(
                    &path,
                    Rule::PropertyValue,
                    "OperationPreferences",
                    why,
                    "fix the operation preferences",
                ));
            }
        }
        Ok(StackSetHandle { carrier, member })
    }
}

fn is_stack_set_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && name.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A StackSet in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StackSetHandle {
    carrier: ResourceHandle,
    member: StackHandle,
}

impl Construct for StackSetHandle {
    fn node(&self) -> NodeId {
        self.carrier.node()
    }
}

impl StackSetHandle {
    /// The member stack: add the constructs every target account gets here.
    pub fn template(&self) -> StackHandle {
        self.member
    }

    /// The StackSet's id (`Ref`).
    pub fn id(&self) -> Expr {
        self.carrier.ref_expr(256)
    }
}
