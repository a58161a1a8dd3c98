//! Synthesis: prepare (stack assignment, logical IDs, checks), resolve references,
//! render, validate. Nothing reaches the disk unless every phase succeeded.

use std::time::Instant;

use indexmap::{IndexMap, IndexSet};

use super::assembly::{Artifact, ArtifactKind, Assembly, PhaseTimings, StackEntry, StackSetEntry};
use super::logical_id::{is_valid_logical_id, logical_id_for};
use super::view::SlotView;
use super::{App, NodeKind};
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{Expr, Map, NodeId, Parameter, Reference, Target, Value};
use crate::error::{Diagnostic, Diagnostics, Error, Result, Rule};

/// Resource types whose presence in a member template needs an IAM capability.
const IAM_PREFIX: &str = "AWS::IAM::";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SlotKind {
    /// A top-level stack declared by the user.
    TopLevel,
    /// An additional stack holding movable units that did not fit their stack.
    Overflow,
    /// A StackSet's member template.
    Member { carrier: NodeId },
}

#[derive(Debug)]
pub(super) struct Slot {
    pub(super) name: String,
    /// The stack node that declared it.
    pub(super) stack: NodeId,
    pub(super) kind: SlotKind,
    /// Resources and parameters assigned to it, in declaration order.
    pub(super) members: Vec<NodeId>,
}

impl Slot {
    pub(super) fn is_member(&self) -> bool {
        matches!(self.kind, SlotKind::Member { .. })
    }
}

/// What the resolution of a member template hands to its carrier resource.
#[derive(Debug, Default)]
pub(super) struct CarrierInput {
    pub(super) body: String,
    pub(super) parameters: Vec<(String, Reference)>,
    pub(super) needs_iam: bool,
}

/// What a reference becomes in the template that makes it.
pub(super) enum Class<'s> {
    /// `Ref`/`GetAtt` of a logical ID of the same template.
    Local(&'s str),
    /// A logical ID written by hand: rendered as is.
    Logical,
    /// A parameter of a member template, set by its StackSet.
    Param {
        name: String,
        carrier: NodeId,
        target: NodeId,
    },
    /// `Fn::ImportValue` of an export of another stack.
    Import {
        target_slot: usize,
        logical: &'s str,
    },
    /// Cannot be expressed.
    Error {
        target: Option<NodeId>,
        message: &'static str,
        hint: &'static str,
    },
}

pub(super) struct Synth<'a> {
    pub(super) app: &'a App,
    pub(super) slots: Vec<Slot>,
    /// Slot of each node (resources and parameters only; `NO_SLOT` otherwise).
    pub(super) slot_of: Vec<u32>,
    pub(super) logical: Vec<Option<String>>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) carriers: HashMap<NodeId, CarrierInput>,
    /// Exports requested from each slot: output name → (export name, local reference).
    pub(super) exports: Vec<IndexMap<String, (String, Reference)>>,
    /// Parameters a member template receives from its StackSet.
    pub(super) member_params: Vec<IndexMap<String, Parameter>>,
    pub(super) slot_deps: Vec<IndexSet<usize>>,
    /// `DependsOn` of each resource node: a range of `dep_flat`.
    pub(super) dep_range: Vec<(u32, u32)>,
    pub(super) dep_flat: Vec<NodeId>,
    /// Length of the `TemplateBody` each carrier embeds.
    body_lens: HashMap<NodeId, usize>,
    /// Values already exported: (exporting slot, construct, attribute).
    exported:
        std::collections::HashSet<(usize, NodeId, Option<&'a str>), crate::cfn::hash::FnvBuild>,
    /// Member templates already rendered, by slot.
    rendered: HashMap<usize, String>,
    /// StackSets: (member slot, parent slot, carrier).
    stack_sets: Vec<(usize, usize, NodeId)>,
}

pub(super) const NO_SLOT: u32 = u32::MAX;

impl App {
    /// Synthesizes the app in memory: every template rendered to its exact bytes, the
    /// manifest, and the time each phase took.
    ///
    /// # Errors
    /// [`Error::Validation`] with every problem found (input problems recorded while
    /// building, quota checks, unresolvable references); [`Error::Render`] should a
    /// template fail to render.
    pub fn synth(&self) -> Result<Assembly> {
        let mut timings = PhaseTimings::default();
        let t = Instant::now();
        let mut s = Synth::prepare(self);
        timings.prepare = t.elapsed();

        let t = Instant::now();
        s.resolve()?;
        timings.resolve = t.elapsed();

        let t = Instant::now();
        let artifacts = s.render()?;
        timings.render = t.elapsed();

        let t = Instant::now();
        s.validate(&artifacts);
        let order = s.deploy_order();
        timings.validate = t.elapsed();
        if !s.diagnostics.is_empty() {
            return Err(Error::Validation(Diagnostics(s.diagnostics)));
        }
        let (stacks, stack_sets) = s.manifest(&artifacts, &order);
        let steps: Vec<super::DeployStep> = self.deploy_steps().cloned().collect();
        Assembly::new(artifacts, stacks, stack_sets, &steps, timings)
    }

    /// Synthesizes the app and writes the assembly to `dir` atomically: it is built in a
    /// sibling directory and renamed into place, so a failure leaves an earlier assembly at
    /// `dir` untouched and never a half-written one.
    ///
    /// # Errors
    /// As [`synth`](Self::synth), and [`Error::Io`] if writing fails.
    pub fn synth_to(&self, dir: impl AsRef<std::path::Path>) -> Result<Assembly> {
        let mut assembly = self.synth()?;
        assembly.write_to(dir)?;
        Ok(assembly)
    }
}

impl<'a> Synth<'a> {
    fn prepare(app: &'a App) -> Self {
        let mut s = Synth {
            app,
            slots: Vec::new(),
            slot_of: vec![NO_SLOT; app.nodes.len()],
            logical: vec![None; app.nodes.len()],
            diagnostics: app.diagnostics().to_vec(),
            carriers: HashMap::default(),
            exports: Vec::new(),
            member_params: Vec::new(),
            slot_deps: Vec::new(),
            dep_range: vec![(0, 0); app.nodes.len()],
            dep_flat: Vec::new(),
            body_lens: HashMap::default(),
            exported: Default::default(),
            rendered: HashMap::default(),
            stack_sets: Vec::new(),
        };
        for (_, check) in app.checks() {
            check(app, &mut s.diagnostics);
        }
        s.assign_slots();
        s.assign_logical_ids();
        s.exports = vec![IndexMap::new(); s.slots.len()];
        s.member_params = vec![IndexMap::new(); s.slots.len()];
        s.slot_deps = vec![IndexSet::new(); s.slots.len()];
        s
    }

    fn assign_logical_ids(&mut self) {
        let app = self.app;
        let mut parts: Vec<&str> = Vec::new();
        for (i, node) in app.nodes.iter().enumerate() {
            if self.slot_of[i] == NO_SLOT {
                continue;
            }
            let id = match &node.logical_id {
                Some(pinned) => pinned.clone(),
                None => {
                    parts.clear();
                    let mut cur = NodeId(i as u32);
                    loop {
                        let n = &app.nodes[cur.index()];
                        if matches!(n.kind, NodeKind::Stack(_)) {
                            break;
                        }
                        parts.push(&n.id);
                        match n.parent {
                            Some(p) => cur = p,
                            None => break,
                        }
                    }
                    parts.reverse();
                    logical_id_for(&parts)
                }
            };
            self.logical[i] = Some(id);
        }
        // Validity and collisions, per template (parameters and resources share one
        // namespace).
        for slot in &self.slots {
            let mut seen: HashMap<&str, NodeId> =
                HashMap::with_capacity_and_hasher(slot.members.len(), Default::default());
            for &m in &slot.members {
                let Some(id) = self.logical[m.index()].as_deref() else {
                    continue;
                };
                if !is_valid_logical_id(id) {
                    self.diagnostics.push(Diagnostic::new(
                        app.path(&m),
                        Rule::LogicalIdPattern,
                        id,
                        "a logical ID must be 1 to 255 letters and digits",
                        "pin a logical ID made of letters and digits only",
                    ));
                }
                if let Some(other) = seen.insert(id, m) {
                    self.diagnostics.push(Diagnostic::new(
                        app.path(&m),
                        Rule::LogicalIdCollision,
                        id,
                        format!(
                            "the logical ID is also used by `{}` in stack `{}`",
                            app.path(&other),
                            slot.name
                        ),
                        "pin a different logical ID on one of the two constructs",
                    ));
                }
            }
        }
    }

    /// Walks every template once, without copying it: records the parameters member
    /// templates need, the exports stacks need, the order of stacks, every `DependsOn`, and
    /// every reference that cannot be expressed. Member templates are rendered here, as
    /// their parents embed them.
    fn resolve(&mut self) -> Result<()> {
        for slot in 0..self.slots.len() {
            self.walk_slot(slot);
            if let SlotKind::Member { carrier } = self.slots[slot].kind {
                let view = SlotView { s: self, slot };
                let body = crate::cfn::render::minified(&view)?;
                let pretty = crate::cfn::render::pretty(&view)?;
                let needs_iam = self.slots[slot].members.iter().any(|m| {
                    matches!(&self.app.nodes[m.index()].kind,
                        NodeKind::Resource(r) if r.resource.resource_type.starts_with(IAM_PREFIX))
                });
                self.body_lens.insert(carrier, body.chars().count());
                let entry = self.carriers.entry(carrier).or_default();
                entry.body = body;
                entry.needs_iam = needs_iam;
                self.rendered.insert(slot, pretty);
            }
        }
        Ok(())
    }

    fn walk_slot(&mut self, slot: usize) {
        let app = self.app;
        let members = std::mem::take(&mut self.slots[slot].members);
        let mut serial_last: HashMap<&'static str, NodeId> = HashMap::default();
        for &m in &members {
            let NodeKind::Resource(r) = &app.nodes[m.index()].kind else {
                continue;
            };
            for v in r.resource.properties.values() {
                v.visit_exprs(&mut |e| {
                    if let Expr::Ref(reference) = e {
                        self.note_ref(slot, m, reference);
                    }
                });
            }
            let start = self.dep_flat.len() as u32;
            for &dep in &r.depends_on {
                self.note_dependency(slot, m, dep);
            }
            if let Some(group) = r.serial_group {
                if let Some(prev) = serial_last.insert(group, m) {
                    if !self.dep_flat[start as usize..].contains(&prev) {
                        self.dep_flat.push(prev);
                    }
                }
            }
            self.dep_range[m.index()] = (start, self.dep_flat.len() as u32);
        }
        let stack_node = self.slots[slot].stack;
        if self.slots[slot].kind != SlotKind::Overflow {
            if let NodeKind::Stack(data) = &app.nodes[stack_node.index()].kind {
                for (value, _, _) in data.outputs.values() {
                    value.visit_exprs(&mut |e| {
                        if let Expr::Ref(reference) = e {
                            self.note_ref(slot, stack_node, reference);
                        }
                    });
                }
            }
        }
        self.slots[slot].members = members;
    }

    fn note_dependency(&mut self, slot: usize, from: NodeId, dep: NodeId) {
        let dep_slot = self.slot_of[dep.index()];
        if dep_slot == NO_SLOT {
            return;
        }
        let dep_slot = dep_slot as usize;
        if dep_slot == slot {
            self.dep_flat.push(dep);
        } else if !self.slots[slot].is_member() && !self.slots[dep_slot].is_member() {
            self.slot_deps[slot].insert(dep_slot);
        } else {
            self.diagnostics.push(Diagnostic::new(
                self.app.path(&from),
                Rule::CrossBoundaryReference,
                self.app.path(&dep),
                "a resource cannot wait for a resource in another account's template",
                "drop the dependency, or order the StackSet itself after the resource",
            ));
        }
    }

    /// Records what a reference made in `slot` needs: a member-template parameter, an
    /// export, or a diagnostic.
    fn note_ref(&mut self, slot: usize, from: NodeId, r: &'a Reference) {
        match self.classify(slot, r) {
            Class::Local(_) | Class::Logical => {}
            Class::Param {
                name,
                carrier,
                target,
            } => {
                let entry = self.carriers.entry(carrier).or_default();
                if !entry.parameters.iter().any(|(n, _)| *n == name) {
                    entry.parameters.push((name.clone(), r.clone()));
                }
                let app = self.app;
                self.member_params[slot].entry(name).or_insert_with(|| {
                    Parameter::string().description(format!(
                        "Set by the StackSet from {}{}",
                        app.path(&target),
                        r.attribute
                            .as_deref()
                            .map(|a| format!(" ({a})"))
                            .unwrap_or_default()
                    ))
                });
            }
            Class::Import {
                target_slot,
                logical,
            } => {
                let attr = r.attribute.as_deref();
                let Target::Node(target) = r.target else {
                    return;
                };
                if !self.exported.contains(&(target_slot, target, attr)) {
                    let output = output_name(logical, attr);
                    let export = self.export_name(target_slot, logical, attr);
                    let local = Reference {
                        target: Target::Logical(logical.to_owned()),
                        attribute: r.attribute.clone(),
                        max_len: r.max_len,
                    };
                    self.exported.insert((target_slot, target, attr));
                    self.exports[target_slot]
                        .entry(output)
                        .or_insert((export, local));
                }
                self.slot_deps[slot].insert(target_slot);
            }
            Class::Error {
                target,
                message,
                hint,
            } => {
                let value = target
                    .map(|t| self.app.path(&t))
                    .unwrap_or_else(|| format!("{:?}", r.target));
                self.diagnostics.push(Diagnostic::new(
                    self.app.path(&from),
                    Rule::CrossBoundaryReference,
                    value,
                    message,
                    hint,
                ));
            }
        }
    }

    /// What a reference made in `slot` renders as. Pure: the same answer while walking and
    /// while rendering.
    pub(super) fn classify(&self, slot: usize, r: &Reference) -> Class<'_> {
        let Target::Node(target) = r.target else {
            return Class::Logical;
        };
        let Some(&target_slot) = self.slot_of.get(target.index()) else {
            return Class::Error {
                target: None,
                message: "the reference points at no construct of this app",
                hint: "use handles returned by this app only",
            };
        };
        if target_slot == NO_SLOT {
            return Class::Error {
                target: Some(target),
                message:
                    "the reference points at a construct that is neither a resource nor a parameter",
                hint: "reference a resource or a parameter",
            };
        }
        let target_slot = target_slot as usize;
        let logical = self.logical[target.index()].as_deref().unwrap_or_default();
        if target_slot == slot {
            return Class::Local(logical);
        }
        match (self.slots[slot].kind, self.slots[target_slot].kind) {
            (SlotKind::Member { carrier }, SlotKind::TopLevel | SlotKind::Overflow) => {
                Class::Param {
                    name: boundary_parameter_name(logical, r.attribute.as_deref()),
                    carrier,
                    target,
                }
            }
            (SlotKind::Member { .. }, SlotKind::Member { .. }) => Class::Error {
                target: Some(target),
                message: "a StackSet's member template cannot reference a resource of another StackSet's member template",
                hint: "create the value in the management stack and reference it from both, or use a name both sides can compute",
            },
            (_, SlotKind::Member { .. }) => Class::Error {
                target: Some(target),
                message: "a resource inside a StackSet's member accounts cannot be referenced from the management account's stacks",
                hint: "derive the value from names both sides know (e.g. a prefix and the account id), or move the resource into the management stack",
            },
            _ => Class::Import {
                target_slot,
                logical,
            },
        }
    }

    /// The name a stack exports a value of `logical` under.
    pub(super) fn export_name(&self, slot: usize, logical: &str, attr: Option<&str>) -> String {
        let name = &self.slots[slot].name;
        match attr {
            Some(a) => format!("{name}:{logical}:{a}"),
            None => format!("{name}:{logical}"),
        }
    }

    /// A copy of `v` as rendered in `slot` (for the few values the manifest repeats).
    fn resolved_copy(&self, slot: usize, v: &Value) -> Value {
        let mut f = |r: &Reference| -> Result<Value, std::convert::Infallible> {
            Ok(match self.classify(slot, r) {
                Class::Local(l) => Value::from(Expr::Ref(Reference {
                    target: Target::Logical(l.to_owned()),
                    attribute: r.attribute.clone(),
                    max_len: r.max_len,
                })),
                Class::Logical => Value::from(Expr::Ref(r.clone())),
                Class::Param { name, .. } => Value::from(Expr::ref_logical(name)),
                Class::Import {
                    target_slot,
                    logical,
                } => Value::from(Expr::import_value(self.export_name(
                    target_slot,
                    logical,
                    r.attribute.as_deref(),
                ))),
                Class::Error { .. } => Value::Null,
            })
        };
        match v.try_map_refs(&mut f) {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }

    fn render(&mut self) -> Result<Vec<Artifact>> {
        let mut artifacts = Vec::with_capacity(self.slots.len());
        for slot in 0..self.slots.len() {
            let body = match self.rendered.remove(&slot) {
                Some(body) => body,
                None => crate::cfn::render::pretty_with_capacity(
                    &SlotView { s: self, slot },
                    self.estimate(&self.slots[slot].members) + 4096,
                )?,
            };
            let s = &self.slots[slot];
            let kind = match s.kind {
                SlotKind::TopLevel | SlotKind::Overflow => ArtifactKind::Stack,
                SlotKind::Member { .. } => ArtifactKind::StackSetMember,
            };
            let (resources, parameters) = self.counts(slot);
            artifacts.push(Artifact::new(
                s.name.clone(),
                kind,
                body,
                resources,
                parameters,
                self.output_count(slot),
            ));
        }
        for (slot, s) in self.slots.iter().enumerate() {
            if let SlotKind::Member { carrier } = s.kind {
                let parent = self.slot_of[carrier.index()] as usize;
                self.stack_sets.push((slot, parent, carrier));
            }
        }
        Ok(artifacts)
    }

    fn counts(&self, slot: usize) -> (usize, usize) {
        let mut resources = 0;
        let mut parameters = self.member_params[slot].len();
        for m in &self.slots[slot].members {
            match self.app.nodes[m.index()].kind {
                NodeKind::Resource(_) => resources += 1,
                NodeKind::Parameter(_) => parameters += 1,
                _ => {}
            }
        }
        (resources, parameters)
    }

    fn output_count(&self, slot: usize) -> usize {
        let declared = match (
            &self.app.nodes[self.slots[slot].stack.index()].kind,
            self.slots[slot].kind,
        ) {
            (_, SlotKind::Overflow) => 0,
            (NodeKind::Stack(d), _) => d.outputs.len(),
            _ => 0,
        };
        declared + self.exports[slot].len()
    }

    fn validate(&mut self, artifacts: &[Artifact]) {
        let q = self.app.quotas();
        for (slot, a) in self.slots.iter().zip(artifacts) {
            let path = self.app.path(&slot.stack);
            if a.resource_count > q.resources_per_template {
                self.diagnostics.push(Diagnostic::new(
                    &path,
                    Rule::ResourceCount,
                    a.resource_count.to_string(),
                    format!(
                        "template `{}` has {} resources; CloudFormation accepts at most {}",
                        a.file_name, a.resource_count, q.resources_per_template
                    ),
                    "keep stack splitting on, or move resources into another stack",
                ));
            }
            if a.body.len() > q.template_bytes {
                self.diagnostics.push(Diagnostic::new(
                    &path,
                    Rule::TemplateSize,
                    a.body.len().to_string(),
                    format!(
                        "template `{}` is {} bytes; CloudFormation accepts at most {}",
                        a.file_name,
                        a.body.len(),
                        q.template_bytes
                    ),
                    "keep stack splitting on, or move resources into another stack",
                ));
            }
            if a.parameter_count > q.parameters_per_template
                || a.output_count > q.outputs_per_template
            {
                self.diagnostics.push(Diagnostic::new(
                    &path,
                    Rule::TemplateSections,
                    format!("{} parameters, {} outputs", a.parameter_count, a.output_count),
                    format!(
                        "template `{}` has {} parameters and {} outputs; a template holds at most {} parameters and {} outputs",
                        a.file_name, a.parameter_count, a.output_count, q.parameters_per_template, q.outputs_per_template
                    ),
                    "reference fewer values across stacks (exports count as outputs), or split the stack",
                ));
            }
        }
        // TemplateBody sizes are checked on what the carrier actually embeds.
        for slot in &self.slots {
            if let SlotKind::Member { carrier } = slot.kind {
                let body_len = self.body_lens.get(&carrier).copied().unwrap_or_default();
                if body_len > q.template_body_bytes {
                    let biggest = self
                        .largest_resources(slot)
                        .iter()
                        .map(|(id, n)| format!("{id} ({n} characters)"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.diagnostics.push(Diagnostic::new(
                        self.app.path(&slot.stack),
                        Rule::TemplateBodySize,
                        body_len.to_string(),
                        format!(
                            "the member template is {body_len} characters; a StackSet's TemplateBody holds at most {}; largest resources: {biggest}",
                            q.template_body_bytes
                        ),
                        "split the member template over two StackSets, or shrink the largest resources",
                    ));
                }
            }
        }
    }

    /// The three largest resources of a template by minified properties size.
    fn largest_resources(&self, slot: &Slot) -> Vec<(String, usize)> {
        let mut sizes: Vec<(String, usize)> = slot
            .members
            .iter()
            .filter_map(|m| match &self.app.nodes[m.index()].kind {
                NodeKind::Resource(r) => Some((
                    self.logical[m.index()].clone().unwrap_or_default(),
                    r.resource
                        .properties
                        .values()
                        .map(Value::minified_len)
                        .sum(),
                )),
                _ => None,
            })
            .collect();
        sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        sizes.truncate(3);
        sizes
    }

    /// Top-level stacks in an order that deploys every stack after those it imports from.
    fn deploy_order(&mut self) -> Vec<usize> {
        let n = self.slots.len();
        let top: Vec<usize> = (0..n).filter(|&i| !self.slots[i].is_member()).collect();
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(top.len());
        loop {
            let before = order.len();
            for &i in &top {
                if !done[i] && self.slot_deps[i].iter().all(|&d| done[d] || d == i) {
                    done[i] = true;
                    order.push(i);
                }
            }
            if order.len() == top.len() {
                break;
            }
            if order.len() == before {
                let stuck: Vec<String> = top
                    .iter()
                    .filter(|&&i| !done[i])
                    .map(|&i| self.slots[i].name.clone())
                    .collect();
                self.diagnostics.push(Diagnostic::new(
                    stuck.join(", "),
                    Rule::CrossBoundaryReference,
                    stuck.join(" -> "),
                    "these stacks reference each other in a cycle, so none can deploy first",
                    "keep references flowing one way: from later stacks to earlier ones",
                ));
                break;
            }
        }
        order
    }

    fn manifest(
        &self,
        artifacts: &[Artifact],
        order: &[usize],
    ) -> (Vec<StackEntry>, Vec<StackSetEntry>) {
        let stacks = order
            .iter()
            .map(|&i| StackEntry {
                name: self.slots[i].name.clone(),
                template: artifacts[i].file_name.clone(),
                resources: artifacts[i].resource_count,
                depends_on: self.slot_deps[i]
                    .iter()
                    .filter(|&&d| d != i)
                    .map(|&d| self.slots[d].name.clone())
                    .collect(),
            })
            .collect();
        let mut sets: Vec<StackSetEntry> = self
            .stack_sets
            .iter()
            .map(|&(member, parent, carrier)| {
                let mut properties = Map::default();
                if let NodeKind::Resource(r) = &self.app.nodes[carrier.index()].kind {
                    for key in ["StackSetName", "PermissionModel", "StackInstancesGroup"] {
                        if let Some(v) = r.resource.properties.get(key) {
                            properties.insert(key.into(), self.resolved_copy(parent, v));
                        }
                    }
                }
                StackSetEntry {
                    path: self.app.path(&self.slots[member].stack),
                    stack: self.slots[parent].name.clone(),
                    logical_id: self.logical[carrier.index()].clone().unwrap_or_default(),
                    template: artifacts[member].file_name.clone(),
                    resources: artifacts[member].resource_count,
                    properties,
                }
            })
            .collect();
        sets.sort_by(|a, b| a.path.cmp(&b.path));
        (stacks, sets)
    }
}

/// The output that exports a value of `logical`.
fn output_name(logical: &str, attr: Option<&str>) -> String {
    alphanumeric_name("Export", logical, attr)
}

/// The name of the member-template parameter that carries `logical`'s value.
fn boundary_parameter_name(logical: &str, attr: Option<&str>) -> String {
    alphanumeric_name("", logical, attr)
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
