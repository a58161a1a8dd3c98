//! Reading a spec's text: syntax errors with their line and column, shape errors (unknown,
//! mistyped or missing fields) with their JSON paths, every one of them at once.
//!
//! The text is read straight into [`OrgSpec`] (so maps keep document order). When that
//! fails on the shape, the text is read again as a JSON tree and deserialized over and
//! over, each time without the part the last error was in, to find the other errors: a
//! field the spec does not know is left out, a mistyped list element is left out, and
//! otherwise the top-level field holding the error is. Each is placed in the text by an
//! index of where every value starts, and they are reported in the order of the text.

use std::collections::BTreeMap;

use serde_path_to_error::{Path, Segment};

use super::error::{ShapeProblem, SpecError};
use super::policy::child;
use super::position::positions;
use super::OrgSpec;

/// At most this many shape problems are reported.
const MAX_PROBLEMS: usize = 100;

/// Reads a spec from its JSON text.
pub(crate) fn parse(text: &str) -> Result<OrgSpec, SpecError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let first = match serde_path_to_error::deserialize::<_, OrgSpec>(&mut de) {
        Ok(spec) => match de.end() {
            Ok(()) => return Ok(spec),
            Err(e) => return Err(syntax(&e)),
        },
        Err(e) => e,
    };
    if first.inner().is_syntax() || first.inner().is_eof() || first.inner().is_io() {
        return Err(syntax(first.inner()));
    }
    // A syntax error further on matters more than a shape error before it.
    let mut tree: serde_json::Value = serde_json::from_str(text).map_err(|e| syntax(&e))?;
    let index = positions(text);
    let place_of = |segments: &[Segment]| {
        (0..=segments.len())
            .rev()
            .find_map(|k| index.get(&to_json_path(&segments[..k])).copied())
    };
    let mut problems: Vec<ShapeProblem> = Vec::new();
    // Elements left out so far, by the original path of their list: later errors are
    // reported at the indices of the text, not of the pruned tree.
    let mut removed: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    while problems.len() < MAX_PROBLEMS {
        let err = match serde_path_to_error::deserialize::<_, OrgSpec>(&tree) {
            Ok(_) => break,
            Err(e) => e,
        };
        let pruned: Vec<Segment> = err.path().iter().cloned().collect();
        let message = err.inner().to_string();
        let (_, drop) = locate(&pruned, &message);
        let original = original_indices(&pruned, &removed);
        let (path, unknown) = locate(&original, &message);
        // An unknown field is placed at its value, anything else at the value at fault
        // (for a missing field, the object it is missing from).
        let place = match named_field(&message) {
            Some((_, true)) => unknown,
            _ => original,
        };
        problems.push(ShapeProblem {
            path,
            position: place_of(&place),
            message,
        });
        if !remove(&mut tree, &drop) {
            break;
        }
        if let Some(Segment::Seq { .. }) = drop.last() {
            let original = original_indices(&drop, &removed);
            if let Some((Segment::Seq { index }, list)) = original.split_last() {
                let list = removed.entry(to_json_path(list)).or_default();
                list.push(*index);
                list.sort_unstable();
            }
        }
    }
    if problems.is_empty() {
        // The tree deserialized although the text did not: report what the text said.
        let segments: Vec<Segment> = first.path().iter().cloned().collect();
        problems.push(ShapeProblem {
            path: json_path(first.path(), first.inner()),
            position: place_of(&segments),
            message: strip_position(&first.inner().to_string()),
        });
    }
    // In the order of the text.
    problems.sort_by_key(|p| p.position.unwrap_or((usize::MAX, usize::MAX)));
    Err(SpecError::Shape(problems))
}

fn syntax(e: &serde_json::Error) -> SpecError {
    SpecError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

/// serde_json's message without its own ` at line L column C`.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The field a message names: unknown field `x`, missing field `x`.
fn named_field(message: &str) -> Option<(&str, bool)> {
    for (prefix, unknown) in [("unknown field `", true), ("missing field `", false)] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return rest.split_once('`').map(|(name, _)| (name, unknown));
        }
    }
    None
}

/// `segments` of the pruned tree with each list index as it was in the text.
fn original_indices(segments: &[Segment], removed: &BTreeMap<String, Vec<usize>>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for s in segments {
        match s {
            Segment::Seq { index } => {
                let mut original = *index;
                if let Some(gone) = removed.get(&to_json_path(&out)) {
                    for g in gone {
                        if *g <= original {
                            original += 1;
                        }
                    }
                }
                out.push(Segment::Seq { index: original });
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// A path of segments as a JSON path.
fn to_json_path(segments: &[Segment]) -> String {
    let mut out = String::from("$");
    for s in segments {
        match s {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => out = child(&out, key),
            Segment::Enum { variant } => out = child(&out, variant),
            Segment::Unknown => out.push_str("[?]"),
        }
    }
    out
}

fn json_path(path: &Path, e: &serde_json::Error) -> String {
    let segments: Vec<Segment> = path.iter().cloned().collect();
    locate(&segments, &strip_position(&e.to_string())).0
}

/// The JSON path a problem is reported at, and the part of the tree to drop to look for
/// the next one.
fn locate(segments: &[Segment], message: &str) -> (String, Vec<Segment>) {
    let base = to_json_path(segments);
    match named_field(message) {
        Some((name, true)) => {
            // The path may end at the unknown field already.
            let mut drop = segments.to_vec();
            if !matches!(segments.last(), Some(Segment::Map { key }) if key == name) {
                drop.push(Segment::Map {
                    key: name.to_owned(),
                });
            }
            (to_json_path(&drop), drop)
        }
        Some((name, false)) => (child(&base, name), enclosing(segments)),
        None => (base, enclosing(segments)),
    }
}

/// The deepest list element holding the path, else the top-level field.
fn enclosing(segments: &[Segment]) -> Vec<Segment> {
    match segments
        .iter()
        .rposition(|s| matches!(s, Segment::Seq { .. }))
    {
        Some(i) => segments[..=i].to_vec(),
        None => segments.iter().take(1).cloned().collect(),
    }
}

/// Removes the node at `path` from the tree; false if there is none.
fn remove(tree: &mut serde_json::Value, path: &[Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = tree;
    for s in parents {
        node = match (s, node) {
            (Segment::Seq { index }, serde_json::Value::Array(items)) => {
                match items.get_mut(*index) {
                    Some(n) => n,
                    None => return false,
                }
            }
            (Segment::Map { key }, serde_json::Value::Object(map)) => match map.get_mut(key) {
                Some(n) => n,
                None => return false,
            },
            // An enum variant is a key of its object (`{"ou": "…"}`).
            (Segment::Enum { variant }, serde_json::Value::Object(map)) => {
                match map.get_mut(variant) {
                    Some(n) => n,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match (last, node) {
        (Segment::Seq { index }, serde_json::Value::Array(items)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        (Segment::Map { key }, serde_json::Value::Object(map)) => map.remove(key).is_some(),
        (Segment::Enum { variant }, serde_json::Value::Object(map)) => {
            map.remove(variant).is_some()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<ShapeProblem> {
        match parse(text) {
            Err(SpecError::Shape(p)) => p,
            other => panic!("expected shape problems, got {other:?}"),
        }
    }

    #[test]
    fn a_syntax_error_has_its_line_and_column() {
        match parse("{\n  \"stack\": \"Management\",\n  \"accounts\": [\n}") {
            Err(SpecError::Syntax { line, column, .. }) => assert_eq!((line, column), (4, 1)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_syntax_error_after_a_shape_error_wins() {
        assert!(matches!(
            parse("{\"stack\": 1,\n \"accounts\": [}"),
            Err(SpecError::Syntax { line: 2, .. })
        ));
    }

    #[test]
    fn every_shape_problem_is_found_with_its_path() {
        let problems = shape(
            r#"{
  "stak": "x",
  "accounts": [
    {"name": "A", "email": 3},
    {"name": "B"},
    {"name": "C", "email": "c@example.com", "colour": "red"}
  ],
  "layout": {"name": "acme", "mfa_max_age": "long"}
}"#,
        );
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.stak",
                "$.accounts[0].email",
                "$.accounts[1].email",
                "$.accounts[2].colour",
                "$.layout.mfa_max_age",
            ]
        );
        assert_eq!(problems[0].position, Some((2, 11)));
        assert!(problems[2].message.starts_with("missing field `email`"));
    }

    #[test]
    fn trailing_text_is_a_syntax_error() {
        assert!(matches!(parse("{} x"), Err(SpecError::Syntax { .. })));
    }
}
