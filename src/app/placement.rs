//! Placing resources in templates: each stack's own, StackSet member templates, and the
//! overflow stacks a stack splits into past its quotas.
//!
//! Placement is stable. Shared units (OUs) are placed first: the declaring stack keeps the
//! first ones up to half its outputs quota, later ones fill `-Units-` stacks. Leaf units
//! (accounts and what belongs to them) follow: the declaring stack keeps them in declaration
//! order while they fill half its resource and size quotas, whatever else it holds, if what
//! they refer to stayed there too; the others fill `-Accounts-` stacks in declaration order.
//! Appending units, or growing the rest of the stack, never moves a unit placed before.

use super::synth::{Slot, SlotKind, Synth};
use super::{App, NodeKind, Spill};
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{Expr, Map, NodeId, Reference, Target, Value};

/// How much a stack may take of each kind of unit.
struct Limits {
    main_resources: usize,
    main_bytes: usize,
    max_resources: usize,
    max_bytes: usize,
    main_shared: usize,
    max_shared: usize,
}

/// What the units of one group placed so far take: (resources, bytes, units) in the
/// declaring stack and in the current overflow stack.
#[derive(Default)]
struct Fill {
    main: (usize, usize, usize),
    overflow: (usize, usize, usize),
}

impl Fill {
    fn fits_main(&self, group: Spill, r: usize, b: usize, l: &Limits) -> bool {
        let (res, bytes, n) = self.main;
        if group.is_shared() {
            n < l.main_shared && res + r <= l.max_resources
        } else {
            res + r <= l.main_resources && bytes + b <= l.main_bytes
        }
    }

    fn fits_overflow(&self, group: Spill, r: usize, b: usize, l: &Limits) -> bool {
        let (res, bytes, n) = self.overflow;
        let room = res + r <= l.max_resources && bytes + b <= l.max_bytes;
        room && (!group.is_shared() || n < l.max_shared)
    }

    fn add(&mut self, main: bool, r: usize, b: usize) {
        let f = if main {
            &mut self.main
        } else {
            &mut self.overflow
        };
        f.0 += r;
        f.1 += b;
        f.2 += 1;
    }
}

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
    /// break its quotas. Shared units (OUs) are placed first, then leaf units (accounts);
    /// each group keeps declaration order and fills its stacks greedily, so appending units
    /// never moves an existing one.
    fn split(&mut self, slot: usize) {
        let app = self.app;
        let quotas = app.quotas();
        let members = std::mem::take(&mut self.slots[slot].members);
        // Group members into units: a movable resource and every resource below it.
        let mut unit_of: HashMap<NodeId, usize> = HashMap::default();
        let mut units: Vec<(Spill, Vec<NodeId>)> = Vec::new();
        let mut fixed: Vec<NodeId> = Vec::new();
        for &m in &members {
            match self.movable_root(m) {
                Some((root, spill)) => {
                    let u = *unit_of.entry(root).or_insert_with(|| {
                        units.push((spill, Vec::new()));
                        units.len() - 1
                    });
                    units[u].1.push(m);
                }
                None => fixed.push(m),
            }
        }
        // The declaring stack keeps leaf units while they fill half of its quotas, and
        // shared units while they are fewer than half its outputs quota, whatever else it
        // holds: adding other resources to it never moves a unit. Overflow stacks hold units
        // of one group only.
        let limits = Limits {
            main_resources: quotas.resources_per_template / 2,
            main_bytes: quotas.template_bytes / 2,
            max_resources: quotas.resources_per_template.saturating_sub(10).max(1),
            max_bytes: quotas.template_bytes * 9 / 10,
            main_shared: (quotas.outputs_per_template / 2).max(1),
            max_shared: (quotas.outputs_per_template * 3 / 4).max(1),
        };
        // Shared groups first, then leaf groups, each in order of first appearance.
        let mut groups: Vec<Spill> = Vec::new();
        for (spill, _) in &units {
            if !groups.contains(spill) {
                groups.push(*spill);
            }
        }
        groups.sort_by_key(|g| !g.is_shared());
        let base_name = self.slots[slot].name.clone();
        let stack = self.slots[slot].stack;
        let mut kept = fixed;
        let mut spilled_any = false;
        for group in groups {
            let mut fill = Fill::default();
            let mut current = slot;
            let mut main_open = true;
            let mut overflow_count = 0;
            for (_, unit) in units.iter().filter(|(g, _)| *g == group) {
                let (r, b) = (unit.len(), self.estimate(unit));
                // A unit stays only where everything it refers to is: once something
                // spilled, check its references.
                let stays = main_open
                    && fill.fits_main(group, r, b, &limits)
                    && (!spilled_any || self.refers_only_to(unit, slot));
                let target = if stays {
                    slot
                } else {
                    if current == slot {
                        main_open = main_open && fill.fits_main(group, r, b, &limits);
                    }
                    if current == slot || !fill.fits_overflow(group, r, b, &limits) {
                        overflow_count += 1;
                        current = self.slots.len();
                        self.slots.push(Slot {
                            name: format!("{base_name}-{}-{overflow_count:03}", group.group()),
                            stack,
                            kind: SlotKind::Overflow,
                            members: Vec::new(),
                        });
                        fill.overflow = (0, 0, 0);
                    }
                    current
                };
                fill.add(target == slot, r, b);
                for &n in unit {
                    self.slot_of[n.index()] = target as u32;
                    if target == slot {
                        kept.push(n);
                    } else {
                        self.slots[target].members.push(n);
                        spilled_any = true;
                    }
                }
            }
        }
        kept.sort();
        self.slots[slot].members = kept;
        for s in &mut self.slots[slot..] {
            s.members.sort();
        }
    }

    /// Estimated rendered size of the given resources and parameters.
    pub(super) fn estimate(&self, nodes: &[NodeId]) -> usize {
        nodes
            .iter()
            .map(|n| match &self.app.nodes[n.index()].kind {
                NodeKind::Resource(r) => r.rendered_estimate(),
                _ => 200,
            })
            .sum()
    }

    /// Whether every construct `unit` refers to is placed in `slot` (or is not movable).
    fn refers_only_to(&self, unit: &[NodeId], slot: usize) -> bool {
        let mut ok = true;
        for n in unit {
            if let NodeKind::Resource(r) = &self.app.nodes[n.index()].kind {
                for v in r.resource.properties.values() {
                    v.visit_exprs(&mut |e| {
                        if let Expr::Ref(Reference {
                            target: Target::Node(t),
                            ..
                        }) = e
                        {
                            let placed = self.slot_of.get(t.index()).copied();
                            if placed.is_some_and(|p| p != slot as u32) {
                                ok = false;
                            }
                        }
                    });
                }
            }
        }
        ok
    }

    /// The nearest movable construct at or above `node`, within its stack.
    fn movable_root(&self, node: NodeId) -> Option<(NodeId, Spill)> {
        let mut cur = Some(node);
        while let Some(n) = cur {
            let data = &self.app.nodes[n.index()];
            match &data.kind {
                NodeKind::Stack(_) => return None,
                NodeKind::Resource(r) => {
                    if let Some(spill) = r.movable {
                        return Some((n, spill));
                    }
                }
                _ => {}
            }
            cur = data.parent;
        }
        None
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
