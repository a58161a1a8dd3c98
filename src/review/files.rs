//! An assembly as the diff reads it: the templates and the manifest of a directory on disk
//! (a `cdk.out/`, the committed files of a repository, main's assembly in CI), or of an
//! [`Assembly`](crate::Assembly) in memory.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::app::Assembly;
use crate::app::MANIFEST_FILE;

/// What can go wrong while reading an assembly to compare it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// A directory or file could not be read.
    #[error("could not read `{}`", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A template or the manifest is not the JSON an assembly holds.
    #[error("`{}` is not a template or manifest of an assembly", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// The directory holds no `*.template.json` file.
    #[error("`{}` holds no template (`*.template.json`): is it an assembly directory?", path.display())]
    NoTemplates {
        /// The directory.
        path: PathBuf,
    },
}

/// Where a template deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum TemplateKind {
    /// A stack of the management account (`<Stack>.template.json`).
    Stack,
    /// A StackSet's member template (`<…>.stackset.template.json`), deployed in member
    /// accounts.
    StackSetMember,
}

/// One resource of a template, as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ResourceDoc {
    #[serde(rename = "Type")]
    pub(crate) resource_type: String,
    #[serde(rename = "Properties", default)]
    pub(crate) properties: IndexMap<String, Value>,
    #[serde(rename = "DeletionPolicy", default)]
    pub(crate) deletion_policy: Option<String>,
    #[serde(rename = "UpdateReplacePolicy", default)]
    pub(crate) update_replace_policy: Option<String>,
    #[serde(rename = "DependsOn", default)]
    pub(crate) depends_on: Option<Value>,
    #[serde(rename = "Metadata", default)]
    pub(crate) metadata: Option<Value>,
    #[serde(rename = "Condition", default)]
    pub(crate) condition: Option<Value>,
}

/// One output of a template, as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct OutputDoc {
    #[serde(rename = "Value", default)]
    pub(crate) value: Value,
    #[serde(rename = "Export", default)]
    pub(crate) export: Option<ExportDoc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ExportDoc {
    #[serde(rename = "Name")]
    pub(crate) name: Value,
}

#[derive(Debug, Deserialize)]
struct TemplateDoc {
    #[serde(rename = "Resources", default)]
    resources: IndexMap<String, Box<RawValue>>,
    #[serde(rename = "Outputs", default)]
    outputs: IndexMap<String, OutputDoc>,
}

/// One template of an assembly, parsed.
#[derive(Debug, Clone)]
pub(crate) struct TemplateFile {
    /// The stack name (for a member template: its name before `.stackset.template.json`).
    pub(crate) name: String,
    pub(crate) kind: TemplateKind,
    /// Each resource as written: parsed only when it differs from the other side.
    pub(crate) resources: IndexMap<String, Box<RawValue>>,
    pub(crate) outputs: IndexMap<String, OutputDoc>,
    /// The length and hash of the bytes read: templates with the same digest are
    /// not compared resource by resource.
    pub(crate) digest: (usize, u64),
}

#[derive(Debug, Default, Deserialize)]
struct ManifestDoc {
    #[serde(default)]
    stacks: Vec<ManifestStack>,
    #[serde(rename = "stackSets", default)]
    stack_sets: Vec<ManifestStackSet>,
}

#[derive(Debug, Deserialize)]
struct ManifestStack {
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ManifestStackSet {
    pub(crate) stack: String,
    #[serde(rename = "logicalId")]
    pub(crate) logical_id: String,
}

/// The templates and manifest of one assembly, parsed for [`diff`](super::diff).
#[derive(Debug, Clone)]
pub struct AssemblyFiles {
    /// Stacks in deploy order (the manifest's, then any it does not list, by name), then
    /// member templates by name.
    pub(crate) templates: Vec<TemplateFile>,
    pub(crate) stack_sets: Vec<ManifestStackSet>,
}

const MEMBER_SUFFIX: &str = ".stackset.template.json";
const STACK_SUFFIX: &str = ".template.json";

impl AssemblyFiles {
    /// Reads every `*.template.json` (stacks) and `*.stackset.template.json` (member
    /// templates) of `dir`, and its `manifest.json` when there is one (it orders the
    /// stacks and names the StackSet each member template belongs to). Other files are
    /// ignored.
    ///
    /// # Errors
    ///
    /// [`ReviewError::Io`] when the directory or a file cannot be read,
    /// [`ReviewError::Json`] when a template or the manifest is not valid, and
    /// [`ReviewError::NoTemplates`] when the directory holds no template.
    pub fn read(dir: impl AsRef<Path>) -> Result<Self, ReviewError> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| ReviewError::Io {
            path: path.to_owned(),
            source,
        };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let entry = entry.map_err(|e| io(dir, e))?;
            if let Some(name) = entry.file_name().to_str() {
                if name.ends_with(STACK_SUFFIX) {
                    names.push(name.to_owned());
                }
            }
        }
        names.sort();
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            let path = dir.join(&name);
            let body = std::fs::read(&path).map_err(|e| io(&path, e))?;
            files.push((name, path, body));
        }
        let manifest_path = dir.join(MANIFEST_FILE);
        let manifest = match std::fs::read(&manifest_path) {
            Ok(body) => Some((manifest_path, body)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&manifest_path, e)),
        };
        if files.is_empty() {
            return Err(ReviewError::NoTemplates {
                path: dir.to_owned(),
            });
        }
        Self::parse(files, manifest)
    }

    /// The templates and manifest of an assembly in memory, as [`AssemblyFiles::read`]
    /// would read them once written.
    ///
    /// # Errors
    ///
    /// [`ReviewError::Json`] if a template does not parse (which synthesis never writes).
    pub fn from_assembly(assembly: &Assembly) -> Result<Self, ReviewError> {
        let files = assembly
            .artifacts()
            .iter()
            .map(|a| {
                (
                    a.file_name.clone(),
                    PathBuf::from(&a.file_name),
                    a.body.as_bytes().to_vec(),
                )
            })
            .collect();
        let manifest = Some((
            PathBuf::from(MANIFEST_FILE),
            assembly.manifest().as_bytes().to_vec(),
        ));
        Self::parse(files, manifest)
    }

    fn parse(
        files: Vec<(String, PathBuf, Vec<u8>)>,
        manifest: Option<(PathBuf, Vec<u8>)>,
    ) -> Result<Self, ReviewError> {
        let manifest: ManifestDoc = match manifest {
            Some((path, body)) => serde_json::from_slice(&body)
                .map_err(|source| ReviewError::Json { path, source })?,
            None => ManifestDoc::default(),
        };
        // Parsing dominates on large assemblies: split the files over two threads.
        let parse_all = |chunk: Vec<(String, PathBuf, Vec<u8>)>| {
            chunk
                .into_iter()
                .map(|(name, path, body)| parse_template(&name, path, &body))
                .collect::<Result<Vec<_>, _>>()
        };
        let mut files = files;
        let second = files.split_off(files.len() / 2);
        let (first, second) = std::thread::scope(|s| {
            let handle = s.spawn(|| parse_all(second));
            let first = parse_all(files);
            (first, handle.join())
        });
        let mut templates = first?;
        match second {
            Ok(parsed) => templates.extend(parsed?),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        let position = |t: &TemplateFile| {
            let in_manifest = manifest.stacks.iter().position(|s| s.name == t.name);
            (
                t.kind == TemplateKind::StackSetMember,
                in_manifest.unwrap_or(usize::MAX),
                t.name.clone(),
            )
        };
        templates.sort_by_cached_key(position);
        Ok(AssemblyFiles {
            templates,
            stack_sets: manifest.stack_sets,
        })
    }

    /// The names of the templates read, stacks first in deploy order.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.templates.iter().map(|t| t.name.as_str())
    }

    /// How many resources the templates hold together.
    pub fn resource_count(&self) -> usize {
        self.templates.iter().map(|t| t.resources.len()).sum()
    }
}

impl TemplateFile {
    /// The resource `lid`, parsed.
    pub(crate) fn resource(&self, lid: &str) -> Option<ResourceDoc> {
        self.resources.get(lid).map(|raw| parse_resource(raw))
    }
}

/// A resource as written; one that is not the object a template holds (which synthesis
/// never writes) reads as a resource of type `(unreadable)`, so that any change to it
/// shows as a change of type.
pub(crate) fn parse_resource(raw: &RawValue) -> ResourceDoc {
    serde_json::from_str(raw.get()).unwrap_or_else(|_| ResourceDoc {
        resource_type: "(unreadable)".to_owned(),
        properties: IndexMap::new(),
        deletion_policy: None,
        update_replace_policy: None,
        depends_on: None,
        metadata: None,
        condition: None,
    })
}

fn parse_template(name: &str, path: PathBuf, body: &[u8]) -> Result<TemplateFile, ReviewError> {
    let (stem, kind) = match name.strip_suffix(MEMBER_SUFFIX) {
        Some(stem) => (stem, TemplateKind::StackSetMember),
        None => (
            name.strip_suffix(STACK_SUFFIX).unwrap_or(name),
            TemplateKind::Stack,
        ),
    };
    let doc: TemplateDoc =
        serde_json::from_slice(body).map_err(|source| ReviewError::Json { path, source })?;
    // SipHash with fixed keys: the digest is only compared within one process.
    let mut hash = std::hash::DefaultHasher::new();
    std::hash::Hasher::write(&mut hash, body);
    Ok(TemplateFile {
        name: stem.to_owned(),
        kind,
        resources: doc.resources,
        outputs: doc.outputs,
        digest: (body.len(), std::hash::Hasher::finish(&hash)),
    })
}
