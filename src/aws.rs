//! Checked values AWS constrains: account ids and root e-mails, organization, root and
//! organizational unit ids, region names, stack and StackSet names and logical IDs. Setters
//! across the crate take raw strings and report a bad value at synthesis, as a
//! [`Diagnostic`] with the construct path; these types check a value when it is parsed
//! (`FromStr`, `TryFrom`, deserialization), so a bad value fails there, with an
//! [`InvalidValue`] that names the value, the [`Rule`] and a fix, and a value of one of these
//! types is valid wherever it goes.
use std::fmt;
use std::str::FromStr;

use crate::error::{Diagnostic, Rule};

/// A value refused by one of the checked types of this module.
///
/// ```
/// use orgstack::{aws::AccountId, Rule};
/// let err = "1234".parse::<AccountId>().unwrap_err();
/// assert_eq!(err.rule, Rule::AccountId);
/// assert_eq!(err.value, "1234");
/// assert_eq!(
///     err.to_string(),
///     "invalid account id `1234`: an account id is 12 digits; \
///      copy the id from `aws organizations list-accounts`",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("invalid {kind} `{value}`: {message}; {hint}")]
pub struct InvalidValue {
    /// What was parsed, e.g. `account id`.
    pub kind: &'static str,
    /// The refused value, exactly as given.
    pub value: String,
    /// The rule the value breaks.
    pub rule: Rule,
    /// What is wrong, e.g. `an account id is 12 digits`.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

impl InvalidValue {
    /// This error as a [`Diagnostic`] at the construct `path`.
    ///
    /// ```
    /// use orgstack::{aws::Region, Rule};
    /// let err = "US-EAST-1".parse::<Region>().unwrap_err();
    /// let d = err.to_diagnostic("Management/Roles");
    /// assert_eq!(d.path, "Management/Roles");
    /// assert_eq!((d.rule, d.value.as_str()), (Rule::Region, "US-EAST-1"));
    /// ```
    pub fn to_diagnostic(&self, path: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            path,
            self.rule,
            &self.value,
            self.message.clone(),
            self.hint,
        )
    }
}

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
        && partition.map_or(true, |p| {
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

/// Defines each checked newtype over `String` and every implementation it has.
macro_rules! checked_strings {
    ($(
        $(#[$meta:meta])*
        $name:ident {
            kind: $kind:literal,
            rule: $rule:ident,
            hint: $hint:literal,
            problem: $problem:expr $(,)?
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Takes `value` if it is valid, without copying it.
            fn check(value: String) -> Result<Self, InvalidValue> {
                let problem: fn(&str) -> Option<&'static str> = $problem;
                match problem(&value) {
                    None => Ok(Self(value)),
                    Some(message) => Err(InvalidValue {
                        kind: $kind,
                        value,
                        rule: Rule::$rule,
                        message: message.to_owned(),
                        hint: $hint,
                    }),
                }
            }

            #[doc = concat!("The ", $kind, " as a string slice.")]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[doc = concat!("The ", $kind, " as an owned string.")]
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidValue;

            fn from_str(s: &str) -> Result<Self, InvalidValue> {
                Self::check(s.to_owned())
            }
        }

        impl TryFrom<&str> for $name {
            type Error = InvalidValue;

            fn try_from(s: &str) -> Result<Self, InvalidValue> {
                Self::check(s.to_owned())
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidValue;

            fn try_from(s: String) -> Result<Self, InvalidValue> {
                Self::check(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Self::check(s).map_err(serde::de::Error::custom)
            }
        }
    )+};
}

checked_strings! {
    /// A 12-digit AWS account id (`^\d{12}$`); leading zeros are part of it.
    ///
    /// ```
    /// use orgstack::aws::AccountId;
    /// let id = "012345678901".parse::<AccountId>()?;
    /// assert_eq!(id, "012345678901");
    /// assert!("12345678901".parse::<AccountId>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    AccountId {
        kind: "account id",
        rule: AccountId,
        hint: "copy the id from `aws organizations list-accounts`",
        problem: |s| (!is_account_id(s)).then_some("an account id is 12 digits"),
    }

    /// The root user's e-mail address of an account: a valid address of 6 to 64 characters,
    /// kept as written (no case folding or trimming).
    ///
    /// ```
    /// use orgstack::aws::Email;
    /// let email = "aws+prod@acme.example".parse::<Email>()?;
    /// assert_eq!(email.as_str(), "aws+prod@acme.example");
    /// assert!("not-an-email".parse::<Email>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    Email {
        kind: "account e-mail",
        rule: AccountEmail,
        hint: "give the address of a mailbox you control, e.g. aws+prod@example.com",
        problem: email_problem,
    }

    /// An organization id (`^o-[a-z0-9]{10,32}$`).
    ///
    /// ```
    /// use orgstack::aws::OrganizationId;
    /// let id = "o-abcdef1234".parse::<OrganizationId>()?;
    /// assert_eq!(id.to_string(), "o-abcdef1234");
    /// assert!("o-abc".parse::<OrganizationId>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    OrganizationId {
        kind: "organization id",
        rule: OrganizationId,
        hint: "copy the id from `aws organizations describe-organization`",
        problem: |s| {
            (!is_organization_id(s))
                .then_some("an organization id must match ^o-[a-z0-9]{10,32}$")
        },
    }

    /// The id of an organization's root (`^r-[0-9a-z]{4,32}$`).
    ///
    /// ```
    /// use orgstack::aws::RootId;
    /// let id = "r-ab12".parse::<RootId>()?;
    /// assert_eq!(id, "r-ab12");
    /// assert!("r-AB12".parse::<RootId>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    RootId {
        kind: "root id",
        rule: RootId,
        hint: "copy the root id from `aws organizations list-roots`",
        problem: |s| (!is_root_id(s)).then_some("a root id must match ^r-[0-9a-z]{4,32}$"),
    }

    /// An organizational unit id (`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`).
    ///
    /// ```
    /// use orgstack::aws::OuId;
    /// let id = "ou-ab12-abcd1234".parse::<OuId>()?;
    /// assert_eq!(id, "ou-ab12-abcd1234");
    /// assert!("ou-ab12".parse::<OuId>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    OuId {
        kind: "organizational unit id",
        rule: OuId,
        hint: "copy the id from `aws organizations list-organizational-units-for-parent`",
        problem: |s| {
            (!is_ou_id(s)).then_some(
                "an organizational unit id must match ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$",
            )
        },
    }

    /// An AWS region name (`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$`), such as
    /// `eu-west-1`, `us-gov-west-1`, `cn-north-1` or `us-isob-east-1`.
    ///
    /// ```
    /// use orgstack::aws::Region;
    /// let region = "us-gov-west-1".parse::<Region>()?;
    /// assert_eq!(region, "us-gov-west-1");
    /// assert!("US-EAST-1".parse::<Region>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    Region {
        kind: "region",
        rule: Region,
        hint: "use the region code as `aws ec2 describe-regions --all-regions` lists it",
        problem: |s| {
            (!is_region(s)).then_some(
                "a region name is lowercase, like `eu-west-1` or `us-gov-west-1`",
            )
        },
    }

    /// A CloudFormation stack name (`^[a-zA-Z][-a-zA-Z0-9]{0,127}$`).
    ///
    /// ```
    /// use orgstack::aws::StackName;
    /// let name = "Management".parse::<StackName>()?;
    /// assert_eq!(name, "Management");
    /// assert!("1st-stack".parse::<StackName>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    StackName {
        kind: "stack name",
        rule: StackName,
        hint: "rename the stack, e.g. `Management`",
        problem: |s| {
            (!is_stack_name(s)).then_some(
                "a stack name must start with a letter and hold only letters, digits and \
                 hyphens, at most 128 characters",
            )
        },
    }

    /// A StackSet name (`^[a-zA-Z][-a-zA-Z0-9]{0,127}$`, the pattern of stack names).
    ///
    /// ```
    /// use orgstack::aws::StackSetName;
    /// let name = "identity-roles".parse::<StackSetName>()?;
    /// assert_eq!(name, "identity-roles");
    /// assert!("identity_roles".parse::<StackSetName>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    StackSetName {
        kind: "StackSet name",
        rule: StackSetName,
        hint: "rename it, e.g. `identity-roles`",
        problem: |s| {
            (!is_stack_name(s)).then_some(
                "a StackSet name must start with a letter and hold only letters, digits and \
                 hyphens, at most 128 characters",
            )
        },
    }

    /// A CloudFormation logical ID (`^[A-Za-z0-9]{1,255}$`).
    ///
    /// ```
    /// use orgstack::aws::LogicalId;
    /// let id = "ProdAccount".parse::<LogicalId>()?;
    /// assert_eq!(id, "ProdAccount");
    /// assert!("Prod-Account".parse::<LogicalId>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    LogicalId {
        kind: "logical ID",
        rule: LogicalIdPattern,
        hint: "use only letters and digits, at most 255",
        problem: |s| {
            (!is_logical_id(s)).then_some("a logical ID must be 1 to 255 letters and digits")
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts every value of `ok` parses (through each entry point) and every value of `bad`
    /// is refused with `rule`, naming the value as given.
    fn check<T>(ok: &[&str], bad: &[&str], rule: Rule)
    where
        T: FromStr<Err = InvalidValue>
            + for<'a> TryFrom<&'a str, Error = InvalidValue>
            + TryFrom<String, Error = InvalidValue>
            + fmt::Display
            + fmt::Debug
            + AsRef<str>
            + PartialEq,
    {
        for v in ok {
            let parsed: T = v.parse().unwrap_or_else(|e| panic!("{v:?} refused: {e}"));
            assert_eq!(parsed.as_ref(), *v);
            assert_eq!(parsed.to_string(), *v, "Display round-trip");
            assert_eq!(parsed.to_string().parse::<T>().unwrap(), parsed);
            assert_eq!(T::try_from(*v).unwrap(), parsed);
            assert_eq!(T::try_from(v.to_string()).unwrap(), parsed);
        }
        for v in bad {
            let err = v.parse::<T>().expect_err(&format!("{v:?} accepted"));
            assert_eq!(err.rule, rule, "{v:?}");
            assert_eq!(err.value, *v);
            assert!(!err.message.is_empty() && !err.hint.is_empty());
            assert_eq!(T::try_from(*v).unwrap_err(), err);
            assert_eq!(T::try_from(v.to_string()).unwrap_err(), err);
        }
    }

    #[test]
    fn account_ids() {
        check::<AccountId>(
            &["123456789012", "000000000000", "012345678901"],
            &[
                "12345678901",
                "1234567890123",
                "",
                "12345678901a",
                " 123456789012",
                "１２３４５６７８９０１２",
            ],
            Rule::AccountId,
        );
    }

    #[test]
    fn emails() {
        check::<Email>(
            &[
                "prod@aws.acme.example",
                "a.b+c@example.co",
                "x_y@sub-domain.example.org",
                "Aws+Prod@Acme.Example",
                "a@b.co",
            ],
            &[
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
                "",
            ],
            Rule::AccountEmail,
        );
        // 64 characters is the limit.
        let at_limit = format!("{}@example.com", "a".repeat(52));
        assert_eq!(at_limit.len(), 64);
        assert!(at_limit.parse::<Email>().is_ok());
        let over = format!("{}@example.com", "a".repeat(53));
        assert!(over.parse::<Email>().is_err());
        // Kept as written.
        let e: Email = "Aws+Prod@Acme.Example".parse().unwrap();
        assert_eq!(e.into_string(), "Aws+Prod@Acme.Example");
    }

    #[test]
    fn email_messages_are_those_of_email_problem() {
        for (value, message) in [
            ("a@b.c", "an account e-mail must be 6 to 64 characters"),
            ("not-an-email", "an e-mail address needs an `@`"),
            (
                "a b@example.com",
                "the part before `@` may hold only letters, digits and !#$%&'*+/=?^_`{|}~.-",
            ),
            (
                "a..b@example.com",
                "the part before `@` must not start or end with a dot or hold two in a row",
            ),
            (
                "aaaa@example",
                "the domain needs at least two labels, e.g. `example.com`",
            ),
            (
                "a@-x.com",
                "each domain label must be 1 to 63 letters, digits or inner hyphens",
            ),
            (
                "a@example.c0m",
                "the top-level domain must be at least two letters",
            ),
        ] {
            let err = value.parse::<Email>().unwrap_err();
            assert_eq!(err.message, message, "{value}");
            assert_eq!(email_problem(value), Some(message));
        }
    }

    #[test]
    fn organization_ids() {
        let max = format!("o-{}", "a1".repeat(16));
        let over = format!("o-{}a", "a1".repeat(16));
        assert_eq!((max.len(), over.len()), (34, 35));
        check::<OrganizationId>(
            &["o-abcdef1234", "o-0123456789", &max],
            &[
                "o-abcdef123",
                &over,
                "o-ABCDEF1234",
                "abcdef1234",
                "o_abcdef1234",
                "o-abcdef-1234",
                "",
            ],
            Rule::OrganizationId,
        );
    }

    #[test]
    fn root_ids() {
        let max = format!("r-{}", "a".repeat(32));
        let over = format!("r-{}", "a".repeat(33));
        check::<RootId>(
            &["r-abcd", "r-ab12", "r-0000", &max],
            &["r-abc", &over, "r-AB12", "root", "r-", "r-ab-12", ""],
            Rule::RootId,
        );
    }

    #[test]
    fn ou_ids() {
        let a32 = "a".repeat(32);
        let a33 = "a".repeat(33);
        let max = format!("ou-{a32}-{a32}");
        check::<OuId>(
            &["ou-ab12-abcd1234", "ou-abcd-00000000", &max],
            &[
                "ou-abc-abcd1234", // root part too short
                "ou-ab12-abcd123", // ou part too short
                &format!("ou-{a33}-abcd1234"),
                &format!("ou-ab12-{a33}"),
                "ou-ab12",           // no second part
                "ou-ab12-abcd1234-", // trailing hyphen
                "ou-ab12-abcd-1234", // three parts
                "ou-AB12-abcd1234",
                "OU-ab12-abcd1234",
                "r-ab12",
                "",
            ],
            Rule::OuId,
        );
    }

    #[test]
    fn regions() {
        check::<Region>(
            &[
                "us-east-1",
                "eu-west-1",
                "ap-southeast-2",
                "us-gov-west-1",
                "cn-north-1",
                "us-iso-east-1",
                "us-isob-east-1",
                "eu-central-2",
                "il-central-1",
                "mx-central-1",
                "ap-east-10",
            ],
            &[
                "US-EAST-1",
                "us-east",
                "useast1",
                "",
                "us-east-1 ",
                " us-east-1",
                "us-east-100",
                "use-east-1",
                "u-east-1",
                "us--1",
                "us-east-",
                "us-gov-1-1",
                "us-isobc-east-1",
                "us-foo-east-1",
                "us-iso1-east-1",
                "us-east1-1",
                "us-east-1a",
                "us-east-1-",
            ],
            Rule::Region,
        );
    }

    #[test]
    fn stack_names() {
        let max = format!("A{}", "b".repeat(127));
        let over = format!("A{}", "b".repeat(128));
        check::<StackName>(
            &["Management", "a", "Org-Units-1", "Z-", &max],
            &["", "1st", "-x", "Org_Units", "Org Units", "Orgé", &over],
            Rule::StackName,
        );
        check::<StackSetName>(
            &["identity-roles", "WorkloadRoles", &max],
            &["", "9roles", "identity_roles", "identity.roles", &over],
            Rule::StackSetName,
        );
    }

    #[test]
    fn stack_and_stackset_names_are_told_apart() {
        let stack = "bad_name".parse::<StackName>().unwrap_err();
        let set = "bad_name".parse::<StackSetName>().unwrap_err();
        assert_eq!(
            (stack.rule, set.rule),
            (Rule::StackName, Rule::StackSetName)
        );
        assert_eq!((stack.kind, set.kind), ("stack name", "StackSet name"));
        assert_ne!(stack.hint, set.hint);
        assert_eq!(
            stack.message,
            "a stack name must start with a letter and hold only letters, digits and hyphens, \
             at most 128 characters"
        );
        assert!(set
            .message
            .starts_with("a StackSet name must start with a letter"));
    }

    #[test]
    fn logical_ids() {
        let max = "A".repeat(255);
        let over = "A".repeat(256);
        check::<LogicalId>(
            &["ProdAccount", "a", "0", "Acct1a2b3c4d", &max],
            &[
                "",
                "Prod-Account",
                "Prod_Account",
                "Prod Account",
                "Prodé",
                &over,
            ],
            Rule::LogicalIdPattern,
        );
    }

    #[test]
    fn invalid_value_names_the_value_and_the_rule() {
        let err = "12345678901".parse::<AccountId>().unwrap_err();
        assert_eq!(
            err,
            InvalidValue {
                kind: "account id",
                value: "12345678901".into(),
                rule: Rule::AccountId,
                message: "an account id is 12 digits".into(),
                hint: "copy the id from `aws organizations list-accounts`",
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid account id `12345678901`: an account id is 12 digits; \
             copy the id from `aws organizations list-accounts`"
        );
        let err = "a@example".parse::<Email>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid account e-mail `a@example`: the domain needs at least two labels, e.g. \
             `example.com`; give the address of a mailbox you control, e.g. aws+prod@example.com"
        );
    }

    #[test]
    fn to_diagnostic_keeps_everything() {
        let err = "r-abc".parse::<RootId>().unwrap_err();
        let d = err.to_diagnostic("Management/Organization");
        assert_eq!(
            d,
            Diagnostic::new(
                "Management/Organization",
                Rule::RootId,
                "r-abc",
                "a root id must match ^r-[0-9a-z]{4,32}$",
                "copy the root id from `aws organizations list-roots`",
            )
        );
        // The error keeps a long value whole; the diagnostic shortens it.
        let long = "x".repeat(500);
        let err = long.parse::<Email>().unwrap_err();
        assert_eq!(err.value, long);
        assert!(err.to_diagnostic("P").value.ends_with("(500 characters)"));
    }

    #[test]
    fn try_from_string_does_not_reallocate() {
        let s = String::from("123456789012");
        let ptr = s.as_ptr();
        let id = AccountId::try_from(s).unwrap();
        assert_eq!(id.as_str().as_ptr(), ptr);
        let s = id.into_string();
        assert_eq!(s.as_ptr(), ptr);

        let s = String::from("1234");
        let ptr = s.as_ptr();
        let err = AccountId::try_from(s).unwrap_err();
        assert_eq!(
            err.value.as_ptr(),
            ptr,
            "a refused value is moved into the error"
        );
    }

    #[test]
    fn compares_with_str() {
        let r: Region = "eu-west-1".parse().unwrap();
        assert!(r == "eu-west-1");
        assert!(r == *"eu-west-1");
        assert!(r != "eu-west-2");
        assert_eq!(r.as_ref(), "eu-west-1");
        let mut ids: Vec<AccountId> = ["222222222222", "111111111111"]
            .into_iter()
            .map(|s| s.parse().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, ["111111111111", "222222222222"]);
    }

    #[test]
    fn serde_round_trip() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Doc {
            account: AccountId,
            email: Email,
            org: OrganizationId,
            root: RootId,
            ou: OuId,
            region: Region,
            stack: StackName,
            stack_set: StackSetName,
            logical: LogicalId,
        }
        let doc = Doc {
            account: "012345678901".parse().unwrap(),
            email: "aws+prod@acme.example".parse().unwrap(),
            org: "o-abcdef1234".parse().unwrap(),
            root: "r-ab12".parse().unwrap(),
            ou: "ou-ab12-abcd1234".parse().unwrap(),
            region: "us-gov-west-1".parse().unwrap(),
            stack: "Management".parse().unwrap(),
            stack_set: "identity-roles".parse().unwrap(),
            logical: "ProdAccount".parse().unwrap(),
        };
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(
            json,
            r#"{"account":"012345678901","email":"aws+prod@acme.example","org":"o-abcdef1234","root":"r-ab12","ou":"ou-ab12-abcd1234","region":"us-gov-west-1","stack":"Management","stack_set":"identity-roles","logical":"ProdAccount"}"#
        );
        assert_eq!(serde_json::from_str::<Doc>(&json).unwrap(), doc);
    }

    #[test]
    fn serde_refuses_bad_values() {
        let err = serde_json::from_str::<AccountId>(r#""12345678901""#).unwrap_err();
        let expected = "12345678901".parse::<AccountId>().unwrap_err().to_string();
        assert!(err.to_string().starts_with(&expected), "{err}");

        let err = serde_json::from_str::<Vec<Region>>(r#"["eu-west-1", "US-EAST-1"]"#).unwrap_err();
        assert!(
            err.to_string().contains("invalid region `US-EAST-1`"),
            "{err}"
        );

        // A number is not an account id, even of 12 digits: leading zeros would be lost.
        assert!(serde_json::from_str::<AccountId>("123456789012").is_err());
        assert_eq!(
            serde_json::from_str::<AccountId>(r#""123456789012""#).unwrap(),
            "123456789012"
        );
    }
}
