//! IAM roles, and the one-line role that trusts another account only with MFA.

use crate::app::{App, Construct, ResourceHandle};
use crate::cfn::{Expr, NodeId, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};

use super::checks::report_name;
use super::identity::{attachment_setters, Attachments, ManagedPolicyRef};
use super::policy::{
    keys, BaseOperator, Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement,
};

#[derive(Debug, Clone)]
enum Trust {
    Document(PolicyDocument),
    AccountWithMfa {
        account: Value,
        max_age: Option<i64>,
    },
}

/// An IAM role.
///
/// The common case, a role people of another account assume only with MFA, is one line:
///
/// ```
/// use orgstack::{App, iam::{ManagedPolicyRef, Role}};
/// let mut app = App::new();
/// let stack = app.stack("Member")?;
/// Role::assumable_with_mfa("ReadOnly", "123456789012")
///     .mfa_max_age(3600)
///     .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess"))
///     .build(&mut app, &stack)?;
/// let tpl = app.synth()?.template_json("Member").unwrap().to_owned();
/// assert!(tpl.contains("\"aws:MultiFactorAuthPresent\": \"true\""));
/// # Ok::<(), orgstack::Error>(())
/// ```
///
/// Every Allow statement of a trust policy that lets an AWS principal in must require
/// `Bool aws:MultiFactorAuthPresent "true"`; a role meant for machines says so with
/// [`Role::without_mfa`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Role {
    id: String,
    trust: Trust,
    name: Option<String>,
    description: Option<String>,
    max_session_duration: Option<u32>,
    permissions_boundary: Option<Value>,
    attachments: Attachments,
    tags: Vec<(String, String)>,
    without_mfa: Option<String>,
}

impl Role {
    /// A role with construct id `id` and the trust policy given.
    pub fn new(id: impl Into<String>, trust: PolicyDocument) -> Self {
        Self::with_trust(id.into(), Trust::Document(trust))
    }

    /// A role that principals of `account` (a 12-digit id, or a handle's id) may assume
    /// only when they signed in with MFA.
    pub fn assumable_with_mfa(id: impl Into<String>, account: impl Into<Value>) -> Self {
        Self::with_trust(
            id.into(),
            Trust::AccountWithMfa {
                account: account.into(),
                max_age: None,
            },
        )
    }

    fn with_trust(id: String, trust: Trust) -> Self {
        Role {
            id,
            trust,
            name: None,
            description: None,
            max_session_duration: None,
            permissions_boundary: None,
            attachments: Attachments::default(),
            tags: Vec::new(),
            without_mfa: None,
        }
    }

    /// For [`assumable_with_mfa`](Self::assumable_with_mfa): also require that MFA was
    /// used less than `seconds` ago (`NumericLessThan aws:MultiFactorAuthAge`).
    pub fn mfa_max_age(mut self, seconds: i64) -> Self {
        if let Trust::AccountWithMfa { max_age, .. } = &mut self.trust {
            *max_age = Some(seconds);
        }
        self
    }

    /// Sets `RoleName` (1–64 of `[\w+=,.@-]`). Named roles let other accounts compute the
    /// role's ARN.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets `MaxSessionDuration` in seconds (3600–43200).
    pub fn max_session_duration(mut self, seconds: u32) -> Self {
        self.max_session_duration = Some(seconds);
        self
    }

    /// Sets `PermissionsBoundary` (a managed policy ARN).
    pub fn permissions_boundary(mut self, arn: impl Into<Value>) -> Self {
        self.permissions_boundary = Some(arn.into());
        self
    }

    attachment_setters!();

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    /// Accepts a trust policy that lets AWS principals in without MFA (a role for
    /// machines), and records why in the resource's Metadata.
    pub fn without_mfa(mut self, reason: impl Into<String>) -> Self {
        self.without_mfa = Some(reason.into());
        self
    }

    fn trust_document(&self) -> PolicyDocument {
        match &self.trust {
            Trust::Document(d) => d.clone(),
            Trust::AccountWithMfa { account, max_age } => {
                let principal = Principal::account(account.clone());
                let mut st = Statement::allow()
                    .principal(principal)
                    .action("sts:AssumeRole")
                    .condition(Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true));
                if let Some(age) = max_age {
                    st = st.condition(Condition::numeric_less_than(
                        keys::MULTI_FACTOR_AUTH_AGE,
                        *age,
                    ));
                }
                PolicyDocument::new().statement(st)
            }
        }
    }

    /// Adds the role under `scope`.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the id is taken; names, sizes,
    /// quotas and trust without MFA are reported at synthesis.
    pub fn build(self, app: &mut App, scope: &impl Construct) -> Result<RoleHandle> {
        let trust = self.trust_document();
        let mut res = Resource::new("AWS::IAM::Role");
        if let Some(n) = &self.name {
            res = res.property("RoleName", n.as_str());
        }
        if let Some(d) = &self.description {
            res = res.property("Description", d.as_str());
        }
        if let Some(p) = &self.attachments.path {
            res = res.property("Path", p.as_str());
        }
        res = res.property("AssumeRolePolicyDocument", trust.to_value());
        if let Some(s) = self.max_session_duration {
            res = res.property("MaxSessionDuration", s);
        }
        if let Some(b) = &self.permissions_boundary {
            res = res.property("PermissionsBoundary", b.clone());
        }
        res = self.attachments.apply(res);
        if !self.tags.is_empty() {
            res = res.property("Tags", crate::cfn::tags(&self.tags));
        }
        if let Some(reason) = &self.without_mfa {
            res = res.metadata("orgstack:trust-without-mfa", reason.as_str());
        }
        let handle = app.add_resource(scope, self.id.as_str(), res)?;
        let path = app.path(&handle);
        if let Some(n) = &self.name {
            report_name(app, &path, "role", n, 64);
        }
        if let Some(s) = self.max_session_duration {
            if !(3600..=43200).contains(&s) {
                app.report(Diagnostic::new(
                    &path,
                    Rule::MaxSessionDuration,
                    s.to_string(),
                    "MaxSessionDuration must be 3600 to 43200 seconds",
                    "use a value between one and twelve hours",
                ));
            }
        }
        for p in trust.problems() {
            app.report(p.to_diagnostic(&path));
        }
        let size = trust.minified_len();
        let max = app.quotas().trust_policy_size;
        if size > max {
            app.report(Diagnostic::new(
                &path,
                Rule::TrustPolicySize,
                size.to_string(),
                format!("the trust policy is {size} characters minified (intrinsics counted at their longest); IAM accepts {max}"),
                "trust fewer principals (trust an account, not each role), or raise the quota to 4096 and set `Quotas::trust_policy_size`",
            ));
        }
        if self.without_mfa.is_none() {
            report_trust_without_mfa(app, &path, &trust);
        }
        let max_inline = app.quotas().role_inline_policy_size;
        self.attachments.report(app, &path, max_inline);
        Ok(RoleHandle(handle))
    }
}

/// Whether a statement requires `Bool aws:MultiFactorAuthPresent "true"`, exactly.
pub fn requires_mfa(st: &Statement) -> bool {
    st.get_conditions().iter().any(|c| {
        c.operator.base == BaseOperator::Bool
            && !c.operator.if_exists
            && c.operator.qualifier.is_none()
            && c.key.as_str() == keys::MULTI_FACTOR_AUTH_PRESENT.as_str()
            && c.values.len() == 1
            && c.values[0].as_str() == Some("true")
    })
}

fn report_trust_without_mfa(app: &mut App, path: &str, trust: &PolicyDocument) {
    for (i, st) in trust.get_statements().iter().enumerate() {
        let lets_people_in = st.effect() == Effect::Allow
            && st
                .get_principals()
                .iter()
                .any(|p| matches!(p.kind(), PrincipalKind::Aws | PrincipalKind::Any));
        if lets_people_in && !requires_mfa(st) {
            app.report(Diagnostic::new(
                path,
                Rule::TrustWithoutMfa,
                st.get_sid().map(str::to_owned).unwrap_or_else(|| format!("statement {i}")),
                "the trust policy lets AWS principals assume the role without `Bool aws:MultiFactorAuthPresent \"true\"` (BoolIfExists lets long-term keys through)",
                "add `Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true)`, or call `.without_mfa(reason)` for a role machines assume",
            ));
        }
    }
}

/// A role in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleHandle(ResourceHandle);

impl Construct for RoleHandle {
    fn node(&self) -> NodeId {
        self.0.node()
    }
}

impl RoleHandle {
    /// The role's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.0.ref_expr(64)
    }

    /// The role's ARN.
    pub fn arn(&self) -> Expr {
        self.0.get_att("Arn", 2048)
    }
}
