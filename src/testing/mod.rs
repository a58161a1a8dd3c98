//! Assertions on synthesized templates, for your tests.
//!
//! Enable the `testing` feature (usually as a dev-dependency feature) to get this module. It
//! works on rendered template JSON: parse a template into a [`Template`], then assert on its
//! resources, outputs and parameters the way `assert_eq!` does — a failed assertion panics
//! with a message that says what was expected and where the closest resources differ. Every
//! assertion has a `try_` twin that returns an [`AssertionError`] instead, for checking the
//! message itself or combining checks.
//!
//! # Counting and matching resources
//!
//! ```
//! use orgstack::testing::{Matcher, Template};
//! use serde_json::json;
//!
//! let template = Template::from_json("Security", r#"{
//!   "Resources": {
//!     "AuditRole": {
//!       "Type": "AWS::IAM::Role",
//!       "Properties": {
//!         "RoleName": "OrgAudit",
//!         "AssumeRolePolicyDocument": {
//!           "Version": "2012-10-17",
//!           "Statement": [{
//!             "Effect": "Allow",
//!             "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
//!             "Action": "sts:AssumeRole",
//!             "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } }
//!           }]
//!         }
//!       }
//!     },
//!     "Trail": {
//!       "Type": "AWS::CloudTrail::Trail",
//!       "DeletionPolicy": "Retain",
//!       "Properties": { "IsMultiRegionTrail": true }
//!     }
//!   }
//! }"#)?;
//!
//! template.resource_count_is("AWS::IAM::Role", 1);
//!
//! // A plain JSON value matches partially: only the keys given are compared.
//! template.has_resource_properties("AWS::IAM::Role", json!({
//!     "AssumeRolePolicyDocument": {
//!         "Statement": [{ "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }]
//!     }
//! }));
//!
//! // `has_resource` sees the whole resource, with `DeletionPolicy` and `DependsOn`.
//! template.has_resource("AWS::CloudTrail::Trail", json!({ "DeletionPolicy": "Retain" }));
//! # Ok::<(), orgstack::testing::TemplateError>(())
//! ```
//!
//! # Matchers
//!
//! A [`Matcher`] says what a value should look like. A `json!` value converts into
//! [`Matcher::object_like`]; the other constructors cover the rest:
//!
//! | Matcher | Matches |
//! |---|---|
//! | [`object_like(json)`](Matcher::object_like) | the expected keys, recursively; arrays element by element |
//! | [`exact(json)`](Matcher::exact) | deep equality, no extra keys |
//! | [`object([(key, m), …])`](Matcher::object) | an object whose listed keys match their matchers |
//! | [`array([m, …])`](Matcher::array) | an array of exactly these elements |
//! | [`array_with([m, …])`](Matcher::array_with) | an array containing these elements, in order |
//! | [`absent()`](Matcher::absent) | a missing key |
//! | [`any_value()`](Matcher::any_value) | any present, non-null value |
//! | [`any()`](Matcher::any) | anything, even a missing key |
//! | [`string_like("arn:*")`](Matcher::string_like) | a string, with `*` matching any run of characters |
//! | [`serialized_json(m)`](Matcher::serialized_json) | a string holding JSON that matches `m` |
//! | [`not(m)`](Matcher::not) | anything `m` does not match |
//!
//! Matchers nest: to use one inside an expected object, build that object with
//! [`Matcher::object`] — its values can be matchers or `json!` values (with `.into()`), and
//! `json!` values inside it are matched object-like again.
//!
//! ```
//! use orgstack::testing::{Matcher, Template};
//! use serde_json::json;
//!
//! let template = Template::from_json("Security", r#"{
//!   "Resources": {
//!     "Deny": {
//!       "Type": "AWS::Organizations::Policy",
//!       "Properties": {
//!         "Name": "deny-leave",
//!         "Type": "SERVICE_CONTROL_POLICY",
//!         "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}",
//!         "TargetIds": [{ "Ref": "Workloads" }]
//!       }
//!     }
//!   }
//! }"#)?;
//!
//! template.has_resource_properties("AWS::Organizations::Policy", Matcher::object([
//!     ("Name", Matcher::string_like("deny-*")),
//!     ("Description", Matcher::absent()),
//!     ("TargetIds", Matcher::array_with([json!({ "Ref": "Workloads" })])),
//!     ("Content", Matcher::serialized_json(Matcher::object([(
//!         "Statement",
//!         Matcher::array_with([json!({ "Action": "organizations:LeaveOrganization" })]),
//!     )]))),
//! ]));
//! # Ok::<(), orgstack::testing::TemplateError>(())
//! ```
//!
//! # Failure messages
//!
//! When no resource matches, the message names up to three resources of the type that come
//! closest — those satisfying most of the expected values first — and lists where each
//! differs, as JSON Pointer paths from the resource:
//!
//! ```
//! use orgstack::testing::Template;
//! use serde_json::json;
//!
//! let template = Template::from_json("Security", r#"{
//!   "Resources": {
//!     "Admin": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": "Admin", "Path": "/" } },
//!     "Ops": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": "Ops", "Path": "/ops/" } }
//!   }
//! }"#)?;
//!
//! let error = template
//!     .try_has_resource_properties("AWS::IAM::Role", json!({ "RoleName": "Ops", "Path": "/" }))
//!     .unwrap_err();
//! assert_eq!(error.to_string(), r#"template `Security`: no AWS::IAM::Role resource has properties matching {"Path":"/","RoleName":"Ops"}
//! closest candidates:
//!   Admin (satisfies 1 of 2 expected values):
//!     /Properties/RoleName: expected "Ops", found "Admin"
//!   Ops (satisfies 1 of 2 expected values):
//!     /Properties/Path: expected "/", found "/ops/""#);
//! # Ok::<(), orgstack::testing::TemplateError>(())
//! ```
//!
//! # StackSet member templates
//!
//! A StackSet carries its member template as a string in `TemplateBody`;
//! [`Template::stack_set_templates`] parses them so the same assertions apply inside.
//!
//! ```
//! use orgstack::testing::Template;
//! use serde_json::json;
//!
//! let template = Template::from_json("Org", r#"{
//!   "Resources": {
//!     "Baseline": {
//!       "Type": "AWS::CloudFormation::StackSet",
//!       "Properties": {
//!         "StackSetName": "baseline",
//!         "TemplateBody": "{\"Resources\":{\"Alerts\":{\"Type\":\"AWS::SNS::Topic\",\"Properties\":{\"TopicName\":\"alerts\"}}}}"
//!       }
//!     }
//!   }
//! }"#)?;
//!
//! let member = template.stack_set_template("Baseline").expect("a member template");
//! assert_eq!(member.name(), "Org/Baseline");
//! member.has_resource_properties("AWS::SNS::Topic", json!({ "TopicName": "alerts" }));
//! # Ok::<(), orgstack::testing::TemplateError>(())
//! ```

//!
//! # Templates of an assembly, by handle or path
//!
//! [`Template::for_construct`] and [`Template::for_path`] give the template a construct is
//! rendered as or into: a stack's own, a StackSet's member template (for the StackSet's
//! handle or path), the one holding a resource. [`Template::resource_for`] finds a resource,
//! and the assembly gives logical IDs ([`Assembly::logical_id`](crate::app::Assembly::logical_id))
//! and member-template parameters ([`Assembly::parameter_name`](crate::app::Assembly::parameter_name)),
//! so no test needs to write a hashed logical ID. A member template is named as the
//! assembly names it (`Management.Roles.Template`) by [`Template::from_stack`],
//! [`Template::for_construct`] and the [`stack_set_templates`](Template::stack_set_templates)
//! of a template read from the assembly.
//!
//! # Snapshots
//!
//! [`assert_snapshots!`](crate::assert_snapshots) (feature `snapshots`) snapshots every
//! file of an assembly ([`snapshot_files`]) with insta in one call: every `.snap.new` in one
//! run, then one failure ([`SnapshotError`]) listing every changed file; bytes insta's text
//! comparison leaves out (trailing whitespace, line endings) are compared too. [`Snapshots`]
//! chooses the directory, a prefix, or files of your own.

mod assembly;
mod assertions;
mod error;
mod matcher;
mod matching;
mod snapshot;
mod template;

pub use assembly::snapshot_files;
pub use error::{AssertionError, Candidate, Mismatch, TemplateError};
/// insta, for the snapshot macros; not part of the API.
#[cfg(feature = "snapshots")]
#[doc(hidden)]
pub use insta as __insta;
pub use matcher::Matcher;
pub use snapshot::{Change, ChangedFile, SnapshotError, Snapshots};
pub use template::Template;
