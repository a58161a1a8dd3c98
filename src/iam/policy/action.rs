//! IAM actions: `service:Action`, with `*` and `?` wildcards.

use std::fmt;
use std::str::FromStr;

use crate::cfn::Value;

/// An IAM action such as `s3:GetObject`, `s3:Get*` or the lone `*`.
///
/// The service prefix is `[A-Za-z0-9-]+` and the action name `[A-Za-z0-9*?]+`; an `Action`
/// that breaks this cannot be constructed. IAM reads both parts without case
/// (`IAM:listaccesskeys` is `iam:ListAccessKeys`), so either case is accepted; equality is on
/// the exact text, which is kept as written so output stays stable.
///
/// ```
/// use orgstack::iam::Action;
/// let a = Action::new("s3:Get*").unwrap();
/// assert_eq!(a.service(), Some("s3"));
/// assert!(a.matches("s3:getobject"));
/// assert!(Action::new("GetObject").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Action(String);

/// An action that is not `service:Action` or `*`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid action `{action}`: {reason}")]
pub struct InvalidAction {
    /// The rejected text.
    pub action: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

impl Action {
    /// The action that matches every action, `*`.
    pub fn any() -> Action {
        Action("*".to_owned())
    }

    /// Checks and wraps an action.
    ///
    /// # Errors
    /// [`InvalidAction`] unless `action` is the lone `*` or `service:Action`, where the
    /// service is `[A-Za-z0-9-]+` and the action name `[A-Za-z0-9*?]+`.
    pub fn new(action: impl Into<String>) -> Result<Action, InvalidAction> {
        let action = action.into();
        match check(&action) {
            Ok(()) => Ok(Action(action)),
            Err(reason) => Err(InvalidAction { action, reason }),
        }
    }

    /// The action as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The service prefix (`s3` in `s3:GetObject`); `None` for the lone `*`.
    pub fn service(&self) -> Option<&str> {
        self.0.split_once(':').map(|(service, _)| service)
    }

    /// Whether this action, read as an IAM pattern, matches the concrete action `concrete`.
    ///
    /// Matching is case-insensitive; `*` matches any run of characters (also none) and `?`
    /// exactly one.
    pub fn matches(&self, concrete: &str) -> bool {
        wildcard_match(&self.0, concrete, false)
    }
}

fn check(action: &str) -> Result<(), &'static str> {
    if action == "*" {
        return Ok(());
    }
    let Some((service, name)) = action.split_once(':') else {
        return Err("expected `service:Action`, found no `:`");
    };
    if service.is_empty() {
        return Err("the service prefix before `:` is empty");
    }
    if !service
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err("the service prefix may only contain letters, digits and `-`");
    }
    if name.is_empty() {
        return Err("the action name after `:` is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
    {
        return Err("the action name may only contain `A-Z`, `a-z`, `0-9`, `*` and `?`");
    }
    Ok(())
}

/// IAM wildcard matching: `*` any run, `?` one character; ASCII case-insensitive unless
/// `case_sensitive` (ARNs and `StringLike` values are compared case-sensitively).
pub(crate) fn wildcard_match(pattern: &str, text: &str, case_sensitive: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // The common case, without allocating: one byte is one character.
        let eq = |a: u8, b: u8| {
            if case_sensitive {
                a == b
            } else {
                a.eq_ignore_ascii_case(&b)
            }
        };
        return matches(pattern.as_bytes(), text.as_bytes(), b'*', b'?', eq);
    }
    let fold = |c: char| {
        if case_sensitive {
            c
        } else {
            c.to_ascii_lowercase()
        }
    };
    let p: Vec<char> = pattern.chars().map(fold).collect();
    let t: Vec<char> = text.chars().map(fold).collect();
    matches(&p, &t, '*', '?', |a, b| a == b)
}

/// Wildcard matching with backtracking on the last `star`.
fn matches<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    star_sym: T,
    one: T,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` in the pattern and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(&c) if c == star_sym => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == one || eq(c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == star_sym)
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Action {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Action {
    type Err = InvalidAction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::new(s)
    }
}

impl TryFrom<&str> for Action {
    type Error = InvalidAction;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Action::new(s)
    }
}

impl TryFrom<String> for Action {
    type Error = InvalidAction;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Action::new(s)
    }
}

impl From<Action> for Value {
    fn from(a: Action) -> Self {
        Value::String(a.0)
    }
}

impl From<&Action> for Value {
    fn from(a: &Action) -> Self {
        Value::String(a.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_actions() {
        for a in [
            "s3:GetObject",
            "s3:Get*",
            "*",
            "iam:*",
            "ec2:Describe?nstances",
            "sso-directory:List*",
            "S3:GetObject",
            "IAM:listaccesskeys",
        ] {
            let action = Action::new(a).unwrap_or_else(|e| panic!("{a}: {e}"));
            assert_eq!(action.as_str(), a);
            assert_eq!(action.to_string(), a);
        }
    }

    #[test]
    fn invalid_actions() {
        for a in [
            "GetObject",
            "s3:",
            ":Get",
            "s3:Get Object",
            "S3 :x",
            "s_3:GetObject",
            "",
            "s3:Get:Object",
            "*:*",
        ] {
            let err = Action::new(a).expect_err(a);
            assert_eq!(err.action, a);
        }
    }

    #[test]
    fn invalid_action_message_is_lowercase_without_period() {
        let err = Action::new("GetObject").unwrap_err();
        let msg = err.to_string();
        assert_eq!(
            msg,
            "invalid action `GetObject`: expected `service:Action`, found no `:`"
        );
        assert!(!msg.ends_with('.'));
        fn check<T: Send + Sync + std::error::Error>() {}
        check::<InvalidAction>();
    }

    #[test]
    fn service_prefix() {
        assert_eq!(Action::new("s3:GetObject").unwrap().service(), Some("s3"));
        assert_eq!(Action::new("*").unwrap().service(), None);
        assert_eq!(Action::any().as_str(), "*");
    }

    #[test]
    fn wildcard_matching() {
        let get = Action::new("s3:Get*").unwrap();
        assert!(get.matches("s3:GetObject"));
        assert!(get.matches("S3:getobject"));
        assert!(get.matches("s3:Get"));
        assert!(!get.matches("s3:PutObject"));
        assert!(!get.matches("ec2:GetObject"));

        let q = Action::new("s3:Get?bject").unwrap();
        assert!(q.matches("s3:GetObject"));
        assert!(!q.matches("s3:Getbject"));

        let mid = Action::new("iam:*Role*").unwrap();
        assert!(mid.matches("iam:CreateRole"));
        assert!(mid.matches("iam:PassRole"));
        assert!(mid.matches("iam:AttachRolePolicy"));
        assert!(!mid.matches("iam:CreateUser"));

        assert!(Action::any().matches("anything:AtAll"));
        let exact = Action::new("s3:GetObject").unwrap();
        assert!(exact.matches("s3:getObject"));
        assert!(!exact.matches("s3:GetObjectAcl"));
    }

    #[test]
    fn parses_and_converts() {
        let a: Action = "s3:GetObject".parse().unwrap();
        assert_eq!(Value::from(&a), Value::from("s3:GetObject"));
        assert!(Action::try_from("bad").is_err());
    }
}
