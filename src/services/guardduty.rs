//! The GuardDuty policy (`GUARDDUTY_POLICY`): which GuardDuty features are on in the
//! accounts of its targets, by default and region by region, as a typed document.
//!
//! What the syntax documentation says, and this module follows:
//! - the syntax is that of the declarative management policies: values are set with
//!   `@@assign`, and the policies of the root, the OUs and the account merge as
//!   [`effective_policy`](super::effective_policy) merges them;
//! - an optional `default` block applies to every region where GuardDuty is available;
//!   a block keyed by a region's name applies to that region only and *replaces* the
//!   default there (it is not merged with it: a feature left out of a region's block is
//!   not taken from the default);
//! - a policy holds at least one block;
//! - the feature keys are `foundational`, `s3_data_events`, `eks_audit_logs`,
//!   `ebs_malware_protection`, `rds_login_events` and `lambda_network_logs`
//!   ([`GuardDutyFeature`]);
//! - without a `default`, a region no block names is left as it is (not disabled);
//! - it applies to the accounts of the organization only (not to accounts associated by
//!   invitation), through GuardDuty's delegated administrator, which is designated per
//!   region; in the management account it enables GuardDuty only once GuardDuty's
//!   service-linked role exists there.
//!
//! What could not be confirmed from the documentation read for this version, and is
//! therefore kept to the declarative-policy pattern the other management policies of
//! this crate use: the key above the blocks (`guardduty`, as Security Hub's policy has
//! `securityhub`), and the values a feature's `@@assign` takes (`enabled`, `disabled`).
//! A feature the documentation lists after `lambda_network_logs` (an `ai_…` key) is not
//! modelled, nor are child-policy operators. Compare [`GuardDutyPolicy::to_json`] with
//! the Organizations user guide's *GuardDuty policy syntax and examples* before relying
//! on the document.

use indexmap::IndexMap;
use serde_json::Value as Json;

use crate::app::App;
use crate::cfn::Value;
use crate::error::{Diagnostic, Diagnostics, Error, Result, Rule};
use crate::org::{OrganizationHandle, Policy, PolicyHandle, PolicyType};

use super::management::{json_to_value, Setting};

/// The key above the blocks.
const SERVICE_KEY: &str = "guardduty";
/// The key of the block every region without its own takes.
const DEFAULT_KEY: &str = "default";

/// A GuardDuty feature a [`GuardDutyPolicy`] turns on or off, by its policy key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum GuardDutyFeature {
    /// `foundational`: GuardDuty's foundational threat detection (the detector itself).
    Foundational,
    /// `s3_data_events`: S3 Protection.
    S3DataEvents,
    /// `eks_audit_logs`: EKS Protection.
    EksAuditLogs,
    /// `ebs_malware_protection`: Malware Protection for EC2 (EBS volumes).
    EbsMalwareProtection,
    /// `rds_login_events`: RDS Protection.
    RdsLoginEvents,
    /// `lambda_network_logs`: Lambda Protection.
    LambdaNetworkLogs,
}

impl GuardDutyFeature {
    /// Every feature this version knows, in the documentation's order.
    pub const ALL: [GuardDutyFeature; 6] = [
        GuardDutyFeature::Foundational,
        GuardDutyFeature::S3DataEvents,
        GuardDutyFeature::EksAuditLogs,
        GuardDutyFeature::EbsMalwareProtection,
        GuardDutyFeature::RdsLoginEvents,
        GuardDutyFeature::LambdaNetworkLogs,
    ];

    /// The feature's name in GuardDuty's own API (`update-organization-configuration
    /// --features`); `None` for foundational detection, which is the detector itself.
    pub fn api_name(self) -> Option<&'static str> {
        Some(match self {
            GuardDutyFeature::Foundational => return None,
            GuardDutyFeature::S3DataEvents => "S3_DATA_EVENTS",
            GuardDutyFeature::EksAuditLogs => "EKS_AUDIT_LOGS",
            GuardDutyFeature::EbsMalwareProtection => "EBS_MALWARE_PROTECTION",
            GuardDutyFeature::RdsLoginEvents => "RDS_LOGIN_EVENTS",
            GuardDutyFeature::LambdaNetworkLogs => "LAMBDA_NETWORK_LOGS",
        })
    }

    /// The feature's key in the policy.
    pub fn key(self) -> &'static str {
        match self {
            GuardDutyFeature::Foundational => "foundational",
            GuardDutyFeature::S3DataEvents => "s3_data_events",
            GuardDutyFeature::EksAuditLogs => "eks_audit_logs",
            GuardDutyFeature::EbsMalwareProtection => "ebs_malware_protection",
            GuardDutyFeature::RdsLoginEvents => "rds_login_events",
            GuardDutyFeature::LambdaNetworkLogs => "lambda_network_logs",
        }
    }
}

/// Whether a feature is on or off where a block applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FeatureState {
    /// `enabled`.
    Enabled,
    /// `disabled`.
    Disabled,
}

impl FeatureState {
    /// The value the policy assigns.
    pub fn as_str(self) -> &'static str {
        match self {
            FeatureState::Enabled => "enabled",
            FeatureState::Disabled => "disabled",
        }
    }
}

/// One block of a [`GuardDutyPolicy`]: the features it sets, each enabled or disabled.
/// Setting a feature twice keeps the last state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct GuardDutyBlock {
    features: IndexMap<GuardDutyFeature, FeatureState>,
}

impl GuardDutyBlock {
    /// No feature yet.
    pub fn new() -> Self {
        GuardDutyBlock::default()
    }

    /// `feature` set to `state`.
    pub fn set(mut self, feature: GuardDutyFeature, state: FeatureState) -> Self {
        self.features.insert(feature, state);
        self
    }

    /// `feature` enabled.
    pub fn enable(self, feature: GuardDutyFeature) -> Self {
        self.set(feature, FeatureState::Enabled)
    }

    /// Each of `features` enabled.
    pub fn enable_all(self, features: impl IntoIterator<Item = GuardDutyFeature>) -> Self {
        features.into_iter().fold(self, Self::enable)
    }

    /// `feature` disabled.
    pub fn disable(self, feature: GuardDutyFeature) -> Self {
        self.set(feature, FeatureState::Disabled)
    }

    /// The features the block sets, in the order they were set.
    pub fn features(&self) -> impl Iterator<Item = (GuardDutyFeature, FeatureState)> + '_ {
        self.features.iter().map(|(f, s)| (*f, *s))
    }

    fn to_setting(&self) -> Setting {
        self.features.iter().fold(Setting::new(), |s, (f, state)| {
            s.key(f.key(), Setting::assign(state.as_str()))
        })
    }
}

/// A GuardDuty policy (`GUARDDUTY_POLICY`): the GuardDuty features on or off in the
/// accounts of its targets — in every region by the [`default`](Self::default_block)
/// block, in one region by that region's [block](Self::region), which replaces the
/// default there (a feature it leaves out is not taken from the default). GuardDuty
/// applies it through its delegated administrator
/// ([`DelegatedAdministrator`](super::DelegatedAdministrator)), in accounts of the
/// organization only; in the management account only once GuardDuty's service-linked
/// role exists there; regions no block covers are left as they are.
///
/// Problems — no block at all, a region's block without a feature, a region name that
/// is not one — are reported at synthesis with the policy's path when it is added with
/// [`add_to`](Self::add_to); [`validate`](Self::validate) checks the document alone.
/// [`content`](Self::content) gives the JSON for
/// [`Policy::management`](crate::org::Policy::management) with
/// [`PolicyType::GuardDutyPolicy`], unchecked. Either way the deploy plan enables the
/// policy type on the root. The module documentation says which details of the
/// rendering follow the documented syntax and which the pattern of the other
/// declarative policies.
///
/// ```
/// use orgstack::services::{GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};
/// let policy = GuardDutyPolicy::new()
///     .default_block(GuardDutyBlock::new().enable(GuardDutyFeature::Foundational))
///     .region("eu-west-1", GuardDutyBlock::new()
///         .enable(GuardDutyFeature::Foundational)
///         .enable(GuardDutyFeature::S3DataEvents));
/// policy.validate()?;
/// let json = policy.to_json();
/// assert_eq!(json["guardduty"]["default"]["foundational"]["@@assign"], "enabled");
/// assert_eq!(json["guardduty"]["eu-west-1"]["s3_data_events"]["@@assign"], "enabled");
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct GuardDutyPolicy {
    default: Option<GuardDutyBlock>,
    regions: IndexMap<String, GuardDutyBlock>,
}

impl GuardDutyPolicy {
    /// No block yet.
    pub fn new() -> Self {
        GuardDutyPolicy::default()
    }

    /// The `default` block: the features of every region without a block of its own.
    pub fn default_block(mut self, block: GuardDutyBlock) -> Self {
        self.default = Some(block);
        self
    }

    /// The block of `region` (e.g. `eu-west-1`), which replaces the default there; a
    /// second block for the same region replaces the first.
    pub fn region(mut self, region: impl Into<String>, block: GuardDutyBlock) -> Self {
        self.regions.insert(region.into(), block);
        self
    }

    /// The same block in each of `regions`.
    pub fn regions<R: Into<String>>(
        self,
        regions: impl IntoIterator<Item = R>,
        block: &GuardDutyBlock,
    ) -> Self {
        regions
            .into_iter()
            .fold(self, |p, r| p.region(r, block.clone()))
    }

    /// The policy's JSON.
    pub fn to_json(&self) -> Json {
        let mut blocks = Setting::new();
        if let Some(d) = &self.default {
            blocks = blocks.key(DEFAULT_KEY, d.to_setting());
        }
        for (r, b) in &self.regions {
            blocks = blocks.key(r.as_str(), b.to_setting());
        }
        Setting::new().key(SERVICE_KEY, blocks).to_json()
    }

    /// The policy's content, for [`PolicyType::GuardDutyPolicy`].
    pub fn content(&self) -> Value {
        json_to_value(&self.to_json())
    }

    /// What is wrong with the document, each problem as a diagnostic at `path` (the
    /// policy's construct path, or empty).
    pub fn problems(&self, path: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if self.default.is_none() && self.regions.is_empty() {
            out.push(Diagnostic::new(
                path,
                Rule::PolicyDocument,
                "{}",
                "a GuardDuty policy holds at least one block: a `default`, a region's, or both",
                "add `.default_block(GuardDutyBlock::new().enable(GuardDutyFeature::Foundational))`, or a block per region with `.region(..)`",
            ));
        }
        for (region, block) in &self.regions {
            if let Err(e) = region.parse::<crate::aws::Region>() {
                out.push(e.to_diagnostic(path));
            }
            if block.features.is_empty() {
                out.push(Diagnostic::new(
                    path,
                    Rule::PolicyDocument,
                    region,
                    format!("the block of `{region}` sets no feature; a region's block replaces the default there, so it must list every feature the region should have"),
                    "enable the features in it (at least `GuardDutyFeature::Foundational`), or leave the region out to use the default",
                ));
            }
        }
        out
    }

    /// Checks the document alone: [`Error::Validation`] with every problem (at an empty
    /// path) if there is one.
    ///
    /// ```
    /// use orgstack::{Rule, services::{GuardDutyBlock, GuardDutyPolicy}};
    /// let err = GuardDutyPolicy::new().region("eu-west-1", GuardDutyBlock::new())
    ///     .validate().unwrap_err();
    /// assert_eq!(err.diagnostics()[0].rule, Rule::PolicyDocument);
    /// assert_eq!(err.diagnostics()[0].value, "eu-west-1");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let problems = self.problems("");
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(Diagnostics(problems)))
        }
    }

    /// Adds the policy to `organization` as `name` (also its construct id, under the
    /// organization stack's `Policies`), unattached: attach it with
    /// [`PolicyHandle::attach`]. Its problems are reported at synthesis with its path.
    ///
    /// ```
    /// use orgstack::{App, org::Organization};
    /// use orgstack::services::{GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};
    /// let mut app = App::new();
    /// let mgmt = app.stack("Management")?;
    /// let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// let policy = GuardDutyPolicy::new()
    ///     .default_block(GuardDutyBlock::new().enable(GuardDutyFeature::Foundational))
    ///     .add_to(&mut app, &org, "GuardDutyEverywhere")?;
    /// policy.attach(&mut app, &org);
    /// let assembly = app.synth()?;
    /// assert!(assembly.deploy_plan().contains("--policy-type GUARDDUTY_POLICY"));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn add_to(
        self,
        app: &mut App,
        organization: &OrganizationHandle,
        name: impl Into<String>,
    ) -> Result<PolicyHandle> {
        self.add_with(
            app,
            organization,
            Policy::management(name, PolicyType::GuardDutyPolicy, self.content()),
        )
    }

    pub(crate) fn add_with(
        &self,
        app: &mut App,
        organization: &OrganizationHandle,
        policy: Policy,
    ) -> Result<PolicyHandle> {
        let handle = app.add(organization, policy)?;
        let path = app.path(&handle);
        for d in self.problems(&path) {
            app.report(d);
        }
        Ok(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_the_default_and_each_region_block() {
        let policy = GuardDutyPolicy::new()
            .region(
                "eu-west-1",
                GuardDutyBlock::new()
                    .enable(GuardDutyFeature::Foundational)
                    .disable(GuardDutyFeature::EksAuditLogs),
            )
            .default_block(GuardDutyBlock::new().enable_all(GuardDutyFeature::ALL));
        assert_eq!(
            policy.to_json(),
            json!({ "guardduty": {
                "default": {
                    "foundational": { "@@assign": "enabled" },
                    "s3_data_events": { "@@assign": "enabled" },
                    "eks_audit_logs": { "@@assign": "enabled" },
                    "ebs_malware_protection": { "@@assign": "enabled" },
                    "rds_login_events": { "@@assign": "enabled" },
                    "lambda_network_logs": { "@@assign": "enabled" }
                },
                "eu-west-1": {
                    "foundational": { "@@assign": "enabled" },
                    "eks_audit_logs": { "@@assign": "disabled" }
                }
            } })
        );
        assert!(policy.validate().is_ok());
    }

    #[test]
    fn the_last_state_of_a_feature_wins() {
        let block = GuardDutyBlock::new()
            .enable(GuardDutyFeature::S3DataEvents)
            .disable(GuardDutyFeature::S3DataEvents);
        assert_eq!(
            block.features().collect::<Vec<_>>(),
            [(GuardDutyFeature::S3DataEvents, FeatureState::Disabled)]
        );
    }

    #[test]
    fn problems_name_the_value_the_rule_and_a_fix() {
        let none = GuardDutyPolicy::new().problems("Management/Policies/GuardDuty");
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].rule, Rule::PolicyDocument);
        assert_eq!(none[0].path, "Management/Policies/GuardDuty");
        assert!(none[0].message.contains("at least one block"));

        let bad = GuardDutyPolicy::new()
            .region(
                "EU-WEST-1",
                GuardDutyBlock::new().enable(GuardDutyFeature::Foundational),
            )
            .region("default", GuardDutyBlock::new())
            .problems("");
        let found: Vec<(Rule, &str)> = bad.iter().map(|d| (d.rule, d.value.as_str())).collect();
        assert_eq!(
            found,
            [
                (Rule::Region, "EU-WEST-1"),
                (Rule::Region, "default"),
                (Rule::PolicyDocument, "default"),
            ]
        );
        assert!(bad[2].hint.contains("Foundational"), "{}", bad[2].hint);
    }
}
