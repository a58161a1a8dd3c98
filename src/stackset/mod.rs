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
//! let org = app.add(&mgmt, Organization::create())?;
//! let security = app.add(&org, OrganizationalUnit::new("Security"))?;
//! let identity = app.add(&security, Account::new("Identity", "aws+identity@acme.example"))?;
//! let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
//!
//! let roles = app.add(&mgmt, StackSet::new("WorkloadRoles", "workload-roles").target(&workloads))?;
//! app.add(&roles.template(), Role::assumable_with_mfa("Admin", &identity))?;
//! assert_eq!(app.stack_sets().next().unwrap().targets().len(), 1);
//!
//! let assembly = app.synth()?;
//! let member = assembly.artifact("Management.WorkloadRoles.Template").unwrap();
//! assert!(member.body.contains("\"Parameters\""));
//! # Ok::<(), orgstack::Error>(())
//! ```

mod data;

use crate::app::{App, Scope, StackHandle};
use crate::cfn::{Expr, Map, NodeId, Value};
use crate::org::{AccountHandle, AccountRef, OrganizationHandle, OuHandle};

use data::StackSetData;

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

    /// Each problem: the setting as written (`MaxConcurrentPercentage: 0`), what is wrong,
    /// and how to fix it.
    pub(crate) fn problems(&self) -> Vec<(String, &'static str, &'static str)> {
        let mut p = Vec::new();
        if let Some(v) = self.failure_tolerance_percentage.filter(|&v| v > 100) {
            p.push((
                format!("FailureTolerancePercentage: {v}"),
                "FailureTolerancePercentage must be 0 to 100",
                "pass 0 to 100 to `failure_tolerance_percentage`",
            ));
        }
        if let Some(v) = self
            .max_concurrent_percentage
            .filter(|&v| v == 0 || v > 100)
        {
            p.push((
                format!("MaxConcurrentPercentage: {v}"),
                "MaxConcurrentPercentage must be 1 to 100",
                "pass 1 to 100 to `max_concurrent_percentage`",
            ));
        }
        if self.max_concurrent_count == Some(0) {
            p.push((
                "MaxConcurrentCount: 0".to_owned(),
                "MaxConcurrentCount must be at least 1",
                "pass at least 1 to `max_concurrent_count`",
            ));
        }
        if let (Some(c), Some(pc)) = (
            self.failure_tolerance_count,
            self.failure_tolerance_percentage,
        ) {
            p.push((
                format!("FailureToleranceCount: {c}, FailureTolerancePercentage: {pc}"),
                "set FailureToleranceCount or FailureTolerancePercentage, not both",
                "drop one of `failure_tolerance_count` and `failure_tolerance_percentage`",
            ));
        }
        if let (Some(c), Some(pc)) = (self.max_concurrent_count, self.max_concurrent_percentage) {
            p.push((
                format!("MaxConcurrentCount: {c}, MaxConcurrentPercentage: {pc}"),
                "set MaxConcurrentCount or MaxConcurrentPercentage, not both",
                "drop one of `max_concurrent_count` and `max_concurrent_percentage`",
            ));
        }
        p
    }
}

/// Where a service-managed StackSet deploys: the root or an OU (every account below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeploymentTargetRef {
    /// The organization's root.
    Root(OrganizationHandle),
    /// An organizational unit.
    Ou(OuHandle),
}

impl DeploymentTargetRef {
    /// The node of the root (the organization) or of the OU.
    pub fn node(&self) -> NodeId {
        match self {
            DeploymentTargetRef::Root(o) => o.node(),
            DeploymentTargetRef::Ou(ou) => ou.node(),
        }
    }

    /// The target's id (`r-…` or `ou-…`).
    pub fn id(&self) -> Value {
        match self {
            DeploymentTargetRef::Root(o) => Value::from(o.root_id()),
            DeploymentTargetRef::Ou(ou) => Value::from(ou.id()),
        }
    }
}

/// What a service-managed StackSet can target: the root or an OU.
pub trait DeploymentTarget {
    /// The target, typed.
    fn deployment_target(&self) -> DeploymentTargetRef;
}

impl DeploymentTarget for OuHandle {
    fn deployment_target(&self) -> DeploymentTargetRef {
        DeploymentTargetRef::Ou(*self)
    }
}

impl DeploymentTarget for OrganizationHandle {
    fn deployment_target(&self) -> DeploymentTargetRef {
        DeploymentTargetRef::Root(*self)
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
    targets: Vec<DeploymentTargetRef>,
    accounts: Vec<AccountRef>,
    filter: Option<AccountFilter>,
    regions: Vec<String>,
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
        let t = target.deployment_target();
        if !self.targets.contains(&t) {
            self.targets.push(t);
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
            let a = AccountRef::from(a);
            if !self.accounts.contains(&a) {
                self.accounts.push(a);
            }
        }
        self
    }

    /// Deploys to this one account of the targeted OUs (`INTERSECTION` with it).
    pub fn only_account(self, account: &AccountHandle) -> Self {
        self.accounts(AccountFilter::Intersection, [account])
    }

    /// The regions to deploy to (e.g. `["us-east-1", "eu-west-1"]`); a name that is not a
    /// region's is reported at synthesis.
    pub fn regions<R: Into<String>>(mut self, regions: impl IntoIterator<Item = R>) -> Self {
        self.regions = regions.into_iter().map(Into::into).collect();
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
}

/// A StackSet in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StackSetHandle {
    carrier: NodeId,
    member: StackHandle,
}

impl Scope for StackSetHandle {
    fn node(&self) -> NodeId {
        self.carrier
    }
}

impl StackSetHandle {
    /// The member stack: add the constructs every target account gets here.
    pub fn template(&self) -> StackHandle {
        self.member
    }

    /// The StackSet's id (`Ref`).
    pub fn id(&self) -> Expr {
        Expr::node_ref(self.carrier, 256)
    }
}

/// A StackSet of the app, as the typed model holds it.
#[derive(Debug, Clone, Copy)]
pub struct StackSetView<'a> {
    node: NodeId,
    data: &'a StackSetData,
}

impl<'a> StackSetView<'a> {
    /// The StackSet's handle.
    pub fn handle(&self) -> StackSetHandle {
        StackSetHandle {
            carrier: self.node,
            member: self.data.member,
        }
    }

    /// Its `StackSetName`.
    pub fn name(&self) -> &'a str {
        &self.data.def.name
    }

    /// The OUs (or the root) it deploys to.
    pub fn targets(&self) -> &'a [DeploymentTargetRef] {
        &self.data.def.targets
    }

    /// The accounts that narrow (or widen) the targets, and how.
    pub fn accounts(&self) -> (Option<AccountFilter>, &'a [AccountRef]) {
        (self.data.def.filter, &self.data.def.accounts)
    }

    /// The regions it deploys to; empty for the management stack's own region.
    pub fn regions(&self) -> &'a [String] {
        &self.data.def.regions
    }

    /// The permission model.
    pub fn permission_model(&self) -> PermissionModel {
        self.data.def.permission_model
    }

    /// The member stack.
    pub fn template(&self) -> StackHandle {
        self.data.member
    }
}

impl App {
    /// Every StackSet of the app, in declaration order.
    pub fn stack_sets(&self) -> impl Iterator<Item = StackSetView<'_>> + '_ {
        self.each::<StackSetData>()
            .map(|(node, data)| StackSetView { node, data })
    }
}
