//! Condition keys, and constants for the ones foundations use most.

use std::borrow::Cow;
use std::fmt;

/// The name of a condition key, e.g. `aws:PrincipalOrgID`.
///
/// Common global keys are constants in [`keys`]; any other key is built with
/// [`ConditionKey::new`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConditionKey(Cow<'static, str>);

impl ConditionKey {
    /// A key with the given name.
    pub fn new(name: impl Into<String>) -> ConditionKey {
        ConditionKey(Cow::Owned(name.into()))
    }

    /// A key from a static name, usable in constants.
    pub const fn from_static(name: &'static str) -> ConditionKey {
        ConditionKey(Cow::Borrowed(name))
    }

    /// The key's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConditionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ConditionKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&'static str> for ConditionKey {
    fn from(name: &'static str) -> Self {
        ConditionKey::from_static(name)
    }
}

impl From<String> for ConditionKey {
    fn from(name: String) -> Self {
        ConditionKey::new(name)
    }
}

/// Condition keys used by foundation policies.
pub mod keys {
    use super::ConditionKey;

    /// `aws:MultiFactorAuthPresent`: absent (not `false`) for long-term access keys.
    pub const MULTI_FACTOR_AUTH_PRESENT: ConditionKey =
        ConditionKey::from_static("aws:MultiFactorAuthPresent");
    /// `aws:MultiFactorAuthAge`: seconds since the principal authenticated with MFA.
    pub const MULTI_FACTOR_AUTH_AGE: ConditionKey =
        ConditionKey::from_static("aws:MultiFactorAuthAge");
    /// `aws:RequestedRegion`: the region of the endpoint called.
    pub const REQUESTED_REGION: ConditionKey = ConditionKey::from_static("aws:RequestedRegion");
    /// `aws:PrincipalOrgID`: the organization of the calling principal.
    pub const PRINCIPAL_ORG_ID: ConditionKey = ConditionKey::from_static("aws:PrincipalOrgID");
    /// `aws:PrincipalArn`: the ARN of the calling principal.
    pub const PRINCIPAL_ARN: ConditionKey = ConditionKey::from_static("aws:PrincipalArn");
    /// `aws:PrincipalAccount`: the account of the calling principal.
    pub const PRINCIPAL_ACCOUNT: ConditionKey = ConditionKey::from_static("aws:PrincipalAccount");
    /// `aws:PrincipalType`: `Account`, `User`, `FederatedUser`, `AssumedRole` or `Anonymous`.
    pub const PRINCIPAL_TYPE: ConditionKey = ConditionKey::from_static("aws:PrincipalType");
    /// `aws:AssumedRoot`: `"true"` in the privileged root sessions `sts:AssumeRoot` opens,
    /// absent otherwise.
    pub const ASSUMED_ROOT: ConditionKey = ConditionKey::from_static("aws:AssumedRoot");
    /// `aws:SourceOrgID`: the organization of the resource making a service-to-service request.
    pub const SOURCE_ORG_ID: ConditionKey = ConditionKey::from_static("aws:SourceOrgID");
    /// `aws:SourceArn`: the ARN of the resource making a service-to-service request.
    pub const SOURCE_ARN: ConditionKey = ConditionKey::from_static("aws:SourceArn");
    /// `aws:SourceAccount`: the account of the resource making a service-to-service request.
    pub const SOURCE_ACCOUNT: ConditionKey = ConditionKey::from_static("aws:SourceAccount");
    /// `aws:SecureTransport`: whether the request was sent over TLS.
    pub const SECURE_TRANSPORT: ConditionKey = ConditionKey::from_static("aws:SecureTransport");
    /// `aws:username`: the friendly name of the calling IAM user.
    pub const USERNAME: ConditionKey = ConditionKey::from_static("aws:username");
    /// `aws:userid`: the unique id of the caller.
    pub const USER_ID: ConditionKey = ConditionKey::from_static("aws:userid");
    /// `aws:CalledVia`: the services that made the request on the principal's behalf.
    pub const CALLED_VIA: ConditionKey = ConditionKey::from_static("aws:CalledVia");
    /// `aws:ViaAWSService`: whether a service made the request on the principal's behalf.
    pub const VIA_AWS_SERVICE: ConditionKey = ConditionKey::from_static("aws:ViaAWSService");
    /// `aws:ResourceOrgID`: the organization of the resource accessed.
    pub const RESOURCE_ORG_ID: ConditionKey = ConditionKey::from_static("aws:ResourceOrgID");
    /// `aws:ResourceOrgPaths`: the organization paths of the account that owns the resource.
    pub const RESOURCE_ORG_PATHS: ConditionKey = ConditionKey::from_static("aws:ResourceOrgPaths");
    /// `aws:PrincipalOrgPaths`: the organization paths of the principal's account.
    pub const PRINCIPAL_ORG_PATHS: ConditionKey =
        ConditionKey::from_static("aws:PrincipalOrgPaths");
    /// `s3:x-amz-server-side-encryption`: the encryption requested on upload.
    pub const S3_X_AMZ_SERVER_SIDE_ENCRYPTION: ConditionKey =
        ConditionKey::from_static("s3:x-amz-server-side-encryption");
    /// `s3:x-amz-acl`: the canned ACL requested.
    pub const S3_X_AMZ_ACL: ConditionKey = ConditionKey::from_static("s3:x-amz-acl");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names() {
        let expected = [
            (
                keys::MULTI_FACTOR_AUTH_PRESENT,
                "aws:MultiFactorAuthPresent",
            ),
            (keys::MULTI_FACTOR_AUTH_AGE, "aws:MultiFactorAuthAge"),
            (keys::REQUESTED_REGION, "aws:RequestedRegion"),
            (keys::PRINCIPAL_ORG_ID, "aws:PrincipalOrgID"),
            (keys::PRINCIPAL_ARN, "aws:PrincipalArn"),
            (keys::PRINCIPAL_ACCOUNT, "aws:PrincipalAccount"),
            (keys::PRINCIPAL_TYPE, "aws:PrincipalType"),
            (keys::SOURCE_ORG_ID, "aws:SourceOrgID"),
            (keys::SOURCE_ARN, "aws:SourceArn"),
            (keys::SOURCE_ACCOUNT, "aws:SourceAccount"),
            (keys::SECURE_TRANSPORT, "aws:SecureTransport"),
            (keys::USERNAME, "aws:username"),
            (keys::USER_ID, "aws:userid"),
            (keys::CALLED_VIA, "aws:CalledVia"),
            (keys::VIA_AWS_SERVICE, "aws:ViaAWSService"),
            (keys::RESOURCE_ORG_ID, "aws:ResourceOrgID"),
            (
                keys::S3_X_AMZ_SERVER_SIDE_ENCRYPTION,
                "s3:x-amz-server-side-encryption",
            ),
            (keys::S3_X_AMZ_ACL, "s3:x-amz-acl"),
        ];
        for (key, name) in expected {
            assert_eq!(key.as_str(), name);
            assert_eq!(key.to_string(), name);
        }
    }

    #[test]
    fn owned_and_static_keys_are_equal() {
        assert_eq!(
            ConditionKey::new("aws:SecureTransport"),
            keys::SECURE_TRANSPORT
        );
        assert_eq!(ConditionKey::from("aws:userid"), keys::USER_ID);
        assert_eq!(
            ConditionKey::from(String::from("ec2:ResourceTag/Team")).as_str(),
            "ec2:ResourceTag/Team"
        );
    }
}
