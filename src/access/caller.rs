//! Who makes a request: how they signed in, and the principal with its policies and
//! request context.

use super::policy::Policy;
use super::request::{Context, Who};
use crate::iam::{keys, PolicyDocument};

/// How a principal signed the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth {
    /// A long-term access key: `aws:MultiFactorAuthPresent` is absent.
    LongTermKey,
    /// A console session (or temporary credentials) without MFA:
    /// `aws:MultiFactorAuthPresent` is `false`.
    WithoutMfa,
    /// Signed in with MFA `age_seconds` ago (`aws:MultiFactorAuthAge`).
    WithMfa {
        /// Seconds since the MFA authentication.
        age_seconds: u64,
    },
}

impl Auth {
    /// With MFA, `age_seconds` ago.
    pub fn mfa(age_seconds: u64) -> Auth {
        Auth::WithMfa { age_seconds }
    }

    pub(super) fn label(self) -> String {
        match self {
            Auth::LongTermKey => "long-term access key".to_owned(),
            Auth::WithoutMfa => "without MFA".to_owned(),
            Auth::WithMfa { age_seconds } => format!("MFA {age_seconds} s ago"),
        }
    }

    pub(super) fn apply(self, ctx: &mut Context) {
        match self {
            Auth::LongTermKey => {}
            Auth::WithoutMfa => ctx.set(
                keys::MULTI_FACTOR_AUTH_PRESENT.as_str(),
                vec!["false".into()],
            ),
            Auth::WithMfa { age_seconds } => {
                ctx.set(
                    keys::MULTI_FACTOR_AUTH_PRESENT.as_str(),
                    vec!["true".into()],
                );
                ctx.set(
                    keys::MULTI_FACTOR_AUTH_AGE.as_str(),
                    vec![age_seconds.to_string()],
                );
            }
        }
    }
}

/// Whether a principal is an IAM identity, a root user or a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    User,
    Session,
    Root,
    Service,
}

/// A principal that makes requests: an IAM user, a role session, a root user or a
/// service. Built by the [`Simulator`](super::Simulator); a role session comes from
/// [`Decision::session`](super::Decision::session).
#[derive(Debug, Clone)]
pub struct Caller {
    pub(super) label: String,
    pub(super) account: usize,
    pub(super) who: Who,
    pub(super) kind: Kind,
    pub(super) auth: Auth,
    pub(super) policies: Vec<Policy>,
    pub(super) context: Context,
    pub(super) boundary: bool,
}

impl Caller {
    /// How decisions name it, e.g. `user alice of Identity (groups acme-developers; MFA 60 s ago)`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Who it is to `Principal` elements.
    pub fn who(&self) -> &Who {
        &self.who
    }

    /// The request context its requests carry.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// How it signed in.
    pub fn auth(&self) -> Auth {
        self.auth
    }

    /// Adds an identity policy of your own (its values literal).
    #[must_use]
    pub fn with_policy(mut self, name: impl Into<String>, doc: &PolicyDocument) -> Caller {
        self.policies.push(Policy::literal(name, doc));
        self
    }

    /// Adds a principal tag (`aws:PrincipalTag/<key>`).
    #[must_use]
    pub fn with_tag(mut self, key: &str, value: impl Into<String>) -> Caller {
        self.context
            .set(&format!("aws:PrincipalTag/{key}"), vec![value.into()]);
        self
    }

    /// Sets a context key every request of this principal carries.
    #[must_use]
    pub fn with_context(mut self, key: &str, value: impl Into<String>) -> Caller {
        self.context.set(key, vec![value.into()]);
        self
    }
}
