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
//! A construct of yours reports its problems like the library's, under a rule of its own:
//! `app.report(Diagnostic::new(app.path(&me), Rule::Custom("acme-cost-center"), value,
//! message, hint))`, with [`Diagnostic::with_severity`] for a warning. Outputs are
//! constructs too: `app.add(&stack, CfnOutput::new("TopicArn", topic.ref_expr()).export("acme-topic"))`.
//! ## You already have an organization
//!
//! Adopt what exists instead of creating it: [`org::OrganizationalUnit::adopt`],
//! [`org::Account::adopt`] and [`org::Policy::adopt`] take the id of what exists; the
//! construct renders as a new one would, with `Retain`, and the deploy plan imports it with
//! CloudFormation's resource import before it deploys anything. An IMPORT change set may
//! add nothing but what it imports, so every stack that adopts something gets
//! `<Stack>.import.template.json` (only the adopted resources, references written as the
//! values that exist) and `<Stack>.import.resources.json` (each one's primary identifier;
//! past [`app::RESOURCES_PER_IMPORT`], in batches `<Stack>.import-1`…);
//! the plan creates the stack from them (`create-change-set --change-set-type IMPORT`,
//! `execute-change-set`, waits), then deploys the full template, which creates only what
//! is new. [`org::OrganizationalUnit::existing`] only references an OU.
//!
//! [`import`] reads what `scripts/export-organization.sh` saves (plain AWS CLI calls)
//! into a typed [`import::Inventory`], and writes the [`spec::OrgSpec`] that adopts it all
//! by id ([`import::to_spec`]: what `cargo run --example import -- DIR [OUT_DIR]` writes,
//! to `orgspec.json` or `--spec FILE`), adopts it into an app ([`import::adopt`], returning
//! handles) or writes the Rust program that does ([`import::write_rust`], `--rust
//! src/main.rs`). All three build the same app: the spec, the program and `adopt`
//! synthesize byte-identical files.
//!
//! ```
//! use orgstack::{App, org::{Account, Organization, OrganizationalUnit}};
//! let mut app = App::new();
//! let mgmt = app.stack("Management")?;
//! let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
//! let workloads = app.add(&org, OrganizationalUnit::new("Workloads").adopt("ou-ab12-abcd1234"))?;
//! app.add(&workloads, Account::new("Prod", "aws+prod@acme.example").adopt("111111111111"))?;
//! app.add(&workloads, Account::new("Sandbox", "aws+sandbox@acme.example"))?; // new
//!
//! let assembly = app.synth()?;
//! let import = assembly.artifact("Management.import").unwrap();
//! assert_eq!(import.resource_count, 2); // the OU and Prod; Sandbox is created by the deploy
//! assert!(assembly.file("Management.import.resources.json").unwrap().contains("\"AccountId\": \"111111111111\""));
//! let plan = assembly.deploy_plan();
//! assert!(plan.find("--change-set-type IMPORT").unwrap() < plan.find("aws cloudformation deploy").unwrap());
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
//! ## Asking who can do what
//!
//! [`access::Simulator`] evaluates the app's SCPs, RCPs, identity, trust and resource
//! policies together, as AWS does, and answers with a decision that prints the layers and
//! statements that made it:
//!
//! ```
//! use orgstack::access::{Auth, Simulator};
//! use orgstack::{App, layouts::{FiveAccountLayout, ADMINISTRATOR}};
//!
//! let mut app = App::new();
//! let management = app.stack("Management")?;
//! let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("acme.example"))?;
//! let sim = Simulator::new(&app);
//! // Can a leaked access key of the identity account reach any role anywhere?
//! assert!(sim.paths_into_roles(layout.identity_account(), Auth::LongTermKey, "us-east-1")?.is_empty());
//! let admins = &layout.groups()["administrators"];
//! let bob = sim.user(layout.identity_account(), "bob", &[admins], Auth::mfa(60))?;
//! let prod = sim.role(&layout.environment_accounts()["prod"], ADMINISTRATOR)?;
//! assert!(sim.assume(&bob, prod, "us-east-1").is_allowed());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With IAM Identity Center instead of IAM users, [`access::Simulator::permission_sets`]
//! says which permission sets a group can use in an account and
//! [`access::Simulator::sign_in`] opens a permission set's session, bounded by the SCPs
//! like any principal.
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
//! Whatever the input, nothing panics: a quota of `usize::MAX` means "no limit", a value
//! nested deeper than [`cfn::MAX_DEPTH`] is a [`Rule::NestingDepth`] problem found before
//! anything walks it, and a handle of another app is a [`Rule::ForeignHandle`] problem.
//!
//! ## Configuration instead of code
//!
//! The same foundation can come from a JSON spec, an [`spec::OrgSpec`], checked by a JSON
//! Schema ([`spec::schema`], checked in as `schema/orgspec.schema.json`). It lowers onto
//! the constructs above, so both paths write the same bytes, and every problem names its
//! place in the JSON: a line and column, or a JSON path such as `$.accounts[0].email`
//! (the [`Diagnostic::source`] of a problem found at synthesis).
//!
//! A spec adopts what exists as the constructs do: `"adopt": "ou-…"` on an OU,
//! `"existing": "ou-…"` for an OU only referenced, `"adopt": "123456789012"` on an
//! account, `"adopt": "p-…"` on a policy with the attachments that exist in
//! `adopted_targets` (new ones in `targets`), and `full_aws_access_attached` on an
//! existing organization; what is adopted can be named by its id wherever the spec names
//! an OU or an account.
//!
//! ```
//! use orgstack::spec::OrgSpec;
//!
//! let spec = OrgSpec::from_json(r#"{
//!   "layout": { "name": "acme", "email_domain": "aws.acme.example" },
//!   "accounts": [ { "name": "Sandbox", "email": "sandbox-at-acme", "ou": "Workloads" } ]
//! }"#)?;
//! let err = spec.to_app()?.synth().unwrap_err();
//! assert_eq!(err.json_paths(), ["$.accounts[0].email"]);
//! # Ok::<(), orgstack::spec::SpecError>(())
//! ```
//!
//! ## Testing your foundation
//!
//! With the `snapshots` feature (in `[dev-dependencies]`), one call pins every file of an
//! assembly byte for byte and reports every changed file in one run; [`testing::Template`]
//! finds templates and resources by the handles you kept, no hashed logical ID needed:
//!
//! ```
//! use orgstack::{App, iam::Role, stackset::StackSet, testing::Template};
//! use orgstack::org::{Account, Organization, OrganizationalUnit};
//! use serde_json::json;
//!
//! let mut app = App::new();
//! let mgmt = app.stack("Acme")?;
//! let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
//! let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
//! let identity = app.add(&workloads, Account::new("Identity", "aws+identity@acme.example"))?;
//! let roles = app.add(&mgmt, StackSet::new("WorkloadRoles", "workload-roles").target(&workloads))?;
//! app.add(&roles.template(), Role::assumable_with_mfa("Admin", &identity))?;
//! let assembly = app.synth()?;
//!
//! let member = Template::for_construct(&assembly, &roles)?; // or for_path(&assembly, "Acme/WorkloadRoles")
//! assert_eq!(member.name(), "Acme.WorkloadRoles.Template");
//! member.resource_count_is("AWS::IAM::Role", 1);
//! let parameter = assembly.parameter_name(&identity).unwrap(); // set by the StackSet
//! member.has_parameter(parameter, json!({ "Type": "String" }));
//! // in a test, with the `snapshots` feature:
//! // orgstack::assert_snapshots!(&assembly); // snapshots/<file>.snap; every .snap.new at once
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! See [`testing`] and `examples/platform-repo/`, a platform team's repository to start
//! from.
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
//!   it into place; a failure leaves the previous assembly untouched. Concurrent writers to
//!   one directory take turns on a lock (the last one wins, never a mix); a file or a mount
//!   point at the target is refused untouched ([`Error::Target`]); a symbolic link is
//!   followed.
//! - **A plan that deploys in one pass**: `deploy-plan.md` (and the manifest's `steps`) is
//!   derived from what the resources need — a `<Stack>-Bootstrap` stack first when the app
//!   creates the organization, trusted access and policy types, the stacks in order in the
//!   [home region](App::set_home_region), through S3 when a template is over 51,200 bytes
//!   ([`App::set_template_bucket`]), subscriptions to confirm — plus the steps constructs
//!   declare ([`App::add_deploy_step`]). Organizations resources are created a bounded
//!   number at a time ([`App::set_bounded_group`]).
//!
//! ## Beyond the five accounts: services and Identity Center
//!
//! [`services`] turns on what the layout's article recommends, for the whole organization,
//! administered by one account: [`services::SecurityServices`] for AWS Config (a recorder
//! in every account and region, an organization aggregator and rules, delivering to a Config
//! bucket of its own — AWS Config does not deliver to the log archive's Object Lock
//! bucket), GuardDuty, Security Hub, IAM Access Analyzer and Firewall Manager; each
//! service's [`services::DelegatedAdministrator`] takes an [`org::AccountHandle`] and
//! declares what CloudFormation cannot do, which the plan runs between the stack creating
//! the account and the stack needing it. [`services::IdentityCenter`] holds permission sets
//! and an assignment matrix (group × permission set × OU or account) expanded per account
//! at synthesis and split over stacks; the layout takes it instead of IAM users with
//! [`layouts::IdentityModel::IdentityCenter`]. Tag, backup, AI opt-out, Security Hub and GuardDuty policies have
//! typed documents ([`services::TagPolicy`]…, [`services::GuardDutyPolicy`], with which
//! `SecurityServices` can enrol every account in GuardDuty instead of the administrator's
//! own call) and an
//! offline effective policy ([`services::effective_policy_of`]).
//!
//! ```
//! use orgstack::{App, layouts::FiveAccountLayout, services::SecurityServices};
//! let mut app = App::new();
//! let management = app.stack("Management")?;
//! let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("aws.acme.example"))?;
//! let services = app.stack("Services")?;
//! app.add(&services, SecurityServices::new("acme", layout.organization(), layout.audit_account()))?;
//! let plan = app.synth()?.deploy_plan().to_owned();
//! // The audit account is registered once the Management stack created it.
//! let register = plan.find("register-delegated-administrator").unwrap();
//! assert!(plan.find("--stack-name Management ").unwrap() < register);
//! assert!(register < plan.find("--stack-name Services ").unwrap());
//! # Ok::<(), orgstack::Error>(())
//! ```
//!
//! What they leave out: a Security Hub policy attached for you (a `SECURITYHUB_POLICY` is
//! [`services::SecurityHubPolicy`], attached by you), Security Hub's central configuration, GuardDuty's detection settings, conformance packs and
//! custom Config rules; Identity Center's assignments of existing accounts by OU, of users,
//! and from a delegated administrator. See each type's documentation.
//! ## Reviewing a change
//!
//! [`review::diff`] compares two assemblies offline — `cdk.out/` against main's, or the
//! committed files of a repository — and classifies every change as a *replacement*
//! (a createOnly property, a logical ID, a move to another stack: for an account,
//! CloudFormation would try to create a new one), an *update not supported* (an account's
//! name, e-mail or role name, with the CLI step that does it instead), *dangerous*
//! (Retain removed, an account, OU or policy deleted, an SCP or RCP changed that the
//! access simulator shows, or cannot prove not, to let through a request it denied, an MFA condition weakened, a StackSet target or region
//! removed, an export still imported removed) or *safe*. Each change has a stable id to
//! acknowledge it by ([`review::Acknowledgements`]); the report renders as Markdown for a
//! pull request or as JSON. `cargo run --example diff -- OLD_DIR NEW_DIR` fails while a
//! change that needs one is not acknowledged.
//!
//! Synthesis also runs the lint rules of [`review::lint`] (errors fail it, warnings are in
//! [`app::Assembly::warnings`] and the manifest; each finding's rule is
//! [`Rule::Lint`]`(`[`LintId`]`)`, shown by the lint's own id, e.g. `[unused-ou]`; a finding
//! is suppressed on its construct with a reason, [`review::lint::suppress`]), and writes
//! the organization as a Mermaid flowchart ([`review::diagram::mermaid`]) to
//! `organization.mmd` ([`app::Assembly::diagram`]), also shown at the end of the deploy
//! plan. The roles people assume with MFA become `~/.aws/config` profiles with
//! [`review::profiles::aws_config`].
//!
//! ## Modules
//!
//! | module | |
//! |---|---|
//! | [`spec`] | the foundation as a JSON spec ([`spec::OrgSpec`]) with a JSON Schema |
//! | [`access`] | the access simulator: AWS's policy evaluation over the whole app |
//! | [`layouts`] | prebuilt foundations ([`layouts::FiveAccountLayout`]) and guardrail SCPs |
//! | [`import`] | what you have, as code: an export of the AWS CLI read, adopted, or written as a program |
//! | [`services`] | security services and their delegated administrators, IAM Identity Center, management policies |
//! | [`org`], [`iam`], [`stackset`] | the constructs, and the typed model's views of them |
//! | [`iam::policy`] | the policy language with typed conditions and size accounting |
//! | [`aws`] | checked values AWS constrains: account and organization ids, e-mails, regions |
//! | [`cfn`] | the CloudFormation model, the one template serializer and the renderer |
//! | [`review`] | the offline diff of two assemblies, for review before deploying |
//! | [`app`] | the app, composition, logical IDs, the synthesis pipeline and the assembly |
//! | [`testing`] | template assertions, lookups by handle or path, and byte-exact snapshots for your tests |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod access;
pub mod app;
pub mod aws;
pub mod cfn;
mod error;
pub mod iam;
pub mod import;
pub mod layouts;
mod lint_id;
pub mod org;
mod policy_type;
mod quotas;
pub mod review;
pub mod services;
mod shell;
pub mod spec;
pub mod stackset;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use app::{
    App, CfnOutput, CfnParameter, CfnResource, Construct, DeployStep, ParameterHandle,
    ResourceHandle, Scope, Spill, StackHandle, Subtree, SubtreeHandle,
};
pub use error::{Diagnostic, Diagnostics, Error, Result, Rule, Severity, TargetProblem};
pub use lint_id::{LintId, LintSeverity};
pub use quotas::{PolicyQuota, PolicyQuotas, Quotas};
