//! The checks of validating that look at more than one resource at a time: the stacks'
//! outputs, exports and descriptions, and the names that must be unique in one account.
//!
//! The management account's stacks (top-level and overflow) deploy to one account and
//! share its names and exports; each StackSet's member template deploys to accounts of its
//! own, once per region it targets.

use std::borrow::Cow;
use std::collections::hash_map::Entry;

use super::lower::Model;
use super::place::{Placement, SlotKind};
use super::tree::NodeKind;
use crate::cfn::hash::FastMap as HashMap;
use crate::cfn::{NodeId, Resource, Value};
use crate::error::{Diagnostic, Rule};

/// A template description's limit, in bytes.
const TEMPLATE_DESCRIPTION_BYTES: usize = 1024;
/// An output description's limit, in characters.
const OUTPUT_DESCRIPTION_CHARS: usize = 1024;
/// What synthesis names the outputs it adds to export values (see `resolve`).
const EXPORT_OUTPUT_PREFIX: &str = "Export";

/// Runs every check of this module.
pub(crate) fn run(model: &Model<'_>, placement: &Placement, out: &mut Vec<Diagnostic>) {
    stacks(model, placement, out);
    unique_names(model, placement, out);
}

/// The account a slot deploys to: the management account for top-level and overflow
/// stacks, the member template's own accounts otherwise.
fn scope(placement: &Placement, slot: usize) -> usize {
    if placement.slots[slot].is_member() {
        slot
    } else {
        usize::MAX
    }
}

/// Descriptions, output names and export names of every stack.
fn stacks(model: &Model<'_>, placement: &Placement, out: &mut Vec<Diagnostic>) {
    // Names of the stacks synthesis exports from: its exports are `<stack>:<logical id>…`.
    let exporting: Vec<&str> = placement
        .slots
        .iter()
        .filter(|s| !s.is_member())
        .map(|s| s.name.as_str())
        .collect();
    let mut exports: HashMap<(usize, &str), String> = HashMap::default();
    for (i, slot) in placement.slots.iter().enumerate() {
        if slot.is_extra() {
            continue;
        }
        let Some(NodeKind::Stack(data)) = model.app.nodes.get(slot.stack.index()).map(|e| &e.kind)
        else {
            continue;
        };
        let path = model.path(slot.stack);
        if let Some(d) = &data.description {
            if d.len() > TEMPLATE_DESCRIPTION_BYTES {
                out.push(Diagnostic::new(
                    &path,
                    Rule::Description,
                    d,
                    format!(
                        "a template description is at most {TEMPLATE_DESCRIPTION_BYTES} bytes; this one is {} bytes",
                        d.len()
                    ),
                    "shorten the description (characters outside ASCII take 2 to 4 bytes each)",
                ));
            }
        }
        for (name, output) in &data.outputs {
            if !crate::aws::is_logical_id(name) {
                out.push(Diagnostic::new(
                    &path,
                    Rule::OutputName,
                    name,
                    format!(
                        "an output name must be 1 to 255 letters and digits; this one has {} characters{}",
                        name.chars().count(),
                        if name.is_empty() || name.bytes().all(|b| b.is_ascii_alphanumeric()) {
                            ""
                        } else {
                            ", some of them neither"
                        }
                    ),
                    "name the output with letters and digits only, e.g. `LogBucketName`",
                ));
            } else if !slot.is_member()
                && name.len() > EXPORT_OUTPUT_PREFIX.len()
                && name.starts_with(EXPORT_OUTPUT_PREFIX)
            {
                out.push(Diagnostic::new(
                    &path,
                    Rule::OutputName,
                    name,
                    "output names starting with `Export` are kept for the outputs synthesis adds to export values between stacks; two outputs of one name would be one JSON key twice",
                    "name the output without the `Export` prefix",
                ));
            }
            if let Some(d) = &output.description {
                let n = d.chars().count();
                if !(1..=OUTPUT_DESCRIPTION_CHARS).contains(&n) {
                    out.push(Diagnostic::new(
                        &path,
                        Rule::Description,
                        d,
                        format!("an output description is 1 to {OUTPUT_DESCRIPTION_CHARS} characters; this one has {n}"),
                        if n == 0 { "leave the description out, or write one" } else { "shorten the description" },
                    ));
                }
            }
            let Some(export) = output.export_name.as_ref().and_then(Value::as_str) else {
                continue;
            };
            let generated = !slot.is_member()
                && exporting.iter().any(|s| {
                    export
                        .strip_prefix(s)
                        .is_some_and(|rest| rest.starts_with(':'))
                });
            if generated {
                out.push(Diagnostic::new(
                    &path,
                    Rule::DuplicateExport,
                    export,
                    format!("output `{name}` exports a name of the form `<stack>:…`, which synthesis gives the exports it adds between stacks"),
                    "export under a name of your own that does not start with a stack's name and a colon",
                ));
            } else if let Some(first) = exports.insert(
                (scope(placement, i), export),
                format!("{path} (output `{name}`)"),
            ) {
                out.push(Diagnostic::new(
                    &path,
                    Rule::DuplicateExport,
                    export,
                    format!("output `{name}` exports a name that {first} already exports; an export name is unique in an account and region"),
                    "give every export its own name",
                ));
                exports.insert((scope(placement, i), export), first);
            }
        }
    }
}

/// How a kind of named resource is unique.
struct Named {
    resource_type: &'static str,
    what: &'static str,
    /// The service compares names without case (IAM).
    ignore_case: bool,
    /// The name is global to the account, not to a region (IAM, budgets).
    global: bool,
}

const NAMED: &[Named] = &[
    Named {
        resource_type: "AWS::IAM::Role",
        what: "role",
        ignore_case: true,
        global: true,
    },
    Named {
        resource_type: "AWS::IAM::Group",
        what: "group",
        ignore_case: true,
        global: true,
    },
    Named {
        resource_type: "AWS::IAM::User",
        what: "user",
        ignore_case: true,
        global: true,
    },
    Named {
        resource_type: "AWS::IAM::ManagedPolicy",
        what: "managed policy",
        ignore_case: true,
        global: true,
    },
    Named {
        resource_type: "AWS::Budgets::Budget",
        what: "budget",
        ignore_case: false,
        global: true,
    },
    Named {
        resource_type: "AWS::CloudFormation::StackSet",
        what: "StackSet",
        ignore_case: false,
        global: false,
    },
    Named {
        resource_type: "AWS::Organizations::Policy",
        what: "Organizations policy",
        ignore_case: false,
        global: false,
    },
];

/// The literal name a resource gives itself, if its type is one of [`NAMED`]: for an
/// Organizations policy, its type and name (names are unique per policy type).
fn name_of(res: &Resource) -> Option<(&'static Named, Cow<'_, str>)> {
    let kind = NAMED
        .iter()
        .find(|k| res.resource_type == k.resource_type)?;
    let p = &res.properties;
    let name = match kind.resource_type {
        "AWS::IAM::Role" => p.get("RoleName")?.as_str()?,
        "AWS::IAM::Group" => p.get("GroupName")?.as_str()?,
        "AWS::IAM::User" => p.get("UserName")?.as_str()?,
        "AWS::IAM::ManagedPolicy" => p.get("ManagedPolicyName")?.as_str()?,
        "AWS::Budgets::Budget" => match p.get("Budget")?.get() {
            Value::Map(m) => m.get("BudgetName")?.as_str()?,
            _ => return None,
        },
        "AWS::CloudFormation::StackSet" => p.get("StackSetName")?.as_str()?,
        "AWS::Organizations::Policy" => {
            return Some((
                kind,
                Cow::Owned(format!(
                    "{}/{}",
                    p.get("Type")?.as_str()?,
                    p.get("Name")?.as_str()?
                )),
            ))
        }
        _ => return None,
    };
    Some((kind, Cow::Borrowed(name)))
}

/// The regions a StackSet deploys its member template to, when they are literals (`None`
/// when one of them is an intrinsic: the stack's own region).
fn literal_regions(stack_set: &Resource) -> Option<Vec<&str>> {
    let Value::List(groups) = stack_set.properties.get("StackInstancesGroup")?.get() else {
        return None;
    };
    let mut regions: Vec<&str> = Vec::new();
    for g in groups {
        let Value::Map(m) = g.get() else { continue };
        let Some(Value::List(rs)) = m.get("Regions").map(Value::get) else {
            continue;
        };
        for r in rs {
            let r = r.as_str()?;
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
    }
    Some(regions)
}

/// Names unique in an account, and the inline policy names of each identity.
fn unique_names(model: &Model<'_>, placement: &Placement, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(usize, &'static str, Cow<'_, str>), NodeId> = HashMap::default();
    for (i, slot) in placement.slots.iter().enumerate() {
        let regions = match slot.kind {
            SlotKind::Member { carrier } => model
                .resource(carrier)
                .and_then(literal_regions)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for &m in &slot.members {
            let Some(res) = model.resource(m) else {
                continue;
            };
            inline_policy_names(model, m, res, out);
            let Some((kind, name)) = name_of(res) else {
                continue;
            };
            let key = if kind.ignore_case {
                Cow::Owned(name.to_lowercase())
            } else {
                name.clone()
            };
            let shown = match kind.resource_type {
                "AWS::Organizations::Policy" => name.split_once('/').map_or(&*name, |(_, n)| n),
                _ => &name,
            };
            // Paths are computed for what is reported only.
            let duplicate = match seen.entry((scope(placement, i), kind.resource_type, key)) {
                Entry::Occupied(first) => {
                    out.push(Diagnostic::new(
                    model.path(m),
                    Rule::DuplicateName,
                    shown,
                    format!(
                        "`{}` is a {} of the same name{}, deployed to the same account: the second one fails to create",
                        model.path(*first.get()),
                        kind.what,
                        if kind.ignore_case { " (IAM names ignore case)" } else { "" }
                    ),
                    format!("give every {} its own name, or leave the name out and let CloudFormation generate one", kind.what),
                ));
                    true
                }
                Entry::Vacant(v) => {
                    v.insert(m);
                    false
                }
            };
            if !duplicate && kind.global && regions.len() > 1 {
                out.push(Diagnostic::new(
                    model.path(m),
                    Rule::DuplicateName,
                    shown,
                    format!(
                        "the StackSet deploys this template to {} regions ({}), and a {} name is global to an account: the stack of the second region fails to create it",
                        regions.len(),
                        regions.join(", "),
                        kind.what
                    ),
                    format!("leave the name out, or deploy the named {} through a StackSet of one region", kind.what),
                ));
            }
        }
    }
}

/// Two inline policies of one name on one identity: IAM keeps one of them.
fn inline_policy_names(model: &Model<'_>, node: NodeId, res: &Resource, out: &mut Vec<Diagnostic>) {
    if !res.resource_type.starts_with("AWS::IAM::") {
        return;
    }
    let Some(Value::List(policies)) = res.properties.get("Policies").map(Value::get) else {
        return;
    };
    let mut names: Vec<&str> = Vec::new();
    for p in policies {
        let Value::Map(m) = p.get() else { continue };
        let Some(name) = m.get("PolicyName").and_then(Value::as_str) else {
            continue;
        };
        if names.contains(&name) {
            out.push(Diagnostic::new(
                model.path(node),
                Rule::DuplicateName,
                name,
                "two inline policies of this identity have this name; IAM keeps only the last one written",
                "give every inline policy its own name, or merge their statements",
            ));
        } else {
            names.push(name);
        }
    }
}
