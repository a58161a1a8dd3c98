//! The kinds of Organizations policy, as `AWS::Organizations::Policy.Type` takes them. Below
//! the organization constructs, the quotas and the resource-schema checks, so all three can
//! name it; public as [`org::PolicyType`](crate::org::PolicyType).

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// The kind of an Organizations policy: the 14 values of `AWS::Organizations::Policy.Type`,
/// with an escape for values added after this version.
///
/// [`as_str`](PolicyType::as_str) gives the value CloudFormation takes; parsing maps a known
/// value to its variant and any other to [`Other`](PolicyType::Other), so it never fails.
/// Each type has its own size and per-target quotas ([`Quotas::policy`](crate::Quotas::policy)).
/// `Type` is create-only: changing it replaces the policy.
///
/// ```
/// use orgstack::org::PolicyType;
/// let rcp: PolicyType = "RESOURCE_CONTROL_POLICY".parse().unwrap();
/// assert_eq!(rcp, PolicyType::ResourceControlPolicy);
/// assert_eq!(rcp.as_str(), "RESOURCE_CONTROL_POLICY");
/// let future = PolicyType::from("FUTURE_POLICY");
/// assert_eq!(future, PolicyType::Other("FUTURE_POLICY".into()));
/// assert_eq!(future.to_string(), "FUTURE_POLICY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyType {
    /// `SERVICE_CONTROL_POLICY` (SCP): the most a principal in the target may do. An
    /// authorization policy, written in the IAM policy language.
    ServiceControlPolicy,
    /// `RESOURCE_CONTROL_POLICY` (RCP): the most anyone may do with the target's resources.
    /// An authorization policy, written in the IAM policy language.
    ResourceControlPolicy,
    /// `TAG_POLICY`: the tag keys and values the target's resources must use.
    TagPolicy,
    /// `BACKUP_POLICY`: AWS Backup plans applied to the target's accounts.
    BackupPolicy,
    /// `AISERVICES_OPT_OUT_POLICY`: whether AWS AI services may store and use content
    /// they process.
    AiServicesOptOutPolicy,
    /// `CHATBOT_POLICY`: which chat clients and settings AWS Chatbot may use in the
    /// target's accounts.
    ChatbotPolicy,
    /// `DECLARATIVE_POLICY_EC2`: the EC2 configuration (a declarative policy) enforced in
    /// the target's accounts.
    DeclarativePolicyEc2,
    /// `SECURITYHUB_POLICY`: the AWS Security Hub configuration of the target's accounts.
    SecurityHubPolicy,
    /// `GUARDDUTY_POLICY`: the Amazon GuardDuty configuration of the target's accounts.
    GuardDutyPolicy,
    /// `INSPECTOR_POLICY`: the Amazon Inspector configuration of the target's accounts.
    InspectorPolicy,
    /// `BEDROCK_POLICY`: the Amazon Bedrock settings enforced in the target's accounts.
    BedrockPolicy,
    /// `S3_POLICY`: the Amazon S3 settings enforced in the target's accounts.
    S3Policy,
    /// `NETWORK_SECURITY_DIRECTOR_POLICY`: the settings of AWS Shield network security
    /// director for the target's accounts.
    NetworkSecurityDirectorPolicy,
    /// `UPGRADE_ROLLOUT_POLICY`: the order in which AWS services (Aurora, RDS…) apply
    /// automatic upgrades to the target's resources.
    UpgradeRolloutPolicy,
    /// A type this version does not know, written as is. A known value given here is
    /// still read as its own type: the policy constructors and
    /// [`Quotas::policy`](crate::Quotas::policy) parse it (`"TAG_POLICY".parse()` gives
    /// [`TagPolicy`](PolicyType::TagPolicy)).
    Other(String),
}

impl PolicyType {
    /// Every type this version knows, in the order of the schema's description.
    pub const KNOWN: &'static [PolicyType] = &[
        PolicyType::ServiceControlPolicy,
        PolicyType::ResourceControlPolicy,
        PolicyType::TagPolicy,
        PolicyType::BackupPolicy,
        PolicyType::AiServicesOptOutPolicy,
        PolicyType::ChatbotPolicy,
        PolicyType::DeclarativePolicyEc2,
        PolicyType::SecurityHubPolicy,
        PolicyType::GuardDutyPolicy,
        PolicyType::InspectorPolicy,
        PolicyType::BedrockPolicy,
        PolicyType::S3Policy,
        PolicyType::NetworkSecurityDirectorPolicy,
        PolicyType::UpgradeRolloutPolicy,
    ];

    /// The value as CloudFormation takes it.
    pub fn as_str(&self) -> &str {
        match self {
            PolicyType::ServiceControlPolicy => "SERVICE_CONTROL_POLICY",
            PolicyType::ResourceControlPolicy => "RESOURCE_CONTROL_POLICY",
            PolicyType::TagPolicy => "TAG_POLICY",
            PolicyType::BackupPolicy => "BACKUP_POLICY",
            PolicyType::AiServicesOptOutPolicy => "AISERVICES_OPT_OUT_POLICY",
            PolicyType::ChatbotPolicy => "CHATBOT_POLICY",
            PolicyType::DeclarativePolicyEc2 => "DECLARATIVE_POLICY_EC2",
            PolicyType::SecurityHubPolicy => "SECURITYHUB_POLICY",
            PolicyType::GuardDutyPolicy => "GUARDDUTY_POLICY",
            PolicyType::InspectorPolicy => "INSPECTOR_POLICY",
            PolicyType::BedrockPolicy => "BEDROCK_POLICY",
            PolicyType::S3Policy => "S3_POLICY",
            PolicyType::NetworkSecurityDirectorPolicy => "NETWORK_SECURITY_DIRECTOR_POLICY",
            PolicyType::UpgradeRolloutPolicy => "UPGRADE_ROLLOUT_POLICY",
            PolicyType::Other(s) => s,
        }
    }

    /// The known type written `s`, if any (exact, upper case as AWS writes it).
    fn known(s: &str) -> Option<PolicyType> {
        PolicyType::KNOWN.iter().find(|t| t.as_str() == s).cloned()
    }

    /// This type with an [`Other`](PolicyType::Other) that names a known type read as it.
    pub(crate) fn normalized(self) -> PolicyType {
        match self {
            PolicyType::Other(s) => PolicyType::from(s),
            known => known,
        }
    }

    /// Whether it is an authorization policy (SCP, RCP), written in the IAM policy
    /// language.
    pub(crate) fn is_authorization(&self) -> bool {
        matches!(
            self,
            PolicyType::ServiceControlPolicy | PolicyType::ResourceControlPolicy
        )
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PolicyType {
    type Err = Infallible;

    /// The known type `s` names, else [`PolicyType::Other`]; never fails.
    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(PolicyType::from(s))
    }
}

impl From<&str> for PolicyType {
    fn from(s: &str) -> Self {
        PolicyType::known(s).unwrap_or_else(|| PolicyType::Other(s.to_owned()))
    }
}

impl From<String> for PolicyType {
    fn from(s: String) -> Self {
        PolicyType::known(&s).unwrap_or(PolicyType::Other(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_round_trips() {
        assert_eq!(PolicyType::KNOWN.len(), 14);
        for t in PolicyType::KNOWN {
            assert!(!matches!(t, PolicyType::Other(_)));
            assert_eq!(&t.as_str().parse::<PolicyType>().unwrap(), t);
            assert_eq!(&PolicyType::from(t.to_string()), t);
        }
    }

    #[test]
    fn unknown_values_are_kept_as_written() {
        let t: PolicyType = "NEW_POLICY".parse().unwrap();
        assert_eq!(t, PolicyType::Other("NEW_POLICY".into()));
        assert_eq!(t.as_str(), "NEW_POLICY");
        // Parsing is exact: AWS writes the values in upper case.
        assert_eq!(
            PolicyType::from("tag_policy"),
            PolicyType::Other("tag_policy".into())
        );
    }

    #[test]
    fn other_naming_a_known_type_normalizes_to_it() {
        assert_eq!(
            PolicyType::Other("RESOURCE_CONTROL_POLICY".into()).normalized(),
            PolicyType::ResourceControlPolicy
        );
        assert_eq!(
            PolicyType::Other("X".into()).normalized(),
            PolicyType::Other("X".into())
        );
    }

    #[test]
    fn only_scps_and_rcps_are_authorization_policies() {
        let auth: Vec<&str> = PolicyType::KNOWN
            .iter()
            .filter(|t| t.is_authorization())
            .map(PolicyType::as_str)
            .collect();
        assert_eq!(auth, ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]);
    }
}
