//! Checks of the values Organizations constrains, stricter than the resource schemas
//! (whose patterns are unanchored and accept, say, `a b@example.com junk`).

/// Why an e-mail address is refused, or `None` if it is a valid address of 6–64 characters.
pub(crate) fn email_problem(email: &str) -> Option<&'static str> {
    let len = email.chars().count();
    if !(6..=64).contains(&len) {
        return Some("an account e-mail must be 6 to 64 characters");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Some("an e-mail address needs an `@`");
    };
    if local.is_empty() || local.len() > 64 {
        return Some("the part before `@` must be 1 to 64 characters");
    }
    const LOCAL_SPECIAL: &str = "!#$%&'*+/=?^_`{|}~.-";
    if !local
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || LOCAL_SPECIAL.as_bytes().contains(&c))
    {
        return Some("the part before `@` may hold only letters, digits and !#$%&'*+/=?^_`{|}~.-");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("the part before `@` must not start or end with a dot or hold two in a row");
    }
    if !domain.contains('.') {
        return Some("the domain needs at least two labels, e.g. `example.com`");
    }
    for label in domain.split('.') {
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return Some("each domain label must be 1 to 63 letters, digits or inner hyphens");
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if tld.len() < 2 || !tld.bytes().all(|c| c.is_ascii_alphabetic()) {
        return Some("the top-level domain must be at least two letters");
    }
    None
}

/// Whether `name` is 1–50 printable ASCII characters.
pub(crate) fn is_valid_account_name(name: &str) -> bool {
    (1..=50).contains(&name.len()) && name.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// `^r-[0-9a-z]{4,32}$`
pub(crate) fn is_root_id(id: &str) -> bool {
    id.strip_prefix("r-")
        .is_some_and(|rest| (4..=32).contains(&rest.len()) && is_lower_alnum(rest))
}

/// `^o-[a-z0-9]{10,32}$`
pub(crate) fn is_organization_id(id: &str) -> bool {
    id.strip_prefix("o-")
        .is_some_and(|rest| (10..=32).contains(&rest.len()) && is_lower_alnum(rest))
}

/// `^\d{12}$`
pub(crate) fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

fn is_lower_alnum(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// Why a tag is refused (Organizations' tag pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`).
pub(crate) fn tag_problem(key: &str, value: &str) -> Option<&'static str> {
    let ok = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
    };
    if !(1..=128).contains(&key.chars().count()) {
        return Some("a tag key must be 1 to 128 characters");
    }
    if value.chars().count() > 256 {
        return Some("a tag value must be at most 256 characters");
    }
    if key.starts_with("aws:") {
        return Some("tag keys starting with `aws:` are reserved");
    }
    if !ok(key) || !ok(value) {
        return Some("tags may hold letters, digits, spaces and _.:/=+-@ only");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "prod@aws.acme.example",
            "a.b+c@example.co",
            "x_y@sub-domain.example.org",
        ] {
            assert_eq!(email_problem(ok), None, "{ok}");
        }
        for bad in [
            "not-an-email",
            "a b@example.com junk",
            "a@b.c",
            "@example.com",
            "a..b@example.com",
            ".a@example.com",
            "a@example",
            "a@-x.com",
            "a@example.c0m",
            "a@exa mple.com",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(60));
        assert!(email_problem(&long).is_some());
    }

    #[test]
    fn ids() {
        assert!(is_root_id("r-ab12"));
        assert!(!is_root_id("r-AB12"));
        assert!(!is_root_id("r-abc"));
        assert!(!is_root_id("root"));
        assert!(is_organization_id("o-abcdef1234"));
        assert!(!is_organization_id("o-abc"));
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
    }

    #[test]
    fn names() {
        assert!(is_valid_account_name("Prod (EU)"));
        assert!(!is_valid_account_name(&"x".repeat(51)));
        assert!(!is_valid_account_name("tab\tname"));
        assert!(!is_valid_account_name("é"));
        assert_eq!(tag_problem("team", "platform"), None);
        assert!(tag_problem("aws:x", "y").is_some());
        assert!(tag_problem("a", "b#").is_some());
    }
}
