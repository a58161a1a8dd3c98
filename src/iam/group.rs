//! IAM groups.

use crate::app::{App, Construct, ResourceHandle};
use crate::cfn::{Expr, NodeId, Resource};
use crate::error::Result;

use super::checks::report_name;
use super::identity::{attachment_setters, Attachments, ManagedPolicyRef};
use super::policy::PolicyDocument;

/// An IAM group. Users are managed outside templates: no password or access key ever
/// belongs in one.
///
/// ```
/// use orgstack::{App, iam::{Group, ManagedPolicyRef}};
/// let mut app = App::new();
/// let stack = app.stack("Identity")?;
/// Group::new("Developers")
///     .name("developers")
///     .managed_policy(ManagedPolicyRef::aws_managed("IAMUserChangePassword"))
///     .build(&mut app, &stack)?;
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Group {
    id: String,
    name: Option<String>,
    attachments: Attachments,
}

impl Group {
    /// A group with construct id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Group {
            id: id.into(),
            name: None,
            attachments: Attachments::default(),
        }
    }

    /// Sets `GroupName` (1–128 of `[\w+=,.@-]`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    attachment_setters!();

    /// Adds the group under `scope`.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the id is taken; names and
    /// quotas are reported at synthesis.
    pub fn build(self, app: &mut App, scope: &impl Construct) -> Result<GroupHandle> {
        let mut res = Resource::new("AWS::IAM::Group");
        if let Some(n) = &self.name {
            res = res.property("GroupName", n.as_str());
        }
        if let Some(p) = &self.attachments.path {
            res = res.property("Path", p.as_str());
        }
        res = self.attachments.apply(res);
        let handle = app.add_resource(scope, self.id.as_str(), res)?;
        let path = app.path(&handle);
        if let Some(n) = &self.name {
            report_name(app, &path, "group", n, 128);
        }
        let max_inline = app.quotas().group_inline_policy_size;
        self.attachments.report(app, &path, max_inline);
        Ok(GroupHandle(handle))
    }
}

/// A group in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupHandle(ResourceHandle);

impl Construct for GroupHandle {
    fn node(&self) -> NodeId {
        self.0.node()
    }
}

impl GroupHandle {
    /// The group's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.0.ref_expr(128)
    }

    /// The group's ARN.
    pub fn arn(&self) -> Expr {
        self.0.get_att("Arn", 2048)
    }
}
