//! A diff as a pull-request comment (Markdown) or as JSON, and the acknowledgements that
//! let a reviewed change through.

use std::collections::BTreeSet;

use serde::Serialize;

use super::diff::{Change, ChangeClass, Diff, TemplateStatus, TemplateSummary};
use super::files::TemplateKind;

/// The ids of the changes a reviewer accepted, e.g. read from a file committed with the
/// change: one id per line; blank lines and lines starting with `#` are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Acknowledgements {
    ids: BTreeSet<String>,
}

impl Acknowledgements {
    /// None acknowledged.
    pub fn new() -> Self {
        Self::default()
    }

    /// The ids of `text`, one a line (`#` starts a comment line).
    pub fn parse(text: &str) -> Self {
        let ids = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        Acknowledgements { ids }
    }

    /// Acknowledges one more change.
    pub fn insert(&mut self, id: impl Into<String>) {
        self.ids.insert(id.into());
    }

    /// Every acknowledged id, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// Whether the change with this id is acknowledged.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The acknowledged ids no change of `diff` has (stale, or mistyped).
    pub fn unused<'a>(&'a self, diff: &Diff) -> Vec<&'a str> {
        self.ids
            .iter()
            .filter(|id| diff.change(id).is_none())
            .map(String::as_str)
            .collect()
    }
}

impl Diff {
    /// The changes that need an acknowledgement (replacement, update not supported,
    /// dangerous) and do not have one in `acks`.
    pub fn unacknowledged<'a>(&'a self, acks: &Acknowledgements) -> Vec<&'a Change> {
        self.changes
            .iter()
            .filter(|c| c.class.needs_acknowledgement() && !acks.contains(&c.id))
            .collect()
    }

    /// The diff as Markdown for a pull-request comment: a headline, one summary line per
    /// template that changes, then the changes by class, each with its id (acknowledged
    /// ones marked) and what to do instead where CloudFormation cannot.
    pub fn to_markdown(&self, acks: &Acknowledgements) -> String {
        let mut md = String::from("## Assembly diff\n\n");
        if self.is_empty() {
            md.push_str("No change: both assemblies deploy the same.\n");
            return md;
        }
        md.push_str(&headline(self));
        md.push_str("\n\n| template | status | replacement | update not supported | dangerous | safe |\n|---|---|---:|---:|---:|---:|\n");
        let mut unchanged = 0;
        for t in &self.templates {
            if t.status == TemplateStatus::Unchanged {
                unchanged += 1;
                continue;
            }
            md.push_str(&format!(
                "| `{}`{} | {} | {} | {} | {} | {} |\n",
                t.template,
                if t.kind == TemplateKind::StackSetMember {
                    " (member template)"
                } else {
                    ""
                },
                status(t),
                t.replacement,
                t.update_not_supported,
                t.dangerous,
                t.safe
            ));
        }
        if unchanged > 0 {
            md.push_str(&format!(
                "\n{unchanged} other template{} unchanged.\n",
                if unchanged == 1 { "" } else { "s" }
            ));
        }
        for class in ChangeClass::ALL {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if changes.is_empty() {
                continue;
            }
            md.push_str(&format!("\n### {} ({})\n\n", title(class), changes.len()));
            for c in changes {
                let ack = if class.needs_acknowledgement() && acks.contains(&c.id) {
                    " *(acknowledged)*"
                } else {
                    ""
                };
                md.push_str(&format!(
                    "- **{}** `{}` ({}): {}{ack}\n  id: `{}`\n",
                    c.template, c.logical_id, c.resource_type, c.message, c.id
                ));
                if let Some(remedy) = &c.remedy {
                    md.push_str(&format!("  instead: {remedy}\n"));
                }
            }
        }
        let open = self.unacknowledged(acks).len();
        if open > 0 {
            md.push_str(&format!(
                "\n{open} change{} need{} an acknowledgement: add {} id{} to the acknowledgements file once reviewed.\n",
                if open == 1 { "" } else { "s" },
                if open == 1 { "s" } else { "" },
                if open == 1 { "its" } else { "their" },
                if open == 1 { "" } else { "s" },
            ));
        }
        md
    }

    /// The diff as JSON (2-space indented, with a trailing newline): the counts by class,
    /// one summary per template, and every change with its id, class, kind, template,
    /// logical ID, type, property, message, remedy and whether it is acknowledged.
    pub fn to_json(&self, acks: &Acknowledgements) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Counts {
            replacement: usize,
            update_not_supported: usize,
            dangerous: usize,
            safe: usize,
            unacknowledged: usize,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Entry<'a> {
            #[serde(flatten)]
            change: &'a Change,
            acknowledged: bool,
        }
        #[derive(Serialize)]
        struct Report<'a> {
            summary: Counts,
            templates: &'a [TemplateSummary],
            changes: Vec<Entry<'a>>,
        }
        let report = Report {
            summary: Counts {
                replacement: self.count(ChangeClass::Replacement),
                update_not_supported: self.count(ChangeClass::UpdateNotSupported),
                dangerous: self.count(ChangeClass::Dangerous),
                safe: self.count(ChangeClass::Safe),
                unacknowledged: self.unacknowledged(acks).len(),
            },
            templates: &self.templates,
            changes: self
                .changes
                .iter()
                .map(|c| Entry {
                    change: c,
                    acknowledged: c.class.needs_acknowledgement() && acks.contains(&c.id),
                })
                .collect(),
        };
        // Typed structs and ordered data only: the bytes do not depend on serde_json's
        // map order.
        let mut json = serde_json::to_string_pretty(&report).unwrap_or_default();
        json.push('\n');
        json
    }
}

fn headline(d: &Diff) -> String {
    let parts: Vec<String> = ChangeClass::ALL
        .iter()
        .map(|&c| (c, d.count(c)))
        .filter(|&(_, n)| n > 0)
        .map(|(c, n)| format!("**{n}** {}", c.as_str()))
        .collect();
    parts.join(", ")
}

fn title(c: ChangeClass) -> &'static str {
    match c {
        ChangeClass::Replacement => "Replacement",
        ChangeClass::UpdateNotSupported => "Update not supported",
        ChangeClass::Dangerous => "Dangerous",
        ChangeClass::Safe => "Safe",
    }
}

fn status(t: &TemplateSummary) -> &'static str {
    match t.status {
        TemplateStatus::Added => "new",
        TemplateStatus::Removed => "gone",
        TemplateStatus::Changed => "changed",
        TemplateStatus::Unchanged => "unchanged",
    }
}
