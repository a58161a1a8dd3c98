//! IAM groups.

use crate::app::{any_impls, App, Check, Construct, Lower, ResourceHandle, Scope, Typed};
use crate::cfn::{Expr, NodeId, Resource};
use crate::error::Result;

use super::identity::{attachment_setters, Attachments, ManagedPolicyRef};
use super::policy::PolicyDocument;

/// An IAM group. Users are managed outside templates: no password or access key ever
/// belongs in one.
///
/// ```
/// use orgstack::{App, iam::{Group, ManagedPolicyRef}};
/// let mut app = App::new();
/// let stack = app.stack("Identity")?;
/// app.add(&stack, Group::new("Developers")
///     .name("developers")
///     .managed_policy(ManagedPolicyRef::aws_managed("IAMUserChangePassword")))?;
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
}

/// A group as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct GroupData {
    pub(crate) name: Option<String>,
    pub(crate) attachments: Attachments,
}

impl Typed for GroupData {
    fn values(&self, f: &mut dyn FnMut(&str, &crate::cfn::Value)) {
        self.attachments.for_each_value(f);
    }

    fn validate(&self, cx: &mut Check<'_>) {
        let max_inline = cx.quotas().group_inline_policy_size;
        self.attachments.report(cx, max_inline);
    }
    any_impls!();
}

impl Lower for GroupData {
    fn resource_type(&self) -> &'static str {
        "AWS::IAM::Group"
    }

    fn lower(&self) -> Resource {
        let mut res = Resource::new(self.resource_type());
        if let Some(n) = &self.name {
            res = res.property("GroupName", n.as_str());
        }
        if let Some(p) = &self.attachments.path {
            res = res.property("Path", p.as_str());
        }
        self.attachments.apply(res)
    }
}

impl<P: Scope + ?Sized> Construct<P> for Group {
    type Handle = GroupHandle;

    /// Adds the group; names and quotas are reported at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<GroupHandle> {
        let data = GroupData {
            name: self.name,
            attachments: self.attachments,
        };
        Ok(GroupHandle(ResourceHandle::of_type(
            app.add_typed(parent.node(), self.id, data),
            "AWS::IAM::Group",
        )))
    }
}

/// A group in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupHandle(ResourceHandle);

impl Scope for GroupHandle {
    fn node(&self) -> NodeId {
        self.0.node()
    }
}

impl GroupHandle {
    /// The group's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.0.ref_expr()
    }

    /// The group's ARN.
    pub fn arn(&self) -> Expr {
        self.0.get_att("Arn")
    }
}
