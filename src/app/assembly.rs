//! The synthesized assembly: rendered templates, the manifest and the deploy plan.

use std::time::Duration;

use serde::Serialize;

/// File name of the manifest inside an assembly directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// File name of the deploy plan inside an assembly directory.
pub const DEPLOY_PLAN_FILE: &str = "deploy-plan.md";
/// File name of the organization's diagram inside an assembly directory: the Mermaid
/// flowchart of [`review::diagram::mermaid`](crate::review::diagram::mermaid), also shown at
/// the end of the deploy plan.
pub const DIAGRAM_FILE: &str = "organization.mmd";

/// What a rendered template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum ArtifactKind {
    /// A stack deployed in the management account.
    Stack,
    /// A StackSet's member template, embedded as `TemplateBody` in its parent and written
    /// out for review.
    StackSetMember,
    /// The template that imports what exists into a stack before its first deploy
    /// (`<Stack>.import.template.json`): only the adopted resources, every reference
    /// written as the value that exists. Its resources to import are in
    /// [`Assembly::file`]`("<Stack>.import.resources.json")`.
    Import,
}

/// One rendered template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Artifact {
    /// The stack's name (for a member template: its construct path joined with dots).
    pub stack_name: String,
    /// The file the template is written to.
    pub file_name: String,
    /// Stack or member template.
    pub kind: ArtifactKind,
    /// The exact bytes written.
    pub body: String,
    /// Number of resources.
    pub resource_count: usize,
    /// Number of parameters.
    pub parameter_count: usize,
    /// Number of outputs.
    pub output_count: usize,
}

impl Artifact {
    pub(crate) fn new(
        stack_name: String,
        kind: ArtifactKind,
        body: String,
        resource_count: usize,
        parameter_count: usize,
        output_count: usize,
    ) -> Self {
        let file_name = match kind {
            ArtifactKind::Stack | ArtifactKind::Import => format!("{stack_name}.template.json"),
            ArtifactKind::StackSetMember => format!("{stack_name}.stackset.template.json"),
        };
        Artifact {
            stack_name,
            file_name,
            kind,
            body,
            resource_count,
            parameter_count,
            output_count,
        }
    }
}

/// How long each step of synthesis took. Not part of any output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PhaseTimings {
    /// Lowering typed constructs to resources, and the aspects.
    pub lower: Duration,
    /// Placing resources in templates (stack splitting).
    pub place: Duration,
    /// Logical IDs.
    pub name: Duration,
    /// Deciding the route of every reference.
    pub resolve: Duration,
    /// Construct and schema checks before rendering, and the quotas of the rendered
    /// templates after.
    pub validate: Duration,
    /// Rendering templates and the manifest to bytes.
    pub render: Duration,
    /// Writing the files (zero until written).
    pub write: Duration,
}

/// A stack in the manifest, in deploy order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StackEntry {
    pub(crate) name: String,
    pub(crate) template: String,
    pub(crate) resources: usize,
    pub(crate) depends_on: Vec<String>,
    /// Deployed before the prerequisites: it creates what they need (the organization).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) bootstrap: bool,
    /// Its template is over 51,200 bytes: it deploys through the template bucket.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) upload: bool,
    /// How many StackSets it holds.
    #[serde(skip)]
    pub(crate) stack_sets: usize,
}

/// A StackSet in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StackSetEntry {
    pub(crate) path: String,
    pub(crate) stack: String,
    pub(crate) logical_id: String,
    pub(crate) template: String,
    pub(crate) resources: usize,
}

/// The result of a synthesis: every template rendered, and the manifest.
#[derive(Debug, Clone)]
pub struct Assembly {
    pub(super) artifacts: Vec<Artifact>,
    pub(super) manifest: String,
    pub(super) deploy_plan: String,
    deploy_order: Vec<String>,
    warnings: Vec<crate::Diagnostic>,
    pub(super) timings: PhaseTimings,
    pub(super) lookup: super::lookup::Index,
    /// Files other than templates, the manifest and the plan, by name (the diagram, the
    /// resources to import).
    pub(super) files: Vec<(String, String)>,
}

impl Assembly {
    pub(crate) fn new(
        artifacts: Vec<Artifact>,
        manifest: String,
        deploy_plan: String,
        stacks: &[StackEntry],
        warnings: Vec<crate::Diagnostic>,
        timings: PhaseTimings,
        lookup: super::lookup::Index,
    ) -> Self {
        Assembly {
            lookup,
            warnings,
            deploy_plan,
            artifacts,
            manifest,
            deploy_order: stacks.iter().map(|s| s.name.clone()).collect(),
            timings,
            files: Vec::new(),
        }
    }

    /// The assembly with files other than templates added.
    pub(crate) fn with_files(mut self, files: Vec<(String, String)>) -> Self {
        self.files = files;
        self
    }

    /// A file of the assembly other than a template, the manifest and the plan, by name:
    /// the organization's diagram ([`DIAGRAM_FILE`], `organization.mmd`), and the resources
    /// to import of a stack that adopts what exists (`<Stack>.import.resources.json`, the
    /// `--resources-to-import` of its import).
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_str())
    }

    /// Every file of the assembly other than a template, the manifest and the plan, as
    /// `(name, exact bytes)`, in the order they are written: the diagram
    /// ([`DIAGRAM_FILE`]), then the resources to import of each stack that adopts what
    /// exists.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(n, b)| (n.as_str(), b.as_str()))
    }

    /// Every rendered template: member templates first, then stacks.
    pub fn artifacts(&self) -> &[Artifact] {
        &self.artifacts
    }

    /// The template of a stack (or member template) by name.
    pub fn artifact(&self, stack_name: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.stack_name == stack_name)
    }

    /// The rendered JSON of a stack by name.
    pub fn template_json(&self, stack_name: &str) -> Option<&str> {
        self.artifact(stack_name).map(|a| a.body.as_str())
    }

    /// The top-level stacks in the order they must be deployed.
    pub fn deploy_order(&self) -> &[String] {
        &self.deploy_order
    }

    /// The manifest's exact bytes.
    pub fn manifest(&self) -> &str {
        &self.manifest
    }

    /// The deploy plan (`deploy-plan.md`): the steps CloudFormation cannot do, and the
    /// commands that deploy the stacks in order.
    pub fn deploy_plan(&self) -> &str {
        &self.deploy_plan
    }

    /// The organization as a Mermaid flowchart, written as [`DIAGRAM_FILE`]
    /// (`organization.mmd`) and shown at the end of the deploy plan: OUs and accounts under
    /// the root, where the Organizations policies attach, and the roles people assume from
    /// another account ([`review::diagram`](crate::review::diagram)).
    ///
    /// ```
    /// use orgstack::{App, app::DIAGRAM_FILE, org::{Organization, OrganizationalUnit}};
    /// let mut app = App::new();
    /// let mgmt = app.stack("Management")?;
    /// let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// app.add(&org, OrganizationalUnit::new("Workloads"))?;
    /// let assembly = app.synth()?;
    /// assert!(assembly.diagram().starts_with("flowchart TB\n"));
    /// assert_eq!(assembly.file(DIAGRAM_FILE), Some(assembly.diagram()));
    /// assert!(assembly.deploy_plan().contains(assembly.diagram()));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn diagram(&self) -> &str {
        self.file(DIAGRAM_FILE).unwrap_or_default()
    }

    /// The diagnostics of warning severity synthesis reported but did not fail on.
    pub fn warnings(&self) -> &[crate::Diagnostic] {
        &self.warnings
    }

    /// How long each phase took.
    pub fn timings(&self) -> PhaseTimings {
        self.timings
    }

    /// Total bytes of every file of the assembly.
    pub fn total_bytes(&self) -> usize {
        self.manifest.len()
            + self.deploy_plan.len()
            + self.artifacts.iter().map(|a| a.body.len()).sum::<usize>()
            + self.files.iter().map(|(_, b)| b.len()).sum::<usize>()
    }
}
