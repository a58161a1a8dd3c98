//! The IAM policy language: actions, condition operators and keys, principals, statements
//! and documents, rendered as [`Value`](crate::cfn::Value)s so any part can be an intrinsic.

mod action;

pub use action::{Action, InvalidAction};
