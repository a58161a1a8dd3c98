//! Customer managed policies.

use crate::app::{any_impls, App, Check, Construct, Lower, ResourceHandle, Scope, Typed};
use crate::cfn::{Expr, NodeId, Resource};
use crate::error::Result;

use super::checks::report_identity_policy;
use super::policy::PolicyDocument;

/// A customer managed policy, attachable to roles and groups.
///
/// ```
/// use orgstack::{App, iam::{ManagedPolicy, PolicyDocument, Statement}};
/// let mut app = App::new();
/// let stack = app.stack("Main")?;
/// let read = app.add(&stack, ManagedPolicy::new(
///     "ReadLogs",
///     PolicyDocument::new().statement(Statement::allow().action("logs:Get*").resource("*")),
/// ))?;
/// # let _ = read;
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ManagedPolicy {
    id: String,
    document: PolicyDocument,
    name: Option<String>,
    description: Option<String>,
    path: Option<String>,
}

impl ManagedPolicy {
    /// A managed policy with construct id `id` and its document.
    pub fn new(id: impl Into<String>, document: PolicyDocument) -> Self {
        ManagedPolicy {
            id: id.into(),
            document,
            name: None,
            description: None,
            path: None,
        }
    }

    /// Sets `ManagedPolicyName` (otherwise CloudFormation generates one).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets `Description` (at most 1,000 characters).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets `Path`: `/`, or `/…/` segments of letters, digits and `.,+@=_-` (narrower than
    /// a role's path).
    pub fn path(mut self, p: impl Into<String>) -> Self {
        self.path = Some(p.into());
        self
    }
}

/// A managed policy as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct ManagedPolicyData {
    pub(crate) document: PolicyDocument,
    pub(crate) name: Option<String>,
    description: Option<String>,
    path: Option<String>,
}

impl Typed for ManagedPolicyData {
    fn values(&self, f: &mut dyn FnMut(&str, &crate::cfn::Value)) {
        self.document
            .for_each_value(&mut |v| f("PolicyDocument", v));
    }

    fn validate(&self, cx: &mut Check<'_>) {
        report_identity_policy(cx, &self.document);
    }
    any_impls!();
}

impl Lower for ManagedPolicyData {
    fn resource_type(&self) -> &'static str {
        "AWS::IAM::ManagedPolicy"
    }

    fn lower(&self) -> Resource {
        let mut res = Resource::new(self.resource_type());
        if let Some(n) = &self.name {
            res = res.property("ManagedPolicyName", n.as_str());
        }
        if let Some(d) = &self.description {
            res = res.property("Description", d.as_str());
        }
        if let Some(p) = &self.path {
            res = res.property("Path", p.as_str());
        }
        res.property("PolicyDocument", self.document.to_value())
    }
}

impl<P: Scope + ?Sized> Construct<P> for ManagedPolicy {
    type Handle = ManagedPolicyHandle;

    /// Adds the policy; document problems and the size quota are reported at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<ManagedPolicyHandle> {
        let data = ManagedPolicyData {
            document: self.document,
            name: self.name,
            description: self.description,
            path: self.path,
        };
        Ok(ManagedPolicyHandle(ResourceHandle::of_type(
            app.add_typed(parent.node(), self.id, data),
            "AWS::IAM::ManagedPolicy",
        )))
    }
}

/// A managed policy in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ManagedPolicyHandle(ResourceHandle);

impl Scope for ManagedPolicyHandle {
    fn node(&self) -> NodeId {
        self.0.node()
    }
}

impl ManagedPolicyHandle {
    /// The policy's ARN (what `Ref` returns for this type).
    pub fn arn(&self) -> Expr {
        self.0.ref_expr()
    }
}
