//! Organizations policies: service control policies, resource control policies, tag
//! policies and the other management policy types, attached through handles.

use std::collections::HashMap;

use crate::app::{App, Construct, ResourceHandle};
use crate::cfn::{NodeId, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};
use crate::iam::{Effect, PolicyDocument};

use super::organization::{OrganizationHandle, FULL_AWS_ACCESS_CONTEXT};

/// Type of the policy resource.
pub const POLICY_TYPE: &str = "AWS::Organizations::Policy";
const POLICIES_SCOPE: &str = "Policies";

/// What can have an Organizations policy attached: the root, an OU, an account.
pub trait PolicyTarget {
    /// The target's id, as `TargetIds` takes it.
    fn target_id(&self) -> Value;
}

impl PolicyTarget for OrganizationHandle {
    fn target_id(&self) -> Value {
        Value::from(self.root_id())
    }
}

/// The kind of an Organizations policy (the AWS enum, with an escape for new values).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyType {
    /// `SERVICE_CONTROL_POLICY`: the most a principal in the target may do.
    ServiceControlPolicy,
    /// `RESOURCE_CONTROL_POLICY`: the most anyone may do with the target's resources.
    ResourceControlPolicy,
    /// `TAG_POLICY`.
    TagPolicy,
    /// `BACKUP_POLICY`.
    BackupPolicy,
    /// `AISERVICES_OPT_OUT_POLICY`.
    AiServicesOptOutPolicy,
    /// A type this version does not know, written as is.
    Other(String),
}

impl PolicyType {
    /// The value as CloudFormation takes it.
    pub fn as_str(&self) -> &str {
        match self {
            PolicyType::ServiceControlPolicy => "SERVICE_CONTROL_POLICY",
            PolicyType::ResourceControlPolicy => "RESOURCE_CONTROL_POLICY",
            PolicyType::TagPolicy => "TAG_POLICY",
            PolicyType::BackupPolicy => "BACKUP_POLICY",
            PolicyType::AiServicesOptOutPolicy => "AISERVICES_OPT_OUT_POLICY",
            PolicyType::Other(s) => s,
        }
    }

    fn is_authorization(&self) -> bool {
        matches!(
            self,
            PolicyType::ServiceControlPolicy | PolicyType::ResourceControlPolicy
        )
    }
}

#[derive(Debug, Clone)]
enum Content {
    Document(PolicyDocument),
    Json(Value),
}

/// An Organizations policy to add to the organization.
///
/// ```
/// use orgstack::iam::{Condition, PolicyDocument, Statement, keys};
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

    /// An authorization policy of the given type.
    pub fn of_type(
        name: impl Into<String>,
        policy_type: PolicyType,
        document: PolicyDocument,
    ) -> Self {
        Self::with_content(name.into(), policy_type, Content::Document(document))
    }

    /// A management policy (tag, backup, AI services opt-out…) whose content is JSON of its
    /// own grammar.
    pub fn management(name: impl Into<String>, policy_type: PolicyType, content: Value) -> Self {
        Self::with_content(name.into(), policy_type, Content::Json(content))
    }

    fn with_content(name: String, policy_type: PolicyType, content: Content) -> Self {
        Policy {
            id: name.clone(),
            name,
            description: None,
            policy_type,
            content,
        }
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

/// A policy in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyHandle {
    resource: ResourceHandle,
}

impl Construct for PolicyHandle {
    fn node(&self) -> NodeId {
        self.resource.node()
    }
}

impl PolicyHandle {
    /// Attaches the policy to a target (root, OU or account). Attaching twice is a no-op.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`](crate::Error::InvalidHandle) if the policy is not in `app`.
    pub fn attach(&self, app: &mut App, target: &impl PolicyTarget) -> Result<()> {
        let id = target.target_id();
        let res = app.resource_mut(&self.resource).ok_or_else(|| {
            crate::Error::InvalidHandle("the policy is not a resource of this app".into())
        })?;
        let entry = res
            .properties
            .entry("TargetIds".into())
            .or_insert_with(|| Value::List(Vec::new()));
        if let Value::List(ids) = entry {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(())
    }

    /// The policy id (`p-…`).
    pub fn id(&self) -> crate::cfn::Expr {
        self.resource.ref_expr(130)
    }
}

impl OrganizationHandle {
    /// Adds an Organizations policy. Size, grammar and action problems are reported at
    /// synthesis with the policy's path; so is a target with more policies than the quota.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if a policy with that id exists.
    pub fn add_policy(&self, app: &mut App, policy: Policy) -> Result<PolicyHandle> {
        let stack = self.stack();
        let scope = match app.child(&stack, POLICIES_SCOPE) {
            Some(s) => s,
            None => app.add_scope(&stack, POLICIES_SCOPE)?,
        };
        let (content, size) = match &policy.content {
            Content::Document(d) => (d.to_value(), d.minified_len()),
            Content::Json(v) => (v.clone(), v.minified_len()),
        };
        let mut res = Resource::new(POLICY_TYPE)
            .property("Name", policy.name.as_str())
            .property("Type", policy.policy_type.as_str())
            .property("Content", content);
        if let Some(d) = &policy.description {
            res = res.property("Description", d.as_str());
        }
        let handle = app.add_resource(&scope, policy.id.as_str(), res)?;
        let path = app.path(&handle);
        let mut problems = Vec::new();
        if !(1..=128).contains(&policy.name.chars().count()) {
            problems.push(Diagnostic::new(
                &path,
                Rule::PolicyName,
                &policy.name,
                "a policy name must be 1 to 128 characters",
                "shorten the name",
            ));
        }
        if policy
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 512)
        {
            problems.push(Diagnostic::new(
                &path,
                Rule::PolicyName,
                policy.description.as_deref().unwrap_or_default(),
                "a policy description must be at most 512 characters",
                "shorten the description",
            ));
        }
        let max = app.quotas().organizations_policy_size;
        if size > max {
            problems.push(Diagnostic::new(
                &path,
                Rule::PolicySize,
                size.to_string(),
                format!(
                    "the policy is {size} characters minified (intrinsics counted at their longest); Organizations accepts at most {max}"
                ),
                "split the statements over two policies, or use wildcards in actions",
            ));
        }
        if let Content::Document(doc) = &policy.content {
            for p in doc.problems() {
                problems.push(Diagnostic::new(&path, p.rule, p.value, p.message, p.hint));
            }
            if policy.policy_type.is_authorization() {
                scp_grammar(&path, doc, &mut problems);
            }
        }
        for p in problems {
            app.report(p);
        }
        app.add_check("org.policies-per-target", policies_per_target);
        Ok(PolicyHandle { resource: handle })
    }
}

/// The grammar of SCPs and RCPs: no principal in an SCP; Allow statements only on `*`.
fn scp_grammar(path: &str, doc: &PolicyDocument, out: &mut Vec<Diagnostic>) {
    for (i, st) in doc.get_statements().iter().enumerate() {
        let at = st.label(Some(i));
        if st.has_principal() {
            out.push(Diagnostic::new(
                path,
                Rule::ScpGrammar,
                &at,
                format!("{at} names a Principal; a service control policy applies to every principal of its targets and takes none"),
                "remove the Principal; narrow with a Condition on aws:PrincipalArn instead",
            ));
        }
        if st.effect() == Effect::Allow {
            let only_star = st.not_resources().is_empty()
                && st.get_resources().iter().all(|r| r.as_str() == Some("*"));
            if !only_star {
                out.push(Diagnostic::new(
                    path,
                    Rule::ScpGrammar,
                    &at,
                    format!("{at} allows on specific resources; an Allow statement in an SCP must use Resource \"*\""),
                    "use a Deny statement with NotResource to fence resources",
                ));
            }
        }
    }
}

/// At most `policies_per_target` policies of one type attached directly to one target;
/// AWS's FullAWSAccess counts while attached.
fn policies_per_target(app: &App, out: &mut Vec<Diagnostic>) {
    let full_access = app.context(FULL_AWS_ACCESS_CONTEXT) != Some("false");
    let max = app.quotas().policies_per_target;
    // (policy type, rendered target) -> policies
    let mut counts: HashMap<(String, String), Vec<NodeId>> = HashMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for (node, res) in app.resources_of_type(POLICY_TYPE) {
        let ty = res
            .properties
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(Value::List(targets)) = res.properties.get("TargetIds") {
            for t in targets {
                let key = (ty.clone(), format!("{t:?}"));
                let entry = counts.entry(key.clone()).or_default();
                if entry.is_empty() {
                    order.push(key);
                }
                entry.push(node);
            }
        }
    }
    for key in order {
        let policies = &counts[&key];
        let builtin = usize::from(full_access && key.0 == "SERVICE_CONTROL_POLICY");
        let total = policies.len() + builtin;
        if total > max {
            let names: Vec<String> = policies.iter().map(|p| app.path(p)).collect();
            out.push(Diagnostic::new(
                names.last().cloned().unwrap_or_default(),
                Rule::PoliciesPerTarget,
                total.to_string(),
                format!(
                    "{total} policies of type {} are attached to one target{}; at most {max} are allowed: {}",
                    key.0,
                    if builtin == 1 { " (FullAWSAccess included)" } else { "" },
                    names.join(", ")
                ),
                "merge policies, or attach some to the parent OU instead",
            ));
        }
    }
}
