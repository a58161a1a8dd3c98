//! Errors of the testing module: templates that cannot be read, and assertions that fail.

use std::fmt;
use std::path::PathBuf;

/// A template could not be read or parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The text is not valid JSON.
    #[error("template `{name}` is not valid JSON")]
    Parse {
        /// The template's name.
        name: String,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// The JSON is valid but its top level is not an object.
    #[error("template `{name}` is not a JSON object")]
    NotAnObject {
        /// The template's name.
        name: String,
    },
    /// A section (`Resources`, `Outputs`, `Parameters`) is present but not an object.
    #[error("template `{name}`: section `{section}` is not a JSON object")]
    InvalidSection {
        /// The template's name.
        name: String,
        /// The section's key.
        section: String,
    },
    /// The assembly has no stack of that name.
    #[error("the assembly has no stack `{name}`; it has: {}", available.join(", "))]
    UnknownStack {
        /// The name asked for.
        name: String,
        /// The names it has.
        available: Vec<String>,
    },
    /// The assembly holds no template for the construct asked for (a handle of another
    /// app, a path that names nothing, a construct left out of every template).
    #[error("the assembly has no template for {construct}")]
    UnknownConstruct {
        /// The construct, as asked for.
        construct: String,
    },
    /// The template file could not be read.
    #[error("could not read template file `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// A template assertion did not hold.
///
/// The panicking assertions of [`Template`](super::Template) panic with this error's
/// [`Display`](fmt::Display); their `try_` twins return it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AssertionError {
    /// A template does not hold the expected number of resources of a type.
    #[error(fmt = resource_count)]
    ResourceCount {
        /// The template's name.
        template: String,
        /// The resource type, e.g. `AWS::IAM::Role`.
        resource_type: String,
        /// How many resources were expected.
        expected: usize,
        /// The logical ids of the resources found, in document order.
        found: Vec<String>,
    },
    /// No resource, output or parameter matched what was expected.
    #[error(fmt = no_match)]
    NoMatch {
        /// The template's name.
        template: String,
        /// What was looked for, e.g. ``no AWS::IAM::Role resource has properties matching {…}``,
        /// and, when nothing was there to compare, why (e.g. the resource types present).
        summary: String,
        /// The expected value, as a [`Matcher`](super::Matcher) description.
        expected: String,
        /// How many items were compared.
        searched: usize,
        /// The closest candidates (at most three), best first.
        candidates: Vec<Candidate>,
    },
}

/// One item that was compared and did not match: where and how it differs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Candidate {
    /// Its logical id (or output or parameter name).
    pub logical_id: String,
    /// How many of the expected values it satisfies.
    pub satisfied: usize,
    /// How many expected values there are in all.
    pub total: usize,
    /// Where it differs.
    pub mismatches: Vec<Mismatch>,
}

/// One place where an actual value differs from the expected one.
///
/// ```
/// use orgstack::testing::Matcher;
/// use serde_json::json;
///
/// let m = Matcher::object_like(json!({ "RoleName": "Admin" }));
/// let found = m.mismatches(&json!({ "RoleName": "Ops" }));
/// assert_eq!(found[0].path, "/RoleName");
/// assert_eq!(found[0].to_string(), r#"/RoleName: expected "Admin", found "Ops""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// A JSON Pointer (RFC 6901) to the place, e.g. `/Properties/RoleName`; `(json)` marks
    /// the step into a string parsed by [`Matcher::serialized_json`](super::Matcher::serialized_json).
    pub path: String,
    /// What differs there, e.g. `expected "true", found "false"` or `missing`.
    pub message: String,
}

impl Mismatch {
    pub(crate) fn new(path: &str, message: impl Into<String>) -> Self {
        Mismatch {
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

fn resource_count(
    template: &String,
    resource_type: &String,
    expected: &usize,
    found: &[String],
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let s = if *expected == 1 { "" } else { "s" };
    write!(
        f,
        "template `{template}`: expected {expected} resource{s} of type {resource_type}, found {}",
        found.len()
    )?;
    if !found.is_empty() {
        write!(f, " ({})", found.join(", "))?;
    }
    Ok(())
}

fn no_match(
    template: &String,
    summary: &String,
    _expected: &String,
    searched: &usize,
    candidates: &[Candidate],
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    write!(f, "template `{template}`: {summary}")?;
    if candidates.is_empty() {
        return Ok(());
    }
    let shown = candidates.len();
    if shown == *searched {
        write!(f, "\nclosest candidates:")?;
    } else {
        write!(f, "\nclosest candidates ({shown} of {searched}):")?;
    }
    for c in candidates {
        write!(
            f,
            "\n  {} (satisfies {} of {} expected values):",
            c.logical_id, c.satisfied, c.total
        )?;
        for m in &c.mismatches {
            write!(f, "\n    {m}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_send_sync() {
        fn check<T: Send + Sync + std::error::Error>() {}
        check::<TemplateError>();
        check::<AssertionError>();
    }

    #[test]
    fn resource_count_message() {
        let e = AssertionError::ResourceCount {
            template: "Org".into(),
            resource_type: "AWS::IAM::Role".into(),
            expected: 1,
            found: vec![],
        };
        assert_eq!(
            e.to_string(),
            "template `Org`: expected 1 resource of type AWS::IAM::Role, found 0"
        );
    }

    #[test]
    fn root_path_is_named() {
        assert_eq!(Mismatch::new("", "missing").to_string(), "(root): missing");
    }
}
