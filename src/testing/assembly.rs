//! Reaching the templates of a synthesized [`Assembly`], and snapshotting them.

use crate::app::Assembly;

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
        match assembly.template_json(stack_name) {
            Some(json) => Template::from_json(stack_name, json),
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

    /// Every template of an assembly, member templates first, as the assembly lists them.
    ///
    /// # Errors
    /// As [`Template::from_json`] (never for an assembly the library synthesized).
    pub fn all_from_assembly(assembly: &Assembly) -> Result<Vec<Template>, TemplateError> {
        assembly
            .artifacts()
            .iter()
            .map(|a| Template::from_json(&a.stack_name, &a.body))
            .collect()
    }
}

/// Every file of an assembly as `(snapshot name, exact bytes)`, in the order it writes them:
/// each template under its file name without `.json` — the StackSet member templates first
/// (`Management.Roles.Template.stackset.template`), then the stacks (`Management.template`)
/// — then the manifest (`manifest`) and the deploy plan (`deploy-plan`).
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
/// assert_eq!(files[0].0, "Main.template");
/// assert_eq!(files.last().unwrap().0, "deploy-plan");
/// assert_eq!(files.len(), 3);
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
    files
}
