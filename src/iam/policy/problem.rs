//! Problems found in a policy document.

use std::fmt;

use crate::{Diagnostic, Rule};

/// One thing IAM (or Organizations) would reject in a policy document, found before deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// The rule broken.
    pub rule: Rule,
    /// The offending value: an action, a Sid, an operator, or the statement at fault.
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl PolicyProblem {
    pub(crate) fn new(
        rule: Rule,
        value: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> PolicyProblem {
        PolicyProblem {
            rule,
            value: value.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// This problem as a [`Diagnostic`] of the construct at `path`.
    pub fn to_diagnostic(&self, path: impl Into<String>) -> Diagnostic {
        Diagnostic::new(path, self.rule, &self.value, &self.message, &self.hint)
    }
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {} (value: `{}`); hint: {}",
            self.rule, self.message, self.value, self.hint
        )
    }
}
