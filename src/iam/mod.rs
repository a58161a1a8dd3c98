//! IAM: the policy language and the IAM constructs.
pub mod policy;
pub use policy::*;
