//! Reaching the templates of a synthesized [`Assembly`], and snapshotting them.

use serde_json::Value;

use crate::app::{Artifact, Assembly, Findable};

use super::error::TemplateError;
use super::template::Template;

impl Template {
    /// The template of one stack (or StackSet member template) of an assembly, by the
    /// name the assembly gives it.
    ///
    /// ```
    /// use orgstack::{App, cfn::Resource, testing::Template};
    /// let mut app = App::new();
    /// let stack = app.stack("Main")?;
    /// app.add(&stack, orgstack::CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")))?;
    /// let assembly = app.synth()?;
    /// let t = Template::from_stack(&assembly, "Main")?;
    /// t.resource_count_is("AWS::SNS::Topic", 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`TemplateError::UnknownStack`] if the assembly has no such stack.
    pub fn from_stack(assembly: &Assembly, stack_name: &str) -> Result<Template, TemplateError> {
        match assembly.artifact(stack_name) {
            Some(artifact) => Template::from_artifact(assembly, artifact),
            None => Err(TemplateError::UnknownStack {
                name: stack_name.to_owned(),
                available: assembly
                    .artifacts()
                    .iter()
                    .map(|a| a.stack_name.clone())
                    .collect(),
            }),
        }
    }

    /// The template a construct is rendered as or into, by its handle: a stack's own
    /// template, a StackSet's member template (for the StackSet's handle or its
    /// `template()`), or the template that holds a resource, parameter or subtree — no
    /// logical ID or template name needed.
    ///
    /// ```
    /// use orgstack::{App, iam::Role, stackset::StackSet, testing::Template};
    /// use orgstack::org::{Organization, OrganizationalUnit};
    /// let mut app = App::new();
    /// let mgmt = app.stack("Management")?;
    /// let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// let ou = app.add(&org, OrganizationalUnit::new("Workloads"))?;
    /// let roles = app.add(&mgmt, StackSet::new("Roles", "roles").target(&ou))?;
    /// let admin = app.add(&roles.template(), Role::assumable_with_mfa("Admin", "111111111111"))?;
    /// let assembly = app.synth()?;
    ///
    /// let member = Template::for_construct(&assembly, &roles)?;
    /// assert_eq!(member.name(), "Management.Roles.Template");
    /// member.resource_count_is("AWS::IAM::Role", 1);
    /// assert_eq!(member.resource_for(&assembly, &admin).unwrap()["Type"], "AWS::IAM::Role");
    /// assert_eq!(Template::for_path(&assembly, "Management/Roles")?, member);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`TemplateError::UnknownConstruct`] for a handle of another app, or a construct left
    /// out of every template.
    pub fn for_construct(
        assembly: &Assembly,
        construct: &(impl Findable + ?Sized),
    ) -> Result<Template, TemplateError> {
        match assembly.artifact_for(construct) {
            Some(artifact) => Template::from_artifact(assembly, artifact),
            None => Err(TemplateError::UnknownConstruct {
                construct: "the construct of this handle".to_owned(),
            }),
        }
    }

    /// As [`for_construct`](Template::for_construct), by construct path
    /// (`Management/Roles`, `Management/Roles/Template/Admin`).
    ///
    /// # Errors
    /// [`TemplateError::UnknownConstruct`] if the assembly has no construct at `path`.
    pub fn for_path(assembly: &Assembly, path: &str) -> Result<Template, TemplateError> {
        match assembly.artifact_at(path) {
            Some(artifact) => Template::from_artifact(assembly, artifact),
            None => Err(TemplateError::UnknownConstruct {
                construct: format!("`{path}`"),
            }),
        }
    }

    fn from_artifact(assembly: &Assembly, artifact: &Artifact) -> Result<Template, TemplateError> {
        let mut template = Template::from_json(&artifact.stack_name, &artifact.body)?;
        template.member_names = assembly
            .members_of(&artifact.stack_name)
            .map(|(id, name)| (id.to_owned(), name.to_owned()))
            .collect();
        Ok(template)
    }

    /// The resource (or parameter) a handle names, as this template renders it; `None`
    /// when it is not in this template.
    ///
    /// ```
    /// use orgstack::{App, CfnResource, cfn::Resource, testing::Template};
    /// let mut app = App::new();
    /// let stack = app.stack("Main")?;
    /// let topic = app.add(&stack, CfnResource::new("Alerts", Resource::new("AWS::SNS::Topic")))?;
    /// let assembly = app.synth()?;
    /// let main = Template::for_construct(&assembly, &stack)?;
    /// assert_eq!(main.resource_for(&assembly, &topic).unwrap()["Type"], "AWS::SNS::Topic");
    /// assert_eq!(main.resource_at(&assembly, "Main/Alerts"), main.resource_for(&assembly, &topic));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resource_for(
        &self,
        assembly: &Assembly,
        construct: &(impl Findable + ?Sized),
    ) -> Option<&Value> {
        let id = assembly.logical_id(construct)?;
        self.resources.get(id).or_else(|| self.parameters.get(id))
    }

    /// As [`resource_for`](Template::resource_for), by construct path.
    pub fn resource_at(&self, assembly: &Assembly, path: &str) -> Option<&Value> {
        let id = assembly.logical_id_at(path)?;
        self.resources.get(id).or_else(|| self.parameters.get(id))
    }

    /// Every template of an assembly, member templates first, as the assembly lists them.
    ///
    /// # Errors
    /// As [`Template::from_json`] (never for an assembly the library synthesized).
    pub fn all_from_assembly(assembly: &Assembly) -> Result<Vec<Template>, TemplateError> {
        assembly
            .artifacts()
            .iter()
            .map(|a| Template::from_artifact(assembly, a))
            .collect()
    }
}

/// Every file of an assembly as `(snapshot name, exact bytes)`, in the order it writes them,
/// each under its file name without its extension: the templates — the StackSet member
/// templates first (`Management.Roles.Template.stackset.template`), then the stacks
/// (`Management.template`) — then the manifest (`manifest`), the deploy plan
/// (`deploy-plan`), the organization's diagram (`organization`, written as
/// `organization.mmd`) and the other [`Assembly::files`] (the resources to import of a stack
/// that adopts what exists, `Management.import.resources`).
///
/// [`assert_snapshots!`](crate::assert_snapshots) (feature `snapshots`) snapshots them all
/// byte for byte and reports every change at once; a loop of `insta::assert_snapshot!` stops
/// at the first changed file and compares text with trailing whitespace trimmed.
///
/// ```
/// use orgstack::{App, cfn::Resource, testing};
/// let mut app = App::new();
/// let stack = app.stack("Main")?;
/// app.add(&stack, orgstack::CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")))?;
/// let assembly = app.synth()?;
/// let files = testing::snapshot_files(&assembly);
/// let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
/// assert_eq!(names, ["Main.template", "manifest", "deploy-plan", "organization"]);
/// assert_eq!(files[3].1, assembly.diagram());
/// # Ok::<(), orgstack::Error>(())
/// ```
pub fn snapshot_files(assembly: &Assembly) -> Vec<(String, &str)> {
    let mut files: Vec<(String, &str)> = assembly
        .artifacts()
        .iter()
        .map(|a| {
            let name = a
                .file_name
                .strip_suffix(".json")
                .unwrap_or(&a.file_name)
                .to_owned();
            (name, a.body.as_str())
        })
        .collect();
    files.push(("manifest".to_owned(), assembly.manifest()));
    files.push(("deploy-plan".to_owned(), assembly.deploy_plan()));
    files.extend(assembly.files().map(|(name, body)| {
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        (stem.to_owned(), body)
    }));
    files
}
