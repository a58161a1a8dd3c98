//! A parsed template and its lookups: resources, outputs, parameters and the member
//! templates of its StackSets. The assertions made on it are in `assertions.rs`.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::error::TemplateError;
use super::matcher::Matcher;

/// The resource type of a StackSet, whose `TemplateBody` holds a member template.
const STACK_SET_TYPE: &str = "AWS::CloudFormation::StackSet";

/// One parsed CloudFormation template, to make assertions on in tests.
///
/// The panicking assertions ([`resource_count_is`](Template::resource_count_is),
/// [`has_resource_properties`](Template::has_resource_properties), …) work like
/// `assert_eq!`; each has a `try_` twin returning the [`AssertionError`](super::AssertionError)
/// instead.
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
    pub(super) name: String,
    json: Value,
    pub(super) resources: IndexMap<String, Value>,
    pub(super) outputs: IndexMap<String, Value>,
    pub(super) parameters: IndexMap<String, Value>,
    /// The names of its StackSets' member templates by logical ID, when the assembly gave
    /// them (templates read from an assembly).
    pub(super) member_names: IndexMap<String, String>,
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
            member_names: IndexMap::new(),
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
    /// parsed as a template, in document order. A template read from an assembly
    /// ([`from_stack`](Template::from_stack), [`for_construct`](Template::for_construct))
    /// names them as the assembly does (`Management.Roles.Template`, as
    /// [`from_stack`](Template::from_stack) takes them); one parsed from JSON names them
    /// `<this template's name>/<logical id>`.
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
        match self.member_names.get(logical_id) {
            Some(name) => Template::from_json(name, body),
            None => Template::from_json(&format!("{}/{logical_id}", self.name), body),
        }
    }

    pub(super) fn resources_of_type<'a>(
        &'a self,
        resource_type: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.resources
            .iter()
            .filter(move |(_, r)| r.get("Type").and_then(Value::as_str) == Some(resource_type))
    }
}

/// The entries of `map` named `name`, or all of them for `"*"`.
pub(super) fn select<'a>(
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
