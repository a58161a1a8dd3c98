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
//! let layout = FiveAccountLayout::builder("acme")
//!     .email_domain("aws.acme.example")          // identity@…, audit@…, dev@… unless overridden
//!     .allowed_regions(["us-east-1", "eu-west-1"]) // STS nowhere else
//!     .alert_email("cloud-alerts@acme.example")
//!     .build(&mut app)?;
//! // Handles to every part, to extend it.
//! layout.add_account(&mut app, layout.workloads_ou(), Account::new("Sandbox", "sandbox@aws.acme.example"))?;
//!
//! let assembly = app.synth()?; // or app.synth_to("cdk.out")?
//! assert_eq!(assembly.deploy_order(), ["Management"]);
//! assert!(assembly.deploy_plan().contains("enable-policy-type"));
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! ## Building your own
//!
//! An [`App`] holds stacks; constructs add typed resources to a stack and return handles
//! ([`org::OuHandle`], [`org::AccountHandle`], [`iam::RoleHandle`]…) that other constructs
//! reference. References are resolved at synthesis: a `Ref`/`Fn::GetAtt` within a template,
//! a parameter of a StackSet's member template (set by the StackSet), or an export and import
//! between stacks of the management account.
//!
//! ```
//! use orgstack::iam::{PolicyDocument, Role, Statement};
//! use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
//! use orgstack::stackset::StackSet;
//! use orgstack::App;
//!
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = Organization::existing("r-ab12", "o-abcdef1234").build(&mut app, &mgmt)?;
//! let security = org.add_ou(&mut app, OrganizationalUnit::new("Security"))?;
//! let workloads = org.add_ou(&mut app, OrganizationalUnit::new("Workloads"))?;
//! let identity = security.add_account(&mut app, Account::new("Identity", "aws+identity@acme.example"))?;
//!
//! let deny_leave = org.add_policy(&mut app, Policy::service_control(
//!     "DenyLeaveOrganization",
//!     PolicyDocument::new().statement(
//!         Statement::deny().action("organizations:LeaveOrganization").resource("*"),
//!     ),
//! ))?;
//! deny_leave.attach(&mut app, &org)?;
//!
//! // Everything inside member accounts deploys through service-managed StackSets.
//! let roles = StackSet::new("WorkloadRoles", "workload-roles")
//!     .target(&workloads)
//!     .build(&mut app, &mgmt)?;
//! Role::assumable_with_mfa("Admin", identity.id())
//!     .mfa_max_age(3600)
//!     .build(&mut app, &roles.template())?;
//!
//! let assembly = app.synth()?;
//! let member = assembly.template_json("Management.WorkloadRoles.Template").unwrap();
//! assert!(member.contains("\"aws:MultiFactorAuthPresent\": \"true\""));
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! ## Errors
//!
//! Structural mistakes (a duplicate construct id) fail when made. Everything else — a bad
//! e-mail, a policy over its quota, a reference that cannot cross a boundary — is collected,
//! and [`App::synth`] returns every problem at once in one [`Error::Validation`], each
//! [`Diagnostic`] naming the construct path, the [`Rule`], the value and a hint:
//!
//! ```
//! use orgstack::{App, Rule, org::{Account, Organization}};
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = Organization::create().build(&mut app, &mgmt)?;
//! org.add_account(&mut app, Account::new("Prod", "not-an-email"))?;
//! org.add_account(&mut app, Account::new("x".repeat(51), "aws+x@acme.example"))?;
//! let err = app.synth().unwrap_err();
//! let rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
//! assert_eq!(rules, [Rule::AccountEmail, Rule::AccountName]);
//! assert_eq!(err.diagnostics()[0].path, "Management/Accounts/Prod");
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
//! - **Quotas** that no schema checks ([`Quotas`], all configurable), and stacks split
//!   automatically past 500 resources or 1 MB, without moving existing accounts.
//! - **Atomic writes**: [`App::synth_to`] builds the assembly beside the target and renames
//!   it into place; a failure leaves the previous assembly untouched.
//!
//! ## Modules
//!
//! | module | |
//! |---|---|
//! | [`layouts`] | prebuilt foundations ([`layouts::FiveAccountLayout`]) and guardrail SCPs |
//! | [`org`], [`iam`], [`stackset`] | the constructs |
//! | [`iam::policy`] | the policy language with typed conditions and size accounting |
//! | [`cfn`] | the CloudFormation model and the renderer |
//! | [`app`] | the app, stacks, logical IDs, synthesis and the assembly |
//! | [`testing`] | template assertions and snapshots for your tests |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod cfn;
mod error;
pub mod iam;
pub mod layouts;
pub mod org;
mod quotas;
pub mod stackset;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use app::{App, Construct, DeployStep, ParameterHandle, ResourceHandle, Spill, StackHandle};
pub use error::{Diagnostic, Diagnostics, Error, Result, Rule};
pub use quotas::Quotas;
