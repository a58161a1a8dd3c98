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

mod checks;
#[cfg(test)]
mod tests;

pub(crate) use checks::{
    email_problem, is_account_id, is_logical_id, is_organization_id, is_ou_id, is_policy_id,
    is_region, is_root_id, is_stack_name, notification_email_problem,
};

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

    /// An Organizations policy id (`^p-[0-9a-zA-Z_]{8,128}$`), as `list-policies` prints it.
    ///
    /// ```
    /// use orgstack::aws::PolicyId;
    /// let id = "p-ab12cd34".parse::<PolicyId>()?;
    /// assert_eq!(id, "p-ab12cd34");
    /// assert!("p-ab12".parse::<PolicyId>().is_err());
    /// # Ok::<(), orgstack::aws::InvalidValue>(())
    /// ```
    PolicyId {
        kind: "policy id",
        rule: PolicyId,
        hint: "copy the id from `aws organizations list-policies`",
        problem: |s| {
            (!is_policy_id(s)).then_some("a policy id must match ^p-[0-9a-zA-Z_]{8,128}$")
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
