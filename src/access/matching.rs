//! Matching text the way IAM does: three-valued answers, policy variables, wildcards,
//! ARNs, numbers, dates and IP ranges.

use std::borrow::Cow;
use std::net::IpAddr;

use super::request::Context;
use crate::iam::policy::wildcard_match;

/// A three-valued answer: what the simulator cannot interpret is `Unknown`, never a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Holds.
    Yes,
    /// Does not hold.
    No,
    /// Depends on a value the simulator does not know.
    Unknown,
}

impl Tri {
    /// From a boolean.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    /// Negation (`Unknown` stays `Unknown`).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// Whether any of the answers holds.
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::No, Tri::or)
    }

    /// Whether all of the answers hold (`Yes` for none).
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::Yes, Tri::and)
    }
}

/// Stand-ins for the escaped characters `${*}`, `${?}` and `${$}`: literal, never wildcards.
const LITERAL_STAR: char = '\u{E000}';
const LITERAL_QUESTION: char = '\u{E001}';

/// Replaces the policy variables of `text` (`${aws:username}`, `${aws:PrincipalTag/team}`,
/// `${aws:username, 'default'}`) with the request's values. `None` when a variable has no
/// value (and no default), or several: the element it is in then matches nothing.
pub fn substitute<'t>(text: &'t str, ctx: &Context) -> Option<Cow<'t, str>> {
    if !text.contains("${") {
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Some(Cow::Owned(out));
        };
        let inner = after[..end].trim();
        match inner {
            "*" => out.push(LITERAL_STAR),
            "?" => out.push(LITERAL_QUESTION),
            "$" => out.push('$'),
            _ => {
                let (name, default) = match inner.split_once(',') {
                    Some((n, d)) => (n.trim(), Some(d.trim().trim_matches('\''))),
                    None => (inner, None),
                };
                match ctx.values(name) {
                    Some([one]) => out.push_str(one),
                    Some([]) | None => out.push_str(default?),
                    Some(_) => return None,
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Wildcard matching (`*`, `?`) after [`substitute`], case-sensitive unless `fold`.
pub fn glob(pattern: &str, text: &str, case_sensitive: bool) -> bool {
    if !pattern.contains([LITERAL_STAR, LITERAL_QUESTION]) {
        return wildcard_match(pattern, text, case_sensitive);
    }
    // Escaped wildcards are compared as themselves: split on the pattern's real wildcards.
    let p: String = pattern
        .chars()
        .map(|c| match c {
            LITERAL_STAR => '\u{E010}',
            LITERAL_QUESTION => '\u{E011}',
            c => c,
        })
        .collect();
    let t: String = text
        .chars()
        .map(|c| match c {
            '*' => '\u{E010}',
            '?' => '\u{E011}',
            c => c,
        })
        .collect();
    wildcard_match(&p, &t, case_sensitive)
}

/// An ARN split in its six parts; the last keeps its colons.
fn arn_parts(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn" || parts[0] == "*" || parts[0].contains('*')).then_some(parts)
}

/// `ArnLike`/`ArnEquals`: part by part, each with wildcards, case-sensitively; a value
/// that is not an ARN matches nothing.
pub fn arn_like(pattern: &str, value: &str) -> bool {
    match (arn_parts(pattern), arn_parts(value)) {
        (Some(p), Some(v)) => p.iter().zip(v.iter()).all(|(p, v)| glob(p, v, true)),
        _ => false,
    }
}

/// The `Resource` element: `*`, an ARN matched part by part, or any other text by
/// wildcards.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match (arn_parts(pattern), arn_parts(resource)) {
        (Some(_), Some(_)) => arn_like(pattern, resource),
        _ => glob(pattern, resource, true),
    }
}

/// A number as IAM reads it.
pub fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date as IAM reads it, in seconds since the epoch: an ISO 8601 date or date-time
/// (UTC, or with an offset), or epoch seconds.
pub fn date(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Some(n) = number(s) {
        return Some(n);
    }
    let (day, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut d = day.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next().map_or(Some(1), |m| m.parse().ok())?;
    let dom: i64 = d.next().map_or(Some(1), |m| m.parse().ok())?;
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&dom) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, dom) as f64 * 86_400.0;
    if let Some(t) = time {
        let (clock, offset) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
            (c, 0.0)
        } else if let Some(i) = t.rfind(['+', '-']) {
            let (c, o) = t.split_at(i);
            let sign = if o.starts_with('-') { -1.0 } else { 1.0 };
            let o = &o[1..];
            let (h, m) = o.split_once(':').unwrap_or((o, "0"));
            let off = h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0;
            (c, sign * off)
        } else {
            (t, 0.0)
        };
        let mut c = clock.split(':');
        let h: f64 = c.next()?.parse().ok()?;
        let m: f64 = c.next().map_or(Some(0.0), |x| x.parse().ok())?;
        let sec: f64 = c.next().map_or(Some(0.0), |x| x.parse().ok())?;
        seconds += h * 3600.0 + m * 60.0 + sec - offset;
    }
    Some(seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether `value` (an address) is in `cidr` (an address or a range).
pub fn in_cidr(cidr: &str, value: &str) -> bool {
    let Ok(ip) = value.trim().parse::<IpAddr>() else {
        return false;
    };
    let (net, bits) = match cidr.trim().split_once('/') {
        Some((n, b)) => match (n.parse::<IpAddr>(), b.parse::<u32>()) {
            (Ok(n), Ok(b)) => (n, b),
            _ => return false,
        },
        None => match cidr.trim().parse::<IpAddr>() {
            Ok(n) => (n, if n.is_ipv4() { 32 } else { 128 }),
            Err(_) => return false,
        },
    };
    let (a, b, width) = match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u32::from(n) as u128, u32::from(i) as u128, 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    if bits > width {
        return false;
    }
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_logic() {
        assert_eq!(Tri::Yes.and(Tri::Unknown), Tri::Unknown);
        assert_eq!(Tri::No.and(Tri::Unknown), Tri::No);
        assert_eq!(Tri::Yes.or(Tri::Unknown), Tri::Yes);
        assert_eq!(Tri::No.or(Tri::Unknown), Tri::Unknown);
        assert_eq!(Tri::Unknown.not(), Tri::Unknown);
        assert_eq!(Tri::all([]), Tri::Yes);
        assert_eq!(Tri::any([]), Tri::No);
    }

    #[test]
    fn variables_and_escapes() {
        let ctx = Context::new()
            .with("aws:username", "alice")
            .with("aws:PrincipalTag/team", "blue");
        assert_eq!(
            substitute("user/${aws:username}", &ctx).as_deref(),
            Some("user/alice")
        );
        // Keys are case-insensitive.
        assert_eq!(
            substitute("${AWS:UserName}-${aws:principaltag/team}", &ctx).as_deref(),
            Some("alice-blue")
        );
        assert_eq!(substitute("${aws:userid}", &ctx), None);
        assert_eq!(
            substitute("${aws:userid, 'nobody'}", &ctx).as_deref(),
            Some("nobody")
        );
        let lit = substitute("a${*}b", &ctx).unwrap();
        assert!(glob(&lit, "a*b", true));
        assert!(!glob(&lit, "axb", true));
    }

    #[test]
    fn arns_match_part_by_part() {
        assert!(arn_like("arn:aws:iam::*:role/x", "arn:aws:iam::123:role/x"));
        // A wildcard does not cross a part.
        assert!(!arn_like("arn:aws:iam::*", "arn:aws:iam::123:role/x"));
        assert!(arn_like("arn:aws:iam::*:*", "arn:aws:iam::123:role/x"));
        assert!(!arn_like("arn:aws:iam::*:role/X", "arn:aws:iam::1:role/x"));
        assert!(!arn_like("arn:aws:iam::*:role/x", "not-an-arn"));
        assert!(resource_matches("*", "anything"));
        assert!(resource_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/a:b/c"));
    }

    #[test]
    fn dates_numbers_and_ranges() {
        assert_eq!(date("1970-01-02"), Some(86_400.0));
        assert_eq!(date("2020-01-01T00:00:00Z"), Some(1_577_836_800.0));
        assert_eq!(date("2020-01-01T01:00:00+01:00"), Some(1_577_836_800.0));
        assert_eq!(date("1577836800"), Some(1_577_836_800.0));
        assert_eq!(date("yesterday"), None);
        assert_eq!(number("3600"), Some(3600.0));
        assert_eq!(number("x"), None);
        assert!(in_cidr("10.0.0.0/8", "10.1.2.3"));
        assert!(!in_cidr("10.0.0.0/8", "11.1.2.3"));
        assert!(in_cidr("203.0.113.7", "203.0.113.7"));
        assert!(in_cidr("2001:db8::/32", "2001:db8::1"));
        assert!(!in_cidr("2001:db8::/32", "10.0.0.1"));
    }
}
