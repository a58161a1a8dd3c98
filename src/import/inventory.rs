//! What an organization holds, typed, as the export lists it.

use crate::aws::{AccountId, Email, OrganizationId, OuId, PolicyId, RootId};
use crate::cfn::Value;
use crate::org::PolicyType;

/// Everything an export holds, in the order the AWS CLI listed it: OUs breadth first from
/// the root, accounts parent by parent in the same order, policies type by type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Inventory {
    /// The organization (`describe-organization`).
    pub organization: OrganizationInfo,
    /// The root (`list-roots`).
    pub root: RootInfo,
    /// Every OU.
    pub ous: Vec<OuInfo>,
    /// Every account, the management account included.
    pub accounts: Vec<AccountInfo>,
    /// Every policy of the types enabled on the root, AWS's own included.
    pub policies: Vec<PolicyInfo>,
}

/// The organization.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrganizationInfo {
    /// Its id (`o-…`).
    pub id: OrganizationId,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// The management account's id.
    pub management_account_id: AccountId,
}

/// The organization's root.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RootInfo {
    /// Its id (`r-…`).
    pub id: RootId,
    /// The policy types enabled on it.
    pub policy_types: Vec<PolicyType>,
}

/// Where an OU or an account sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParentId {
    /// The root.
    Root(RootId),
    /// An OU.
    Ou(OuId),
}

/// What a policy is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TargetId {
    /// The root.
    Root(RootId),
    /// An OU.
    Ou(OuId),
    /// An account.
    Account(AccountId),
}

/// An organizational unit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OuInfo {
    /// Its id.
    pub id: OuId,
    /// Its name.
    pub name: String,
    /// Where it sits.
    pub parent: ParentId,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountInfo {
    /// Its id.
    pub id: AccountId,
    /// Its name.
    pub name: String,
    /// The e-mail address of its root user.
    pub email: Email,
    /// `ACTIVE`, `SUSPENDED` or `PENDING_CLOSURE`.
    pub status: String,
    /// Where it sits.
    pub parent: ParentId,
}

impl AccountInfo {
    /// Whether the account is active (not suspended or closing).
    pub fn is_active(&self) -> bool {
        self.status == "ACTIVE"
    }
}

/// An Organizations policy.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PolicyInfo {
    /// Its id.
    pub id: PolicyId,
    /// Its name.
    pub name: String,
    /// Its description (empty when it has none).
    pub description: String,
    /// Its type.
    pub policy_type: PolicyType,
    /// Whether AWS manages it (`FullAWSAccess`…): it cannot be adopted.
    pub aws_managed: bool,
    /// Its content, parsed, keys in the order they are written.
    pub content: Value,
    /// What it is attached to, in the order listed.
    pub targets: Vec<TargetId>,
}

impl Inventory {
    /// The OU with this id.
    pub fn ou(&self, id: &OuId) -> Option<&OuInfo> {
        self.ous.iter().find(|o| &o.id == id)
    }

    /// The management account, if the export lists it.
    pub fn management_account(&self) -> Option<&AccountInfo> {
        self.accounts
            .iter()
            .find(|a| a.id == self.organization.management_account_id)
    }
}
