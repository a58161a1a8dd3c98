//! How constructs compose: every construct is added with [`App::add`] under a parent that
//! implements [`Scope`], and returns a handle that is itself a scope and a reference.

use super::tree::{Body, NodeKind, ResourceNode};
use super::App;
use crate::cfn::lengths::{self, TypeLengths};
use crate::cfn::{Expr, Key, NodeId, Output, Parameter, Resource, Value};
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
        let lengths = lengths::of(&self.resource.resource_type);
        let node = ResourceNode::new(Body::Raw(self.resource));
        Ok(ResourceHandle {
            node: app.add_node(parent.node(), self.id, NodeKind::Resource(Box::new(node))),
            lengths,
        })
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
        let max_len = parameter_max_len(&self.parameter);
        let node = app.add_node(
            parent.node(),
            self.id,
            NodeKind::Parameter(Box::new(self.parameter)),
        );
        if let Some(e) = app.entry_mut(node) {
            e.logical_id = Some(id);
        }
        Ok(ParameterHandle { node, max_len })
    }
}

/// The longest value a parameter takes: its longest allowed value, or the 4,096 characters
/// CloudFormation allows any parameter value.
fn parameter_max_len(p: &Parameter) -> usize {
    p.allowed_values
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(PARAMETER_VALUE_MAX)
}

/// The longest value CloudFormation accepts for a parameter.
const PARAMETER_VALUE_MAX: usize = 4096;

/// An output of a stack, built like any construct and added with [`App::add`]: required
/// data in `new`, the rest chained.
///
/// A name already taken, one that is not `[A-Za-z0-9]{1,255}`, or one starting with
/// `Export` (kept for the outputs synthesis adds to export values between stacks) is
/// reported at synthesis, and so is an export name another output of the account already
/// exports.
///
/// ```
/// use orgstack::{App, CfnOutput, CfnResource, cfn::Resource};
/// let mut app = App::new();
/// let stack = app.stack("Shared")?;
/// let topic = app.add(&stack, CfnResource::new("Alerts", Resource::new("AWS::SNS::Topic")))?;
/// app.add(&stack, CfnOutput::new("AlertTopicArn", topic.ref_expr())
///     .description("Where alarms notify")
///     .export("shared-alert-topic-arn"))?;
/// let json = app.synth()?.template_json("Shared").unwrap().to_owned();
/// assert!(json.contains(r#""Export": {
///         "Name": "shared-alert-topic-arn"
///       }"#));
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CfnOutput {
    name: String,
    output: Output,
}

impl CfnOutput {
    /// The output `name` of `value`.
    pub fn new(name: impl Into<String>, value: impl Into<Value>) -> Self {
        CfnOutput {
            name: name.into(),
            output: Output::new(value),
        }
    }

    /// Sets its `Description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.output = self.output.description(description);
        self
    }

    /// Exports it under `name`, for `Fn::ImportValue` in other stacks of the account and
    /// region.
    pub fn export(mut self, name: impl Into<Value>) -> Self {
        self.output = self.output.export(name);
        self
    }
}

impl Construct<StackHandle> for CfnOutput {
    type Handle = ();
    fn build(self, app: &mut App, parent: &StackHandle) -> Result<()> {
        app.add_output(parent, self.name, self.output);
        Ok(())
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

/// A resource in the app. It knows its type, so its references count at the longest value
/// that type returns (see [`cfn::lengths`](crate::cfn::lengths)).
///
/// ```
/// use orgstack::{App, CfnResource, cfn::{Expr, Resource}};
/// let mut app = App::new();
/// let stack = app.stack("Main")?;
/// let topic = app.add(&stack, CfnResource::new("Alerts", Resource::new("AWS::SNS::Topic")))?;
/// let Expr::Ref(arn) = topic.ref_expr() else { unreachable!() };
/// assert_eq!(arn.max_len, "arn:aws-us-gov:sns:".len() + 20 + 1 + 12 + 1 + 256);
/// let Expr::Ref(name) = topic.get_att("TopicName") else { unreachable!() };
/// assert_eq!(name.max_len, 256);
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceHandle {
    node: NodeId,
    lengths: &'static TypeLengths,
}

impl Scope for ResourceHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl ResourceHandle {
    /// The handle of a resource of type `resource_type` at `node`.
    pub(crate) fn of_type(node: NodeId, resource_type: &str) -> Self {
        ResourceHandle {
            node,
            lengths: lengths::of(resource_type),
        }
    }

    /// `Ref` of the resource, counted at the longest value its type returns (2,048 for a
    /// type the library does not know; see [`ref_with_max_len`](Self::ref_with_max_len)).
    pub fn ref_expr(self) -> Expr {
        Expr::node_ref(self.node, self.lengths.reference)
    }

    /// `Fn::GetAtt` of the resource, counted at the longest value the attribute takes
    /// (2,048 for one the library does not know; see
    /// [`get_att_with_max_len`](Self::get_att_with_max_len)).
    pub fn get_att(self, attribute: impl Into<Key>) -> Expr {
        let attribute = attribute.into();
        let max_len = self.lengths.attribute(&attribute);
        Expr::node_get_att(self.node, attribute, max_len)
    }

    /// `Ref` of the resource, whose value is at most `max_len` characters: the escape
    /// hatch for a type or value whose bound you know better.
    pub fn ref_with_max_len(self, max_len: usize) -> Expr {
        Expr::node_ref(self.node, max_len)
    }

    /// `Fn::GetAtt` of the resource, whose value is at most `max_len` characters.
    pub fn get_att_with_max_len(self, attribute: impl Into<Key>, max_len: usize) -> Expr {
        Expr::node_get_att(self.node, attribute, max_len)
    }
}

/// A template parameter in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParameterHandle {
    node: NodeId,
    max_len: usize,
}

impl Scope for ParameterHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl ParameterHandle {
    /// `Ref` of the parameter, counted at its longest allowed value, or at the 4,096
    /// characters any parameter value may take.
    pub fn value(self) -> Expr {
        Expr::node_ref(self.node, self.max_len)
    }

    /// `Ref` of the parameter, whose value is at most `max_len` characters.
    pub fn value_with_max_len(self, max_len: usize) -> Expr {
        Expr::node_ref(self.node, max_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::{Reference, UNKNOWN_MAX_LEN};

    fn max_len(e: Expr) -> usize {
        match e {
            Expr::Ref(Reference { max_len, .. }) => max_len,
            other => panic!("not a reference: {other:?}"),
        }
    }

    #[test]
    fn references_count_at_their_types_worst_case() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        let bucket = app
            .add(
                &s,
                CfnResource::new("Logs", Resource::new("AWS::S3::Bucket")),
            )
            .unwrap();
        let custom = app
            .add(&s, CfnResource::new("Hook", Resource::new("Custom::Hook")))
            .unwrap();
        assert_eq!(max_len(bucket.ref_expr()), 63);
        assert_eq!(
            max_len(bucket.get_att("Arn")),
            "arn:aws-us-gov:s3:::".len() + 63
        );
        assert_eq!(max_len(custom.ref_expr()), UNKNOWN_MAX_LEN);
        assert_eq!(max_len(custom.get_att("Token")), UNKNOWN_MAX_LEN);
        assert_eq!(max_len(custom.get_att_with_max_len("Token", 40)), 40);
        assert_eq!(max_len(custom.ref_with_max_len(9)), 9);
    }

    #[test]
    fn parameters_count_at_their_longest_allowed_value() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        let mut env = Parameter::string();
        env.allowed_values = vec!["dev".into(), "production".into()];
        let env = app.add(&s, CfnParameter::new("Env", env)).unwrap();
        let free = app
            .add(&s, CfnParameter::new("Free", Parameter::string()))
            .unwrap();
        assert_eq!(max_len(env.value()), "production".len());
        assert_eq!(max_len(free.value()), 4096);
        assert_eq!(max_len(free.value_with_max_len(16)), 16);
    }
}
