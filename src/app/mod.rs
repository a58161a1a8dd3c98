//! The app: a tree of constructs grouped into stacks, and its synthesis.
//!
//! Every construct has an id unique among its siblings and a path
//! (`Management/Organization/Workloads`). Resources get their logical IDs from their paths,
//! so adding or removing an unrelated construct never renames one.

mod assembly;
mod logical_id;
mod placement;
mod synth;
mod view;

use std::collections::HashMap;

use indexmap::IndexMap;

pub use assembly::{
    Artifact, ArtifactKind, Assembly, PhaseTimings, DEPLOY_PLAN_FILE, MANIFEST_FILE,
};
pub use logical_id::{is_valid_logical_id, logical_id_for};

use crate::cfn::{Expr, NodeId, Parameter, Resource, Value};
use crate::error::{Diagnostic, Error, Result, Rule};
use crate::quotas::Quotas;

/// Anything that has a place in the construct tree: stacks, scopes and every handle a
/// construct returns. Used wherever a parent is expected.
pub trait Construct {
    /// The construct's node in its app.
    fn node(&self) -> NodeId;
}

impl Construct for NodeId {
    fn node(&self) -> NodeId {
        *self
    }
}

/// A top-level stack or a StackSet's member stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StackHandle(pub(crate) NodeId);

impl Construct for StackHandle {
    fn node(&self) -> NodeId {
        self.0
    }
}

/// A resource added to a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceHandle(pub(crate) NodeId);

impl Construct for ResourceHandle {
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
    pub fn get_att(self, attribute: impl Into<crate::cfn::Key>, max_len: usize) -> Expr {
        Expr::node_get_att(self.0, attribute, max_len)
    }
}

/// A template parameter added to a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParameterHandle(pub(crate) NodeId);

impl Construct for ParameterHandle {
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

/// How stack splitting places a movable unit once its stack is full. Units of one group
/// fill overflow stacks named `<stack>-<group>-NNN`, in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Spill {
    /// Units that little else refers to, such as accounts: a stack holds as many as its
    /// resource and size quotas allow.
    Leaf {
        /// The group's name, in the overflow stacks' names (e.g. `Accounts`).
        group: &'static str,
    },
    /// Units other stacks refer to, such as OUs (accounts name them as parents): each may
    /// need an export, so a stack holds no more than its outputs quota allows. They are
    /// placed before leaf units, and a leaf unit stays in its declaring stack only if what it
    /// refers to stayed there too.
    Shared {
        /// The group's name, in the overflow stacks' names (e.g. `Units`).
        group: &'static str,
    },
}

impl Spill {
    pub(crate) fn group(self) -> &'static str {
        match self {
            Spill::Leaf { group } | Spill::Shared { group } => group,
        }
    }

    pub(crate) fn is_shared(self) -> bool {
        matches!(self, Spill::Shared { .. })
    }
}

/// A check that runs over the whole app during validation, e.g. a quota that depends on
/// several constructs at once.
pub type Check = fn(&App, &mut Vec<Diagnostic>);

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) parent: Option<NodeId>,
    /// The nearest stack at or above this node.
    pub(crate) stack: NodeId,
    pub(crate) children: IndexMap<String, NodeId, crate::cfn::hash::FnvBuild>,
    pub(crate) kind: NodeKind,
    pub(crate) logical_id: Option<String>,
}

#[derive(Debug)]
pub(crate) enum NodeKind {
    Stack(Box<StackData>),
    Scope,
    Resource(Box<ResourceData>),
    Parameter(Box<Parameter>),
}

#[derive(Debug, Default)]
pub(crate) struct StackData {
    pub(crate) description: Option<String>,
    /// For a StackSet's member stack: the `AWS::CloudFormation::StackSet` resource that
    /// carries it.
    pub(crate) embedded_in: Option<NodeId>,
    /// Outputs declared by the user: name → (value, description, export name).
    pub(crate) outputs: IndexMap<String, (Value, Option<String>, Option<String>)>,
    /// Whether resources marked movable may spill into additional stacks.
    pub(crate) split: bool,
}

#[derive(Debug)]
pub(crate) struct ResourceData {
    pub(crate) resource: Resource,
    pub(crate) depends_on: Vec<NodeId>,
    /// Resources with the same serial group are chained with `DependsOn` in declaration
    /// order within each template.
    pub(crate) serial_group: Option<&'static str>,
    /// Set on the root of a unit that stack splitting may place in an overflow stack.
    pub(crate) movable: Option<Spill>,
    /// Estimated size of the rendered properties, taken while they are fresh in memory;
    /// `None` once they may have changed.
    pub(crate) approx_bytes: Option<u32>,
}

impl ResourceData {
    /// Estimated size of the resource once rendered: pretty printing roughly doubles the
    /// minified properties, and 300 covers the resource's frame, logical ID and DependsOn.
    pub(crate) fn rendered_estimate(&self) -> usize {
        let props = self.approx_bytes.map_or_else(
            || placement::approx_properties_len(&self.resource.properties),
            |n| n as usize,
        );
        props * 2 + 300
    }
}

/// The root of everything: stacks, constructs, quotas and the problems found while building.
///
/// ```
/// use orgstack::App;
/// use orgstack::cfn::Resource;
///
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let topic = app.add_resource(&stack, "Alerts", Resource::new("AWS::SNS::Topic"))?;
/// assert_eq!(app.path(&topic), "Management/Alerts");
/// let assembly = app.synth()?;
/// assert!(assembly.artifact("Management").is_some());
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct App {
    pub(crate) nodes: Vec<Node>,
    pub(crate) stacks: Vec<NodeId>,
    quotas: Quotas,
    diagnostics: Vec<Diagnostic>,
    checks: Vec<(&'static str, Check)>,
    stack_names: HashMap<String, NodeId>,
    context: IndexMap<String, String>,
    deploy_steps: IndexMap<String, DeployStep>,
}

/// A step of the deploy plan that CloudFormation cannot do itself (enabling trusted access,
/// a policy type, confirming a subscription), written to `deploy-plan.md` with the assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployStep {
    /// What the step achieves.
    pub title: String,
    /// Why it is needed.
    pub why: String,
    /// The AWS CLI commands, in order.
    pub commands: Vec<String>,
    /// Whether the step comes before the stacks (`true`) or after them.
    pub before_stacks: bool,
}

impl App {
    /// An empty app with the default [`Quotas`].
    pub fn new() -> Self {
        App::default()
    }

    /// An empty app with the given quotas.
    pub fn with_quotas(quotas: Quotas) -> Self {
        App {
            quotas,
            ..App::default()
        }
    }

    /// The quotas synthesis checks against.
    pub fn quotas(&self) -> &Quotas {
        &self.quotas
    }

    /// Adds a top-level stack, deployed to the management account.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] if a stack of that name exists; an invalid name is reported
    /// at synthesis.
    pub fn stack(&mut self, name: impl Into<String>) -> Result<StackHandle> {
        let name = name.into();
        if self.stack_names.contains_key(&name) {
            return Err(Error::DuplicateId {
                parent: String::from("(app)"),
                id: name,
            });
        }
        check_construct_id("(app)", &name)?;
        if !is_valid_stack_name(&name) {
            self.report(Diagnostic::new(
                name.clone(),
                Rule::StackName,
                &name,
                "a stack name must start with a letter and hold only letters, digits and hyphens, at most 128 characters",
                "rename the stack, e.g. `Management`",
            ));
        }
        let id = self.next_id()?;
        self.nodes.push(Node {
            id: name.clone(),
            parent: None,
            stack: id,
            children: IndexMap::default(),
            kind: NodeKind::Stack(Box::new(StackData {
                split: true,
                ..StackData::default()
            })),
            logical_id: None,
        });
        self.stacks.push(id);
        self.stack_names.insert(name, id);
        Ok(StackHandle(id))
    }

    /// Adds a stack nested in the tree under `parent`, carried by the resource `carrier`
    /// (a StackSet's member template). Its resources deploy wherever the carrier puts them.
    ///
    /// # Errors
    /// As [`add_scope`](Self::add_scope).
    pub fn add_member_stack(
        &mut self,
        parent: &impl Construct,
        id: impl Into<String>,
        carrier: &ResourceHandle,
    ) -> Result<StackHandle> {
        let data = StackData {
            embedded_in: Some(carrier.0),
            ..StackData::default()
        };
        let node = self.add_node(parent.node(), id.into(), NodeKind::Stack(Box::new(data)))?;
        self.nodes[node.index()].stack = node;
        Ok(StackHandle(node))
    }

    /// Sets a stack's template `Description`.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] if `stack` is not a stack of this app.
    pub fn set_stack_description(
        &mut self,
        stack: &StackHandle,
        description: impl Into<String>,
    ) -> Result<()> {
        self.stack_data_mut(stack.0)?.description = Some(description.into());
        Ok(())
    }

    /// Turns stack splitting on or off for a top-level stack (on by default). With it on, a
    /// stack that would outgrow its quotas spreads its movable units (see [`Spill`]) over
    /// additional stacks: OUs to `<stack>-Units-NNN`, accounts (with what belongs to them) to
    /// `<stack>-Accounts-NNN`, each group in declaration order. The stack keeps a share of
    /// each group that does not depend on what else it holds, so appending units, or adding
    /// anything else to the stack, never moves an existing unit. A unit inserted before
    /// others may shift the ones after it: add accounts and OUs after the existing ones.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] if `stack` is not a stack of this app.
    pub fn set_stack_splitting(&mut self, stack: &StackHandle, enabled: bool) -> Result<()> {
        self.stack_data_mut(stack.0)?.split = enabled;
        Ok(())
    }

    /// Adds an output to a stack, optionally exported under `export_name`.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] if the stack has an output of that name.
    pub fn add_output(
        &mut self,
        stack: &StackHandle,
        name: impl Into<String>,
        value: impl Into<Value>,
        description: Option<String>,
        export_name: Option<String>,
    ) -> Result<()> {
        let name = name.into();
        let path = self.path(stack);
        let data = self.stack_data_mut(stack.0)?;
        if data.outputs.contains_key(&name) {
            return Err(Error::DuplicateId {
                parent: path,
                id: name,
            });
        }
        data.outputs
            .insert(name, (value.into(), description, export_name));
        Ok(())
    }

    /// Adds a grouping construct with no resource of its own.
    ///
    /// # Errors
    /// [`Error::DuplicateId`] if `parent` has a child with that id; [`Error::InvalidId`]
    /// for an empty id or one with `/`.
    pub fn add_scope(&mut self, parent: &impl Construct, id: impl Into<String>) -> Result<NodeId> {
        self.add_node(parent.node(), id.into(), NodeKind::Scope)
    }

    /// Adds a resource under `parent`: the escape hatch for any resource type the library
    /// does not model.
    ///
    /// # Errors
    /// As [`add_scope`](Self::add_scope).
    pub fn add_resource(
        &mut self,
        parent: &impl Construct,
        id: impl Into<String>,
        resource: Resource,
    ) -> Result<ResourceHandle> {
        let approx_bytes =
            u32::try_from(placement::approx_properties_len(&resource.properties)).ok();
        let data = ResourceData {
            resource,
            depends_on: Vec::new(),
            serial_group: None,
            movable: None,
            approx_bytes,
        };
        let node = self.add_node(parent.node(), id.into(), NodeKind::Resource(Box::new(data)))?;
        Ok(ResourceHandle(node))
    }

    /// Adds a template parameter under `parent`. Its logical ID is its id unless pinned.
    ///
    /// # Errors
    /// As [`add_scope`](Self::add_scope).
    pub fn add_parameter(
        &mut self,
        parent: &impl Construct,
        id: impl Into<String>,
        parameter: Parameter,
    ) -> Result<ParameterHandle> {
        let id = id.into();
        let node = self.add_node(
            parent.node(),
            id.clone(),
            NodeKind::Parameter(Box::new(parameter)),
        )?;
        self.nodes[node.index()].logical_id = Some(id);
        Ok(ParameterHandle(node))
    }

    /// Pins the logical ID of a resource or parameter, overriding the one derived from its
    /// path: the escape hatch for adopting resources whose logical IDs already exist.
    /// An invalid ID or a collision is reported at synthesis.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] if `node` is not a construct of this app.
    pub fn pin_logical_id(
        &mut self,
        node: &impl Construct,
        logical_id: impl Into<String>,
    ) -> Result<()> {
        self.node_mut(node.node())?.logical_id = Some(logical_id.into());
        Ok(())
    }

    /// Makes `resource` wait for `dependency` (`DependsOn`). Across top-level stacks this
    /// becomes an ordering of the stacks.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] if either is not a resource of this app.
    pub fn add_dependency(
        &mut self,
        resource: &impl Construct,
        dependency: &impl Construct,
    ) -> Result<()> {
        let dep = dependency.node();
        self.resource_data(dep)?;
        let data = self.resource_data_mut(resource.node())?;
        if !data.depends_on.contains(&dep) {
            data.depends_on.push(dep);
        }
        Ok(())
    }

    /// Chains this resource with every other resource of the same `group` in its template,
    /// in declaration order (`DependsOn` on the previous one). Used for resources AWS
    /// refuses to create concurrently, such as accounts.
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] if `resource` is not a resource of this app.
    pub fn set_serial_group(
        &mut self,
        resource: &impl Construct,
        group: &'static str,
    ) -> Result<()> {
        self.resource_data_mut(resource.node())?.serial_group = Some(group);
        Ok(())
    }

    /// Marks a resource (and the constructs below it) as a unit stack splitting may place
    /// in an overflow stack as a whole, and says how (see [`Spill`]).
    ///
    /// # Errors
    /// [`Error::InvalidHandle`] if `resource` is not a resource of this app.
    pub fn set_movable(&mut self, resource: &impl Construct, spill: Spill) -> Result<()> {
        self.resource_data_mut(resource.node())?.movable = Some(spill);
        Ok(())
    }

    /// The resource behind a handle, to read or override properties (the escape hatch for
    /// anything a construct does not expose).
    pub fn resource_mut(&mut self, resource: &impl Construct) -> Option<&mut Resource> {
        self.resource_data_mut(resource.node()).ok().map(|d| {
            d.approx_bytes = None;
            &mut d.resource
        })
    }

    /// The resource behind a handle.
    pub fn resource(&self, resource: &impl Construct) -> Option<&Resource> {
        self.resource_data(resource.node())
            .ok()
            .map(|d| &d.resource)
    }

    /// Records a problem with user input, reported by the next synthesis together with
    /// every other problem.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Registers a whole-app check run during validation; a check registered twice under
    /// the same key runs once.
    pub fn add_check(&mut self, key: &'static str, check: Check) {
        if !self.checks.iter().any(|(k, _)| *k == key) {
            self.checks.push((key, check));
        }
    }

    /// Adds a step to the deploy plan; a step whose title is already there is not repeated.
    pub fn add_deploy_step(&mut self, step: DeployStep) {
        self.deploy_steps.entry(step.title.clone()).or_insert(step);
    }

    /// The deploy plan's steps, in the order they were added.
    pub fn deploy_steps(&self) -> impl Iterator<Item = &DeployStep> {
        self.deploy_steps.values()
    }

    /// Sets a context value: a setting constructs read while building or checking.
    pub fn set_context(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.context.insert(key.into(), value.into());
    }

    /// A context value set with [`set_context`](Self::set_context).
    pub fn context(&self, key: &str) -> Option<&str> {
        self.context.get(key).map(String::as_str)
    }

    /// The construct's path, e.g. `Management/Organization/Workloads`.
    pub fn path(&self, node: &impl Construct) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(node.node());
        while let Some(n) = cur.and_then(|n| self.nodes.get(n.index())) {
            parts.push(n.id.as_str());
            cur = n.parent;
        }
        parts.reverse();
        parts.join("/")
    }

    /// The construct's id (the last part of its path).
    pub fn id_of(&self, node: &impl Construct) -> Option<&str> {
        self.nodes.get(node.node().index()).map(|n| n.id.as_str())
    }

    /// The construct's parent, if any.
    pub fn parent_of(&self, node: &impl Construct) -> Option<NodeId> {
        self.nodes.get(node.node().index()).and_then(|n| n.parent)
    }

    /// The stack the construct belongs to.
    pub fn stack_of(&self, node: &impl Construct) -> Option<StackHandle> {
        self.nodes
            .get(node.node().index())
            .map(|n| StackHandle(n.stack))
    }

    /// The child of `parent` with the given id.
    pub fn child(&self, parent: &impl Construct, id: &str) -> Option<NodeId> {
        self.nodes
            .get(parent.node().index())
            .and_then(|n| n.children.get(id).copied())
    }

    /// Every resource of the app with the given type, in declaration order.
    pub fn resources_of_type<'a>(
        &'a self,
        resource_type: &'a str,
    ) -> impl Iterator<Item = (NodeId, &'a Resource)> + 'a {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(move |(i, n)| match &n.kind {
                NodeKind::Resource(r) if r.resource.resource_type == resource_type => {
                    Some((NodeId(i as u32), &r.resource))
                }
                _ => None,
            })
    }

    /// The top-level stacks, in the order they were added.
    pub fn stacks(&self) -> impl Iterator<Item = StackHandle> + '_ {
        self.stacks.iter().map(|s| StackHandle(*s))
    }

    // ----- internals -----

    fn next_id(&self) -> Result<NodeId> {
        u32::try_from(self.nodes.len()).map(NodeId).map_err(|_| {
            Error::InvalidHandle("the app holds more constructs than it can address".into())
        })
    }

    fn add_node(&mut self, parent: NodeId, id: String, kind: NodeKind) -> Result<NodeId> {
        let next = self.next_id()?;
        let parent_stack = self.node(parent)?.stack;
        if let Some(p) = self.nodes.get(parent.index()) {
            if matches!(p.kind, NodeKind::Parameter(_)) {
                return Err(Error::InvalidHandle(format!(
                    "`{}` is a parameter and cannot hold constructs",
                    self.path(&parent)
                )));
            }
            if p.children.contains_key(&id) {
                return Err(Error::DuplicateId {
                    parent: self.path(&parent),
                    id,
                });
            }
        }
        if id.is_empty() || id.contains('/') {
            check_construct_id(&self.path(&parent), &id)?;
        }
        self.nodes.push(Node {
            id: id.clone(),
            parent: Some(parent),
            stack: parent_stack,
            children: IndexMap::default(),
            kind,
            logical_id: None,
        });
        if let Some(p) = self.nodes.get_mut(parent.index()) {
            p.children.insert(id, next);
        }
        Ok(next)
    }

    pub(crate) fn node(&self, id: NodeId) -> Result<&Node> {
        self.nodes
            .get(id.index())
            .ok_or_else(|| Error::InvalidHandle(format!("no construct {id:?} in this app")))
    }

    fn node_mut(&mut self, id: NodeId) -> Result<&mut Node> {
        self.nodes
            .get_mut(id.index())
            .ok_or_else(|| Error::InvalidHandle(format!("no construct {id:?} in this app")))
    }

    fn stack_data_mut(&mut self, id: NodeId) -> Result<&mut StackData> {
        match &mut self.node_mut(id)?.kind {
            NodeKind::Stack(s) => Ok(s),
            _ => Err(Error::InvalidHandle(format!("{id:?} is not a stack"))),
        }
    }

    pub(crate) fn resource_data(&self, id: NodeId) -> Result<&ResourceData> {
        match &self.node(id)?.kind {
            NodeKind::Resource(r) => Ok(r),
            _ => Err(Error::InvalidHandle(format!(
                "`{}` is not a resource",
                self.path(&id)
            ))),
        }
    }

    fn resource_data_mut(&mut self, id: NodeId) -> Result<&mut ResourceData> {
        if !matches!(self.node(id)?.kind, NodeKind::Resource(_)) {
            return Err(Error::InvalidHandle(format!(
                "`{}` is not a resource",
                self.path(&id)
            )));
        }
        match &mut self.node_mut(id)?.kind {
            NodeKind::Resource(r) => Ok(r),
            _ => Err(Error::InvalidHandle(format!("{id:?} is not a resource"))),
        }
    }

    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub(crate) fn checks(&self) -> &[(&'static str, Check)] {
        &self.checks
    }
}

fn check_construct_id(parent: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.contains('/') {
        return Err(Error::InvalidId {
            parent: parent.to_owned(),
            id: id.to_owned(),
        });
    }
    Ok(())
}

/// Whether `name` is a valid CloudFormation stack name.
pub(crate) fn is_valid_stack_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && name.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_ids_are_refused_when_added() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        app.add_scope(&s, "A").unwrap();
        let err = app.add_scope(&s, "A").unwrap_err();
        assert!(
            matches!(&err, Error::DuplicateId { parent, id } if parent == "Main" && id == "A"),
            "{err}"
        );
        assert!(matches!(app.stack("Main"), Err(Error::DuplicateId { .. })));
    }

    #[test]
    fn ids_with_slashes_are_refused() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        assert!(matches!(
            app.add_scope(&s, "a/b"),
            Err(Error::InvalidId { .. })
        ));
        assert!(matches!(
            app.add_scope(&s, ""),
            Err(Error::InvalidId { .. })
        ));
    }

    #[test]
    fn paths_join_ids() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        let a = app.add_scope(&s, "Org").unwrap();
        let r = app
            .add_resource(&a, "Topic", Resource::new("AWS::SNS::Topic"))
            .unwrap();
        assert_eq!(app.path(&r), "Main/Org/Topic");
        assert_eq!(app.stack_of(&r), Some(s));
        assert_eq!(app.child(&a, "Topic"), Some(r.node()));
    }

    #[test]
    fn stack_names_are_checked() {
        assert!(is_valid_stack_name("Management"));
        assert!(is_valid_stack_name("Org-Accounts-2"));
        assert!(!is_valid_stack_name("2nd"));
        assert!(!is_valid_stack_name("a_b"));
        let mut app = App::new();
        app.stack("bad_name").unwrap();
        assert_eq!(app.diagnostics()[0].rule, Rule::StackName);
    }
}
