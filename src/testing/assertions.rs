//! The assertions made on a [`Template`]: counting resources, and matching resources,
//! outputs and parameters, reporting the closest candidates when nothing matches.

use serde_json::Value;

use super::error::{AssertionError, Candidate};
use super::matcher::Matcher;
use super::template::{select, Template};

/// How many near misses a failed assertion shows.
const MAX_CANDIDATES: usize = 3;

/// Which section of a template is searched, and how its items are named in messages.
#[derive(Clone, Copy)]
enum Section {
    Outputs,
    Parameters,
}

impl Template {
    /// Asserts that the template has exactly `n` resources of `resource_type`.
    ///
    /// # Panics
    ///
    /// When it does not, with the message of
    /// [`try_resource_count_is`](Template::try_resource_count_is).
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } }
    /// }"#).unwrap();
    /// t.resource_count_is("AWS::SNS::Topic", 1);
    /// t.resource_count_is("AWS::SQS::Queue", 0);
    /// ```
    #[track_caller]
    pub fn resource_count_is(&self, resource_type: &str, n: usize) {
        if let Err(e) = self.try_resource_count_is(resource_type, n) {
            panic!("{e}");
        }
    }

    /// Checks that the template has exactly `n` resources of `resource_type`.
    ///
    /// # Errors
    ///
    /// [`AssertionError::ResourceCount`], listing the logical ids found.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } }
    /// }"#).unwrap();
    /// let e = t.try_resource_count_is("AWS::SNS::Topic", 2).unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "template `Org`: expected 2 resources of type AWS::SNS::Topic, found 1 (Topic)"
    /// );
    /// ```
    pub fn try_resource_count_is(
        &self,
        resource_type: &str,
        n: usize,
    ) -> Result<(), AssertionError> {
        let found: Vec<String> = self
            .resources_of_type(resource_type)
            .map(|(id, _)| id.clone())
            .collect();
        if found.len() == n {
            Ok(())
        } else {
            Err(AssertionError::ResourceCount {
                template: self.name.clone(),
                resource_type: resource_type.to_owned(),
                expected: n,
                found,
            })
        }
    }

    /// Asserts that some resource of `resource_type` has `Properties` matching `expected`
    /// (a plain JSON value is matched [object-like](Matcher::object_like)).
    ///
    /// # Panics
    ///
    /// When none does, with the message of
    /// [`try_has_resource_properties`](Template::try_has_resource_properties).
    ///
    /// ```
    /// use orgstack::testing::{Matcher, Template};
    /// use serde_json::json;
    ///
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Admin": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": "OrgAdmin", "Path": "/" } }
    ///   }
    /// }"#).unwrap();
    /// t.has_resource_properties("AWS::IAM::Role", json!({ "RoleName": "OrgAdmin" }));
    /// t.has_resource_properties(
    ///     "AWS::IAM::Role",
    ///     Matcher::object([("RoleName", Matcher::string_like("Org*"))]),
    /// );
    /// ```
    #[track_caller]
    pub fn has_resource_properties(&self, resource_type: &str, expected: impl Into<Matcher>) {
        if let Err(e) = self.try_has_resource_properties(resource_type, expected) {
            panic!("{e}");
        }
    }

    /// Checks that some resource of `resource_type` has `Properties` matching `expected`.
    ///
    /// # Errors
    ///
    /// [`AssertionError::NoMatch`], showing up to three resources of the type that come
    /// closest (those satisfying most expected values first) and where each differs, as
    /// paths from the resource, e.g. `/Properties/RoleName: missing`.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Admin": { "Type": "AWS::IAM::Role", "Properties": { "Path": "/" } }
    ///   }
    /// }"#).unwrap();
    /// let e = t
    ///     .try_has_resource_properties("AWS::IAM::Role", json!({ "RoleName": "OrgAdmin" }))
    ///     .unwrap_err();
    /// assert!(e.to_string().contains("\n    /Properties/RoleName: missing"), "{e}");
    /// ```
    pub fn try_has_resource_properties(
        &self,
        resource_type: &str,
        expected: impl Into<Matcher>,
    ) -> Result<(), AssertionError> {
        let expected = expected.into();
        let described = expected.to_string();
        let summary = format!("no {resource_type} resource has properties matching {described}");
        let wrapped = Matcher::object([("Properties", expected)]);
        self.try_match_resources(resource_type, &wrapped, described, summary)
    }

    /// Asserts that some resource of `resource_type` matches `expected` as a whole: `Type`,
    /// `Properties`, `DependsOn`, `DeletionPolicy`, `Metadata`, …
    ///
    /// # Panics
    ///
    /// When none does, with the message of
    /// [`try_has_resource`](Template::try_has_resource).
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Logs": { "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "DependsOn": ["Key"] }
    ///   }
    /// }"#).unwrap();
    /// t.has_resource("AWS::S3::Bucket", json!({ "DeletionPolicy": "Retain", "DependsOn": ["Key"] }));
    /// ```
    #[track_caller]
    pub fn has_resource(&self, resource_type: &str, expected: impl Into<Matcher>) {
        if let Err(e) = self.try_has_resource(resource_type, expected) {
            panic!("{e}");
        }
    }

    /// Checks that some resource of `resource_type` matches `expected` as a whole.
    ///
    /// # Errors
    ///
    /// [`AssertionError::NoMatch`], with the closest candidates as for
    /// [`try_has_resource_properties`](Template::try_has_resource_properties).
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": { "Logs": { "Type": "AWS::S3::Bucket" } }
    /// }"#).unwrap();
    /// let e = t.try_has_resource("AWS::S3::Bucket", json!({ "DeletionPolicy": "Retain" })).unwrap_err();
    /// assert!(e.to_string().contains("/DeletionPolicy: missing"), "{e}");
    /// ```
    pub fn try_has_resource(
        &self,
        resource_type: &str,
        expected: impl Into<Matcher>,
    ) -> Result<(), AssertionError> {
        let expected = expected.into();
        let described = expected.to_string();
        let summary = format!("no {resource_type} resource matches {described}");
        self.try_match_resources(resource_type, &expected, described, summary)
    }

    /// Asserts that the output named `name` (or, with `"*"`, some output) matches `expected`
    /// as a whole (`Value`, `Export`, `Description`, …).
    ///
    /// # Panics
    ///
    /// When it does not, with the message of [`try_has_output`](Template::try_has_output).
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{
    ///   "Outputs": { "RoleArn": { "Value": { "Fn::GetAtt": ["Role", "Arn"] } } }
    /// }"#).unwrap();
    /// t.has_output("RoleArn", json!({ "Value": { "Fn::GetAtt": ["Role", "Arn"] } }));
    /// t.has_output("*", json!({ "Value": { "Fn::GetAtt": ["Role", "Arn"] } }));
    /// ```
    #[track_caller]
    pub fn has_output(&self, name: &str, expected: impl Into<Matcher>) {
        if let Err(e) = self.try_has_output(name, expected) {
            panic!("{e}");
        }
    }

    /// Checks that the output named `name` (or, with `"*"`, some output) matches `expected`.
    ///
    /// # Errors
    ///
    /// [`AssertionError::NoMatch`], with where the output (or the closest outputs) differ.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{ "Outputs": { "A": { "Value": "a" } } }"#).unwrap();
    /// let e = t.try_has_output("B", json!({ "Value": "a" })).unwrap_err();
    /// assert!(e.to_string().contains("the template has no output `B` (outputs present: A)"), "{e}");
    /// ```
    pub fn try_has_output(
        &self,
        name: &str,
        expected: impl Into<Matcher>,
    ) -> Result<(), AssertionError> {
        self.try_match_section(Section::Outputs, name, &expected.into())
    }

    /// Asserts that the parameter named `name` (or, with `"*"`, some parameter) matches
    /// `expected` as a whole (`Type`, `Default`, `AllowedPattern`, …).
    ///
    /// # Panics
    ///
    /// When it does not, with the message of
    /// [`try_has_parameter`](Template::try_has_parameter).
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{
    ///   "Parameters": { "Env": { "Type": "String", "Default": "prod" } }
    /// }"#).unwrap();
    /// t.has_parameter("Env", json!({ "Type": "String", "Default": "prod" }));
    /// ```
    #[track_caller]
    pub fn has_parameter(&self, name: &str, expected: impl Into<Matcher>) {
        if let Err(e) = self.try_has_parameter(name, expected) {
            panic!("{e}");
        }
    }

    /// Checks that the parameter named `name` (or, with `"*"`, some parameter) matches
    /// `expected`.
    ///
    /// # Errors
    ///
    /// [`AssertionError::NoMatch`], with where the parameter (or the closest ones) differ.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{ "Parameters": { "Env": { "Type": "String" } } }"#).unwrap();
    /// let e = t.try_has_parameter("Env", json!({ "Type": "Number" })).unwrap_err();
    /// assert!(e.to_string().contains(r#"/Type: expected "Number", found "String""#), "{e}");
    /// ```
    pub fn try_has_parameter(
        &self,
        name: &str,
        expected: impl Into<Matcher>,
    ) -> Result<(), AssertionError> {
        self.try_match_section(Section::Parameters, name, &expected.into())
    }

    fn try_match_resources(
        &self,
        resource_type: &str,
        expected: &Matcher,
        described: String,
        summary: String,
    ) -> Result<(), AssertionError> {
        let items: Vec<_> = self.resources_of_type(resource_type).collect();
        let note = items.is_empty().then(|| {
            let mut types: Vec<&str> = self
                .resources
                .values()
                .filter_map(|r| r.get("Type").and_then(Value::as_str))
                .collect();
            types.sort_unstable();
            types.dedup();
            if types.is_empty() {
                "the template has no resources".to_owned()
            } else {
                format!(
                    "the template has no resources of that type (types present: {})",
                    types.join(", ")
                )
            }
        });
        self.best_match(items, expected, described, summary, note)
    }

    fn try_match_section(
        &self,
        section: Section,
        name: &str,
        expected: &Matcher,
    ) -> Result<(), AssertionError> {
        let (map, singular) = match section {
            Section::Outputs => (&self.outputs, "output"),
            Section::Parameters => (&self.parameters, "parameter"),
        };
        let items: Vec<_> = select(map, name).collect();
        let (subject, note) = if name == "*" {
            let note = items
                .is_empty()
                .then(|| format!("the template has no {singular}s"));
            (format!("no {singular} matches {expected}"), note)
        } else {
            let note = items.is_empty().then(|| {
                let names: Vec<&str> = map.keys().map(String::as_str).collect();
                if names.is_empty() {
                    format!("the template has no {singular}s")
                } else {
                    format!(
                        "the template has no {singular} `{name}` ({singular}s present: {})",
                        names.join(", ")
                    )
                }
            });
            (
                format!("{singular} `{name}` does not match {expected}"),
                note,
            )
        };
        self.best_match(items, expected, expected.to_string(), subject, note)
    }

    /// Passes when one of `items` matches; otherwise reports the closest ones.
    fn best_match(
        &self,
        items: Vec<(&String, &Value)>,
        expected: &Matcher,
        described: String,
        mut summary: String,
        note: Option<String>,
    ) -> Result<(), AssertionError> {
        if let Some(note) = note {
            summary = format!("{summary}; {note}");
        }
        let total = expected.leaves();
        let mut candidates = Vec::with_capacity(items.len());
        for (id, value) in &items {
            let outcome = expected.outcome(Some(value), "");
            if outcome.mismatches.is_empty() {
                return Ok(());
            }
            candidates.push(Candidate {
                logical_id: (*id).clone(),
                satisfied: outcome.satisfied,
                total,
                mismatches: outcome.mismatches,
            });
        }
        // Most expected values satisfied first; the sort is stable, so ties keep document order.
        candidates.sort_by_key(|c| std::cmp::Reverse(c.satisfied));
        candidates.truncate(MAX_CANDIDATES);
        Err(AssertionError::NoMatch {
            template: self.name.clone(),
            summary,
            expected: described,
            searched: items.len(),
            candidates,
        })
    }
}
