//! Validating: every construct's own checks, the resource schemas' rules over every
//! resource as it will be rendered (escape-hatch changes included), the checks over all
//! constructs of a kind, the checks across resources and stacks (`checks`: outputs,
//! exports, descriptions, names unique in an account), and the quotas of the rendered
//! templates.

use std::any::TypeId;

use super::lower::Model;
use super::name::Names;
use super::place::{Placement, Slot, SlotKind};
use super::typed::Check;
use super::Artifact;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{schema, NodeId};
use crate::error::{Diagnostic, Rule};

/// The checks over the final tree, before anything is rendered.
pub(crate) fn constructs(model: &Model<'_>, placement: &Placement, out: &mut Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut kinds: Vec<TypeId> = Vec::new();
    let mut check_alls = Vec::new();
    for i in 0..model.len() {
        let n = model.node_id(i);
        if let Some(res) = model.resource(n).filter(|_| placement.slot_of(n).is_some()) {
            problems.clear();
            schema::check(res, model.quotas(), &mut problems);
            if !problems.is_empty() {
                let path = model.path(n);
                for p in problems.drain(..) {
                    out.push(Diagnostic::new(&path, p.rule, p.value, p.message, p.hint));
                }
            }
        }
        let Some(e) = model.app.nodes.get(i).filter(|e| e.stack.is_some()) else {
            continue;
        };
        if let Some(typed) = e.kind.typed() {
            typed.validate(&mut Check::new(model, n, out));
            if let Some(f) = typed.check_all() {
                let kind = typed.as_any().type_id();
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                    check_alls.push(f);
                }
            }
        }
    }
    for f in check_alls {
        f(model, out);
    }
    super::checks::run(model, placement, out);
}

/// The quotas of the rendered templates; `body_lens` is the length of the `TemplateBody`
/// each StackSet embeds.
pub(crate) fn templates(
    model: &Model<'_>,
    placement: &Placement,
    names: &Names,
    artifacts: &[Artifact],
    body_lens: &HashMap<NodeId, usize>,
    out: &mut Vec<Diagnostic>,
) {
    let q = model.quotas();
    for (slot, a) in placement.slots.iter().zip(artifacts) {
        let path = model.path(slot.stack);
        if a.resource_count > q.resources_per_template {
            out.push(Diagnostic::new(
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
            out.push(Diagnostic::new(
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
        if a.parameter_count > q.parameters_per_template || a.output_count > q.outputs_per_template
        {
            out.push(Diagnostic::new(
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
    for slot in &placement.slots {
        if let SlotKind::Member { carrier } = slot.kind {
            let body_len = body_lens.get(&carrier).copied().unwrap_or_default();
            if body_len > q.template_body_bytes {
                let biggest = largest_resources(model, names, slot)
                    .iter()
                    .map(|(id, n)| format!("{id} ({n} characters)"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Diagnostic::new(
                    model.path(slot.stack),
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
fn largest_resources(model: &Model<'_>, names: &Names, slot: &Slot) -> Vec<(String, usize)> {
    let mut sizes: Vec<(String, usize)> = slot
        .members
        .iter()
        .filter_map(|&m| {
            model.resource(m).map(|r| {
                (
                    names.of(m).unwrap_or_default().to_owned(),
                    crate::cfn::saturating_sum(r.properties.values().map(|v| v.minified_len())),
                )
            })
        })
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sizes.truncate(3);
    sizes
}
