//! The IAM policy language: actions, condition operators and keys, principals, statements
//! and documents, rendered as [`Value`]s so any part can be an intrinsic.
//!
//! ```
//! use orgstack::iam::{keys, Condition, PolicyDocument, Principal, Statement};
//!
//! let trust = PolicyDocument::new().statement(
//!     Statement::allow()
//!         .principal(Principal::account("111111111111"))
//!         .action("sts:AssumeRole")
//!         .condition(Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true)),
//! );
//! assert!(trust.problems().is_empty());
//! assert_eq!(
//!     orgstack::cfn::render::minified(&trust.to_value()).unwrap(),
//!     concat!(
//!         r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","#,
//!         r#""Principal":{"AWS":{"Fn::Sub":"arn:${AWS::Partition}:iam::111111111111:root"}},"#,
//!         r#""Action":"sts:AssumeRole","#,
//!         r#""Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
//!     )
//! );
//! ```

use crate::cfn::Value;

mod action;
mod condition;
mod document;
mod key;
mod operator;
mod principal;
mod problem;
mod statement;

pub(crate) use action::wildcard_match;
pub use action::{Action, InvalidAction};
pub use condition::Condition;
pub use document::{PolicyDocument, POLICY_VERSION};
pub use key::{keys, ConditionKey};
pub use operator::{BaseOperator, Operator, SetQualifier};
pub use principal::{Principal, PrincipalKind};
pub use problem::PolicyProblem;
pub use statement::{Effect, Statement};

/// One value as itself; none or several as a list.
fn scalar_or_list(mut values: Vec<&Value>) -> Value {
    if values.len() == 1 {
        if let Some(v) = values.pop() {
            return v.clone();
        }
    }
    Value::List(values.into_iter().cloned().collect())
}
