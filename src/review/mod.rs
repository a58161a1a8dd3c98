//! Reviewing a change before it deploys: an offline diff of two assemblies.
//!
//! [`diff`] compares two assemblies — two `cdk.out/` directories, the files committed in
//! a repository, main's assembly in CI ([`AssemblyFiles::read`]), or an [`Assembly`]
//! in memory ([`AssemblyFiles::from_assembly`]) — resource by resource, each template
//! (stack or StackSet member template) on its own, and classifies every [`Change`]:
//!
//! - [`ChangeClass::Replacement`]: a createOnly property changed (from the resource
//!   schemas, embedded), a logical ID changed, a resource moved to another stack, its type
//!   changed. For an account, CloudFormation would try to create a new account.
//! - [`ChangeClass::UpdateNotSupported`]: an account's `AccountName`, `Email` or
//!   `RoleName`. The update and its rollback both fail; the change says which AWS CLI step
//!   makes it instead.
//! - [`ChangeClass::Dangerous`]: `Retain` removed; an account, OU, policy or StackSet
//!   deleted; an SCP or RCP whose content changed and, evaluated by the access simulator,
//!   lets through a request it denied before or is not proven not to, or that no longer
//!   attaches to a target; an MFA condition weakened (`Bool` to `BoolIfExists` or none, `aws:MultiFactorAuthAge` dropped or raised, a
//!   deny-without-MFA gone); a StackSet target or region removed; an export removed while
//!   a stack still imports it.
//! - [`ChangeClass::Safe`]: everything else.
//!
//! Two assemblies that render the same resources — a pure refactor — have no change.
//!
//! ```
//! use orgstack::review::{self, Acknowledgements, AssemblyFiles, ChangeClass, ChangeKind};
//! use orgstack::{App, org::{Account, Organization}};
//!
//! fn build(email: &str) -> orgstack::Result<orgstack::app::Assembly> {
//!     let mut app = App::new();
//!     let mgmt = app.stack("Management")?;
//!     let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
//!     app.add(&org, Account::new("Prod", email))?;
//!     app.synth()
//! }
//!
//! let old = AssemblyFiles::from_assembly(&build("aws+prod@acme.example")?)?;
//! let new = AssemblyFiles::from_assembly(&build("aws+production@acme.example")?)?;
//! let diff = review::diff(&old, &new);
//! let change = &diff.changes()[0];
//! assert_eq!(change.class, ChangeClass::UpdateNotSupported);
//! assert!(change.remedy.as_deref().unwrap().contains("aws account start-primary-email-update"));
//!
//! // Blocking until acknowledged by its stable id.
//! let mut acks = Acknowledgements::new();
//! assert_eq!(diff.unacknowledged(&acks).len(), 1);
//! acks.insert(change.id.clone());
//! assert!(diff.unacknowledged(&acks).is_empty());
//! println!("{}", diff.to_markdown(&acks)); // or diff.to_json(&acks)
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## SCPs and RCPs: decided by the access simulator
//!
//! Whether a changed SCP or RCP now allows a request it denied is decided by evaluating
//! requests, not by comparing text. The diff generates the requests from both documents
//! ([`requests`]: their actions, resources, regions and condition values) and asks a
//! [`PolicyDecider`] what each document says about each: [`diff`] asks the access
//! simulator ([`SimulatorDecider`], the evaluator of [`crate::access`]), [`diff_with`] a
//! decider of your own. A document's answer is a [`PolicyAnswer`] — denied, matched by no
//! statement, allowed — and a change loosens when some request's answer rises: SCPs and
//! RCPs at a target work together (`FullAWSAccess` beside a deny-list SCP), so a `Deny`
//! that no longer applies lets the request through.
//!
//! - A request whose answer rose: *dangerous*, and the change's message names it (action,
//!   resource, region, context, and both answers).
//! - Every request decided and none rose: *safe*, "proven: no request the old policy
//!   denied is allowed now, N requests" — a reordering, a reformatting, an added `Deny`.
//! - A request the decider cannot decide (an intrinsic where a value belongs, content
//!   that is not JSON): *dangerous unless proven safe*.
//!
//! What it does not prove: only the generated requests are evaluated. A request that
//! differs from every one of them only in a condition key neither document tests, or in
//! two condition keys at once (each context sets one key), is not tried; a document is
//! judged on its own, not with the policies attached beside it; past [`MAX_REQUESTS`]
//! the change stays unproven.
//!
//! [`Assembly`]: crate::app::Assembly

pub mod diagram;
#[rustfmt::skip]
mod actions;
mod diff;
mod files;
pub mod lint;
mod policy;
pub mod profiles;
mod report;
#[rustfmt::skip]
mod schema_facts;
mod semantic;

pub use diff::{
    diff, diff_with, Change, ChangeClass, ChangeKind, Diff, TemplateStatus, TemplateSummary,
};
pub use files::{AssemblyFiles, ReviewError, TemplateKind};
pub use policy::{requests, PolicyAnswer, PolicyDecider, Request, MAX_REQUESTS};
pub use report::Acknowledgements;
pub use semantic::SimulatorDecider;
