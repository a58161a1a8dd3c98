//! Checkov metadata for the resources that deliberately fail a check, with the reason.

use crate::cfn::Value;
use crate::obj;

/// Checkov's `skip` metadata: each check's id with the reason it does not apply.
pub(super) fn checkov_skip(skips: &[(&str, &str)]) -> Value {
    obj! {
        "skip" => Value::List(
            skips
                .iter()
                .map(|(id, why)| obj! { "id" => *id, "comment" => *why })
                .collect(),
        ),
    }
}
