//! Decisions: how AWS combines the layers it evaluates, and the answer with the trail of
//! layers and statements that made it.

use std::fmt;

use super::caller::Caller;
use super::eval::{evaluate, Applied, Evaluation, Verdict};
use super::matching::Tri;
use super::policy::Policy;
use super::request::Request;

/// One layer AWS evaluated, and what it decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The layer, e.g. `SCPs at OU Prod` or `identity policies`.
    pub layer: String,
    /// What it decided.
    pub verdict: Verdict,
    /// The statements that decided it.
    pub statements: Vec<Applied>,
}

/// The answer to one question: a verdict, and the layers and statements that made it.
/// Its `Display` prints the question, the verdict and the trail, so a failing assertion
/// explains itself.
#[derive(Debug, Clone)]
pub struct Decision {
    pub(super) question: String,
    pub(super) verdict: Verdict,
    pub(super) decided_by: String,
    pub(super) steps: Vec<Step>,
    pub(super) session: Option<Caller>,
}

impl Decision {
    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.verdict == Verdict::Allow
    }

    /// Whether the request is certainly denied (explicitly or by default).
    pub fn is_denied(&self) -> bool {
        matches!(self.verdict, Verdict::ExplicitDeny | Verdict::ImplicitDeny)
    }

    /// Every layer evaluated, in AWS's order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// What decided: the layer whose verdict is the answer.
    pub fn decided_by(&self) -> &str {
        &self.decided_by
    }

    /// The statements that decided, as `policy: Effect statement`.
    pub fn deciding_statements(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter(|s| s.layer == self.decided_by)
            .flat_map(|s| s.statements.iter())
            .map(|a| format!("{}: {} {}", a.policy, a.effect, a.statement))
            .collect()
    }

    /// For an allowed `sts:AssumeRole`: the role session it opens.
    pub fn session(&self) -> Option<&Caller> {
        self.session.as_ref()
    }

    /// The question asked.
    pub fn question(&self) -> &str {
        &self.question
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.question)?;
        write!(f, "=> {} (decided by {})", self.verdict, self.decided_by)?;
        for s in &self.steps {
            write!(f, "\n  {}: {}", s.layer, s.verdict)?;
            for a in &s.statements {
                write!(
                    f,
                    "\n    {} {} statement {}",
                    a.policy, a.effect, a.statement
                )?;
                if !a.certain {
                    f.write_str(" (depends on an unknown value)")?;
                }
            }
        }
        Ok(())
    }
}

/// One path into a role: who, which role, where, and the decision.
#[derive(Debug, Clone)]
pub struct Path {
    /// The principal.
    pub from: String,
    /// The role's name.
    pub role: String,
    /// The role's account's name.
    pub account: String,
    /// The decision.
    pub verdict: Verdict,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} -> role {} in {}: {}",
            self.from, self.role, self.account, self.verdict
        )
    }
}

fn verdict_tri(v: Verdict) -> Tri {
    match v {
        Verdict::Allow => Tri::Yes,
        Verdict::Unknown => Tri::Unknown,
        _ => Tri::No,
    }
}

/// What AWS evaluates for one request: the request with its whole context, and the
/// policies of every layer (for reports, and for other evaluators to compare with).
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The request, its context complete (principal, MFA, region, organization keys).
    pub request: Request,
    /// The id of the account that owns the resource.
    pub resource_account: String,
    /// Whether the principal is of the resource's account.
    pub same_account: bool,
    /// Whether the principal is a service.
    pub service: bool,
    /// Whether the principal's role has a permissions boundary (not evaluated).
    pub boundary: bool,
    /// The principal's identity policies.
    pub identity: Vec<Policy>,
    /// The SCPs of each level from the root down to the principal's account: the level's
    /// id, its name, its policies (`FullAWSAccess` included while attached). Empty when
    /// SCPs do not apply (the management account, services).
    pub scps: Vec<(String, String, Vec<Policy>)>,
    /// The RCPs of each level above the resource's account, when they apply.
    pub rcps: Vec<(String, String, Vec<Policy>)>,
    /// The resource policy (a role's trust policy for `sts:AssumeRole`).
    pub resource_policy: Option<Policy>,
}

/// Combines the layers' evaluations as AWS does.
pub(super) fn decide_layers(inputs: &Layers<'_>, question: String) -> Decision {
    let req = inputs.request;

    let mut steps = Vec::new();
    let mut denied_by: Option<String> = None;
    let mut implicit_by: Option<String> = None;
    let mut unknown_by: Option<String> = None;
    let note = |steps: &mut Vec<Step>, layer: String, e: Evaluation| {
        steps.push(Step {
            layer,
            verdict: e.verdict,
            statements: e.deciding,
        });
    };
    for (level, ps) in &inputs.scps {
        let e = evaluate(ps.iter().copied(), req);
        let layer = format!("SCPs at {level}");
        match e.verdict {
            Verdict::ExplicitDeny => {
                denied_by.get_or_insert(layer.clone());
            }
            Verdict::ImplicitDeny => {
                implicit_by.get_or_insert(layer.clone());
            }
            Verdict::Unknown => {
                unknown_by.get_or_insert(layer.clone());
            }
            Verdict::Allow => {}
        }
        note(&mut steps, layer, e);
    }
    if !inputs.rcps.is_empty() {
        let e = evaluate(inputs.rcps.iter().copied(), req);
        let layer = "RCPs".to_owned();
        match e.verdict {
            Verdict::ExplicitDeny => {
                denied_by.get_or_insert(layer.clone());
            }
            Verdict::Unknown => {
                unknown_by.get_or_insert(layer.clone());
            }
            _ => {}
        }
        note(&mut steps, layer, e);
    }
    // The resource policy (a role's trust policy for sts:AssumeRole).
    let resource = inputs.resource_policy.map(|p| {
        let e = evaluate(std::iter::once(p), req);
        (p.name.clone(), e)
    });
    let identity = (!inputs.service).then(|| evaluate(inputs.identity.iter().copied(), req));

    let res_allow = resource
        .as_ref()
        .map_or(Tri::No, |(_, e)| verdict_tri(e.verdict));
    // In its own account, a resource policy allows alone when it names the principal
    // itself; naming the account delegates to the account's identity policies.
    let res_direct = resource.as_ref().map_or(Tri::No, |(_, e)| {
        if e.allows_directly() {
            Tri::Yes
        } else if e.verdict == Verdict::Unknown {
            Tri::Unknown
        } else {
            Tri::No
        }
    });
    let id_allow = identity
        .as_ref()
        .map_or(Tri::No, |e| verdict_tri(e.verdict));
    for (layer, e) in [
        resource
            .as_ref()
            .map(|(n, e)| (format!("resource policy ({n})"), e)),
        identity
            .as_ref()
            .map(|e| ("identity policies".to_owned(), e)),
    ]
    .into_iter()
    .flatten()
    {
        match e.verdict {
            Verdict::ExplicitDeny => {
                denied_by.get_or_insert(layer.clone());
            }
            Verdict::Unknown => {
                unknown_by.get_or_insert(layer.clone());
            }
            _ => {}
        }
        note(&mut steps, layer, e.clone());
    }
    let same_account = inputs.same_account;
    // A role's trust policy and a KMS key's policy must always let the caller in (naming
    // the account delegates to its identity policies); other resource policies need not,
    // in the resource's own account.
    let trust = resource.is_some()
        && (req.action.eq_ignore_ascii_case("sts:AssumeRole")
            || (req.action.to_ascii_lowercase().starts_with("kms:")
                && req.resource.starts_with("arn:aws:kms:")
                && req.resource.contains(":key/")));
    let allowed = if inputs.service {
        res_allow
    } else if same_account && trust {
        res_allow.and(id_allow.or(res_direct))
    } else if same_account {
        id_allow.or(res_direct)
    } else {
        id_allow.and(res_allow)
    };
    let (verdict, decided_by) =
        if req.action.eq_ignore_ascii_case("sts:GetCallerIdentity") && !inputs.service {
            (
                Verdict::Allow,
                "STS: sts:GetCallerIdentity needs no permission and is never denied".to_owned(),
            )
        } else if let Some(layer) = denied_by {
            (Verdict::ExplicitDeny, layer)
        } else if let Some(layer) = implicit_by {
            (Verdict::ImplicitDeny, layer)
        } else if inputs.boundary {
            (
                Verdict::Unknown,
                "the role's permissions boundary (not evaluated by the simulator)".to_owned(),
            )
        } else {
            match allowed {
                Tri::Yes if unknown_by.is_none() => {
                    let by = match &resource {
                        Some((n, _)) if id_allow != Tri::Yes => format!("resource policy ({n})"),
                        _ => "identity policies".to_owned(),
                    };
                    (Verdict::Allow, by)
                }
                Tri::No => (
                    Verdict::ImplicitDeny,
                    match &resource {
                        Some((n, _)) if res_allow == Tri::No && (trust || !same_account) => {
                            format!("resource policy ({n})")
                        }
                        _ => "identity policies".to_owned(),
                    },
                ),
                _ => (
                    Verdict::Unknown,
                    unknown_by.unwrap_or_else(|| "identity policies".to_owned()),
                ),
            }
        };
    Decision {
        question,
        verdict,
        decided_by,
        steps,
        session: None,
    }
}

/// The layers one decision combines, borrowed.
pub(super) struct Layers<'a> {
    pub(super) request: &'a Request,
    pub(super) same_account: bool,
    pub(super) service: bool,
    pub(super) boundary: bool,
    pub(super) identity: Vec<&'a Policy>,
    pub(super) scps: Vec<(String, Vec<&'a Policy>)>,
    pub(super) rcps: Vec<&'a Policy>,
    pub(super) resource_policy: Option<&'a Policy>,
}

/// Decides `inputs` as AWS combines its layers: what [`Simulator::request_inputs`](super::Simulator::request_inputs) returns,
/// or inputs of your own (other evaluators' test cases, policies read from elsewhere).
/// `question` is how the decision names what was asked.
pub fn decide(inputs: &Inputs, question: impl Into<String>) -> Decision {
    let layers = Layers {
        request: &inputs.request,
        same_account: inputs.same_account,
        service: inputs.service,
        boundary: inputs.boundary,
        identity: inputs.identity.iter().collect(),
        scps: inputs
            .scps
            .iter()
            .map(|(_, name, ps)| (name.clone(), ps.iter().collect()))
            .collect(),
        rcps: inputs
            .rcps
            .iter()
            .flat_map(|(_, _, ps)| ps.iter())
            .collect(),
        resource_policy: inputs.resource_policy.as_ref(),
    };
    decide_layers(&layers, question.into())
}
