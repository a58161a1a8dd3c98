//! IAM: the policy language and the IAM constructs (roles, groups, managed policies).
pub(crate) mod checks;
mod group;
mod identity;
mod managed_policy;
pub mod policy;
mod role;

pub(crate) use group::GroupData;
pub use group::{Group, GroupHandle};
pub(crate) use identity::is_policy_name_char;
pub use identity::ManagedPolicyRef;
pub(crate) use managed_policy::ManagedPolicyData;
pub use managed_policy::{ManagedPolicy, ManagedPolicyHandle};
pub use policy::{
    keys, Action, BaseOperator, Condition, ConditionKey, Effect, InvalidAction, Operator,
    PolicyDocument, PolicyProblem, Principal, PrincipalKind, SetQualifier, Statement,
    POLICY_VERSION,
};
pub use role::requires_mfa;
pub(crate) use role::RoleData;
pub use role::{Role, RoleHandle, RoleView};
