//! JSON as read from the export: parsed keeping the order keys are written in (whatever
//! features of serde_json a build unifies), and read through a cursor that knows its JSON
//! path, so that every error names the file and where in it.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ImportError;
use crate::aws::InvalidValue;
use crate::cfn::{Map, Value};

/// A [`Value`] deserialized with its keys in written order.
pub(super) struct Ordered(pub(super) Value);

impl<'de> de::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OrderedVisitor).map(Ordered)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Ordered(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::default();
        while let Some((k, Ordered(v))) = map.next_entry::<String, Ordered>()? {
            out.insert(k.into(), v);
        }
        Ok(Value::Map(out))
    }
}

/// Parses `text` keeping key order.
pub(super) fn parse(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<Ordered>(text).map(|o| o.0)
}

/// A value of a file, with its JSON path.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub(super) file: &'a Path,
    pub(super) pointer: &'a str,
    pub(super) value: &'a Value,
}

/// A path owned, for the values below a cursor.
pub(super) struct Owned<'a> {
    file: &'a Path,
    pointer: String,
    value: &'a Value,
}

impl<'a> Owned<'a> {
    pub(super) fn at(&self) -> At<'_> {
        At {
            file: self.file,
            pointer: &self.pointer,
            value: self.value,
        }
    }
}

impl<'a> At<'a> {
    pub(super) fn root(file: &'a Path, value: &'a Value) -> Self {
        At {
            file,
            pointer: "$",
            value,
        }
    }

    pub(super) fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::Malformed {
            path: self.file.to_path_buf(),
            pointer: self.pointer.to_owned(),
            message: message.into(),
        }
    }

    fn kind(&self) -> &'static str {
        match self.value.get() {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "an array",
            Value::Map(_) => "an object",
            _ => "a value",
        }
    }

    /// The field `key` of this object; missing or not an object is an error.
    pub(super) fn field(&self, key: &str) -> Result<Owned<'a>, ImportError> {
        match self.value.get() {
            Value::Map(m) => match m.get(key) {
                Some(v) => Ok(Owned {
                    file: self.file,
                    pointer: format!("{}.{key}", self.pointer),
                    value: v,
                }),
                None => Err(self.error(format!("the field `{key}` is missing"))),
            },
            _ => Err(self.error(format!("expected an object, found {}", self.kind()))),
        }
    }

    /// The field `key`, if present and not null.
    pub(super) fn optional(&self, key: &str) -> Result<Option<Owned<'a>>, ImportError> {
        match self.value.get() {
            Value::Map(m) => Ok(m
                .get(key)
                .filter(|v| !matches!(v.get(), Value::Null))
                .map(|v| Owned {
                    file: self.file,
                    pointer: format!("{}.{key}", self.pointer),
                    value: v,
                })),
            _ => Err(self.error(format!("expected an object, found {}", self.kind()))),
        }
    }

    /// The items of this array.
    pub(super) fn items(&self) -> Result<Vec<Owned<'a>>, ImportError> {
        match self.value.get() {
            Value::List(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Owned {
                    file: self.file,
                    pointer: format!("{}[{i}]", self.pointer),
                    value: v,
                })
                .collect()),
            _ => Err(self.error(format!("expected an array, found {}", self.kind()))),
        }
    }

    pub(super) fn str(&self) -> Result<&'a str, ImportError> {
        self.value
            .as_str()
            .ok_or_else(|| self.error(format!("expected a string, found {}", self.kind())))
    }

    pub(super) fn bool(&self) -> Result<bool, ImportError> {
        match self.value.get() {
            Value::Bool(b) => Ok(*b),
            _ => Err(self.error(format!("expected a boolean, found {}", self.kind()))),
        }
    }

    /// This string, parsed as one of the checked types of [`aws`](crate::aws).
    pub(super) fn parse<T: FromStr<Err = InvalidValue>>(&self) -> Result<T, ImportError> {
        self.str()?
            .parse::<T>()
            .map_err(|e| self.error(e.to_string()))
    }
}
