//! Placing, synthesis's second step: every resource and parameter goes into the template
//! it will be rendered in — its stack's own, a StackSet's member template, or an overflow
//! stack its stack splits into past its quotas.
//!
//! Placement is stable. Shared units (OUs) are placed first: the declaring stack keeps the
//! first ones up to half its outputs quota, later ones fill `-Units-` stacks. Leaf units
//! (accounts and what belongs to them) follow: the declaring stack keeps them in declaration
//! order while they fill half its resource and size quotas, whatever else it holds, if what
//! they refer to stayed there too; the others fill `-Accounts-` stacks in declaration order.
//! Appending units, or growing the rest of the stack, never moves a unit placed before.

use super::lower::Model;
use super::tree::NodeKind;
use super::Spill;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{NodeId, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    /// A top-level stack declared by the user.
    TopLevel,
    /// An additional stack holding movable units of one group that did not fit their stack.
    Overflow { group: &'static str },
    /// What must exist before the deploy prerequisites (the organization), deployed first.
    Bootstrap,
    /// What the declaring stack holds that refers to units of its overflow stacks,
    /// deployed after them.
    Deferred,
    /// A StackSet's member template.
    Member { carrier: NodeId },
}

/// One template of the assembly.
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) name: String,
    /// The stack node that declared it.
    pub(crate) stack: NodeId,
    pub(crate) kind: SlotKind,
    /// Resources and parameters assigned to it, in declaration order.
    pub(crate) members: Vec<NodeId>,
}

impl Slot {
    pub(crate) fn is_member(&self) -> bool {
        matches!(self.kind, SlotKind::Member { .. })
    }

    /// An additional stack synthesis made for a declared one (overflow, bootstrap,
    /// deferred): it holds none of the stack's declared outputs.
    pub(crate) fn is_extra(&self) -> bool {
        matches!(
            self.kind,
            SlotKind::Overflow { .. } | SlotKind::Bootstrap | SlotKind::Deferred
        )
    }
}

/// Where everything goes.
#[derive(Debug)]
pub(crate) struct Placement {
    /// Member templates first (deepest first), then top-level stacks, then overflow stacks.
    pub(crate) slots: Vec<Slot>,
    /// Slot of each node (resources and parameters only; `NO_SLOT` otherwise).
    slot_of: Vec<u32>,
}

const NO_SLOT: u32 = u32::MAX;

impl Placement {
    /// The slot of a resource or parameter.
    pub(crate) fn slot_of(&self, n: NodeId) -> Option<usize> {
        match self.slot_of.get(n.index()) {
            Some(&s) if s != NO_SLOT => Some(s as usize),
            _ => None,
        }
    }
}

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

/// `num/den` of `quota`, rounded down, for any quota up to `usize::MAX` ("no limit").
fn fraction(quota: usize, num: u8, den: u8) -> usize {
    let exact = quota as u128 * u128::from(num) / u128::from(den.max(1));
    usize::try_from(exact).unwrap_or(usize::MAX)
}

impl Fill {
    fn fits_main(&self, group: Spill, r: usize, b: usize, l: &Limits) -> bool {
        let (res, bytes, n) = self.main;
        if group.is_shared() {
            n < l.main_shared && res.saturating_add(r) <= l.max_resources
        } else {
            res.saturating_add(r) <= l.main_resources && bytes.saturating_add(b) <= l.main_bytes
        }
    }

    fn fits_overflow(&self, group: Spill, r: usize, b: usize, l: &Limits) -> bool {
        let (res, bytes, n) = self.overflow;
        let room =
            res.saturating_add(r) <= l.max_resources && bytes.saturating_add(b) <= l.max_bytes;
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

/// Puts every resource and parameter of the model in the template it will be rendered into.
pub(crate) fn place(model: &Model<'_>) -> Placement {
    let app = model.app;
    let mut p = Placement {
        slots: Vec::new(),
        slot_of: vec![NO_SLOT; model.len()],
    };
    // One slot per stack node: members first (deepest first), then top-level stacks.
    let mut stack_slot: HashMap<NodeId, u32> = HashMap::default();
    let mut member_stacks: Vec<(usize, NodeId, NodeId)> = Vec::new();
    for (i, e) in app.nodes.iter().enumerate() {
        if let (NodeKind::Stack(data), Some(_)) = (&e.kind, e.stack) {
            if let Some(carrier) = data.embedded_in {
                let id = model.node_id(i);
                member_stacks.push((depth(model, id), id, carrier));
            }
        }
    }
    member_stacks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, id, carrier) in member_stacks {
        stack_slot.insert(id, p.slots.len() as u32);
        p.slots.push(Slot {
            name: member_file_stem(model, id),
            stack: id,
            kind: SlotKind::Member { carrier },
            members: Vec::new(),
        });
    }
    for &id in &app.stacks {
        stack_slot.insert(id, p.slots.len() as u32);
        p.slots.push(Slot {
            name: model.id(id).to_owned(),
            stack: id,
            kind: SlotKind::TopLevel,
            members: Vec::new(),
        });
    }
    for i in 0..model.len() {
        let n = model.node_id(i);
        if model.resource(n).is_none() && !model.is_parameter(n) {
            continue;
        }
        if let Some(&slot) = model.stack(n).and_then(|s| stack_slot.get(&s)) {
            p.slot_of[i] = slot;
            p.slots[slot as usize].members.push(n);
        }
    }
    for s in &mut p.slots {
        s.members.sort_by_key(|&n| model.order_key(n));
    }
    for &id in &app.stacks {
        bootstrap(model, &mut p, stack_slot[&id] as usize);
    }
    for &id in &app.stacks {
        let split = matches!(&app.nodes[id.index()].kind, NodeKind::Stack(d) if d.split);
        if split {
            split_slot(model, &mut p, stack_slot[&id] as usize);
        }
    }
    p
}

/// Moves what must exist before the deploy prerequisites out of a top-level stack into its
/// `-Bootstrap` stack, deployed first.
fn bootstrap(model: &Model<'_>, p: &mut Placement, slot: usize) {
    let is_bootstrap = |n: NodeId| model.app.resource_node(n).is_some_and(|r| r.bootstrap);
    if !p.slots[slot].members.iter().any(|&n| is_bootstrap(n)) {
        return;
    }
    let (moved, kept): (Vec<NodeId>, Vec<NodeId>) = std::mem::take(&mut p.slots[slot].members)
        .into_iter()
        .partition(|&n| is_bootstrap(n));
    p.slots[slot].members = kept;
    let index = p.slots.len();
    for &n in &moved {
        p.slot_of[n.index()] = index as u32;
    }
    let name = format!("{}-Bootstrap", p.slots[slot].name);
    let stack = p.slots[slot].stack;
    p.slots.push(Slot {
        name,
        stack,
        kind: SlotKind::Bootstrap,
        members: moved,
    });
}

fn depth(model: &Model<'_>, mut id: NodeId) -> usize {
    let mut d = 0;
    while let Some(p) = model.parent(id) {
        d += 1;
        id = p;
    }
    d
}

/// Spreads the movable units of a stack over overflow stacks when the stack would
/// break its quotas. Shared units (OUs) are placed first, then leaf units (accounts);
/// each group keeps declaration order and fills its stacks greedily, so appending units
/// never moves an existing one.
fn split_slot(model: &Model<'_>, p: &mut Placement, slot: usize) {
    let quotas = model.quotas();
    let members = std::mem::take(&mut p.slots[slot].members);
    // Group members into units: a movable resource and every resource below it.
    let mut unit_of: HashMap<NodeId, usize> = HashMap::default();
    let mut units: Vec<(Spill, Vec<NodeId>)> = Vec::new();
    let mut fixed: Vec<NodeId> = Vec::new();
    for &m in &members {
        match movable_root(model, m) {
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
        max_bytes: fraction(quotas.template_bytes, 9, 10),
        main_shared: (quotas.outputs_per_template / 2).max(1),
        max_shared: fraction(quotas.outputs_per_template, 3, 4).max(1),
    };
    // Shared groups first, then leaf groups, each in order of first appearance.
    let mut groups: Vec<Spill> = Vec::new();
    for (spill, _) in &units {
        if !groups.contains(spill) {
            groups.push(*spill);
        }
    }
    groups.sort_by_key(|g| !g.is_shared());
    let base_name = p.slots[slot].name.clone();
    let stack = p.slots[slot].stack;
    let mut kept = fixed;
    let mut spilled_any = false;
    for group in groups {
        let mut fill = Fill::default();
        let mut current = slot;
        let mut main_open = true;
        let mut overflow_count = 0;
        for (_, unit) in units.iter().filter(|(g, _)| *g == group) {
            let r = unit.len();
            let b: usize = unit.iter().map(|&n| model.rendered_estimate(n)).sum();
            // A unit stays only where everything it refers to is: once something
            // spilled, check its references.
            let stays = main_open
                && fill.fits_main(group, r, b, &limits)
                && (!spilled_any || refers_only_to(model, p, unit, slot));
            let target = if stays {
                slot
            } else {
                if current == slot {
                    main_open = main_open && fill.fits_main(group, r, b, &limits);
                }
                if current == slot || !fill.fits_overflow(group, r, b, &limits) {
                    overflow_count += 1;
                    current = p.slots.len();
                    p.slots.push(Slot {
                        name: format!("{base_name}-{}-{overflow_count:03}", group.group()),
                        stack,
                        kind: SlotKind::Overflow {
                            group: group.group(),
                        },
                        members: Vec::new(),
                    });
                    fill.overflow = (0, 0, 0);
                }
                current
            };
            fill.add(target == slot, r, b);
            for &n in unit {
                p.slot_of[n.index()] = target as u32;
                if target == slot {
                    kept.push(n);
                } else {
                    p.slots[target].members.push(n);
                    spilled_any = true;
                }
            }
        }
    }
    kept.sort_by_key(|&n| model.order_key(n));
    p.slots[slot].members = kept;
    if spilled_any {
        defer(model, p, slot, &base_name);
    }
    for s in &mut p.slots[slot..] {
        s.members.sort_by_key(|&n| model.order_key(n));
    }
}

/// Moves what the declaring stack holds that refers to, or waits for, a unit placed in
/// one of its overflow stacks (an SCP attached to a spilled OU, a StackSet deploying to
/// spilled accounts) into a `-Deferred-` stack deployed after them: the overflow stacks
/// import from the declaring stack, so the declaring stack cannot import from them.
fn defer(model: &Model<'_>, p: &mut Placement, slot: usize, base_name: &str) {
    let stack = p.slots[slot].stack;
    // The spill stacks, not the bootstrap stack (deployed before everything).
    let overflow: Vec<usize> = (slot + 1..p.slots.len())
        .filter(|&s| {
            p.slots[s].stack == stack && matches!(p.slots[s].kind, SlotKind::Overflow { .. })
        })
        .collect();
    let deferred = p.slots.len();
    let mut moved_any = false;
    loop {
        let mut moved = false;
        let members = std::mem::take(&mut p.slots[slot].members);
        let mut kept = Vec::with_capacity(members.len());
        for m in members {
            let later = |t: NodeId| {
                p.slot_of(t)
                    .is_some_and(|s| overflow.contains(&s) || (moved_any && s == deferred))
            };
            if refers_to(model, m, &later) {
                if !moved_any {
                    p.slots.push(Slot {
                        name: format!("{base_name}-Deferred-001"),
                        stack,
                        kind: SlotKind::Deferred,
                        members: Vec::new(),
                    });
                    moved_any = true;
                }
                p.slot_of[m.index()] = deferred as u32;
                p.slots[deferred].members.push(m);
                moved = true;
            } else {
                kept.push(m);
            }
        }
        p.slots[slot].members = kept;
        if !moved {
            break;
        }
    }
}

/// Whether `n` references, depends on or waits for a node `hit` says yes to.
fn refers_to(model: &Model<'_>, n: NodeId, hit: &dyn Fn(NodeId) -> bool) -> bool {
    if model.waits(n).iter().any(|&t| hit(t)) {
        return true;
    }
    if model
        .app
        .resource_node(n)
        .is_some_and(|r| r.depends_on.iter().any(|&t| hit(t)))
    {
        return true;
    }
    let mut found = false;
    if let Some(res) = model.resource(n) {
        for v in res.properties.values() {
            v.visit_refs(|r| {
                if let Target::Node(t) = r.target {
                    found = found || hit(t);
                }
            });
        }
    }
    found
}

/// Whether every construct `unit` refers to is placed in `slot` (or is not placed).
fn refers_only_to(model: &Model<'_>, p: &Placement, unit: &[NodeId], slot: usize) -> bool {
    let mut ok = true;
    for &n in unit {
        if let Some(res) = model.resource(n) {
            for v in res.properties.values() {
                v.visit_refs(|r| {
                    if let Target::Node(t) = r.target {
                        if p.slot_of(t).is_some_and(|s| s != slot) {
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
fn movable_root(model: &Model<'_>, node: NodeId) -> Option<(NodeId, Spill)> {
    let mut cur = Some(node);
    while let Some(n) = cur {
        if model.is_stack(n) {
            return None;
        }
        if let Some(spill) = model.movable(n) {
            return Some((n, spill));
        }
        cur = model.parent(n);
    }
    None
}

fn member_file_stem(model: &Model<'_>, stack: NodeId) -> String {
    model
        .path(stack)
        .split('/')
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}
