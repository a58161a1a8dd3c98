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
/// The change set every import step creates and executes.
const CHANGE_SET: &str = "orgstack-import";

/// One stack's import, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportEntry {
    pub(crate) stack: String,
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
        let members: Vec<(NodeId, &'static str, &str)> = slot
            .members
            .iter()
            .filter_map(|&m| adopted(model, m).map(|(k, id)| (m, k, id)))
            .collect();
        if members.is_empty() {
            continue;
        }
        let mut resources = Vec::with_capacity(members.len());
        for &(m, _, _) in &members {
            if let Some(res) = as_imported(model, m) {
                resources.push((names.of(m).unwrap_or_default(), res));
            }
        }
        let description = format!(
            "What exists of {} already, imported into it before its first deploy",
            slot.name
        );
        let view = TemplateView {
            description: Some(&description),
            resources: resources
                .iter()
                .map(|(logical, res)| ResourceView {
                    logical_id: logical,
                    resource: res,
                    waits_for: &[],
                    extra: &[],
                })
                .collect(),
            ..TemplateView::default()
        };
        let body = render::pretty(&crate::cfn::With(&view, &resolver))?;
        let list: Vec<ToImport<'_>> = resources
            .iter()
            .zip(&members)
            .map(|((logical, res), &(_, key, id))| ToImport {
                resource_type: &res.resource_type,
                logical_resource_id: logical,
                resource_identifier: BTreeMap::from([(key, id)]),
            })
            .collect();
        let file_body = render::pretty(&list)?;
        let name = format!("{}.{IMPORT_SUFFIX}", slot.name);
        let artifact = Artifact::new(
            name.clone(),
            ArtifactKind::Import,
            body,
            resources.len(),
            0,
            0,
        );
        let file = format!("{name}.resources.json");
        imports.entries.push(ImportEntry {
            stack: slot.name.clone(),
            template: artifact.file_name.clone(),
            resources_to_import: file.clone(),
            resources: resources.len(),
            upload: artifact.body.len() > INLINE_TEMPLATE_BYTES,
        });
        imports.artifacts.push(artifact);
        imports.files.push((file, file_body));
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
                "aws cloudformation create-change-set --region {region} --stack-name {stack} --change-set-name {CHANGE_SET} --change-set-type IMPORT {template} --resources-to-import file://{}",
                e.resources_to_import
            ));
            commands.push(format!(
                "aws cloudformation wait change-set-create-complete --region {region} --stack-name {stack} --change-set-name {CHANGE_SET}"
            ));
            commands.push(format!(
                "aws cloudformation execute-change-set --region {region} --stack-name {stack} --change-set-name {CHANGE_SET}"
            ));
            commands.push(format!(
                "aws cloudformation wait stack-import-complete --region {region} --stack-name {stack}"
            ));
            Step {
                phase: Phase::Import,
                title: format!("Import what exists into stack {stack}"),
                why: format!(
                    "{} resource(s) of {stack} exist already (listed in `{}`, each by its primary identifier): the import creates the stack holding only them, as an import may add nothing else, and creates none of them. The deploy of {stack} below then adds what is new. Only for a stack that does not exist yet: skip it once imported.",
                    e.resources, e.resources_to_import
                ),
                commands,
            }
        })
        .collect()
}

/// `steps` with the import steps placed before the first stack is deployed.
pub(crate) fn insert(steps: &mut Vec<Step>, imports: Vec<Step>) {
    let at = steps
        .iter()
        .position(|s| s.phase == Phase::Stack)
        .unwrap_or(steps.len());
    steps.splice(at..at, imports);
}
