//! Condition operators: the base operator, the `IfExists` suffix and the set qualifiers.

use std::fmt;

/// An IAM condition operator without `IfExists` or a set qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum BaseOperator {
    /// `StringEquals`: exact, case-sensitive.
    StringEquals,
    /// `StringNotEquals`.
    StringNotEquals,
    /// `StringEqualsIgnoreCase`.
    StringEqualsIgnoreCase,
    /// `StringNotEqualsIgnoreCase`.
    StringNotEqualsIgnoreCase,
    /// `StringLike`: case-sensitive, with `*` and `?` wildcards.
    StringLike,
    /// `StringNotLike`.
    StringNotLike,
    /// `NumericEquals`.
    NumericEquals,
    /// `NumericNotEquals`.
    NumericNotEquals,
    /// `NumericLessThan`.
    NumericLessThan,
    /// `NumericLessThanEquals`.
    NumericLessThanEquals,
    /// `NumericGreaterThan`.
    NumericGreaterThan,
    /// `NumericGreaterThanEquals`.
    NumericGreaterThanEquals,
    /// `DateEquals`.
    DateEquals,
    /// `DateNotEquals`.
    DateNotEquals,
    /// `DateLessThan`.
    DateLessThan,
    /// `DateLessThanEquals`.
    DateLessThanEquals,
    /// `DateGreaterThan`.
    DateGreaterThan,
    /// `DateGreaterThanEquals`.
    DateGreaterThanEquals,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`: base64-encoded bytes.
    BinaryEquals,
    /// `IpAddress`: an address or CIDR range.
    IpAddress,
    /// `NotIpAddress`.
    NotIpAddress,
    /// `ArnEquals`.
    ArnEquals,
    /// `ArnLike`.
    ArnLike,
    /// `ArnNotEquals`.
    ArnNotEquals,
    /// `ArnNotLike`.
    ArnNotLike,
    /// `Null`: whether the key is absent (`"true"`) or present (`"false"`).
    Null,
}

impl BaseOperator {
    /// Every base operator, in the order of the IAM reference.
    pub const ALL: [BaseOperator; 27] = [
        BaseOperator::StringEquals,
        BaseOperator::StringNotEquals,
        BaseOperator::StringEqualsIgnoreCase,
        BaseOperator::StringNotEqualsIgnoreCase,
        BaseOperator::StringLike,
        BaseOperator::StringNotLike,
        BaseOperator::NumericEquals,
        BaseOperator::NumericNotEquals,
        BaseOperator::NumericLessThan,
        BaseOperator::NumericLessThanEquals,
        BaseOperator::NumericGreaterThan,
        BaseOperator::NumericGreaterThanEquals,
        BaseOperator::DateEquals,
        BaseOperator::DateNotEquals,
        BaseOperator::DateLessThan,
        BaseOperator::DateLessThanEquals,
        BaseOperator::DateGreaterThan,
        BaseOperator::DateGreaterThanEquals,
        BaseOperator::Bool,
        BaseOperator::BinaryEquals,
        BaseOperator::IpAddress,
        BaseOperator::NotIpAddress,
        BaseOperator::ArnEquals,
        BaseOperator::ArnLike,
        BaseOperator::ArnNotEquals,
        BaseOperator::ArnNotLike,
        BaseOperator::Null,
    ];

    /// The operator's name as written in a policy, e.g. `StringLike`.
    pub fn as_str(self) -> &'static str {
        match self {
            BaseOperator::StringEquals => "StringEquals",
            BaseOperator::StringNotEquals => "StringNotEquals",
            BaseOperator::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            BaseOperator::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            BaseOperator::StringLike => "StringLike",
            BaseOperator::StringNotLike => "StringNotLike",
            BaseOperator::NumericEquals => "NumericEquals",
            BaseOperator::NumericNotEquals => "NumericNotEquals",
            BaseOperator::NumericLessThan => "NumericLessThan",
            BaseOperator::NumericLessThanEquals => "NumericLessThanEquals",
            BaseOperator::NumericGreaterThan => "NumericGreaterThan",
            BaseOperator::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            BaseOperator::DateEquals => "DateEquals",
            BaseOperator::DateNotEquals => "DateNotEquals",
            BaseOperator::DateLessThan => "DateLessThan",
            BaseOperator::DateLessThanEquals => "DateLessThanEquals",
            BaseOperator::DateGreaterThan => "DateGreaterThan",
            BaseOperator::DateGreaterThanEquals => "DateGreaterThanEquals",
            BaseOperator::Bool => "Bool",
            BaseOperator::BinaryEquals => "BinaryEquals",
            BaseOperator::IpAddress => "IpAddress",
            BaseOperator::NotIpAddress => "NotIpAddress",
            BaseOperator::ArnEquals => "ArnEquals",
            BaseOperator::ArnLike => "ArnLike",
            BaseOperator::ArnNotEquals => "ArnNotEquals",
            BaseOperator::ArnNotLike => "ArnNotLike",
            BaseOperator::Null => "Null",
        }
    }
}

impl BaseOperator {
    /// The base operator named `name` as written in a policy (`StringLike`), if any.
    pub fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::ALL.into_iter().find(|b| b.as_str() == name)
    }
}

impl fmt::Display for BaseOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a condition compares a multivalued key with the listed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SetQualifier {
    /// `ForAnyValue:`: at least one value of the key must match.
    ForAnyValue,
    /// `ForAllValues:`: every value of the key must match (true when the key is absent).
    ForAllValues,
}

impl SetQualifier {
    /// The qualifier as written before the `:`, e.g. `ForAnyValue`.
    pub fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAnyValue => "ForAnyValue",
            SetQualifier::ForAllValues => "ForAllValues",
        }
    }
}

impl fmt::Display for SetQualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A complete condition operator: a [`BaseOperator`], optionally with the `IfExists`
/// suffix and a [`SetQualifier`].
///
/// ```
/// use orgstack::iam::{BaseOperator, Operator};
/// let op = Operator::new(BaseOperator::StringLike).if_exists().for_any_value();
/// assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
/// ```
///
/// Combinations IAM rejects (`NullIfExists`) can be built; the policy document reports
/// them from [`PolicyDocument::problems`](super::PolicyDocument::problems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operator {
    /// The base operator.
    pub base: BaseOperator,
    /// Whether the `IfExists` suffix is set: the condition holds when the key is absent.
    pub if_exists: bool,
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
}

impl Operator {
    /// The base operator alone.
    pub fn new(base: BaseOperator) -> Operator {
        Operator {
            base,
            if_exists: false,
            qualifier: None,
        }
    }

    /// Adds the `IfExists` suffix.
    #[must_use]
    pub fn if_exists(mut self) -> Operator {
        self.if_exists = true;
        self
    }

    /// Adds the `ForAnyValue:` qualifier (replacing any other).
    #[must_use]
    pub fn for_any_value(mut self) -> Operator {
        self.qualifier = Some(SetQualifier::ForAnyValue);
        self
    }

    /// Adds the `ForAllValues:` qualifier (replacing any other).
    #[must_use]
    pub fn for_all_values(mut self) -> Operator {
        self.qualifier = Some(SetQualifier::ForAllValues);
        self
    }

    /// The operator as written in a policy, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn name(&self) -> String {
        let mut name = String::new();
        if let Some(q) = self.qualifier {
            name.push_str(q.as_str());
            name.push(':');
        }
        name.push_str(self.base.as_str());
        if self.if_exists {
            name.push_str("IfExists");
        }
        name
    }

    /// Reads an operator as written in a policy, e.g. `ForAnyValue:StringLikeIfExists`;
    /// `None` for a name IAM does not know.
    ///
    /// ```
    /// use orgstack::iam::{BaseOperator, Operator};
    /// let op = Operator::parse("ForAllValues:StringEqualsIfExists").unwrap();
    /// assert_eq!(op.base, BaseOperator::StringEquals);
    /// assert_eq!(op.name(), "ForAllValues:StringEqualsIfExists");
    /// assert!(Operator::parse("StringMatches").is_none());
    /// ```
    pub fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = match name.split_once(':') {
            Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
            Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
            Some(_) => return None,
            None => (None, name),
        };
        let (base, if_exists) = match BaseOperator::from_name(rest) {
            Some(b) => (b, false),
            None => (
                BaseOperator::from_name(rest.strip_suffix("IfExists")?)?,
                true,
            ),
        };
        Some(Operator {
            base,
            if_exists,
            qualifier,
        })
    }

    /// What IAM would reject about this operator, if anything.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        (self.base == BaseOperator::Null && self.if_exists)
            .then_some("the `Null` operator cannot take the `IfExists` suffix")
    }
}

impl From<BaseOperator> for Operator {
    fn from(base: BaseOperator) -> Self {
        Operator::new(base)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_base_operator_name() {
        use BaseOperator::*;
        let expected = [
            (StringEquals, "StringEquals"),
            (StringNotEquals, "StringNotEquals"),
            (StringEqualsIgnoreCase, "StringEqualsIgnoreCase"),
            (StringNotEqualsIgnoreCase, "StringNotEqualsIgnoreCase"),
            (StringLike, "StringLike"),
            (StringNotLike, "StringNotLike"),
            (NumericEquals, "NumericEquals"),
            (NumericNotEquals, "NumericNotEquals"),
            (NumericLessThan, "NumericLessThan"),
            (NumericLessThanEquals, "NumericLessThanEquals"),
            (NumericGreaterThan, "NumericGreaterThan"),
            (NumericGreaterThanEquals, "NumericGreaterThanEquals"),
            (DateEquals, "DateEquals"),
            (DateNotEquals, "DateNotEquals"),
            (DateLessThan, "DateLessThan"),
            (DateLessThanEquals, "DateLessThanEquals"),
            (DateGreaterThan, "DateGreaterThan"),
            (DateGreaterThanEquals, "DateGreaterThanEquals"),
            (Bool, "Bool"),
            (BinaryEquals, "BinaryEquals"),
            (IpAddress, "IpAddress"),
            (NotIpAddress, "NotIpAddress"),
            (ArnEquals, "ArnEquals"),
            (ArnLike, "ArnLike"),
            (ArnNotEquals, "ArnNotEquals"),
            (ArnNotLike, "ArnNotLike"),
            (Null, "Null"),
        ];
        assert_eq!(expected.len(), BaseOperator::ALL.len());
        for ((op, name), listed) in expected.into_iter().zip(BaseOperator::ALL) {
            assert_eq!(op, listed);
            assert_eq!(op.as_str(), name);
            assert_eq!(Operator::new(op).name(), name);
            assert_eq!(Operator::from(op).to_string(), name);
        }
    }

    #[test]
    fn if_exists_and_qualifiers() {
        let like = Operator::new(BaseOperator::StringLike);
        assert_eq!(like.if_exists().name(), "StringLikeIfExists");
        assert_eq!(like.for_any_value().name(), "ForAnyValue:StringLike");
        assert_eq!(like.for_all_values().name(), "ForAllValues:StringLike");
        assert_eq!(
            like.if_exists().for_any_value().name(),
            "ForAnyValue:StringLikeIfExists"
        );
        assert_eq!(
            like.for_all_values().if_exists().name(),
            "ForAllValues:StringLikeIfExists"
        );
        // The last qualifier wins.
        assert_eq!(
            like.for_all_values().for_any_value().name(),
            "ForAnyValue:StringLike"
        );
        assert_eq!(
            Operator::new(BaseOperator::Bool).if_exists().name(),
            "BoolIfExists"
        );
    }

    #[test]
    fn null_if_exists_is_a_problem() {
        assert!(Operator::new(BaseOperator::Null)
            .if_exists()
            .problem()
            .is_some());
        assert!(Operator::new(BaseOperator::Null).problem().is_none());
        assert!(Operator::new(BaseOperator::Bool)
            .if_exists()
            .problem()
            .is_none());
    }
}
