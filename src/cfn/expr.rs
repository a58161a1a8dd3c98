//! Values of a template and the intrinsic functions that compute them.

use indexmap::IndexMap;
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A key of a [`Map`]: borrowed when it is a literal (`"Properties"`, `"AccountName"`), so
/// the keys every resource repeats cost no allocation.
pub type Key = std::borrow::Cow<'static, str>;

/// An ordered JSON object of template values. Keys keep insertion order; create one with
/// `Map::default()` or the [`obj!`](crate::obj) macro.
pub type Map = IndexMap<Key, Value, super::hash::FnvBuild>;

/// Identifies one construct (a resource or a parameter) inside an [`App`](crate::App).
///
/// Handles carry a `NodeId`; synthesis turns it into the logical ID, a parameter or an import,
/// depending on where the reference is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a `Ref` or `Fn::GetAtt` points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A construct of the app, resolved at synthesis.
    Node(NodeId),
    /// A logical ID written as is: the escape hatch for resources the library does not model.
    Logical(String),
}

/// A reference to a resource or parameter: `Ref` when `attribute` is `None`, `Fn::GetAtt`
/// otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The referenced construct.
    pub target: Target,
    /// The attribute for `Fn::GetAtt`; `None` for `Ref`.
    pub attribute: Option<Key>,
    /// The longest string the reference can resolve to, for size accounting.
    pub max_len: usize,
}

/// Longest value assumed for a reference whose shape is unknown (the longest IAM ARN).
pub const UNKNOWN_MAX_LEN: usize = 2048;

/// The pseudo parameters CloudFormation provides in every template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::Region`
    Region,
    /// `AWS::Partition`
    Partition,
    /// `AWS::StackName`
    StackName,
    /// `AWS::StackId`
    StackId,
    /// `AWS::URLSuffix`
    UrlSuffix,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
}

impl Pseudo {
    /// The name used with `Ref`, e.g. `AWS::AccountId`.
    pub fn as_str(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::NoValue => "AWS::NoValue",
        }
    }

    /// The longest value the pseudo parameter resolves to.
    pub fn max_len(self) -> usize {
        match self {
            Pseudo::AccountId => 12,
            Pseudo::Region => 20,
            Pseudo::Partition => 10,
            Pseudo::StackName => 128,
            Pseudo::StackId => 256,
            Pseudo::UrlSuffix => 20,
            Pseudo::NoValue => 0,
        }
    }
}

/// An intrinsic function.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expr {
    /// `Ref` or `Fn::GetAtt`.
    Ref(Reference),
    /// `Ref` to a pseudo parameter.
    Pseudo(Pseudo),
    /// `Fn::Sub` with optional variables.
    Sub(String, Map),
    /// `Fn::Join`.
    Join(String, Vec<Value>),
    /// `Fn::ImportValue`.
    ImportValue(Value),
    /// `Fn::Select`.
    Select(u32, Value),
    /// `Fn::Split`.
    Split(String, Value),
}

impl Expr {
    /// `Ref` of a construct of the app, with the longest value it can take.
    pub fn node_ref(node: NodeId, max_len: usize) -> Expr {
        Expr::Ref(Reference {
            target: Target::Node(node),
            attribute: None,
            max_len,
        })
    }

    /// `Fn::GetAtt` of a construct of the app, with the longest value it can take.
    pub fn node_get_att(node: NodeId, attribute: impl Into<Key>, max_len: usize) -> Expr {
        Expr::Ref(Reference {
            target: Target::Node(node),
            attribute: Some(attribute.into()),
            max_len,
        })
    }

    /// `Ref` to a logical ID written as is.
    pub fn ref_logical(logical_id: impl Into<String>) -> Expr {
        Expr::Ref(Reference {
            target: Target::Logical(logical_id.into()),
            attribute: None,
            max_len: UNKNOWN_MAX_LEN,
        })
    }

    /// `Fn::GetAtt` on a logical ID written as is.
    pub fn get_att_logical(logical_id: impl Into<String>, attribute: impl Into<Key>) -> Expr {
        Expr::Ref(Reference {
            target: Target::Logical(logical_id.into()),
            attribute: Some(attribute.into()),
            max_len: UNKNOWN_MAX_LEN,
        })
    }

    /// `Fn::Sub` without variables.
    pub fn sub(template: impl Into<String>) -> Expr {
        Expr::Sub(template.into(), Map::default())
    }

    /// `Fn::Sub` with variables, in the order given.
    pub fn sub_with<K: Into<Key>, V: Into<Value>>(
        template: impl Into<String>,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Expr {
        Expr::Sub(
            template.into(),
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// `Fn::Join`.
    pub fn join<V: Into<Value>>(
        sep: impl Into<String>,
        parts: impl IntoIterator<Item = V>,
    ) -> Expr {
        Expr::Join(sep.into(), parts.into_iter().map(Into::into).collect())
    }

    /// `Fn::ImportValue`.
    pub fn import_value(name: impl Into<Value>) -> Expr {
        Expr::ImportValue(name.into())
    }

    /// `Fn::Select`.
    pub fn select(index: u32, list: impl Into<Value>) -> Expr {
        Expr::Select(index, list.into())
    }

    /// `Fn::Split`.
    pub fn split(sep: impl Into<String>, source: impl Into<Value>) -> Expr {
        Expr::Split(sep.into(), source.into())
    }

    /// The longest string this expression can produce, for quota checks.
    pub fn max_len(&self) -> usize {
        match self {
            Expr::Ref(r) => r.max_len,
            Expr::Pseudo(p) => p.max_len(),
            Expr::Sub(template, vars) => sub_max_len(template, vars),
            Expr::Join(sep, parts) => {
                parts.iter().map(Value::max_text_len).sum::<usize>()
                    + sep.len() * parts.len().saturating_sub(1)
            }
            Expr::ImportValue(_) | Expr::Select(..) | Expr::Split(..) => UNKNOWN_MAX_LEN,
        }
    }
}

/// Worst-case length of a `Fn::Sub` string: literal text plus the longest value of each variable.
fn sub_max_len(template: &str, vars: &Map) -> usize {
    let mut len = 0;
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        len += start;
        let after = &rest[start + 2..];
        if let Some(stripped) = after.strip_prefix('!') {
            // `${!Literal}` renders as `${Literal}`.
            len += 2;
            rest = stripped;
            continue;
        }
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                len += match vars.get(name) {
                    Some(v) => v.max_text_len(),
                    None => pseudo_by_name(name).map_or(UNKNOWN_MAX_LEN, Pseudo::max_len),
                };
                rest = &after[end + 1..];
            }
            None => {
                len += rest.len() - start;
                rest = "";
            }
        }
    }
    len + rest.len()
}

fn pseudo_by_name(name: &str) -> Option<Pseudo> {
    [
        Pseudo::AccountId,
        Pseudo::Region,
        Pseudo::Partition,
        Pseudo::StackName,
        Pseudo::StackId,
        Pseudo::UrlSuffix,
    ]
    .into_iter()
    .find(|p| p.as_str() == name)
}

/// A value in a template: JSON, where any node may be an intrinsic function.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// JSON `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    List(Vec<Value>),
    /// An object whose keys keep insertion order.
    Map(Map),
    /// An intrinsic function.
    Expr(Box<Expr>),
    /// A value shared by many resources (a policy, a notification list): cloning it copies a
    /// pointer, and it renders exactly as the value it holds.
    Shared(std::sync::Arc<Value>),
}

impl Value {
    /// An empty object.
    pub fn map() -> Value {
        Value::Map(Map::default())
    }

    /// Wraps `value` so every clone of the result shares it.
    ///
    /// ```
    /// use orgstack::cfn::Value;
    /// let notifications = Value::shared(Value::from(vec!["a", "b"]));
    /// let copy = notifications.clone(); // no deep copy
    /// assert_eq!(copy, Value::from(vec!["a", "b"]).into_shared());
    /// ```
    pub fn shared(value: Value) -> Value {
        match value {
            Value::Shared(_) => value,
            other => Value::Shared(std::sync::Arc::new(other)),
        }
    }

    /// This value, shared (see [`Value::shared`]).
    pub fn into_shared(self) -> Value {
        Value::shared(self)
    }

    /// The value itself, looking through [`Value::Shared`].
    pub fn get(&self) -> &Value {
        match self {
            Value::Shared(v) => v.get(),
            other => other,
        }
    }

    /// The string, if this is a literal string.
    pub fn as_str(&self) -> Option<&str> {
        match self.get() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The expression, if this is an intrinsic function.
    pub fn as_expr(&self) -> Option<&Expr> {
        match self.get() {
            Value::Expr(e) => Some(e),
            _ => None,
        }
    }

    /// Longest text this value contributes where a string is expected (the literal's
    /// length, or an intrinsic's worst case).
    pub fn max_text_len(&self) -> usize {
        match self {
            Value::String(s) => s.chars().count(),
            Value::Expr(e) => e.max_len(),
            Value::Shared(v) => v.max_text_len(),
            other => other.minified_len(),
        }
    }

    /// Length in characters of this value rendered as minified JSON, with every intrinsic
    /// counted as a string of its worst-case length. This is how AWS measures policy sizes.
    pub fn minified_len(&self) -> usize {
        self.measured_len(&json_string_len)
    }

    /// Length of this value's minified JSON with whitespace outside strings not counted,
    /// which for minified JSON is the same as [`minified_len`](Self::minified_len) minus
    /// the spaces inside strings. IAM counts managed-policy size this way.
    pub fn minified_len_without_whitespace(&self) -> usize {
        self.measured_len(&|s| json_string_len(s) - s.chars().filter(|c| c.is_whitespace()).count())
    }

    /// Minified length, with string values (not keys) measured by `string_len`.
    fn measured_len(&self, string_len: &dyn Fn(&str) -> usize) -> usize {
        match self {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(n) => n.to_string().len(),
            Value::String(s) => string_len(s),
            Value::List(items) => {
                2 + items
                    .iter()
                    .map(|v| v.measured_len(string_len))
                    .sum::<usize>()
                    + items.len().saturating_sub(1)
            }
            Value::Map(map) => {
                2 + map
                    .iter()
                    .map(|(k, v)| json_string_len(k) + 1 + v.measured_len(string_len))
                    .sum::<usize>()
                    + map.len().saturating_sub(1)
            }
            Value::Expr(e) => 2 + e.max_len(),
            Value::Shared(v) => v.measured_len(string_len),
        }
    }

    /// Calls `f` on every expression in this value, depth first, outermost first.
    pub fn visit_exprs<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        match self {
            Value::List(items) => items.iter().for_each(|v| v.visit_exprs(f)),
            Value::Map(map) => map.values().for_each(|v| v.visit_exprs(f)),
            Value::Expr(e) => {
                f(e);
                match &**e {
                    Expr::Sub(_, vars) => vars.values().for_each(|v| v.visit_exprs(f)),
                    Expr::Join(_, parts) => parts.iter().for_each(|v| v.visit_exprs(f)),
                    Expr::ImportValue(v) | Expr::Select(_, v) | Expr::Split(_, v) => {
                        v.visit_exprs(f)
                    }
                    Expr::Ref(_) | Expr::Pseudo(_) => {}
                }
            }
            Value::Shared(v) => v.visit_exprs(f),
            _ => {}
        }
    }

    /// A copy of this value where every reference is replaced by what `f` returns for it.
    ///
    /// # Errors
    /// Returns the first error `f` returns.
    pub fn try_map_refs<E>(
        &self,
        f: &mut impl FnMut(&Reference) -> Result<Value, E>,
    ) -> Result<Value, E> {
        Ok(match self {
            Value::List(items) => Value::List(
                items
                    .iter()
                    .map(|v| v.try_map_refs(f))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), v.try_map_refs(f)?)))
                    .collect::<Result<_, E>>()?,
            ),
            Value::Expr(e) => match &**e {
                Expr::Ref(r) => f(r)?,
                Expr::Pseudo(_) => self.clone(),
                Expr::Sub(s, vars) => Value::from(Expr::Sub(
                    s.clone(),
                    vars.iter()
                        .map(|(k, v)| Ok((k.clone(), v.try_map_refs(f)?)))
                        .collect::<Result<_, E>>()?,
                )),
                Expr::Join(sep, parts) => Value::from(Expr::Join(
                    sep.clone(),
                    parts
                        .iter()
                        .map(|v| v.try_map_refs(f))
                        .collect::<Result<_, _>>()?,
                )),
                Expr::ImportValue(v) => Value::from(Expr::ImportValue(v.try_map_refs(f)?)),
                Expr::Select(i, v) => Value::from(Expr::Select(*i, v.try_map_refs(f)?)),
                Expr::Split(sep, v) => Value::from(Expr::Split(sep.clone(), v.try_map_refs(f)?)),
            },
            Value::Shared(v) => v.try_map_refs(f)?,
            other => other.clone(),
        })
    }
}

/// Length in characters of `s` as a JSON string literal, quotes and escapes included.
pub(crate) fn json_string_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            _ => 1,
        })
        .sum::<usize>()
}

impl From<Expr> for Value {
    fn from(e: Expr) -> Self {
        Value::Expr(Box::new(e))
    }
}
impl From<Pseudo> for Value {
    fn from(p: Pseudo) -> Self {
        Value::from(Expr::Pseudo(p))
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}
impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(n.into())
    }
}
impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}
impl<V: Into<Value>> From<Vec<V>> for Value {
    fn from(v: Vec<V>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}

/// Builds a [`Value::Map`] from `key => value` pairs, keeping their order.
///
/// ```
/// use orgstack::{obj, cfn::Value};
/// let v = obj! { "Key" => "Name", "Value" => "prod" };
/// assert_eq!(v.minified_len(), r#"{"Key":"Name","Value":"prod"}"#.len());
/// ```
#[macro_export]
macro_rules! obj {
    () => { $crate::cfn::Value::map() };
    ($($k:expr => $v:expr),+ $(,)?) => {{
        let mut m = $crate::cfn::Map::with_capacity_and_hasher(
            [$(stringify!($k)),+].len(),
            ::std::default::Default::default(),
        );
        $( m.insert($crate::cfn::Key::from($k), $crate::cfn::Value::from($v)); )+
        $crate::cfn::Value::Map(m)
    }};
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Value::Expr(e) => e.serialize(s),
            Value::Shared(v) => v.serialize(s),
        }
    }
}

struct Pair<'a, A, B>(&'a A, &'a B);
impl<A: Serialize, B: Serialize> Serialize for Pair<'_, A, B> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(2))?;
        seq.serialize_element(self.0)?;
        seq.serialize_element(self.1)?;
        seq.end()
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        match self {
            Expr::Ref(r) => {
                let Target::Logical(id) = &r.target else {
                    return Err(S::Error::custom(
                        "a reference to a construct was not resolved before rendering",
                    ));
                };
                match &r.attribute {
                    None => m.serialize_entry("Ref", id)?,
                    Some(attr) => m.serialize_entry("Fn::GetAtt", &[id.as_str(), attr.as_ref()])?,
                }
            }
            Expr::Pseudo(p) => m.serialize_entry("Ref", p.as_str())?,
            Expr::Sub(template, vars) if vars.is_empty() => {
                m.serialize_entry("Fn::Sub", template)?
            }
            Expr::Sub(template, vars) => m.serialize_entry("Fn::Sub", &Pair(template, vars))?,
            Expr::Join(sep, parts) => m.serialize_entry("Fn::Join", &Pair(sep, parts))?,
            Expr::ImportValue(v) => m.serialize_entry("Fn::ImportValue", v)?,
            Expr::Select(i, v) => m.serialize_entry("Fn::Select", &Pair(&i.to_string(), v))?,
            Expr::Split(sep, v) => m.serialize_entry("Fn::Split", &Pair(sep, v))?,
        }
        m.end()
    }
}
