//! # orgstack
//!
//! Describe an AWS multi-account foundation as typed Rust constructs and synthesize it into
//! CloudFormation templates and StackSets that deploy as they are.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod cfn;
mod error;
pub mod iam;
pub mod layouts;
pub mod org;
mod quotas;
pub mod stackset;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use app::{App, Construct, DeployStep, ParameterHandle, ResourceHandle, StackHandle};
pub use error::{Diagnostic, Diagnostics, Error, Result, Rule};
pub use quotas::Quotas;
