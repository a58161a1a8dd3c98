//! The one place that decides the exact bytes of what we write.
//!
//! Pretty output is serde_json's layout — two spaces per level, `"key": value`, empty
//! objects and arrays as `{}` and `[]` — followed by one newline. The formatter below
//! writes each line break and its indentation in one piece instead of one level at a time.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

use crate::error::{Error, Result};

/// A newline followed by enough spaces for 127 levels of nesting.
const BREAK: &[u8; 1 + 254] = &{
    let mut b = [b' '; 255];
    b[0] = b'\n';
    b
};

/// serde_json's pretty layout with a two-space indent, written with fewer calls.
#[derive(Debug, Default)]
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn newline<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        let n = 1 + 2 * self.level;
        if n <= BREAK.len() {
            w.write_all(&BREAK[..n])
        } else {
            w.write_all(b"\n")?;
            for _ in 0..self.level {
                w.write_all(b"  ")?;
            }
            Ok(())
        }
    }
}

impl Indented {
    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Renders `value` as 2-space indented JSON followed by one newline.
///
/// # Errors
/// [`Error::Render`] if the value cannot be rendered (an unresolved reference).
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    pretty_with_capacity(value, 4096)
}

/// [`pretty`], into a buffer sized for `capacity` bytes up front.
///
/// # Errors
/// As [`pretty`].
pub fn pretty_with_capacity<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<String> {
    let mut buf = Vec::with_capacity(capacity);
    pretty_into(value, &mut buf)?;
    into_string(buf)
}

/// Renders `value` as 2-space indented JSON followed by one newline, appending to `buf`.
///
/// # Errors
/// As [`pretty`].
pub fn pretty_into<T: Serialize + ?Sized>(value: &T, buf: &mut Vec<u8>) -> Result<()> {
    let mut ser = Serializer::with_formatter(&mut *buf, Indented::default());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout is serde_json's pretty printer's, byte for byte, at every depth.
    #[test]
    fn same_bytes_as_serde_json_pretty() {
        let mut deep = serde_json::json!("leaf");
        for i in 0..140 {
            deep = serde_json::json!({ format!("k{i}"): [deep, [], {}, 1, null, "x"] });
        }
        let ours = pretty(&deep).unwrap();
        let theirs = serde_json::to_string_pretty(&deep).unwrap() + "\n";
        assert_eq!(ours, theirs);
        assert!(ours.ends_with("}\n"));
    }
}
