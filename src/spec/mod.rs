//! Configuration instead of code: a foundation as a JSON spec ([`OrgSpec`]), with a JSON
//! Schema, lowered onto the same constructs as the Rust API.
//!
//! The same foundation from either path writes byte-identical files: the spec is read into
//! typed values, and [`OrgSpec::to_app`] adds the layout, OUs, accounts, policies, grants
//! and StackSets with the constructs a Rust program would use, in that order.
//!
//! ```
//! use orgstack::spec::OrgSpec;
//!
//! let spec = OrgSpec::from_json(r#"{
//!   "layout": { "name": "acme", "email_domain": "aws.acme.example" },
//!   "organizational_units": [ { "name": "Sandbox", "parent": "Workloads" } ],
//!   "accounts": [ { "name": "Playground", "email": "play@aws.acme.example", "ou": "Workloads/Sandbox" } ]
//! }"#)?;
//! let assembly = spec.to_app()?.synth()?;
//! assert!(assembly.template_json("Management").unwrap().contains("\"AccountName\": \"Playground\""));
//! # Ok::<(), orgstack::spec::SpecError>(())
//! ```
//!
//! ## What exists
//!
//! Most organizations exist already. A spec adopts what exists into CloudFormation
//! management as the constructs do (imported by the deploy plan, never created, kept if
//! the stack goes): `"adopt": "ou-…"` on an OU ([`OuSpec::adopt`]), `"adopt":
//! "123456789012"` on an account ([`AccountSpec::adopt`]), `"adopt": "p-…"` on a policy
//! ([`PolicySpec::adopt`], its content as it exists) with the attachments that exist in
//! `adopted_targets`; `"existing": "ou-…"` only references an OU ([`OuSpec::existing`]),
//! as `existing_accounts` do accounts. What the spec adopts or references is named by its
//! id as well, wherever an OU or an account is named. [`crate::import::to_spec`] writes the
//! spec of an organization from what the AWS CLI exports.
//!
//! ## Errors name their place in the JSON
//!
//! - JSON that does not parse: [`SpecError::Syntax`] with the line and column;
//! - a field the spec does not know, a value of the wrong type, a missing field:
//!   [`SpecError::Shape`], every one found, each with its JSON path;
//! - a foundation that breaks a rule (a bad e-mail, an OU or account referred to that the
//!   spec does not define, a name given twice, a policy over its quota, a policy document
//!   the policy language cannot express): [`SpecError::Validation`], every problem at once,
//!   each [`Diagnostic`](crate::Diagnostic) with the JSON path as its
//!   [`source`](crate::Diagnostic::source).
//!
//! ```
//! use orgstack::spec::{OrgSpec, SpecError};
//!
//! let err = OrgSpec::from_json(r#"{ "accounts": [ { "name": "A" } ] }"#).unwrap_err();
//! assert_eq!(err.json_paths(), ["$.accounts[0].email"]);
//!
//! let spec = OrgSpec::from_json(r#"{ "accounts": [ { "name": "A", "email": "a@acme.example", "ou": "Nowhere" },
//!                                                { "name": "B", "email": "nope" } ] }"#)?;
//! let err = spec.to_app()?.synth().unwrap_err();
//! assert_eq!(err.json_paths(), ["$.accounts[0].ou", "$.accounts[1].email"]);
//! # Ok::<(), SpecError>(())
//! ```
//!
//! ## The schema
//!
//! [`schema`] returns the JSON Schema (from schemars, the doc comments of the types as
//! descriptions); the repository holds it as `schema/orgspec.schema.json`, and a test fails
//! when the types and the file differ. Point an editor at it with `"$schema"`.
//!
//! Policy documents of SCPs, RCPs, roles and managed policies are written in AWS's own JSON
//! policy grammar and read into the typed policy language ([`crate::iam::PolicyDocument`]);
//! the management policy types (tag, backup, AI services opt-out…) take their JSON as is.

mod error;
mod json;
mod layout;
mod lower;
mod parse;
mod policy;
mod position;
mod sources;
mod stack_sets;
mod types;

pub use error::{ShapeProblem, SpecError};
pub use json::Json;
pub use lower::SpecApp;
pub use types::*;

impl OrgSpec {
    /// Reads a spec from its JSON text.
    ///
    /// # Errors
    /// [`SpecError::Syntax`] for text that is not JSON; [`SpecError::Shape`] with every
    /// unknown, mistyped or missing field, each with its JSON path.
    pub fn from_json(text: &str) -> Result<OrgSpec, SpecError> {
        parse::parse(text)
    }

    /// The spec as pretty JSON (2-space indented, a trailing newline), fields in the order
    /// of the types; what an import writes.
    ///
    /// # Errors
    /// [`SpecError::Synth`] if it cannot be rendered.
    pub fn to_json(&self) -> Result<String, SpecError> {
        crate::cfn::render::pretty(self)
            .map_err(|e| SpecError::Synth(crate::Error::Render(e.to_string())))
    }

    /// Lowers the spec onto a new [`App`](crate::App), with the constructs the Rust API
    /// offers; synthesize it with [`SpecApp::synth`] or [`SpecApp::synth_to`].
    ///
    /// # Errors
    /// Problems found while adding constructs are reported at synthesis, with every
    /// other; this fails only as [`App::add`](crate::App::add) can.
    pub fn to_app(&self) -> Result<SpecApp, SpecError> {
        lower::lower(self)
    }
}

/// The JSON Schema of [`OrgSpec`], as pretty JSON with object keys sorted (2-space
/// indented, a trailing newline): the same bytes whatever `serde_json` features the build
/// unifies.
pub fn schema() -> String {
    let schema = schemars::schema_for!(OrgSpec);
    let value = sorted(&schema.to_value());
    // A tree of plain JSON values always renders.
    crate::cfn::render::pretty(&value).unwrap_or_default()
}

/// A `serde_json` value as a template value whose objects have sorted keys.
fn sorted(v: &serde_json::Value) -> crate::cfn::Value {
    use crate::cfn::Value;
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.clone()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(sorted).collect()),
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = crate::cfn::Map::default();
            for k in keys {
                out.insert(k.clone().into(), sorted(&map[k]));
            }
            Value::Map(out)
        }
    }
}

/// Reads the spec `text`, lowers it and writes its assembly to `dir` atomically; nothing is
/// written, and no directory created, when the spec has a problem.
///
/// # Errors
/// As [`OrgSpec::from_json`] and [`SpecApp::synth_to`].
pub fn synth_to(
    text: &str,
    dir: impl AsRef<std::path::Path>,
) -> Result<crate::app::Assembly, SpecError> {
    OrgSpec::from_json(text)?.to_app()?.synth_to(dir)
}
