//! The checks behind the types of the module: a predicate for each AWS pattern, and why an
//! e-mail address is refused, which setters across the crate also call.

/// Why an e-mail address is refused, or `None` if Organizations accepts it as an account's
/// root e-mail: the rules of `CreateAccount` (6 to 64 characters, all 7-bit ASCII, one `@`;
/// the local name without whitespace, `"'()<>[]:;,\|%&` or a leading dot; the domain of
/// letters, digits, hyphens and dots, with at least one dot and neither starting nor ending
/// with a hyphen or a dot), which imply the CloudFormation schema's pattern
/// `[^\s@]+@[^\s@]+\.[^\s@]+`, and what DNS requires of a domain that receives mail: no
/// empty label, no label starting or ending with a hyphen, and a top-level domain that is
/// not all digits. Internationalized domains are written in punycode (`xn--p1ai`).
pub(crate) fn email_problem(email: &str) -> Option<&'static str> {
    let len = email.chars().count();
    if !(6..=64).contains(&len) {
        return Some("an account e-mail must be 6 to 64 characters");
    }
    if !email.is_ascii() {
        return Some("an account e-mail must be 7-bit ASCII: write an internationalized domain in punycode (xn--…)");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Some("an e-mail address needs an `@`");
    };
    if domain.contains('@') {
        return Some("an e-mail address has exactly one `@`");
    }
    if local.is_empty() {
        return Some("the part before `@` is empty");
    }
    const LOCAL_REFUSED: &[u8] = b"\"'()<>[]:;,\\|%&";
    if local
        .bytes()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control() || LOCAL_REFUSED.contains(&c))
    {
        return Some("the part before `@` may not hold whitespace, control characters or any of \"'()<>[]:;,\\|%&");
    }
    if local.starts_with('.') {
        return Some("the part before `@` must not start with a dot");
    }
    domain_problem(domain)
}

/// Why the domain of an e-mail address cannot receive mail: letters, digits, hyphens and
/// dots; at least two labels, none empty or starting or ending with a hyphen; a
/// top-level domain not all digits.
fn domain_problem(domain: &str) -> Option<&'static str> {
    if !domain
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
    {
        return Some("the domain may hold only letters, digits, hyphens and dots");
    }
    if !domain.contains('.') {
        return Some("the domain needs at least two labels, e.g. `example.com`");
    }
    for label in domain.split('.') {
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') {
            return Some("each domain label must be letters, digits or inner hyphens: none empty, none starting or ending with a hyphen");
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if tld.bytes().all(|c| c.is_ascii_digit()) {
        return Some("the top-level domain must not be all digits");
    }
    None
}

/// Why an address that notifications are sent to (SNS e-mail subscriptions, budget
/// subscribers) is refused, or `None`: an address of at most 254 characters with one `@`,
/// a local part of 1 to 64 printable ASCII characters without whitespace or any of
/// `"(),:;<>@[\]`, and a domain that can receive mail. Neither SNS nor Budgets limits
/// such an address to the 64 characters of an account's root e-mail, nor refuses `%&'`.
pub(crate) fn notification_email_problem(email: &str) -> Option<&'static str> {
    if email.is_empty() || email.len() > 254 {
        return Some("an e-mail address is 1 to 254 characters");
    }
    if !email.is_ascii() {
        return Some("write the address in ASCII: an internationalized domain in punycode (xn--…)");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Some("an e-mail address needs an `@`");
    };
    if local.is_empty() || local.len() > 64 {
        return Some("the part before `@` is 1 to 64 characters");
    }
    const REFUSED: &[u8] = b"\"(),:;<>@[\\]";
    if local
        .bytes()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control() || REFUSED.contains(&c))
    {
        return Some("the part before `@` may not hold whitespace, control characters or any of \"(),:;<>@[\\]");
    }
    domain_problem(domain)
}

/// `^\d{12}$`
pub(crate) fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// `^o-[a-z0-9]{10,32}$`
pub(crate) fn is_organization_id(id: &str) -> bool {
    id.strip_prefix("o-")
        .is_some_and(|rest| (10..=32).contains(&rest.len()) && is_lower_alnum(rest))
}

/// `^r-[0-9a-z]{4,32}$`
pub(crate) fn is_root_id(id: &str) -> bool {
    id.strip_prefix("r-")
        .is_some_and(|rest| (4..=32).contains(&rest.len()) && is_lower_alnum(rest))
}

/// `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`
/// `^p-[0-9a-zA-Z_]{8,128}$`: an Organizations policy id.
pub(crate) fn is_policy_id(id: &str) -> bool {
    id.strip_prefix("p-").is_some_and(|rest| {
        (8..=128).contains(&rest.len())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

pub(crate) fn is_ou_id(id: &str) -> bool {
    id.strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(root, ou)| {
            (4..=32).contains(&root.len())
                && is_lower_alnum(root)
                && (8..=32).contains(&ou.len())
                && is_lower_alnum(ou)
        })
}

/// `^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$`, e.g. `eu-west-1`, `us-gov-west-1`,
/// `us-isob-east-1`, and the European Sovereign Cloud's `eusc-<country>-<place>-<n>`
/// (`eusc-de-east-1`).
pub(crate) fn is_region(name: &str) -> bool {
    let lower = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let parts: Vec<&str> = name.split('-').collect();
    let (area, partition, place, number) = match parts[..] {
        [area, place, number] => (area, None, place, number),
        [area, partition, place, number] => (area, Some(partition), place, number),
        _ => return false,
    };
    let sovereign = area == "eusc";
    (area.len() == 2 || sovereign)
        && lower(area)
        && match partition {
            None => !sovereign,
            Some(p) if sovereign => p.len() == 2 && lower(p),
            Some(p) => {
                p == "gov"
                    || p.strip_prefix("iso")
                        .is_some_and(|x| x.is_empty() || (x.len() == 1 && lower(x)))
            }
        }
        && lower(place)
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// `^[a-zA-Z][-a-zA-Z0-9]{0,127}$`: a CloudFormation stack name, and a StackSet name.
pub(crate) fn is_stack_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    name.len() <= 128
        && bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `^[A-Za-z0-9]{1,255}$`
pub(crate) fn is_logical_id(id: &str) -> bool {
    (1..=255).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn is_lower_alnum(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}
