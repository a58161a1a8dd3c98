//! Guardrail service control policies, as documents you can attach yourself.
//!
//! SCPs never restrict the management account; the layout keeps people out of it and alerts
//! on its activity instead.

use crate::cfn::Value;
use crate::iam::{keys, Condition, PolicyDocument, Statement};

/// The role service-managed StackSets deploy with in member accounts; guardrails that
/// protect what a StackSet created let it through so the StackSet can still update it.
pub const STACKSET_EXECUTION_ROLE_ARN: &str = "arn:*:iam::*:role/stacksets-exec-*";

/// Denies every STS call made to an endpoint outside `regions` (the article's "Locking down
/// STS"). The global endpoint is served in us-east-1.
///
/// ```
/// use orgstack::layouts::guardrails;
/// let doc = guardrails::deny_sts_outside_regions(&["us-east-1", "eu-west-1"]);
/// let json = orgstack::cfn::render::minified(&doc.to_value()).unwrap();
/// assert!(json.contains(r#""StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}"#));
/// ```
pub fn deny_sts_outside_regions<R: AsRef<str>>(regions: &[R]) -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::deny()
            .sid("DenyStsOutsideAllowedRegions")
            .action("sts:*")
            .resource("*")
            .condition(Condition::string_not_equals(
                keys::REQUESTED_REGION,
                regions.iter().map(|r| r.as_ref().to_owned()),
            )),
    )
}

/// Denies leaving the organization.
pub fn deny_leave_organization() -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::deny()
            .sid("DenyLeaveOrganization")
            .action("organizations:LeaveOrganization")
            .resource("*"),
    )
}

/// Denies the root user of member accounts everything, so nobody needs (or uses) its
/// password — except the privileged root sessions the management account opens with
/// `sts:AssumeRoot` under centralized root access (`"Null": {"aws:AssumedRoot": "true"}`:
/// the key is present only in those sessions). They are short (at most 900 s), scoped by
/// an AWS task policy, and the only way left to delete a bucket or queue policy that
/// locks everyone out, or to audit and delete root credentials.
///
/// ```
/// use orgstack::layouts::guardrails;
/// let json = orgstack::cfn::render::minified(&guardrails::deny_root_user().to_value()).unwrap();
/// assert!(json.contains(r#""Null":{"aws:AssumedRoot":"true"}"#));
/// ```
pub fn deny_root_user() -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::deny()
            .sid("DenyRootUser")
            .action("*")
            .resource("*")
            .condition(Condition::string_like(
                keys::PRINCIPAL_ARN,
                ["arn:*:iam::*:root"],
            ))
            .condition(Condition::null(keys::ASSUMED_ROOT, true)),
    )
}

/// Guards the role Organizations creates in every account it creates for the management
/// account (`OrganizationAccountAccessRole` unless the account names another): it has
/// `AdministratorAccess` and trusts the whole management account, with no MFA condition,
/// so any principal there allowed `sts:AssumeRole` — a leaked access key included — is an
/// administrator of every member account.
///
/// - `DenyOrganizationAccessRoleWithoutMfa` denies that role everything unless its session
///   carries MFA (`BoolIfExists aws:MultiFactorAuthPresent "false"`, so a session without
///   the key is denied too). A role session carries MFA when whoever assumed it had
///   authenticated with MFA: a management-account user or role that signed in with MFA
///   keeps working; credentials without MFA get a session that can do nothing. The trust
///   policy itself cannot be changed from the management account (Organizations wrote it
///   and `RoleName` is fixed), which is why the SCP carries the condition.
/// - `ProtectOrganizationAccessRole` denies everyone but the role itself (with MFA, by the
///   statement above) deleting it or changing its trust, policies or boundary, so an
///   administrator of the member account cannot cut the management account off or loosen
///   the role.
///
/// Service-managed StackSets do not use this role (they deploy with their own
/// `stacksets-exec-*` role), so deployments are unaffected.
///
/// ```
/// use orgstack::layouts::guardrails;
/// let doc = guardrails::protect_organization_access_role("OrganizationAccountAccessRole");
/// let json = orgstack::cfn::render::minified(&doc.to_value()).unwrap();
/// assert!(json.contains(r#""BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}"#));
/// ```
pub fn protect_organization_access_role(role_name: &str) -> PolicyDocument {
    let role = format!("arn:*:iam::*:role/{role_name}");
    PolicyDocument::new()
        .statement(
            Statement::deny()
                .sid("DenyOrganizationAccessRoleWithoutMfa")
                .action("*")
                .resource("*")
                .condition(Condition::arn_like(keys::PRINCIPAL_ARN, [role.clone()]))
                .condition(Condition::bool_if_exists(
                    keys::MULTI_FACTOR_AUTH_PRESENT,
                    false,
                )),
        )
        .statement(
            Statement::deny()
                .sid("ProtectOrganizationAccessRole")
                .actions([
                    "iam:DeleteRole",
                    "iam:UpdateAssumeRolePolicy",
                    "iam:UpdateRole",
                    "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy",
                    "iam:AttachRolePolicy",
                    "iam:DetachRolePolicy",
                    "iam:PutRolePermissionsBoundary",
                    "iam:DeleteRolePermissionsBoundary",
                ])
                .resource(role.clone())
                .condition(Condition::new(
                    crate::iam::BaseOperator::ArnNotLike,
                    keys::PRINCIPAL_ARN,
                    [role],
                )),
        )
}

/// Protects the log archive, and a trail named `trail_name` in member accounts.
///
/// What it really protects is the archive bucket and its objects, which a StackSet made
/// in a member account (the audit account): nobody but the StackSet's execution role
/// ([`STACKSET_EXECUTION_ROLE_ARN`]) deletes log objects or changes the bucket's policy,
/// versioning, lifecycle or Object Lock. The organization trail itself lives in the
/// management account, which SCPs never restrict, so the trail statement cannot protect
/// it — member accounts cannot change an organization trail anyway; the statement only
/// covers a trail of that name made in a member account. Keep people out of the
/// management account and alert on its activity to protect the trail.
pub fn protect_audit_trail(trail_name: &str, bucket_name: impl Into<Value>) -> PolicyDocument {
    let bucket: Value = bucket_name.into();
    let bucket_arn = Value::from(crate::cfn::Expr::sub_with(
        "arn:${AWS::Partition}:s3:::${Bucket}",
        [("Bucket", bucket.clone())],
    ));
    let objects_arn = Value::from(crate::cfn::Expr::sub_with(
        "arn:${AWS::Partition}:s3:::${Bucket}/*",
        [("Bucket", bucket)],
    ));
    PolicyDocument::new()
        .statement(
            Statement::deny()
                .sid("ProtectOrganizationTrail")
                .actions([
                    "cloudtrail:StopLogging",
                    "cloudtrail:DeleteTrail",
                    "cloudtrail:UpdateTrail",
                    "cloudtrail:PutEventSelectors",
                    "cloudtrail:PutInsightSelectors",
                ])
                .resource(format!("arn:*:cloudtrail:*:*:trail/{trail_name}")),
        )
        .statement(
            Statement::deny()
                .sid("ProtectLogArchive")
                .actions([
                    "s3:DeleteBucket",
                    "s3:DeleteBucketPolicy",
                    "s3:PutBucketPolicy",
                    "s3:PutBucketVersioning",
                    "s3:PutLifecycleConfiguration",
                    "s3:PutBucketObjectLockConfiguration",
                    "s3:DeleteObject",
                    "s3:DeleteObjectVersion",
                ])
                .resources([bucket_arn, objects_arn])
                .condition(Condition::new(
                    crate::iam::BaseOperator::ArnNotLike,
                    keys::PRINCIPAL_ARN,
                    [STACKSET_EXECUTION_ROLE_ARN],
                )),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::Effect;

    /// Evaluates the STS guardrail the way IAM does for `StringNotEquals` on a single-valued
    /// key: the Deny applies when the requested region is none of the listed ones.
    fn denies(doc: &PolicyDocument, action: &str, region: &str) -> bool {
        doc.get_statements().iter().any(|st| {
            st.effect() == Effect::Deny
                && st.get_actions().iter().any(|a| a.matches(action))
                && st.get_conditions().iter().all(|c| {
                    assert_eq!(c.key.as_str(), "aws:RequestedRegion");
                    assert_eq!(c.operator.name(), "StringNotEquals");
                    !c.values.iter().any(|v| v.as_str() == Some(region))
                })
        })
    }

    #[test]
    fn sts_guardrail_denies_other_regions_only() {
        let doc = deny_sts_outside_regions(&["us-east-1", "eu-west-1"]);
        assert!(!denies(&doc, "sts:AssumeRole", "us-east-1"));
        assert!(!denies(&doc, "sts:GetSessionToken", "eu-west-1"));
        assert!(denies(&doc, "sts:AssumeRole", "ap-southeast-2"));
        assert!(denies(&doc, "sts:GetCallerIdentity", "eu-central-1"));
        assert!(!denies(&doc, "s3:GetObject", "ap-southeast-2"));
    }

    #[test]
    fn guardrails_are_valid_scps() {
        for doc in [
            deny_sts_outside_regions(&["us-east-1"]),
            deny_leave_organization(),
            deny_root_user(),
            protect_organization_access_role("OrganizationAccountAccessRole"),
            protect_audit_trail("org-trail", "bucket"),
        ] {
            assert!(doc.problems().is_empty(), "{:?}", doc.problems());
            assert!(doc
                .get_statements()
                .iter()
                .all(|s| s.effect() == Effect::Deny && s.get_principals().is_empty()));
        }
    }
}
