//! Principals: who a resource or trust policy lets in (or keeps out).

use super::problem::PolicyProblem;
use crate::cfn::{Expr, Map, Value};
use crate::Rule;

/// The kind of a [`Principal`], which decides the key it is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    /// Everyone: `"Principal": "*"`.
    Any,
    /// `AWS`: an account, a role, a user, an assumed-role session.
    Aws,
    /// `Service`: an AWS service, e.g. `cloudtrail.amazonaws.com`.
    Service,
    /// `Federated`: a SAML or OIDC provider, or a web identity provider.
    Federated,
    /// `CanonicalUser`: an S3 canonical user id.
    CanonicalUser,
}

impl PrincipalKind {
    /// The key the kind is listed under (`AWS`, `Service`…); `*` for [`PrincipalKind::Any`].
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Any => "*",
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// A principal of a statement.
///
/// ```
/// use orgstack::iam::Principal;
/// let p = Principal::account("123456789012");
/// assert_eq!(
///     orgstack::cfn::render::minified(p.value()).unwrap(),
///     r#"{"Fn::Sub":"arn:${AWS::Partition}:iam::123456789012:root"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    kind: PrincipalKind,
    value: Value,
    /// A literal given to [`Principal::account`] that is not an account id.
    bad_account: Option<String>,
}

impl Principal {
    /// A principal of `kind` with `value` as written (a regional service principal is an
    /// `Fn::Sub` of `${AWS::Region}`, which `service` cannot take).
    pub(crate) fn new(kind: PrincipalKind, value: Value) -> Principal {
        Principal {
            kind,
            value,
            bad_account: None,
        }
    }

    /// An `AWS` principal written as given: an ARN, an account id, or an intrinsic.
    pub fn aws(arn_or_account: impl Into<Value>) -> Principal {
        Principal::new(PrincipalKind::Aws, arn_or_account.into())
    }

    /// The root of an account, as a partition-correct ARN
    /// (`arn:${AWS::Partition}:iam::<account>:root`).
    ///
    /// A literal account id is written into the `Fn::Sub` string; an intrinsic becomes the
    /// `AccountId` variable of the `Fn::Sub`. A literal that is not 12 digits is reported by
    /// [`PolicyDocument::problems`](super::PolicyDocument::problems).
    pub fn account(account_id: impl Into<Value>) -> Principal {
        let mut account_id: Value = account_id.into();
        let literal = match &mut account_id {
            Value::String(s) => std::mem::take(s),
            Value::Number(n) => n.to_string(),
            _ => {
                let other = account_id;
                return Principal::new(
                    PrincipalKind::Aws,
                    Expr::sub_with(
                        "arn:${AWS::Partition}:iam::${AccountId}:root",
                        [("AccountId", other)],
                    )
                    .into(),
                );
            }
        };
        let valid = literal.len() == 12 && literal.bytes().all(|b| b.is_ascii_digit());
        Principal {
            kind: PrincipalKind::Aws,
            value: Expr::sub(format!(
                "arn:${{AWS::Partition}}:iam::{}:root",
                crate::cfn::escape_sub(&literal)
            ))
            .into(),
            bad_account: (!valid).then_some(literal),
        }
    }

    /// A `Service` principal, e.g. `cloudtrail.amazonaws.com`.
    pub fn service(service: impl Into<String>) -> Principal {
        Principal::new(PrincipalKind::Service, Value::String(service.into()))
    }

    /// A `Federated` principal: an identity provider's ARN (possibly an intrinsic) or a web
    /// identity provider such as `cognito-identity.amazonaws.com`.
    pub fn federated(provider: impl Into<Value>) -> Principal {
        Principal::new(PrincipalKind::Federated, provider.into())
    }

    /// A `CanonicalUser` principal (an S3 canonical user id).
    pub fn canonical_user(id: impl Into<String>) -> Principal {
        Principal::new(PrincipalKind::CanonicalUser, Value::String(id.into()))
    }

    /// Everyone: renders as `"Principal": "*"`.
    pub fn any() -> Principal {
        Principal::new(PrincipalKind::Any, Value::from("*"))
    }

    /// The kind of principal.
    pub fn kind(&self) -> PrincipalKind {
        self.kind
    }

    /// The value listed under the kind's key.
    pub fn value(&self) -> &Value {
        &self.value
    }

    pub(crate) fn problems(&self, out: &mut Vec<PolicyProblem>) {
        if let Some(literal) = &self.bad_account {
            out.push(PolicyProblem::new(
                Rule::AccountId,
                literal,
                "an account principal is not a 12-digit account id",
                "pass the account id as 12 digits (keep leading zeros), or use `Principal::aws` for an ARN",
            ));
        }
    }
}

/// Renders the principals of a statement: `"*"` when [`Principal::any`] is among them,
/// otherwise an object with the kinds in the order `AWS`, `Service`, `Federated`,
/// `CanonicalUser`; one value of a kind renders as a scalar, more as a list, in insertion
/// order without duplicates.
pub(crate) fn render(principals: &[Principal]) -> Value {
    if principals.iter().any(|p| p.kind == PrincipalKind::Any) {
        return Value::from("*");
    }
    let mut map = Map::default();
    for kind in [
        PrincipalKind::Aws,
        PrincipalKind::Service,
        PrincipalKind::Federated,
        PrincipalKind::CanonicalUser,
    ] {
        let mut values: Vec<&Value> = Vec::new();
        for p in principals.iter().filter(|p| p.kind == kind) {
            if !values.contains(&&p.value) {
                values.push(&p.value);
            }
        }
        if !values.is_empty() {
            map.insert(kind.as_str().into(), super::scalar_or_list(values));
        }
    }
    Value::Map(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::render::minified;
    use crate::cfn::{NodeId, Pseudo, Reference, Target};

    fn r(ps: &[Principal]) -> String {
        minified(&render(ps)).unwrap()
    }

    #[test]
    fn one_value_is_a_scalar() {
        assert_eq!(
            r(&[Principal::service("cloudtrail.amazonaws.com")]),
            r#"{"Service":"cloudtrail.amazonaws.com"}"#
        );
    }

    #[test]
    fn grouped_in_fixed_order_with_lists_and_no_duplicates() {
        let ps = [
            Principal::canonical_user("abc"),
            Principal::federated("arn:aws:iam::111111111111:saml-provider/Okta"),
            Principal::service("config.amazonaws.com"),
            Principal::aws("arn:aws:iam::111111111111:role/A"),
            Principal::service("cloudtrail.amazonaws.com"),
            Principal::aws("arn:aws:iam::111111111111:role/B"),
            Principal::service("config.amazonaws.com"),
        ];
        assert_eq!(
            r(&ps),
            concat!(
                r#"{"AWS":["arn:aws:iam::111111111111:role/A","arn:aws:iam::111111111111:role/B"],"#,
                r#""Service":["config.amazonaws.com","cloudtrail.amazonaws.com"],"#,
                r#""Federated":"arn:aws:iam::111111111111:saml-provider/Okta","#,
                r#""CanonicalUser":"abc"}"#
            )
        );
    }

    #[test]
    fn any_renders_a_star() {
        assert_eq!(r(&[Principal::any()]), r#""*""#);
        assert_eq!(Principal::any().kind(), PrincipalKind::Any);
        assert_eq!(r(&[Principal::aws("*")]), r#"{"AWS":"*"}"#);
    }

    #[test]
    fn account_literal_is_partition_correct() {
        let p = Principal::account("123456789012");
        assert_eq!(p.kind(), PrincipalKind::Aws);
        assert_eq!(
            r(std::slice::from_ref(&p)),
            r#"{"AWS":{"Fn::Sub":"arn:${AWS::Partition}:iam::123456789012:root"}}"#
        );
        let mut out = Vec::new();
        p.problems(&mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn account_expression_is_a_sub_variable() {
        let p = Principal::account(Expr::get_att_logical("Acct", "AccountId"));
        assert_eq!(
            r(&[p]),
            concat!(
                r#"{"AWS":{"Fn::Sub":["arn:${AWS::Partition}:iam::${AccountId}:root","#,
                r#"{"AccountId":{"Fn::GetAtt":["Acct","AccountId"]}}]}}"#
            )
        );
        assert_eq!(
            r(&[Principal::account(Pseudo::AccountId)]),
            r#"{"AWS":{"Fn::Sub":["arn:${AWS::Partition}:iam::${AccountId}:root",{"AccountId":{"Ref":"AWS::AccountId"}}]}}"#
        );
    }

    #[test]
    fn account_node_reference_keeps_the_reference() {
        let p = Principal::account(Expr::node_get_att(
            NodeId { app: 0, index: 3 },
            "AccountId",
            12,
        ));
        let Some(Expr::Sub(template, vars)) = p.value().as_expr() else {
            panic!("expected a Fn::Sub, got {:?}", p.value());
        };
        assert_eq!(template, "arn:${AWS::Partition}:iam::${AccountId}:root");
        assert_eq!(vars.len(), 1);
        assert_eq!(
            vars.get("AccountId").and_then(Value::as_expr),
            Some(&Expr::Ref(Reference {
                target: Target::Node(NodeId { app: 0, index: 3 }),
                attribute: Some("AccountId".into()),
                max_len: 12,
            }))
        );
        // Worst case: "arn:" + partition (10) + ":iam::" + 12 digits + ":root", quoted.
        assert_eq!(p.value().minified_len(), 2 + 4 + 10 + 6 + 12 + 5);
    }

    #[test]
    fn account_literal_that_is_not_an_id_is_a_problem() {
        let mut out = Vec::new();
        Principal::account("12345").problems(&mut out);
        Principal::account(12_345_678_901_u64).problems(&mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|p| p.rule == Rule::AccountId));
        assert_eq!(out[0].value, "12345");
        assert_eq!(out[1].value, "12345678901");
        let mut out = Vec::new();
        Principal::account(123_456_789_012_u64).problems(&mut out);
        assert!(out.is_empty());
    }
}
