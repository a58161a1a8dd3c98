//! The checks behind the types of the module: a predicate for each AWS pattern, and why an
//! e-mail address is refused, which setters across the crate also call.

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
/// `us-isob-east-1`.
pub(crate) fn is_region(name: &str) -> bool {
    let lower = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let parts: Vec<&str> = name.split('-').collect();
    let (area, partition, place, number) = match parts[..] {
        [area, place, number] => (area, None, place, number),
        [area, partition, place, number] => (area, Some(partition), place, number),
        _ => return false,
    };
    area.len() == 2
        && lower(area)
        && partition.is_none_or(|p| {
            p == "gov"
                || p.strip_prefix("iso")
                    .is_some_and(|x| x.is_empty() || (x.len() == 1 && lower(x)))
        })
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
