//! An offline access simulator: the questions people ask of a foundation — "can a
//! developer reach prod without MFA?", "who can write to the archive?" — answered by
//! evaluating every policy of the app the way AWS does.
//!
//! ## Asking
//!
//! A [`Simulator`] reads the app's typed model (no synthesis needed): the organization's
//! accounts and OUs, the SCPs and RCPs of every level, the roles, groups and managed
//! policies each StackSet deploys in each account, the roles Organizations creates in the
//! accounts it creates, and the resource policies written as raw resources (bucket,
//! topic and KMS key policies; a key's ARN is [`Simulator::resource_arn`]). Principals are built from it; a role session comes from an allowed
//! [`Simulator::assume`], so sessions chain.
//!
//! ```
//! use orgstack::access::{Auth, Simulator, Verdict};
//! use orgstack::layouts::{FiveAccountLayout, ADMINISTRATOR, DEVELOPER};
//! use orgstack::App;
//!
//! let mut app = App::new();
//! let management = app.stack("Management")?;
//! let layout = app.add(&management, FiveAccountLayout::builder("acme")
//!     .email_domain("aws.acme.example"))?;
//! let sim = Simulator::new(&app);
//!
//! let developers = &layout.groups()["developers"];
//! let dev = &layout.environment_accounts()["dev"];
//! let prod = &layout.environment_accounts()["prod"];
//! let alice = sim.user(layout.identity_account(), "alice", &[developers], Auth::mfa(300))?;
//!
//! let d = sim.assume(&alice, sim.role(dev, DEVELOPER)?, "us-east-1");
//! assert!(d.is_allowed(), "{d}");
//! let session = d.session().unwrap(); // MFA and its age carry over
//! assert_eq!(sim.request(session, "s3:ListAllMyBuckets", "*", "us-east-1").verdict(), Verdict::Allow);
//!
//! // Not the administrator role in prod; and nothing from a leaked access key.
//! assert!(sim.assume(&alice, sim.role(prod, ADMINISTRATOR)?, "us-east-1").is_denied());
//! let key = sim.user(layout.identity_account(), "alice", &[developers], Auth::LongTermKey)?;
//! let d = sim.assume(&key, sim.role(dev, DEVELOPER)?, "us-east-1");
//! assert_eq!(d.verdict(), Verdict::ExplicitDeny);
//! assert_eq!(d.decided_by(), "identity policies");
//! println!("{d}"); // the question, the verdict, every layer and the statements that decided
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Broad questions run over the whole app: [`Simulator::paths_into_roles`] (every path
//! from the users of an account's groups into any role of any account) and
//! [`Simulator::who_can`] (every role session, group user, root user and named service
//! that may make a request). [`Simulator::request_inputs`] shows what a decision
//! evaluates: the request's whole context and each layer's policies.
//!
//! ## IAM Identity Center
//!
//! With an [`IdentityCenter`](crate::services::IdentityCenter) in the app (the layout's
//! [`IdentityModel::IdentityCenter`](crate::layouts::IdentityModel::IdentityCenter)), the
//! simulator reads its permission sets and its assignment matrix, expanded per account as
//! synthesis expands it. [`Simulator::permission_sets`] lists what a group (by its key)
//! can use in an account, [`Simulator::sso_assignments`] every group × permission set ×
//! account, and [`Simulator::sign_in`] decides a sign-in: allowed when the matrix assigns
//! the permission set there to one of the user's groups, with the session of the
//! account's `AWSReservedSSO_<PermissionSet>_…` role (the suffix a stand-in). The
//! session's identity policies are the permission set's inline and managed policies
//! (AWS managed ones from [`KNOWN_AWS_MANAGED`], others and customer managed ones
//! unknown); a permissions boundary makes its decisions [`Verdict::Unknown`]; the
//! account's SCPs and RCPs apply as to any principal. MFA is a setting of the instance,
//! not of a policy: the caller states whether the user signed in with it ([`Auth`]), and
//! the session's requests carry `aws:MultiFactorAuthPresent` as it says.
//!
//! ```
//! use orgstack::access::{Auth, Simulator, Verdict};
//! use orgstack::layouts::{FiveAccountLayout, IdentityModel, DEVELOPER, READ_ONLY};
//! use orgstack::App;
//!
//! let mut app = App::new();
//! let management = app.stack("Management")?;
//! let layout = app.add(&management, FiveAccountLayout::builder("acme")
//!     .email_domain("aws.acme.example")
//!     .identity_model(IdentityModel::IdentityCenter))?;
//! let sim = Simulator::new(&app);
//! let dev = &layout.environment_accounts()["dev"];
//! let prod = &layout.environment_accounts()["prod"];
//! assert_eq!(sim.permission_sets("developers", prod)?, [READ_ONLY]);
//! let d = sim.sign_in("alice", &["developers"], DEVELOPER, dev, Auth::mfa(60))?;
//! let session = d.session().unwrap();
//! assert_eq!(sim.request(session, "s3:ListAllMyBuckets", "*", "us-east-1").verdict(), Verdict::Allow);
//! assert_eq!(sim.request(session, "sts:GetSessionToken", "*", "ap-south-1").verdict(), Verdict::ExplicitDeny);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## How it decides
//!
//! As AWS documents its evaluation logic: an explicit `Deny` in any layer wins; every
//! level of SCPs from the root down to the principal's account must allow (AWS's
//! `FullAWSAccess` counts while attached); RCPs deny for the resources of member accounts
//! of the services they cover ([`RCP_SERVICES`]); neither applies to the management
//! account or to service principals. In the resource's own account an identity policy or
//! a resource policy naming the principal allows (naming the account delegates to its
//! identity policies); across accounts both must allow; a role's trust policy and a KMS
//! key's policy must always let the caller in. Within a policy: `Action`/`NotAction` case-insensitively with
//! wildcards, `Resource`/`NotResource` and ARNs case-sensitively part by part,
//! `Principal`/`NotPrincipal` (a `NotPrincipal` excludes a session only when its account,
//! role and session are all listed), every condition operator with `IfExists` and the set
//! qualifiers — an absent key fails a condition except with `IfExists`, a negated
//! operator or `ForAllValues`; `ForAnyValue` never holds for an absent or empty key —
//! and policy variables (`${aws:username}`, `${aws:PrincipalTag/…}`, defaults, `${*}`).
//! [`evaluate`] is that logic alone, for policies of your own ([`Policy::from_json`]).
//!
//! ## What it cannot know
//!
//! Values decided at deployment — account, organization and OU ids, the names of
//! resources named by reference — get stand-ins of AWS's shapes, the same wherever the
//! value appears ([`Simulator::account_id`]: `100000000000` for the management account,
//! `100000000001`… for the accounts the app creates), so the identity account in a trust
//! policy is the caller's account. An intrinsic it cannot interpret (an import, a
//! parameter without a default, a logical id written as is) and a managed policy it does
//! not know ([`KNOWN_AWS_MANAGED`]; of those in [`ALLOW_ONLY_AWS_MANAGED`], such as
//! `ReadOnlyAccess`, it knows only that they deny nothing) are unknown: a
//! decision that depends on them is [`Verdict::Unknown`], never a guess — though an
//! explicit `Deny` that holds whatever they are is still a deny.
//!
//! ## Limits
//!
//! Not evaluated: session policies, permissions boundaries (a role with one decides
//! [`Verdict::Unknown`]), VPC endpoint policies, S3 ACLs and Block Public Access, KMS
//! grants and key policies (evaluate a key policy with [`evaluate`]), service-specific
//! authorization beyond `sts:GetCallerIdentity` (never denied), service-linked roles,
//! the `aws:CalledVia` chain of services acting for a principal, and time: an MFA age
//! stays what the caller was given. Users and their group memberships are not in
//! templates; you name them when you ask (Identity Center's groups too: the matrix says
//! what a group may use, not who is in it). Identity Center sessions are not among the
//! principals of [`Simulator::who_can`] and [`Simulator::paths_into_roles`]. A resource
//! belongs to the account its ARN names; one whose ARN names none (an S3 bucket) to the
//! account of the resource policy the app writes for it, else to the caller's. Resources
//! the app does not write a policy for have none.

mod builtin;
mod caller;
mod decision;
mod eval;
mod matching;
mod model;
mod policy;
mod request;
mod simulator;
mod sso;

pub use builtin::{aws_managed, unknown, ALLOW_ONLY_AWS_MANAGED, KNOWN_AWS_MANAGED};
pub use caller::{Auth, Caller};
pub use decision::{decide, Decision, Inputs, Path, Step};
pub use eval::{applies, condition, evaluate, Applied, Evaluation, Verdict};
pub use matching::{arn_like, glob, resource_matches, substitute, Tri};
pub use policy::{
    parse_document, value_from_json, Literal, Policy, Resolve, ResolvedCondition,
    ResolvedStatement, Text,
};
pub use request::{Context, Request, Who};
pub use simulator::{GroupId, RoleId, Simulator, RCP_SERVICES};
pub use sso::SsoAssignment;

/// What the simulator refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// A value is not a policy document.
    #[error("not a policy document: {0}")]
    Policy(String),
    /// An account that is not in the app.
    #[error("the account {0} is not in the app")]
    UnknownAccount(String),
    /// A group that is not deployed in the account.
    #[error("the group {0} is not deployed in that account")]
    UnknownGroup(String),
    /// A role that is not deployed in the account.
    #[error("no role `{0}` is deployed in that account")]
    UnknownRole(String),
    /// A group no Identity Center of the app declares.
    #[error("no Identity Center of the app declares the group `{0}`")]
    UnknownIdentityCenterGroup(String),
    /// A permission set no Identity Center of the app declares.
    #[error("no Identity Center of the app declares the permission set `{0}`")]
    UnknownPermissionSet(String),
}
