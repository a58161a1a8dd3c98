//! Synthesis: prepare (stack assignment, logical IDs, checks), resolve references,
//! render, validate. Nothing reaches the disk unless every phase succeeded.

use std::collections::HashMap;
use std::time::Instant;

use indexmap::{IndexMap, IndexSet};

use super::assembly::{Artifact, ArtifactKind, Assembly, PhaseTimings, StackEntry, StackSetEntry};
use super::logical_id::{is_valid_logical_id, logical_id_for};
use super::{App, NodeKind};
use crate::cfn::{Map, NodeId, Output, Parameter, Reference, Target, Template, Value};
use crate::error::{Diagnostic, Diagnostics, Error, Result, Rule};

/// Resource types whose presence in a member template needs an IAM capability.
const IAM_PREFIX: &str = "AWS::IAM::";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotKind {
    /// A top-level stack declared by the user.
    TopLevel,
    /// An additional stack holding movable units that did not fit their stack.
    Overflow,
    /// A StackSet's member template.
    Member { carrier: NodeId },
}

#[derive(Debug)]
struct Slot {
    name: String,
    /// The stack node that declared it.
    stack: NodeId,
    kind: SlotKind,
    /// Resources and parameters assigned to it, in declaration order.
    members: Vec<NodeId>,
}

impl Slot {
    fn is_member(&self) -> bool {
        matches!(self.kind, SlotKind::Member { .. })
    }
}

/// What the resolution of a member template hands to its carrier resource.
#[derive(Debug, Default)]
struct CarrierInput {
    body: String,
    parameters: Vec<(String, Reference)>,
    needs_iam: bool,
}

struct Synth<'a> {
    app: &'a App,
    slots: Vec<Slot>,
    /// Slot of each node (resources and parameters only; `u32::MAX` otherwise).
    slot_of: Vec<u32>,
    logical: Vec<Option<String>>,
    diagnostics: Vec<Diagnostic>,
    carriers: HashMap<NodeId, CarrierInput>,
    /// Exports requested from each slot: (output name, export name, value).
    exports: Vec<IndexMap<String, (String, Value)>>,
    /// Parameters a member template receives from its StackSet.
    member_params: Vec<IndexMap<String, Parameter>>,
    slot_deps: Vec<IndexSet<usize>>,
    /// Length of the `TemplateBody` each carrier embeds.
    body_lens: HashMap<NodeId, usize>,
    /// StackSets as rendered: (member slot, carrier slot, carrier logical ID, properties).
    stack_sets: Vec<(usize, usize, String, Map)>,
}

const NO_SLOT: u32 = u32::MAX;

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
        let templates = s.resolve()?;
        timings.resolve = t.elapsed();

        let t = Instant::now();
        let artifacts = s.render(templates)?;
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
            carriers: HashMap::new(),
            exports: Vec::new(),
            member_params: Vec::new(),
            slot_deps: Vec::new(),
            body_lens: HashMap::new(),
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

    /// Puts every resource and parameter in the template it will be rendered into.
    fn assign_slots(&mut self) {
        let app = self.app;
        // One slot per stack node: members first (deepest first), then top-level stacks.
        let mut stack_slot: HashMap<NodeId, u32> = HashMap::new();
        let mut member_stacks: Vec<(usize, NodeId)> = Vec::new();
        for (i, node) in app.nodes.iter().enumerate() {
            if let NodeKind::Stack(data) = &node.kind {
                if data.embedded_in.is_some() {
                    member_stacks.push((self.depth(NodeId(i as u32)), NodeId(i as u32)));
                }
            }
        }
        member_stacks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, id) in member_stacks {
            let carrier = match &app.nodes[id.index()].kind {
                NodeKind::Stack(d) => d.embedded_in,
                _ => None,
            };
            if let Some(carrier) = carrier {
                stack_slot.insert(id, self.slots.len() as u32);
                self.slots.push(Slot {
                    name: member_file_stem(app, id),
                    stack: id,
                    kind: SlotKind::Member { carrier },
                    members: Vec::new(),
                });
            }
        }
        for &id in &app.stacks {
            stack_slot.insert(id, self.slots.len() as u32);
            self.slots.push(Slot {
                name: app.nodes[id.index()].id.clone(),
                stack: id,
                kind: SlotKind::TopLevel,
                members: Vec::new(),
            });
        }
        for (i, node) in app.nodes.iter().enumerate() {
            if matches!(node.kind, NodeKind::Resource(_) | NodeKind::Parameter(_)) {
                if let Some(&slot) = stack_slot.get(&node.stack) {
                    self.slot_of[i] = slot;
                    self.slots[slot as usize].members.push(NodeId(i as u32));
                }
            }
        }
        for &id in &app.stacks {
            let split = matches!(&app.nodes[id.index()].kind, NodeKind::Stack(d) if d.split);
            if split {
                self.split(stack_slot[&id] as usize);
            }
        }
    }

    fn depth(&self, mut id: NodeId) -> usize {
        let mut d = 0;
        while let Some(p) = self.app.nodes[id.index()].parent {
            d += 1;
            id = p;
        }
        d
    }

    /// Spreads the movable units of a stack over overflow stacks when the stack would
    /// break the resource or size quota. Units keep declaration order and fill stacks
    /// greedily, so appending units never moves an existing one.
    fn split(&mut self, slot: usize) {
        let app = self.app;
        let quotas = app.quotas();
        let members = std::mem::take(&mut self.slots[slot].members);
        // Group members into units: a movable resource and every resource below it.
        let mut unit_of: HashMap<NodeId, usize> = HashMap::new();
        let mut units: Vec<Vec<NodeId>> = Vec::new();
        let mut fixed: Vec<NodeId> = Vec::new();
        for &m in &members {
            let movable_root = self.movable_root(m);
            match movable_root {
                Some(root) => {
                    let u = *unit_of.entry(root).or_insert_with(|| {
                        units.push(Vec::new());
                        units.len() - 1
                    });
                    units[u].push(m);
                }
                None => fixed.push(m),
            }
        }
        let estimate = |nodes: &[NodeId]| -> usize {
            nodes
                .iter()
                .map(|n| match &app.nodes[n.index()].kind {
                    NodeKind::Resource(r) => {
                        let props: usize = r
                            .resource
                            .properties
                            .values()
                            .map(Value::minified_len)
                            .sum();
                        // Pretty printing roughly doubles a minified body; 300 covers the
                        // resource's frame, logical ID and DependsOn.
                        props * 2 + 300
                    }
                    _ => 200,
                })
                .sum()
        };
        // The declaring stack keeps units, in declaration order, while they fill half of its
        // quotas, whatever else it holds: adding other resources to it never moves a unit,
        // and the other half is room for them. Overflow stacks hold units only.
        let main_resources = quotas.resources_per_template / 2;
        let main_bytes = quotas.template_bytes / 2;
        let max_resources = quotas.resources_per_template.saturating_sub(10).max(1);
        let max_bytes = quotas.template_bytes * 9 / 10;
        let mut used_res = 0;
        let mut used_bytes = 0;
        let mut current = slot;
        let mut assigned: Vec<(usize, Vec<NodeId>)> = Vec::new();
        let base_name = self.slots[slot].name.clone();
        let stack = self.slots[slot].stack;
        let mut overflow_count = 0;
        for unit in units {
            let (r, b) = (unit.len(), estimate(&unit));
            let (cap_res, cap_bytes) = if current == slot {
                (main_resources, main_bytes)
            } else {
                (max_resources, max_bytes)
            };
            if used_res + r > cap_res || used_bytes + b > cap_bytes {
                overflow_count += 1;
                current = self.slots.len();
                self.slots.push(Slot {
                    name: format!("{base_name}-Accounts-{overflow_count:03}"),
                    stack,
                    kind: SlotKind::Overflow,
                    members: Vec::new(),
                });
                used_res = 0;
                used_bytes = 0;
            }
            used_res += r;
            used_bytes += b;
            assigned.push((current, unit));
        }
        let mut kept = fixed;
        for (target, unit) in assigned {
            for n in unit {
                self.slot_of[n.index()] = target as u32;
                if target == slot {
                    kept.push(n);
                } else {
                    self.slots[target].members.push(n);
                }
            }
        }
        kept.sort();
        self.slots[slot].members = kept;
        for s in &mut self.slots[slot..] {
            s.members.sort();
        }
    }

    fn movable_root(&self, node: NodeId) -> Option<NodeId> {
        let mut cur = Some(node);
        let mut found = None;
        while let Some(n) = cur {
            let data = &self.app.nodes[n.index()];
            if matches!(data.kind, NodeKind::Stack(_)) {
                break;
            }
            if let NodeKind::Resource(r) = &data.kind {
                if r.movable {
                    found = Some(n);
                }
            }
            cur = data.parent;
        }
        found
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
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(slot.members.len());
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

    fn resolve(&mut self) -> Result<Vec<Template>> {
        let mut templates: Vec<Template> = Vec::with_capacity(self.slots.len());
        for slot in 0..self.slots.len() {
            let t = self.resolve_slot(slot);
            if let SlotKind::Member { carrier } = self.slots[slot].kind {
                let body = t.render_minified()?;
                self.body_lens.insert(carrier, body.chars().count());
                let entry = self.carriers.entry(carrier).or_default();
                entry.body = body;
                entry.needs_iam = t
                    .resources
                    .values()
                    .any(|r| r.resource_type.starts_with(IAM_PREFIX));
            }
            templates.push(t);
        }
        for (slot, exports) in std::mem::take(&mut self.exports).into_iter().enumerate() {
            for (name, (export, value)) in exports {
                templates[slot]
                    .outputs
                    .insert(name, Output::new(value).export(export));
            }
        }
        Ok(templates)
    }

    fn resolve_slot(&mut self, slot: usize) -> Template {
        let app = self.app;
        let stack_node = self.slots[slot].stack;
        let mut t = Template::new();
        if let NodeKind::Stack(data) = &app.nodes[stack_node.index()].kind {
            t.description = data.description.clone();
            if self.slots[slot].kind == SlotKind::Overflow {
                t.description = Some(format!(
                    "Accounts of {} that did not fit in one template",
                    app.nodes[stack_node.index()].id
                ));
            }
        }
        let members = self.slots[slot].members.clone();
        let mut serial_last: HashMap<&'static str, String> = HashMap::new();
        for m in members {
            let Some(logical) = self.logical[m.index()].clone() else {
                continue;
            };
            match &app.nodes[m.index()].kind {
                NodeKind::Parameter(p) => {
                    t.parameters.insert(logical, (**p).clone());
                }
                NodeKind::Resource(r) => {
                    let mut res = crate::cfn::Resource {
                        resource_type: r.resource.resource_type.clone(),
                        properties: Map::with_capacity(r.resource.properties.len() + 3),
                        depends_on: r.resource.depends_on.clone(),
                        deletion_policy: r.resource.deletion_policy,
                        update_replace_policy: r.resource.update_replace_policy,
                        condition: r.resource.condition.clone(),
                        metadata: r.resource.metadata.clone(),
                    };
                    for (k, v) in &r.resource.properties {
                        let v = self.resolve_value(slot, m, v);
                        res.properties.insert(k.clone(), v);
                    }
                    if let Some(input) = self.carriers.remove(&m) {
                        self.inject_carrier(slot, m, &mut res, input);
                        if let Some(member) = self.member_slot_of(m) {
                            let mut props = Map::new();
                            for key in ["StackSetName", "PermissionModel", "StackInstancesGroup"] {
                                if let Some(v) = res.properties.get(key) {
                                    props.insert(key.into(), v.clone());
                                }
                            }
                            self.stack_sets.push((member, slot, logical.clone(), props));
                        }
                    }
                    for dep in &r.depends_on {
                        self.add_depends_on(slot, m, *dep, &mut res);
                    }
                    if let Some(group) = r.serial_group {
                        if let Some(prev) = serial_last.insert(group, logical.clone()) {
                            if !res.depends_on.contains(&prev) {
                                res.depends_on.push(prev);
                            }
                        }
                    }
                    t.resources.insert(logical, res);
                }
                _ => {}
            }
        }
        for (name, p) in std::mem::take(&mut self.member_params[slot]) {
            t.parameters.insert(name, p);
        }
        if let NodeKind::Stack(data) = &app.nodes[stack_node.index()].kind {
            if self.slots[slot].kind != SlotKind::Overflow {
                for (name, (value, description, export)) in &data.outputs {
                    let value = self.resolve_value(slot, stack_node, value);
                    let mut o = Output::new(value);
                    o.description = description.clone();
                    o.export_name = export.clone().map(Value::String);
                    t.outputs.insert(name.clone(), o);
                }
            }
        }
        t
    }

    fn inject_carrier(
        &mut self,
        slot: usize,
        carrier: NodeId,
        res: &mut crate::cfn::Resource,
        input: CarrierInput,
    ) {
        if input.needs_iam && !res.properties.contains_key("Capabilities") {
            res.properties.insert(
                "Capabilities".into(),
                Value::List(vec![Value::from("CAPABILITY_NAMED_IAM")]),
            );
        }
        if !input.parameters.is_empty() {
            let params = input
                .parameters
                .into_iter()
                .map(|(name, r)| {
                    let mut m = Map::new();
                    m.insert("ParameterKey".into(), Value::String(name));
                    let v = self.resolve_ref(slot, carrier, &r);
                    m.insert("ParameterValue".into(), v);
                    Value::Map(m)
                })
                .collect();
            res.properties
                .insert("Parameters".into(), Value::List(params));
        }
        res.properties
            .insert("TemplateBody".into(), Value::String(input.body));
    }

    fn add_depends_on(
        &mut self,
        slot: usize,
        from: NodeId,
        dep: NodeId,
        res: &mut crate::cfn::Resource,
    ) {
        let dep_slot = self.slot_of[dep.index()] as usize;
        if dep_slot == slot {
            if let Some(id) = &self.logical[dep.index()] {
                if !res.depends_on.contains(id) {
                    res.depends_on.push(id.clone());
                }
            }
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

    fn resolve_value(&mut self, slot: usize, from: NodeId, v: &Value) -> Value {
        let mut f = |r: &Reference| -> Result<Value, std::convert::Infallible> {
            Ok(self.resolve_ref(slot, from, r))
        };
        match v.try_map_refs(&mut f) {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }

    /// What a reference made in `slot` (by the construct `from`) renders as.
    fn resolve_ref(&mut self, slot: usize, from: NodeId, r: &Reference) -> Value {
        let Target::Node(target) = r.target else {
            return Value::from(crate::cfn::Expr::Ref(r.clone()));
        };
        let app = self.app;
        let Some(&target_slot) = self.slot_of.get(target.index()) else {
            self.diagnostics.push(Diagnostic::new(
                app.path(&from),
                Rule::CrossBoundaryReference,
                format!("{target:?}"),
                "the reference points at no construct of this app",
                "use handles returned by this app only",
            ));
            return Value::Null;
        };
        if target_slot == NO_SLOT {
            self.diagnostics.push(Diagnostic::new(
                app.path(&from),
                Rule::CrossBoundaryReference,
                app.path(&target),
                "the reference points at a construct that is neither a resource nor a parameter",
                "reference a resource or a parameter",
            ));
            return Value::Null;
        }
        let target_slot = target_slot as usize;
        let logical = self.logical[target.index()].clone().unwrap_or_default();
        let local = |logical: String| {
            Value::from(crate::cfn::Expr::Ref(Reference {
                target: Target::Logical(logical),
                attribute: r.attribute.clone(),
                max_len: r.max_len,
            }))
        };
        if target_slot == slot {
            return local(logical);
        }
        match (self.slots[slot].kind, self.slots[target_slot].kind) {
            (SlotKind::Member { carrier }, _) if !self.slots[target_slot].is_member() => {
                // A value of the management side used in a member template: pass it in as a
                // parameter of the member template, set by the StackSet.
                let name = boundary_parameter_name(&logical, r.attribute.as_deref());
                let entry = self.carriers.entry(carrier).or_default();
                if !entry.parameters.iter().any(|(n, _)| *n == name) {
                    entry.parameters.push((name.clone(), r.clone()));
                }
                self.member_params[slot]
                    .entry(name.clone())
                    .or_insert_with(|| {
                        Parameter::string().description(format!(
                            "Set by the StackSet from {}{}",
                            app.path(&target),
                            r.attribute
                                .as_deref()
                                .map(|a| format!(" ({a})"))
                                .unwrap_or_default()
                        ))
                    });
                Value::from(crate::cfn::Expr::ref_logical(name))
            }
            (SlotKind::Member { .. }, SlotKind::Member { .. }) => {
                self.diagnostics.push(Diagnostic::new(
                    app.path(&from),
                    Rule::CrossBoundaryReference,
                    app.path(&target),
                    "a StackSet's member template cannot reference a resource of another StackSet's member template",
                    "create the value in the management stack and reference it from both, or use a name both sides can compute",
                ));
                Value::Null
            }
            (_, SlotKind::Member { .. }) => {
                self.diagnostics.push(Diagnostic::new(
                    app.path(&from),
                    Rule::CrossBoundaryReference,
                    app.path(&target),
                    "a resource inside a StackSet's member accounts cannot be referenced from the management account's stacks",
                    "derive the value from names both sides know (e.g. a prefix and the account id), or move the resource into the management stack",
                ));
                Value::Null
            }
            _ => {
                // Two stacks of the management account: export and import.
                let export = format!(
                    "{}:{}{}",
                    self.slots[target_slot].name,
                    logical,
                    r.attribute
                        .as_deref()
                        .map(|a| format!(":{a}"))
                        .unwrap_or_default()
                );
                let output_name: String =
                    format!("Export{}{}", logical, r.attribute.as_deref().unwrap_or(""))
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .take(255)
                        .collect();
                self.exports[target_slot]
                    .entry(output_name)
                    .or_insert_with(|| (export.clone(), local(logical)));
                self.slot_deps[slot].insert(target_slot);
                Value::from(crate::cfn::Expr::import_value(export))
            }
        }
    }

    fn render(&mut self, templates: Vec<Template>) -> Result<Vec<Artifact>> {
        let mut artifacts = Vec::with_capacity(templates.len());
        for (i, t) in templates.into_iter().enumerate() {
            let slot = &self.slots[i];
            let body = t.render()?;
            let kind = match slot.kind {
                SlotKind::TopLevel | SlotKind::Overflow => ArtifactKind::Stack,
                SlotKind::Member { .. } => ArtifactKind::StackSetMember,
            };
            artifacts.push(Artifact::new(
                slot.name.clone(),
                kind,
                body,
                t.resources.len(),
                t.parameters.len(),
                t.outputs.len(),
                largest_resources(&t),
            ));
        }
        Ok(artifacts)
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
                    "enable stack splitting on the stack, or move resources into another stack",
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
                    "enable stack splitting on the stack, or move resources into another stack",
                ));
            }
            if a.parameter_count > q.parameters_per_template
                || a.output_count > q.outputs_per_template
            {
                self.diagnostics.push(Diagnostic::new(
                    &path,
                    Rule::TemplateSections,
                    format!(
                        "{} parameters, {} outputs",
                        a.parameter_count, a.output_count
                    ),
                    format!(
                        "a template holds at most {} parameters and {} outputs",
                        q.parameters_per_template, q.outputs_per_template
                    ),
                    "reference fewer values across stacks, or split the stack",
                ));
            }
        }
        // TemplateBody sizes are checked on what the carrier actually embeds.
        for slot in &self.slots {
            if let SlotKind::Member { carrier } = slot.kind {
                let body_len = self.carrier_body_len(carrier).unwrap_or_default();
                if body_len > q.template_body_bytes {
                    let a = artifacts.iter().find(|a| a.stack_name == slot.name);
                    let biggest = a
                        .map(|a| {
                            a.largest
                                .iter()
                                .map(|(id, n)| format!("{id} ({n} bytes)"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
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

    fn member_slot_of(&self, carrier: NodeId) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.kind == SlotKind::Member { carrier })
    }

    fn carrier_body_len(&self, carrier: NodeId) -> Option<usize> {
        self.body_lens.get(&carrier).copied()
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
            .map(|(member, parent, logical, props)| StackSetEntry {
                path: self.app.path(&self.slots[*member].stack),
                stack: self.slots[*parent].name.clone(),
                logical_id: logical.clone(),
                template: artifacts[*member].file_name.clone(),
                resources: artifacts[*member].resource_count,
                properties: props.clone(),
            })
            .collect();
        sets.sort_by(|a, b| a.path.cmp(&b.path));
        (stacks, sets)
    }
}

/// The name of the member-template parameter that carries `logical`'s value.
fn boundary_parameter_name(logical: &str, attribute: Option<&str>) -> String {
    let mut name: String = logical
        .chars()
        .chain(attribute.unwrap_or("").chars())
        .filter(char::is_ascii_alphanumeric)
        .collect();
    name.truncate(255);
    name
}

fn member_file_stem(app: &App, stack: NodeId) -> String {
    app.path(&stack)
        .split('/')
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn largest_resources(t: &Template) -> Vec<(String, usize)> {
    let mut sizes: Vec<(String, usize)> = t
        .resources
        .iter()
        .map(|(id, r)| {
            let len = r
                .properties
                .values()
                .map(Value::minified_len)
                .sum::<usize>();
            (id.clone(), len)
        })
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sizes.truncate(3);
    sizes
}
