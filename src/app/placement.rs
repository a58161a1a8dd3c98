//! Placing resources in templates: each stack's own, StackSet member templates, and the
//! overflow stacks a stack splits into past its quotas.
//!
//! Placement is stable: a stack keeps its movable units (accounts and what belongs to them)
//! in declaration order while they fill half its quotas, whatever else it holds, and later
//! units fill overflow stacks in declaration order. Appending units, or growing the rest of
//! the stack, never moves a unit that was placed before.

use super::synth::{Slot, SlotKind, Synth};
use super::{App, NodeKind};
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{Map, NodeId, Value};

impl Synth<'_> {
    /// Puts every resource and parameter in the template it will be rendered into.
    pub(super) fn assign_slots(&mut self) {
        let app = self.app;
        // One slot per stack node: members first (deepest first), then top-level stacks.
        let mut stack_slot: HashMap<NodeId, u32> = HashMap::default();
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
        let mut unit_of: HashMap<NodeId, usize> = HashMap::default();
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
                        let props: usize = r.resource.properties.values().map(approx_len).sum();
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
}

/// A quick estimate of the minified length of a resource's properties.
pub(crate) fn approx_properties_len(props: &Map) -> usize {
    props.values().map(approx_len).sum()
}

/// A quick upper estimate of a value's minified length (string bytes, not characters;
/// intrinsics at 64), for placing resources before anything is rendered.
fn approx_len(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len() + 2,
        Value::List(items) => 2 + items.iter().map(|v| approx_len(v) + 1).sum::<usize>(),
        Value::Map(m) => {
            2 + m
                .iter()
                .map(|(k, v)| k.len() + 4 + approx_len(v))
                .sum::<usize>()
        }
        Value::Expr(_) => 64,
        Value::Shared(v) => approx_len(v),
        _ => 8,
    }
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
