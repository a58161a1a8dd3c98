//! Naming, synthesis's third step: the logical ID of every resource and parameter, from
//! its path below its stack unless pinned, checked for validity and collisions per template
//! once placed.

use super::logical_id::logical_id_for;
use super::lower::Model;
use super::place::Placement;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::NodeId;
use crate::error::{Diagnostic, Rule};

/// The logical IDs of an assembly.
#[derive(Debug)]
pub(crate) struct Names {
    logical: Vec<Option<String>>,
}

impl Names {
    /// The logical ID of a placed resource or parameter.
    pub(crate) fn of(&self, n: NodeId) -> Option<&str> {
        self.logical.get(n.index()).and_then(|l| l.as_deref())
    }

    /// Every node's logical ID, by node index, for the assembly to keep.
    pub(crate) fn into_logical(self) -> Vec<Option<String>> {
        self.logical
    }
}

/// Names every resource and parameter that is part of a template. Needs only the tree,
/// so it runs beside placing.
pub(crate) fn name(model: &Model<'_>) -> Names {
    let app = model.app;
    let mut logical: Vec<Option<String>> = vec![None; model.len()];
    let mut parts: Vec<&str> = Vec::new();
    for (i, slot) in logical.iter_mut().enumerate() {
        let n = model.node_id(i);
        if model.stack(n).is_none() || (model.resource(n).is_none() && !model.is_parameter(n)) {
            continue;
        }
        let pinned = app.entry(n).and_then(|e| e.logical_id.clone());
        *slot = Some(match pinned {
            Some(id) => id,
            None => {
                parts.clear();
                let mut cur = n;
                loop {
                    if model.is_stack(cur) {
                        break;
                    }
                    parts.push(model.id(cur));
                    match model.parent(cur) {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                parts.reverse();
                logical_id_for(&parts)
            }
        });
    }
    Names { logical }
}

/// Reports invalid logical IDs, and IDs two constructs of one template share (parameters
/// and resources share one namespace).
pub(crate) fn check(
    model: &Model<'_>,
    placement: &Placement,
    names: &Names,
    out: &mut Vec<Diagnostic>,
) {
    for slot in &placement.slots {
        let mut seen: HashMap<&str, NodeId> =
            HashMap::with_capacity_and_hasher(slot.members.len(), Default::default());
        for &m in &slot.members {
            let Some(id) = names.of(m) else {
                continue;
            };
            if let Err(e) = id.parse::<crate::aws::LogicalId>() {
                out.push(e.to_diagnostic(model.path(m)));
            }
            if let Some(other) = seen.insert(id, m) {
                out.push(Diagnostic::new(
                    model.path(m),
                    Rule::LogicalIdCollision,
                    id,
                    format!(
                        "the logical ID is also used by `{}` in stack `{}`",
                        model.path(other),
                        slot.name
                    ),
                    "pin a different logical ID on one of the two constructs",
                ));
            }
        }
    }
}
