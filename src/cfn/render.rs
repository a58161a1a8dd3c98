//! The one place that decides the exact bytes of what we write.

use serde::Serialize;
use serde_json::ser::{PrettyFormatter, Serializer};

use crate::error::{Error, Result};

/// Renders `value` as 2-space indented JSON followed by one newline.
///
/// # Errors
/// [`Error::Render`] if the value cannot be rendered (an unresolved reference).
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut buf = Vec::with_capacity(4096);
    pretty_into(value, &mut buf)?;
    into_string(buf)
}

/// Renders `value` as 2-space indented JSON followed by one newline, appending to `buf`.
///
/// # Errors
/// As [`pretty`].
pub fn pretty_into<T: Serialize + ?Sized>(value: &T, buf: &mut Vec<u8>) -> Result<()> {
    let mut ser = Serializer::with_formatter(&mut *buf, PrettyFormatter::with_indent(b"  "));
    value
        .serialize(&mut ser)
        .map_err(|e| Error::Render(e.to_string()))?;
    buf.push(b'\n');
    Ok(())
}

/// Renders `value` as minified JSON, without a trailing newline.
///
/// # Errors
/// As [`pretty`].
pub fn minified<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Render(e.to_string()))
}

fn into_string(buf: Vec<u8>) -> Result<String> {
    String::from_utf8(buf).map_err(|e| Error::Render(e.to_string()))
}
