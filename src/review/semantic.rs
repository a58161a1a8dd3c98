//! The semantic check's evaluator: the access simulator's policy logic
//! ([`crate::access::evaluate`]) applied to one SCP or RCP document at a time.

use serde_json::Value;

use super::policy::{PolicyAnswer, PolicyDecider, Request};
use crate::access::{self, Policy, Verdict, Who};
use crate::iam::keys;

/// The [`PolicyDecider`] [`diff`](super::diff) uses: each document of an SCP or RCP is
/// read into the simulator's typed policy language ([`access::Policy::from_json`]) and
/// evaluated by its evaluator ([`access::evaluate`]), the way AWS evaluates one policy.
///
/// A document is read as it appears in a template's `Content`: an object, or a string
/// holding the JSON. What the simulator cannot read — an intrinsic where a value belongs
/// (`Fn::Sub`, `Ref`, an import), a string that is not JSON, a statement that is not one —
/// leaves every request that depends on it undecided (`None`), never guessed; an explicit
/// `Deny` that applies whatever the unknown value is still decides.
///
/// The request is signed by the principal of its `aws:PrincipalArn` (a sample role
/// otherwise), so that an RCP's `Principal: "*"` applies to it as to any caller; an SCP
/// names no principal.
///
/// ```
/// use orgstack::review::{PolicyAnswer, PolicyDecider, Request, SimulatorDecider};
/// use serde_json::json;
/// let scp = json!({ "Version": "2012-10-17", "Statement": [{
///     "Effect": "Deny", "Action": "sts:*", "Resource": "*",
///     "Condition": { "StringNotEquals": { "aws:RequestedRegion": ["us-east-1"] } } }] });
/// let request = |region: &str| Request::new("sts:AssumeRole", "*", region);
/// assert_eq!(SimulatorDecider.answer(&scp, &request("eu-west-1")), Some(PolicyAnswer::Deny));
/// assert_eq!(SimulatorDecider.answer(&scp, &request("us-east-1")), Some(PolicyAnswer::NoStatement));
/// // On its own, a policy that allows nothing lets nothing through.
/// assert_eq!(SimulatorDecider.allows(&scp, &request("us-east-1")), Some(false));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimulatorDecider;

/// A sample caller for requests whose context names none.
const SAMPLE_PRINCIPAL: &str = "arn:aws:iam::111111111111:role/Sample";

impl SimulatorDecider {
    fn evaluate(policy: &Value, request: &Request) -> Option<access::Evaluation> {
        let parsed;
        let doc = match policy {
            Value::String(text) => {
                parsed = serde_json::from_str::<Value>(text).ok()?;
                &parsed
            }
            other => other,
        };
        let policy = Policy::from_json("policy", doc).ok()?;
        let mut req = access::Request::new(&request.action, &request.resource);
        for (key, values) in &request.context {
            req = req.with_values(key, values.iter().cloned());
        }
        req = req.with(keys::REQUESTED_REGION.as_str(), &request.region);
        let who = req
            .context
            .values(keys::PRINCIPAL_ARN.as_str())
            .and_then(|v| v.first())
            .map_or_else(|| Who::aws(SAMPLE_PRINCIPAL), |arn| Who::aws(arn.clone()));
        Some(access::evaluate([&policy], &req.by(who)))
    }
}

impl PolicyDecider for SimulatorDecider {
    /// `Some(true)` when an `Allow` of the policy applies and no `Deny` does (a request an
    /// SCP does not allow is denied); `None` when that depends on a value it cannot read.
    fn allows(&self, policy: &Value, request: &Request) -> Option<bool> {
        match Self::answer(self, policy, request)? {
            PolicyAnswer::Allow => Some(true),
            PolicyAnswer::Deny | PolicyAnswer::NoStatement => Some(false),
        }
    }

    fn answer(&self, policy: &Value, request: &Request) -> Option<PolicyAnswer> {
        let e = Self::evaluate(policy, request)?;
        match e.verdict {
            Verdict::Allow => Some(PolicyAnswer::Allow),
            Verdict::ExplicitDeny => Some(PolicyAnswer::Deny),
            // A Deny that may apply (it depends on an unknown value) is listed as deciding.
            Verdict::ImplicitDeny if e.deciding.is_empty() => Some(PolicyAnswer::NoStatement),
            Verdict::ImplicitDeny | Verdict::Unknown => None,
        }
    }
}
