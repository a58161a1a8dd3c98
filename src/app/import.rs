//! Adopting what exists: for every stack that holds constructs adopted by resource import
//! (accounts, OUs and policies that exist already), a template holding only them, every
//! reference written as the value that exists, and the file naming each one's primary
//! identifier. CloudFormation's import may add nothing but the resources it imports, so
//! the plan imports these templates first and deploys the full ones after.

use std::collections::BTreeMap;

use serde::ser::Error as _;
use serde::{Serialize, Serializer};

use super::assembly::{Artifact, ArtifactKind};
use super::lower::Model;
use super::name::Names;
use super::place::Placement;
use super::plan::{Phase, Step, Target, INLINE_TEMPLATE_BYTES, TEMPLATE_BUCKET_PLACEHOLDER};
use super::tree::NodeKind;
use crate::cfn::{render, write_local, NodeId, Reference, Resolve, ResourceView, TemplateView};
use crate::error::{Diagnostic, Result, Rule};

/// What the name of a stack's import template and file adds to the stack's name.
pub(crate) const IMPORT_SUFFIX: &str = "import";
/// The change set every import step creates and executes (numbered in batches).
const CHANGE_SET: &str = "orgstack-import";

/// The most resources one import takes (`ResourcesToImport` holds at most 200): a stack
/// that adopts more is imported in batches, each adding up to this many to the ones before.
pub const RESOURCES_PER_IMPORT: usize = 200;

/// One stack's import, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportEntry {
    pub(crate) stack: String,
    /// Which of the stack's imports this is, when it takes more than one.
    #[serde(skip)]
    pub(crate) batch: Option<(usize, usize)>,
    pub(crate) template: String,
    pub(crate) resources_to_import: String,
    pub(crate) resources: usize,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) upload: bool,
}

/// What importing renders: the import templates (artifacts), the resources-to-import
/// files, and the manifest's entries.
pub(crate) struct Imports {
    pub(crate) artifacts: Vec<Artifact>,
    pub(crate) files: Vec<(String, String)>,
    pub(crate) entries: Vec<ImportEntry>,
}

/// What an adopted construct's import template holds: what it lowers to, with the
/// properties of what exists where they differ from what the app declares.
fn as_imported(model: &Model<'_>, n: NodeId) -> Option<crate::cfn::Resource> {
    let mut res = model.resource(n)?.clone();
    // Nothing is created: what it would wait for does not matter, and an import template
    // may hold nothing else.
    res.depends_on.clear();
    if let Some(t) = model.app.entry(n).and_then(|e| e.kind.typed()) {
        for (key, value) in t.import_overrides() {
            match value {
                Some(v) => {
                    res.properties.insert(key.into(), v);
                }
                None => {
                    res.properties.shift_remove(key);
                }
            }
        }
    }
    Some(res)
}

/// The primary identifier of an adopted construct.
fn adopted<'m>(model: &'m Model<'_>, n: NodeId) -> Option<(&'static str, &'m str)> {
    model.app.entry(n)?.kind.typed()?.adopted()
}

/// The value a reference takes when what it names exists: an adopted construct's id (its
/// `Ref`, or the attribute of the same name), or a parameter's default (the existing
/// organization's ids, an existing OU's id).
fn known<'m>(model: &'m Model<'_>, r: &Reference) -> Option<&'m str> {
    let crate::cfn::Target::Node(n) = r.target else {
        return None;
    };
    if let Some((key, id)) = adopted(model, n) {
        return match r.attribute.as_deref() {
            None => Some(id),
            Some(a) if a == key => Some(id),
            Some(_) => None,
        };
    }
    match &model.app.entry(n)?.kind {
        NodeKind::Parameter(p) if r.attribute.is_none() => p.default.as_deref(),
        _ => None,
    }
}

/// Reports what cannot be imported: an adopted construct that refers to something that
/// does not exist yet, or that sits in a StackSet's member template.
pub(crate) fn check(model: &Model<'_>, placement: &Placement, out: &mut Vec<Diagnostic>) {
    for slot in &placement.slots {
        for &m in &slot.members {
            let Some((key, id)) = adopted(model, m) else {
                continue;
            };
            if slot.is_member() {
                out.push(Diagnostic::new(
                    model.path(m),
                    Rule::AdoptedReference,
                    id,
                    format!("{key} {id} is adopted in a StackSet's member template; only stacks of the management account import"),
                    "adopt Organizations resources in a stack of the management account",
                ));
                continue;
            }
            let Some(res) = as_imported(model, m) else {
                continue;
            };
            let mut unknown: Vec<String> = Vec::new();
            for v in res.properties.values() {
                v.visit_refs(|r| {
                    if known(model, r).is_none() {
                        let what = match &r.target {
                            crate::cfn::Target::Node(n) => model.path(*n),
                            crate::cfn::Target::Logical(l) => l.clone(),
                        };
                        if !unknown.contains(&what) {
                            unknown.push(what);
                        }
                    }
                });
            }
            for what in unknown {
                out.push(Diagnostic::new(
                    model.path(m),
                    Rule::AdoptedReference,
                    &what,
                    format!("it is adopted ({key} {id}) but refers to `{what}`, which does not exist yet; an import may add nothing but what it imports"),
                    "adopt or reference what exists (OrganizationalUnit::adopt or ::existing, Organization::existing); move it to a new parent once imported",
                ));
            }
        }
    }
}

/// Writes references as the values that exist.
struct Existing<'m, 'a> {
    model: &'m Model<'a>,
}

impl Resolve for Existing<'_, '_> {
    fn reference<S: Serializer>(&self, r: &Reference, ser: S) -> Result<S::Ok, S::Error> {
        if let crate::cfn::Target::Logical(id) = &r.target {
            return write_local(id, r.attribute.as_deref(), ser);
        }
        match known(self.model, r) {
            Some(v) => ser.serialize_str(v),
            // Reported by `check`; synthesis fails before rendering.
            None => Err(S::Error::custom(
                "an adopted resource refers to something that does not exist yet",
            )),
        }
    }
}

/// One entry of a resources-to-import file.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ToImport<'a> {
    resource_type: &'a str,
    logical_resource_id: &'a str,
    resource_identifier: BTreeMap<&'static str, &'a str>,
}

/// The import template and resources-to-import file of every stack that adopts something.
pub(crate) fn render(model: &Model<'_>, placement: &Placement, names: &Names) -> Result<Imports> {
    let mut imports = Imports {
        artifacts: Vec::new(),
        files: Vec::new(),
        entries: Vec::new(),
    };
    let resolver = Existing { model };
    for slot in placement.slots.iter().filter(|s| !s.is_member()) {
        // (logical ID, resource as imported, identifier key, identifier)
        let adopted: Vec<(&str, crate::cfn::Resource, &'static str, &str)> = slot
            .members
            .iter()
            .filter_map(|&m| {
                let (key, id) = adopted(model, m)?;
                let res = as_imported(model, m)?;
                Some((names.of(m).unwrap_or_default(), res, key, id))
            })
            .collect();
        if adopted.is_empty() {
            continue;
        }
        // An import takes at most RESOURCES_PER_IMPORT resources: past that, batches, each
        // template holding the batches before it unchanged (they are in the stack by then).
        let batches = adopted.len().div_ceil(RESOURCES_PER_IMPORT);
        for batch in 0..batches {
            let (start, end) = (
                batch * RESOURCES_PER_IMPORT,
                ((batch + 1) * RESOURCES_PER_IMPORT).min(adopted.len()),
            );
            let description = format!(
                "What exists of {} already, imported into it before its first deploy",
                slot.name
            );
            let view = TemplateView {
                description: Some(&description),
                resources: adopted[..end]
                    .iter()
                    .map(|(logical, res, _, _)| ResourceView {
                        logical_id: logical,
                        resource: res,
                        waits_for: &[],
                        extra: &[],
                    })
                    .collect(),
                ..TemplateView::default()
            };
            let body = render::pretty(&crate::cfn::With(&view, &resolver))?;
            let list: Vec<ToImport<'_>> = adopted[start..end]
                .iter()
                .map(|(logical, res, key, id)| ToImport {
                    resource_type: &res.resource_type,
                    logical_resource_id: logical,
                    resource_identifier: BTreeMap::from([(*key, *id)]),
                })
                .collect();
            let file_body = render::pretty(&list)?;
            let name = if batches == 1 {
                format!("{}.{IMPORT_SUFFIX}", slot.name)
            } else {
                format!("{}.{IMPORT_SUFFIX}-{}", slot.name, batch + 1)
            };
            let artifact = Artifact::new(name.clone(), ArtifactKind::Import, body, end, 0, 0);
            let file = format!("{name}.resources.json");
            imports.entries.push(ImportEntry {
                stack: slot.name.clone(),
                batch: (batches > 1).then_some((batch + 1, batches)),
                template: artifact.file_name.clone(),
                resources_to_import: file.clone(),
                resources: end - start,
                upload: artifact.body.len() > INLINE_TEMPLATE_BYTES,
            });
            imports.artifacts.push(artifact);
            imports.files.push((file, file_body));
        }
    }
    Ok(imports)
}

/// The plan's import steps, one per stack, in deploy order.
pub(crate) fn steps(entries: &[ImportEntry], order: &[String], target: &Target<'_>) -> Vec<Step> {
    let region = target.region;
    let bucket = target.bucket.unwrap_or(TEMPLATE_BUCKET_PLACEHOLDER);
    let mut sorted: Vec<&ImportEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| order.iter().position(|s| *s == e.stack));
    sorted
        .into_iter()
        .map(|e| {
            let stack = &e.stack;
            let change_set = match e.batch {
                Some((n, _)) => format!("{CHANGE_SET}-{n}"),
                None => CHANGE_SET.to_owned(),
            };
            let mut commands = Vec::with_capacity(5);
            let template = if e.upload {
                commands.push(format!(
                    "aws s3 cp {} s3://{bucket}/{} --region {region}",
                    e.template, e.template
                ));
                format!(
                    "--template-url https://{bucket}.s3.{region}.amazonaws.com/{}",
                    e.template
                )
            } else {
                format!("--template-body file://{}", e.template)
            };
            commands.push(format!(
                "aws cloudformation create-change-set --region {region} --stack-name {stack} --change-set-name {change_set} --change-set-type IMPORT {template} --resources-to-import file://{}",
                e.resources_to_import
            ));
            commands.push(format!(
                "aws cloudformation wait change-set-create-complete --region {region} --stack-name {stack} --change-set-name {change_set}"
            ));
            commands.push(format!(
                "aws cloudformation execute-change-set --region {region} --stack-name {stack} --change-set-name {change_set}"
            ));
            commands.push(format!(
                "aws cloudformation wait stack-import-complete --region {region} --stack-name {stack}"
            ));
            let (title, why) = match e.batch {
                None | Some((1, _)) => (
                    match e.batch {
                        Some((n, of)) => format!("Import what exists into stack {stack} ({n} of {of})"),
                        None => format!("Import what exists into stack {stack}"),
                    },
                    format!(
                        "{} resource(s) of {stack} exist already (listed in `{}`, each by its primary identifier): the import creates the stack holding only them, as an import may add nothing else, and creates none of them.{} The deploy of {stack} below then adds what is new. Only for a stack that does not exist yet: skip it once imported.",
                        e.resources,
                        e.resources_to_import,
                        if e.batch.is_some() {
                            format!(" An import takes at most {RESOURCES_PER_IMPORT} resources: the steps after this one import the rest.")
                        } else {
                            String::new()
                        }
                    ),
                ),
                Some((n, of)) => (
                    format!("Import what exists into stack {stack} ({n} of {of})"),
                    format!(
                        "{} more resource(s) of {stack} that exist already (listed in `{}`): the template holds those imported before, unchanged, and these. Skip it once imported.",
                        e.resources, e.resources_to_import
                    ),
                ),
            };
            Step {
                phase: Phase::Import,
                title,
                why,
                commands,
            }
        })
        .collect()
}
