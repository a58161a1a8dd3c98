//! What CloudFormation refuses in the shape of a template rather than in a value: a
//! reference or `DependsOn` to nothing, an attribute a type does not have, a condition the
//! template does not define, resources that wait for each other in a circle, a member
//! template with no resources or with a parameter nobody sets, and two templates written
//! to one file.

use std::collections::BTreeSet;

use super::lower::Model;
use super::name::Names;
use super::place::{Placement, SlotKind};
use super::resolve::Resolution;
use super::tree::NodeKind;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{NodeId, Target};
use crate::error::{Diagnostic, Rule};

/// Attributes `Fn::GetAtt` may read, for the types the library writes (from their resource
/// schemas' read-only properties); other types are not checked.
fn attributes(resource_type: &str) -> Option<&'static [&'static str]> {
    Some(match resource_type {
        "AWS::Organizations::Organization" => &[
            "Id",
            "Arn",
            "ManagementAccountArn",
            "ManagementAccountEmail",
            "ManagementAccountId",
            "RootId",
        ],
        "AWS::Organizations::OrganizationalUnit" => &["Id", "Arn"],
        "AWS::Organizations::Account" => &[
            "AccountId",
            "Arn",
            "JoinedMethod",
            "JoinedTimestamp",
            "Status",
            "State",
            "Paths",
        ],
        "AWS::Organizations::Policy" => &["Id", "Arn", "AwsManaged"],
        "AWS::IAM::Role" => &["Arn", "RoleId"],
        "AWS::IAM::Group" => &["Arn"],
        "AWS::IAM::ManagedPolicy" => &[
            "PolicyArn",
            "PolicyId",
            "AttachmentCount",
            "CreateDate",
            "DefaultVersionId",
            "IsAttachable",
            "PermissionsBoundaryUsageCount",
            "UpdateDate",
        ],
        "AWS::CloudFormation::StackSet" => &["StackSetId"],
        "AWS::SNS::Topic" => &["TopicArn", "TopicName"],
        "AWS::CloudTrail::Trail" => &["Arn", "SnsTopicArn"],
        "AWS::Events::Rule" => &["Arn"],
        _ => return None,
    })
}

/// Runs every check of this module.
pub(crate) fn run(
    model: &Model<'_>,
    placement: &Placement,
    names: &Names,
    resolution: &Resolution,
    out: &mut Vec<Diagnostic>,
) {
    let mut files: HashMap<String, usize> = HashMap::default();
    for (i, slot) in placement.slots.iter().enumerate() {
        let file = match slot.kind {
            SlotKind::Member { .. } => format!("{}.stackset.template.json", slot.name),
            _ => format!("{}.template.json", slot.name),
        };
        if let Some(&other) = files.get(&file.to_ascii_lowercase()) {
            out.push(Diagnostic::new(
                model.path(slot.stack),
                Rule::DuplicateId,
                &file,
                format!(
                    "`{}` writes its template to the same file as `{}`",
                    model.path(slot.stack),
                    model.path(placement.slots[other].stack)
                ),
                "rename one of the stacks or StackSets: file names keep only letters, digits and hyphens (and ignore case)",
            ));
        } else {
            files.insert(file.to_ascii_lowercase(), i);
        }
        let logical: BTreeSet<&str> = slot.members.iter().filter_map(|&m| names.of(m)).collect();
        let mut resources = 0;
        for &m in &slot.members {
            if model.is_parameter(m) {
                if let (SlotKind::Member { .. }, Some(NodeKind::Parameter(p))) =
                    (slot.kind, model.app.entry(m).map(|e| &e.kind))
                {
                    if p.default.is_none() {
                        out.push(Diagnostic::new(
                            model.path(m),
                            Rule::CrossBoundaryReference,
                            names.of(m).unwrap_or_default(),
                            "a parameter of a StackSet's member template without a Default: the StackSet sets only the parameters synthesis wires, so nothing sets it",
                            "give the parameter a default value, or reference the management stack's value directly (synthesis then passes it)",
                        ));
                    }
                }
                continue;
            }
            let Some(res) = model.resource(m) else {
                continue;
            };
            resources += 1;
            if let Some(c) = &res.condition {
                out.push(Diagnostic::new(
                    model.path(m),
                    Rule::PropertyValue,
                    c,
                    "the resource names a condition, and synthesis writes no Conditions section to define it",
                    "leave the condition out and decide in the program whether to add the resource",
                ));
            }
            for d in &res.depends_on {
                if !logical.contains(d.as_str()) {
                    out.push(Diagnostic::new(
                        model.path(m),
                        Rule::CrossBoundaryReference,
                        d,
                        format!("DependsOn names `{d}`, which is no resource of template `{}`", slot.name),
                        "use `app.add_dependency` with the construct's handle, or fix the logical ID",
                    ));
                }
            }
            for v in res.properties.values().chain(res.metadata.values()) {
                v.visit_refs(|r| match &r.target {
                    Target::Logical(id) => {
                        if !logical.contains(id.as_str()) && !id.starts_with("AWS::") {
                            out.push(Diagnostic::new(
                                model.path(m),
                                Rule::CrossBoundaryReference,
                                id,
                                format!("a Ref or Fn::GetAtt names `{id}`, which is no resource or parameter of template `{}`", slot.name),
                                "reference the construct by its handle, or fix the logical ID",
                            ));
                        }
                    }
                    Target::Node(t) => {
                        let (Some(attr), Some(target)) = (&r.attribute, model.resource(*t)) else {
                            return;
                        };
                        if let Some(known) = attributes(&target.resource_type) {
                            if !known.contains(&attr.as_ref()) {
                                out.push(Diagnostic::new(
                                    model.path(m),
                                    Rule::PropertyValue,
                                    attr.as_ref(),
                                    format!(
                                        "`{}` ({}) has no attribute `{attr}` for Fn::GetAtt",
                                        model.path(*t),
                                        target.resource_type
                                    ),
                                    format!("use one of: {}", known.join(", ")),
                                ));
                            }
                        }
                    }
                });
            }
        }
        if resources == 0 && slot.is_member() {
            out.push(Diagnostic::new(
                model.path(slot.stack),
                Rule::StackSetTargets,
                "",
                "the StackSet's member template has no resources; CloudFormation refuses a template without any",
                "add the constructs every target account gets to the StackSet's template(), or drop the StackSet",
            ));
        }
        circles(model, placement, names, resolution, i, out);
    }
}

/// Resources of template `slot` that wait for each other in a circle (`Ref`, `Fn::GetAtt`
/// and `DependsOn` edges): none of them could ever be created. Iterative, as a chain of
/// thousands of accounts is deep.
fn circles(
    model: &Model<'_>,
    placement: &Placement,
    names: &Names,
    resolution: &Resolution,
    slot: usize,
    out: &mut Vec<Diagnostic>,
) {
    let members = &placement.slots[slot].members;
    let index: HashMap<NodeId, usize> = members.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (i, &m) in members.iter().enumerate() {
        for d in resolution.waits_for(m) {
            if let Some(&j) = index.get(d) {
                edges[i].push(j);
            }
        }
        if let Some(res) = model.resource(m) {
            for v in res.properties.values() {
                v.visit_refs(|r| {
                    if let Target::Node(t) = r.target {
                        if let Some(&j) = index.get(&t) {
                            edges[i].push(j);
                        }
                    }
                });
            }
        }
    }
    // Kahn: what remains once everything creatable is removed holds the circles.
    let mut waiting: Vec<usize> = edges.iter().map(Vec::len).collect();
    let mut needed_by: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (i, e) in edges.iter().enumerate() {
        for &j in e {
            needed_by[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..members.len()).filter(|&i| waiting[i] == 0).collect();
    let mut done = 0;
    while let Some(i) = ready.pop() {
        done += 1;
        for &k in &needed_by[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push(k);
            }
        }
    }
    if done == members.len() {
        return;
    }
    let stuck: Vec<usize> = (0..members.len()).filter(|&i| waiting[i] > 0).collect();
    // Name a circle: follow waits among the stuck until one repeats.
    let mut seen: HashMap<usize, usize> = HashMap::default();
    let mut path = Vec::new();
    let mut cur = stuck[0];
    while !seen.contains_key(&cur) {
        seen.insert(cur, path.len());
        path.push(cur);
        cur = match edges[cur].iter().find(|&&j| waiting[j] > 0) {
            Some(&j) => j,
            None => break,
        };
    }
    let start = seen.get(&cur).copied().unwrap_or(0);
    let circle: Vec<&str> = path[start..]
        .iter()
        .map(|&i| names.of(members[i]).unwrap_or_default())
        .collect();
    out.push(Diagnostic::new(
        model.path(members[path[start]]),
        Rule::CrossBoundaryReference,
        circle.join(" -> "),
        format!(
            "resources of template `{}` wait for each other in a circle (references and DependsOn), so none can be created",
            placement.slots[slot].name
        ),
        "drop one of the dependencies or references",
    ));
}
