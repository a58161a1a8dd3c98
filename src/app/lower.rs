//! Lowering, synthesis's first step: every typed construct becomes the resource it
//! stands for, escape-hatch overrides applied, and aspects derive the resources the model
//! implies. What comes out is the `Model` every later step reads.

use super::tree::{apply_overrides, Body, NodeKind};
use super::typed::{Derived, DerivedNode, View};
use super::App;
use crate::cfn::hash::FastMap;
use crate::cfn::{NodeId, Resource};
use crate::quotas::Quotas;

/// The app as the templates will show it: every resource lowered, derived resources
/// added after the app's own nodes (their indices continue the app's).
#[derive(Debug)]
pub(crate) struct Model<'a> {
    pub(crate) app: &'a App,
    /// What each typed node lowered to; `None` for other nodes.
    lowered: Vec<Option<Resource>>,
    derived: Vec<DerivedNode>,
    /// Estimated minified size of each resource's properties.
    approx: Vec<u32>,
    /// What typed constructs wait for beyond their references (see `Typed::waits_for`).
    waits: FastMap<NodeId, Vec<NodeId>>,
}

impl<'a> Model<'a> {
    /// Lowers every construct and runs the aspects, on two threads: what aspects derive
    /// depends only on the typed tree, not on what the constructs lower to.
    pub(crate) fn lower(app: &'a App) -> Model<'a> {
        // The aspects derive in two parts: the second on its own thread, the first here
        // once the app's own nodes are lowered (which takes about as long as a part).
        let derive = |part: usize| {
            let mut derived = Derived::default();
            for aspect in app.aspects() {
                aspect.derive(app, part, 2, &mut derived);
            }
            let approx: Vec<u32> = derived
                .nodes
                .iter()
                .map(|d| approx_len(&d.resource))
                .collect();
            (derived.nodes, approx)
        };
        let ((lowered, mut approx), (mut derived, first_approx), (second, second_approx)) =
            std::thread::scope(|s| {
                let second = s.spawn(|| derive(1));
                let own = lower_nodes(app);
                let first = derive(0);
                match second.join() {
                    Ok(second) => (own, first, second),
                    // An aspect's panic is the caller's, as if it had run on this thread.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
        derived.extend(second);
        approx.extend(first_approx);
        approx.extend(second_approx);
        let mut waits = FastMap::default();
        let mut buf = Vec::new();
        for (i, e) in app.nodes.iter().enumerate() {
            if let (Some(t), Some(_)) = (e.kind.typed(), e.stack) {
                t.waits_for(app, &mut buf);
                if !buf.is_empty() {
                    waits.insert(model_id(app, i), std::mem::take(&mut buf));
                }
            }
        }
        Model {
            app,
            lowered,
            derived,
            approx,
            waits,
        }
    }

    /// What a typed construct waits for beyond its references.
    pub(crate) fn waits(&self, n: NodeId) -> &[NodeId] {
        self.waits.get(&n).map_or(&[], Vec::as_slice)
    }

    /// Number of nodes, the app's and the derived ones.
    pub(crate) fn len(&self) -> usize {
        self.app.nodes.len() + self.derived.len()
    }

    pub(crate) fn node_id(&self, index: usize) -> NodeId {
        NodeId {
            app: self.app.app_id(),
            index: index as u32,
        }
    }

    /// Whether `n` names a node of this model (and not one of another app).
    pub(crate) fn contains(&self, n: NodeId) -> bool {
        n.app == self.app.app_id() && n.index() < self.len()
    }

    fn derived(&self, n: NodeId) -> Option<&DerivedNode> {
        n.index()
            .checked_sub(self.app.nodes.len())
            .and_then(|i| self.derived.get(i))
    }

    pub(crate) fn parent(&self, n: NodeId) -> Option<NodeId> {
        match self.app.nodes.get(n.index()) {
            Some(e) => e.parent,
            None => self.derived(n).map(|d| d.parent),
        }
    }

    pub(crate) fn id(&self, n: NodeId) -> &str {
        match self.app.nodes.get(n.index()) {
            Some(e) => &e.id,
            None => self.derived(n).map_or("", |d| &d.id),
        }
    }

    /// The stack (or member stack) whose template the node belongs to; `None` for a node
    /// left out of every template.
    pub(crate) fn stack(&self, n: NodeId) -> Option<NodeId> {
        match self.app.nodes.get(n.index()) {
            Some(e) => e.stack,
            None => self.derived(n).and_then(|d| self.stack(d.parent)),
        }
    }

    pub(crate) fn is_stack(&self, n: NodeId) -> bool {
        matches!(
            self.app.nodes.get(n.index()).map(|e| &e.kind),
            Some(NodeKind::Stack(_))
        )
    }

    /// The resource a node renders, if it is one.
    pub(crate) fn resource(&self, n: NodeId) -> Option<&Resource> {
        match self.app.nodes.get(n.index()) {
            Some(e) => match &e.kind {
                NodeKind::Resource(r) => match &r.body {
                    Body::Raw(res) => Some(res),
                    Body::Typed { .. } => self.lowered.get(n.index())?.as_ref(),
                },
                _ => None,
            },
            None => self.derived(n).map(|d| &d.resource),
        }
    }

    /// How stack splitting may move the node as a unit of its own, if it may.
    pub(crate) fn movable(&self, n: NodeId) -> Option<super::Spill> {
        match self.app.resource_node(n) {
            Some(r) => r.movable,
            None => self.derived(n).and_then(|d| d.movable),
        }
    }

    /// The group a resource is created in a bounded number at a time, and the bound.
    pub(crate) fn serial_group(&self, n: NodeId) -> Option<(&'static str, u16)> {
        match self.app.resource_node(n) {
            Some(r) => r.serial_group,
            None => self.derived(n).and_then(|d| d.serial_group),
        }
    }

    /// The parameter a node is, if it is one.
    pub(crate) fn parameter(&self, n: NodeId) -> Option<&crate::cfn::Parameter> {
        match self.app.nodes.get(n.index()).map(|e| &e.kind) {
            Some(NodeKind::Parameter(p)) => Some(p),
            _ => None,
        }
    }

    pub(crate) fn is_parameter(&self, n: NodeId) -> bool {
        matches!(
            self.app.nodes.get(n.index()).map(|e| &e.kind),
            Some(NodeKind::Parameter(_))
        )
    }

    /// Estimated size of a node once rendered: pretty printing roughly doubles the
    /// minified properties, and 300 covers the resource's frame, logical ID and DependsOn;
    /// a parameter counts 200.
    pub(crate) fn rendered_estimate(&self, n: NodeId) -> usize {
        if self.is_parameter(n) {
            return 200;
        }
        self.approx.get(n.index()).map_or(0, |&a| a as usize) * 2 + 300
    }

    /// Where a node comes in its template: the app's nodes in declaration order; what an
    /// aspect derives under a construct, after the last construct of that construct's own
    /// parent (a budget of every account comes after the accounts), in derivation order.
    pub(crate) fn order_key(&self, n: NodeId) -> (u32, u32) {
        let Some(k) = n.index().checked_sub(self.app.nodes.len()) else {
            return (n.index, 0);
        };
        let d = &self.derived[k];
        let mut last = self.app.parent_of(&d.parent).unwrap_or(d.parent);
        while let Some(&child) = self
            .app
            .entry(last)
            .and_then(|e| e.children.values().last())
        {
            last = child;
        }
        (last.index, 1 + k as u32)
    }

    /// The construct's path, e.g. `Management/Accounts/Prod/Budget`.
    pub(crate) fn path(&self, n: NodeId) -> String {
        match self.derived(n) {
            Some(d) => format!("{}/{}", self.path(d.parent), d.id),
            None => self.app.path(&n),
        }
    }

    pub(crate) fn quotas(&self) -> &Quotas {
        self.app.quotas()
    }
}

/// What each of the app's nodes lowers to, and its estimated size.
fn lower_nodes(app: &App) -> (Vec<Option<Resource>>, Vec<u32>) {
    let mut lowered: Vec<Option<Resource>> = Vec::with_capacity(app.nodes.len());
    let mut approx = Vec::with_capacity(app.nodes.len() * 2);
    for e in &app.nodes {
        let (res, size) = match &e.kind {
            NodeKind::Resource(r) => match &r.body {
                Body::Typed {
                    construct,
                    overrides,
                } => {
                    let mut res = construct.lower();
                    if let Some(o) = overrides {
                        res = apply_overrides(res, o);
                    }
                    let size = approx_len(&res);
                    (Some(res), size)
                }
                Body::Raw(res) => (None, approx_len(res)),
            },
            _ => (None, 0),
        };
        lowered.push(res);
        approx.push(size);
    }
    (lowered, approx)
}

fn model_id(app: &App, index: usize) -> NodeId {
    NodeId {
        app: app.app_id(),
        index: index as u32,
    }
}

fn approx_len(res: &Resource) -> u32 {
    let n: usize = res
        .properties
        .values()
        .map(crate::cfn::Value::approx_len)
        .sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl View for Model<'_> {
    fn app(&self) -> &App {
        self.app
    }

    fn resource(&self, n: NodeId) -> Option<&Resource> {
        Model::resource(self, n)
    }

    fn path(&self, n: NodeId) -> String {
        Model::path(self, n)
    }

    fn quotas(&self) -> &Quotas {
        Model::quotas(self)
    }
}
