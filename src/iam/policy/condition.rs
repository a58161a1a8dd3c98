//! Conditions: an operator, a key and the values to compare with.

use indexmap::IndexMap;

use super::key::ConditionKey;
use super::operator::{BaseOperator, Operator};
use super::problem::PolicyProblem;
use crate::cfn::{Map, Value};
use crate::Rule;

/// One condition of a statement: `{ "<operator>": { "<key>": <values> } }`.
///
/// Values are template [`Value`]s, so a value can be an intrinsic (an organization id
/// resolved at deploy time, say). The constructors write booleans and numbers as strings,
/// the way the IAM documentation writes them.
///
/// ```
/// use orgstack::iam::{keys, Condition};
/// let c = Condition::bool(keys::SECURE_TRANSPORT, false);
/// assert_eq!(c.operator.name(), "Bool");
/// assert_eq!(c.values[0].as_str(), Some("false"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The condition key.
    pub key: ConditionKey,
    /// The values the key is compared with; one of them must match.
    pub values: Vec<Value>,
}

fn bool_text(b: bool) -> Value {
    Value::from(if b { "true" } else { "false" })
}

fn values<V: Into<Value>>(values: impl IntoIterator<Item = V>) -> Vec<Value> {
    values.into_iter().map(Into::into).collect()
}

impl Condition {
    /// A condition with any operator, key and values.
    pub fn new<V: Into<Value>>(
        operator: impl Into<Operator>,
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition {
            operator: operator.into(),
            key: key.into(),
            values: self::values(values),
        }
    }

    fn one(operator: impl Into<Operator>, key: impl Into<ConditionKey>, value: Value) -> Condition {
        Condition {
            operator: operator.into(),
            key: key.into(),
            values: vec![value],
        }
    }

    /// `Bool`, with the value written `"true"` or `"false"`.
    pub fn bool(key: impl Into<ConditionKey>, value: bool) -> Condition {
        Condition::one(BaseOperator::Bool, key, bool_text(value))
    }

    /// `BoolIfExists`, with the value written `"true"` or `"false"`.
    ///
    /// With `aws:MultiFactorAuthPresent`, use it in `Deny` statements only: the key is absent
    /// for long-term access keys, so in an `Allow` it lets them in.
    pub fn bool_if_exists(key: impl Into<ConditionKey>, value: bool) -> Condition {
        Condition::one(
            Operator::new(BaseOperator::Bool).if_exists(),
            key,
            bool_text(value),
        )
    }

    /// `StringEquals`.
    pub fn string_equals<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::StringEquals, key, values)
    }

    /// `StringNotEquals`.
    pub fn string_not_equals<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::StringNotEquals, key, values)
    }

    /// `StringLike`.
    pub fn string_like<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::StringLike, key, values)
    }

    /// `StringNotLike`.
    pub fn string_not_like<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::StringNotLike, key, values)
    }

    /// `ArnLike`.
    pub fn arn_like<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::ArnLike, key, values)
    }

    /// `ArnEquals`.
    pub fn arn_equals<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        values: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::ArnEquals, key, values)
    }

    /// `NumericLessThan`, with the number written as a string (`"3600"`).
    pub fn numeric_less_than(key: impl Into<ConditionKey>, value: i64) -> Condition {
        Condition::one(BaseOperator::NumericLessThan, key, value.to_string().into())
    }

    /// `NumericGreaterThan`, with the number written as a string.
    pub fn numeric_greater_than(key: impl Into<ConditionKey>, value: i64) -> Condition {
        Condition::one(
            BaseOperator::NumericGreaterThan,
            key,
            value.to_string().into(),
        )
    }

    /// `Null`: `true` holds when the key is absent, `false` when it is present.
    pub fn null(key: impl Into<ConditionKey>, absent: bool) -> Condition {
        Condition::one(BaseOperator::Null, key, bool_text(absent))
    }

    /// `IpAddress`, with addresses or CIDR ranges.
    pub fn ip_address<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        cidrs: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::IpAddress, key, cidrs)
    }

    /// `NotIpAddress`, with addresses or CIDR ranges.
    pub fn not_ip_address<V: Into<Value>>(
        key: impl Into<ConditionKey>,
        cidrs: impl IntoIterator<Item = V>,
    ) -> Condition {
        Condition::new(BaseOperator::NotIpAddress, key, cidrs)
    }

    /// `DateGreaterThan`, with an ISO 8601 date or epoch time.
    pub fn date_greater_than(key: impl Into<ConditionKey>, date: impl Into<Value>) -> Condition {
        Condition::one(BaseOperator::DateGreaterThan, key, date.into())
    }

    /// `DateLessThan`, with an ISO 8601 date or epoch time.
    pub fn date_less_than(key: impl Into<ConditionKey>, date: impl Into<Value>) -> Condition {
        Condition::one(BaseOperator::DateLessThan, key, date.into())
    }

    /// What IAM would reject about this condition.
    pub(crate) fn problems(&self, out: &mut Vec<PolicyProblem>) {
        let label = format!("{} {}", self.operator.name(), self.key);
        if let Some(message) = self.operator.problem() {
            out.push(PolicyProblem::new(
                Rule::Condition,
                self.operator.name(),
                message,
                "use `Null` alone: `\"true\"` holds when the key is absent",
            ));
        }
        if self.key.as_str().is_empty() {
            out.push(PolicyProblem::new(
                Rule::Condition,
                &label,
                "a condition key is empty",
                "name the key, e.g. `aws:PrincipalOrgID`",
            ));
        }
        if self.values.is_empty() {
            out.push(PolicyProblem::new(
                Rule::Condition,
                &label,
                format!("the condition on `{}` has no values", self.key),
                "give at least one value to compare the key with",
            ));
        }
    }
}

/// Renders the `Condition` block of a statement: operators in first-use order, keys in
/// first-use order within an operator, values of the same operator and key merged without
/// duplicates. One value renders as a scalar, more as a list.
pub(crate) fn render(conditions: &[Condition]) -> Value {
    let mut by_operator: IndexMap<String, IndexMap<&str, Vec<&Value>>> = IndexMap::new();
    for c in conditions {
        let merged = by_operator
            .entry(c.operator.name())
            .or_default()
            .entry(c.key.as_str())
            .or_default();
        for v in &c.values {
            if !merged.contains(&v) {
                merged.push(v);
            }
        }
    }
    let mut block = Map::default();
    for (operator, keys) in by_operator {
        let mut entries = Map::default();
        for (key, values) in keys {
            entries.insert(key.to_owned().into(), super::scalar_or_list(values));
        }
        block.insert(operator.into(), Value::Map(entries));
    }
    Value::Map(block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::render::minified;
    use crate::cfn::Expr;
    use crate::iam::policy::keys;
    use crate::iam::policy::operator::SetQualifier;

    fn render_one(c: Condition) -> String {
        minified(&render(&[c])).unwrap()
    }

    #[test]
    fn every_base_operator_renders_its_name() {
        for base in BaseOperator::ALL {
            let c = Condition::new(base, "k:k", ["v"]);
            assert_eq!(
                render_one(c),
                format!(r#"{{"{}":{{"k:k":"v"}}}}"#, base.as_str())
            );
        }
    }

    #[test]
    fn if_exists_and_qualifiers_render() {
        let op = Operator::new(BaseOperator::StringLike)
            .if_exists()
            .for_any_value();
        assert_eq!(
            render_one(Condition::new(op, keys::PRINCIPAL_ARN, ["arn:*"])),
            r#"{"ForAnyValue:StringLikeIfExists":{"aws:PrincipalArn":"arn:*"}}"#
        );
        let op = Operator::new(BaseOperator::StringEquals)
            .for_all_values()
            .if_exists();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAllValues));
        assert_eq!(
            render_one(Condition::new(op, keys::CALLED_VIA, ["a", "b"])),
            r#"{"ForAllValues:StringEqualsIfExists":{"aws:CalledVia":["a","b"]}}"#
        );
        assert_eq!(
            render_one(Condition::new(
                Operator::new(BaseOperator::ArnNotLike).if_exists(),
                keys::PRINCIPAL_ARN,
                ["x"]
            )),
            r#"{"ArnNotLikeIfExists":{"aws:PrincipalArn":"x"}}"#
        );
    }

    #[test]
    fn booleans_render_as_strings() {
        assert_eq!(
            render_one(Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true)),
            r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#
        );
        assert_eq!(
            render_one(Condition::bool(keys::SECURE_TRANSPORT, false)),
            r#"{"Bool":{"aws:SecureTransport":"false"}}"#
        );
        assert_eq!(
            render_one(Condition::bool_if_exists(
                keys::MULTI_FACTOR_AUTH_PRESENT,
                false
            )),
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#
        );
        assert_eq!(
            render_one(Condition::null(keys::PRINCIPAL_ORG_ID, true)),
            r#"{"Null":{"aws:PrincipalOrgID":"true"}}"#
        );
    }

    #[test]
    fn numbers_render_as_strings() {
        assert_eq!(
            render_one(Condition::numeric_less_than(
                keys::MULTI_FACTOR_AUTH_AGE,
                3600
            )),
            r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#
        );
        assert_eq!(
            render_one(Condition::numeric_greater_than("s3:max-keys", -1)),
            r#"{"NumericGreaterThan":{"s3:max-keys":"-1"}}"#
        );
    }

    #[test]
    fn constructors_pick_their_operator() {
        let k = keys::SOURCE_ARN;
        let cases = [
            (Condition::string_equals(k.clone(), ["v"]), "StringEquals"),
            (
                Condition::string_not_equals(k.clone(), ["v"]),
                "StringNotEquals",
            ),
            (Condition::string_like(k.clone(), ["v"]), "StringLike"),
            (
                Condition::string_not_like(k.clone(), ["v"]),
                "StringNotLike",
            ),
            (Condition::arn_like(k.clone(), ["v"]), "ArnLike"),
            (Condition::arn_equals(k.clone(), ["v"]), "ArnEquals"),
            (
                Condition::ip_address(k.clone(), ["10.0.0.0/8"]),
                "IpAddress",
            ),
            (
                Condition::not_ip_address(k.clone(), ["10.0.0.0/8"]),
                "NotIpAddress",
            ),
            (
                Condition::date_greater_than(k.clone(), "2026-01-01T00:00:00Z"),
                "DateGreaterThan",
            ),
            (
                Condition::date_less_than(k.clone(), "2026-01-01T00:00:00Z"),
                "DateLessThan",
            ),
        ];
        for (c, name) in cases {
            assert_eq!(c.operator.name(), name);
            assert_eq!(c.key, k);
            assert_eq!(c.values.len(), 1);
        }
    }

    #[test]
    fn same_operator_and_key_merge() {
        let block = render(&[
            Condition::string_equals(keys::REQUESTED_REGION, ["eu-west-1", "eu-central-1"]),
            Condition::bool(keys::SECURE_TRANSPORT, true),
            Condition::string_equals(keys::PRINCIPAL_ORG_ID, ["o-abc"]),
            Condition::string_equals(keys::REQUESTED_REGION, ["eu-west-1", "us-east-1"]),
        ]);
        assert_eq!(
            minified(&block).unwrap(),
            concat!(
                r#"{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1","us-east-1"],"#,
                r#""aws:PrincipalOrgID":"o-abc"},"#,
                r#""Bool":{"aws:SecureTransport":"true"}}"#
            )
        );
    }

    #[test]
    fn intrinsic_values_render() {
        let c = Condition::string_equals(
            keys::PRINCIPAL_ORG_ID,
            [Value::from(Expr::get_att_logical("Org", "Id"))],
        );
        assert_eq!(
            render_one(c),
            r#"{"StringEquals":{"aws:PrincipalOrgID":{"Fn::GetAtt":["Org","Id"]}}}"#
        );
    }

    #[test]
    fn problems() {
        let mut out = Vec::new();
        Condition::new(
            BaseOperator::StringEquals,
            keys::USERNAME,
            Vec::<Value>::new(),
        )
        .problems(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, Rule::Condition);
        assert_eq!(out[0].value, "StringEquals aws:username");

        out.clear();
        Condition::new(
            Operator::new(BaseOperator::Null).if_exists(),
            keys::USERNAME,
            ["true"],
        )
        .problems(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, Rule::Condition);
        assert_eq!(out[0].value, "NullIfExists");

        out.clear();
        Condition::bool("", true).problems(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, Rule::Condition);

        out.clear();
        Condition::bool(keys::SECURE_TRANSPORT, true).problems(&mut out);
        assert!(out.is_empty());
    }
}
