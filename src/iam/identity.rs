//! What roles and groups share: managed policy attachments, inline policies, and the
//! checks identity policies need.

use crate::app::Check;
use crate::cfn::{Resource, Value};
use crate::error::Rule;

use super::checks::{report_identity_policy, report_name};
use crate::obj;

use super::managed_policy::ManagedPolicyHandle;
use super::policy::PolicyDocument;

/// A managed policy to attach: one of the app's, an AWS managed one by name, or an
/// existing one by ARN.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ManagedPolicyRef {
    /// A managed policy created by the app.
    Created(ManagedPolicyHandle),
    /// A policy ARN, e.g. `arn:aws:iam::aws:policy/ReadOnlyAccess`, or an intrinsic that
    /// computes one. A literal that is not a managed policy's ARN is reported at synthesis.
    Arn(Value),
    /// An AWS managed policy by name (with its path, if any), e.g. `ReadOnlyAccess` or
    /// `service-role/AWSConfigRole`, attached in the stack's partition. A name with
    /// characters outside letters, digits and `_+=,.@-/` is reported at synthesis.
    AwsManaged(String),
}

impl From<ManagedPolicyHandle> for ManagedPolicyRef {
    fn from(h: ManagedPolicyHandle) -> Self {
        ManagedPolicyRef::Created(h)
    }
}

impl From<&ManagedPolicyHandle> for ManagedPolicyRef {
    fn from(h: &ManagedPolicyHandle) -> Self {
        ManagedPolicyRef::Created(*h)
    }
}

impl ManagedPolicyRef {
    /// An AWS managed policy by name, in the stack's partition, e.g. `ReadOnlyAccess`
    /// (see [`ManagedPolicyRef::AwsManaged`]).
    pub fn aws_managed(name: &str) -> Self {
        ManagedPolicyRef::AwsManaged(name.to_owned())
    }

    /// The ARN attached: `arn:${AWS::Partition}:iam::aws:policy/<name>` for an AWS managed
    /// policy, the name made literal inside the `Fn::Sub`.
    pub(crate) fn arn(&self) -> Value {
        match self {
            ManagedPolicyRef::Created(h) => Value::from(h.arn()),
            ManagedPolicyRef::Arn(v) => v.clone(),
            ManagedPolicyRef::AwsManaged(name) => Value::from(crate::cfn::Expr::sub(format!(
                "arn:${{AWS::Partition}}:iam::aws:policy/{}",
                crate::cfn::escape_sub(name)
            ))),
        }
    }
}

/// The characters of a managed policy's path and name in its ARN: `[a-zA-Z_0-9+=,.@\-_/]`
/// (the `ManagedPolicyArns` pattern of the IAM schemas).
pub(crate) fn is_policy_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-/".contains(c)
}

/// Reports an AWS managed policy whose name cannot be one: it would make an ARN IAM
/// refuses (a `${` in it would even be read as a `Fn::Sub` variable).
fn report_aws_managed(cx: &mut Check<'_>, managed: &[ManagedPolicyRef]) {
    for m in managed {
        let ManagedPolicyRef::AwsManaged(name) = m else {
            continue;
        };
        if name.is_empty() || !name.chars().all(is_policy_name_char) {
            cx.report(
                Rule::ManagedPolicyArn,
                name,
                "an AWS managed policy's name is letters, digits and _+=,.@-/, as in `ReadOnlyAccess` or `service-role/AWSConfigRole`",
                "give the policy's name as the IAM console lists it, or its full ARN with `ManagedPolicyRef::Arn`",
            );
        }
    }
}

/// What roles and groups have alike: a path, managed policies and inline policies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attachments {
    pub(crate) path: Option<String>,
    pub(crate) managed: Vec<ManagedPolicyRef>,
    pub(crate) inline: Vec<(String, PolicyDocument)>,
}

impl Attachments {
    /// Adds `ManagedPolicyArns` and `Policies` to the resource.
    pub(crate) fn apply(&self, mut res: Resource) -> Resource {
        if !self.managed.is_empty() {
            res = res.property("ManagedPolicyArns", managed_arns(&self.managed));
        }
        if !self.inline.is_empty() {
            res = res.property("Policies", inline_policies(&self.inline));
        }
        res
    }

    /// Calls `f` on every template value of the attachments: ARNs and inline documents.
    pub(crate) fn for_each_value(&self, f: &mut dyn FnMut(&str, &Value)) {
        for m in &self.managed {
            if let ManagedPolicyRef::Arn(v) = m {
                f("ManagedPolicyArns", v);
            }
        }
        for (_, doc) in &self.inline {
            doc.for_each_value(&mut |v| f("Policies", v));
        }
    }

    /// Reports too many managed policies, and inline policies over `max_inline` or
    /// breaking the identity-policy grammar.
    pub(crate) fn report(&self, cx: &mut Check<'_>, max_inline: usize) {
        report_attachments(cx, &self.managed, &self.inline, max_inline);
    }
}

/// The setters roles and groups share, over a field `attachments: Attachments`.
macro_rules! attachment_setters {
    () => {
        /// Sets `Path`.
        pub fn path(mut self, path: impl Into<String>) -> Self {
            self.attachments.path = Some(path.into());
            self
        }

        /// Attaches a managed policy.
        pub fn managed_policy(mut self, policy: impl Into<ManagedPolicyRef>) -> Self {
            self.attachments.managed.push(policy.into());
            self
        }

        /// Attaches managed policies.
        pub fn managed_policies<P: Into<ManagedPolicyRef>>(
            mut self,
            policies: impl IntoIterator<Item = P>,
        ) -> Self {
            self.attachments
                .managed
                .extend(policies.into_iter().map(Into::into));
            self
        }

        /// Adds an inline policy.
        pub fn inline_policy(mut self, name: impl Into<String>, document: PolicyDocument) -> Self {
            self.attachments.inline.push((name.into(), document));
            self
        }
    };
}
pub(crate) use attachment_setters;

/// Managed policy ARNs without duplicates, in attachment order.
pub(crate) fn managed_arns(refs: &[ManagedPolicyRef]) -> Value {
    let mut out: Vec<Value> = Vec::with_capacity(refs.len());
    for r in refs {
        let arn = r.arn();
        if !out.contains(&arn) {
            out.push(arn);
        }
    }
    Value::List(out)
}

/// The `Policies` property: inline policies by name.
pub(crate) fn inline_policies(policies: &[(String, PolicyDocument)]) -> Value {
    Value::List(
        policies
            .iter()
            .map(|(name, doc)| obj! { "PolicyName" => name.as_str(), "PolicyDocument" => doc.to_value() })
            .collect(),
    )
}

/// Reports more managed policies than the quota and inline policies larger than `max_inline`.
pub(crate) fn report_attachments(
    cx: &mut Check<'_>,
    managed: &[ManagedPolicyRef],
    inline: &[(String, PolicyDocument)],
    max_inline: usize,
) {
    report_aws_managed(cx, managed);
    let max = cx.quotas().managed_policies_per_identity;
    // What is deployed: the distinct ARNs.
    let attached = match &managed_arns(managed) {
        Value::List(arns) => arns.len(),
        _ => managed.len(),
    };
    if attached > max {
        cx.report(
            Rule::ManagedPoliciesPerIdentity,
            attached.to_string(),
            format!("{attached} managed policies are attached; IAM allows {max} by default"),
            "merge policies, or raise the quota (up to 20) and set `Quotas::managed_policies_per_identity`",
        );
    }
    let inline_size = crate::cfn::saturating_sum(
        inline
            .iter()
            .map(|(_, d)| d.minified_len_without_whitespace()),
    );
    if inline_size > max_inline {
        cx.report(
            Rule::InlinePolicySize,
            crate::cfn::schema::length_value(inline_size),
            format!(
                "inline policies total {}; IAM allows {max_inline}",
                crate::cfn::schema::length_text(inline_size)
            ),
            "move statements into a managed policy",
        );
    }
    for (name, doc) in inline {
        report_name(cx, "policy", name, 128);
        report_identity_policy(cx, doc);
    }
}
