//! IAM: the policy language and the IAM constructs (roles, groups, managed policies).
mod checks;
mod group;
mod identity;
mod managed_policy;
pub mod policy;
mod role;

pub(crate) use checks::is_iam_name;
pub use group::{Group, GroupHandle};
pub use identity::ManagedPolicyRef;
pub use managed_policy::{ManagedPolicy, ManagedPolicyHandle};
pub use policy::*;
pub use role::requires_mfa;
pub use role::{Role, RoleHandle};
