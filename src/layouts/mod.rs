//! Prebuilt foundations.
//!
//! [`FiveAccountLayout`] is the reference layout: a management account that owns the
//! organization and billing and alerts on any activity; an identity account that only holds
//! IAM users in groups allowed to manage their own credentials and MFA and to switch roles;
//! environment accounts kept consistent by one StackSet; a shared-services account; and a
//! locked-down, write-only audit account holding the organization's logs.

pub mod access;
mod five_account;
pub mod guardrails;

pub use access::{
    AccessLevel, Environment, Grant, GrantTarget, GroupSpec, ADMINISTRATOR, AUDITOR, DEVELOPER,
    READ_ONLY,
};
pub use five_account::{
    self_service_policy, FiveAccountLayout, FiveAccountLayoutBuilder, Guardrails, IdentityModel,
    KmsKey, ObjectLock, AUDIT, IDENTITY, ORGANIZATION_ACCESS_ROLE, SHARED_SERVICES,
};
