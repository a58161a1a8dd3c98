//! The synthesized assembly: rendered templates and the manifest, written atomically.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Error, Result};

/// File name of the manifest inside an assembly directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// File name of the deploy plan inside an assembly directory.
pub const DEPLOY_PLAN_FILE: &str = "deploy-plan.md";

/// What a rendered template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum ArtifactKind {
    /// A stack deployed in the management account.
    Stack,
    /// A StackSet's member template, embedded as `TemplateBody` in its parent and written
    /// out for review.
    StackSetMember,
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
            ArtifactKind::Stack => format!("{stack_name}.template.json"),
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
    artifacts: Vec<Artifact>,
    manifest: String,
    deploy_plan: String,
    deploy_order: Vec<String>,
    warnings: Vec<crate::Diagnostic>,
    timings: PhaseTimings,
}

impl Assembly {
    pub(crate) fn new(
        artifacts: Vec<Artifact>,
        manifest: String,
        deploy_plan: String,
        stacks: &[StackEntry],
        warnings: Vec<crate::Diagnostic>,
        timings: PhaseTimings,
    ) -> Self {
        Assembly {
            warnings,
            deploy_plan,
            artifacts,
            manifest,
            deploy_order: stacks.iter().map(|s| s.name.clone()).collect(),
            timings,
        }
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
    }

    /// Writes the assembly to `dir`, replacing what was there, atomically: the files are
    /// written to a sibling directory that is then renamed into place. If anything fails,
    /// an earlier assembly at `dir` is left as it was.
    ///
    /// `dir` belongs to the assembly: files in it that the assembly does not write are
    /// removed.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path that could not be written.
    pub fn write_to(&mut self, dir: impl AsRef<Path>) -> Result<()> {
        let start = Instant::now();
        self.write_staged(dir.as_ref(), &mut |_| Ok(()))?;
        self.timings.write = start.elapsed();
        Ok(())
    }

    /// `write_to`, with `after_file` called after each file is written (a test seam for
    /// failures in the middle of writing).
    fn write_staged(
        &self,
        dir: &Path,
        after_file: &mut dyn FnMut(&Path) -> std::io::Result<()>,
    ) -> Result<()> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "assembly".into());
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let staging = parent.join(format!(".{name}.staging"));
        let old = parent.join(format!(".{name}.previous"));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        fs::create_dir(&staging).map_err(io(&staging))?;
        let result = (|| {
            for a in &self.artifacts {
                let path = staging.join(&a.file_name);
                fs::write(&path, &a.body).map_err(io(&path))?;
                after_file(&path).map_err(io(&path))?;
            }
            for (name, body) in [
                (MANIFEST_FILE, &self.manifest),
                (DEPLOY_PLAN_FILE, &self.deploy_plan),
            ] {
                let path = staging.join(name);
                fs::write(&path, body).map_err(io(&path))?;
                after_file(&path).map_err(io(&path))?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        let had_previous = dir.exists();
        if had_previous {
            fs::rename(dir, &old).map_err(io(dir))?;
        }
        if let Err(source) = fs::rename(&staging, dir) {
            if had_previous {
                let _ = fs::rename(&old, dir);
            }
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        if had_previous {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::CfnResource;
    use crate::cfn::Resource;
    use crate::App;

    fn read_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    fn app(topics: &[&str]) -> App {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        for t in topics {
            app.add(&s, CfnResource::new(*t, Resource::new("AWS::SNS::Topic")))
                .unwrap();
        }
        app.stack("Second").unwrap();
        app
    }

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("orgstack-assembly-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn failure_while_writing_leaves_previous_assembly_byte_identical() {
        let root = tmp("atomic");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        let before = read_dir(&out);
        assert_eq!(before.len(), 4, "two templates, the manifest and the plan");

        let next = app(&["A", "B"]).synth().unwrap();
        let mut written = 0;
        let err = next
            .write_staged(&out, &mut |_| {
                written += 1;
                if written == 2 {
                    Err(std::io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert_eq!(written, 2, "the failure came after writing began");
        assert_eq!(read_dir(&out), before);
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn writing_replaces_the_previous_assembly() {
        let root = tmp("replace");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        fs::write(out.join("stale.json"), "{}").unwrap();
        app(&["A", "B"]).synth_to(&out).unwrap();
        let files: Vec<String> = read_dir(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            files,
            [
                "Main.template.json",
                "Second.template.json",
                "deploy-plan.md",
                "manifest.json"
            ]
        );
        let main = fs::read_to_string(out.join("Main.template.json")).unwrap();
        assert!(main.contains("\"B"), "{main}");
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn validation_failure_writes_nothing() {
        let root = tmp("invalid");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        let before = read_dir(&out);
        let mut bad = app(&["A"]);
        bad.stack("not_valid").unwrap();
        assert!(bad.synth_to(&out).is_err());
        assert_eq!(read_dir(&out), before);
        fs::remove_dir_all(&root).unwrap();
    }
}
