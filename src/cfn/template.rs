//! Templates, resources, parameters and outputs.

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::expr::{Map, Value};

/// What CloudFormation does with a resource when it leaves the template or is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeletionPolicy {
    /// Delete the physical resource (CloudFormation's default for most types).
    Delete,
    /// Keep the physical resource.
    Retain,
    /// Keep it unless the stack is being deleted while the resource is replaced.
    RetainExceptOnDelete,
    /// Take a snapshot before deleting (only some types).
    Snapshot,
}

impl DeletionPolicy {
    /// The value as written in a template.
    pub fn as_str(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "Delete",
            DeletionPolicy::Retain => "Retain",
            DeletionPolicy::RetainExceptOnDelete => "RetainExceptOnDelete",
            DeletionPolicy::Snapshot => "Snapshot",
        }
    }
}

/// One resource of a template.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The resource type, e.g. `AWS::IAM::Role`.
    pub resource_type: super::Key,
    /// The resource's properties, in the order they are rendered.
    pub properties: Map,
    /// Logical IDs this resource waits for.
    pub depends_on: Vec<String>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<DeletionPolicy>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<DeletionPolicy>,
    /// The name of a template condition that decides whether the resource is created.
    pub condition: Option<String>,
    /// `Metadata` (lint suppressions, notes).
    pub metadata: Map,
}

impl Resource {
    /// A resource of the given type with no properties.
    pub fn new(resource_type: impl Into<super::Key>) -> Self {
        Resource {
            resource_type: resource_type.into(),
            properties: Map::with_capacity_and_hasher(6, Default::default()),
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            condition: None,
            metadata: Map::default(),
        }
    }

    /// Sets a property, keeping the order in which properties were first set.
    #[must_use]
    pub fn property(mut self, name: impl Into<super::Key>, value: impl Into<Value>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// Sets both `DeletionPolicy` and `UpdateReplacePolicy`.
    #[must_use]
    pub fn retain(mut self) -> Self {
        self.deletion_policy = Some(DeletionPolicy::Retain);
        self.update_replace_policy = Some(DeletionPolicy::Retain);
        self
    }

    /// Sets a metadata entry.
    #[must_use]
    pub fn metadata(mut self, key: impl Into<super::Key>, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Type", &self.resource_type)?;
        if let Some(c) = &self.condition {
            m.serialize_entry("Condition", c)?;
        }
        match self.depends_on.as_slice() {
            [] => {}
            [one] => m.serialize_entry("DependsOn", one)?,
            many => m.serialize_entry("DependsOn", many)?,
        }
        if !self.properties.is_empty() {
            m.serialize_entry("Properties", &MapRef(&self.properties))?;
        }
        if let Some(p) = self.deletion_policy {
            m.serialize_entry("DeletionPolicy", p.as_str())?;
        }
        if let Some(p) = self.update_replace_policy {
            m.serialize_entry("UpdateReplacePolicy", p.as_str())?;
        }
        if !self.metadata.is_empty() {
            m.serialize_entry("Metadata", &MapRef(&self.metadata))?;
        }
        m.end()
    }
}

/// The type of a template parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterType {
    /// `String`.
    String,
    /// `Number`.
    Number,
    /// `CommaDelimitedList`.
    CommaDelimitedList,
    /// Any other type name, e.g. `AWS::EC2::VPC::Id`.
    Other(String),
}

impl ParameterType {
    /// The type name as written in a template.
    pub fn as_str(&self) -> &str {
        match self {
            ParameterType::String => "String",
            ParameterType::Number => "Number",
            ParameterType::CommaDelimitedList => "CommaDelimitedList",
            ParameterType::Other(s) => s,
        }
    }
}

/// A template parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The parameter's type.
    pub parameter_type: ParameterType,
    /// `Description`.
    pub description: Option<String>,
    /// `Default`.
    pub default: Option<String>,
    /// `AllowedPattern`.
    pub allowed_pattern: Option<String>,
    /// `AllowedValues`.
    pub allowed_values: Vec<String>,
    /// `ConstraintDescription`.
    pub constraint_description: Option<String>,
    /// `NoEcho`.
    pub no_echo: bool,
}

impl Parameter {
    /// A `String` parameter.
    pub fn string() -> Self {
        Parameter {
            parameter_type: ParameterType::String,
            description: None,
            default: None,
            allowed_pattern: None,
            allowed_values: Vec::new(),
            constraint_description: None,
            no_echo: false,
        }
    }

    /// Sets `Description`.
    #[must_use]
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets `Default`.
    #[must_use]
    pub fn default_value(mut self, d: impl Into<String>) -> Self {
        self.default = Some(d.into());
        self
    }

    /// Sets `AllowedPattern`.
    #[must_use]
    pub fn allowed_pattern(mut self, p: impl Into<String>) -> Self {
        self.allowed_pattern = Some(p.into());
        self
    }

    /// Sets `ConstraintDescription`.
    #[must_use]
    pub fn constraint_description(mut self, d: impl Into<String>) -> Self {
        self.constraint_description = Some(d.into());
        self
    }

    /// Sets `NoEcho`.
    #[must_use]
    pub fn no_echo(mut self) -> Self {
        self.no_echo = true;
        self
    }
}

impl Serialize for Parameter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Type", self.parameter_type.as_str())?;
        if let Some(d) = &self.description {
            m.serialize_entry("Description", d)?;
        }
        if let Some(d) = &self.default {
            m.serialize_entry("Default", d)?;
        }
        if let Some(p) = &self.allowed_pattern {
            m.serialize_entry("AllowedPattern", p)?;
        }
        if !self.allowed_values.is_empty() {
            m.serialize_entry("AllowedValues", &self.allowed_values)?;
        }
        if let Some(c) = &self.constraint_description {
            m.serialize_entry("ConstraintDescription", c)?;
        }
        if self.no_echo {
            m.serialize_entry("NoEcho", &true)?;
        }
        m.end()
    }
}

/// A template output, optionally exported for `Fn::ImportValue`.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `Description`.
    pub description: Option<String>,
    /// `Value`.
    pub value: Value,
    /// `Export.Name`.
    pub export_name: Option<Value>,
}

impl Output {
    /// An output of `value`.
    pub fn new(value: impl Into<Value>) -> Self {
        Output {
            description: None,
            value: value.into(),
            export_name: None,
        }
    }

    /// Sets `Description`.
    #[must_use]
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Exports the output under `name`.
    #[must_use]
    pub fn export(mut self, name: impl Into<Value>) -> Self {
        self.export_name = Some(name.into());
        self
    }
}

impl Serialize for Output {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(d) = &self.description {
            m.serialize_entry("Description", d)?;
        }
        m.serialize_entry("Value", &self.value)?;
        if let Some(name) = &self.export_name {
            let mut export = Map::default();
            export.insert("Name".into(), name.clone());
            m.serialize_entry("Export", &MapRef(&export))?;
        }
        m.end()
    }
}

/// A CloudFormation template. Sections render in a fixed order and every map keeps
/// insertion order, so the same template always renders to the same bytes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    /// `Description`.
    pub description: Option<String>,
    /// `Metadata`.
    pub metadata: Map,
    /// `Parameters`, by name.
    pub parameters: IndexMap<String, Parameter>,
    /// `Conditions`, by name.
    pub conditions: Map,
    /// `Resources`, by logical ID.
    pub resources: IndexMap<String, Resource>,
    /// `Outputs`, by name.
    pub outputs: IndexMap<String, Output>,
}

impl Template {
    /// An empty template.
    pub fn new() -> Self {
        Template::default()
    }

    /// Renders the template as 2-space indented JSON with a trailing newline.
    ///
    /// # Errors
    /// [`Error::Render`](crate::Error::Render) if a reference to a construct was left
    /// unresolved (only possible for a template built by hand with
    /// [`Target::Node`](super::Target::Node)).
    pub fn render(&self) -> crate::Result<String> {
        super::render::pretty(self)
    }

    /// Renders the template as minified JSON, as used for a StackSet's `TemplateBody`.
    ///
    /// # Errors
    /// As [`render`](Self::render).
    pub fn render_minified(&self) -> crate::Result<String> {
        super::render::minified(self)
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("AWSTemplateFormatVersion", "2010-09-09")?;
        if let Some(d) = &self.description {
            m.serialize_entry("Description", d)?;
        }
        if !self.metadata.is_empty() {
            m.serialize_entry("Metadata", &MapRef(&self.metadata))?;
        }
        if !self.parameters.is_empty() {
            m.serialize_entry("Parameters", &Ordered(&self.parameters))?;
        }
        if !self.conditions.is_empty() {
            m.serialize_entry("Conditions", &MapRef(&self.conditions))?;
        }
        m.serialize_entry("Resources", &Ordered(&self.resources))?;
        if !self.outputs.is_empty() {
            m.serialize_entry("Outputs", &Ordered(&self.outputs))?;
        }
        m.end()
    }
}

/// Serializes an `IndexMap` in insertion order whatever serde features are unified.
struct Ordered<'a, K, V, H>(&'a IndexMap<K, V, H>);
impl<K: Serialize, V: Serialize, H> Serialize for Ordered<'_, K, V, H> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

struct MapRef<'a>(&'a Map);
impl Serialize for MapRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Ordered(self.0).serialize(s)
    }
}

/// The `Tags` property most resource types take: `[{"Key": …, "Value": …}]`, in order.
///
/// ```
/// use orgstack::cfn::{render, tags};
/// let t = tags(&[("team".into(), "platform".into())]);
/// assert_eq!(render::minified(&t).unwrap(), r#"[{"Key":"team","Value":"platform"}]"#);
/// ```
pub fn tags(tags: &[(String, String)]) -> Value {
    Value::List(
        tags.iter()
            .map(|(k, v)| crate::obj! { "Key" => k.as_str(), "Value" => v.as_str() })
            .collect(),
    )
}
