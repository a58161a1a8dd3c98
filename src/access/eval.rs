//! AWS's policy evaluation logic over resolved policies: which statements apply to a
//! request, and what a set of policies decides.

use std::fmt;

use super::matching::{arn_like, date, glob, in_cidr, number, resource_matches, substitute, Tri};
use super::policy::{Policy, ResolvedCondition, ResolvedStatement, Text};
use super::request::{Context, Request, Who};
use crate::iam::policy::wildcard_match;
use crate::iam::{BaseOperator, Effect, PrincipalKind, SetQualifier};

/// What a set of policies decides for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// An `Allow` statement applies and no `Deny` does.
    Allow,
    /// A `Deny` statement applies: it wins over every `Allow`.
    ExplicitDeny,
    /// No statement applies: denied by default.
    ImplicitDeny,
    /// The answer depends on a value the simulator cannot interpret.
    Unknown,
}

impl Verdict {
    /// `allow`, `explicit deny`, `implicit deny` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::ExplicitDeny => "explicit deny",
            Verdict::ImplicitDeny => "implicit deny",
            Verdict::Unknown => "unknown",
        }
    }

    /// Whether the request is allowed.
    pub fn is_allowed(self) -> bool {
        self == Verdict::Allow
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A statement that applies to a request (or may: `certain` is false when it depends on
/// an unknown value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The policy's name.
    pub policy: String,
    /// The statement's Sid, or `#index`.
    pub statement: String,
    /// Its effect.
    pub effect: Effect,
    /// Whether it certainly applies.
    pub certain: bool,
    /// For a resource policy: whether it matched the principal only through its account
    /// (`arn:…:root` or the account id), which delegates to the account's own policies.
    pub through_account: bool,
}

/// What a set of policies decides, and the statements that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The verdict.
    pub verdict: Verdict,
    /// The statements that decided it: the applying `Deny`s for an explicit deny, the
    /// applying `Allow`s for an allow, those that may apply for an unknown.
    pub deciding: Vec<Applied>,
}

impl Evaluation {
    /// Whether some `Allow` certainly applies through something other than the principal's
    /// account alone.
    pub(crate) fn allows_directly(&self) -> bool {
        self.verdict == Verdict::Allow && self.deciding.iter().any(|a| !a.through_account)
    }
}

/// Evaluates `policies` together for `request`: an explicit `Deny` wins, then an `Allow`,
/// else the implicit deny.
///
/// ```
/// use orgstack::access::{evaluate, Policy, Request, Verdict};
/// use orgstack::iam::{keys, Condition, PolicyDocument, Statement};
/// let doc = PolicyDocument::new()
///     .statement(Statement::allow().action("s3:*").resource("*"))
///     .statement(Statement::deny().sid("NoMfa").action("*").resource("*")
///         .condition(Condition::bool_if_exists(keys::MULTI_FACTOR_AUTH_PRESENT, false)));
/// let p = [Policy::literal("p", &doc)];
/// let key = Request::new("s3:GetObject", "arn:aws:s3:::b/k"); // no MFA key: long-term key
/// assert_eq!(evaluate(&p, &key).verdict, Verdict::ExplicitDeny);
/// let mfa = key.clone().with("aws:MultiFactorAuthPresent", "true");
/// assert_eq!(evaluate(&p, &mfa).verdict, Verdict::Allow);
/// ```
pub fn evaluate<'p>(
    policies: impl IntoIterator<Item = &'p Policy>,
    request: &Request,
) -> Evaluation {
    let mut deny = Vec::new();
    let mut maybe_deny = Vec::new();
    let mut allow = Vec::new();
    let mut maybe_allow = Vec::new();
    for p in policies {
        for s in &p.statements {
            let (tri, through_account) = applies(s, request);
            if tri == Tri::No {
                continue;
            }
            let a = Applied {
                policy: p.name.clone(),
                statement: s.label(),
                effect: s.effect,
                certain: tri == Tri::Yes,
                through_account,
            };
            match (s.effect, tri) {
                (Effect::Deny, Tri::Yes) => deny.push(a),
                (Effect::Deny, _) => maybe_deny.push(a),
                (Effect::Allow, Tri::Yes) => allow.push(a),
                (Effect::Allow, _) => maybe_allow.push(a),
            }
        }
    }
    if !deny.is_empty() {
        Evaluation {
            verdict: Verdict::ExplicitDeny,
            deciding: deny,
        }
    } else if !allow.is_empty() && maybe_deny.is_empty() {
        Evaluation {
            verdict: Verdict::Allow,
            deciding: allow,
        }
    } else if !allow.is_empty() || !maybe_allow.is_empty() {
        maybe_deny.extend(allow);
        maybe_deny.extend(maybe_allow);
        Evaluation {
            verdict: Verdict::Unknown,
            deciding: maybe_deny,
        }
    } else {
        // Denied either way; the Denys that may apply are what a reader should see.
        Evaluation {
            verdict: Verdict::ImplicitDeny,
            deciding: maybe_deny,
        }
    }
}

/// Whether a statement applies to the request (its effect aside), and whether its
/// principal matched only through the account.
pub fn applies(s: &ResolvedStatement, req: &Request) -> (Tri, bool) {
    let action = if !s.actions.is_empty() {
        Tri::from_bool(s.actions.iter().any(|a| action_matches(a, &req.action)))
    } else {
        Tri::from_bool(!s.not_actions.iter().any(|a| action_matches(a, &req.action)))
    };
    if action == Tri::No {
        return (Tri::No, false);
    }
    let resource = match (&s.resources, &s.not_resources) {
        (Some(rs), _) => any_resource(rs, req),
        (None, Some(rs)) => any_resource(rs, req).not(),
        // A trust policy names no resource: it is the role's.
        (None, None) => Tri::Yes,
    };
    if resource == Tri::No {
        return (Tri::No, false);
    }
    let (principal, through_account) = match (&s.principals, &s.not_principals) {
        (Some(ps), _) => principal_matches(ps, req.who.as_ref()),
        (None, Some(ps)) => (principal_listed(ps, req.who.as_ref()).not(), false),
        (None, None) => (Tri::Yes, false),
    };
    if principal == Tri::No {
        return (Tri::No, false);
    }
    let conditions = Tri::all(s.conditions.iter().map(|c| condition(c, &req.context)));
    (
        action.and(resource).and(principal).and(conditions),
        through_account,
    )
}

/// Actions are matched case-insensitively, with wildcards (the patterns were checked as
/// [`Action`](crate::iam::Action)s when the policy was built).
fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, false)
}

fn any_resource(patterns: &[Text], req: &Request) -> Tri {
    Tri::any(patterns.iter().map(|p| match p {
        None => Tri::Unknown,
        Some(p) => match substitute(p, &req.context) {
            Some(p) => Tri::from_bool(resource_matches(&p, &req.resource)),
            None => Tri::No,
        },
    }))
}

/// The account an `AWS` principal value names as a whole (`123456789012` or
/// `arn:…:iam::123456789012:root`), if it does.
fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let _partition = parts.next()?;
    (parts.next()? == "iam").then_some(())?;
    let _region = parts.next()?;
    let account = parts.next()?;
    (parts.next()? == "root").then_some(account)
}

/// `Principal`: whether the signer is among `ps`, and whether only through its account.
fn principal_matches(ps: &[(PrincipalKind, Text)], who: Option<&Who>) -> (Tri, bool) {
    let Some(who) = who else {
        return (Tri::No, false);
    };
    let mut direct = Tri::No;
    let mut through_account = Tri::No;
    for (kind, value) in ps {
        let (d, a) = match (kind, who) {
            (PrincipalKind::Any, Who::Anonymous) => (Tri::Yes, Tri::No),
            (PrincipalKind::Any, _) => (Tri::Yes, Tri::No),
            (
                PrincipalKind::Aws,
                Who::Aws {
                    account,
                    arn,
                    session,
                },
            ) => match value {
                None => (Tri::Unknown, Tri::No),
                Some(v) if v == "*" => (Tri::Yes, Tri::No),
                Some(v) => match account_of(v) {
                    // The root user itself is matched directly.
                    Some(acct) if acct == account && arn.ends_with(":root") => (Tri::Yes, Tri::No),
                    Some(acct) => (Tri::No, Tri::from_bool(acct == account)),
                    None => (
                        Tri::from_bool(v == arn || session.as_deref() == Some(v.as_str())),
                        Tri::No,
                    ),
                },
            },
            (PrincipalKind::Service, Who::Service(name)) => match value {
                None => (Tri::Unknown, Tri::No),
                Some(v) => (Tri::from_bool(v == name), Tri::No),
            },
            _ => (Tri::No, Tri::No),
        };
        direct = direct.or(d);
        through_account = through_account.or(a);
    }
    let only_account = direct != Tri::Yes && through_account == Tri::Yes;
    (direct.or(through_account), only_account)
}

/// `NotPrincipal`: whether the signer is listed, which needs every identity it has — its
/// account, its user or role, its session — listed, as AWS documents for `NotPrincipal`.
fn principal_listed(ps: &[(PrincipalKind, Text)], who: Option<&Who>) -> Tri {
    let Some(who) = who else {
        return Tri::No;
    };
    let listed = |kind: PrincipalKind, id: &str| -> Tri {
        Tri::any(ps.iter().map(|(k, v)| match (k, v) {
            (PrincipalKind::Any, _) => Tri::Yes,
            (k, None) if *k == kind => Tri::Unknown,
            (k, Some(v)) if *k == kind => Tri::from_bool(
                v == id
                    || (kind == PrincipalKind::Aws
                        && id.ends_with(":root")
                        && account_of(v).is_some_and(|a| account_of(id) == Some(a))),
            ),
            _ => Tri::No,
        }))
    };
    match who {
        Who::Aws {
            account,
            arn,
            session,
        } => {
            let root = format!("arn:aws:iam::{account}:root");
            let mut ids = vec![root.clone()];
            if *arn != root {
                ids.push(arn.clone());
            }
            ids.extend(session.iter().cloned());
            Tri::all(ids.iter().map(|id| listed(PrincipalKind::Aws, id)))
        }
        Who::Service(name) => listed(PrincipalKind::Service, name),
        Who::Anonymous => Tri::any(
            ps.iter()
                .map(|(k, _)| Tri::from_bool(*k == PrincipalKind::Any)),
        ),
    }
}

fn negated(base: BaseOperator) -> bool {
    matches!(
        base,
        BaseOperator::StringNotEquals
            | BaseOperator::StringNotEqualsIgnoreCase
            | BaseOperator::StringNotLike
            | BaseOperator::NumericNotEquals
            | BaseOperator::DateNotEquals
            | BaseOperator::NotIpAddress
            | BaseOperator::ArnNotEquals
            | BaseOperator::ArnNotLike
    )
}

/// Whether `value` of the request matches `wanted` of the policy under the positive form
/// of `base`.
fn positive(base: BaseOperator, wanted: &str, value: &str, ctx: &Context) -> Tri {
    use BaseOperator as B;
    let var = |w| substitute(w, ctx);
    let yes = Tri::from_bool;
    match base {
        B::StringEquals | B::StringNotEquals => {
            var(wanted).map_or(Tri::No, |w| yes(w.as_ref() == value))
        }
        B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
            var(wanted).map_or(Tri::No, |w| yes(w.to_lowercase() == value.to_lowercase()))
        }
        B::StringLike | B::StringNotLike => {
            var(wanted).map_or(Tri::No, |w| yes(glob(&w, value, true)))
        }
        B::ArnEquals | B::ArnNotEquals | B::ArnLike | B::ArnNotLike => {
            var(wanted).map_or(Tri::No, |w| yes(arn_like(&w, value)))
        }
        B::NumericEquals
        | B::NumericNotEquals
        | B::NumericLessThan
        | B::NumericLessThanEquals
        | B::NumericGreaterThan
        | B::NumericGreaterThanEquals => compare(base, number(wanted), number(value)),
        B::DateEquals
        | B::DateNotEquals
        | B::DateLessThan
        | B::DateLessThanEquals
        | B::DateGreaterThan
        | B::DateGreaterThanEquals => compare(base, date(wanted), date(value)),
        B::Bool => {
            let w = wanted.to_ascii_lowercase();
            yes((w == "true" || w == "false") && w == value.to_ascii_lowercase())
        }
        B::BinaryEquals => yes(wanted == value),
        B::IpAddress | B::NotIpAddress => yes(in_cidr(wanted, value)),
        // Null is handled before any value is compared.
        B::Null => Tri::No,
        #[allow(unreachable_patterns)]
        _ => Tri::Unknown,
    }
}

fn compare(base: BaseOperator, wanted: Option<f64>, value: Option<f64>) -> Tri {
    use BaseOperator as B;
    let (Some(w), Some(v)) = (wanted, value) else {
        return Tri::No;
    };
    Tri::from_bool(match base {
        B::NumericEquals | B::NumericNotEquals | B::DateEquals | B::DateNotEquals => v == w,
        B::NumericLessThan | B::DateLessThan => v < w,
        B::NumericLessThanEquals | B::DateLessThanEquals => v <= w,
        B::NumericGreaterThan | B::DateGreaterThan => v > w,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => v >= w,
        _ => false,
    })
}

/// Whether one condition (an operator, a key, its values) holds for the context, with
/// AWS's documented behaviour for absent keys, `IfExists`, negated operators and the set
/// qualifiers.
pub fn condition(c: &ResolvedCondition, ctx: &Context) -> Tri {
    let op = c.operator;
    let present = ctx.values(&c.key);
    if op.base == BaseOperator::Null {
        let absent = present.is_none_or(|v| v.is_empty());
        return Tri::any(c.values.iter().map(
            |v| match v.as_deref().map(str::to_ascii_lowercase) {
                None => Tri::Unknown,
                Some(v) if v == "true" => Tri::from_bool(absent),
                Some(v) if v == "false" => Tri::from_bool(!absent),
                Some(_) => Tri::No,
            },
        ));
    }
    let neg = negated(op.base);
    let values = match present {
        Some(v) if !v.is_empty() || op.qualifier.is_some() => v,
        _ => {
            // Absent (or an empty set without a qualifier). With a qualifier an absent key
            // is an empty set: `ForAllValues` holds and `ForAnyValue` does not, `IfExists`
            // or not, as AWS evaluates it.
            return match op.qualifier {
                Some(SetQualifier::ForAllValues) => Tri::Yes,
                Some(SetQualifier::ForAnyValue) => Tri::No,
                None => Tri::from_bool(op.if_exists || neg),
            };
        }
    };
    // One value of the key against the condition's values: any matches (positive), none
    // matches (negated).
    let one = |value: &str| -> Tri {
        let any = Tri::any(c.values.iter().map(|w| match w {
            None => Tri::Unknown,
            Some(w) => positive(op.base, w, value, ctx),
        }));
        if neg {
            any.not()
        } else {
            any
        }
    };
    match op.qualifier {
        Some(SetQualifier::ForAnyValue) => Tri::any(values.iter().map(|v| one(v))),
        Some(SetQualifier::ForAllValues) => Tri::all(values.iter().map(|v| one(v))),
        None if neg => Tri::all(values.iter().map(|v| one(v))),
        None => Tri::any(values.iter().map(|v| one(v))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{keys, Condition, Operator, PolicyDocument, Principal, Statement};

    fn cond(op: &str, key: &str, values: &[&str]) -> ResolvedCondition {
        ResolvedCondition {
            operator: Operator::parse(op).unwrap(),
            key: key.to_owned(),
            values: values.iter().map(|v| Some((*v).to_owned())).collect(),
        }
    }

    fn holds(op: &str, values: &[&str], ctx: &Context) -> Tri {
        condition(&cond(op, "k:k", values), ctx)
    }

    fn one(doc: PolicyDocument, req: &Request) -> Verdict {
        evaluate(&[Policy::literal("p", &doc)], req).verdict
    }

    #[test]
    fn an_absent_key_fails_unless_if_exists_or_negated() {
        let none = Context::new();
        assert_eq!(holds("StringEquals", &["a"], &none), Tri::No);
        assert_eq!(holds("StringEqualsIfExists", &["a"], &none), Tri::Yes);
        assert_eq!(holds("StringNotEquals", &["a"], &none), Tri::Yes);
        assert_eq!(holds("Bool", &["false"], &none), Tri::No);
        assert_eq!(holds("BoolIfExists", &["false"], &none), Tri::Yes);
        assert_eq!(holds("NumericLessThan", &["3600"], &none), Tri::No);
        assert_eq!(holds("NumericLessThanIfExists", &["3600"], &none), Tri::Yes);
        assert_eq!(holds("ArnNotLike", &["arn:*"], &none), Tri::Yes);
        assert_eq!(holds("Null", &["true"], &none), Tri::Yes);
        assert_eq!(holds("Null", &["false"], &none), Tri::No);
        let present = Context::new().with("k:k", "b");
        assert_eq!(holds("StringEqualsIfExists", &["a"], &present), Tri::No);
        assert_eq!(holds("StringNotEquals", &["a"], &present), Tri::Yes);
        assert_eq!(holds("StringNotEquals", &["a", "b"], &present), Tri::No);
        assert_eq!(holds("Null", &["false"], &present), Tri::Yes);
    }

    #[test]
    fn set_qualifiers_on_absent_empty_and_multivalued_keys() {
        let none = Context::new();
        let empty = Context::new().with_values("k:k", Vec::<String>::new());
        for ctx in [&none, &empty] {
            assert_eq!(holds("ForAllValues:StringEquals", &["a"], ctx), Tri::Yes);
            assert_eq!(holds("ForAnyValue:StringEquals", &["a"], ctx), Tri::No);
            // IfExists does not make an absent or empty set match any value.
            assert_eq!(
                holds("ForAnyValue:StringEqualsIfExists", &["a"], ctx),
                Tri::No
            );
            assert_eq!(
                holds("ForAllValues:StringEqualsIfExists", &["a"], ctx),
                Tri::Yes
            );
        }
        let two = Context::new().with_values("k:k", ["a", "b"]);
        assert_eq!(holds("ForAllValues:StringEquals", &["a"], &two), Tri::No);
        assert_eq!(
            holds("ForAllValues:StringEquals", &["a", "b", "c"], &two),
            Tri::Yes
        );
        assert_eq!(holds("ForAnyValue:StringEquals", &["b"], &two), Tri::Yes);
        assert_eq!(holds("ForAnyValue:StringNotEquals", &["a"], &two), Tri::Yes);
        assert_eq!(holds("ForAllValues:StringNotEquals", &["a"], &two), Tri::No);
        assert_eq!(
            holds(
                "ForAnyValue:StringLike",
                &["o-*/r-*/ou-1/*"],
                &Context::new().with("k:k", "o-1/r-1/ou-1/ou-2/")
            ),
            Tri::Yes
        );
    }

    #[test]
    fn operators_compare_as_documented() {
        let ctx = Context::new()
            .with("k:k", "Alice")
            .with("n:n", "10")
            .with("d:d", "2026-01-01T00:00:00Z")
            .with("ip:ip", "10.1.2.3");
        let c = |op: &str, key: &str, v: &[&str]| condition(&cond(op, key, v), &ctx);
        assert_eq!(c("StringEquals", "k:k", &["alice"]), Tri::No);
        assert_eq!(c("StringEqualsIgnoreCase", "k:k", &["alice"]), Tri::Yes);
        assert_eq!(c("StringLike", "k:k", &["A*"]), Tri::Yes);
        assert_eq!(c("StringLike", "k:k", &["a*"]), Tri::No);
        assert_eq!(c("StringNotLike", "k:k", &["B*"]), Tri::Yes);
        assert_eq!(c("NumericLessThan", "n:n", &["11"]), Tri::Yes);
        assert_eq!(c("NumericGreaterThanEquals", "n:n", &["10"]), Tri::Yes);
        assert_eq!(c("NumericNotEquals", "n:n", &["10"]), Tri::No);
        assert_eq!(c("NumericEquals", "k:k", &["10"]), Tri::No);
        assert_eq!(c("DateGreaterThan", "d:d", &["2025-12-31"]), Tri::Yes);
        assert_eq!(c("DateLessThan", "d:d", &["2025-12-31"]), Tri::No);
        assert_eq!(c("IpAddress", "ip:ip", &["10.0.0.0/8"]), Tri::Yes);
        assert_eq!(c("NotIpAddress", "ip:ip", &["10.0.0.0/8"]), Tri::No);
        // Keys are case-insensitive; values are not.
        assert_eq!(c("StringEquals", "K:K", &["Alice"]), Tri::Yes);
        // Policy variables in values.
        let with_user = ctx.clone().with("aws:username", "Alice");
        assert_eq!(
            condition(
                &cond("StringEquals", "k:k", &["${aws:username}"]),
                &with_user
            ),
            Tri::Yes
        );
        // An unknown value decides nothing.
        let unknown = ResolvedCondition {
            operator: Operator::parse("StringEquals").unwrap(),
            key: "k:k".into(),
            values: vec![None],
        };
        assert_eq!(condition(&unknown, &ctx), Tri::Unknown);
    }

    #[test]
    fn deny_wins_then_allow_else_implicit_deny() {
        let req = Request::new("s3:GetObject", "arn:aws:s3:::b/k");
        let allow = Statement::allow()
            .action("s3:Get*")
            .resource("arn:aws:s3:::b/*");
        let deny = Statement::deny().action("S3:GETOBJECT").resource("*");
        assert_eq!(
            one(PolicyDocument::from(allow.clone()), &req),
            Verdict::Allow
        );
        assert_eq!(
            one(PolicyDocument::new().statement(allow).statement(deny), &req),
            Verdict::ExplicitDeny
        );
        let other = Statement::allow()
            .action("s3:GetObject")
            .resource("arn:aws:s3:::B/*");
        assert_eq!(
            one(PolicyDocument::from(other), &req),
            Verdict::ImplicitDeny
        );
    }

    #[test]
    fn not_action_and_not_resource() {
        let req = Request::new("iam:CreateUser", "arn:aws:iam::1:user/x");
        let doc = PolicyDocument::from(Statement::allow().not_action("iam:*").resource("*"));
        assert_eq!(one(doc.clone(), &req), Verdict::ImplicitDeny);
        assert_eq!(one(doc, &Request::new("s3:GetObject", "*")), Verdict::Allow);
        let doc = PolicyDocument::from(
            Statement::deny()
                .action("*")
                .not_resource("arn:aws:iam::*:user/${aws:username}"),
        );
        let mine = req.clone().with("aws:username", "x");
        assert_eq!(one(doc.clone(), &mine), Verdict::ImplicitDeny);
        let theirs = req.clone().with("aws:username", "y");
        assert_eq!(one(doc.clone(), &theirs), Verdict::ExplicitDeny);
        // No username: the variable matches nothing, so NotResource holds.
        assert_eq!(one(doc, &req), Verdict::ExplicitDeny);
    }

    #[test]
    fn principals_and_not_principals() {
        let arn = "arn:aws:iam::111111111111:role/r";
        let session = "arn:aws:sts::111111111111:assumed-role/r/alice";
        let who = Who::Aws {
            account: "111111111111".into(),
            arn: arn.into(),
            session: Some(session.into()),
        };
        let req = Request::new("s3:GetObject", "arn:aws:s3:::b/k").by(who);
        let allow = |p: Principal| {
            PolicyDocument::from(Statement::allow().principal(p).action("s3:*").resource("*"))
        };
        assert_eq!(one(allow(Principal::aws(arn)), &req), Verdict::Allow);
        assert_eq!(
            one(allow(Principal::aws("111111111111")), &req),
            Verdict::Allow
        );
        assert_eq!(
            one(allow(Principal::aws("222222222222")), &req),
            Verdict::ImplicitDeny
        );
        assert_eq!(
            one(allow(Principal::service("s3.amazonaws.com")), &req),
            Verdict::ImplicitDeny
        );
        assert_eq!(one(allow(Principal::any()), &req), Verdict::Allow);
        // Deny with NotPrincipal: the session is excluded only when its account, its role
        // and its session are all listed.
        let deny_but = |ps: Vec<Principal>| {
            PolicyDocument::from(
                ps.into_iter()
                    .fold(Statement::deny(), Statement::not_principal)
                    .action("s3:*")
                    .resource("*"),
            )
        };
        assert_eq!(
            one(deny_but(vec![Principal::aws(arn)]), &req),
            Verdict::ExplicitDeny
        );
        assert_eq!(
            one(
                deny_but(vec![
                    Principal::aws("arn:aws:iam::111111111111:root"),
                    Principal::aws(arn),
                    Principal::aws(session),
                ]),
                &req
            ),
            Verdict::ImplicitDeny
        );
    }

    #[test]
    fn mfa_patterns_of_the_layout() {
        let deny = PolicyDocument::new()
            .statement(Statement::allow().action("*").resource("*"))
            .statement(
                Statement::deny()
                    .not_action("sts:GetSessionToken")
                    .resource("*")
                    .condition(Condition::null(keys::MULTI_FACTOR_AUTH_PRESENT, true)),
            );
        let key = Request::new("s3:ListAllMyBuckets", "*");
        assert_eq!(one(deny.clone(), &key), Verdict::ExplicitDeny);
        let console = key.clone().with("aws:MultiFactorAuthPresent", "false");
        assert_eq!(one(deny, &console), Verdict::Allow);
        // BoolIfExists in an Allow lets long-term keys through: the trap the layout avoids.
        let trap = PolicyDocument::from(
            Statement::allow()
                .action("sts:AssumeRole")
                .resource("*")
                .condition(Condition::bool_if_exists(
                    keys::MULTI_FACTOR_AUTH_PRESENT,
                    true,
                )),
        );
        assert_eq!(
            one(trap, &Request::new("sts:AssumeRole", "*")),
            Verdict::Allow
        );
    }
}
