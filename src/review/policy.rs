//! What the diff asks of policy documents: whether a change weakens an MFA condition, and —
//! for SCPs and RCPs — whether the new document allows a request the old one denied.
//!
//! The second question is decided by evaluating requests, not by reading text: the diff
//! generates a set of requests from both documents ([`requests`]) and asks a
//! [`PolicyDecider`] about each, under the old document and the new. [`diff`](super::diff)
//! asks the access simulator ([`SimulatorDecider`](super::SimulatorDecider));
//! [`diff_with`](super::diff_with) takes a decider of your own. A request the decider
//! cannot decide leaves the change *dangerous unless proven safe*.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// A request the semantic check of an SCP or RCP change evaluates, drawn from the actions,
/// resources, regions and condition values of the old and the new document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Request {
    /// The action, e.g. `sts:AssumeRole`; a pattern of a document stands for one action it
    /// matches (`sts:*` becomes `sts:Sample`).
    pub action: String,
    /// The resource ARN (or a sample ARN a pattern matches).
    pub resource: String,
    /// `aws:RequestedRegion`.
    pub region: String,
    /// The other condition keys the request carries, with their values; a key a document
    /// tests that is not here is absent from the request.
    pub context: BTreeMap<String, Vec<String>>,
}

impl Request {
    /// A request of `action` on `resource` in `region`, with no other context key.
    pub fn new(
        action: impl Into<String>,
        resource: impl Into<String>,
        region: impl Into<String>,
    ) -> Request {
        Request {
            action: action.into(),
            resource: resource.into(),
            region: region.into(),
            context: BTreeMap::new(),
        }
    }

    /// Sets a condition key of the context to one value.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Request {
        self.context.insert(key.into(), vec![value.into()]);
        self
    }
}

/// What one Organizations policy says about a request on its own.
///
/// SCPs and RCPs at a target work together: a request passes a level when no policy there
/// denies it and one allows it (AWS's `FullAWSAccess` allows everything while attached,
/// `RCPFullAWSAccess` always). So a change that turns `Deny` into `NoStatement`, or
/// `NoStatement` into `Allow`, lets through a request that some set of policies beside it
/// stopped before: the answers are ordered `Deny` < `NoStatement` < `Allow`, and a change
/// loosens when a request's answer rises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub enum PolicyAnswer {
    /// A `Deny` statement applies.
    Deny,
    /// No statement applies: the policy leaves the request to the others at its target.
    NoStatement,
    /// An `Allow` statement applies and no `Deny` does.
    Allow,
}

impl PolicyAnswer {
    /// How a report says it: `denied by a Deny statement`, `matched by no statement` or
    /// `allowed by an Allow statement`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyAnswer::Deny => "denied by a Deny statement",
            PolicyAnswer::NoStatement => "matched by no statement",
            PolicyAnswer::Allow => "allowed by an Allow statement",
        }
    }
}

/// Decides whether an Organizations policy (an SCP or RCP document, as written in the
/// template's `Content`) lets a request through.
///
/// `Some(true)`: the policy does not stop the request; `Some(false)`: it denies it (or,
/// for a policy with Allow statements, does not allow it); `None`: it cannot tell (an
/// intrinsic it cannot resolve, a condition it does not model). [`SimulatorDecider`]
/// (the access simulator) is the implementation [`diff`](super::diff) uses.
///
/// [`SimulatorDecider`]: super::SimulatorDecider
pub trait PolicyDecider {
    /// Whether `policy` lets `request` through; `None` when it cannot decide.
    fn allows(&self, policy: &Value, request: &Request) -> Option<bool>;

    /// What `policy` says about `request` ([`PolicyAnswer`]); `None` when it cannot
    /// decide. The diff asks this; by default it is [`allows`](Self::allows) read as
    /// `Allow` or `Deny`, so a decider that tells "no statement applies" apart (as the
    /// simulator does) sees a `Deny` removed from a deny-list SCP.
    fn answer(&self, policy: &Value, request: &Request) -> Option<PolicyAnswer> {
        self.allows(policy, request).map(|allowed| {
            if allowed {
                PolicyAnswer::Allow
            } else {
                PolicyAnswer::Deny
            }
        })
    }
}

/// At most this many requests are generated for one policy change; a larger set leaves
/// the change unproven.
pub const MAX_REQUESTS: usize = 20_000;

/// What the semantic check concluded about one SCP or RCP content change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    /// The decider could not decide every request (or there were too many).
    Unproven { requests: usize, undecided: usize },
    /// Every request the old document let through or denied is decided, and none the old
    /// one denied is allowed now.
    ProvenSafe { requests: usize },
    /// A request whose answer rose: the old document stopped it where the new one does not.
    Loosened {
        witness: Box<Request>,
        before: PolicyAnswer,
        after: PolicyAnswer,
    },
}

/// Compares `old` and `new` on every generated request.
pub(crate) fn check(decider: &dyn PolicyDecider, old: &Value, new: &Value) -> Verdict {
    let Some(set) = requests(old, new) else {
        return Verdict::Unproven {
            requests: MAX_REQUESTS,
            undecided: MAX_REQUESTS,
        };
    };
    let mut undecided = 0;
    for request in &set {
        match (decider.answer(old, request), decider.answer(new, request)) {
            (Some(before), Some(after)) if after > before => {
                return Verdict::Loosened {
                    witness: Box::new(request.clone()),
                    before,
                    after,
                }
            }
            (Some(_), Some(_)) => {}
            _ => undecided += 1,
        }
    }
    if undecided == 0 {
        Verdict::ProvenSafe {
            requests: set.len(),
        }
    } else {
        Verdict::Unproven {
            requests: set.len(),
            undecided,
        }
    }
}

/// The requests that tell `old` and `new` apart: every action × resource × region the two
/// documents name, under a context with none of their condition keys, and under contexts
/// that set one key to each value either document tests it against. `None` when that is
/// more than [`MAX_REQUESTS`].
pub fn requests(old: &Value, new: &Value) -> Option<Vec<Request>> {
    let (old, new) = (document(old), document(new));
    let mut actions = Vec::new();
    let mut resources = Vec::new();
    let mut regions = Vec::new();
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for doc in [&old, &new] {
        for st in statements(doc) {
            for field in ["Action", "NotAction"] {
                for a in strings(st.get(field)) {
                    push_unique(&mut actions, sample(a, "Sample"));
                }
            }
            for field in ["Resource", "NotResource"] {
                for r in strings(st.get(field)) {
                    push_unique(&mut resources, sample(r, "sample"));
                }
            }
            let Some(Value::Object(condition)) = st.get("Condition") else {
                continue;
            };
            for tests in condition.values() {
                let Value::Object(tests) = tests else {
                    continue;
                };
                for (key, values) in tests {
                    if key.eq_ignore_ascii_case("aws:RequestedRegion") {
                        for r in strings(Some(values)) {
                            push_unique(&mut regions, sample(r, "1"));
                        }
                        continue;
                    }
                    let seen = keys.entry(key.clone()).or_default();
                    for v in strings(Some(values)) {
                        push_unique(seen, v.to_owned());
                    }
                    // Booleans and null tests: both answers.
                    for v in ["true", "false"] {
                        if seen.iter().any(|s| s == "true" || s == "false") {
                            push_unique(seen, v.to_owned());
                        }
                    }
                }
            }
        }
    }
    if actions.is_empty() {
        actions.push("iam:Sample".to_owned());
    }
    push_unique(&mut resources, "*".to_owned());
    push_unique(&mut regions, "us-east-1".to_owned());
    // A region neither document names.
    let outside = ["sa-east-1", "ap-southeast-5", "mx-central-1"]
        .into_iter()
        .find(|r| !regions.iter().any(|g| g == r))
        .unwrap_or("il-central-1");
    push_unique(&mut regions, outside.to_owned());

    let mut contexts = vec![BTreeMap::new()];
    for (key, values) in &keys {
        for v in values {
            contexts.push(BTreeMap::from([(key.clone(), vec![v.clone()])]));
        }
    }
    let total = actions.len() * resources.len() * regions.len() * contexts.len();
    if total > MAX_REQUESTS {
        return None;
    }
    let mut out = Vec::with_capacity(total);
    for action in &actions {
        for resource in &resources {
            for region in &regions {
                for context in &contexts {
                    out.push(Request {
                        action: action.clone(),
                        resource: resource.clone(),
                        region: region.clone(),
                        context: context.clone(),
                    });
                }
            }
        }
    }
    Some(out)
}

/// A document as the template writes it: an object, or a string holding the JSON (a
/// string that is not JSON stays as it is, a document without statements).
fn document(value: &Value) -> std::borrow::Cow<'_, Value> {
    match value {
        Value::String(text) => serde_json::from_str(text)
            .map_or(std::borrow::Cow::Borrowed(value), std::borrow::Cow::Owned),
        other => std::borrow::Cow::Borrowed(other),
    }
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// A concrete value a pattern matches: `*` becomes `fill`, `?` becomes `x`.
fn sample(pattern: &str, fill: &str) -> String {
    if pattern == "*" {
        return pattern.to_owned();
    }
    pattern.replace('*', fill).replace('?', "x")
}

/// The statements of a policy document (one object or a list).
pub(crate) fn statements(doc: &Value) -> Vec<&serde_json::Map<String, Value>> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(one)) => vec![one],
        _ => Vec::new(),
    }
}

/// The literal strings of a value (one string or a list); intrinsics are skipped.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::Bool(b)) => vec![if *b { "true" } else { "false" }],
        _ => Vec::new(),
    }
}

/// How strongly a statement requires MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mfa {
    /// No MFA condition.
    None,
    /// `BoolIfExists aws:MultiFactorAuthPresent "true"`: long-term keys pass.
    IfExists,
    /// `Bool aws:MultiFactorAuthPresent "true"`, with the `aws:MultiFactorAuthAge` bound
    /// (smaller is stronger; `None` is unbounded).
    Required,
}

fn condition_value<'a>(
    st: &'a serde_json::Map<String, Value>,
    op: &str,
    key: &str,
) -> Vec<&'a str> {
    let Some(Value::Object(condition)) = st.get("Condition") else {
        return Vec::new();
    };
    condition
        .iter()
        .filter(|(o, _)| o.eq_ignore_ascii_case(op))
        .filter_map(|(_, tests)| tests.as_object())
        .flat_map(|tests| {
            tests
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                .flat_map(|(_, v)| strings(Some(v)))
        })
        .collect()
}

const MFA_PRESENT: &str = "aws:MultiFactorAuthPresent";
const MFA_AGE: &str = "aws:MultiFactorAuthAge";

fn allow_mfa(st: &serde_json::Map<String, Value>) -> (Mfa, Option<f64>) {
    let present = if condition_value(st, "Bool", MFA_PRESENT).contains(&"true") {
        Mfa::Required
    } else if condition_value(st, "BoolIfExists", MFA_PRESENT).contains(&"true") {
        Mfa::IfExists
    } else {
        Mfa::None
    };
    let age = ["NumericLessThan", "NumericLessThanEquals"]
        .iter()
        .flat_map(|op| condition_value(st, op, MFA_AGE))
        .filter_map(|v| v.parse::<f64>().ok())
        .reduce(f64::min);
    (present, age)
}

/// A Deny that applies when MFA is missing (`BoolIfExists … "false"`, `Bool … "false"` or
/// `Null … "true"`).
fn denies_without_mfa(st: &serde_json::Map<String, Value>) -> bool {
    condition_value(st, "BoolIfExists", MFA_PRESENT).contains(&"false")
        || condition_value(st, "Bool", MFA_PRESENT).contains(&"false")
        || condition_value(st, "Null", MFA_PRESENT).contains(&"true")
}

fn key(st: &serde_json::Map<String, Value>, fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| st.get(*f).map(Value::to_string).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

/// How `new` weakens an MFA condition `old` held, in words; `None` when it does not.
///
/// An Allow matches by principal and action: one that required MFA now does not (or
/// only with `BoolIfExists`), or lost or raised its `aws:MultiFactorAuthAge` bound. A Deny
/// of requests without MFA matches by action and resource, and is weakened when none is
/// left.
pub(crate) fn mfa_weakened(old: &Value, new: &Value) -> Option<String> {
    const ALLOW_KEY: &[&str] = &["Principal", "Action", "NotAction"];
    const DENY_KEY: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];
    let is = |st: &serde_json::Map<String, Value>, effect: &str| {
        st.get("Effect").and_then(Value::as_str) == Some(effect)
    };
    let old_st = statements(old);
    let new_st = statements(new);
    let mut found = Vec::new();
    for o in old_st.iter().filter(|s| is(s, "Allow")) {
        let (o_mfa, o_age) = allow_mfa(o);
        if o_mfa != Mfa::Required {
            continue;
        }
        let k = key(o, ALLOW_KEY);
        for n in new_st
            .iter()
            .filter(|s| is(s, "Allow") && key(s, ALLOW_KEY) == k)
        {
            let (n_mfa, n_age) = allow_mfa(n);
            let what = match (n_mfa, o_age, n_age) {
                (Mfa::None, ..) => "an Allow that required MFA no longer does".to_owned(),
                (Mfa::IfExists, ..) => "an Allow that required MFA now tests it with BoolIfExists, which lets long-term access keys through".to_owned(),
                (Mfa::Required, Some(_), None) => "an Allow lost its aws:MultiFactorAuthAge bound".to_owned(),
                (Mfa::Required, Some(a), Some(b)) if b > a => format!("the aws:MultiFactorAuthAge bound of an Allow rose from {a} to {b} seconds"),
                _ => continue,
            };
            if !found.contains(&what) {
                found.push(what);
            }
        }
    }
    for o in old_st
        .iter()
        .filter(|s| is(s, "Deny") && denies_without_mfa(s))
    {
        let k = key(o, DENY_KEY);
        let kept = new_st
            .iter()
            .any(|n| is(n, "Deny") && denies_without_mfa(n) && key(n, DENY_KEY) == k);
        if !kept {
            let sid = o.get("Sid").and_then(Value::as_str).unwrap_or("");
            let what = if sid.is_empty() {
                "a Deny of requests without MFA is gone".to_owned()
            } else {
                format!("the Deny of requests without MFA `{sid}` is gone")
            };
            if !found.contains(&what) {
                found.push(what);
            }
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}

/// Every policy document inside a property value (any object with a `Statement`).
pub(crate) fn documents(value: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    collect_documents(value, &mut out);
    out
}

fn collect_documents<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) if map.contains_key("Statement") => out.push(value),
        Value::Object(map) => map.values().for_each(|v| collect_documents(v, out)),
        Value::Array(items) => items.iter().for_each(|v| collect_documents(v, out)),
        _ => {}
    }
}
