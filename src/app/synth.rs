//! Synthesis as a pipeline of typed steps, each returning its own result:
//! lower → place → name → resolve → validate → render → check the rendered templates.
//! Nothing reaches the disk unless every step succeeded.

use std::time::Instant;

use serde::Serialize;

use super::assembly::{Assembly, PhaseTimings, StackEntry, StackSetEntry};
use super::lookup::Index;
use super::lower::Model;
use super::place::{self, SlotKind};
use super::render::{self, ManifestProperties, SlotResolver};
use super::{import, integrity, name, plan, resolve, validate, App};
use crate::error::{Diagnostics, Error, Result};

impl App {
    /// Synthesizes the app in memory: every template rendered to its exact bytes, the
    /// manifest, the deploy plan, and the time each step took.
    ///
    /// The steps: typed constructs are *lowered* to resources (and aspects derive what the
    /// model implies); resources are *placed* in templates (stacks split past their
    /// quotas); *named* (logical IDs); every reference is *resolved* once; everything is
    /// *validated* as it will be rendered; templates are *rendered* and their quotas
    /// checked.
    ///
    /// # Errors
    /// [`Error::Validation`] with every problem found (input problems recorded while
    /// building, construct and schema checks, quotas, unresolvable references);
    /// [`Error::Render`] should a template fail to render.
    pub fn synth(&self) -> Result<Assembly> {
        let mut timings = PhaseTimings::default();
        let mut diagnostics = self.diagnostics().to_vec();
        // Before anything walks values recursively: none nests past the limit.
        let deep = diagnostics.len();
        super::depth::check(self, &mut diagnostics);
        if diagnostics.len() > deep {
            return Err(Error::Validation(Diagnostics(diagnostics)));
        }

        let t = Instant::now();
        let model = Model::lower(self);
        timings.lower = t.elapsed();

        // Placing and naming read only the model; validating and resolving read only
        // what the steps before them returned: each pair runs on two threads.
        let t = Instant::now();
        let (placement, (names, name_time)) = std::thread::scope(|s| {
            let names = s.spawn(|| {
                let t = Instant::now();
                let names = name::name(&model);
                (names, t.elapsed())
            });
            let placement = place::place(&model);
            (placement, join(names))
        });
        timings.place = t.elapsed().saturating_sub(name_time);
        timings.name = name_time;
        name::check(&model, &placement, &names, &mut diagnostics);

        let t = Instant::now();
        // Validating the constructs runs beside resolving and the checks of the shape of
        // the templates, which need the routes.
        let (resolution, shape, (validated, validate_time)) = std::thread::scope(|s| {
            let validated = s.spawn(|| {
                let t = Instant::now();
                let mut out = Vec::new();
                validate::constructs(&model, &placement, &mut out);
                (out, t.elapsed())
            });
            let resolution = resolve::resolve(&model, &placement, &names, &mut diagnostics);
            let mut shape = Vec::new();
            integrity::run(&model, &placement, &names, &resolution, &mut shape);
            (resolution, shape, join(validated))
        });
        let wall = t.elapsed();
        timings.validate = validate_time;
        timings.resolve = wall.saturating_sub(validate_time);
        diagnostics.extend(validated);
        diagnostics.extend(shape);
        import::check(&model, &placement, &mut diagnostics);
        if has_errors(&diagnostics) {
            return Err(Error::Validation(Diagnostics(diagnostics)));
        }

        // The lint rules and the organization's diagram read only the model and the app:
        // they run beside rendering (a lint error then fails synthesis after it).
        let t = Instant::now();
        let (rendered, (lint_errors, lint_warnings, diagram, lint_time)) =
            std::thread::scope(|s| {
                let review = s.spawn(|| {
                    let t = Instant::now();
                    let mut errors = Vec::new();
                    let warnings = lint(self, &model, &placement, &mut errors);
                    let diagram = crate::review::diagram::mermaid(self);
                    (errors, warnings, diagram, t.elapsed())
                });
                let rendered = render::render(&model, &placement, &names, &resolution);
                (rendered, join(review))
            });
        // The stage's wall time; the lint rules' own time is also counted in validate.
        timings.render = t.elapsed();
        timings.validate += lint_time;
        // Lint warnings are reported with the assembly, not with a failure.
        diagnostics.extend(lint_errors);
        if has_errors(&diagnostics) {
            return Err(Error::Validation(Diagnostics(diagnostics)));
        }
        let rendered = rendered?;

        let t = Instant::now();
        validate::templates(
            &model,
            &placement,
            &names,
            &rendered.artifacts,
            &rendered.body_lens,
            &mut diagnostics,
        );
        timings.validate += t.elapsed();
        if has_errors(&diagnostics) {
            return Err(Error::Validation(Diagnostics(diagnostics)));
        }
        diagnostics.extend(lint_warnings);

        let mut artifacts = rendered.artifacts;
        let imports = import::render(&model, &placement, &names)?;
        let stacks: Vec<StackEntry> = resolution
            .order
            .iter()
            .map(|&i| StackEntry {
                name: placement.slots[i].name.clone(),
                template: artifacts[i].file_name.clone(),
                resources: artifacts[i].resource_count,
                depends_on: resolution.slot_deps[i]
                    .iter()
                    .filter(|&&d| d != i)
                    .map(|&d| placement.slots[d].name.clone())
                    .collect(),
                bootstrap: placement.slots[i].kind == SlotKind::Bootstrap,
                upload: artifacts[i].body.len() > plan::INLINE_TEMPLATE_BYTES,
                stack_sets: placement
                    .slots
                    .iter()
                    .filter(|s| matches!(s.kind, SlotKind::Member { carrier } if placement.slot_of(carrier) == Some(i)))
                    .count(),
            })
            .collect();
        let region = self.home_region();
        let target = plan::Target {
            region,
            bucket: self.template_bucket(),
        };
        let order: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
        let steps = plan::steps(
            &model,
            &placement,
            &stacks,
            &self.deploy_steps().cloned().collect::<Vec<_>>(),
            import::steps(&imports.entries, &order, &target),
            &target,
        );
        let mut sets: Vec<(StackSetEntry, ManifestProperties<'_, '_>)> = Vec::new();
        for (i, slot) in placement.slots.iter().enumerate() {
            let SlotKind::Member { carrier } = slot.kind else {
                continue;
            };
            let Some(parent) = placement.slot_of(carrier) else {
                continue;
            };
            let properties = model
                .resource(carrier)
                .map(|r| {
                    ["StackSetName", "PermissionModel", "StackInstancesGroup"]
                        .into_iter()
                        .filter_map(|k| r.properties.get(k).map(|v| (k, v)))
                        .collect()
                })
                .unwrap_or_default();
            sets.push((
                StackSetEntry {
                    path: model.path(slot.stack),
                    stack: placement.slots[parent].name.clone(),
                    logical_id: names.of(carrier).unwrap_or_default().to_owned(),
                    template: artifacts[i].file_name.clone(),
                    resources: artifacts[i].resource_count,
                },
                ManifestProperties {
                    properties,
                    resolver: SlotResolver {
                        placement: &placement,
                        names: &names,
                        resolution: &resolution,
                        slot: parent,
                    },
                },
            ));
        }
        sets.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        let manifest = crate::cfn::render::pretty(&Manifest {
            version: 1,
            deploy_to:
                "management account; StackSet member templates deploy through their StackSets",
            home_region: region,
            steps: &steps,
            stacks: &stacks,
            imports: &imports.entries,
            stack_sets: sets
                .iter()
                .map(|(entry, properties)| ManifestStackSet { entry, properties })
                .collect(),
            warnings: diagnostics
                .iter()
                .filter(|d| d.severity == crate::Severity::Warning)
                .map(|d| ManifestWarning {
                    path: &d.path,
                    rule: d.rule.as_str(),
                    message: &d.message,
                })
                .collect(),
        })?;
        let mut deploy_plan = plan::markdown(&steps, region);
        // The organization at a glance, after the steps.
        deploy_plan.push_str("\n## The organization\n\nOUs and accounts under the root, where the Organizations policies attach (dotted), and the roles people assume from another account (thick: with MFA).\n\n```mermaid\n");
        deploy_plan.push_str(&diagram);
        deploy_plan.push_str("```\n");
        // The diagram is also a file of its own, for tools that render Mermaid.
        let mut files = vec![(super::DIAGRAM_FILE.to_owned(), diagram)];
        files.extend(imports.files);
        let lookup = Index::new(&model, &placement, names, &resolution);
        artifacts.extend(imports.artifacts);
        Ok(Assembly::new(
            artifacts,
            manifest,
            deploy_plan,
            &stacks,
            diagnostics,
            timings,
            lookup,
        )
        .with_files(files))
    }

    /// Synthesizes the app and writes the assembly to the directory `dir` atomically
    /// ([`Assembly::write_to`]): nothing reaches the disk unless synthesis succeeded; the
    /// assembly is built in a directory beside `dir` and renamed into place, so a failure
    /// leaves an earlier assembly at `dir` untouched and never a half-written one.
    ///
    /// - **Concurrent** calls into one `dir`, from threads or processes, take turns on a
    ///   lock (`.<name>.lock` beside `dir`): each leaves a complete assembly, the last one
    ///   wins, never a mix.
    /// - **What is replaced**: the whole of `dir` (files the assembly does not write are
    ///   removed); never a file: a file at `dir` is an error, and left alone.
    /// - **On failure**, nothing staged is left beside `dir`; what a killed earlier run left
    ///   there is removed by the next one.
    /// - **A symbolic link** at `dir` is followed: the directory it points to receives the
    ///   assembly, and the link stays.
    /// - **A mount point** (a container volume) is refused, its contents untouched: write
    ///   to a directory inside it.
    ///
    /// # Errors
    /// As [`synth`](Self::synth); [`Error::Target`] when `dir` cannot hold an assembly (a
    /// file, a mount point, a path that names no directory, such as one ending in `..`);
    /// [`Error::Io`] if writing fails.
    pub fn synth_to(&self, dir: impl AsRef<std::path::Path>) -> Result<Assembly> {
        let mut assembly = self.synth()?;
        assembly.write_to(dir)?;
        Ok(assembly)
    }
}

/// The lint rules over every placed resource (`review::lint`): errors join `errors`, the
/// warnings are returned.
fn lint(
    app: &App,
    model: &Model<'_>,
    placement: &place::Placement,
    errors: &mut Vec<crate::Diagnostic>,
) -> Vec<crate::Diagnostic> {
    let subjects: Vec<crate::review::lint::Subject<'_>> = (0..model.len())
        .filter_map(|i| {
            let node = model.node_id(i);
            placement.slot_of(node)?;
            Some(crate::review::lint::Subject {
                node,
                resource: model.resource(node)?,
            })
        })
        .collect();
    // Resources per template; overflow stacks are filled up to the quota by design, so
    // only the others are judged.
    let mut resources = vec![0; placement.slots.len()];
    for s in &subjects {
        if let Some(count) = placement.slot_of(s.node).and_then(|i| resources.get_mut(i)) {
            *count += 1;
        }
    }
    let templates: Vec<crate::review::lint::TemplateSize> = placement
        .slots
        .iter()
        .zip(resources)
        .filter(|(slot, _)| !matches!(slot.kind, SlotKind::Overflow { .. }))
        .map(|(slot, resources)| crate::review::lint::TemplateSize {
            node: match slot.kind {
                SlotKind::Member { carrier } => carrier,
                _ => slot.stack,
            },
            name: slot.name.clone(),
            resources,
        })
        .collect();
    let mut warnings = Vec::new();
    crate::review::lint::run(
        app,
        &subjects,
        &templates,
        &|n| model.path(n),
        app.quotas(),
        errors,
        &mut warnings,
    );
    warnings
}

/// The result of a scoped thread; its panic is the caller's, as if it had run on this
/// thread.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Whether any diagnostic fails synthesis (warnings do not).
fn has_errors(diagnostics: &[crate::Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity == crate::Severity::Error)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a, 'm> {
    version: u32,
    deploy_to: &'static str,
    home_region: &'a str,
    steps: &'a [plan::Step],
    stacks: &'a [StackEntry],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    imports: &'a [import::ImportEntry],
    stack_sets: Vec<ManifestStackSet<'a, 'm>>,
    /// The warnings synthesis reported (lint rules among them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<ManifestWarning<'a>>,
}

#[derive(Serialize)]
struct ManifestWarning<'a> {
    path: &'a str,
    rule: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManifestStackSet<'a, 'm> {
    #[serde(flatten)]
    entry: &'a StackSetEntry,
    properties: &'a ManifestProperties<'m, 'm>,
}
