//! # orgstack
//!
//! Describe an AWS multi-account foundation — the Organization, organizational units, member
//! accounts, IAM groups and roles, service control policies — as typed Rust constructs, and
//! synthesize it into CloudFormation templates and StackSets that deploy as they are.
//!
//! ## The reference layout in one call
//!
//! ```
//! use orgstack::{App, layouts::FiveAccountLayout, org::Account};
//!
//! let mut app = App::new();
//! let management = app.stack("Management")?;
//! let layout = app.add(&management, FiveAccountLayout::builder("acme")
//!     .email_domain("aws.acme.example")          // identity@…, audit@…, dev@… unless overridden
//!     .allowed_regions(["us-east-1", "eu-west-1"]) // STS nowhere else
//!     .alert_email("cloud-alerts@acme.example"))?;
//! // Handles to every part, to extend it; every account gets the layout's budget.
//! app.add(&layout.workloads_ou(), Account::new("Sandbox", "sandbox@aws.acme.example"))?;
//!
//! let assembly = app.synth()?; // or app.synth_to("cdk.out")?
//! assert_eq!(assembly.deploy_order(), ["Management-Bootstrap", "Management"]);
//! assert!(assembly.deploy_plan().contains("enable-policy-type"));
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! ## Building your own
//!
//! An [`App`] holds stacks; every construct is added the same way, with
//! [`App::add`]`(&parent, construct)`, and returns a handle ([`org::OuHandle`],
//! [`org::AccountHandle`], [`iam::RoleHandle`]…) that is both the parent of what goes
//! below it and a typed reference for other constructs. References are resolved at
//! synthesis: a `Ref`/`Fn::GetAtt` within a template, a parameter of a StackSet's member
//! template (set by the StackSet), or an export and import between stacks of the
//! management account.
//!
//! ```
//! use orgstack::iam::{PolicyDocument, Role, Statement};
//! use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
//! use orgstack::stackset::StackSet;
//! use orgstack::App;
//!
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
//! let security = app.add(&org, OrganizationalUnit::new("Security"))?;
//! let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
//! let identity = app.add(&security, Account::new("Identity", "aws+identity@acme.example"))?;
//!
//! let deny_leave = app.add(&org, Policy::service_control(
//!     "DenyLeaveOrganization",
//!     PolicyDocument::new().statement(
//!         Statement::deny().action("organizations:LeaveOrganization").resource("*"),
//!     ),
//! ))?;
//! deny_leave.attach(&mut app, &org);
//!
//! // Everything inside member accounts deploys through service-managed StackSets.
//! let roles = app.add(&mgmt, StackSet::new("WorkloadRoles", "workload-roles").target(&workloads))?;
//! app.add(&roles.template(), Role::assumable_with_mfa("Admin", &identity).mfa_max_age(3600))?;
//!
//! let assembly = app.synth()?;
//! let member = assembly.template_json("Management.WorkloadRoles.Template").unwrap();
//! assert!(member.contains("\"aws:MultiFactorAuthPresent\": \"true\""));
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! ## Your own constructs
//!
//! A construct is anything that implements [`Construct`]: it adds itself under a parent
//! and returns a handle. Yours nest exactly like the library's — a layout can be built
//! inside one of them, and one of them inside a [`Subtree`] of another:
//!
//! ```
//! use orgstack::{App, Construct, Scope, Subtree, SubtreeHandle};
//! use orgstack::iam::{ManagedPolicyRef, Role};
//!
//! /// The roles every workload account gets, trusted from one account with MFA.
//! struct WorkloadRoles {
//!     trusted: orgstack::org::AccountRef,
//! }
//!
//! impl<P: Scope> Construct<P> for WorkloadRoles {
//!     type Handle = SubtreeHandle;
//!     fn build(self, app: &mut App, parent: &P) -> orgstack::Result<SubtreeHandle> {
//!         let me = app.add(parent, Subtree::new("WorkloadRoles"))?;
//!         app.add(&me, Role::assumable_with_mfa("ReadOnly", self.trusted.clone())
//!             .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess")))?;
//!         Ok(me)
//!     }
//! }
//!
//! let mut app = App::new();
//! let member = app.stack("Member")?;
//! app.add(&member, WorkloadRoles { trusted: "123456789012".into() })?;
//! assert_eq!(app.roles().count(), 1);
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! ## Asking the model
//!
//! Constructs stay typed until synthesis, so the app can answer what the organization
//! means without reading templates: [`App::accounts`], [`App::ous`], [`App::policies`]
//! (each with its type, typed document and targets), [`App::roles`] (trust and
//! permissions as [`iam::PolicyDocument`]s) and [`App::stack_sets`] (targets, regions,
//! member stack).
//!
//! ## Errors
//!
//! Nothing fails while you build: every problem — a bad e-mail, a policy over its quota, a
//! duplicate id, a handle of another app, a reference that cannot cross a boundary — is
//! collected, and [`App::synth`] returns all of them at once in one
//! [`Error::Validation`], each [`Diagnostic`] naming the construct path, the [`Rule`], the
//! value as you wrote it and a hint. Checks run on what will be rendered, so a value
//! changed through the escape hatch ([`App::resource_mut`]) is checked like any other.
//!
//! ```
//! use orgstack::{App, Rule, org::{Account, Organization}};
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = app.add(&mgmt, Organization::create())?;
//! app.add(&org, Account::new("Prod", "not-an-email"))?;
//! app.add(&org, Account::new("x".repeat(51), "aws+x@acme.example"))?;
//! app.add(&org, Account::new("Prod", "aws+prod@acme.example"))?; // the same id again
//! let err = app.synth().unwrap_err();
//! let rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
//! assert_eq!(rules, [Rule::DuplicateId, Rule::AccountEmail, Rule::AccountName]);
//! assert_eq!(err.diagnostics()[1].path, "Management/Accounts/Prod");
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! ## What synthesis guarantees
//!
//! - **Deterministic bytes**: 2-space indented JSON with a trailing newline, key order fixed
//!   by the model; the same program writes the same files everywhere.
//! - **Stable logical IDs** from construct paths (readable part plus a hash), never from
//!   positions or e-mails; accounts keep theirs when they move between OUs, and carry
//!   `Retain`.
//! - **Quotas** that no schema checks ([`Quotas`], all configurable; Organizations policies
//!   have a size and a per-target count for each type, [`Quotas::policy`]), and stacks split
//!   automatically past 500 resources or 1 MB, without moving existing accounts.
//! - **Atomic writes**: [`App::synth_to`] builds the assembly beside the target and renames
//!   it into place; a failure leaves the previous assembly untouched.
//! - **A plan that deploys in one pass**: `deploy-plan.md` (and the manifest's `steps`) is
//!   derived from what the resources need — a `<Stack>-Bootstrap` stack first when the app
//!   creates the organization, trusted access and policy types, the stacks in order in the
//!   [home region](App::set_home_region), through S3 when a template is over 51,200 bytes
//!   ([`App::set_template_bucket`]), subscriptions to confirm — plus the steps constructs
//!   declare ([`App::add_deploy_step`]). Organizations resources are created a bounded
//!   number at a time ([`App::set_bounded_group`]).
//!
//! ## Reviewing a change
//!
//! [`review::diff`] compares two assemblies offline — `cdk.out/` against main's, or the
//! committed files of a repository — and classifies every change as a *replacement*
//! (a createOnly property, a logical ID, a move to another stack: for an account,
//! CloudFormation would try to create a new one), an *update not supported* (an account's
//! name, e-mail or role name, with the CLI step that does it instead), *dangerous*
//! (Retain removed, an account, OU or policy deleted, an SCP or RCP changed and not
//! proven to allow nothing new, an MFA condition weakened, a StackSet target or region
//! removed, an export still imported removed) or *safe*. Each change has a stable id to
//! acknowledge it by ([`review::Acknowledgements`]); the report renders as Markdown for a
//! pull request or as JSON. `cargo run --example diff -- OLD_DIR NEW_DIR` fails while a
//! change that needs one is not acknowledged.
//!
//! Synthesis also runs the lint rules of [`review::lint`] (errors fail it, warnings are in
//! [`app::Assembly::warnings`] and the manifest; a finding is suppressed on its construct
//! with a reason, [`review::lint::suppress`]), and the deploy plan ends with the
//! organization as a Mermaid flowchart ([`review::diagram::mermaid`]). The roles people
//! assume with MFA become `~/.aws/config` profiles with [`review::profiles::aws_config`].
//!
//! ## Modules
//!
//! | module | |
//! |---|---|
//! | [`layouts`] | prebuilt foundations ([`layouts::FiveAccountLayout`]) and guardrail SCPs |
//! | [`org`], [`iam`], [`stackset`] | the constructs, and the typed model's views of them |
//! | [`iam::policy`] | the policy language with typed conditions and size accounting |
//! | [`aws`] | checked values AWS constrains: account and organization ids, e-mails, regions |
//! | [`cfn`] | the CloudFormation model, the one template serializer and the renderer |
//! | [`review`] | the offline diff of two assemblies, for review before deploying |
//! | [`app`] | the app, composition, logical IDs, the synthesis pipeline and the assembly |
//! | [`testing`] | template assertions and snapshots for your tests |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod aws;
pub mod cfn;
mod error;
pub mod iam;
pub mod layouts;
pub mod org;
mod policy_type;
mod quotas;
pub mod review;
pub mod stackset;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use app::{
    App, CfnParameter, CfnResource, Construct, DeployStep, ParameterHandle, ResourceHandle, Scope,
    Spill, StackHandle, Subtree, SubtreeHandle,
};
pub use error::{Diagnostic, Diagnostics, Error, Result, Rule, Severity};
pub use quotas::{PolicyQuota, PolicyQuotas, Quotas};
