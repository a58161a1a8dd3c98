//! The construct tree: what each node holds, and the questions every phase asks of it.

use std::any::Any;
use std::fmt::Debug;

use indexmap::IndexMap;

use super::typed::{Aspect, Lower, Typed};
use super::{foreign, App, Spill, StackHandle};
use crate::cfn::hash::FnvBuild;
use crate::cfn::{NodeId, Output, Parameter, Resource};
use crate::error::{Diagnostic, Rule};

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
    /// Resources of one group are created at most `width` at a time within each template:
    /// each waits (`DependsOn`) for the one `width` places before it, in declaration order.
    pub(crate) serial_group: Option<(&'static str, u16)>,
    /// Set on the root of a unit that stack splitting may place in an overflow stack.
    pub(crate) movable: Option<Spill>,
    /// Deployed in a bootstrap stack of its own, before the deploy prerequisites (the
    /// organization they need).
    pub(crate) bootstrap: bool,
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
            bootstrap: false,
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

/// Adding nodes and reaching them: what the constructs of this crate build on.
impl App {
    pub(crate) fn next_id(&self) -> NodeId {
        NodeId {
            app: self.id,
            index: u32::try_from(self.nodes.len()).unwrap_or(u32::MAX),
        }
    }

    /// Adds a node under `parent`. A parent of another app, a duplicate id or an invalid
    /// id is reported, and the node is kept out of every template.
    pub(crate) fn add_node(&mut self, parent: NodeId, id: String, kind: NodeKind) -> NodeId {
        let next = self.next_id();
        let mut stack = None;
        if !self.owns_at(parent, "add (the parent)", &id) {
            // Reported; the node stays detached.
        } else if let Some(p) = self.nodes.get(parent.index()) {
            if matches!(p.kind, NodeKind::Parameter(_)) {
                let path = self.path(&parent);
                self.report(Diagnostic::new(
                    &path,
                    Rule::InvalidId,
                    &id,
                    format!("`{path}` is a parameter and cannot hold constructs"),
                    "add the construct under a stack, a subtree or a resource",
                ));
            } else if p.children.contains_key(&id) {
                self.report(Diagnostic::new(
                    format!("{}/{id}", self.path(&parent)),
                    Rule::DuplicateId,
                    &id,
                    "another construct under the same parent has this id; ids must be unique among siblings",
                    "choose another id (most constructs take one with `.id(…)`)",
                ));
            } else if id.is_empty() || id.contains('/') {
                self.report(Diagnostic::new(
                    self.path(&parent),
                    Rule::InvalidId,
                    &id,
                    "a construct id must be non-empty and must not contain `/`",
                    "choose an id of letters, digits and hyphens",
                ));
            } else {
                stack = p.stack;
            }
        }
        if stack.is_some() {
            if let Some(p) = self.nodes.get_mut(parent.index()) {
                p.children.insert(id.clone(), next);
            }
        }
        let is_stack = matches!(kind, NodeKind::Stack(_));
        self.nodes.push(Entry {
            id,
            parent: Some(parent).filter(|p| p.app == self.id),
            stack: if is_stack { stack.map(|_| next) } else { stack },
            children: IndexMap::default(),
            kind,
            logical_id: None,
        });
        next
    }

    /// Adds a typed construct under `parent`.
    pub(crate) fn add_typed(
        &mut self,
        parent: NodeId,
        id: impl Into<String>,
        construct: impl Lower,
    ) -> NodeId {
        let node = ResourceNode::new(Body::Typed {
            construct: Box::new(construct),
            overrides: None,
        });
        self.add_node(parent, id.into(), NodeKind::Resource(Box::new(node)))
    }

    /// Adds a stack nested in the tree under `parent`, carried by the resource `carrier`
    /// (a StackSet's member template). Its resources deploy wherever the carrier puts them.
    pub(crate) fn add_member_stack(
        &mut self,
        parent: NodeId,
        id: &str,
        carrier: NodeId,
    ) -> StackHandle {
        let data = StackData {
            embedded_in: Some(carrier),
            ..StackData::default()
        };
        StackHandle(self.add_node(parent, id.to_owned(), NodeKind::Stack(Box::new(data))))
    }

    /// Registers an aspect: a rule that derives resources from the whole app at synthesis.
    pub(crate) fn add_aspect(&mut self, aspect: impl Aspect) {
        self.aspects.push(Box::new(aspect));
    }

    pub(crate) fn aspects(&self) -> &[Box<dyn Aspect>] {
        &self.aspects
    }

    /// Whether `node` is this app's; a node of another app is reported, naming `what` was
    /// attempted.
    pub(crate) fn owns(&mut self, node: NodeId, what: &str) -> bool {
        self.owns_at(node, what, super::APP_PATH)
    }

    /// As [`owns`](Self::owns), reporting the problem at `path` (the construct that was
    /// being added or changed).
    pub(crate) fn owns_at(&mut self, node: NodeId, what: &str, path: &str) -> bool {
        if node.app == self.id && node.index() < self.nodes.len() {
            return true;
        }
        self.report(Diagnostic::new(
            path,
            Rule::ForeignHandle,
            foreign(node),
            format!("`{what}` was given a handle that is not of this app"),
            super::FOREIGN_HINT,
        ));
        false
    }

    pub(crate) fn entry(&self, id: NodeId) -> Option<&Entry> {
        (id.app == self.id)
            .then(|| self.nodes.get(id.index()))
            .flatten()
    }

    pub(crate) fn entry_mut(&mut self, id: NodeId) -> Option<&mut Entry> {
        if id.app != self.id {
            return None;
        }
        self.nodes.get_mut(id.index())
    }

    pub(crate) fn resource_node(&self, id: NodeId) -> Option<&ResourceNode> {
        match &self.entry(id)?.kind {
            NodeKind::Resource(r) => Some(r),
            _ => None,
        }
    }

    pub(crate) fn resource_node_mut(
        &mut self,
        id: NodeId,
        what: &str,
    ) -> Option<&mut ResourceNode> {
        if !self.owns(id, what) {
            return None;
        }
        match &mut self.entry_mut(id)?.kind {
            NodeKind::Resource(r) => Some(r),
            _ => None,
        }
    }

    pub(super) fn stack_data_mut(&mut self, id: NodeId, what: &str) -> Option<&mut StackData> {
        if !self.owns(id, what) {
            return None;
        }
        match &mut self.entry_mut(id)?.kind {
            NodeKind::Stack(s) => Some(s),
            _ => None,
        }
    }

    /// Whether `id` is a StackSet's member stack.
    pub(crate) fn is_member_stack(&self, id: NodeId) -> bool {
        matches!(&self.entry(id).map(|e| &e.kind), Some(NodeKind::Stack(s)) if s.embedded_in.is_some())
    }

    /// Adds a grouping node holding the typed data of a construct that renders no
    /// resource of its own.
    pub(crate) fn add_typed_scope(
        &mut self,
        parent: NodeId,
        id: impl Into<String>,
        data: impl Typed,
    ) -> NodeId {
        self.add_node(parent, id.into(), NodeKind::Scope(Some(Box::new(data))))
    }

    /// The typed construct of type `T` at `node`.
    pub(crate) fn typed<T: Typed>(&self, node: NodeId) -> Option<&T> {
        self.entry(node)?.kind.typed().and_then(downcast)
    }

    /// The typed construct of type `T` at `node`, to change it; a node of another app is
    /// reported, naming `what` was attempted.
    pub(crate) fn typed_mut<T: Typed>(&mut self, node: NodeId, what: &str) -> Option<&mut T> {
        if !self.owns(node, what) {
            return None;
        }
        self.entry_mut(node)?
            .kind
            .typed_mut()
            .and_then(|t| t.as_any_mut().downcast_mut())
    }

    /// Every construct of type `T` that is part of a template, in declaration order.
    pub(crate) fn each<T: Typed>(&self) -> impl Iterator<Item = (NodeId, &T)> + '_ {
        let app = self.id;
        self.nodes.iter().enumerate().filter_map(move |(i, e)| {
            e.stack?;
            let t = e.kind.typed().and_then(downcast::<T>)?;
            Some((
                NodeId {
                    app,
                    index: i as u32,
                },
                t,
            ))
        })
    }

    /// The id of this app's node at `index`.
    pub(crate) fn node_at(&self, index: usize) -> NodeId {
        NodeId {
            app: self.id,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Every resource node written by hand (not a typed construct) that is part of a
    /// template, with its resource, in declaration order.
    pub(crate) fn raw_resources(&self) -> impl Iterator<Item = (NodeId, &Resource)> + '_ {
        let app = self.id;
        self.nodes.iter().enumerate().filter_map(move |(i, e)| {
            e.stack?;
            let NodeKind::Resource(r) = &e.kind else {
                return None;
            };
            let Body::Raw(res) = &r.body else {
                return None;
            };
            Some((
                NodeId {
                    app,
                    index: i as u32,
                },
                res,
            ))
        })
    }

    /// The parameter at `node`, if it is one.
    pub(crate) fn parameter(&self, node: NodeId) -> Option<&Parameter> {
        match &self.entry(node)?.kind {
            NodeKind::Parameter(p) => Some(p),
            _ => None,
        }
    }

    /// For a StackSet's member stack, the StackSet resource that carries it.
    pub(crate) fn embedded_in(&self, stack: NodeId) -> Option<NodeId> {
        match &self.entry(stack)?.kind {
            NodeKind::Stack(d) => d.embedded_in,
            _ => None,
        }
    }

    pub(crate) fn app_id(&self) -> u32 {
        self.id
    }
}
