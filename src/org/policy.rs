//! Organizations policies: service control policies, resource control policies, tag
//! policies and the other management policy types, attached through handles.

use indexmap::IndexMap;

use crate::app::{any_impls, App, Check, Construct, Lower, Scope, Subtree, Typed, View};
use crate::cfn::{Expr, NodeId, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};
use crate::iam::{Effect, PolicyDocument};
use crate::policy_type::PolicyType;

use super::account::{AccountHandle, AccountRef};
use super::organization::OrganizationHandle;
use super::ou::{OuHandle, Parent};

/// Type of the policy resource.
pub const POLICY_TYPE: &str = "AWS::Organizations::Policy";
const POLICIES_SCOPE: &str = "Policies";
/// How many policies of one template Organizations is asked to create (and attach) at
/// once: one. About ten created together fail, and two attached to the same target at the
/// same time conflict (`ConcurrentModificationException`); every guardrail attaches to the
/// root, so policies are created one after another.
pub const POLICIES_AT_ONCE: u16 = 1;
const POLICY_GROUP: &str = "aws-organizations-policy";

/// What an Organizations policy is attached to: the root, an OU or an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyTargetRef {
    /// The organization's root.
    Root(OrganizationHandle),
    /// An organizational unit.
    Ou(OuHandle),
    /// An account.
    Account(AccountRef),
}

impl PolicyTargetRef {
    /// The target's id, as `TargetIds` takes it.
    pub fn id(&self) -> Value {
        match self {
            PolicyTargetRef::Root(o) => Value::from(o.root_id()),
            PolicyTargetRef::Ou(ou) => Value::from(ou.id()),
            PolicyTargetRef::Account(a) => a.id(),
        }
    }
}

/// What can have an Organizations policy attached: the root, an OU, an account.
pub trait PolicyTarget {
    /// The target, typed.
    fn policy_target(&self) -> PolicyTargetRef;
}

impl PolicyTarget for OrganizationHandle {
    fn policy_target(&self) -> PolicyTargetRef {
        PolicyTargetRef::Root(*self)
    }
}

impl PolicyTarget for OuHandle {
    fn policy_target(&self) -> PolicyTargetRef {
        PolicyTargetRef::Ou(*self)
    }
}

impl PolicyTarget for AccountHandle {
    fn policy_target(&self) -> PolicyTargetRef {
        PolicyTargetRef::Account(self.into())
    }
}

impl PolicyTarget for Parent {
    fn policy_target(&self) -> PolicyTargetRef {
        match self {
            Parent::Root(o) => PolicyTargetRef::Root(*o),
            Parent::Ou(ou) => PolicyTargetRef::Ou(*ou),
        }
    }
}

/// What a policy holds: a document of the IAM policy language, or JSON of a management
/// policy's own grammar.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Content {
    /// An authorization policy's document (SCP, RCP).
    Document(PolicyDocument),
    /// A management policy's JSON (tag, backup, AI services opt-out…).
    Json(Value),
}

/// An Organizations policy to add to the organization.
///
/// ```
/// use orgstack::iam::{PolicyDocument, Statement};
/// use orgstack::org::Policy;
///
/// let deny_leave = Policy::service_control(
///     "DenyLeaveOrganization",
///     PolicyDocument::new().statement(
///         Statement::deny()
///             .action("organizations:LeaveOrganization")
///             .resource("*"),
///     ),
/// )
/// .description("Member accounts cannot leave the organization");
/// # let _ = deny_leave;
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Policy {
    id: String,
    name: String,
    description: Option<String>,
    policy_type: PolicyType,
    content: Content,
    adopted: Option<String>,
}

impl Policy {
    /// A service control policy; `name` is also its construct id.
    pub fn service_control(name: impl Into<String>, document: PolicyDocument) -> Self {
        Self::of_type(name, PolicyType::ServiceControlPolicy, document)
    }

    /// A resource control policy.
    pub fn resource_control(name: impl Into<String>, document: PolicyDocument) -> Self {
        Self::of_type(name, PolicyType::ResourceControlPolicy, document)
    }

    /// A policy of the given type whose content is a document of the IAM policy language
    /// (an authorization policy: SCP or RCP). A [`PolicyType::Other`] that names a known
    /// type is read as that type.
    pub fn of_type(
        name: impl Into<String>,
        policy_type: PolicyType,
        document: PolicyDocument,
    ) -> Self {
        Self::with_content(name.into(), policy_type, Content::Document(document))
    }

    /// A management policy (tag, backup, AI services opt-out, chatbot, declarative…) whose
    /// content is JSON of its own grammar. A [`PolicyType::Other`] that names a known type is
    /// read as that type.
    ///
    /// ```
    /// use orgstack::obj;
    /// use orgstack::org::{Policy, PolicyType};
    ///
    /// let opt_out = Policy::management(
    ///     "OptOutOfAiTraining",
    ///     PolicyType::AiServicesOptOutPolicy,
    ///     obj! { "services" => obj! { "default" => obj! {
    ///         "opt_out_policy" => obj! { "@@assign" => "optOut" },
    ///     } } },
    /// );
    /// # let _ = opt_out;
    /// ```
    pub fn management(name: impl Into<String>, policy_type: PolicyType, content: Value) -> Self {
        Self::with_content(name.into(), policy_type, Content::Json(content))
    }

    /// A policy of any type whose content is JSON taken as it is, such as the content
    /// Organizations returns for a policy that exists (`describe-policy`): only its size
    /// and the schema are checked, not the grammar of an SCP or RCP. A
    /// [`PolicyType::Other`] that names a known type is read as that type.
    pub fn json(name: impl Into<String>, policy_type: PolicyType, content: Value) -> Self {
        Self::with_content(name.into(), policy_type, Content::Json(content))
    }

    fn with_content(name: String, policy_type: PolicyType, content: Content) -> Self {
        Policy {
            id: name.clone(),
            name,
            description: None,
            policy_type: policy_type.normalized(),
            content,
            adopted: None,
        }
    }

    /// Adopts the policy that exists with this id (`p-…`) into CloudFormation management:
    /// it renders as a resource with `DeletionPolicy` and `UpdateReplacePolicy` `Retain`,
    /// and the deploy plan imports it (resource import, by its `Id`) before the first
    /// deploy instead of creating it. Its name, type, content, description and targets
    /// must be what exists; a bad id is reported at synthesis.
    pub fn adopt(mut self, id: impl Into<String>) -> Self {
        self.adopted = Some(id.into());
        self
    }

    /// Sets the description (at most 512 characters).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the construct id (defaults to the name).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }
}

/// A policy as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct PolicyData {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) policy_type: PolicyType,
    pub(crate) content: Content,
    pub(crate) targets: Vec<PolicyTargetRef>,
    /// The organization's node.
    pub(crate) organization: NodeId,
    /// The id of the policy this one adopts.
    pub(crate) adopted: Option<String>,
    /// The targets it is attached to already, for an adopted policy.
    pub(crate) existing_targets: Vec<PolicyTargetRef>,
}

impl Typed for PolicyData {
    fn adopted(&self) -> Option<(&'static str, &str)> {
        self.adopted.as_deref().map(|id| ("Id", id))
    }

    fn import_overrides(&self) -> Vec<(&'static str, Option<Value>)> {
        if self.existing_targets == self.targets {
            return Vec::new();
        }
        let existing = (!self.existing_targets.is_empty()).then(|| {
            Value::List(
                self.existing_targets
                    .iter()
                    .map(PolicyTargetRef::id)
                    .collect(),
            )
        });
        vec![("TargetIds", existing)]
    }

    fn values(&self, f: &mut dyn FnMut(&str, &Value)) {
        match &self.content {
            Content::Document(doc) => doc.for_each_value(&mut |v| f("Content", v)),
            Content::Json(v) => f("Content", v),
        }
    }

    fn validate(&self, cx: &mut Check<'_>) {
        if let Some(id) = &self.adopted {
            if let Err(e) = id.parse::<crate::aws::PolicyId>() {
                cx.push(e.to_diagnostic(""));
            }
        }
        if let Content::Document(doc) = &self.content {
            for p in doc.problems() {
                cx.report(p.rule, p.value, p.message, p.hint);
            }
            match self.policy_type {
                PolicyType::ResourceControlPolicy => rcp_grammar(cx, doc),
                ref t if t.is_authorization() => scp_grammar(cx, doc),
                _ => {}
            }
        }
        for t in &self.targets {
            if let PolicyTargetRef::Account(a) = t {
                a.check(cx);
            }
        }
    }

    fn check_all(&self) -> Option<fn(&dyn View, &mut Vec<Diagnostic>)> {
        Some(policies_per_target)
    }
    any_impls!();
}

impl Lower for PolicyData {
    fn resource_type(&self) -> &'static str {
        POLICY_TYPE
    }

    fn lower(&self) -> Resource {
        let content = match &self.content {
            Content::Document(d) => d.to_value(),
            Content::Json(v) => v.clone(),
        };
        let mut res = Resource::new(POLICY_TYPE)
            .property("Name", self.name.as_str())
            .property("Type", self.policy_type.as_str())
            .property("Content", content);
        if let Some(d) = &self.description {
            res = res.property("Description", d.as_str());
        }
        if !self.targets.is_empty() {
            res = res.property(
                "TargetIds",
                Value::List(self.targets.iter().map(PolicyTargetRef::id).collect()),
            );
        }
        if self.adopted.is_some() {
            res = res.retain();
        }
        res
    }
}

impl Construct<OrganizationHandle> for Policy {
    type Handle = PolicyHandle;

    /// Adds the policy to the organization. Size (the quota of its type), grammar and action
    /// problems are reported at synthesis with the policy's path; so is a target with more
    /// policies of its type than the type's per-target quota.
    fn build(self, app: &mut App, org: &OrganizationHandle) -> Result<PolicyHandle> {
        let stack = org.stack();
        let scope = match app.child(&stack, POLICIES_SCOPE) {
            Some(s) => s,
            None => app.add(&stack, Subtree::new(POLICIES_SCOPE))?.node(),
        };
        let data = PolicyData {
            name: self.name,
            description: self.description,
            policy_type: self.policy_type,
            content: self.content,
            targets: Vec::new(),
            organization: org.node(),
            adopted: self.adopted,
            existing_targets: Vec::new(),
        };
        let new = data.adopted.is_none();
        let node = app.add_typed(scope, self.id, data);
        // What exists is never created: only new policies count against the burst.
        if new {
            app.set_bounded_group(&node, POLICY_GROUP, POLICIES_AT_ONCE);
        }
        Ok(PolicyHandle { node })
    }
}

/// A policy in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyHandle {
    node: NodeId,
}

impl Scope for PolicyHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl PolicyHandle {
    /// Attaches the policy to a target (root, OU or account). Attaching twice is a no-op;
    /// a policy or target of another app is reported at synthesis, and so is a target with
    /// more policies of one type than its [`PolicyQuota::per_target`](crate::PolicyQuota)
    /// ([`Quotas::policy`](crate::Quotas::policy)). AWS's own policies count: `FullAWSAccess`
    /// for SCPs while attached ([`Organization::full_aws_access_attached`]), and
    /// `RCPFullAWSAccess` for RCPs, which AWS attaches to every target once RCPs are enabled
    /// and which cannot be detached; so 4 RCPs of your own fit on one target by default.
    ///
    /// [`Organization::full_aws_access_attached`]: super::Organization::full_aws_access_attached
    ///
    /// For an adopted policy ([`Policy::adopt`]), an attachment made with `attach` is new:
    /// the deploy after the import makes it. Declare the attachments that exist with
    /// [`adopt_attachment`](Self::adopt_attachment).
    pub fn attach(&self, app: &mut App, target: &impl PolicyTarget) {
        self.attach_as(app, target, false);
    }

    /// Declares that the adopted policy is attached to `target` already: the template that
    /// imports it holds the attachment (CloudFormation records what it imports as what
    /// exists), and so does the full template. Otherwise as [`attach`](Self::attach); on a
    /// policy that is not adopted it is `attach`.
    pub fn adopt_attachment(&self, app: &mut App, target: &impl PolicyTarget) {
        self.attach_as(app, target, true);
    }

    fn attach_as(&self, app: &mut App, target: &impl PolicyTarget, existing: bool) {
        let target = target.policy_target();
        let at = match &target {
            PolicyTargetRef::Root(o) => app.path(o),
            PolicyTargetRef::Ou(ou) => app.path(ou),
            PolicyTargetRef::Account(a) => a.node().map_or_else(String::new, |n| app.path(&n)),
        };
        if !app.owns_at(self.node, "attach (the policy)", &at) {
            return;
        }
        if let Some(data) = app.typed_mut::<PolicyData>(self.node, "attach") {
            if existing && !data.existing_targets.contains(&target) {
                data.existing_targets.push(target.clone());
            }
            if !data.targets.contains(&target) {
                data.targets.push(target);
            }
        }
    }

    /// The policy id (`p-…`).
    pub fn id(&self) -> Expr {
        Expr::node_ref(self.node, 130)
    }
}

/// A policy of the app, as the typed model holds it.
#[derive(Debug, Clone, Copy)]
pub struct PolicyView<'a> {
    node: NodeId,
    data: &'a PolicyData,
}

impl<'a> PolicyView<'a> {
    /// The policy's handle.
    pub fn handle(&self) -> PolicyHandle {
        PolicyHandle { node: self.node }
    }

    /// Its name.
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// Its type.
    pub fn policy_type(&self) -> &'a PolicyType {
        &self.data.policy_type
    }

    /// Its content: the typed document of an authorization policy, or JSON.
    pub fn content(&self) -> &'a Content {
        &self.data.content
    }

    /// The typed document, for an authorization policy.
    pub fn document(&self) -> Option<&'a PolicyDocument> {
        match &self.data.content {
            Content::Document(d) => Some(d),
            Content::Json(_) => None,
        }
    }

    /// What it is attached to, in the order attached.
    pub fn targets(&self) -> &'a [PolicyTargetRef] {
        &self.data.targets
    }

    /// The id of the existing policy it adopts ([`Policy::adopt`]).
    pub fn adopted_id(&self) -> Option<&'a str> {
        self.data.adopted.as_deref()
    }
}

impl App {
    /// Every Organizations policy of the app, in declaration order.
    pub fn policies(&self) -> impl Iterator<Item = PolicyView<'_>> + '_ {
        self.each::<PolicyData>()
            .map(|(node, data)| PolicyView { node, data })
    }
}

/// The grammar of RCPs: every statement denies (Allow is for AWS's own `RCPFullAWSAccess`
/// only), to `"Principal": "*"`, which it must name.
fn rcp_grammar(cx: &mut Check<'_>, doc: &PolicyDocument) {
    for (i, st) in doc.get_statements().iter().enumerate() {
        let at = st.label(Some(i));
        if st.effect() == Effect::Allow {
            cx.report(
                Rule::ScpGrammar,
                &at,
                format!("{at} allows; a resource control policy only denies (Allow is for AWS's RCPFullAWSAccess alone)"),
                "write the statement as a Deny of what must not happen",
            );
        }
        let any = st.get_principals().len() == 1
            && st.get_principals()[0].kind() == crate::iam::PrincipalKind::Any
            && st.not_principals().is_empty();
        if !any {
            cx.report(
                Rule::ScpGrammar,
                &at,
                format!("{at} must name `\"Principal\": \"*\"`: a resource control policy applies to every principal"),
                "add `.principal(Principal::any())` and narrow with a Condition on aws:PrincipalArn or aws:PrincipalOrgID",
            );
        }
    }
}

/// The grammar of SCPs: no principal; Allow statements only on `*`.
fn scp_grammar(cx: &mut Check<'_>, doc: &PolicyDocument) {
    for (i, st) in doc.get_statements().iter().enumerate() {
        let at = st.label(Some(i));
        if st.has_principal() {
            cx.report(
                Rule::ScpGrammar,
                &at,
                format!("{at} names a Principal; a service control policy applies to every principal of its targets and takes none"),
                "remove the Principal; narrow with a Condition on aws:PrincipalArn instead",
            );
        }
        if st.effect() == Effect::Allow {
            let only_star = st.not_resources().is_empty()
                && st.get_resources().iter().all(|r| r.as_str() == Some("*"));
            if !only_star {
                cx.report(
                    Rule::ScpGrammar,
                    &at,
                    format!("{at} allows on specific resources; an Allow statement in an SCP must use Resource \"*\""),
                    "use a Deny statement with NotResource to fence resources",
                );
            }
        }
    }
}

/// At most [`PolicyQuota::per_target`](crate::PolicyQuota::per_target) policies of one type
/// attached directly to one target, counted against that type's quota; AWS's own policy of
/// the type counts where it is attached ([`aws_policy_attached`]).
/// The policies of one type attached directly to one target, as the per-target quota
/// counts them.
pub(crate) struct TargetAttachments<'a> {
    pub(crate) policy_type: &'a PolicyType,
    pub(crate) target: &'a PolicyTargetRef,
    /// The app's policies attached, in declaration order.
    pub(crate) policies: Vec<NodeId>,
    /// AWS's own policy of the type, when it is attached there too ([`aws_policy_attached`]).
    pub(crate) builtin: Option<&'static str>,
}

impl TargetAttachments<'_> {
    /// How many policies count against the target's quota of the type.
    pub(crate) fn total(&self) -> usize {
        self.policies.len() + usize::from(self.builtin.is_some())
    }
}

/// Every (policy type, target) pair of the app with what is attached there, in the order
/// the policies and their targets were declared.
pub(crate) fn attachments_per_target(app: &App) -> Vec<TargetAttachments<'_>> {
    // Per type and target: the target's organization and the policies attached to it.
    let mut counts: IndexMap<(&PolicyType, &PolicyTargetRef), (NodeId, Vec<NodeId>)> =
        IndexMap::new();
    for (node, data) in app.each::<PolicyData>() {
        for t in &data.targets {
            counts
                .entry((&data.policy_type, t))
                .or_insert_with(|| (data.organization, Vec::new()))
                .1
                .push(node);
        }
    }
    counts
        .into_iter()
        .map(
            |((policy_type, target), (organization, policies))| TargetAttachments {
                policy_type,
                target,
                policies,
                builtin: aws_policy_attached(app, organization, policy_type),
            },
        )
        .collect()
}

fn policies_per_target(model: &dyn View, out: &mut Vec<Diagnostic>) {
    let app = model.app();
    let quotas = model.quotas();
    for attached in attachments_per_target(app) {
        let total = attached.total();
        let (ty, target, policies, builtin) = (
            attached.policy_type,
            attached.target,
            attached.policies,
            attached.builtin,
        );
        let max = quotas.policy(ty).per_target;
        if total > max {
            let names: Vec<String> = policies.iter().map(|p| model.path(*p)).collect();
            // The target's own construct, or (for an account that exists already) the
            // last policy attached to it.
            let (path, named) = match target {
                PolicyTargetRef::Root(o) => {
                    let p = model.path(o.node());
                    (p.clone(), format!("the root of `{p}`"))
                }
                PolicyTargetRef::Ou(ou) => {
                    let p = model.path(ou.node());
                    (p.clone(), format!("`{p}`"))
                }
                PolicyTargetRef::Account(a) => match a.node() {
                    Some(n) => {
                        let p = model.path(n);
                        (p.clone(), format!("`{p}`"))
                    }
                    None => (
                        names.last().cloned().unwrap_or_default(),
                        format!("account {}", a.id().as_str().unwrap_or_default()),
                    ),
                },
            };
            out.push(Diagnostic::new(
                path,
                Rule::PoliciesPerTarget,
                total.to_string(),
                format!(
                    "{total} policies of type {ty} are attached to {named}{}; at most {max} are allowed: {}",
                    builtin.map_or_else(String::new, |b| format!(" ({b} included)")),
                    names.join(", ")
                ),
                format!("merge policies, or attach some to the parent of {named} instead (or raise the quota and set its `per_target` in `Quotas::policies`)"),
            ));
        }
    }
}

/// The AWS managed policy of type `ty` that is attached to every target of the organization
/// and counts against the per-target quota: `FullAWSAccess` for SCPs while the organization
/// keeps it attached ([`Organization::full_aws_access_attached`]); `RCPFullAWSAccess` for
/// RCPs always, as AWS attaches it to every root, OU and account once RCPs are enabled and
/// it cannot be detached.
///
/// [`Organization::full_aws_access_attached`]: super::Organization::full_aws_access_attached
fn aws_policy_attached(app: &App, organization: NodeId, ty: &PolicyType) -> Option<&'static str> {
    match ty {
        PolicyType::ServiceControlPolicy => {
            super::organization::full_aws_access(app, organization).then_some("FullAWSAccess")
        }
        PolicyType::ResourceControlPolicy => Some("RCPFullAWSAccess"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Organization;

    fn organization(full_aws_access: bool) -> (App, NodeId) {
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        let org = app
            .add(
                &stack,
                Organization::create().full_aws_access_attached(full_aws_access),
            )
            .unwrap();
        (app, org.node())
    }

    #[test]
    fn aws_policies_that_count_per_target() {
        let (app, org) = organization(true);
        let of = |ty: PolicyType| aws_policy_attached(&app, org, &ty);
        assert_eq!(of(PolicyType::ServiceControlPolicy), Some("FullAWSAccess"));
        assert_eq!(
            of(PolicyType::ResourceControlPolicy),
            Some("RCPFullAWSAccess")
        );
        for ty in &PolicyType::KNOWN[2..] {
            assert_eq!(of(ty.clone()), None, "{ty}");
        }
        assert_eq!(of(PolicyType::Other("NEW_POLICY".into())), None);

        // Detaching FullAWSAccess leaves RCPFullAWSAccess, which cannot be detached.
        let (app, org) = organization(false);
        let of = |ty: PolicyType| aws_policy_attached(&app, org, &ty);
        assert_eq!(of(PolicyType::ServiceControlPolicy), None);
        assert_eq!(
            of(PolicyType::ResourceControlPolicy),
            Some("RCPFullAWSAccess")
        );
    }

    #[test]
    fn a_known_type_given_as_other_is_read_as_it() {
        let p = Policy::management(
            "Tags",
            PolicyType::Other("TAG_POLICY".into()),
            crate::obj! {},
        );
        assert_eq!(p.policy_type, PolicyType::TagPolicy);
    }
}
