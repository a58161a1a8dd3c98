//! Rendering: every template written to its exact bytes with the one template serializer
//! of [`cfn`](crate::cfn), references expressed as the resolution decided. Member templates
//! render first, as their StackSets embed them.

use serde::{Serialize, Serializer};

use super::assembly::{Artifact, ArtifactKind};
use super::lower::Model;
use super::name::Names;
use super::place::{Placement, SlotKind};
use super::resolve::{export_name, parameter_name, Resolution, Route};
use super::tree::NodeKind;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{
    render, write_import, write_local, Expr, NodeId, Parameter, Reference, Resolve, ResourceView,
    Target, TemplateView, Value, With,
};
use crate::error::Result;

/// How references render in one slot's template.
pub(crate) struct SlotResolver<'r> {
    pub(crate) placement: &'r Placement,
    pub(crate) names: &'r Names,
    pub(crate) resolution: &'r Resolution,
    pub(crate) slot: usize,
}

impl Resolve for SlotResolver<'_> {
    fn reference<S: Serializer>(&self, r: &Reference, ser: S) -> Result<S::Ok, S::Error> {
        let target = match &r.target {
            Target::Logical(id) => return write_local(id, r.attribute.as_deref(), ser),
            Target::Node(n) => *n,
        };
        let logical = self.names.of(target).unwrap_or_default();
        let attr = r.attribute.as_deref();
        match self.resolution.route(self.placement, self.slot, target) {
            Some(Route::Local) => write_local(logical, attr, ser),
            Some(Route::Param) => write_local(&parameter_name(logical, attr), None, ser),
            Some(Route::Import { slot }) => {
                let stack = &self.placement.slots[slot as usize].name;
                write_import(&export_name(stack, logical, attr), ser)
            }
            // Reported while resolving; synthesis fails before anything is written.
            None => ser.serialize_unit(),
        }
    }

    fn logical_id(&self, node: NodeId) -> Option<&str> {
        self.names.of(node)
    }
}

/// What rendering produces: the artifacts, in slot order, and the length of each
/// StackSet's embedded `TemplateBody`.
pub(crate) struct Rendered {
    pub(crate) artifacts: Vec<Artifact>,
    pub(crate) body_lens: HashMap<NodeId, usize>,
}

/// Renders every slot: the StackSets' member templates first, one after the other (their
/// bodies are embedded in their StackSets), then the other templates on two threads.
pub(crate) fn render(
    model: &Model<'_>,
    placement: &Placement,
    names: &Names,
    resolution: &Resolution,
) -> Result<Rendered> {
    let mut bodies: HashMap<NodeId, Value> = HashMap::default();
    let mut body_lens = HashMap::default();
    let mut artifacts: Vec<Option<Artifact>> = vec![None; placement.slots.len()];
    let is_member = |i: usize| matches!(placement.slots[i].kind, SlotKind::Member { .. });
    for i in (0..placement.slots.len()).filter(|&i| is_member(i)) {
        let (artifact, member) = render_slot(model, placement, names, resolution, i, &mut bodies)?;
        if let Some((carrier, len, body)) = member {
            body_lens.insert(carrier, len);
            bodies.insert(carrier, body);
        }
        artifacts[i] = Some(artifact);
    }
    let rest: Vec<usize> = (0..placement.slots.len())
        .filter(|&i| !is_member(i))
        .collect();
    // Every StackSet is in one slot: each thread takes the bodies of its own slots.
    let (even, odd): (Vec<usize>, Vec<usize>) = rest.iter().partition(|&&i| i % 2 == 0);
    let mut odd_bodies = bodies.clone();
    let run = |slots: Vec<usize>,
               bodies: &mut HashMap<NodeId, Value>|
     -> Result<Vec<(usize, Artifact)>> {
        slots
            .into_iter()
            .map(|i| {
                render_slot(model, placement, names, resolution, i, bodies).map(|(a, _)| (i, a))
            })
            .collect()
    };
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| run(odd, &mut odd_bodies));
        let first = run(even, &mut bodies);
        // A panic of the second thread is this thread's, as if it had run here.
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    for (i, artifact) in first?.into_iter().chain(second?) {
        artifacts[i] = Some(artifact);
    }
    Ok(Rendered {
        artifacts: artifacts.into_iter().flatten().collect(),
        body_lens,
    })
}

/// A rendered member template's StackSet, the length of its minified body, and the body.
type MemberBody = Option<(NodeId, usize, Value)>;

/// Renders slot `i`.
fn render_slot<'m>(
    model: &'m Model<'_>,
    placement: &'m Placement,
    names: &'m Names,
    resolution: &'m Resolution,
    i: usize,
    bodies: &mut HashMap<NodeId, Value>,
) -> Result<(Artifact, MemberBody)> {
    let slot = &placement.slots[i];
    let mut member_body = None;
    let resolver = SlotResolver {
        placement,
        names,
        resolution,
        slot: i,
    };
    let extras = carrier_extras(&resolver, bodies);
    let description;
    let stack_data = match &model.app.nodes[slot.stack.index()].kind {
        NodeKind::Stack(d) => Some(d),
        _ => None,
    };
    let mut view = TemplateView {
        description: match slot.kind {
            SlotKind::Overflow { group } => {
                description = format!(
                    "{group} of {} that did not fit in one template",
                    model.id(slot.stack)
                );
                Some(description.as_str())
            }
            SlotKind::Bootstrap => {
                description = format!(
                    "What the deploy prerequisites of {} need, deployed first",
                    model.id(slot.stack)
                );
                Some(description.as_str())
            }
            SlotKind::Deferred => {
                description = format!(
                    "Resources of {} that refer to its overflow stacks, deployed after them",
                    model.id(slot.stack)
                );
                Some(description.as_str())
            }
            _ => stack_data.and_then(|d| d.description.as_deref()),
        },
        ..TemplateView::default()
    };
    let mut resources = 0;
    for &m in &slot.members {
        let logical = names.of(m).unwrap_or_default();
        if let Some(res) = model.resource(m) {
            resources += 1;
            view.resources.push(ResourceView {
                logical_id: logical,
                resource: res,
                waits_for: resolution.waits_for(m),
                extra: extras.get(&m).map_or(&[], Vec::as_slice),
            });
        } else if let Some(NodeKind::Parameter(p)) = model.app.entry(m).map(|e| &e.kind) {
            view.parameters.push((logical, &**p));
        }
    }
    view.parameters.extend(
        resolution.member_params[i]
            .iter()
            .map(|(k, p): (&String, &Parameter)| (k.as_str(), p)),
    );
    if !slot.is_extra() {
        if let Some(d) = stack_data {
            view.outputs
                .extend(d.outputs.iter().map(|(k, o)| (k.as_str(), o)));
        }
    }
    view.outputs
        .extend(resolution.exports[i].iter().map(|(k, o)| (k.as_str(), o)));
    let (parameters, outputs) = (view.parameters.len(), view.outputs.len());
    let estimate: usize = slot
        .members
        .iter()
        .map(|&m| model.rendered_estimate(m))
        .sum();
    let body = render::pretty_with_capacity(&With(&view, &resolver), estimate + 4096)?;
    let kind = match slot.kind {
        SlotKind::Member { carrier } => {
            let minified = render::minified(&With(&view, &resolver))?;
            member_body = Some((carrier, minified.chars().count(), Value::String(minified)));
            ArtifactKind::StackSetMember
        }
        _ => ArtifactKind::Stack,
    };
    drop(view);
    Ok((
        Artifact::new(
            slot.name.clone(),
            kind,
            body,
            resources,
            parameters,
            outputs,
        ),
        member_body,
    ))
}

/// What synthesis adds to the StackSets of a template: the IAM capability their member
/// template needs, the parameters it takes and the template itself.
fn carrier_extras(
    r: &SlotResolver<'_>,
    bodies: &mut HashMap<NodeId, Value>,
) -> HashMap<NodeId, Vec<(&'static str, Value)>> {
    let mut extras = HashMap::default();
    for &m in &r.placement.slots[r.slot].members {
        let Some(c) = r.resolution.carriers.get(&m) else {
            continue;
        };
        let mut extra = Vec::with_capacity(3);
        if c.needs_iam {
            extra.push(("Capabilities", Value::from(vec!["CAPABILITY_NAMED_IAM"])));
        }
        if !c.parameters.is_empty() {
            let params: Vec<Value> = c
                .parameters
                .iter()
                .map(|(name, reference)| {
                    crate::obj! {
                        "ParameterKey" => name.as_str(),
                        "ParameterValue" => Expr::Ref(reference.clone()),
                    }
                })
                .collect();
            extra.push(("Parameters", Value::List(params)));
        }
        if let Some(body) = bodies.remove(&m) {
            extra.push(("TemplateBody", body));
        }
        extras.insert(m, extra);
    }
    extras
}

/// A StackSet's properties as the manifest repeats them, rendered in its parent's terms.
pub(crate) struct ManifestProperties<'v, 'r> {
    pub(crate) properties: Vec<(&'static str, &'v Value)>,
    pub(crate) resolver: SlotResolver<'r>,
}

impl Serialize for ManifestProperties<'_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.properties.len()))?;
        for (k, v) in &self.properties {
            m.serialize_entry(k, &With(*v, &self.resolver))?;
        }
        m.end()
    }
}
