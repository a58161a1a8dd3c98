//! The services beyond the five accounts that the layout's article recommends — AWS
//! Config, GuardDuty, Security Hub, IAM Access Analyzer and Firewall Manager — each
//! administered for the whole organization by one account.
//!
//! - [`DelegatedAdministrator`]: one call per service makes an account of the organization
//!   (an [`AccountHandle`](crate::org::AccountHandle), so never one outside it) its
//!   administrator. It declares what that takes outside CloudFormation — trusted access,
//!   `register-delegated-administrator`, or the service's own call
//!   (`guardduty enable-organization-admin-account`, `fms associate-admin-account`) — and
//!   the deploy plan runs it, in order, right before the stack that holds it, after the
//!   stack creating the account. Security Hub's home region uses
//!   `AWS::SecurityHub::DelegatedAdmin` instead.
//! - [`SecurityServices`]: all five switched on, with AWS Config recording in every
//!   account and region, an organization aggregator, a baseline of organization rules
//!   ([`ConfigRule::baseline`]), every account enrolled in GuardDuty in the services'
//!   regions (by the administrator, or by a [`GuardDutyPolicy`] at the root: see
//!   [`GuardDutyEnrolment`]) and a Firewall Manager security-group audit.
//! - [`IdentityCenter`]: IAM Identity Center's permission sets, and assignments as a
//!   matrix of group × permission set × OU or account, expanded into one
//!   `AWS::SSO::Assignment` per account at synthesis and split over stacks past the quotas.
//! - Management policies as typed documents — [`TagPolicy`], [`BackupPolicy`],
//!   [`AiServicesOptOutPolicy`], [`SecurityHubPolicy`], built of [`Setting`]s with the
//!   inheritance operators, and [`GuardDutyPolicy`] (a `default` block and blocks per
//!   region of [`GuardDutyFeature`]s enabled or disabled, checked: at least one block,
//!   features in every region's block, region names that are regions) —
//!   and the offline effective policy of an account ([`effective_policy_of`]). Which
//!   details of the GuardDuty document follow its documented syntax, and which could not
//!   be confirmed, is said on [`GuardDutyPolicy`]'s page.

mod admin;
mod config;
mod guardduty;
mod identity_center;
mod management;
mod security;

pub use admin::{
    DelegatedAdministrator, DelegatedAdministratorHandle, Service, DEFAULT_ACCESS_ROLE,
    FMS_ADMIN_REGION,
};
pub use config::{ConfigRule, CONFIG_PRINCIPAL};
pub use guardduty::{FeatureState, GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};
pub(crate) use identity_center::CenterData;
pub use identity_center::{
    AssignmentTarget, IdentityCenter, IdentityCenterHandle, PermissionSet, PermissionsBoundary,
    ASSIGNMENTS_AT_ONCE, ASSIGNMENTS_GROUP,
};
pub use management::{
    effective_policy, effective_policy_of, AiOptOut, AiServicesOptOutPolicy, BackupPolicy,
    ChildOperators, Operator, SecurityHubPolicy, Setting, TagPolicy, ALL_SUPPORTED,
};
pub use security::{GuardDutyEnrolment, SecurityServices, SecurityServicesHandle};
