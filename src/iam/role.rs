//! IAM roles, and the one-line role that trusts another account only with MFA.

use crate::app::{any_impls, App, Check, Construct, Lower, ResourceHandle, Scope, Typed};
use crate::cfn::{Expr, NodeId, Resource, Value};
use crate::error::{Result, Rule};
use crate::org::AccountRef;

use super::identity::{attachment_setters, Attachments, ManagedPolicyRef};
use super::policy::{
    keys, BaseOperator, Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement,
};

#[derive(Debug, Clone)]
enum Trust {
    Document(PolicyDocument),
    AccountWithMfa {
        account: AccountRef,
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
/// let role = app.add(&stack, Role::assumable_with_mfa("ReadOnly", "123456789012")
///     .mfa_max_age(3600)
///     .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess")))?;
/// assert!(app.roles().any(|r| r.handle() == role && r.trusted_account().is_some()));
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

    /// A role that principals of `account` (an account's handle, an
    /// [`AccountId`](crate::aws::AccountId), or a 12-digit id checked at synthesis) may
    /// assume only when they signed in with MFA.
    pub fn assumable_with_mfa(id: impl Into<String>, account: impl Into<AccountRef>) -> Self {
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
    /// used less than `seconds` ago (`NumericLessThan aws:MultiFactorAuthAge`). 0 or less
    /// is reported at synthesis: nobody could assume the role.
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

    /// Sets `Description` (at most 1,000 characters: tabs, line breaks and Latin-1).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets `MaxSessionDuration` in seconds (3600–43200).
    pub fn max_session_duration(mut self, seconds: u32) -> Self {
        self.max_session_duration = Some(seconds);
        self
    }

    /// Sets `PermissionsBoundary` (a managed policy ARN, such as a
    /// [`ManagedPolicyHandle::arn`](super::ManagedPolicyHandle::arn); a literal that is
    /// not one is reported at synthesis).
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
                let principal = Principal::account(account.id());
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
}

/// A role as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct RoleData {
    pub(crate) trust: PolicyDocument,
    pub(crate) trusted_account: Option<AccountRef>,
    mfa_max_age: Option<i64>,
    pub(crate) name: Option<String>,
    description: Option<String>,
    max_session_duration: Option<u32>,
    pub(crate) permissions_boundary: Option<Value>,
    pub(crate) attachments: Attachments,
    tags: Vec<(String, String)>,
    without_mfa: Option<String>,
}

impl Typed for RoleData {
    fn values(&self, f: &mut dyn FnMut(&str, &Value)) {
        self.trust
            .for_each_value(&mut |v| f("AssumeRolePolicyDocument", v));
        if let Some(b) = &self.permissions_boundary {
            f("PermissionsBoundary", b);
        }
        self.attachments.for_each_value(f);
    }

    fn validate(&self, cx: &mut Check<'_>) {
        if let Some(a) = &self.trusted_account {
            a.check(cx);
        }
        if let Some(age) = self.mfa_max_age.filter(|&a| a <= 0) {
            cx.report(
                Rule::MfaMaxAge,
                age.to_string(),
                "the MFA maximum age must be above 0 seconds: MFA used less than that long ago is never the case, so nobody could assume the role",
                "use e.g. `.mfa_max_age(3600)` (one hour)",
            );
        }
        for p in self.trust.problems() {
            cx.report(p.rule, p.value, p.message, p.hint);
        }
        if self.without_mfa.is_none() {
            report_trust_without_mfa(cx, &self.trust);
        }
        let max_inline = cx.quotas().role_inline_policy_size;
        self.attachments.report(cx, max_inline);
    }
    any_impls!();
}

impl Lower for RoleData {
    fn resource_type(&self) -> &'static str {
        "AWS::IAM::Role"
    }

    fn lower(&self) -> Resource {
        let mut res = Resource::new(self.resource_type());
        if let Some(n) = &self.name {
            res = res.property("RoleName", n.as_str());
        }
        if let Some(d) = &self.description {
            res = res.property("Description", d.as_str());
        }
        if let Some(p) = &self.attachments.path {
            res = res.property("Path", p.as_str());
        }
        res = res.property("AssumeRolePolicyDocument", self.trust.to_value());
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
        res
    }
}

impl<P: Scope + ?Sized> Construct<P> for Role {
    type Handle = RoleHandle;

    /// Adds the role; names, sizes, quotas and trust without MFA are reported at
    /// synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<RoleHandle> {
        let trust = self.trust_document();
        let (trusted_account, mfa_max_age) = match self.trust {
            Trust::AccountWithMfa { account, max_age } => (Some(account), max_age),
            Trust::Document(_) => (None, None),
        };
        let data = RoleData {
            trust,
            trusted_account,
            mfa_max_age,
            name: self.name,
            description: self.description,
            max_session_duration: self.max_session_duration,
            permissions_boundary: self.permissions_boundary,
            attachments: self.attachments,
            tags: self.tags,
            without_mfa: self.without_mfa,
        };
        Ok(RoleHandle(ResourceHandle::of_type(
            app.add_typed(parent.node(), self.id, data),
            "AWS::IAM::Role",
        )))
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

fn report_trust_without_mfa(cx: &mut Check<'_>, trust: &PolicyDocument) {
    for (i, st) in trust.get_statements().iter().enumerate() {
        let lets_people_in = st.effect() == Effect::Allow
            && st
                .get_principals()
                .iter()
                .any(|p| matches!(p.kind(), PrincipalKind::Aws | PrincipalKind::Any));
        if lets_people_in && !requires_mfa(st) {
            cx.report(
                Rule::TrustWithoutMfa,
                st.get_sid().map(str::to_owned).unwrap_or_else(|| format!("statement {i}")),
                "the trust policy lets AWS principals assume the role without `Bool aws:MultiFactorAuthPresent \"true\"` (BoolIfExists lets long-term keys through)",
                "add `Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true)`, or call `.without_mfa(reason)` for a role machines assume",
            );
        }
    }
}

/// A role in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleHandle(ResourceHandle);

impl Scope for RoleHandle {
    fn node(&self) -> NodeId {
        self.0.node()
    }
}

impl RoleHandle {
    /// The role's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.0.ref_expr()
    }

    /// The role's ARN.
    pub fn arn(&self) -> Expr {
        self.0.get_att("Arn")
    }
}

/// A role of the app, as the typed model holds it.
#[derive(Debug, Clone, Copy)]
pub struct RoleView<'a> {
    node: NodeId,
    data: &'a RoleData,
}

impl<'a> RoleView<'a> {
    /// The role's handle.
    pub fn handle(&self) -> RoleHandle {
        RoleHandle(ResourceHandle::of_type(self.node, "AWS::IAM::Role"))
    }

    /// Its `RoleName`, when it is set (CloudFormation names it otherwise).
    pub fn name(&self) -> Option<&'a str> {
        self.data.name.as_deref()
    }

    /// Its trust policy.
    pub fn trust(&self) -> &'a PolicyDocument {
        &self.data.trust
    }

    /// The account it trusts, for a role made with [`Role::assumable_with_mfa`].
    pub fn trusted_account(&self) -> Option<&'a AccountRef> {
        self.data.trusted_account.as_ref()
    }

    /// Its inline policies, by name.
    pub fn inline_policies(&self) -> &'a [(String, PolicyDocument)] {
        &self.data.attachments.inline
    }

    /// The managed policies attached to it.
    pub fn managed_policies(&self) -> &'a [ManagedPolicyRef] {
        &self.data.attachments.managed
    }
}

impl App {
    /// Every IAM role of the app, in declaration order.
    pub fn roles(&self) -> impl Iterator<Item = RoleView<'_>> + '_ {
        self.each::<RoleData>()
            .map(|(node, data)| RoleView { node, data })
    }
}
