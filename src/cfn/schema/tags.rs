//! The tag rules of the resource schemas: how many tags a resource takes, each key once,
//! and the characters of keys and values.

use super::{Problem, Rule, Value};

/// Tags a resource takes at most (the IAM and StackSet schemas; AWS's limit for
/// user-defined tags on any resource).
const MAX_TAGS: usize = 50;

/// `[{"Key": …, "Value": …}]`: at most 50 tags, each key once (IAM compares keys without
/// case), every literal key and value by `tag_problem`.
pub(super) fn tags(ty: &str, value: &Value, out: &mut Vec<Problem>) {
    let Value::List(items) = value.get() else {
        return;
    };
    if items.len() > MAX_TAGS {
        out.push(Problem::new(
            Rule::Tag,
            format!("{} tags", items.len()),
            format!(
                "the resource has {} tags; it takes at most {MAX_TAGS}",
                items.len()
            ),
            "drop the tags nobody filters or reports on",
        ));
    }
    let ignore_case = ty.starts_with("AWS::IAM::");
    let mut keys: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(items.len());
    for item in items {
        let Value::Map(m) = item.get() else { continue };
        let (Some(k), Some(v)) = (
            m.get("Key").and_then(Value::as_str),
            m.get("Value").and_then(Value::as_str),
        ) else {
            continue;
        };
        if let Some((why, fix)) = tag_problem(ty, k, v) {
            out.push(Problem::new(Rule::Tag, shown(k, v), why, fix));
        }
        let key = if ignore_case {
            std::borrow::Cow::Owned(k.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(k)
        };
        if keys.contains(&key) {
            out.push(Problem::new(
                Rule::Tag,
                shown(k, v),
                if ignore_case {
                    "the resource already has a tag of this key (IAM compares tag keys without case)"
                } else {
                    "the resource already has a tag of this key"
                },
                "give each key one value: drop or rename one of the tags",
            ));
        } else {
            keys.push(key);
        }
    }
}

/// A tag as a diagnostic shows it: key and value quoted, so that an empty or blank one
/// shows as such.
fn shown(key: &str, value: &str) -> String {
    format!("{key:?}: {value:?}")
}

/// `\p{Z}`: the space separators, the line separator and the paragraph separator.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Why a tag of a resource of type `ty` is refused. Most types take the pattern
/// `^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$` (the Organizations, IAM and most schemas' tag rule; a
/// control character such as a tab or a line break is none of these); a StackSet's keys
/// are `^(?!aws:)[a-zA-Z0-9\s:_./=+-]+$` and its values 1 to 256 characters.
fn tag_problem(ty: &str, key: &str, value: &str) -> Option<(&'static str, &'static str)> {
    let ok = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || is_separator(c) || "_.:/=+-@".contains(c))
    };
    let stack_set = ty == "AWS::CloudFormation::StackSet";
    if key.is_empty() {
        return Some((
            "a tag needs a key of 1 to 128 characters; this one has none",
            "give the tag a key, e.g. `.tag(\"team\", value)`",
        ));
    }
    if key.chars().count() > 128 {
        return Some((
            "a tag key must be 1 to 128 characters",
            "shorten the key to at most 128 characters",
        ));
    }
    if value.chars().count() > 256 {
        return Some((
            "a tag value must be at most 256 characters",
            "shorten the value to at most 256 characters",
        ));
    }
    if stack_set && value.is_empty() {
        return Some((
            "a StackSet's tag value must be 1 to 256 characters",
            "give the tag a value, or drop it",
        ));
    }
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return Some((
            "tag keys starting with `aws:` are reserved",
            "drop the `aws:` prefix, or use a prefix of your own such as `acme:`",
        ));
    }
    if key.chars().chain(value.chars()).any(char::is_control) {
        return Some((
            "tags may not hold control characters such as tabs or line breaks",
            "replace tabs and line breaks with spaces",
        ));
    }
    if stack_set {
        if !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" :_./=+-".contains(&b))
        {
            return Some((
                "a StackSet's tag keys may hold ASCII letters, digits, spaces and :_./=+- only",
                "drop or replace the other characters of the key",
            ));
        }
        return None;
    }
    if !ok(key) || !ok(value) {
        return Some((
            "tags may hold letters, digits, spaces and _.:/=+-@ only",
            "drop or replace the other characters",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        const OU: &str = "AWS::Organizations::OrganizationalUnit";
        assert_eq!(tag_problem(OU, "team", "platform"), None);
        assert_eq!(tag_problem(OU, "cost centre", "Équipe 7"), None);
        assert!(tag_problem(OU, "aws:x", "y").is_some());
        assert!(tag_problem(OU, "AWS:x", "y").is_some());
        assert!(tag_problem(OU, "a", "b#").is_some());
        assert!(tag_problem(OU, "a", "line\nbreak").is_some());
        assert!(tag_problem(OU, "", "b").is_some());
        let set = "AWS::CloudFormation::StackSet";
        assert!(tag_problem(set, "a", "").is_some());
        assert!(tag_problem(set, "owner@", "x").is_some());
        assert_eq!(tag_problem(set, "team", "x"), None);
    }
}
