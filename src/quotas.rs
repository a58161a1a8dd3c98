//! The service quotas that no resource schema checks, in one configurable value.

use crate::policy_type::PolicyType;

/// Quotas checked at synthesis. The defaults are AWS's defaults as of 2026; several are
/// raisable per account, and AWS has changed some of them before, so every one can be set.
///
/// The Organizations policy quotas are per policy type, in [`Quotas::policies`]; set them by
/// field or by type. A quota of `usize::MAX` means "no limit".
///
/// ```
/// use orgstack::{App, Quotas, org::PolicyType};
/// let mut quotas = Quotas::default();
/// quotas.trust_policy_size = 4096; // raised through Service Quotas
/// quotas.policies.service_control.per_target = 12;
/// quotas.policy_mut(&PolicyType::ResourceControlPolicy).size = 10_240;
/// let app = App::with_quotas(quotas);
/// assert_eq!(app.quotas().trust_policy_size, 4096);
/// assert_eq!(app.quotas().policy(&PolicyType::ServiceControlPolicy).per_target, 12);
/// assert_eq!(app.quotas().policies.resource_control.size, 10_240);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Quotas {
    /// Resources in one template (CloudFormation: 500).
    pub resources_per_template: usize,
    /// Bytes of one rendered template (CloudFormation: 1,000,000).
    pub template_bytes: usize,
    /// Characters of a StackSet's inline `TemplateBody` (51,200).
    pub template_body_bytes: usize,
    /// Parameters in one template (200).
    pub parameters_per_template: usize,
    /// Outputs in one template (200).
    pub outputs_per_template: usize,
    /// The size of one Organizations policy and the policies attached directly to one
    /// target, per policy type; [`Quotas::policy`] reads them by type.
    pub policies: PolicyQuotas,
    /// Nesting depth of organizational units under the root (5).
    pub ou_depth: usize,
    /// Characters of a role's trust policy (2,048; raisable to 4,096).
    pub trust_policy_size: usize,
    /// Characters of a customer managed policy, whitespace not counted (6,144).
    pub managed_policy_size: usize,
    /// Managed policies attached to one role or group (10; raisable to 20).
    pub managed_policies_per_identity: usize,
    /// Characters of all inline policies of one role together (10,240).
    pub role_inline_policy_size: usize,
    /// Characters of all inline policies of one group together (5,120).
    pub group_inline_policy_size: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            resources_per_template: 500,
            template_bytes: 1_000_000,
            template_body_bytes: 51_200,
            parameters_per_template: 200,
            outputs_per_template: 200,
            policies: PolicyQuotas::default(),
            ou_depth: 5,
            trust_policy_size: 2_048,
            managed_policy_size: 6_144,
            managed_policies_per_identity: 10,
            role_inline_policy_size: 10_240,
            group_inline_policy_size: 5_120,
        }
    }
}

impl Quotas {
    /// The quotas of policies of type `ty` (those of [`PolicyQuotas::other`] for a type this
    /// version does not know).
    ///
    /// ```
    /// use orgstack::{Quotas, org::PolicyType};
    /// let q = Quotas::default();
    /// let rcp = q.policy(&PolicyType::ResourceControlPolicy);
    /// assert_eq!((rcp.size, rcp.per_target), (5_120, 5));
    /// assert_eq!(q.policy(&"TAG_POLICY".parse().unwrap()).size, 10_000);
    /// ```
    pub fn policy(&self, ty: &PolicyType) -> PolicyQuota {
        self.policies.get(ty)
    }

    /// The quotas of policies of type `ty`, to change.
    pub fn policy_mut(&mut self, ty: &PolicyType) -> &mut PolicyQuota {
        self.policies.get_mut(ty)
    }
}

/// The quotas of one Organizations policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyQuota {
    /// Characters of one policy's content, minified. Whitespace counts: AWS stores content
    /// sent through CloudFormation verbatim.
    pub size: usize,
    /// Policies of this type attached directly to one root, OU or account. AWS's own
    /// policies count while attached: `FullAWSAccess` for SCPs, `RCPFullAWSAccess` for RCPs.
    pub per_target: usize,
}

impl PolicyQuota {
    /// A quota of `size` characters and `per_target` policies per target.
    pub const fn new(size: usize, per_target: usize) -> Self {
        PolicyQuota { size, per_target }
    }
}

/// The quotas of each Organizations policy type: AWS's defaults as of 2026. Where AWS gives
/// no value for a type, its general values apply: 10,000 characters, and 10 policies per
/// target (those of tag and backup policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyQuotas {
    /// `SERVICE_CONTROL_POLICY`: 10,240 characters, 10 per target (both since 2026-05-15,
    /// from 5,120 and 5); `FullAWSAccess` counts while attached.
    pub service_control: PolicyQuota,
    /// `RESOURCE_CONTROL_POLICY`: 5,120 characters, 5 per target; `RCPFullAWSAccess`, which
    /// AWS attaches to every target once RCPs are enabled, counts.
    pub resource_control: PolicyQuota,
    /// `TAG_POLICY`: 10,000 characters, 10 per target.
    pub tag: PolicyQuota,
    /// `BACKUP_POLICY`: 10,000 characters, 10 per target.
    pub backup: PolicyQuota,
    /// `AISERVICES_OPT_OUT_POLICY`: 2,500 characters, 5 per target.
    pub ai_services_opt_out: PolicyQuota,
    /// `CHATBOT_POLICY`: 10,000 characters; 10 per target (no value known: the tag and
    /// backup value).
    pub chatbot: PolicyQuota,
    /// `DECLARATIVE_POLICY_EC2`: 10,000 characters; 10 per target (no value known: the tag
    /// and backup value).
    pub declarative_ec2: PolicyQuota,
    /// `SECURITYHUB_POLICY`: 10,000 characters; 10 per target (no value known: the tag and
    /// backup value).
    pub security_hub: PolicyQuota,
    /// `GUARDDUTY_POLICY`: no values known, the general 10,000 characters and 10 per target.
    pub guardduty: PolicyQuota,
    /// `INSPECTOR_POLICY`: no values known, the general 10,000 characters and 10 per target.
    pub inspector: PolicyQuota,
    /// `BEDROCK_POLICY`: no values known, the general 10,000 characters and 10 per target.
    pub bedrock: PolicyQuota,
    /// `S3_POLICY`: no values known, the general 10,000 characters and 10 per target.
    pub s3: PolicyQuota,
    /// `NETWORK_SECURITY_DIRECTOR_POLICY`: no values known, the general 10,000 characters
    /// and 10 per target.
    pub network_security_director: PolicyQuota,
    /// `UPGRADE_ROLLOUT_POLICY`: no values known, the general 10,000 characters and 10 per
    /// target.
    pub upgrade_rollout: PolicyQuota,
    /// A type this version does not know ([`PolicyType::Other`]): the general 10,000
    /// characters and 10 per target.
    pub other: PolicyQuota,
}

impl Default for PolicyQuotas {
    fn default() -> Self {
        let general = PolicyQuota::new(10_000, 10);
        PolicyQuotas {
            service_control: PolicyQuota::new(10_240, 10),
            resource_control: PolicyQuota::new(5_120, 5),
            tag: general,
            backup: general,
            ai_services_opt_out: PolicyQuota::new(2_500, 5),
            chatbot: general,
            declarative_ec2: general,
            security_hub: general,
            guardduty: general,
            inspector: general,
            bedrock: general,
            s3: general,
            network_security_director: general,
            upgrade_rollout: general,
            other: general,
        }
    }
}

impl PolicyQuotas {
    /// The quotas of type `ty`; an [`Other`](PolicyType::Other) that names a known type
    /// reads that type's.
    pub fn get(&self, ty: &PolicyType) -> PolicyQuota {
        match ty {
            PolicyType::ServiceControlPolicy => self.service_control,
            PolicyType::ResourceControlPolicy => self.resource_control,
            PolicyType::TagPolicy => self.tag,
            PolicyType::BackupPolicy => self.backup,
            PolicyType::AiServicesOptOutPolicy => self.ai_services_opt_out,
            PolicyType::ChatbotPolicy => self.chatbot,
            PolicyType::DeclarativePolicyEc2 => self.declarative_ec2,
            PolicyType::SecurityHubPolicy => self.security_hub,
            PolicyType::GuardDutyPolicy => self.guardduty,
            PolicyType::InspectorPolicy => self.inspector,
            PolicyType::BedrockPolicy => self.bedrock,
            PolicyType::S3Policy => self.s3,
            PolicyType::NetworkSecurityDirectorPolicy => self.network_security_director,
            PolicyType::UpgradeRolloutPolicy => self.upgrade_rollout,
            PolicyType::Other(s) => match PolicyType::from(s.as_str()) {
                PolicyType::Other(_) => self.other,
                known => self.get(&known),
            },
        }
    }

    /// The quotas of type `ty`, to change; an [`Other`](PolicyType::Other) that names a
    /// known type changes that type's.
    pub fn get_mut(&mut self, ty: &PolicyType) -> &mut PolicyQuota {
        match ty {
            PolicyType::ServiceControlPolicy => &mut self.service_control,
            PolicyType::ResourceControlPolicy => &mut self.resource_control,
            PolicyType::TagPolicy => &mut self.tag,
            PolicyType::BackupPolicy => &mut self.backup,
            PolicyType::AiServicesOptOutPolicy => &mut self.ai_services_opt_out,
            PolicyType::ChatbotPolicy => &mut self.chatbot,
            PolicyType::DeclarativePolicyEc2 => &mut self.declarative_ec2,
            PolicyType::SecurityHubPolicy => &mut self.security_hub,
            PolicyType::GuardDutyPolicy => &mut self.guardduty,
            PolicyType::InspectorPolicy => &mut self.inspector,
            PolicyType::BedrockPolicy => &mut self.bedrock,
            PolicyType::S3Policy => &mut self.s3,
            PolicyType::NetworkSecurityDirectorPolicy => &mut self.network_security_director,
            PolicyType::UpgradeRolloutPolicy => &mut self.upgrade_rollout,
            PolicyType::Other(s) => match PolicyType::from(s.as_str()) {
                PolicyType::Other(_) => &mut self.other,
                known => self.get_mut(&known),
            },
        }
    }

    /// The largest size any type accepts: what a policy whose type is not a literal is
    /// checked against.
    pub(crate) fn largest_size(&self) -> usize {
        PolicyType::KNOWN
            .iter()
            .map(|t| self.get(t).size)
            .chain([self.other.size])
            .max()
            .unwrap_or(self.other.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_defaults_follow_aws() {
        let q = Quotas::default();
        let of = |t: PolicyType| {
            let p = q.policy(&t);
            (p.size, p.per_target)
        };
        assert_eq!(of(PolicyType::ServiceControlPolicy), (10_240, 10));
        assert_eq!(of(PolicyType::ResourceControlPolicy), (5_120, 5));
        assert_eq!(of(PolicyType::TagPolicy), (10_000, 10));
        assert_eq!(of(PolicyType::BackupPolicy), (10_000, 10));
        assert_eq!(of(PolicyType::AiServicesOptOutPolicy), (2_500, 5));
        for t in [
            PolicyType::ChatbotPolicy,
            PolicyType::DeclarativePolicyEc2,
            PolicyType::SecurityHubPolicy,
            PolicyType::GuardDutyPolicy,
            PolicyType::InspectorPolicy,
            PolicyType::BedrockPolicy,
            PolicyType::S3Policy,
            PolicyType::NetworkSecurityDirectorPolicy,
            PolicyType::UpgradeRolloutPolicy,
            PolicyType::Other("NEW_POLICY".into()),
        ] {
            assert_eq!(of(t.clone()), (10_000, 10), "{t}");
        }
    }

    #[test]
    fn every_known_type_has_its_own_quota() {
        let mut q = PolicyQuotas::default();
        for (i, t) in PolicyType::KNOWN.iter().enumerate() {
            q.get_mut(t).size = i;
        }
        q.other.size = 99;
        for (i, t) in PolicyType::KNOWN.iter().enumerate() {
            assert_eq!(q.get(t).size, i, "{t}");
        }
        assert_eq!(q.get(&PolicyType::Other("NEW".into())).size, 99);
    }

    #[test]
    fn other_naming_a_known_type_reads_that_type() {
        let mut q = Quotas::default();
        q.policy_mut(&PolicyType::Other("RESOURCE_CONTROL_POLICY".into()))
            .per_target = 7;
        assert_eq!(q.policies.resource_control.per_target, 7);
        assert_eq!(q.policies.other.per_target, 10);
        assert_eq!(
            q.policy(&PolicyType::Other("RESOURCE_CONTROL_POLICY".into())),
            q.policies.resource_control
        );
    }

    #[test]
    fn largest_size_is_over_every_type() {
        let mut q = PolicyQuotas::default();
        assert_eq!(q.largest_size(), 10_240);
        q.bedrock.size = 50_000;
        assert_eq!(q.largest_size(), 50_000);
        q.other.size = 60_000;
        assert_eq!(q.largest_size(), 60_000);
    }
}
