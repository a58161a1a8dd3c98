//! The service quotas that no resource schema checks, in one configurable value.

/// Quotas checked at synthesis. The defaults are AWS's defaults as of 2026; several are
/// raisable per account, and AWS has changed some of them before, so every one can be set.
///
/// ```
/// use orgstack::{App, Quotas};
/// let mut quotas = Quotas::default();
/// quotas.trust_policy_size = 4096; // raised through Service Quotas
/// let app = App::with_quotas(quotas);
/// assert_eq!(app.quotas().trust_policy_size, 4096);
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
    /// Characters of one Organizations policy document, minified (10,240 since 2026-05-15).
    pub organizations_policy_size: usize,
    /// Policies of one type attached directly to one root, OU or account (10 since 2026-05-15);
    /// AWS's `FullAWSAccess` counts while attached.
    pub policies_per_target: usize,
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
            organizations_policy_size: 10_240,
            policies_per_target: 10,
            ou_depth: 5,
            trust_policy_size: 2_048,
            managed_policy_size: 6_144,
            managed_policies_per_identity: 10,
            role_inline_policy_size: 10_240,
            group_inline_policy_size: 5_120,
        }
    }
}
