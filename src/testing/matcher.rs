//! Matchers: what a value in a template is expected to look like.

use std::fmt;

use indexmap::IndexMap;
use serde_json::Value;

use super::error::Mismatch;

/// What a value in a template is expected to look like.
///
/// A plain JSON value converts into [`Matcher::object_like`], so most assertions take
/// `json!({…})` directly. To put a matcher *inside* an expected object or array, build the
/// container with [`Matcher::object`] or [`Matcher::array`]; their entries are anything that
/// converts into a matcher (other matchers, `json!` values, `&str`, `bool`).
///
/// ```
/// use orgstack::testing::Matcher;
/// use serde_json::json;
///
/// let m = Matcher::object([
///     ("RoleName", Matcher::string_like("Org*")),
///     ("Path", Matcher::absent()),
///     ("AssumeRolePolicyDocument", json!({ "Version": "2012-10-17" }).into()),
/// ]);
/// assert!(m.matches(&json!({
///     "RoleName": "OrgAdmin",
///     "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [] }
/// })));
/// assert!(!m.matches(&json!({ "RoleName": "OrgAdmin", "Path": "/" })));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Matcher {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A scalar (or null), compared for equality.
    Literal(Value),
    /// An object whose listed keys must match; other keys are ignored.
    Object(IndexMap<String, Matcher>),
    /// An array of exactly these elements, compared element-wise.
    Elements(Vec<Matcher>),
    Exact(Value),
    ArrayWith(Vec<Matcher>),
    Absent,
    AnyValue,
    Any,
    StringLike(String),
    SerializedJson(Box<Matcher>),
    Not(Box<Matcher>),
}

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
    fn new(kind: Kind) -> Self {
        Matcher { kind }
    }

    /// Partial, recursive matching (the default for plain JSON values).
    ///
    /// In an object, every expected key must be present and match; keys that are not
    /// expected are ignored, and nested objects are matched object-like too. Arrays must have
    /// exactly the expected elements, in order, each matched object-like. Scalars must be
    /// equal.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::object_like(json!({ "Tags": [{ "Key": "team" }] }));
    /// assert!(m.matches(&json!({ "Name": "x", "Tags": [{ "Key": "team", "Value": "core" }] })));
    /// assert!(!m.matches(&json!({ "Tags": [{ "Key": "team" }, { "Key": "cost" }] })));
    /// ```
    pub fn object_like(expected: impl Into<Value>) -> Self {
        match expected.into() {
            Value::Object(map) => Matcher::new(Kind::Object(
                map.into_iter()
                    .map(|(k, v)| (k, Matcher::object_like(v)))
                    .collect(),
            )),
            Value::Array(items) => Matcher::new(Kind::Elements(
                items.into_iter().map(Matcher::object_like).collect(),
            )),
            scalar => Matcher::new(Kind::Literal(scalar)),
        }
    }

    /// An object whose listed keys must each match their matcher; other keys are ignored.
    ///
    /// This is how matchers are embedded in an expected object; values may be matchers or
    /// anything that converts into one.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::object([("BucketName", Matcher::any_value()), ("Tags", Matcher::absent())]);
    /// assert!(m.matches(&json!({ "BucketName": "logs" })));
    /// assert!(!m.matches(&json!({ "BucketName": null })));
    /// ```
    pub fn object<K, M>(entries: impl IntoIterator<Item = (K, M)>) -> Self
    where
        K: Into<String>,
        M: Into<Matcher>,
    {
        Matcher::new(Kind::Object(
            entries
                .into_iter()
                .map(|(k, m)| (k.into(), m.into()))
                .collect(),
        ))
    }

    /// An array with exactly these elements, in order, each matching its matcher.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::array([Matcher::string_like("arn:aws:iam::*:root"), Matcher::any()]);
    /// assert!(m.matches(&json!(["arn:aws:iam::111111111111:root", 7])));
    /// assert!(!m.matches(&json!(["arn:aws:iam::111111111111:root"])));
    /// ```
    pub fn array<M: Into<Matcher>>(elements: impl IntoIterator<Item = M>) -> Self {
        Matcher::new(Kind::Elements(
            elements.into_iter().map(Into::into).collect(),
        ))
    }

    /// Deep equality: no extra keys, no missing keys, arrays equal element by element.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::exact(json!({ "Ref": "AWS::Region" }));
    /// assert!(m.matches(&json!({ "Ref": "AWS::Region" })));
    /// assert!(!m.matches(&json!({ "Ref": "AWS::Region", "Extra": 1 })));
    /// ```
    pub fn exact(expected: impl Into<Value>) -> Self {
        Matcher::new(Kind::Exact(expected.into()))
    }

    /// An array that contains elements matching each of these, in this order, possibly with
    /// other elements before, between and after them.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::array_with([json!({ "Effect": "Deny" })]);
    /// assert!(m.matches(&json!([{ "Effect": "Allow" }, { "Effect": "Deny", "Action": "*" }])));
    /// assert!(!m.matches(&json!([{ "Effect": "Allow" }])));
    /// ```
    pub fn array_with<M: Into<Matcher>>(elements: impl IntoIterator<Item = M>) -> Self {
        Matcher::new(Kind::ArrayWith(
            elements.into_iter().map(Into::into).collect(),
        ))
    }

    /// The key must be missing. Only meaningful as the value of a key in an expected object;
    /// anywhere else it never matches.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::object([("PermissionsBoundary", Matcher::absent())]);
    /// assert!(m.matches(&json!({ "RoleName": "Admin" })));
    /// assert!(!m.matches(&json!({ "PermissionsBoundary": "arn" })));
    /// ```
    pub fn absent() -> Self {
        Matcher::new(Kind::Absent)
    }

    /// Any value that is present and not `null`.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// assert!(Matcher::any_value().matches(&json!({ "Fn::GetAtt": ["Role", "Arn"] })));
    /// assert!(!Matcher::any_value().matches(&json!(null)));
    /// ```
    pub fn any_value() -> Self {
        Matcher::new(Kind::AnyValue)
    }

    /// Anything at all, even a missing key or `null`; use it with
    /// [`Template::find_resources`](super::Template::find_resources) to get every resource of
    /// a type.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// assert!(Matcher::any().matches(&json!(null)));
    /// assert!(Matcher::object([("Missing", Matcher::any())]).matches(&json!({})));
    /// ```
    pub fn any() -> Self {
        Matcher::new(Kind::Any)
    }

    /// A string matching a simple glob: `*` matches any run of characters (also none); every
    /// other character matches only itself. There are no regular expressions, no `?` and no
    /// escapes.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::string_like("arn:aws:iam::*:role/Org*");
    /// assert!(m.matches(&json!("arn:aws:iam::111111111111:role/OrgAdmin")));
    /// assert!(!m.matches(&json!("arn:aws:iam::111111111111:user/OrgAdmin")));
    /// assert!(!m.matches(&json!(42)));
    /// ```
    pub fn string_like(pattern: impl Into<String>) -> Self {
        Matcher::new(Kind::StringLike(pattern.into()))
    }

    /// A string holding JSON, parsed and then matched with `inner`: for a StackSet's
    /// `TemplateBody` or a policy embedded as a string.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::serialized_json(json!({ "Version": "2012-10-17" }));
    /// assert!(m.matches(&json!(r#"{"Version":"2012-10-17","Statement":[]}"#)));
    /// assert!(!m.matches(&json!("not json")));
    /// ```
    pub fn serialized_json(inner: impl Into<Matcher>) -> Self {
        Matcher::new(Kind::SerializedJson(Box::new(inner.into())))
    }

    /// Matches exactly when `inner` does not. `!matcher` is the same.
    ///
    /// As an object value, `not(absent())` requires the key to be present, and a missing key
    /// satisfies `not` of any other matcher.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::object([("Effect", Matcher::not("Allow"))]);
    /// assert!(m.matches(&json!({ "Effect": "Deny" })));
    /// assert!(!m.matches(&json!({ "Effect": "Allow" })));
    /// assert!((!Matcher::string_like("*")).matches(&json!(1)));
    /// ```
    pub fn not(inner: impl Into<Matcher>) -> Self {
        Matcher::new(Kind::Not(Box::new(inner.into())))
    }

    /// Whether `actual` matches.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// assert!(Matcher::from(json!({ "A": 1 })).matches(&json!({ "A": 1, "B": 2 })));
    /// ```
    pub fn matches(&self, actual: &Value) -> bool {
        self.outcome(Some(actual), "").mismatches.is_empty()
    }

    /// Every place where `actual` differs; empty when it matches.
    ///
    /// ```
    /// use orgstack::testing::Matcher;
    /// use serde_json::json;
    ///
    /// let m = Matcher::from(json!({ "A": { "B": true }, "C": 1 }));
    /// let found: Vec<String> = m
    ///     .mismatches(&json!({ "A": { "B": false } }))
    ///     .iter()
    ///     .map(ToString::to_string)
    ///     .collect();
    /// assert_eq!(found, ["/A/B: expected true, found false", "/C: missing"]);
    /// ```
    pub fn mismatches(&self, actual: &Value) -> Vec<Mismatch> {
        self.outcome(Some(actual), "").mismatches
    }

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

fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
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

impl fmt::Display for Matcher {
    /// A compact description: plain JSON for object-like values, and `name(…)` for the other
    /// matchers, e.g. `{"RoleName":string_like("Org*")}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list(f: &mut fmt::Formatter<'_>, items: &[Matcher]) -> fmt::Result {
            f.write_str("[")?;
            for (i, m) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{m}")?;
            }
            f.write_str("]")
        }
        match &self.kind {
            Kind::Literal(v) => write!(f, "{v}"),
            Kind::Object(map) => {
                f.write_str("{")?;
                for (i, (k, m)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{m}", quote(k))?;
                }
                f.write_str("}")
            }
            Kind::Elements(items) => list(f, items),
            Kind::Exact(v) => write!(f, "exact({v})"),
            Kind::ArrayWith(items) => {
                f.write_str("array_with(")?;
                list(f, items)?;
                f.write_str(")")
            }
            Kind::Absent => f.write_str("absent()"),
            Kind::AnyValue => f.write_str("any_value()"),
            Kind::Any => f.write_str("any()"),
            Kind::StringLike(p) => write!(f, "string_like({})", quote(p)),
            Kind::SerializedJson(inner) => write!(f, "serialized_json({inner})"),
            Kind::Not(inner) => write!(f, "not({inner})"),
        }
    }
}

impl From<Value> for Matcher {
    /// [`Matcher::object_like`].
    fn from(v: Value) -> Self {
        Matcher::object_like(v)
    }
}

impl From<&str> for Matcher {
    /// Equality with this string.
    fn from(s: &str) -> Self {
        Matcher::new(Kind::Literal(Value::String(s.to_owned())))
    }
}

impl From<String> for Matcher {
    /// Equality with this string.
    fn from(s: String) -> Self {
        Matcher::new(Kind::Literal(Value::String(s)))
    }
}

impl From<bool> for Matcher {
    /// Equality with this boolean.
    fn from(b: bool) -> Self {
        Matcher::new(Kind::Literal(Value::Bool(b)))
    }
}

impl std::ops::Not for Matcher {
    type Output = Matcher;

    /// [`Matcher::not`].
    fn not(self) -> Matcher {
        Matcher::not(self)
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
    fn description_is_compact() {
        let m = Matcher::object([
            ("A", Matcher::array_with([Matcher::string_like("x*")])),
            ("B", !Matcher::absent()),
        ]);
        assert_eq!(
            m.to_string(),
            r#"{"A":array_with([string_like("x*")]),"B":not(absent())}"#
        );
    }

    #[test]
    fn long_values_are_shortened() {
        let s = show(&json!("x".repeat(500)));
        assert!(s.ends_with("(502 characters)"), "{s}");
    }
}
