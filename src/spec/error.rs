//! What can be wrong with a spec: its JSON, its shape, or the foundation it describes.

use std::fmt;

use crate::error::{Diagnostic, Diagnostics};

/// A spec that cannot become a foundation, with every problem found.
///
/// Each names where in the JSON it is: a line and column for JSON that does not parse, a
/// JSON path (`$.accounts[2].email`) for the rest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The text is not JSON.
    #[error("line {line}, column {column}: the spec is not valid JSON: {message}")]
    Syntax {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What the parser found.
        message: String,
    },
    /// The JSON is not shaped like a spec: unknown fields, wrong types, missing fields,
    /// every one found, in the order of the text.
    #[error("{}", ShapeList(.0))]
    Shape(Vec<ShapeProblem>),
    /// The foundation the spec describes breaks rules; each diagnostic's
    /// [`source`](Diagnostic::source) is the JSON path of the value at fault.
    #[error("{}", SourcedList(.0))]
    Validation(Diagnostics),
    /// Synthesis failed for another reason than validation: rendering or writing.
    #[error("synthesis failed")]
    Synth(#[source] crate::Error),
}

impl SpecError {
    /// The JSON paths of the problems (empty for [`SpecError::Syntax`] and
    /// [`SpecError::Synth`]).
    pub fn json_paths(&self) -> Vec<&str> {
        match self {
            SpecError::Shape(problems) => problems.iter().map(|p| p.path.as_str()).collect(),
            SpecError::Validation(d) => d.iter().filter_map(|d| d.source.as_deref()).collect(),
            _ => Vec::new(),
        }
    }

    /// Every problem as a compiler prints it, one a line in the order of the text, each
    /// starting with `<file>:<line>:<column>:` of the value at fault in `text` (the spec's
    /// JSON, named `file`), then its JSON path and what is wrong.
    ///
    /// ```
    /// use orgstack::spec::OrgSpec;
    /// let text = "{\n  \"accounts\": [\n    { \"name\": \"A\", \"email\": \"nope\" }\n  ]\n}";
    /// let err = OrgSpec::from_json(text)?.to_app()?.synth().unwrap_err();
    /// let report = err.report("spec.json", text);
    /// assert!(report.starts_with("spec.json:3:29: $.accounts[0].email: Management/"), "{report}");
    /// # Ok::<(), orgstack::spec::SpecError>(())
    /// ```
    pub fn report(&self, file: &str, text: &str) -> String {
        let lines: Vec<String> = match self {
            SpecError::Syntax {
                line,
                column,
                message,
            } => vec![format!(
                "{file}:{line}:{column}: the spec is not valid JSON: {message}"
            )],
            SpecError::Shape(problems) => problems
                .iter()
                .map(|p| match p.position {
                    Some((l, c)) => format!("{file}:{l}:{c}: {}: {}", p.path, p.message),
                    None => format!("{file}: {}: {}", p.path, p.message),
                })
                .collect(),
            SpecError::Validation(d) => {
                let index = super::position::positions(text);
                let mut placed: Vec<(Option<(usize, usize)>, String)> = d
                    .iter()
                    .map(|d| {
                        let source = d.source.as_deref().unwrap_or("$");
                        match super::position::nearest(&index, source) {
                            Some((l, c)) => {
                                (Some((l, c)), format!("{file}:{l}:{c}: {source}: {d}"))
                            }
                            None => (None, format!("{file}: {source}: {d}")),
                        }
                    })
                    .collect();
                // In the order of the text, as the shape problems are.
                placed.sort_by_key(|(at, _)| at.unwrap_or((usize::MAX, usize::MAX)));
                placed.into_iter().map(|(_, line)| line).collect()
            }
            SpecError::Synth(e) => {
                let mut line = format!("{file}: {e}");
                let mut cause = std::error::Error::source(e);
                while let Some(c) = cause {
                    line.push_str(&format!(": {c}"));
                    cause = c.source();
                }
                vec![line]
            }
        };
        // One problem to a line, whatever a value holds.
        let lines: Vec<_> = lines.iter().map(|l| crate::error::one_line(l)).collect();
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// The diagnostics of a [`SpecError::Validation`]; empty otherwise.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            SpecError::Validation(d) => &d.0,
            _ => &[],
        }
    }
}

/// One way the JSON is not shaped like a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShapeProblem {
    /// The JSON path of the field, e.g. `$.accounts[2].email` (for a missing field, where it
    /// belongs).
    pub path: String,
    /// Where it is in the text: the line and column (from 1, columns in characters) where
    /// the value at fault starts (for a missing field, the object it is missing from).
    pub position: Option<(usize, usize)>,
    /// What is wrong, as the parser says it.
    pub message: String,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

struct ShapeList<'a>(&'a [ShapeProblem]);

impl fmt::Display for ShapeList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "the spec is not shaped like an OrgSpec: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0 {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

struct SourcedList<'a>(&'a Diagnostics);

impl fmt::Display for SourcedList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "the spec describes a foundation with {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for d in self.0.iter() {
            write!(f, "\n  - {}: {d}", d.source.as_deref().unwrap_or("$"))?;
        }
        Ok(())
    }
}
