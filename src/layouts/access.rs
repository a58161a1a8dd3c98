//! Access levels (roles in member accounts) and groups (in the identity account) that map
//! onto them.

use crate::org::{AccountHandle, OuHandle};

/// A role deployed to every member account of the environments and shared services,
/// identical everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessLevel {
    /// The role's name, e.g. `developer`.
    pub role_name: String,
    /// The AWS managed policy it gets, e.g. `PowerUserAccess`.
    pub managed_policy: String,
}

impl AccessLevel {
    /// An access level: a role named `role_name` with the AWS managed policy given.
    pub fn new(role_name: impl Into<String>, managed_policy: impl Into<String>) -> Self {
        AccessLevel {
            role_name: role_name.into(),
            managed_policy: managed_policy.into(),
        }
    }

    /// The defaults: `administrator` (AdministratorAccess), `developer` (PowerUserAccess),
    /// `read-only` (ReadOnlyAccess).
    pub fn defaults() -> Vec<AccessLevel> {
        vec![
            AccessLevel::new(ADMINISTRATOR, "AdministratorAccess"),
            AccessLevel::new(DEVELOPER, "PowerUserAccess"),
            AccessLevel::new(READ_ONLY, "ReadOnlyAccess"),
        ]
    }
}

/// Name of the default administrator role.
pub const ADMINISTRATOR: &str = "administrator";
/// Name of the default developer role.
pub const DEVELOPER: &str = "developer";
/// Name of the default read-only role.
pub const READ_ONLY: &str = "read-only";
/// Name of the auditors' role in the audit account.
pub const AUDITOR: &str = "auditor";

/// Where a grant applies: one of the layout's parts, or any OU or account of the
/// organization (every account below an OU, now and later).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GrantTarget {
    /// Accounts of non-production environments.
    NonProd,
    /// Accounts of production environments.
    Prod,
    /// The shared-services account.
    SharedServices,
    /// The audit account (only the auditor role lives there).
    Audit,
    /// Every account under an OU.
    Ou(OuHandle),
    /// One account.
    Account(AccountHandle),
}

impl From<OuHandle> for GrantTarget {
    fn from(ou: OuHandle) -> Self {
        GrantTarget::Ou(ou)
    }
}

impl From<&OuHandle> for GrantTarget {
    fn from(ou: &OuHandle) -> Self {
        GrantTarget::Ou(*ou)
    }
}

impl From<AccountHandle> for GrantTarget {
    fn from(a: AccountHandle) -> Self {
        GrantTarget::Account(a)
    }
}

impl From<&AccountHandle> for GrantTarget {
    fn from(a: &AccountHandle) -> Self {
        GrantTarget::Account(a.clone())
    }
}

/// Permission for a group to switch into one role in some parts of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Grant {
    /// The role name (an [`AccessLevel`]'s or [`AUDITOR`]).
    pub role_name: String,
    /// Where.
    pub targets: Vec<GrantTarget>,
}

impl Grant {
    /// `role_name` wherever `targets` say.
    pub fn new<T: Into<GrantTarget>>(
        role_name: impl Into<String>,
        targets: impl IntoIterator<Item = T>,
    ) -> Self {
        Grant {
            role_name: role_name.into(),
            targets: targets.into_iter().map(Into::into).collect(),
        }
    }
}

/// A group of the identity account: its users may manage their own credentials and MFA and
/// switch into the roles granted, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupSpec {
    /// The group's name, e.g. `developers`.
    pub name: String,
    /// The roles it may assume, and where.
    pub grants: Vec<Grant>,
}

impl GroupSpec {
    /// A group with its grants.
    pub fn new(name: impl Into<String>, grants: impl IntoIterator<Item = Grant>) -> Self {
        GroupSpec {
            name: name.into(),
            grants: grants.into_iter().collect(),
        }
    }

    /// The defaults: `administrators` (administrator everywhere, auditor in the audit
    /// account), `developers` (developer in non-production, read-only in production and
    /// shared services), `read-only` (read-only everywhere).
    pub fn defaults() -> Vec<GroupSpec> {
        use GrantTarget::*;
        vec![
            GroupSpec::new(
                "administrators",
                [
                    Grant::new(ADMINISTRATOR, [NonProd, Prod, SharedServices]),
                    Grant::new(AUDITOR, [Audit]),
                ],
            ),
            GroupSpec::new(
                "developers",
                [
                    Grant::new(DEVELOPER, [NonProd]),
                    Grant::new(READ_ONLY, [Prod, SharedServices]),
                ],
            ),
            GroupSpec::new(
                "read-only",
                [Grant::new(READ_ONLY, [NonProd, Prod, SharedServices])],
            ),
        ]
    }
}

/// An environment account (dev, staging, prod…).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Environment {
    /// The environment's name, lower case, e.g. `staging`.
    pub name: String,
    /// Whether it is production.
    pub production: bool,
}

impl Environment {
    /// A non-production environment.
    pub fn non_prod(name: impl Into<String>) -> Self {
        Environment {
            name: name.into(),
            production: false,
        }
    }

    /// A production environment.
    pub fn prod(name: impl Into<String>) -> Self {
        Environment {
            name: name.into(),
            production: true,
        }
    }

    /// `dev` and `staging` (non-production) and `prod`.
    pub fn defaults() -> Vec<Environment> {
        vec![
            Environment::non_prod("dev"),
            Environment::non_prod("staging"),
            Environment::prod("prod"),
        ]
    }
}
