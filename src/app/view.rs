//! Templates rendered straight from the construct tree: references are resolved while the
//! bytes are written, so no template is copied on the way.

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::synth::{Class, SlotKind, Synth};
use super::NodeKind;
use crate::cfn::{Expr, Map, NodeId, Reference, Value};

/// One template of the assembly.
pub(super) struct SlotView<'s, 'a> {
    pub(super) s: &'s Synth<'a>,
    pub(super) slot: usize,
}

impl Serialize for SlotView<'_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let Synth { app, slots, .. } = self.s;
        let slot = &slots[self.slot];
        let stack = match &app.nodes[slot.stack.index()].kind {
            NodeKind::Stack(d) => Some(d),
            _ => None,
        };
        let mut m = ser.serialize_map(None)?;
        m.serialize_entry("AWSTemplateFormatVersion", "2010-09-09")?;
        if slot.kind == SlotKind::Overflow {
            m.serialize_entry(
                "Description",
                &format!(
                    "Accounts of {} that did not fit in one template",
                    app.nodes[slot.stack.index()].id
                ),
            )?;
        } else if let Some(d) = stack.and_then(|d| d.description.as_ref()) {
            m.serialize_entry("Description", d)?;
        }
        let declared_params = slot
            .members
            .iter()
            .any(|n| matches!(app.nodes[n.index()].kind, NodeKind::Parameter(_)));
        if declared_params || !self.s.member_params[self.slot].is_empty() {
            m.serialize_entry("Parameters", &Parameters(self))?;
        }
        m.serialize_entry("Resources", &Resources(self))?;
        let declared_outputs =
            slot.kind != SlotKind::Overflow && stack.is_some_and(|d| !d.outputs.is_empty());
        if declared_outputs || !self.s.exports[self.slot].is_empty() {
            m.serialize_entry("Outputs", &Outputs(self, declared_outputs))?;
        }
        m.end()
    }
}

struct Parameters<'v, 's, 'a>(&'v SlotView<'s, 'a>);

impl Serialize for Parameters<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = ser.serialize_map(None)?;
        for n in &v.s.slots[v.slot].members {
            if let NodeKind::Parameter(p) = &v.s.app.nodes[n.index()].kind {
                m.serialize_entry(logical(v.s, *n), p)?;
            }
        }
        for (name, p) in &v.s.member_params[v.slot] {
            m.serialize_entry(name, p)?;
        }
        m.end()
    }
}

struct Resources<'v, 's, 'a>(&'v SlotView<'s, 'a>);

impl Serialize for Resources<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = ser.serialize_map(None)?;
        for &n in &v.s.slots[v.slot].members {
            if matches!(v.s.app.nodes[n.index()].kind, NodeKind::Resource(_)) {
                m.serialize_entry(logical(v.s, n), &ResourceView { v, node: n })?;
            }
        }
        m.end()
    }
}

struct ResourceView<'v, 's, 'a> {
    v: &'v SlotView<'s, 'a>,
    node: NodeId,
}

impl Serialize for ResourceView<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let s = self.v.s;
        let NodeKind::Resource(data) = &s.app.nodes[self.node.index()].kind else {
            return Err(S::Error::custom("not a resource"));
        };
        let r = &data.resource;
        let mut m = ser.serialize_map(None)?;
        m.serialize_entry("Type", &r.resource_type)?;
        if let Some(c) = &r.condition {
            m.serialize_entry("Condition", c)?;
        }
        let (start, end) = s.dep_range[self.node.index()];
        let deps = DependsOn {
            s,
            raw: &r.depends_on,
            nodes: &s.dep_flat[start as usize..end as usize],
        };
        match deps.len() {
            0 => {}
            1 => m.serialize_entry("DependsOn", &deps.first())?,
            _ => m.serialize_entry("DependsOn", &deps)?,
        }
        let carrier = s.carriers.get(&self.node);
        if !r.properties.is_empty() || carrier.is_some() {
            m.serialize_entry(
                "Properties",
                &Properties {
                    v: self.v,
                    props: &r.properties,
                    carrier,
                },
            )?;
        }
        if let Some(p) = r.deletion_policy {
            m.serialize_entry("DeletionPolicy", p.as_str())?;
        }
        if let Some(p) = r.update_replace_policy {
            m.serialize_entry("UpdateReplacePolicy", p.as_str())?;
        }
        if !r.metadata.is_empty() {
            m.serialize_entry("Metadata", &self.v.resolved_map(&r.metadata))?;
        }
        m.end()
    }
}

/// A resource's `DependsOn`: the logical IDs written by hand, then those of the constructs
/// it waits for, without collecting them first.
struct DependsOn<'v, 'a> {
    s: &'v Synth<'a>,
    raw: &'v [String],
    nodes: &'v [NodeId],
}

impl DependsOn<'_, '_> {
    fn len(&self) -> usize {
        self.raw.len() + self.nodes.len()
    }

    fn first(&self) -> &str {
        match self.raw.first() {
            Some(r) => r,
            None => self.nodes.first().map_or("", |n| logical(self.s, *n)),
        }
    }
}

impl Serialize for DependsOn<'_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.len()))?;
        for r in self.raw {
            seq.serialize_element(r)?;
        }
        for n in self.nodes {
            seq.serialize_element(logical(self.s, *n))?;
        }
        seq.end()
    }
}

struct Properties<'v, 's, 'a> {
    v: &'v SlotView<'s, 'a>,
    props: &'v Map,
    carrier: Option<&'v super::synth::CarrierInput>,
}

impl Serialize for Properties<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(None)?;
        for (k, val) in self.props {
            m.serialize_entry(k, &self.v.resolved(val))?;
        }
        if let Some(c) = self.carrier {
            if c.needs_iam && !self.props.contains_key("Capabilities") {
                m.serialize_entry("Capabilities", &["CAPABILITY_NAMED_IAM"])?;
            }
            if !c.parameters.is_empty() {
                m.serialize_entry("Parameters", &StackSetParameters(self.v, &c.parameters))?;
            }
            m.serialize_entry("TemplateBody", &c.body)?;
        }
        m.end()
    }
}

struct StackSetParameters<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v [(String, Reference)]);

impl Serialize for StackSetParameters<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.1.len()))?;
        for (name, r) in self.1 {
            seq.serialize_element(&StackSetParameter(self.0, name, r))?;
        }
        seq.end()
    }
}

struct StackSetParameter<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v str, &'v Reference);

impl Serialize for StackSetParameter<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(2))?;
        m.serialize_entry("ParameterKey", self.1)?;
        m.serialize_entry("ParameterValue", &RefView(self.0, self.2))?;
        m.end()
    }
}

struct Outputs<'v, 's, 'a>(&'v SlotView<'s, 'a>, bool);

impl Serialize for Outputs<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = ser.serialize_map(None)?;
        if self.1 {
            if let NodeKind::Stack(d) = &v.s.app.nodes[v.s.slots[v.slot].stack.index()].kind {
                for (name, (value, description, export)) in &d.outputs {
                    m.serialize_entry(
                        name,
                        &OutputView {
                            v,
                            description: description.as_deref(),
                            value: OutputValue::Value(value),
                            export: export.as_deref(),
                        },
                    )?;
                }
            }
        }
        for (name, (export, r)) in &v.s.exports[v.slot] {
            m.serialize_entry(
                name,
                &OutputView {
                    v,
                    description: None,
                    value: OutputValue::Ref(r),
                    export: Some(export),
                },
            )?;
        }
        m.end()
    }
}

enum OutputValue<'v> {
    Value(&'v Value),
    Ref(&'v Reference),
}

struct OutputView<'v, 's, 'a> {
    v: &'v SlotView<'s, 'a>,
    description: Option<&'v str>,
    value: OutputValue<'v>,
    export: Option<&'v str>,
}

impl Serialize for OutputView<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(None)?;
        if let Some(d) = self.description {
            m.serialize_entry("Description", d)?;
        }
        match self.value {
            OutputValue::Value(v) => m.serialize_entry("Value", &self.v.resolved(v))?,
            OutputValue::Ref(r) => m.serialize_entry("Value", &RefView(self.v, r))?,
        }
        if let Some(e) = self.export {
            let mut export = Map::default();
            export.insert("Name".into(), Value::from(e));
            m.serialize_entry("Export", &Value::Map(export))?;
        }
        m.end()
    }
}

impl<'s, 'a> SlotView<'s, 'a> {
    fn resolved<'v>(&'v self, v: &'v Value) -> Resolved<'v, 's, 'a> {
        Resolved(self, v)
    }

    fn resolved_map<'v>(&'v self, m: &'v Map) -> ResolvedMap<'v, 's, 'a> {
        ResolvedMap(self, m)
    }
}

fn logical<'s>(s: &'s Synth<'_>, n: NodeId) -> &'s str {
    s.logical[n.index()].as_deref().unwrap_or_default()
}

/// A value with its references resolved for the template being written.
struct Resolved<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v Value);

impl Serialize for Resolved<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            Value::List(items) => {
                let mut seq = ser.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Resolved(self.0, item))?;
                }
                seq.end()
            }
            Value::Map(m) => ResolvedMap(self.0, m).serialize(ser),
            Value::Expr(e) => ResolvedExpr(self.0, e).serialize(ser),
            Value::Shared(v) => Resolved(self.0, v).serialize(ser),
            other => other.serialize(ser),
        }
    }
}

struct ResolvedMap<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v Map);

impl Serialize for ResolvedMap<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (k, v) in self.1 {
            m.serialize_entry(k, &Resolved(self.0, v))?;
        }
        m.end()
    }
}

struct ResolvedList<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v [Value]);

impl Serialize for ResolvedList<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.1.len()))?;
        for v in self.1 {
            seq.serialize_element(&Resolved(self.0, v))?;
        }
        seq.end()
    }
}

struct ResolvedExpr<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v Expr);

/// A two-element JSON array of two different types.
struct Pair<A, B>(A, B);

impl<A: Serialize, B: Serialize> Serialize for Pair<A, B> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(2))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(&self.1)?;
        seq.end()
    }
}

impl Serialize for ResolvedExpr<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        match self.1 {
            Expr::Ref(r) => RefView(v, r).serialize(ser),
            Expr::Pseudo(_) => self.1.serialize(ser),
            Expr::Sub(template, vars) => {
                let mut m = ser.serialize_map(Some(1))?;
                if vars.is_empty() {
                    m.serialize_entry("Fn::Sub", template)?;
                } else {
                    m.serialize_entry("Fn::Sub", &Pair(template, ResolvedMap(v, vars)))?;
                }
                m.end()
            }
            Expr::Join(sep, parts) => {
                let mut m = ser.serialize_map(Some(1))?;
                m.serialize_entry("Fn::Join", &Pair(sep, ResolvedList(v, parts)))?;
                m.end()
            }
            Expr::ImportValue(name) => {
                let mut m = ser.serialize_map(Some(1))?;
                m.serialize_entry("Fn::ImportValue", &Resolved(v, name))?;
                m.end()
            }
            Expr::Select(i, list) => {
                let mut m = ser.serialize_map(Some(1))?;
                m.serialize_entry("Fn::Select", &Pair(i.to_string(), Resolved(v, list)))?;
                m.end()
            }
            Expr::Split(sep, source) => {
                let mut m = ser.serialize_map(Some(1))?;
                m.serialize_entry("Fn::Split", &Pair(sep, Resolved(v, source)))?;
                m.end()
            }
        }
    }
}

/// A reference as the template being written expresses it.
struct RefView<'v, 's, 'a>(&'v SlotView<'s, 'a>, &'v Reference);

impl Serialize for RefView<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let r = self.1;
        let local = |ser: S, id: &str| -> Result<S::Ok, S::Error> {
            let mut m = ser.serialize_map(Some(1))?;
            match &r.attribute {
                None => m.serialize_entry("Ref", id)?,
                Some(attr) => m.serialize_entry("Fn::GetAtt", &[id, attr.as_ref()])?,
            }
            m.end()
        };
        match self.0.s.classify(self.0.slot, r) {
            Class::Local(id) => local(ser, id),
            Class::Logical => Expr::Ref(r.clone()).serialize(ser),
            Class::Param { name, .. } => {
                let mut m = ser.serialize_map(Some(1))?;
                m.serialize_entry("Ref", &name)?;
                m.end()
            }
            Class::Import {
                target_slot,
                logical,
            } => {
                let mut m = ser.serialize_map(Some(1))?;
                let export = self
                    .0
                    .s
                    .export_name(target_slot, logical, r.attribute.as_deref());
                m.serialize_entry("Fn::ImportValue", &export)?;
                m.end()
            }
            // Reported by validation; synthesis fails before anything is written.
            Class::Error { .. } => ser.serialize_unit(),
        }
    }
}
