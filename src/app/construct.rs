//! How constructs compose: every construct is added with [`App::add`] under a parent that
//! implements [`Scope`], and returns a handle that is itself a scope and a reference.

use super::tree::{Body, NodeKind, ResourceNode};
use super::App;
use crate::cfn::{Expr, Key, NodeId, Parameter, Resource};
use crate::error::Result;

/// Anything constructs can be added under: stacks, subtrees and the handles constructs
/// return.
pub trait Scope {
    /// The construct's node in its app.
    fn node(&self) -> NodeId;
}

impl Scope for NodeId {
    fn node(&self) -> NodeId {
        *self
    }
}

impl<S: Scope + ?Sized> Scope for &S {
    fn node(&self) -> NodeId {
        (**self).node()
    }
}

/// A construct: something that adds itself to an app under a parent of type `P` and
/// returns a handle. The library's constructs, its layouts and yours all implement it, so
/// they nest alike; add one with [`App::add`].
///
/// ```
/// use orgstack::app::{App, Construct, Scope, Subtree, SubtreeHandle};
/// use orgstack::iam::{ManagedPolicyRef, Role};
///
/// /// Read-only and break-glass roles, trusted from one account with MFA.
/// struct Baseline {
///     trusted: &'static str,
/// }
///
/// impl<P: Scope> Construct<P> for Baseline {
///     type Handle = SubtreeHandle;
///     fn build(self, app: &mut App, parent: &P) -> orgstack::Result<SubtreeHandle> {
///         let me = app.add(parent, Subtree::new("Baseline"))?;
///         for role in ["ReadOnly", "BreakGlass"] {
///             app.add(&me, Role::assumable_with_mfa(role, self.trusted)
///                 .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess")))?;
///         }
///         Ok(me)
///     }
/// }
///
/// let mut app = App::new();
/// let stack = app.stack("Member")?;
/// let baseline = app.add(&stack, Baseline { trusted: "123456789012" })?;
/// assert_eq!(app.path(&baseline), "Member/Baseline");
/// assert!(app.synth()?.template_json("Member").unwrap().contains("BaselineReadOnly"));
/// # Ok::<(), orgstack::Error>(())
/// ```
pub trait Construct<P: ?Sized> {
    /// What adding the construct returns: a handle to reference it and extend it.
    type Handle;

    /// Adds the construct to `app` under `parent`. Call it through [`App::add`].
    ///
    /// # Errors
    /// Only what building its own children returns; problems with the construct's values
    /// are reported at synthesis, with its path.
    fn build(self, app: &mut App, parent: &P) -> Result<Self::Handle>;
}

/// A grouping construct with no resource of its own: its id becomes part of the paths
/// (and logical IDs) of everything added under it.
#[derive(Debug, Clone)]
#[must_use]
pub struct Subtree {
    id: String,
}

impl Subtree {
    /// A subtree with construct id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Subtree { id: id.into() }
    }
}

/// A [`Subtree`] in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubtreeHandle(pub(crate) NodeId);

impl Scope for SubtreeHandle {
    fn node(&self) -> NodeId {
        self.0
    }
}

impl<P: Scope + ?Sized> Construct<P> for Subtree {
    type Handle = SubtreeHandle;
    fn build(self, app: &mut App, parent: &P) -> Result<SubtreeHandle> {
        Ok(SubtreeHandle(app.add_node(
            parent.node(),
            self.id,
            NodeKind::Scope(None),
        )))
    }
}

/// A resource written by hand: the escape hatch for any resource type the library does
/// not model. Its properties are checked like those of the library's own resources.
///
/// ```
/// use orgstack::app::{App, CfnResource};
/// use orgstack::cfn::Resource;
///
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let topic = app.add(&stack, CfnResource::new("Alerts", Resource::new("AWS::SNS::Topic")))?;
/// assert_eq!(app.path(&topic), "Management/Alerts");
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CfnResource {
    id: String,
    resource: Resource,
}

impl CfnResource {
    /// The resource `resource` under construct id `id`.
    pub fn new(id: impl Into<String>, resource: Resource) -> Self {
        CfnResource {
            id: id.into(),
            resource,
        }
    }
}

impl<P: Scope + ?Sized> Construct<P> for CfnResource {
    type Handle = ResourceHandle;
    fn build(self, app: &mut App, parent: &P) -> Result<ResourceHandle> {
        let node = ResourceNode::new(Body::Raw(self.resource));
        Ok(ResourceHandle(app.add_node(
            parent.node(),
            self.id,
            NodeKind::Resource(Box::new(node)),
        )))
    }
}

/// A template parameter; its logical ID is its construct id unless pinned.
#[derive(Debug, Clone)]
#[must_use]
pub struct CfnParameter {
    id: String,
    parameter: Parameter,
}

impl CfnParameter {
    /// The parameter `parameter` under construct id (and logical ID) `id`.
    pub fn new(id: impl Into<String>, parameter: Parameter) -> Self {
        CfnParameter {
            id: id.into(),
            parameter,
        }
    }
}

impl<P: Scope + ?Sized> Construct<P> for CfnParameter {
    type Handle = ParameterHandle;
    fn build(self, app: &mut App, parent: &P) -> Result<ParameterHandle> {
        let id = self.id.clone();
        let node = app.add_node(
            parent.node(),
            self.id,
            NodeKind::Parameter(Box::new(self.parameter)),
        );
        if let Some(e) = app.entry_mut(node) {
            e.logical_id = Some(id);
        }
        Ok(ParameterHandle(node))
    }
}

/// A top-level stack or a StackSet's member stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StackHandle(pub(crate) NodeId);

impl Scope for StackHandle {
    fn node(&self) -> NodeId {
        self.0
    }
}

/// A resource in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceHandle(pub(crate) NodeId);

impl Scope for ResourceHandle {
    fn node(&self) -> NodeId {
        self.0
    }
}

impl ResourceHandle {
    /// `Ref` of the resource; `max_len` is the longest value it can resolve to (for size
    /// accounting).
    pub fn ref_expr(self, max_len: usize) -> Expr {
        Expr::node_ref(self.0, max_len)
    }

    /// `Fn::GetAtt` of the resource.
    pub fn get_att(self, attribute: impl Into<Key>, max_len: usize) -> Expr {
        Expr::node_get_att(self.0, attribute, max_len)
    }
}

/// A template parameter in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParameterHandle(pub(crate) NodeId);

impl Scope for ParameterHandle {
    fn node(&self) -> NodeId {
        self.0
    }
}

impl ParameterHandle {
    /// `Ref` of the parameter, whose value is at most `max_len` characters.
    pub fn value(self, max_len: usize) -> Expr {
        Expr::node_ref(self.0, max_len)
    }
}
