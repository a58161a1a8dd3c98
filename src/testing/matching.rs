//! Checking a value against a [`Matcher`]: where it differs, and how much of it matched.

use serde_json::Value;

use super::error::Mismatch;
use super::matcher::{quote, Kind, Matcher};

/// The result of matching one value: where it differs and how much of it matched.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) mismatches: Vec<Mismatch>,
    pub(crate) satisfied: usize,
}

impl Outcome {
    fn fail(&mut self, path: &str, message: impl Into<String>) {
        self.mismatches.push(Mismatch::new(path, message));
    }
}

impl Matcher {
    /// Matches `actual` (`None` when the key is missing) at `path`.
    pub(crate) fn outcome(&self, actual: Option<&Value>, path: &str) -> Outcome {
        let mut out = Outcome::default();
        self.check(actual, path, &mut out);
        out
    }

    /// How many expected values this matcher checks; the denominator of
    /// [`Outcome::satisfied`].
    pub(crate) fn leaves(&self) -> usize {
        match &self.kind {
            Kind::Object(map) => map.values().map(Matcher::leaves).sum(),
            Kind::Elements(items) | Kind::ArrayWith(items) => {
                items.iter().map(Matcher::leaves).sum()
            }
            Kind::SerializedJson(inner) => inner.leaves(),
            _ => 1,
        }
    }

    fn check(&self, actual: Option<&Value>, path: &str, out: &mut Outcome) {
        let actual = match (&self.kind, actual) {
            (Kind::Any, _) => {
                out.satisfied += 1;
                return;
            }
            (Kind::Absent, None) => {
                out.satisfied += 1;
                return;
            }
            (Kind::Absent, Some(v)) => {
                out.fail(path, format!("expected absent, found {}", show(v)));
                return;
            }
            (Kind::Not(inner), actual) => {
                if inner.outcome(actual, path).mismatches.is_empty() {
                    let found = actual.map_or_else(|| "nothing".to_owned(), show);
                    out.fail(
                        path,
                        format!("expected anything but {inner}, found {found}"),
                    );
                } else {
                    out.satisfied += 1;
                }
                return;
            }
            (_, None) => {
                out.fail(path, "missing");
                return;
            }
            (_, Some(v)) => v,
        };
        match &self.kind {
            Kind::Literal(expected) => {
                if actual == expected {
                    out.satisfied += 1;
                } else {
                    out.fail(
                        path,
                        format!("expected {}, found {}", show(expected), show(actual)),
                    );
                }
            }
            Kind::Object(map) => match actual.as_object() {
                Some(obj) => {
                    for (key, m) in map {
                        m.check(obj.get(key), &child(path, key), out);
                    }
                }
                None => out.fail(path, format!("expected an object, found {}", show(actual))),
            },
            Kind::Elements(items) => match actual.as_array() {
                Some(arr) if arr.len() == items.len() => {
                    for (i, (m, v)) in items.iter().zip(arr).enumerate() {
                        m.check(Some(v), &child(path, &i.to_string()), out);
                    }
                }
                Some(arr) => out.fail(
                    path,
                    format!(
                        "expected an array of {}, found {}",
                        elements(items.len()),
                        elements(arr.len())
                    ),
                ),
                None => out.fail(path, format!("expected an array, found {}", show(actual))),
            },
            Kind::Exact(expected) => {
                let before = out.mismatches.len();
                diff_exact(expected, actual, path, out);
                if out.mismatches.len() == before {
                    out.satisfied += 1;
                }
            }
            Kind::ArrayWith(items) => match actual.as_array() {
                Some(arr) => array_with(items, arr, path, out),
                None => out.fail(path, format!("expected an array, found {}", show(actual))),
            },
            Kind::AnyValue => {
                if actual.is_null() {
                    out.fail(path, "expected any non-null value, found null");
                } else {
                    out.satisfied += 1;
                }
            }
            Kind::StringLike(pattern) => match actual.as_str() {
                Some(s) if glob(pattern, s) => out.satisfied += 1,
                _ => out.fail(
                    path,
                    format!(
                        "expected a string like {}, found {}",
                        quote(pattern),
                        show(actual)
                    ),
                ),
            },
            Kind::SerializedJson(inner) => match actual.as_str() {
                Some(s) => match serde_json::from_str::<Value>(s) {
                    Ok(parsed) => inner.check(Some(&parsed), &format!("{path}/(json)"), out),
                    Err(e) => out.fail(
                        path,
                        format!("expected a string holding JSON, found invalid JSON ({e})"),
                    ),
                },
                None => out.fail(
                    path,
                    format!("expected a string holding JSON, found {}", show(actual)),
                ),
            },
            // Handled before `actual` was unwrapped.
            Kind::Any | Kind::Absent | Kind::Not(_) => {}
        }
    }
}

/// Finds the elements of `items` as an ordered subsequence of `arr`, greedily (the earliest
/// match for each is never worse than a later one).
fn array_with(items: &[Matcher], arr: &[Value], path: &str, out: &mut Outcome) {
    let mut start = 0;
    for m in items {
        let found =
            (start..arr.len()).find(|&j| m.outcome(Some(&arr[j]), "").mismatches.is_empty());
        if let Some(j) = found {
            out.satisfied += m.leaves();
            start = j + 1;
            continue;
        }
        out.fail(
            path,
            format!(
                "expected an element matching {m} at index {start} or later, found none among {}",
                elements(arr.len())
            ),
        );
        // Show how the closest element differs, when one comes close.
        let closest = (start..arr.len())
            .map(|j| (j, m.outcome(Some(&arr[j]), &child(path, &j.to_string()))))
            .filter(|(_, o)| o.satisfied > 0)
            .fold(None::<(usize, Outcome)>, |best, (j, o)| match best {
                Some((_, ref b)) if b.satisfied >= o.satisfied => best,
                _ => Some((j, o)),
            });
        if let Some((_, o)) = closest {
            out.satisfied += o.satisfied;
            out.mismatches.extend(o.mismatches);
        }
    }
}

fn diff_exact(expected: &Value, actual: &Value, path: &str, out: &mut Outcome) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => diff_exact(ev, av, &child(path, k), out),
                    None => out.fail(&child(path, k), "missing"),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) {
                    out.fail(
                        &child(path, k),
                        format!("not expected (exact match), found {}", show(av)),
                    );
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff_exact(ev, av, &child(path, &i.to_string()), out);
            }
        }
        (Value::Array(e), Value::Array(a)) => out.fail(
            path,
            format!(
                "expected an array of {}, found {}",
                elements(e.len()),
                elements(a.len())
            ),
        ),
        (e, a) if e == a => {}
        (e, a) => out.fail(path, format!("expected {}, found {}", show(e), show(a))),
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was seen, and the text position it was tried against.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            // Let the last `*` swallow one more character and retry.
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The path of `key` under `path`, escaped as RFC 6901 requires.
fn child(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn elements(n: usize) -> String {
    format!("{n} element{}", if n == 1 { "" } else { "s" })
}

/// A value as compact JSON, shortened when long.
fn show(v: &Value) -> String {
    const MAX: usize = 120;
    let s = v.to_string();
    if s.chars().count() <= MAX {
        s
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}… ({} characters)", s.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn glob_matches_runs_and_literals() {
        assert!(glob("", ""));
        assert!(glob("*", ""));
        assert!(glob("*", "anything"));
        assert!(glob("a*c", "abbbc"));
        assert!(glob("a*c", "ac"));
        assert!(glob("*b*", "abc"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(glob("a*a*a", "aaaa"));
        assert!(!glob("a*c", "abcd"));
        assert!(!glob("abc", "ab"));
        assert!(!glob("ab", "abc"));
        assert!(!glob("a?c", "abc"));
        assert!(glob("é*", "été"));
    }

    #[test]
    fn paths_are_escaped() {
        assert_eq!(child("/A", "x/y~z"), "/A/x~1y~0z");
    }

    #[test]
    fn leaves_count_expected_values() {
        let m = Matcher::from(json!({ "A": 1, "B": { "C": [1, 2] }, "D": {} }));
        assert_eq!(m.leaves(), 3);
        assert_eq!(Matcher::exact(json!({ "A": 1, "B": 2 })).leaves(), 1);
    }

    #[test]
    fn long_values_are_shortened() {
        let s = show(&json!("x".repeat(500)));
        assert!(s.ends_with("(502 characters)"), "{s}");
    }
}
