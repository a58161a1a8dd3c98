//! Customer managed policies.

use crate::app::{App, Construct, ResourceHandle};
use crate::cfn::{Expr, NodeId, Resource};
use crate::error::{Diagnostic, Result, Rule};

use super::checks::{report_identity_policy, report_name, report_path};
use super::policy::PolicyDocument;

/// A customer managed policy, attachable to roles and groups.
///
/// ```
/// use orgstack::{App, iam::{ManagedPolicy, PolicyDocument, Statement}};
/// let mut app = App::new();
/// let stack = app.stack("Main")?;
/// let read = ManagedPolicy::new(
///     "ReadLogs",
///     PolicyDocument::new().statement(Statement::allow().action("logs:Get*").resource("*")),
/// )
/// .build(&mut app, &stack)?;
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

    /// Sets `Description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets `Path`.
    pub fn path(mut self, p: impl Into<String>) -> Self {
        self.path = Some(p.into());
        self
    }

    /// Adds the policy under `scope`.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the id is taken; document
    /// problems and the size quota are reported at synthesis.
    pub fn build(self, app: &mut App, scope: &impl Construct) -> Result<ManagedPolicyHandle> {
        let mut res = Resource::new("AWS::IAM::ManagedPolicy");
        if let Some(n) = &self.name {
            res = res.property("ManagedPolicyName", n.as_str());
        }
        if let Some(d) = &self.description {
            res = res.property("Description", d.as_str());
        }
        if let Some(p) = &self.path {
            res = res.property("Path", p.as_str());
        }
        res = res.property("PolicyDocument", self.document.to_value());
        let handle = app.add_resource(scope, self.id.as_str(), res)?;
        let path = app.path(&handle);
        if let Some(n) = &self.name {
            report_name(app, &path, "managed policy", n, 128);
        }
        if let Some(p) = &self.path {
            report_path(app, &path, p);
        }
        report_identity_policy(app, &path, &self.document);
        let size = self.document.minified_len_without_whitespace();
        let max = app.quotas().managed_policy_size;
        if size > max {
            app.report(Diagnostic::new(
                &path,
                Rule::ManagedPolicySize,
                size.to_string(),
                format!(
                    "the policy is {size} characters without whitespace; IAM accepts at most {max}"
                ),
                "split it into two managed policies, or use wildcards",
            ));
        }
        Ok(ManagedPolicyHandle(handle))
    }
}

/// A managed policy in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ManagedPolicyHandle(ResourceHandle);

impl Construct for ManagedPolicyHandle {
    fn node(&self) -> NodeId {
        self.0.node()
    }
}

impl ManagedPolicyHandle {
    /// The policy's ARN (what `Ref` returns for this type).
    pub fn arn(&self) -> Expr {
        self.0.ref_expr(2048)
    }
}
