//! A parsed template and the assertions made on it.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::error::{AssertionError, Candidate, TemplateError};
use super::matcher::Matcher;

/// The resource type of a StackSet, whose `TemplateBody` holds a member template.
const STACK_SET_TYPE: &str = "AWS::CloudFormation::StackSet";

/// How many near misses a failed assertion shows.
const MAX_CANDIDATES: usize = 3;

/// One parsed CloudFormation template, to make assertions on in tests.
///
/// The panicking assertions ([`resource_count_is`](Template::resource_count_is),
/// [`has_resource_properties`](Template::has_resource_properties), …) work like
/// `assert_eq!`; each has a `try_` twin returning the [`AssertionError`] instead.
///
/// ```
/// use orgstack::testing::Template;
/// use serde_json::json;
///
/// let t = Template::from_json("Org", r#"{
///   "Resources": {
///     "Bucket": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "logs" } }
///   }
/// }"#).unwrap();
/// t.resource_count_is("AWS::S3::Bucket", 1);
/// t.has_resource_properties("AWS::S3::Bucket", json!({ "BucketName": "logs" }));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    name: String,
    json: Value,
    resources: IndexMap<String, Value>,
    outputs: IndexMap<String, Value>,
    parameters: IndexMap<String, Value>,
}

/// The sections kept in document order; `serde_json::Value` may sort its keys.
#[derive(Deserialize)]
struct Sections {
    #[serde(rename = "Resources", default)]
    resources: IndexMap<String, Value>,
    #[serde(rename = "Outputs", default)]
    outputs: IndexMap<String, Value>,
    #[serde(rename = "Parameters", default)]
    parameters: IndexMap<String, Value>,
}

/// Which section of a template is searched, and how its items are named in messages.
#[derive(Clone, Copy)]
enum Section {
    Outputs,
    Parameters,
}

impl Template {
    /// Parses a rendered template; `name` identifies it in failure messages.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Parse`] when `json` is not JSON, [`TemplateError::NotAnObject`] when
    /// it is not an object, and [`TemplateError::InvalidSection`] when `Resources`, `Outputs`
    /// or `Parameters` is not an object.
    ///
    /// ```
    /// use orgstack::testing::{Template, TemplateError};
    ///
    /// let t = Template::from_json("Org", r#"{ "Resources": {} }"#).unwrap();
    /// assert_eq!(t.name(), "Org");
    /// assert!(matches!(Template::from_json("Org", "[]"), Err(TemplateError::NotAnObject { .. })));
    /// ```
    pub fn from_json(name: &str, json: &str) -> Result<Template, TemplateError> {
        let parse_error = |source| TemplateError::Parse {
            name: name.to_owned(),
            source,
        };
        let value: Value = serde_json::from_str(json).map_err(parse_error)?;
        let Some(top) = value.as_object() else {
            return Err(TemplateError::NotAnObject {
                name: name.to_owned(),
            });
        };
        for section in ["Resources", "Outputs", "Parameters"] {
            if top.get(section).is_some_and(|s| !s.is_object()) {
                return Err(TemplateError::InvalidSection {
                    name: name.to_owned(),
                    section: section.to_owned(),
                });
            }
        }
        let sections: Sections = serde_json::from_str(json).map_err(parse_error)?;
        Ok(Template {
            name: name.to_owned(),
            json: value,
            resources: sections.resources,
            outputs: sections.outputs,
            parameters: sections.parameters,
        })
    }

    /// Reads and parses a template file. Its name is the file name without `.template.json`
    /// or `.json` (`Org.template.json` is `Org`).
    ///
    /// # Errors
    ///
    /// [`TemplateError::Io`] when the file cannot be read, otherwise as
    /// [`Template::from_json`].
    ///
    /// ```
    /// use orgstack::testing::{Template, TemplateError};
    ///
    /// let dir = std::env::temp_dir().join(format!("orgstack-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("Org.template.json");
    /// std::fs::write(&path, r#"{ "Resources": {} }"#).unwrap();
    /// assert_eq!(Template::from_file(&path).unwrap().name(), "Org");
    /// std::fs::remove_dir_all(&dir).unwrap();
    ///
    /// assert!(matches!(Template::from_file(dir.join("none.json")), Err(TemplateError::Io { .. })));
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Template, TemplateError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| TemplateError::Io {
            path: path.to_owned(),
            source,
        })?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = file_name
            .strip_suffix(".template.json")
            .or_else(|| file_name.strip_suffix(".json"))
            .unwrap_or(&file_name);
        Template::from_json(name, &text)
    }

    /// The template's name, as given to [`Template::from_json`].
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Security", "{}").unwrap();
    /// assert_eq!(t.name(), "Security");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole parsed template. Its objects' key order is `serde_json`'s, which need not
    /// be the document's; the `find_*` methods keep document order.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{ "Description": "root" }"#).unwrap();
    /// assert_eq!(t.json()["Description"], "root");
    /// ```
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The resource with this logical id (`Type`, `Properties`, …).
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } }
    /// }"#).unwrap();
    /// assert_eq!(t.resource("Topic").unwrap()["Type"], "AWS::SNS::Topic");
    /// assert!(t.resource("Queue").is_none());
    /// ```
    pub fn resource(&self, logical_id: &str) -> Option<&Value> {
        self.resources.get(logical_id)
    }

    /// The `Properties` of the resource with this logical id, when it has any.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "alerts" } }
    ///   }
    /// }"#).unwrap();
    /// assert_eq!(t.resource_properties("Topic").unwrap()["DisplayName"], "alerts");
    /// ```
    pub fn resource_properties(&self, logical_id: &str) -> Option<&Value> {
        self.resource(logical_id)?.get("Properties")
    }

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

    /// The resources of `resource_type` that match `expected` as a whole (as in
    /// [`has_resource`](Template::has_resource)), by logical id in document order.
    /// [`Matcher::any()`] returns every resource of the type.
    ///
    /// ```
    /// use orgstack::testing::{Matcher, Template};
    /// use serde_json::json;
    ///
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "B": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "b" } },
    ///     "A": { "Type": "AWS::SNS::Topic", "Properties": { "DisplayName": "a" } }
    ///   }
    /// }"#).unwrap();
    /// let all = t.find_resources("AWS::SNS::Topic", Matcher::any());
    /// assert_eq!(all.keys().collect::<Vec<_>>(), ["B", "A"]);
    /// let a = t.find_resources("AWS::SNS::Topic", json!({ "Properties": { "DisplayName": "a" } }));
    /// assert_eq!(a.keys().collect::<Vec<_>>(), ["A"]);
    /// ```
    pub fn find_resources(
        &self,
        resource_type: &str,
        expected: impl Into<Matcher>,
    ) -> IndexMap<String, Value> {
        let expected = expected.into();
        self.resources_of_type(resource_type)
            .filter(|(_, r)| expected.matches(r))
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect()
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

    /// The outputs named `name` (or, with `"*"`, all outputs) that match `expected`, by name
    /// in document order.
    ///
    /// ```
    /// # use orgstack::testing::{Matcher, Template};
    /// let t = Template::from_json("Org", r#"{
    ///   "Outputs": { "A": { "Value": "a" }, "B": { "Value": "b", "Export": { "Name": "b" } } }
    /// }"#).unwrap();
    /// let exported = t.find_outputs("*", Matcher::object([("Export", Matcher::any_value())]));
    /// assert_eq!(exported.keys().collect::<Vec<_>>(), ["B"]);
    /// ```
    pub fn find_outputs(
        &self,
        name: &str,
        expected: impl Into<Matcher>,
    ) -> IndexMap<String, Value> {
        find_in(&self.outputs, name, &expected.into())
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

    /// The parameters named `name` (or, with `"*"`, all parameters) that match `expected`,
    /// by name in document order.
    ///
    /// ```
    /// # use orgstack::testing::{Matcher, Template};
    /// let t = Template::from_json("Org", r#"{
    ///   "Parameters": { "Env": { "Type": "String" }, "Count": { "Type": "Number" } }
    /// }"#).unwrap();
    /// assert_eq!(t.find_parameters("*", Matcher::any()).len(), 2);
    /// ```
    pub fn find_parameters(
        &self,
        name: &str,
        expected: impl Into<Matcher>,
    ) -> IndexMap<String, Value> {
        find_in(&self.parameters, name, &expected.into())
    }

    /// The member templates of the template's StackSets: for every
    /// `AWS::CloudFormation::StackSet` resource whose `TemplateBody` is a string, that body
    /// parsed as a template named `<this template's name>/<logical id>`, in document order.
    /// Bodies that are not strings, or do not parse, are left out; use
    /// [`try_stack_set_templates`](Template::try_stack_set_templates) to see those errors.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// # use serde_json::json;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Baseline": {
    ///       "Type": "AWS::CloudFormation::StackSet",
    ///       "Properties": {
    ///         "TemplateBody": "{\"Resources\":{\"Topic\":{\"Type\":\"AWS::SNS::Topic\"}}}"
    ///       }
    ///     }
    ///   }
    /// }"#).unwrap();
    /// let members = t.stack_set_templates();
    /// assert_eq!(members[0].name(), "Org/Baseline");
    /// members[0].resource_count_is("AWS::SNS::Topic", 1);
    /// ```
    pub fn stack_set_templates(&self) -> Vec<Template> {
        self.stack_set_bodies()
            .filter_map(|(id, body)| self.parse_member(id, body).ok())
            .collect()
    }

    /// Like [`stack_set_templates`](Template::stack_set_templates), but fails on a string
    /// body that does not parse.
    ///
    /// # Errors
    ///
    /// The [`TemplateError`] of the first body that does not parse.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Broken": { "Type": "AWS::CloudFormation::StackSet", "Properties": { "TemplateBody": "{" } }
    ///   }
    /// }"#).unwrap();
    /// assert!(t.stack_set_templates().is_empty());
    /// let e = t.try_stack_set_templates().unwrap_err();
    /// assert_eq!(e.to_string(), "template `Org/Broken` is not valid JSON");
    /// ```
    pub fn try_stack_set_templates(&self) -> Result<Vec<Template>, TemplateError> {
        self.stack_set_bodies()
            .map(|(id, body)| self.parse_member(id, body))
            .collect()
    }

    /// The member template of the StackSet with this logical id, as in
    /// [`stack_set_templates`](Template::stack_set_templates); `None` when there is no such
    /// StackSet or its body is not a string holding a template.
    ///
    /// ```
    /// # use orgstack::testing::Template;
    /// let t = Template::from_json("Org", r#"{
    ///   "Resources": {
    ///     "Baseline": {
    ///       "Type": "AWS::CloudFormation::StackSet",
    ///       "Properties": { "TemplateBody": "{\"Resources\":{}}" }
    ///     }
    ///   }
    /// }"#).unwrap();
    /// assert_eq!(t.stack_set_template("Baseline").unwrap().name(), "Org/Baseline");
    /// assert!(t.stack_set_template("Other").is_none());
    /// ```
    pub fn stack_set_template(&self, logical_id: &str) -> Option<Template> {
        self.stack_set_bodies()
            .find(|(id, _)| id.as_str() == logical_id)
            .and_then(|(id, body)| self.parse_member(id, body).ok())
    }

    fn stack_set_bodies(&self) -> impl Iterator<Item = (&String, &str)> {
        self.resources_of_type(STACK_SET_TYPE)
            .filter_map(|(id, r)| {
                let body = r.get("Properties")?.get("TemplateBody")?.as_str()?;
                Some((id, body))
            })
    }

    fn parse_member(&self, logical_id: &str, body: &str) -> Result<Template, TemplateError> {
        Template::from_json(&format!("{}/{logical_id}", self.name), body)
    }

    fn resources_of_type<'a>(
        &'a self,
        resource_type: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.resources
            .iter()
            .filter(move |(_, r)| r.get("Type").and_then(Value::as_str) == Some(resource_type))
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

/// The entries of `map` named `name`, or all of them for `"*"`.
fn select<'a>(
    map: &'a IndexMap<String, Value>,
    name: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    map.iter()
        .filter(move |(k, _)| name == "*" || k.as_str() == name)
}

fn find_in(
    map: &IndexMap<String, Value>,
    name: &str,
    expected: &Matcher,
) -> IndexMap<String, Value> {
    select(map, name)
        .filter(|(_, v)| expected.matches(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
