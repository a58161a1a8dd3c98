//! JSON as read from the export: parsed keeping the order keys are written in (whatever
//! features of serde_json a build unifies; [`crate::spec::Json`] does the parsing), and read through a cursor that knows its JSON
//! path, so that every error names the file and where in it.

use std::path::Path;
use std::str::FromStr;

use super::ImportError;
use crate::aws::InvalidValue;
use crate::cfn::Value;

/// Parses `text` keeping key order (as the spec reads its JSON: a key written twice is an
/// error, not the last one winning).
pub(super) fn parse(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<crate::spec::Json>(text).map(|j| j.0)
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
