//! The spec's types: what a JSON spec holds, field by field. The doc comments are the JSON
//! Schema's descriptions.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::json::Json;

/// A foundation described as configuration: the same organization, accounts, policies,
/// access and StackSets as the Rust constructs, lowered onto those constructs.
///
/// Everything is optional: an empty spec is an app with one empty stack. Names refer to
/// what the spec defines: an OU by its path from the root (`Workloads/Sandbox`), an
/// account by its name (or the key of an existing account, or a 12-digit id), a layout
/// account by its key (`identity`, `audit`, `shared-services` or an environment's name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "orgstack OrgSpec")]
pub struct OrgSpec {
    /// The JSON Schema the file follows, for editors; not read otherwise.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The name of the management account's stack (default `Management`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// The region every stack deploys to (default `us-east-1`, where the events of global
    /// services arrive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_region: Option<String>,
    /// The S3 bucket templates too large to pass inline are uploaded to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_bucket: Option<String>,
    /// Quotas that differ from AWS's defaults (raised through Service Quotas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotas: Option<QuotasSpec>,
    /// The organization: `"create"` (the default) or `{"existing": {...}}` for one that
    /// exists, as most do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrganizationSpec>,
    /// The five-account reference layout (management, identity, audit/log archive, shared
    /// services and the environments), with its guardrails, trail, alerting and budgets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<LayoutSpec>,
    /// Organizational units to create, parents before children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizational_units: Vec<OuSpec>,
    /// Accounts to create.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountSpec>,
    /// Accounts that exist already, by id, to target and trust; never created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub existing_accounts: Vec<ExistingAccountSpec>,
    /// Organizations policies of any type, and where they are attached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicySpec>,
    /// Access for the layout's groups to any OU or account (needs `layout`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<GrantSpec>,
    /// Service-managed StackSets deploying roles, groups and managed policies into member
    /// accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stack_sets: Vec<StackSetSpec>,
}

/// A new organization, or the one that exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum OrganizationSpec {
    /// Create the organization (a bootstrap stack deploys it first).
    Create,
    /// Use the organization that exists.
    Existing {
        /// The root's id, `r-` and 4 to 32 lower-case letters or digits.
        root_id: String,
        /// The organization's id, `o-` and 10 to 32 lower-case letters or digits.
        organization_id: String,
        /// Whether AWS's `FullAWSAccess` SCP stays attached to every target (default
        /// true); while attached it counts against the SCPs-per-target quota.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        full_aws_access_attached: Option<bool>,
    },
}

/// The five-account layout's settings; each left out keeps the layout's default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    /// The layout's name (1 to 26 lower-case letters, digits or inner hyphens); it
    /// prefixes account, bucket, trail and topic names.
    pub name: String,
    /// Account e-mails default to `<key>@<domain>`: `identity@…`, `audit@…`,
    /// `shared-services@…`, `dev@…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_domain: Option<String>,
    /// E-mails of single accounts, by key: `identity`, `audit`, `shared-services` or an
    /// environment's name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub account_emails: IndexMap<String, String>,
    /// The environments, one account each (default `dev` and `staging`, non-production,
    /// and `prod`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<EnvironmentSpec>>,
    /// The regions STS may be called in (default `us-east-1` and `eu-west-1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_regions: Option<Vec<String>>,
    /// Where alerts and budget notifications go (default `alerts@<email domain>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_email: Option<String>,
    /// The roles of member accounts (default `administrator`, `developer`, `read-only`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_levels: Option<Vec<AccessLevelSpec>>,
    /// The identity account's groups (default `administrators`, `developers`,
    /// `read-only`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupSpec>>,
    /// Seconds since MFA after which roles refuse to be assumed (default 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_max_age: Option<i64>,
    /// The roles' maximum session in seconds (default 14,400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<u32>,
    /// Which guardrail SCPs to attach to the root (all on by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrails: Option<GuardrailsSpec>,
    /// Days logs are kept (default 365), one of CloudWatch Logs' retention periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_retention_days: Option<u32>,
    /// Object Lock on the log archive (default compliance mode for the log retention).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_lock: Option<ObjectLockSpec>,
    /// How logs and alerts are encrypted at rest (default `off`: the services' own
    /// encryption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<KmsKeySpec>,
    /// The monthly cost budget of every account in USD (default 100); `null` turns budgets
    /// off.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub monthly_budget: Option<Option<u64>>,
    /// Budget notification thresholds in percent (default 80 and 100); the last of several
    /// is on the forecast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_thresholds: Option<Vec<u32>>,
    /// Centralized root access for member accounts (default on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centralized_root_access: Option<bool>,
    /// The role Organizations creates in each new account (default
    /// `OrganizationAccountAccessRole`); it cannot be changed once the accounts exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_access_role: Option<String>,
}

/// `null` as `Some(None)`, absent as `None`.
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// An environment of the layout: one account under NonProd or Prod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSpec {
    /// Lower-case letters, digits and hyphens, e.g. `staging`; also the account's key.
    pub name: String,
    /// Whether it is production (its account goes under Prod).
    #[serde(default)]
    pub production: bool,
}

/// A role in every environment and shared-services account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessLevelSpec {
    /// The role's name, e.g. `developer`.
    pub role: String,
    /// The AWS managed policy it gets, e.g. `PowerUserAccess`.
    pub managed_policy: String,
}

/// A group of the identity account and the roles its users may switch into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The group's name, e.g. `developers`.
    pub name: String,
    /// The roles, and where.
    #[serde(default)]
    pub grants: Vec<LayoutGrantSpec>,
}

/// A role a layout group may switch into, in parts of the layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoutGrantSpec {
    /// An access level's role, or `auditor`.
    pub role: String,
    /// Where (the layout's parts; use the top-level `grants` for any OU or account).
    pub targets: Vec<LayoutPart>,
}

/// A part of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LayoutPart {
    /// The accounts of non-production environments.
    NonProd,
    /// The accounts of production environments.
    Prod,
    /// The shared-services account.
    SharedServices,
    /// The audit account (only the auditor role lives there).
    Audit,
}

/// Which guardrails the layout attaches; each left out is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardrailsSpec {
    /// STS only in the allowed regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sts_regions: Option<bool>,
    /// No leaving the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny_leave_organization: Option<bool>,
    /// Only the audit StackSet changes the log archive or deletes its logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protect_audit: Option<bool>,
    /// The root user of member accounts can do nothing but privileged root sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny_root_user: Option<bool>,
    /// The organization access role does nothing without MFA, and nobody else changes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protect_organization_access_role: Option<bool>,
}

/// Object Lock on the log archive: `"off"`, or a mode and a retention in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ObjectLockSpec {
    /// No Object Lock: the bucket policy alone keeps logs from being deleted.
    Off,
    /// Nobody, root included, deletes a log before its retention ends.
    Compliance {
        /// Retention in days, 1 to 36,500.
        days: u32,
    },
    /// Principals allowed `s3:BypassGovernanceRetention` may delete early.
    Governance {
        /// Retention in days, 1 to 36,500.
        days: u32,
    },
}

/// How the layout encrypts logs and alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KmsKeySpec {
    /// The services' own encryption.
    Off,
    /// One customer-managed key in the management stack.
    CustomerManaged,
}

/// An organizational unit: new (created), adopted (`adopt`: it exists and CloudFormation
/// takes it over) or only referenced (`existing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OuSpec {
    /// The OU's name (1 to 128 characters); with its parent's path, its own path.
    pub name: String,
    /// The parent OU's path from the root, e.g. `Workloads`, or the id of an OU the spec
    /// adopts or references (default: the root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The id (`ou-…`) of the OU that exists, to adopt into CloudFormation management:
    /// imported by the deploy plan, never created, kept (`Retain`) if the stack goes. Its
    /// name, parent and tags must be what exists. Other parts of the spec may refer to it
    /// by this id as well as by its path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopt: Option<String>,
    /// The id (`ou-…`) of an OU that exists, only referenced (a parent, a policy or
    /// StackSet target), not managed by CloudFormation; not with `adopt`. Other parts of
    /// the spec may refer to it by this id as well as by its path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
    /// Tags, in order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
}

/// An account to create, or (`adopt`) one that exists to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// The account's name (1 to 50 printable ASCII characters); other parts of the spec
    /// refer to the account by it. Two accounts may share a name only if each has its own
    /// `id`; that name then refers to neither.
    pub name: String,
    /// The e-mail address of its root user, unique across the organization.
    pub email: String,
    /// The OU's path from the root, e.g. `Workloads/Sandbox`, or the id of an OU the spec
    /// adopts or references (default: the root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
    /// The construct id (default the name); the logical ID follows from it, so keep it
    /// once the account exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The 12-digit id of the account that exists, to adopt into CloudFormation
    /// management: imported by the deploy plan, never created, kept (`Retain`) if the
    /// stack goes. Its name, e-mail and OU must be what exists. Other parts of the spec may
    /// refer to it by this id as well as by its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopt: Option<String>,
    /// The role Organizations creates in the account (default
    /// `OrganizationAccountAccessRole`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// Tags, in order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
}

/// An account that exists, referred to by a key of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingAccountSpec {
    /// The name the rest of the spec refers to it by.
    pub key: String,
    /// Its 12-digit id.
    pub id: String,
}

/// An Organizations policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// The policy's name, also its construct id unless `id` says otherwise.
    pub name: String,
    /// The policy type as `AWS::Organizations::Policy.Type` takes it (default
    /// `SERVICE_CONTROL_POLICY`), e.g. `RESOURCE_CONTROL_POLICY`, `TAG_POLICY`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<String>,
    /// The construct id (default the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The description (at most 512 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The id (`p-…`) of the policy that exists, to adopt into CloudFormation management:
    /// imported by the deploy plan, never created, kept (`Retain`) if the stack goes. Its
    /// name, type, description, content and `adopted_targets` must be what exists; its
    /// `document` is then taken as it is (only its size is checked), as Organizations
    /// returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopt: Option<String>,
    /// The content: for SCPs and RCPs a policy document in AWS's JSON policy grammar
    /// (`Version` `2012-10-17` and `Statement`); for the management types, their own JSON.
    #[schemars(schema_with = "super::json::object_schema")]
    pub document: Json,
    /// Where an adopted policy is attached already, in order: these attachments exist and
    /// are imported with it (needs `adopt`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adopted_targets: Vec<PolicyTargetSpec>,
    /// Where it is attached, in order: new attachments, made by the deploy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<PolicyTargetSpec>,
}

/// What a policy is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PolicyTargetSpec {
    /// The organization's root.
    Root,
    /// An OU, by its path from the root or the id of an OU the spec adopts or
    /// references.
    Ou(String),
    /// An account: a name, an existing account's key, a layout account's key or an id.
    Account(String),
}

/// Access for a layout group to one role in OUs or accounts of the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantSpec {
    /// One of the layout's groups.
    pub group: String,
    /// An access level's role, or `auditor`.
    pub role: String,
    /// Where.
    pub targets: Vec<GrantTargetSpec>,
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum GrantTargetSpec {
    /// The accounts of non-production environments.
    NonProd,
    /// The accounts of production environments.
    Prod,
    /// The shared-services account.
    SharedServices,
    /// The audit account.
    Audit,
    /// Every account under an OU, by its path from the root.
    Ou(String),
    /// One account: a name, an existing account's key, a layout account's key or an id.
    Account(String),
}

/// A service-managed StackSet and the resources of its member template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StackSetSpec {
    /// The construct id.
    pub id: String,
    /// `StackSetName`: a letter, then letters, digits and hyphens (at most 128).
    pub name: String,
    /// The StackSet's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The member template's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_description: Option<String>,
    /// The root or OUs it deploys to (every account below, now and later).
    #[serde(default)]
    pub targets: Vec<DeploymentTargetSpec>,
    /// Accounts that narrow (or widen) the targets, as `account_filter` says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    /// How `accounts` combine with the targets (default `intersection`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_filter: Option<AccountFilterSpec>,
    /// Regions to deploy to (default the home region).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Whether stacks stay when an account leaves the targets (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_stacks_on_account_removal: Option<bool>,
    /// Whether new accounts of the targets get the stack (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_deployment: Option<bool>,
    /// Customer managed policies of the member template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_policies: Vec<ManagedPolicySpec>,
    /// IAM groups of the member template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<IamGroupSpec>,
    /// IAM roles of the member template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleSpec>,
}

/// Where a StackSet deploys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum DeploymentTargetSpec {
    /// The organization's root.
    Root,
    /// An OU, by its path from the root.
    Ou(String),
}

/// How a StackSet's account list combines with its OU targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccountFilterSpec {
    /// Only the listed accounts of the OUs.
    Intersection,
    /// Every account of the OUs but the listed ones.
    Difference,
    /// The OUs' accounts and the listed ones.
    Union,
}

/// A customer managed policy in a member template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicySpec {
    /// The construct id; roles and groups of the same StackSet attach it by it.
    pub id: String,
    /// `ManagedPolicyName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The IAM path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The policy document, in AWS's JSON policy grammar.
    #[schemars(schema_with = "super::json::object_schema")]
    pub document: Json,
}

/// A managed policy attached to a role or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ManagedPolicyRefSpec {
    /// An AWS managed policy by name, e.g. `ReadOnlyAccess`.
    AwsManaged(String),
    /// A managed policy's ARN.
    Arn(String),
    /// A managed policy of the same StackSet, by its id.
    Policy(String),
}

/// An inline policy of a role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicySpec {
    /// The policy's name.
    pub name: String,
    /// The policy document, in AWS's JSON policy grammar.
    #[schemars(schema_with = "super::json::object_schema")]
    pub document: Json,
}

/// An IAM group in a member template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IamGroupSpec {
    /// The construct id.
    pub id: String,
    /// `GroupName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Managed policies attached, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_policies: Vec<ManagedPolicyRefSpec>,
}

/// An IAM role in a member template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The construct id.
    pub id: String,
    /// Who may assume it.
    pub trust: TrustSpec,
    /// `RoleName` (1 to 64 of `[\w+=,.@-]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// With `account_with_mfa`: MFA must have been used less than this many seconds ago.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_max_age: Option<i64>,
    /// `MaxSessionDuration` in seconds (3600 to 43200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<u32>,
    /// Managed policies attached, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_policies: Vec<ManagedPolicyRefSpec>,
    /// Inline policies, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inline_policies: Vec<InlinePolicySpec>,
    /// The permissions boundary: a managed policy, as in `managed_policies`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<ManagedPolicyRefSpec>,
    /// Tags, in order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
    /// Why a trust policy that lets AWS principals in without MFA is accepted (a role for
    /// machines); recorded in the resource's Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub without_mfa: Option<String>,
}

/// Who may assume a role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TrustSpec {
    /// Principals of one account, only with MFA: a name, an existing account's key, a
    /// layout account's key or an id.
    AccountWithMfa(String),
    /// A trust policy in AWS's JSON policy grammar.
    Document(#[schemars(schema_with = "super::json::object_schema")] Json),
}

/// Quotas that differ from AWS's defaults; each left out keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotasSpec {
    /// Resources in one template (500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_per_template: Option<usize>,
    /// Bytes of one rendered template (1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_bytes: Option<usize>,
    /// Characters of a StackSet's inline `TemplateBody` (51,200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_body_bytes: Option<usize>,
    /// Parameters in one template (200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters_per_template: Option<usize>,
    /// Outputs in one template (200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs_per_template: Option<usize>,
    /// Nesting depth of OUs under the root (5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou_depth: Option<usize>,
    /// Characters of a role's trust policy (2,048; raisable to 4,096).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_policy_size: Option<usize>,
    /// Characters of a customer managed policy, whitespace not counted (6,144).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_policy_size: Option<usize>,
    /// Managed policies attached to one role or group (10; raisable to 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_policies_per_identity: Option<usize>,
    /// Characters of all inline policies of one role together (10,240).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_inline_policy_size: Option<usize>,
    /// Characters of all inline policies of one group together (5,120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_inline_policy_size: Option<usize>,
    /// Organizations policy quotas by policy type, e.g. `SERVICE_CONTROL_POLICY`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub policies: IndexMap<String, PolicyQuotaSpec>,
}

/// The quotas of one Organizations policy type; each left out keeps AWS's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuotaSpec {
    /// Characters of one policy's content, minified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<usize>,
    /// Policies of the type attached directly to one target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_target: Option<usize>,
}
