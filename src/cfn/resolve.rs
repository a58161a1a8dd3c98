//! Values rendered for one template: every reference to a construct is written as that
//! template expresses it (a `Ref` of a logical ID, a parameter, an import), decided by a
//! [`Resolve`]r, while the bytes are written — no template is copied on the way.

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::expr::{Expr, Map, NodeId, Reference, Target, Value};

/// How one template expresses references to constructs.
pub trait Resolve {
    /// Writes `r` as this template expresses it.
    ///
    /// # Errors
    /// The serializer's error, e.g. for a reference the template cannot express.
    fn reference<S: Serializer>(&self, r: &Reference, ser: S) -> Result<S::Ok, S::Error>;

    /// The logical ID of a construct of this template, for `DependsOn`.
    fn logical_id(&self, _node: NodeId) -> Option<&str> {
        None
    }
}

/// The resolver of a template written by hand: logical IDs are written as they are, and a
/// reference to a construct is an error (only an [`App`](crate::App) can resolve it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Literal;

impl Resolve for Literal {
    fn reference<S: Serializer>(&self, r: &Reference, ser: S) -> Result<S::Ok, S::Error> {
        match &r.target {
            Target::Logical(id) => write_local(id, r.attribute.as_deref(), ser),
            Target::Node(_) => Err(S::Error::custom(
                "a reference to a construct was not resolved before rendering",
            )),
        }
    }
}

/// `{"Ref": id}` or `{"Fn::GetAtt": [id, attribute]}`.
pub(crate) fn write_local<S: Serializer>(
    id: &str,
    attribute: Option<&str>,
    ser: S,
) -> Result<S::Ok, S::Error> {
    let mut m = ser.serialize_map(Some(1))?;
    match attribute {
        None => m.serialize_entry("Ref", id)?,
        Some(attr) => m.serialize_entry("Fn::GetAtt", &[id, attr])?,
    }
    m.end()
}

/// `{"Fn::ImportValue": name}`.
pub(crate) fn write_import<S: Serializer>(name: &str, ser: S) -> Result<S::Ok, S::Error> {
    let mut m = ser.serialize_map(Some(1))?;
    m.serialize_entry("Fn::ImportValue", name)?;
    m.end()
}

/// A value, map, list or expression rendered with resolver `R`.
pub struct With<'a, T: ?Sized, R>(pub &'a T, pub &'a R);

impl<R: Resolve> Serialize for With<'_, Value, R> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => ser.serialize_unit(),
            Value::Bool(b) => ser.serialize_bool(*b),
            Value::Number(n) => n.serialize(ser),
            Value::String(v) => ser.serialize_str(v),
            Value::List(items) => With(items.as_slice(), self.1).serialize(ser),
            Value::Map(m) => With(m, self.1).serialize(ser),
            Value::Expr(e) => With(&**e, self.1).serialize(ser),
            Value::Shared(v) => With(&**v, self.1).serialize(ser),
        }
    }
}

impl<R: Resolve> Serialize for With<'_, [Value], R> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(&With(v, self.1))?;
        }
        seq.end()
    }
}

impl<R: Resolve> Serialize for With<'_, Map, R> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, &With(v, self.1))?;
        }
        m.end()
    }
}

/// A two-element JSON array of two different types.
struct Pair<A, B>(A, B);

impl<A: Serialize, B: Serialize> Serialize for Pair<A, B> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(2))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(&self.1)?;
        seq.end()
    }
}

impl<R: Resolve> Serialize for With<'_, Expr, R> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let r = self.1;
        if let Expr::Ref(reference) = self.0 {
            return r.reference(reference, ser);
        }
        let mut m = ser.serialize_map(Some(1))?;
        match self.0 {
            // Written above, before the map is opened.
            Expr::Ref(_) => {}
            Expr::Pseudo(p) => m.serialize_entry("Ref", p.as_str())?,
            Expr::Sub(template, vars) if vars.is_empty() => {
                m.serialize_entry("Fn::Sub", template)?
            }
            Expr::Sub(template, vars) => {
                m.serialize_entry("Fn::Sub", &Pair(template, With(vars, r)))?
            }
            Expr::Join(sep, parts) => {
                m.serialize_entry("Fn::Join", &Pair(sep, With(parts.as_slice(), r)))?
            }
            Expr::ImportValue(v) => m.serialize_entry("Fn::ImportValue", &With(v, r))?,
            Expr::Select(i, v) => {
                m.serialize_entry("Fn::Select", &Pair(i.to_string(), With(v, r)))?
            }
            Expr::Split(sep, v) => m.serialize_entry("Fn::Split", &Pair(sep, With(v, r)))?,
        }
        m.end()
    }
}

/// A value nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH) is refused with an error
/// rather than serialized by recursion (synthesis reports such values before it renders).
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.depth(super::MAX_DEPTH) > super::MAX_DEPTH {
            return Err(serde::ser::Error::custom(format!(
                "a value nested more than {} levels deep",
                super::MAX_DEPTH
            )));
        }
        With(self, &Literal).serialize(s)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        With(self, &Literal).serialize(s)
    }
}
