//! The construct tree: what each node holds, and the questions every phase asks of it.

use std::any::Any;
use std::fmt::Debug;

use indexmap::IndexMap;

use super::lower::{Lower, Typed};
use super::Spill;
use crate::cfn::hash::FnvBuild;
use crate::cfn::{NodeId, Output, Parameter, Resource};

/// One node of the tree.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) id: String,
    pub(crate) parent: Option<NodeId>,
    /// The nearest stack at or above this node; `None` for a node that could not be
    /// attached (its problem is reported) and everything below it.
    pub(crate) stack: Option<NodeId>,
    pub(crate) children: IndexMap<String, NodeId, FnvBuild>,
    pub(crate) kind: NodeKind,
    pub(crate) logical_id: Option<String>,
}

#[derive(Debug)]
pub(crate) enum NodeKind {
    Stack(Box<StackData>),
    /// A grouping node, with the typed data of a construct that renders no resource of its
    /// own (an existing organization), if any.
    Scope(Option<Box<dyn Typed>>),
    Resource(Box<ResourceNode>),
    Parameter(Box<Parameter>),
}

#[derive(Debug, Default)]
pub(crate) struct StackData {
    pub(crate) description: Option<String>,
    /// For a StackSet's member stack: the `AWS::CloudFormation::StackSet` resource that
    /// carries it.
    pub(crate) embedded_in: Option<NodeId>,
    /// Outputs declared by the user, by name.
    pub(crate) outputs: IndexMap<String, Output>,
    /// Whether resources marked movable may spill into additional stacks.
    pub(crate) split: bool,
}

/// A resource node: a typed construct that lowers to a resource at synthesis, or a
/// resource written by hand.
#[derive(Debug)]
pub(crate) struct ResourceNode {
    pub(crate) body: Body,
    pub(crate) depends_on: Vec<NodeId>,
    /// Resources with the same serial group are chained with `DependsOn` in declaration
    /// order within each template.
    pub(crate) serial_group: Option<&'static str>,
    /// Set on the root of a unit that stack splitting may place in an overflow stack.
    pub(crate) movable: Option<Spill>,
}

#[derive(Debug)]
pub(crate) enum Body {
    /// A resource added through the escape hatch, rendered as it is.
    Raw(Resource),
    /// A construct of the library; `overrides` is what the escape hatch changed on top of
    /// what it lowers to.
    Typed {
        construct: Box<dyn Lower>,
        overrides: Option<Box<Resource>>,
    },
}

impl ResourceNode {
    pub(crate) fn new(body: Body) -> Self {
        ResourceNode {
            body,
            depends_on: Vec::new(),
            serial_group: None,
            movable: None,
        }
    }
}

impl NodeKind {
    /// The typed construct of this node, if it holds one.
    pub(crate) fn typed(&self) -> Option<&dyn Typed> {
        match self {
            NodeKind::Resource(r) => match &r.body {
                Body::Typed { construct, .. } => Some(as_typed(&**construct)),
                Body::Raw(_) => None,
            },
            NodeKind::Scope(data) => data.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn typed_mut(&mut self) -> Option<&mut dyn Typed> {
        match self {
            NodeKind::Resource(r) => match &mut r.body {
                Body::Typed { construct, .. } => Some(as_typed_mut(&mut **construct)),
                Body::Raw(_) => None,
            },
            NodeKind::Scope(data) => data.as_deref_mut(),
            _ => None,
        }
    }
}

fn as_typed(l: &dyn Lower) -> &dyn Typed {
    l
}

fn as_typed_mut(l: &mut dyn Lower) -> &mut dyn Typed {
    l
}

/// Downcasts typed data to `T`.
pub(crate) fn downcast<T: Any>(t: &dyn Typed) -> Option<&T> {
    t.as_any().downcast_ref()
}

/// Applies escape-hatch `overrides` to what a construct lowered to: properties and
/// metadata replace the construct's by name (new ones come last), policies and conditions
/// replace the construct's when set, `DependsOn` adds.
pub(crate) fn apply_overrides(mut res: Resource, overrides: &Resource) -> Resource {
    for (k, v) in &overrides.properties {
        res.properties.insert(k.clone(), v.clone());
    }
    for (k, v) in &overrides.metadata {
        res.metadata.insert(k.clone(), v.clone());
    }
    for d in &overrides.depends_on {
        if !res.depends_on.contains(d) {
            res.depends_on.push(d.clone());
        }
    }
    if overrides.deletion_policy.is_some() {
        res.deletion_policy = overrides.deletion_policy;
    }
    if overrides.update_replace_policy.is_some() {
        res.update_replace_policy = overrides.update_replace_policy;
    }
    if overrides.condition.is_some() {
        res.condition.clone_from(&overrides.condition);
    }
    res
}
