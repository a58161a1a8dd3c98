//! Templates, resources, parameters and outputs.

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::expr::{Map, NodeId, Value};
use super::resolve::{Literal, Resolve, With};

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
            properties: Map::default(),
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
        With(&ResourceView::new("", self), &Literal).serialize(s)
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
        With(self, &Literal).serialize(s)
    }
}

impl<R: Resolve> Serialize for With<'_, Output, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (o, r) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        if let Some(d) = &o.description {
            m.serialize_entry("Description", d)?;
        }
        m.serialize_entry("Value", &With(&o.value, r))?;
        if let Some(name) = &o.export_name {
            m.serialize_entry("Export", &Export(With(name, r)))?;
        }
        m.end()
    }
}

/// `{"Name": …}`.
struct Export<T>(T);

impl<T: Serialize> Serialize for Export<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("Name", &self.0)?;
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

    /// The template's parts, to render with a [`Resolve`]r.
    pub fn view(&self) -> TemplateView<'_> {
        TemplateView {
            description: self.description.as_deref(),
            metadata: Some(&self.metadata).filter(|m| !m.is_empty()),
            parameters: self
                .parameters
                .iter()
                .map(|(k, v)| (k.as_str(), v))
                .collect(),
            conditions: Some(&self.conditions).filter(|m| !m.is_empty()),
            resources: self
                .resources
                .iter()
                .map(|(k, v)| ResourceView::new(k, v))
                .collect(),
            outputs: self.outputs.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        }
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
        With(&self.view(), &Literal).serialize(s)
    }
}

/// The parts of one template, borrowed: the one shape every template is written in, by
/// [`Template`] and by synthesis alike. Render it with [`With`] and a [`Resolve`]r.
#[derive(Debug, Default)]
pub struct TemplateView<'a> {
    /// `Description`.
    pub description: Option<&'a str>,
    /// `Metadata`.
    pub metadata: Option<&'a Map>,
    /// `Parameters`, in order.
    pub parameters: Vec<(&'a str, &'a Parameter)>,
    /// `Conditions`.
    pub conditions: Option<&'a Map>,
    /// `Resources`, in order.
    pub resources: Vec<ResourceView<'a>>,
    /// `Outputs`, in order.
    pub outputs: Vec<(&'a str, &'a Output)>,
}

/// One resource of a [`TemplateView`].
#[derive(Debug)]
pub struct ResourceView<'a> {
    /// The logical ID.
    pub logical_id: &'a str,
    /// The resource.
    pub resource: &'a Resource,
    /// Constructs it waits for, after the logical IDs of `resource.depends_on`; the
    /// resolver names them.
    pub waits_for: &'a [NodeId],
    /// Properties written after the resource's own, unless it sets them itself (what
    /// synthesis adds, such as a StackSet's `TemplateBody`).
    pub extra: &'a [(&'static str, Value)],
}

impl<'a> ResourceView<'a> {
    /// A resource as it is, under `logical_id`.
    pub fn new(logical_id: &'a str, resource: &'a Resource) -> Self {
        ResourceView {
            logical_id,
            resource,
            waits_for: &[],
            extra: &[],
        }
    }
}

impl<R: Resolve> Serialize for With<'_, TemplateView<'_>, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (t, r) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("AWSTemplateFormatVersion", "2010-09-09")?;
        if let Some(d) = t.description {
            m.serialize_entry("Description", d)?;
        }
        if let Some(meta) = t.metadata {
            m.serialize_entry("Metadata", &With(meta, r))?;
        }
        if !t.parameters.is_empty() {
            m.serialize_entry("Parameters", &Parameters(&t.parameters))?;
        }
        if let Some(c) = t.conditions {
            m.serialize_entry("Conditions", &With(c, r))?;
        }
        m.serialize_entry("Resources", &Resources(&t.resources, r))?;
        if !t.outputs.is_empty() {
            m.serialize_entry("Outputs", &Outputs(&t.outputs, r))?;
        }
        m.end()
    }
}

struct Parameters<'a>(&'a [(&'a str, &'a Parameter)]);

impl Serialize for Parameters<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

struct Outputs<'a, R>(&'a [(&'a str, &'a Output)], &'a R);

impl<R: Resolve> Serialize for Outputs<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, &With(*v, self.1))?;
        }
        m.end()
    }
}

struct Resources<'a, R>(&'a [ResourceView<'a>], &'a R);

impl<R: Resolve> Serialize for Resources<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for v in self.0 {
            m.serialize_entry(v.logical_id, &With(v, self.1))?;
        }
        m.end()
    }
}

impl<R: Resolve> Serialize for With<'_, ResourceView<'_>, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (v, r) = (self.0, self.1);
        let res = v.resource;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Type", &res.resource_type)?;
        if let Some(c) = &res.condition {
            m.serialize_entry("Condition", c)?;
        }
        let deps = DependsOn(&res.depends_on, v.waits_for, r);
        match deps.len() {
            0 => {}
            1 => m.serialize_entry("DependsOn", deps.first())?,
            _ => m.serialize_entry("DependsOn", &deps)?,
        }
        let extra = || {
            v.extra
                .iter()
                .filter(|(k, _)| !res.properties.contains_key(*k))
        };
        if !res.properties.is_empty() || extra().next().is_some() {
            m.serialize_entry("Properties", &Properties(v, r))?;
        }
        if let Some(p) = res.deletion_policy {
            m.serialize_entry("DeletionPolicy", p.as_str())?;
        }
        if let Some(p) = res.update_replace_policy {
            m.serialize_entry("UpdateReplacePolicy", p.as_str())?;
        }
        if !res.metadata.is_empty() {
            m.serialize_entry("Metadata", &With(&res.metadata, r))?;
        }
        m.end()
    }
}

struct Properties<'a, R>(&'a ResourceView<'a>, &'a R);

impl<R: Resolve> Serialize for Properties<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (v, r) = (self.0, self.1);
        let props = &v.resource.properties;
        let mut m = s.serialize_map(None)?;
        for (k, val) in props {
            m.serialize_entry(k, &With(val, r))?;
        }
        for (k, val) in v.extra {
            if !props.contains_key(*k) {
                m.serialize_entry(k, &With(val, r))?;
            }
        }
        m.end()
    }
}

/// `DependsOn`: the logical IDs written by hand, then those of the constructs waited for.
struct DependsOn<'a, R>(&'a [String], &'a [NodeId], &'a R);

impl<R: Resolve> DependsOn<'_, R> {
    fn len(&self) -> usize {
        self.0.len() + self.1.len()
    }

    fn first(&self) -> &str {
        match self.0.first() {
            Some(id) => id,
            None => self
                .1
                .first()
                .and_then(|n| self.2.logical_id(*n))
                .unwrap_or_default(),
        }
    }
}

impl<R: Resolve> Serialize for DependsOn<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for id in self.0 {
            seq.serialize_element(id)?;
        }
        for n in self.1 {
            seq.serialize_element(self.2.logical_id(*n).unwrap_or_default())?;
        }
        seq.end()
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
