//! Names the layout derives from others: identifiers from names, names from identifiers,
//! and an account's name from its resource.

use crate::app::App;
use crate::cfn::{NodeId, Value};

/// `shared-services` → `SharedServices`.
pub(super) fn upper_camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `DenyRootUser` → `deny-root-user`.
pub(super) fn kebab(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The `AccountName` of the account resource `node` (`account` if it has none).
pub(super) fn account_name_of(app: &App, node: NodeId) -> String {
    app.resource(&node)
        .and_then(|r| r.properties.get("AccountName"))
        .and_then(Value::as_str)
        .unwrap_or("account")
        .to_owned()
}
