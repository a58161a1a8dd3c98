//! One request as the policy language sees it: who, the action, the resource and the
//! request context.

use std::collections::BTreeMap;
use std::fmt;

/// The request context: condition keys and their values. Keys are case-insensitive, as
/// in IAM; a single-valued key has one value, a multivalued key any number (an empty set
/// is present but empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    keys: BTreeMap<String, (String, Vec<String>)>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets `key` to one value (replacing any it had).
    #[must_use]
    pub fn with(mut self, key: impl AsRef<str>, value: impl Into<String>) -> Context {
        self.set(key.as_ref(), vec![value.into()]);
        self
    }

    /// Sets `key` to exactly `values` (possibly none: a present, empty multivalued key).
    #[must_use]
    pub fn with_values<V: Into<String>>(
        mut self,
        key: impl AsRef<str>,
        values: impl IntoIterator<Item = V>,
    ) -> Context {
        self.set(key.as_ref(), values.into_iter().map(Into::into).collect());
        self
    }

    /// Removes `key`.
    #[must_use]
    pub fn without(mut self, key: impl AsRef<str>) -> Context {
        self.keys.remove(&key.as_ref().to_ascii_lowercase());
        self
    }

    /// Adds a value to `key` in place.
    pub fn insert(&mut self, key: &str, value: String) {
        self.keys
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| (key.to_owned(), Vec::new()))
            .1
            .push(value);
    }

    /// Sets `key` to `values` in place.
    pub fn set(&mut self, key: &str, values: Vec<String>) {
        self.keys
            .insert(key.to_ascii_lowercase(), (key.to_owned(), values));
    }

    /// The values of `key`, if present.
    pub fn values(&self, key: &str) -> Option<&[String]> {
        let found = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            let mut buf = [0u8; 128];
            match buf.get_mut(..key.len()) {
                Some(lower) => {
                    lower.copy_from_slice(key.as_bytes());
                    lower.make_ascii_lowercase();
                    std::str::from_utf8(lower)
                        .ok()
                        .and_then(|k| self.keys.get(k))
                }
                None => self.keys.get(&key.to_ascii_lowercase()),
            }
        } else {
            self.keys.get(key)
        };
        found.map(|(_, v)| v.as_slice())
    }

    /// Every key (as first written) with its values, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.keys.values().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Adds every key of `other`, replacing those already set.
    pub fn extend(&mut self, other: &Context) {
        for (k, v) in other.keys.values() {
            self.set(k, v.clone());
        }
    }
}

/// Who signs a request, as `Principal` elements see it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Who {
    /// An IAM principal: a user, a role session or a root user of `account`. `arn` is the
    /// user's, the role's or the root's ARN (what `aws:PrincipalArn` holds); `session` is
    /// the assumed-role session's ARN, for a role session.
    Aws {
        /// The principal's account id.
        account: String,
        /// The user's, role's or root user's ARN.
        arn: String,
        /// The `assumed-role` session ARN of a role session.
        session: Option<String>,
    },
    /// An AWS service, e.g. `cloudtrail.amazonaws.com`.
    Service(String),
    /// An unsigned request.
    Anonymous,
}

impl Who {
    /// An IAM principal by ARN; the account is read from the ARN.
    pub fn aws(arn: impl Into<String>) -> Who {
        let arn = arn.into();
        let account = arn.split(':').nth(4).unwrap_or_default().to_owned();
        Who::Aws {
            account,
            arn,
            session: None,
        }
    }

    /// A service principal.
    pub fn service(name: impl Into<String>) -> Who {
        Who::Service(name.into())
    }
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Who::Aws {
                session: Some(s), ..
            } => f.write_str(s),
            Who::Aws { arn, .. } => f.write_str(arn),
            Who::Service(s) => write!(f, "service {s}"),
            Who::Anonymous => f.write_str("anonymous"),
        }
    }
}

/// One request: an action on a resource, signed by someone, with a context.
///
/// ```
/// use orgstack::access::{Request, Who};
/// let r = Request::new("s3:GetObject", "arn:aws:s3:::logs/a")
///     .by(Who::aws("arn:aws:iam::111111111111:user/alice"))
///     .with("aws:MultiFactorAuthPresent", "true");
/// assert_eq!(r.context.values("aws:multifactorauthpresent"), Some(&["true".to_owned()][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource's ARN (a role's, for `sts:AssumeRole`), or `*`.
    pub resource: String,
    /// Who signs it; `None` for policies that name no principal (identity policies, SCPs).
    pub who: Option<Who>,
    /// The request context.
    pub context: Context,
}

impl Request {
    /// A request of `action` on `resource`, with an empty context.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Request {
        Request {
            action: action.into(),
            resource: resource.into(),
            who: None,
            context: Context::new(),
        }
    }

    /// Signed by `who`.
    #[must_use]
    pub fn by(mut self, who: Who) -> Request {
        self.who = Some(who);
        self
    }

    /// Sets a context key to one value (replacing any it had).
    #[must_use]
    pub fn with(mut self, key: impl AsRef<str>, value: impl Into<String>) -> Request {
        self.context.set(key.as_ref(), vec![value.into()]);
        self
    }

    /// Sets a multivalued context key.
    #[must_use]
    pub fn with_values<V: Into<String>>(
        mut self,
        key: impl AsRef<str>,
        values: impl IntoIterator<Item = V>,
    ) -> Request {
        self.context = self.context.with_values(key, values);
        self
    }

    /// Removes a context key.
    #[must_use]
    pub fn without(mut self, key: impl AsRef<str>) -> Request {
        self.context = self.context.without(key);
        self
    }
}
