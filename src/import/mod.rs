//! What you have, as code: read what the AWS CLI prints about an organization, adopt it into
//! an [`App`](crate::App), or write the Rust program that does.
//!
//! `scripts/export-organization.sh DIR` saves one JSON file per AWS CLI call, named after
//! the command and its argument:
//!
//! | file | holds |
//! |---|---|
//! | `describe-organization.json` | the organization's id and management account |
//! | `list-roots.json` | the root, and the policy types enabled on it |
//! | `list-organizational-units-for-parent/<parent id>.json` | the OUs under the root and under every OU |
//! | `list-accounts-for-parent/<parent id>.json` | the accounts under the root and under every OU |
//! | `list-policies/<policy type>.json` | the policies of each type enabled on the root |
//! | `describe-policy/<policy id>.json` | each policy's content |
//! | `list-targets-for-policy/<policy id>.json` | what each policy is attached to |
//!
//! [`Inventory::read_dir`] parses them into typed values (every id checked, as
//! [`aws`](crate::aws) types); anything malformed is an [`ImportError`] naming the file and
//! the JSON path. [`to_spec`] writes the [`OrgSpec`](crate::spec::OrgSpec) that adopts
//! every OU, member account and policy of your own by its id (`"adopt": "ou-…"`…),
//! to commit and edit as configuration. [`adopt`] adds the same to an app (`adopt(id)`:
//! rendered with `Retain`, imported by the deploy plan, never created), and returns the
//! handles to build on. [`write_rust`] writes the program that does the same, to commit
//! and edit as code. The three synthesize byte-identical files.
//!
//! ```
//! use orgstack::{App, import::{self, Inventory}, org::Account};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/moto");
//! let inventory = Inventory::read_dir(dir)?;
//! let mut app = App::new();
//! let management = app.stack("Management")?;
//! let adopted = import::adopt(&mut app, &management, &inventory)?;
//! // What is new is added as usual, beside what exists.
//! let sandbox = adopted.ou_named("Suspended").unwrap();
//! app.add(&sandbox, Account::new("Scratch", "scratch@aws.acme.example"))?;
//!
//! let assembly = app.synth()?;
//! assert!(assembly.deploy_plan().contains("--change-set-type IMPORT"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod adopt;
mod inventory;
mod json;
mod read;
mod rust;
mod spec;

use std::path::PathBuf;

pub use adopt::{adopt, Adopted};
pub use inventory::{
    AccountInfo, Inventory, OrganizationInfo, OuInfo, ParentId, PolicyInfo, RootInfo, TargetId,
};
pub use rust::write_rust;
pub use spec::to_spec;

/// What went wrong reading an export.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A file could not be read (a file the export script writes is missing, or
    /// unreadable).
    #[error("could not read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not JSON.
    #[error("`{}` is not JSON", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's error, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// A file is JSON, but not what the AWS CLI prints for its call: a field is missing or
    /// of the wrong type, an id is malformed, an OU is listed twice.
    #[error("`{}` at {pointer}: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The JSON path of the offending value, e.g. `$.Accounts[2].Id`.
        pointer: String,
        /// What is wrong.
        message: String,
    },
}
