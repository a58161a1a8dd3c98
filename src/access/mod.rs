//! An offline access simulator over the synthesized organization.
//!
//! (Module guide written below.)

mod builtin;
mod eval;
mod matching;
mod model;
mod policy;
mod request;
mod simulator;

pub use builtin::{aws_managed, unknown, KNOWN_AWS_MANAGED};
pub use eval::{applies, condition, evaluate, Applied, Evaluation, Verdict};
pub use matching::{arn_like, glob, resource_matches, substitute, Tri};
pub use policy::{
    parse_document, value_from_json, Literal, Policy, Resolve, ResolvedCondition,
    ResolvedStatement, Text,
};
pub use request::{Context, Request, Who};
pub use simulator::{
    Auth, Caller, Decision, GroupId, Inputs, Path, RoleId, Simulator, Step, RCP_SERVICES,
};

/// What the simulator refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// A value is not a policy document.
    #[error("not a policy document: {0}")]
    Policy(String),
    /// An account that is not in the app.
    #[error("the account {0} is not in the app")]
    UnknownAccount(String),
    /// A group that is not deployed in the account.
    #[error("the group {0} is not deployed in that account")]
    UnknownGroup(String),
    /// A role that is not deployed in the account.
    #[error("no role `{0}` is deployed in that account")]
    UnknownRole(String),
}
