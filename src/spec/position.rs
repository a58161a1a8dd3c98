//! Where each value of a JSON text starts, by JSON path: serde_json reports no positions
//! for a tree, so the shape problems found in it are placed with this index.

use std::collections::BTreeMap;

use super::policy::child;

/// Deeper than serde_json reads (128 by default), a text is never indexed.
const MAX_DEPTH: usize = 256;

/// The line and column (from 1, columns in characters) where each value of `text` starts,
/// by JSON path. `text` is JSON that serde_json has read; anything else gives what could be
/// indexed before it.
pub(crate) fn positions(text: &str) -> BTreeMap<String, (usize, usize)> {
    let mut scan = Scan {
        s: text.as_bytes(),
        i: 0,
        line: 1,
        column: 1,
        out: BTreeMap::new(),
    };
    scan.value("$".to_owned(), 0);
    scan.out
}

/// The position of the value at `path`, or of the closest value above it that the text
/// has (a field that is missing is placed at its object).
pub(crate) fn nearest(
    index: &BTreeMap<String, (usize, usize)>,
    path: &str,
) -> Option<(usize, usize)> {
    let mut path = path;
    loop {
        if let Some(p) = index.get(path) {
            return Some(*p);
        }
        path = parent(path)?;
    }
}

/// `path` without its last step: `.key`, `["key"]` or `[index]`.
fn parent(path: &str) -> Option<&str> {
    let cut = if path.ends_with("\"]") {
        path.rfind("[\"")?
    } else if path.ends_with(']') {
        path.rfind('[')?
    } else {
        path.rfind('.')?
    };
    Some(&path[..cut])
}

struct Scan<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
    column: usize,
    out: BTreeMap<String, (usize, usize)>,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bump(&mut self) {
        let Some(b) = self.peek() else { return };
        self.i += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            // A character starts here (not a UTF-8 continuation byte).
            self.column += 1;
        }
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.bump();
        }
    }

    fn string(&mut self) {
        self.bump();
        while let Some(b) = self.peek() {
            self.bump();
            match b {
                b'\\' => self.bump(),
                b'"' => return,
                _ => {}
            }
        }
    }

    fn value(&mut self, path: String, depth: usize) {
        self.whitespace();
        if depth > MAX_DEPTH {
            return;
        }
        self.out.insert(path.clone(), (self.line, self.column));
        match self.peek() {
            Some(b'{') => {
                self.bump();
                loop {
                    self.whitespace();
                    if self.peek() != Some(b'"') {
                        self.bump(); // `}`, or text that is not JSON
                        return;
                    }
                    let start = self.i;
                    self.string();
                    let key: String =
                        serde_json::from_slice(&self.s[start..self.i]).unwrap_or_default();
                    self.whitespace();
                    if self.peek() != Some(b':') {
                        return;
                    }
                    self.bump();
                    self.value(child(&path, &key), depth + 1);
                    self.whitespace();
                    match self.peek() {
                        Some(b',') => self.bump(),
                        _ => {
                            self.bump();
                            return;
                        }
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                self.whitespace();
                if self.peek() == Some(b']') {
                    self.bump();
                    return;
                }
                let mut index = 0;
                loop {
                    self.value(format!("{path}[{index}]"), depth + 1);
                    index += 1;
                    self.whitespace();
                    match self.peek() {
                        Some(b',') => self.bump(),
                        _ => {
                            self.bump();
                            return;
                        }
                    }
                }
            }
            Some(b'"') => self.string(),
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.bump();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_placed_by_its_path() {
        let p = positions("{\n  \"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"ü\": true, \"c:d\": null\n}");
        assert_eq!(p["$"], (1, 1));
        assert_eq!(p["$.a"], (2, 8));
        assert_eq!(p["$.a[0]"], (2, 9));
        assert_eq!(p["$.a[1]"], (2, 12));
        assert_eq!(p["$.a[1].b"], (2, 18));
        assert_eq!(p[r#"$["ü"]"#], (3, 8));
        assert_eq!(p[r#"$["c:d"]"#], (3, 21));
        assert_eq!(p.len(), 7);
    }

    #[test]
    fn a_path_the_text_lacks_is_placed_at_its_closest_parent() {
        let p = positions("{\"a\": [{\"b\": 1}]}");
        assert_eq!(nearest(&p, "$.a[0].b"), Some((1, 14)));
        assert_eq!(nearest(&p, "$.a[0].missing"), Some((1, 8)));
        assert_eq!(nearest(&p, r#"$.a[0]["x.y"].z"#), Some((1, 8)));
        assert_eq!(nearest(&p, "$.a[7]"), Some((1, 7)));
        assert_eq!(nearest(&p, "nothing"), None);
    }

    #[test]
    fn text_that_is_not_json_ends_the_index_without_a_panic() {
        for text in [
            "",
            "{",
            "[1,",
            "{\"a\"",
            "{\"a\":",
            "\"abc",
            "{\"a\" 1}",
            "[[[[",
        ] {
            let p = positions(text);
            assert!(p.len() <= 5, "{text}: {p:?}");
        }
    }
}
