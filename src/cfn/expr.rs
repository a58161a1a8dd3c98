//! Values of a template and the intrinsic functions that compute them.

use indexmap::IndexMap;

/// A key of a [`Map`]: borrowed when it is a literal (`"Properties"`, `"AccountName"`), so
/// the keys every resource repeats cost no allocation.
pub type Key = std::borrow::Cow<'static, str>;

/// An ordered JSON object of template values. Keys keep insertion order; create one with
/// `Map::default()` or the [`obj!`](crate::obj) macro.
pub type Map = IndexMap<Key, Value, super::hash::FnvBuild>;

/// Identifies one construct inside one [`App`](crate::App): the app it belongs to and its
/// place in that app's tree.
///
/// Handles carry a `NodeId`; synthesis turns it into the logical ID, a parameter or an import,
/// depending on where the reference is used. A `NodeId` of another app is never mistaken for
/// one of this app's constructs: synthesis reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId {
    pub(crate) app: u32,
    pub(crate) index: u32,
}

impl NodeId {
    pub(crate) fn index(self) -> usize {
        self.index as usize
    }
}

/// What a `Ref` or `Fn::GetAtt` points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
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

    /// `Fn::Sub` without variables. Text of your users placed in `template` must go
    /// through [`escape_sub`] first: a `${` in it would be read as a variable.
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
            Expr::Join(sep, parts) => saturating_sum(parts.iter().map(Value::max_text_len))
                .saturating_add(sep.len().saturating_mul(parts.len().saturating_sub(1))),
            Expr::ImportValue(_) | Expr::Select(..) | Expr::Split(..) => UNKNOWN_MAX_LEN,
        }
    }
}

/// `text` made literal inside a `Fn::Sub` template: every `${` becomes `${!`, which
/// CloudFormation writes back as `${`. Text that is not the template's own (a name given
/// by a user, a setting) goes through this before it is placed in a template.
///
/// ```
/// use orgstack::cfn::{escape_sub, Expr, render};
/// let name = "${Foo}";
/// let arn = Expr::sub(format!("arn:${{AWS::Partition}}:iam::aws:policy/{}", escape_sub(name)));
/// assert_eq!(
///     render::minified(&arn).unwrap(),
///     r#"{"Fn::Sub":"arn:${AWS::Partition}:iam::aws:policy/${!Foo}"}"#
/// );
/// assert_eq!(escape_sub("plain"), "plain");
/// ```
pub fn escape_sub(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("${") {
        std::borrow::Cow::Owned(text.replace("${", "${!"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A piece of a `Fn::Sub` template, as CloudFormation reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubPiece<'a> {
    /// Text written as it is.
    Text(&'a str),
    /// `${!Name}`: the literal `${Name}` (the piece holds `Name`).
    Escaped(&'a str),
    /// `${Name}`: a variable, a pseudo parameter or a logical ID (the piece holds `Name`).
    Var(&'a str),
    /// `${` and what follows it, never closed.
    Unclosed(&'a str),
}

/// The pieces of the `Fn::Sub` template `template`, in order.
pub(crate) fn sub_pieces(template: &str) -> impl Iterator<Item = SubPiece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(start) = rest.find("${") else {
            return Some(SubPiece::Text(std::mem::take(&mut rest)));
        };
        if start > 0 {
            let (text, tail) = rest.split_at(start);
            rest = tail;
            return Some(SubPiece::Text(text));
        }
        let after = &rest[2..];
        let Some(end) = after.find('}') else {
            return Some(SubPiece::Unclosed(std::mem::take(&mut rest)));
        };
        let name = &after[..end];
        rest = &after[end + 1..];
        Some(match name.strip_prefix('!') {
            Some(literal) => SubPiece::Escaped(literal),
            None => SubPiece::Var(name),
        })
    })
}

/// Worst-case length of a `Fn::Sub` string: literal text plus the longest value of each variable.
fn sub_max_len(template: &str, vars: &Map) -> usize {
    let mut len: usize = 0;
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        len = len.saturating_add(start);
        let after = &rest[start + 2..];
        if let Some(stripped) = after.strip_prefix('!') {
            // `${!Literal}` renders as `${Literal}`.
            len = len.saturating_add(2);
            rest = stripped;
            continue;
        }
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                len = len.saturating_add(match vars.get(name) {
                    Some(v) => v.max_text_len(),
                    None => pseudo_by_name(name).map_or(UNKNOWN_MAX_LEN, Pseudo::max_len),
                });
                rest = &after[end + 1..];
            }
            None => {
                len = len.saturating_add(rest.len() - start);
                rest = "";
            }
        }
    }
    len.saturating_add(rest.len())
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
///
/// Values are dropped, cloned, compared and measured without recursion, so however deep a
/// value nests it costs no stack; synthesis refuses one deeper than [`MAX_DEPTH`]. As a
/// `Value` implements [`Drop`], take a part out of it through a reference or with
/// [`std::mem::take`]:
///
/// ```
/// use orgstack::cfn::Value;
/// let mut v = Value::from(vec!["a", "b"]);
/// let items = match &mut v {
///     Value::List(items) => std::mem::take(items),
///     _ => Vec::new(),
/// };
/// assert_eq!(items.len(), 2);
/// ```
#[derive(Default)]
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
        struct Measure<'f> {
            len: usize,
            string_len: &'f dyn Fn(&str) -> usize,
        }
        impl<'a> Visit<'a> for Measure<'_> {
            fn scalar(&mut self, v: &'a Value) {
                self.len = self.len.saturating_add(match v {
                    Value::Bool(false) => 5,
                    Value::Number(n) => n.to_string().len(),
                    _ => 4,
                });
            }
            fn string(&mut self, s: &'a str) {
                self.len = self.len.saturating_add((self.string_len)(s));
            }
            fn list(&mut self, items: &'a [Value]) -> bool {
                self.len = self.len.saturating_add(1 + items.len().max(1));
                true
            }
            fn map(&mut self, map: &'a Map) -> bool {
                self.len = self.len.saturating_add(
                    1 + map.len().max(1)
                        + saturating_sum(map.keys().map(|k| json_string_len(k) + 1)),
                );
                true
            }
            fn expr(&mut self, e: &'a Expr) -> bool {
                self.len = self.len.saturating_add(e.max_len().saturating_add(2));
                false
            }
        }
        let mut m = Measure { len: 0, string_len };
        self.walk(&mut m);
        m.len
    }

    /// A quick upper estimate of this value's minified length (string bytes, not characters;
    /// every intrinsic at 64), for placing resources before anything is rendered.
    pub fn approx_len(&self) -> usize {
        struct Approx(usize);
        impl<'a> Visit<'a> for Approx {
            fn scalar(&mut self, _: &'a Value) {
                self.0 += 8;
            }
            fn string(&mut self, s: &'a str) {
                self.0 += s.len() + 2;
            }
            fn list(&mut self, items: &'a [Value]) -> bool {
                self.0 += 2 + items.len();
                true
            }
            fn map(&mut self, map: &'a Map) -> bool {
                self.0 += 2 + map.keys().map(|k| k.len() + 4).sum::<usize>();
                true
            }
            fn expr(&mut self, _: &'a Expr) -> bool {
                self.0 += 64;
                false
            }
        }
        let mut a = Approx(0);
        self.walk(&mut a);
        a.0
    }

    /// Walks the value depth first, parents before children, telling `visitor` what it
    /// meets. Every measure and reference search over values is a [`Visit`].
    pub fn walk<'a>(&'a self, visitor: &mut impl Visit<'a>) {
        match self {
            Value::Null | Value::Bool(_) | Value::Number(_) => visitor.scalar(self),
            Value::String(s) => visitor.string(s),
            Value::List(items) => {
                if visitor.list(items) {
                    items.iter().for_each(|v| v.walk(visitor));
                }
            }
            Value::Map(map) => {
                if visitor.map(map) {
                    map.values().for_each(|v| v.walk(visitor));
                }
            }
            Value::Expr(e) => {
                if visitor.expr(e) {
                    match &**e {
                        Expr::Sub(_, vars) => vars.values().for_each(|v| v.walk(visitor)),
                        Expr::Join(_, parts) => parts.iter().for_each(|v| v.walk(visitor)),
                        Expr::ImportValue(v) | Expr::Select(_, v) | Expr::Split(_, v) => {
                            v.walk(visitor)
                        }
                        Expr::Ref(_) | Expr::Pseudo(_) => {}
                    }
                }
            }
            Value::Shared(v) => v.walk(visitor),
        }
    }

    /// Calls `f` on every reference (`Ref`/`Fn::GetAtt` of a construct or logical ID) in
    /// this value, in document order.
    pub fn visit_refs<'a>(&'a self, f: impl FnMut(&'a Reference)) {
        struct Refs<F>(F);
        impl<'a, F: FnMut(&'a Reference)> Visit<'a> for Refs<F> {
            fn expr(&mut self, e: &'a Expr) -> bool {
                if let Expr::Ref(r) = e {
                    (self.0)(r);
                }
                true
            }
        }
        self.walk(&mut Refs(f));
    }
}

/// What a [`Value::walk`] meets. Every method has a default that does nothing; `list`,
/// `map` and `expr` return whether to walk into the children.
pub trait Visit<'a> {
    /// `null`, a boolean or a number.
    fn scalar(&mut self, _value: &'a Value) {}
    /// A string literal.
    fn string(&mut self, _s: &'a str) {}
    /// An array, before its items.
    fn list(&mut self, _items: &'a [Value]) -> bool {
        true
    }
    /// An object, before its values.
    fn map(&mut self, _map: &'a Map) -> bool {
        true
    }
    /// An intrinsic function, before its operands.
    fn expr(&mut self, _expr: &'a Expr) -> bool {
        true
    }
}

/// The sum of `lengths`, or `usize::MAX` if it does not fit: a length of `usize::MAX` means
/// "no bound known", and adding to it must not wrap.
pub(crate) fn saturating_sum(lengths: impl IntoIterator<Item = usize>) -> usize {
    lengths.into_iter().fold(0, usize::saturating_add)
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

/// How deep a template value may nest, in JSON levels (an intrinsic function counts as
/// it is rendered, e.g. `Fn::Join` as an object, an array and an array of its parts).
/// Deeper values are reported at synthesis (`Rule::NestingDepth`) before anything walks
/// them recursively; templates stay within what JSON parsers accept (serde_json's 128).
pub const MAX_DEPTH: usize = 100;

/// Whether a value holds other values (and so may nest).
fn nests(v: &Value) -> bool {
    matches!(
        v,
        Value::List(_) | Value::Map(_) | Value::Expr(_) | Value::Shared(_)
    )
}

/// Moves the nested children of `v` into `out`, leaving `v` shallow.
fn detach_children(v: &mut Value, out: &mut Vec<Value>) {
    let mut take = |child: &mut Value| {
        if nests(child) {
            out.push(std::mem::take(child));
        }
    };
    match v {
        Value::List(items) => items.iter_mut().for_each(&mut take),
        Value::Map(map) => map.values_mut().for_each(&mut take),
        Value::Expr(e) => match &mut **e {
            Expr::Sub(_, vars) => vars.values_mut().for_each(&mut take),
            Expr::Join(_, parts) => parts.iter_mut().for_each(&mut take),
            Expr::ImportValue(v) | Expr::Select(_, v) | Expr::Split(_, v) => take(v),
            Expr::Ref(_) | Expr::Pseudo(_) => {}
        },
        Value::Shared(arc) => {
            if let Some(inner) = std::sync::Arc::get_mut(arc) {
                take(inner);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// How many levels of a value are dropped or cloned by plain recursion before the work
/// moves to a stack on the heap: every value within [`MAX_DEPTH`] costs no allocation of
/// its own, and a deeper one still costs no stack beyond this many frames.
const RECURSION_LIMIT: u32 = 128;

std::thread_local! {
    /// How many values this thread is dropping or cloning inside one another.
    static NESTED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs `f` one level deeper, or returns `None` (without running it) at the limit.
fn nested<T>(f: impl FnOnce() -> T) -> Option<T> {
    let level = NESTED.with(std::cell::Cell::get);
    if level >= RECURSION_LIMIT {
        return None;
    }
    NESTED.with(|n| n.set(level + 1));
    let out = f();
    NESTED.with(|n| n.set(level));
    Some(out)
}

/// Frees the nested children of `v` now, leaving `v` shallow.
fn drop_children(v: &mut Value) {
    match v {
        Value::List(items) => drop(std::mem::take(items)),
        Value::Map(map) => drop(std::mem::take(map)),
        Value::Expr(e) => match &mut **e {
            Expr::Sub(_, vars) => drop(std::mem::take(vars)),
            Expr::Join(_, parts) => drop(std::mem::take(parts)),
            Expr::ImportValue(v) | Expr::Select(_, v) | Expr::Split(_, v) => {
                drop(std::mem::take(v))
            }
            Expr::Ref(_) | Expr::Pseudo(_) => {}
        },
        Value::Shared(arc) => {
            if let Some(inner) = std::sync::Arc::get_mut(arc) {
                drop(std::mem::take(inner));
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// Values are dropped without unbounded recursion, so that a value nested a hundred
/// thousand levels deep is freed like a flat one: the first `RECURSION_LIMIT` (128) levels
/// recurse, what lies deeper is freed from a stack on the heap.
impl Drop for Value {
    fn drop(&mut self) {
        if !nests(self) {
            return;
        }
        if nested(|| drop_children(self)).is_some() {
            return;
        }
        let mut pending = Vec::new();
        detach_children(self, &mut pending);
        while let Some(mut v) = pending.pop() {
            detach_children(&mut v, &mut pending);
        }
    }
}

impl Value {
    /// How deep the value nests in JSON levels: 0 for a scalar or a string, 1 for a list or
    /// an object of scalars, and intrinsics as rendered. Counted without recursion, and
    /// only up to `limit + 1`: a value deeper than `limit` reports `limit + 1`.
    ///
    /// ```
    /// use orgstack::cfn::{Expr, Value};
    /// let v = Value::from(vec![Value::from(vec!["a"])]);
    /// assert_eq!(v.depth(10), 2);
    /// assert_eq!(Value::from(Expr::join(",", ["a"])).depth(10), 3);
    /// assert_eq!(v.depth(1), 2);
    /// ```
    pub fn depth(&self, limit: usize) -> usize {
        let cap = limit.saturating_add(1);
        let mut deepest = 0;
        let mut pending: Vec<(&Value, usize)> = vec![(self, 0)];
        while let Some((v, level)) = pending.pop() {
            let (own, children_at): (usize, usize) = match v {
                Value::List(_) | Value::Map(_) => (1, 1),
                Value::Expr(e) => match &**e {
                    Expr::Ref(r) => (if r.attribute.is_some() { 2 } else { 1 }, 0),
                    Expr::Pseudo(_) => (1, 0),
                    Expr::Sub(_, vars) if vars.is_empty() => (1, 0),
                    Expr::Sub(..) | Expr::Join(..) => (3, 3),
                    Expr::ImportValue(_) => (1, 1),
                    Expr::Select(..) | Expr::Split(..) => (2, 2),
                },
                Value::Shared(_) => (0, 0),
                _ => (0, 0),
            };
            deepest = deepest.max(level.saturating_add(own));
            if deepest >= cap {
                return cap;
            }
            let at = level + children_at;
            match v {
                Value::List(items) => pending.extend(items.iter().map(|c| (c, at))),
                Value::Map(map) => pending.extend(map.values().map(|c| (c, at))),
                Value::Expr(e) => match &**e {
                    Expr::Sub(_, vars) => pending.extend(vars.values().map(|c| (c, at))),
                    Expr::Join(_, parts) => pending.extend(parts.iter().map(|c| (c, at))),
                    Expr::ImportValue(c) | Expr::Select(_, c) | Expr::Split(_, c) => {
                        pending.push((c, at))
                    }
                    Expr::Ref(_) | Expr::Pseudo(_) => {}
                },
                Value::Shared(inner) => pending.push((inner, level)),
                _ => {}
            }
        }
        deepest
    }
}

/// What is left to do while cloning a value without recursion.
enum CloneTask<'a> {
    /// Clone this value (its children first).
    Visit(&'a Value),
    /// The last `n` results are the items of a list.
    List(usize),
    /// The last results are the values of this map, in order.
    Map(&'a Map),
    /// The last results are the operands of this intrinsic, in order.
    Expr(&'a Expr),
}

/// Values are cloned like they are dropped (see [`Drop`]): by recursion for the first
/// `RECURSION_LIMIT` levels, from a stack on the heap below them.
impl Clone for Value {
    fn clone(&self) -> Self {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Number(n) => Value::Number(n.clone()),
            Value::String(s) => Value::String(s.clone()),
            Value::Shared(a) => Value::Shared(a.clone()),
            Value::List(items) => nested(|| Value::List(items.clone()))
                .unwrap_or_else(|| clone_without_recursion(self)),
            Value::Map(map) => {
                nested(|| Value::Map(map.clone())).unwrap_or_else(|| clone_without_recursion(self))
            }
            Value::Expr(e) => {
                nested(|| Value::Expr(e.clone())).unwrap_or_else(|| clone_without_recursion(self))
            }
        }
    }
}

/// A clone of `v` made from a stack on the heap, however deep it nests.
fn clone_without_recursion(v: &Value) -> Value {
    {
        let mut tasks = vec![CloneTask::Visit(v)];
        let mut done: Vec<Value> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                CloneTask::Visit(v) => match v {
                    Value::Null => done.push(Value::Null),
                    Value::Bool(b) => done.push(Value::Bool(*b)),
                    Value::Number(n) => done.push(Value::Number(n.clone())),
                    Value::String(s) => done.push(Value::String(s.clone())),
                    Value::Shared(a) => done.push(Value::Shared(a.clone())),
                    Value::List(items) => {
                        tasks.push(CloneTask::List(items.len()));
                        tasks.extend(items.iter().rev().map(CloneTask::Visit));
                    }
                    Value::Map(map) => {
                        tasks.push(CloneTask::Map(map));
                        tasks.extend(map.values().rev().map(CloneTask::Visit));
                    }
                    Value::Expr(e) => {
                        tasks.push(CloneTask::Expr(e));
                        match &**e {
                            Expr::Sub(_, vars) => {
                                tasks.extend(vars.values().rev().map(CloneTask::Visit))
                            }
                            Expr::Join(_, parts) => {
                                tasks.extend(parts.iter().rev().map(CloneTask::Visit))
                            }
                            Expr::ImportValue(c) | Expr::Select(_, c) | Expr::Split(_, c) => {
                                tasks.push(CloneTask::Visit(c))
                            }
                            Expr::Ref(_) | Expr::Pseudo(_) => {}
                        }
                    }
                },
                CloneTask::List(n) => {
                    let items = done.split_off(done.len() - n);
                    done.push(Value::List(items));
                }
                CloneTask::Map(map) => {
                    let values = done.split_off(done.len() - map.len());
                    let mut m = Map::with_capacity_and_hasher(map.len(), Default::default());
                    m.extend(map.keys().cloned().zip(values));
                    done.push(Value::Map(m));
                }
                CloneTask::Expr(e) => {
                    let mut operand = || done.pop().unwrap_or_default();
                    let cloned = match e {
                        Expr::Ref(r) => Expr::Ref(r.clone()),
                        Expr::Pseudo(p) => Expr::Pseudo(*p),
                        Expr::ImportValue(_) => Expr::ImportValue(operand()),
                        Expr::Select(i, _) => Expr::Select(*i, operand()),
                        Expr::Split(sep, _) => Expr::Split(sep.clone(), operand()),
                        Expr::Sub(template, vars) => {
                            let values = done.split_off(done.len() - vars.len());
                            let mut m =
                                Map::with_capacity_and_hasher(vars.len(), Default::default());
                            m.extend(vars.keys().cloned().zip(values));
                            Expr::Sub(template.clone(), m)
                        }
                        Expr::Join(sep, parts) => {
                            Expr::Join(sep.clone(), done.split_off(done.len() - parts.len()))
                        }
                    };
                    done.push(Value::Expr(Box::new(cloned)));
                }
            }
        }
        done.pop().unwrap_or_default()
    }
}

/// Values are compared without recursion; objects compare as maps (key order aside), as
/// `IndexMap` does.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        let mut pending: Vec<(&Value, &Value)> = vec![(self, other)];
        while let Some((a, b)) = pending.pop() {
            let same = match (a, b) {
                (Value::Shared(x), Value::Shared(y)) if std::sync::Arc::ptr_eq(x, y) => true,
                (Value::Shared(x), _) => {
                    pending.push((x, b));
                    true
                }
                (_, Value::Shared(y)) => {
                    pending.push((a, y));
                    true
                }
                (Value::Null, Value::Null) => true,
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Number(x), Value::Number(y)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                (Value::List(x), Value::List(y)) => {
                    pending.extend(x.iter().zip(y));
                    x.len() == y.len()
                }
                (Value::Map(x), Value::Map(y)) => maps_match(x, y, &mut pending),
                (Value::Expr(x), Value::Expr(y)) => match (&**x, &**y) {
                    (Expr::Ref(p), Expr::Ref(q)) => p == q,
                    (Expr::Pseudo(p), Expr::Pseudo(q)) => p == q,
                    (Expr::Sub(s, v), Expr::Sub(t, w)) => s == t && maps_match(v, w, &mut pending),
                    (Expr::Join(s, v), Expr::Join(t, w)) => {
                        pending.extend(v.iter().zip(w));
                        s == t && v.len() == w.len()
                    }
                    (Expr::ImportValue(v), Expr::ImportValue(w)) => {
                        pending.push((v, w));
                        true
                    }
                    (Expr::Select(i, v), Expr::Select(j, w)) => {
                        pending.push((v, w));
                        i == j
                    }
                    (Expr::Split(s, v), Expr::Split(t, w)) => {
                        pending.push((v, w));
                        s == t
                    }
                    _ => false,
                },
                _ => false,
            };
            if !same {
                return false;
            }
        }
        true
    }
}

/// Whether two maps have the same keys, queueing their values to compare.
fn maps_match<'a>(x: &'a Map, y: &'a Map, pending: &mut Vec<(&'a Value, &'a Value)>) -> bool {
    if x.len() != y.len() {
        return false;
    }
    for (k, v) in x {
        match y.get(k) {
            Some(w) => pending.push((v, w)),
            None => return false,
        }
    }
    true
}

/// As derived, except that a value nested deeper than [`MAX_DEPTH`] is shown as such
/// instead of being formatted by recursion.
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if nests(self) && self.depth(MAX_DEPTH) > MAX_DEPTH {
            return write!(f, "Value(nested more than {MAX_DEPTH} levels deep)");
        }
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => f.debug_tuple("Bool").field(b).finish(),
            Value::Number(n) => f.debug_tuple("Number").field(n).finish(),
            Value::String(s) => f.debug_tuple("String").field(s).finish(),
            Value::List(items) => f.debug_tuple("List").field(items).finish(),
            Value::Map(m) => f.debug_tuple("Map").field(m).finish(),
            Value::Expr(e) => f.debug_tuple("Expr").field(e).finish(),
            Value::Shared(v) => f.debug_tuple("Shared").field(v).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sub_template_splits_into_text_variables_escapes_and_an_unclosed_tail() {
        use super::{sub_pieces, SubPiece::*};
        let pieces: Vec<_> =
            sub_pieces("arn:${AWS::Partition}:iam::${Id}:role/${!Literal}x${open").collect();
        assert_eq!(
            pieces,
            [
                Text("arn:"),
                Var("AWS::Partition"),
                Text(":iam::"),
                Var("Id"),
                Text(":role/"),
                Escaped("Literal"),
                Text("x"),
                Unclosed("${open"),
            ]
        );
        assert_eq!(sub_pieces("").count(), 0);
    }

    use super::*;

    /// A list of maps of `Fn::Join`s …, `levels` values deep, a string at the bottom.
    fn deep(levels: usize) -> Value {
        let mut v = Value::from("bottom");
        for i in 0..levels {
            v = match i % 3 {
                0 => Value::List(vec![v, Value::from(i as u64)]),
                1 => {
                    let mut m = Map::default();
                    m.insert("Key".into(), v);
                    Value::Map(m)
                }
                _ => Value::from(Expr::Join(",".into(), vec![v])),
            };
        }
        v
    }

    #[test]
    fn values_across_the_recursion_limit_clone_equal_and_drop() {
        let limit = RECURSION_LIMIT as usize;
        for levels in [limit - 1, limit, limit + 1, 3 * limit, 100_000] {
            let v = deep(levels);
            let copy = v.clone();
            assert!(copy == v, "{levels} levels");
            assert_eq!(NESTED.with(std::cell::Cell::get), 0);
            drop(copy);
            drop(v);
            assert_eq!(NESTED.with(std::cell::Cell::get), 0);
        }
        // A value shared deep inside is cloned as a pointer and freed once.
        let shared = Value::shared(deep(10));
        let v = Value::List(vec![deep(2 * limit), shared.clone()]);
        let copy = v.clone();
        drop(v);
        assert!(matches!(&copy, Value::List(items) if items[1] == shared));
    }
}
