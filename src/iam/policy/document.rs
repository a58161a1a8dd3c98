//! Policy documents: a version and a list of statements.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::problem::PolicyProblem;
use super::statement::Statement;
use crate::cfn::{Map, Value};
use crate::Rule;

/// The policy language version every document is written in.
pub const POLICY_VERSION: &str = "2012-10-17";

/// An IAM policy document: `{"Version": "2012-10-17", "Statement": [...]}`.
///
/// ```
/// use orgstack::iam::{PolicyDocument, Principal, Statement};
/// let trust = PolicyDocument::new().statement(
///     Statement::allow()
///         .principal(Principal::service("cloudtrail.amazonaws.com"))
///         .action("sts:AssumeRole"),
/// );
/// assert!(trust.problems().is_empty());
/// let json = orgstack::cfn::render::minified(&trust.to_value()).unwrap();
/// assert_eq!(json.len(), trust.minified_len());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyDocument {
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// A document without statements.
    pub fn new() -> PolicyDocument {
        PolicyDocument::default()
    }

    /// Adds a statement.
    #[must_use]
    pub fn statement(mut self, statement: Statement) -> PolicyDocument {
        self.statements.push(statement);
        self
    }

    /// Adds statements.
    #[must_use]
    pub fn statements(mut self, statements: impl IntoIterator<Item = Statement>) -> PolicyDocument {
        self.statements.extend(statements);
        self
    }

    /// Adds a statement in place.
    pub fn push(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    /// The statements, in order (`get_` because [`statements`](Self::statements) adds).
    pub fn get_statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Whether the document has no statements.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The document as a template value; `Statement` is always a list.
    pub fn to_value(&self) -> Value {
        let mut m = Map::default();
        m.insert("Version".into(), Value::from(POLICY_VERSION));
        m.insert(
            "Statement".into(),
            Value::List(self.statements.iter().map(Statement::to_value).collect()),
        );
        Value::Map(m)
    }

    /// Calls `f` on every template value of the document's statements.
    pub(crate) fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        for s in &self.statements {
            s.for_each_value(f);
        }
    }

    /// Length of the minified document in characters, every intrinsic counted at its
    /// worst-case length. Organizations measures SCPs and IAM measures trust and inline
    /// policies this way.
    pub fn minified_len(&self) -> usize {
        self.to_value().minified_len()
    }

    /// As [`minified_len`](Self::minified_len), without whitespace: how IAM measures
    /// customer managed policies.
    pub fn minified_len_without_whitespace(&self) -> usize {
        self.to_value().minified_len_without_whitespace()
    }

    /// Everything IAM would reject in the document, in document order.
    pub fn problems(&self) -> Vec<PolicyProblem> {
        let mut out = Vec::new();
        if self.statements.is_empty() {
            out.push(PolicyProblem::new(
                Rule::PolicyDocument,
                "Statement",
                "the policy document has no statements",
                "add at least one statement",
            ));
        }
        let mut sids: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in self.statements.iter().enumerate() {
            s.problems_into(&s.label(Some(i)), &mut out);
            if let Some(sid) = s.get_sid() {
                if let Some(first) = sids.get(sid) {
                    out.push(PolicyProblem::new(
                        Rule::PolicyDocument,
                        sid,
                        format!("statements {first} and {i} share the Sid `{sid}`"),
                        "give every statement of a document a different Sid",
                    ));
                } else {
                    sids.insert(sid, i);
                }
            }
        }
        out
    }
}

impl FromIterator<Statement> for PolicyDocument {
    fn from_iter<I: IntoIterator<Item = Statement>>(iter: I) -> Self {
        PolicyDocument::new().statements(iter)
    }
}

impl From<Statement> for PolicyDocument {
    fn from(statement: Statement) -> Self {
        PolicyDocument::new().statement(statement)
    }
}

impl From<&PolicyDocument> for Value {
    fn from(doc: &PolicyDocument) -> Self {
        doc.to_value()
    }
}

impl From<PolicyDocument> for Value {
    fn from(doc: PolicyDocument) -> Self {
        doc.to_value()
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::render::minified;
    use crate::cfn::{Expr, NodeId};
    use crate::iam::policy::{keys, BaseOperator, Condition, Operator, Principal};

    fn read_only() -> Statement {
        Statement::allow()
            .sid("Read")
            .actions(["s3:GetObject", "s3:ListBucket"])
            .resources(["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"])
    }

    fn rules(doc: &PolicyDocument) -> Vec<(Rule, String)> {
        doc.problems()
            .into_iter()
            .map(|p| (p.rule, p.value))
            .collect()
    }

    #[test]
    fn renders_version_and_a_statement_list() {
        let doc = PolicyDocument::new().statement(Statement::deny().action("*").resource("*"));
        assert_eq!(
            minified(&doc.to_value()).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#
        );
        assert_eq!(
            minified(&PolicyDocument::new().to_value()).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        // Serialize goes through the same value.
        assert_eq!(
            minified(&doc).unwrap(),
            minified(&Value::from(&doc)).unwrap()
        );
    }

    #[test]
    fn statements_keep_order() {
        let doc: PolicyDocument = [
            Statement::allow()
                .sid("A")
                .action("s3:GetObject")
                .resource("*"),
            Statement::deny()
                .sid("B")
                .action("s3:PutObject")
                .resource("*"),
        ]
        .into_iter()
        .collect();
        let sids: Vec<_> = doc
            .get_statements()
            .iter()
            .filter_map(Statement::get_sid)
            .collect();
        assert_eq!(sids, ["A", "B"]);
        assert!(!doc.is_empty());
        assert!(PolicyDocument::new().is_empty());
        let mut pushed = PolicyDocument::new().statements([Statement::allow()
            .sid("A")
            .action("s3:GetObject")
            .resource("*")]);
        pushed.push(
            Statement::deny()
                .sid("B")
                .action("s3:PutObject")
                .resource("*"),
        );
        assert_eq!(pushed, doc);
    }

    #[test]
    fn minified_len_is_the_rendered_length() {
        let doc = PolicyDocument::new().statement(read_only()).statement(
            Statement::deny()
                .principal(Principal::any())
                .action("s3:*")
                .resource("*")
                .condition(Condition::bool(keys::SECURE_TRANSPORT, false))
                .condition(Condition::numeric_less_than(
                    keys::MULTI_FACTOR_AUTH_AGE,
                    3600,
                )),
        );
        let json = minified(&doc.to_value()).unwrap();
        assert_eq!(doc.minified_len(), json.len());
        assert_eq!(doc.minified_len_without_whitespace(), json.len());
    }

    #[test]
    fn minified_len_counts_intrinsics_at_their_worst_case() {
        let literal = PolicyDocument::new().statement(
            Statement::allow()
                .action("s3:GetObject")
                .resource("123456789012"),
        );
        let reference = PolicyDocument::new().statement(
            Statement::allow()
                .action("s3:GetObject")
                .resource(Expr::node_ref(NodeId { app: 0, index: 7 }, 12)),
        );
        // A reference of at most 12 characters counts as a 14-character JSON string.
        assert_eq!(reference.minified_len(), literal.minified_len());
        assert_eq!(
            literal.minified_len(),
            minified(&literal.to_value()).unwrap().len()
        );
    }

    #[test]
    fn minified_len_without_whitespace_skips_spaces_in_strings() {
        let doc = PolicyDocument::new().statement(
            Statement::allow()
                .action("s3:GetObject")
                .resource("arn:aws:s3:::my bucket/a b/*"),
        );
        let json = minified(&doc.to_value()).unwrap();
        assert_eq!(doc.minified_len(), json.len());
        assert_eq!(doc.minified_len_without_whitespace(), json.len() - 2);
    }

    #[test]
    fn a_clean_document_has_no_problems() {
        let doc = PolicyDocument::new().statement(read_only()).statement(
            Statement::deny()
                .sid("Tls")
                .action("s3:*")
                .resource("*")
                .condition(Condition::bool(keys::SECURE_TRANSPORT, false)),
        );
        assert!(doc.problems().is_empty(), "{:?}", doc.problems());
    }

    #[test]
    fn no_statements() {
        let problems = PolicyDocument::new().problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].rule, Rule::PolicyDocument);
        assert_eq!(problems[0].message, "the policy document has no statements");
    }

    #[test]
    fn invalid_action() {
        let doc = PolicyDocument::from(Statement::allow().action("s3:Get Object").resource("*"));
        let problems = doc.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].rule, Rule::Action);
        assert_eq!(problems[0].value, "s3:Get Object");
        assert_eq!(
            problems[0].hint,
            "write actions as `service:Action`, e.g. `s3:GetObject`"
        );
    }

    #[test]
    fn neither_action_nor_not_action() {
        let doc = PolicyDocument::from(Statement::allow().resource("*"));
        assert_eq!(
            rules(&doc),
            [(Rule::PolicyDocument, "Statement[0]".to_owned())]
        );
        assert!(doc.problems()[0]
            .message
            .contains("neither `Action` nor `NotAction`"));
    }

    #[test]
    fn both_halves_of_a_pair() {
        let doc = PolicyDocument::new().statement(read_only()).statement(
            Statement::deny()
                .sid("Both")
                .action("s3:*")
                .not_action("iam:*")
                .resource("*")
                .not_resource("arn:aws:s3:::x")
                .principal(Principal::aws("arn:aws:iam::111111111111:root"))
                .not_principal(Principal::aws("arn:aws:iam::222222222222:root")),
        );
        let problems = doc.problems();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the statement has both `Action` and `NotAction`",
                "the statement has both `Resource` and `NotResource`",
                "the statement has both `Principal` and `NotPrincipal`",
            ]
        );
        assert!(problems
            .iter()
            .all(|p| p.rule == Rule::PolicyDocument && p.value == "Statement[1] (Sid Both)"));
    }

    #[test]
    fn missing_resource_is_fine() {
        let doc = PolicyDocument::from(
            Statement::allow()
                .principal(Principal::service("ec2.amazonaws.com"))
                .action("sts:AssumeRole"),
        );
        assert!(doc.problems().is_empty());
        let doc = PolicyDocument::from(Statement::allow().action("s3:GetObject"));
        assert!(doc.problems().is_empty());
    }

    #[test]
    fn condition_without_values() {
        let doc = PolicyDocument::from(read_only().condition(Condition::string_equals(
            keys::PRINCIPAL_ORG_ID,
            Vec::<Value>::new(),
        )));
        assert_eq!(
            rules(&doc),
            [(
                Rule::Condition,
                "StringEquals aws:PrincipalOrgID".to_owned()
            )]
        );
    }

    #[test]
    fn null_if_exists() {
        let doc = PolicyDocument::from(read_only().condition(Condition::new(
            Operator::new(BaseOperator::Null).if_exists(),
            keys::PRINCIPAL_ORG_ID,
            ["true"],
        )));
        assert_eq!(rules(&doc), [(Rule::Condition, "NullIfExists".to_owned())]);
    }

    #[test]
    fn duplicate_sid() {
        let doc = PolicyDocument::new()
            .statement(read_only())
            .statement(Statement::deny().sid("Other").action("s3:*").resource("*"))
            .statement(read_only());
        let problems = doc.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].rule, Rule::PolicyDocument);
        assert_eq!(problems[0].value, "Read");
        assert_eq!(
            problems[0].message,
            "statements 0 and 2 share the Sid `Read`"
        );
    }

    #[test]
    fn sid_pattern() {
        let doc = PolicyDocument::new()
            .statement(
                Statement::allow()
                    .sid("Read-Only")
                    .action("s3:GetObject")
                    .resource("*"),
            )
            .statement(
                Statement::allow()
                    .sid("")
                    .action("s3:GetObject")
                    .resource("*"),
            )
            .statement(
                Statement::allow()
                    .sid("Ok1")
                    .action("s3:GetObject")
                    .resource("*"),
            );
        assert_eq!(
            rules(&doc),
            [(Rule::PolicyDocument, "Read-Only".to_owned())]
        );
    }

    #[test]
    fn star_with_other_principals() {
        let doc = PolicyDocument::from(
            Statement::allow()
                .principal(Principal::any())
                .principal(Principal::service("ec2.amazonaws.com"))
                .action("sts:AssumeRole"),
        );
        assert_eq!(
            rules(&doc),
            [(Rule::PolicyDocument, "Statement[0]".to_owned())]
        );
    }

    #[test]
    fn account_principal_that_is_not_an_id() {
        let doc = PolicyDocument::from(
            Statement::allow()
                .principal(Principal::account("1234"))
                .action("sts:AssumeRole"),
        );
        assert_eq!(rules(&doc), [(Rule::AccountId, "1234".to_owned())]);
    }

    #[test]
    fn problems_become_diagnostics() {
        let p = &PolicyDocument::new().problems()[0];
        let d = p.to_diagnostic("Org/Guardrails");
        assert_eq!(d.path, "Org/Guardrails");
        assert_eq!(d.rule, Rule::PolicyDocument);
        assert_eq!(
            p.to_string(),
            "[policy-document] the policy document has no statements (value: `Statement`); hint: add at least one statement"
        );
    }
}
