//! Resolving, synthesis's fourth step: the route of every reference is decided once — a
//! `Ref` within its template, a parameter of a StackSet's member template set by the
//! StackSet, or an export and import between stacks — together with what each route
//! needs (parameters, exports, `DependsOn`, the order of the stacks). References that
//! cannot be expressed are reported here.

use indexmap::{IndexMap, IndexSet};

use super::lower::Model;
use super::name::Names;
use super::place::{Placement, SlotKind};
use super::tree::NodeKind;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{Expr, NodeId, Output, Parameter, Reference, Target, Value};
use crate::error::{Diagnostic, Rule};

/// How a reference made in one template reaches its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// `Ref`/`GetAtt` of a logical ID of the same template.
    Local,
    /// A parameter of a member template, set by its StackSet.
    Param,
    /// `Fn::ImportValue` of an export of the top-level stack in slot `slot`.
    Import { slot: u32 },
}

/// What a member template hands to the StackSet that carries it.
#[derive(Debug, Default)]
pub(crate) struct CarrierInput {
    /// `Parameters` of the StackSet: parameter name and the value in the parent's terms.
    pub(crate) parameters: Vec<(String, Reference)>,
    /// The member template creates IAM resources.
    pub(crate) needs_iam: bool,
}

/// Every route and what the routes need.
#[derive(Debug)]
pub(crate) struct Resolution {
    routes: HashMap<(u32, NodeId), Route>,
    pub(crate) carriers: HashMap<NodeId, CarrierInput>,
    /// Exports of each slot, by output name.
    pub(crate) exports: Vec<IndexMap<String, Output>>,
    /// Parameters a member template receives from its StackSet, by name.
    pub(crate) member_params: Vec<IndexMap<String, Parameter>>,
    /// Slots each slot imports from or waits for.
    pub(crate) slot_deps: Vec<IndexSet<usize>>,
    /// `DependsOn` of each resource node: a range of `dep_flat`.
    dep_range: Vec<(u32, u32)>,
    dep_flat: Vec<NodeId>,
    /// Top-level slots in deploy order.
    pub(crate) order: Vec<usize>,
}

impl Resolution {
    /// The route of a reference to `target` made in `slot`; `None` for one that was
    /// reported as impossible. A target in the same template is `Local` without a lookup:
    /// only the routes that cross templates are stored.
    pub(crate) fn route(
        &self,
        placement: &Placement,
        slot: usize,
        target: NodeId,
    ) -> Option<Route> {
        if placement.slot_of(target) == Some(slot) {
            return Some(Route::Local);
        }
        self.routes.get(&(slot as u32, target)).copied()
    }

    /// The constructs a resource waits for within its template.
    pub(crate) fn waits_for(&self, n: NodeId) -> &[NodeId] {
        match self.dep_range.get(n.index()) {
            Some(&(a, b)) => &self.dep_flat[a as usize..b as usize],
            None => &[],
        }
    }
}

/// The export name of a value of `logical` in stack `stack`.
pub(crate) fn export_name(stack: &str, logical: &str, attr: Option<&str>) -> String {
    match attr {
        Some(a) => format!("{stack}:{logical}:{a}"),
        None => format!("{stack}:{logical}"),
    }
}

/// The name of the member-template parameter that carries `logical`'s value.
pub(crate) fn parameter_name(logical: &str, attr: Option<&str>) -> String {
    alphanumeric_name("", logical, attr)
}

/// The output that exports a value of `logical`.
fn output_name(logical: &str, attr: Option<&str>) -> String {
    alphanumeric_name("Export", logical, attr)
}

/// `prefix`, `logical` and `attr` run together, letters and digits only, at most 255
/// characters: a name valid as a logical ID, parameter or output name.
fn alphanumeric_name(prefix: &str, logical: &str, attr: Option<&str>) -> String {
    let mut name = String::with_capacity(prefix.len() + logical.len() + attr.map_or(0, str::len));
    name.push_str(prefix);
    name.extend(
        logical
            .bytes()
            .chain(attr.unwrap_or("").bytes())
            .filter(u8::is_ascii_alphanumeric)
            .map(char::from),
    );
    name.truncate(255);
    name
}

/// Where a reference is made: the property (or output field) that holds it, and the path
/// to report it at when that is not its construct's (an output's `<stack>/<output>`).
#[derive(Clone, Copy)]
struct Site<'s> {
    path: Option<&'s str>,
    what: &'s str,
}

impl Site<'_> {
    fn path_of(&self, model: &Model<'_>, from: NodeId) -> String {
        match self.path {
            Some(p) => p.to_owned(),
            None => model.path(from),
        }
    }
}

/// Resource types whose presence in a member template needs an IAM capability.
const IAM_PREFIX: &str = "AWS::IAM::";

struct Resolver<'r, 'a> {
    model: &'r Model<'a>,
    placement: &'r Placement,
    names: &'r Names,
    res: Resolution,
    out: &'r mut Vec<Diagnostic>,
}

/// Decides every route of the model's references.
pub(crate) fn resolve(
    model: &Model<'_>,
    placement: &Placement,
    names: &Names,
    out: &mut Vec<Diagnostic>,
) -> Resolution {
    let n = placement.slots.len();
    let mut r = Resolver {
        model,
        placement,
        names,
        res: Resolution {
            routes: HashMap::default(),
            carriers: HashMap::default(),
            exports: vec![IndexMap::new(); n],
            member_params: vec![IndexMap::new(); n],
            slot_deps: vec![IndexSet::new(); n],
            dep_range: vec![(0, 0); model.len()],
            dep_flat: Vec::new(),
            order: Vec::new(),
        },
        out,
    };
    for slot in 0..n {
        r.walk_slot(slot);
    }
    r.scopes_wait();
    r.deploy_order();
    r.res
}

impl Resolver<'_, '_> {
    fn walk_slot(&mut self, slot: usize) {
        let model = self.model;
        let placement = self.placement;
        let s = &placement.slots[slot];
        // The last `width` members of each bounded group, oldest first.
        let mut in_flight: HashMap<&'static str, std::collections::VecDeque<NodeId>> =
            HashMap::default();
        let mut needs_iam = false;
        for &m in &s.members {
            let Some(res) = model.resource(m) else {
                continue;
            };
            needs_iam |= res.resource_type.starts_with(IAM_PREFIX);
            // What the resource references it waits for anyway.
            let mut referenced: Vec<NodeId> = Vec::new();
            for (k, v) in &res.properties {
                let site = Site {
                    path: None,
                    what: k,
                };
                v.visit_refs(|r| {
                    if let Target::Node(t) = r.target {
                        referenced.push(t);
                    }
                    self.note_ref(slot, m, site, r);
                });
            }
            let start = self.res.dep_flat.len() as u32;
            for &dep in model.waits(m) {
                self.note_dependency(slot, m, dep);
            }
            if let Some(node) = model.app.resource_node(m) {
                for &dep in &node.depends_on {
                    self.note_dependency(slot, m, dep);
                }
            }
            if let Some((group, width)) = model.serial_group(m) {
                let queue = in_flight.entry(group).or_default();
                if queue.len() >= usize::from(width) {
                    self.res.dep_flat.extend(queue.pop_front());
                }
                queue.push_back(m);
            }
            // One DependsOn per construct, in the order first met, and none for what the
            // resource references (CloudFormation waits for that anyway).
            let start_at = start as usize;
            let found: Vec<NodeId> = self.res.dep_flat.drain(start_at..).collect();
            for d in found {
                if !referenced.contains(&d) && !self.res.dep_flat[start_at..].contains(&d) {
                    self.res.dep_flat.push(d);
                }
            }
            self.res.dep_range[m.index()] = (start, self.res.dep_flat.len() as u32);
        }
        if let SlotKind::Member { carrier } = s.kind {
            self.res.carriers.entry(carrier).or_default().needs_iam = needs_iam;
        }
        if !s.is_extra() {
            if let NodeKind::Stack(data) = &model.app.nodes[s.stack.index()].kind {
                for (name, o) in &data.outputs {
                    // A problem of an output is reported at `<stack>/<output>`.
                    let path = format!("{}/{name}", model.path(s.stack));
                    let site = |what| Site {
                        path: Some(&path),
                        what,
                    };
                    o.value
                        .visit_refs(|r| self.note_ref(slot, s.stack, site("Value"), r));
                    if let Some(e) = &o.export_name {
                        e.visit_refs(|r| self.note_ref(slot, s.stack, site("Export.Name"), r));
                    }
                }
            }
        }
    }

    /// A typed construct with no resource of its own (a delegated administrator) orders
    /// its top-level stack after the stacks of what it waits for.
    fn scopes_wait(&mut self) {
        let model = self.model;
        let slots = &self.placement.slots;
        for (i, e) in model.app.nodes.iter().enumerate() {
            let (NodeKind::Scope(Some(_)), Some(stack)) = (&e.kind, e.stack) else {
                continue;
            };
            let waits = model.waits(model.node_id(i));
            let Some(slot) = slots
                .iter()
                .position(|s| s.stack == stack && s.kind == SlotKind::TopLevel)
            else {
                continue;
            };
            for &dep in waits {
                match self.placement.slot_of(dep) {
                    Some(d) if d != slot && !slots[d].is_member() => {
                        self.res.slot_deps[slot].insert(d);
                    }
                    _ => {}
                }
            }
        }
    }

    fn note_dependency(&mut self, slot: usize, from: NodeId, dep: NodeId) {
        let Some(dep_slot) = self.placement.slot_of(dep) else {
            return;
        };
        let slots = &self.placement.slots;
        if dep_slot == slot {
            self.res.dep_flat.push(dep);
        } else if !slots[slot].is_member() && !slots[dep_slot].is_member() {
            self.res.slot_deps[slot].insert(dep_slot);
        } else {
            self.out.push(Diagnostic::new(
                self.model.path(from),
                Rule::CrossBoundaryReference,
                self.model.path(dep),
                "a resource cannot wait for a resource in another account's template",
                "drop the dependency, or order the StackSet itself after the resource",
            ));
        }
    }

    fn fail(&mut self, from: NodeId, site: Site<'_>, value: String, message: &str, hint: &str) {
        self.out.push(Diagnostic::new(
            site.path_of(self.model, from),
            Rule::CrossBoundaryReference,
            value,
            format!("`{}`: {message}", site.what),
            hint,
        ));
    }

    /// Decides the route of a reference made in `slot` (in `site` of `from`) and records
    /// what it needs.
    fn note_ref(&mut self, slot: usize, from: NodeId, site: Site<'_>, r: &Reference) {
        let Target::Node(target) = r.target else {
            return;
        };
        if !self.model.contains(target) {
            self.out.push(Diagnostic::new(
                site.path_of(self.model, from),
                Rule::ForeignHandle,
                super::foreign(target),
                format!(
                    "`{}` references a construct of another App, which no template of this app holds",
                    site.what
                ),
                super::FOREIGN_HINT,
            ));
            return;
        }
        let Some(target_slot) = self.placement.slot_of(target) else {
            let what = if self.model.stack(target).is_none() {
                "the reference points at a construct that is left out of the templates (see its own problem)"
            } else {
                "the reference points at a construct that is neither a resource nor a parameter"
            };
            self.fail(
                from,
                site,
                self.model.path(target),
                what,
                "reference a resource or a parameter",
            );
            return;
        };
        let slots = &self.placement.slots;
        let route = if target_slot == slot {
            Route::Local
        } else {
            match (slots[slot].kind, slots[target_slot].kind) {
                (SlotKind::Member { .. }, SlotKind::Member { .. }) => {
                    return self.fail(from, site, self.model.path(target), "a StackSet's member template cannot reference a resource of another StackSet's member template", "create the value in the management stack and reference it from both, or use a name both sides can compute");
                }
                (_, SlotKind::Member { .. }) => {
                    return self.fail(from, site, self.model.path(target), "a resource inside a StackSet's member accounts cannot be referenced from the management account's stacks", "derive the value from names both sides know (e.g. a prefix and the account id), or move the resource into the management stack");
                }
                (SlotKind::Member { .. }, _) => Route::Param,
                _ => Route::Import {
                    slot: target_slot as u32,
                },
            }
        };
        if route != Route::Local {
            self.res.routes.insert((slot as u32, target), route);
        }
        let logical = self.names.of(target).unwrap_or_default();
        let attr = r.attribute.as_deref();
        match route {
            Route::Local => {}
            Route::Param => {
                let SlotKind::Member { carrier } = slots[slot].kind else {
                    return;
                };
                let name = parameter_name(logical, attr);
                let entry = self.res.carriers.entry(carrier).or_default();
                if !entry.parameters.iter().any(|(n, _)| *n == name) {
                    entry.parameters.push((name.clone(), r.clone()));
                    // The StackSet sets the parameter in its own template's terms.
                    if let Some(parent) = self.placement.slot_of(carrier) {
                        let site = Site {
                            path: None,
                            what: "Parameters",
                        };
                        self.note_ref(parent, carrier, site, r);
                    }
                }
                let model = self.model;
                self.res.member_params[slot].entry(name).or_insert_with(|| {
                    Parameter::string().description(format!(
                        "Set by the StackSet from {}{}",
                        model.path(target),
                        attr.map(|a| format!(" ({a})")).unwrap_or_default()
                    ))
                });
            }
            Route::Import { slot: ts } => {
                let ts = ts as usize;
                let output = output_name(logical, attr);
                if !self.res.exports[ts].contains_key(&output) {
                    let export = export_name(&slots[ts].name, logical, attr);
                    let local = Expr::Ref(Reference {
                        target: Target::Logical(logical.to_owned()),
                        attribute: r.attribute.clone(),
                        max_len: r.max_len,
                    });
                    self.res.exports[ts]
                        .insert(output, Output::new(local).export(Value::String(export)));
                }
                self.res.slot_deps[slot].insert(ts);
            }
        }
    }

    /// Top-level stacks in an order that deploys every stack after those it imports from.
    fn deploy_order(&mut self) {
        let slots = &self.placement.slots;
        let n = slots.len();
        let top: Vec<usize> = (0..n).filter(|&i| !slots[i].is_member()).collect();
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(top.len());
        loop {
            let before = order.len();
            for &i in &top {
                if !done[i] && self.res.slot_deps[i].iter().all(|&d| done[d] || d == i) {
                    done[i] = true;
                    order.push(i);
                }
            }
            if order.len() == top.len() {
                break;
            }
            if order.len() == before {
                // Report only the stacks truly in a cycle (each strongly connected group of
                // two or more), not those merely waiting for one.
                let stuck: Vec<usize> = top.iter().copied().filter(|&i| !done[i]).collect();
                for cycle in cycles(&stuck, &self.res.slot_deps) {
                    let names: Vec<&str> = cycle.iter().map(|&i| slots[i].name.as_str()).collect();
                    self.out.push(Diagnostic::new(
                        names.join(", "),
                        Rule::CrossBoundaryReference,
                        names.join(" -> "),
                        "these stacks reference each other in a cycle, so none can deploy first",
                        "keep references flowing one way: from later stacks to earlier ones",
                    ));
                }
                break;
            }
        }
        self.res.order = order;
    }
}

/// The strongly connected groups of two or more of `nodes` in the graph `deps` (Tarjan's
/// algorithm), each in the order of `nodes`, in order of their first member.
fn cycles(nodes: &[usize], deps: &[IndexSet<usize>]) -> Vec<Vec<usize>> {
    struct Tarjan<'g> {
        deps: &'g [IndexSet<usize>],
        within: &'g [usize],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in self.deps[v].iter().filter(|w| self.within.contains(w)) {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort_by_key(|g| self.within.iter().position(|n| n == g));
                    self.out.push(group);
                }
            }
        }
    }
    let n = deps.len();
    let mut t = Tarjan {
        deps,
        within: nodes,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for &v in nodes {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    t.out.sort_by_key(|g| nodes.iter().position(|n| *n == g[0]));
    t.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stacks_in_a_cycle_are_named() {
        // 0 <-> 1 is a cycle; 2 waits for 1; 3 <-> 4 <-> 5 another; 6 alone.
        let mut deps = vec![IndexSet::new(); 7];
        deps[0].insert(1);
        deps[1].insert(0);
        deps[2].insert(1);
        deps[3].insert(4);
        deps[4].insert(5);
        deps[5].insert(3);
        let all: Vec<usize> = (0..7).collect();
        assert_eq!(cycles(&all, &deps), [vec![0, 1], vec![3, 4, 5]]);
        assert!(cycles(&[2, 6], &deps).is_empty());
    }
}
