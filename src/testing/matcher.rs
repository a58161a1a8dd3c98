//! Matchers: what a value in a template is expected to look like. How a matcher is checked
//! against a value is in `matching.rs`.

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
    pub(super) kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
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

/// A string as a JSON string literal.
pub(super) fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
