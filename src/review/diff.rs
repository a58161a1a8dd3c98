//! Comparing two assemblies resource by resource, and classifying every change by what
//! CloudFormation (and Organizations) will do with it.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::files::{parse_resource, AssemblyFiles, ResourceDoc, TemplateFile, TemplateKind};
use super::policy::{self, PolicyDecider, Verdict};
use super::schema_facts::SCHEMA_FACTS;
use crate::cfn::hash::FastMap;

const ACCOUNT: &str = "AWS::Organizations::Account";
const OU: &str = "AWS::Organizations::OrganizationalUnit";
const POLICY: &str = "AWS::Organizations::Policy";
const STACK_SET: &str = "AWS::CloudFormation::StackSet";

/// How much a change needs a reviewer, from most to least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ChangeClass {
    /// CloudFormation replaces the resource: a createOnly property changed, its logical ID
    /// changed, it moves to another stack, or its type changed. For an account, it would
    /// try to create a new account.
    Replacement,
    /// CloudFormation cannot make the change (an account's `AccountName`, `Email` or
    /// `RoleName`): the update and its rollback both fail; it is done with the CLI instead.
    UpdateNotSupported,
    /// It deploys, and may lose something or let something through: Retain removed; an
    /// account, OU or policy deleted; an SCP or RCP changed and not proven to allow no
    /// request it denied; an MFA condition weakened; a StackSet target or region removed;
    /// an export still imported removed.
    Dangerous,
    /// Everything else.
    Safe,
}

impl ChangeClass {
    /// Every class, most severe first.
    pub const ALL: [ChangeClass; 4] = [
        ChangeClass::Replacement,
        ChangeClass::UpdateNotSupported,
        ChangeClass::Dangerous,
        ChangeClass::Safe,
    ];

    /// The class in words, as the reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::Replacement => "replacement",
            ChangeClass::UpdateNotSupported => "update not supported",
            ChangeClass::Dangerous => "dangerous",
            ChangeClass::Safe => "safe",
        }
    }

    /// Whether a change of this class stops a review until it is acknowledged.
    pub fn needs_acknowledgement(self) -> bool {
        self != ChangeClass::Safe
    }
}

/// What changed, as the last part but one of a [`Change::id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// A resource is new.
    Added,
    /// A resource is gone.
    Removed,
    /// A resource is in another template now, under the same logical ID or a new one.
    MovedStack,
    /// A resource has a new logical ID in the same template.
    LogicalIdChanged,
    /// A resource's type changed.
    TypeChanged,
    /// A createOnly property changed.
    CreateOnly,
    /// A property CloudFormation cannot update changed.
    UpdateNotSupported,
    /// `DeletionPolicy` or `UpdateReplacePolicy` is no longer `Retain`.
    RetainRemoved,
    /// The content of an SCP or RCP changed.
    PolicyChanged,
    /// An SCP or RCP no longer attaches to a target.
    PolicyDetached,
    /// A policy document's MFA condition is weaker.
    MfaWeakened,
    /// A StackSet no longer deploys to a target (or at all).
    StackSetTargetRemoved,
    /// A StackSet no longer deploys to a region.
    StackSetRegionRemoved,
    /// An export is gone.
    ExportRemoved,
    /// A property or attribute changed.
    Updated,
    /// An output is new, gone or changed.
    Output,
}

impl ChangeKind {
    /// The kind as it appears in ids.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::MovedStack => "moved-stack",
            ChangeKind::LogicalIdChanged => "logical-id-changed",
            ChangeKind::TypeChanged => "type-changed",
            ChangeKind::CreateOnly => "create-only",
            ChangeKind::UpdateNotSupported => "update-not-supported",
            ChangeKind::RetainRemoved => "retain-removed",
            ChangeKind::PolicyChanged => "policy-changed",
            ChangeKind::PolicyDetached => "policy-detached",
            ChangeKind::MfaWeakened => "mfa-weakened",
            ChangeKind::StackSetTargetRemoved => "stackset-target-removed",
            ChangeKind::StackSetRegionRemoved => "stackset-region-removed",
            ChangeKind::ExportRemoved => "export-removed",
            ChangeKind::Updated => "updated",
            ChangeKind::Output => "output",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Change {
    /// A stable id, `<template>/<logical id>/<kind>[/<property>]`, to acknowledge it by;
    /// the same change between the same files has the same id on every run.
    pub id: String,
    /// How much it needs a reviewer.
    pub class: ChangeClass,
    /// What changed.
    pub kind: ChangeKind,
    /// The template (a stack, or a StackSet's member template) the resource is in (for a
    /// resource gone: was in).
    pub template: String,
    /// Stack or member template.
    pub template_kind: TemplateKind,
    /// The resource's (or output's) logical ID.
    pub logical_id: String,
    /// The resource type (`Output` for an output).
    pub resource_type: String,
    /// The property or attribute the change is about, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    /// What happens, in words.
    pub message: String,
    /// What to do instead or first (a CLI step), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
}

/// Whether a template is new, gone, changed or the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum TemplateStatus {
    /// Only in the new assembly.
    Added,
    /// Only in the old assembly.
    Removed,
    /// In both, with changes.
    Changed,
    /// In both, the same.
    Unchanged,
}

/// The changes of one template, counted by class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TemplateSummary {
    /// The template (stack or member template) name.
    pub template: String,
    /// Stack or member template.
    pub kind: TemplateKind,
    /// New, gone, changed or the same.
    pub status: TemplateStatus,
    /// Replacements.
    pub replacement: usize,
    /// Updates CloudFormation cannot make.
    pub update_not_supported: usize,
    /// Dangerous changes.
    pub dangerous: usize,
    /// Safe changes.
    pub safe: usize,
}

impl TemplateSummary {
    /// The count of one class.
    pub fn count(&self, class: ChangeClass) -> usize {
        match class {
            ChangeClass::Replacement => self.replacement,
            ChangeClass::UpdateNotSupported => self.update_not_supported,
            ChangeClass::Dangerous => self.dangerous,
            ChangeClass::Safe => self.safe,
        }
    }
}

/// Every change between two assemblies, classified; see [`diff`].
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub(crate) changes: Vec<Change>,
    pub(crate) templates: Vec<TemplateSummary>,
}

impl Diff {
    /// Every change: template by template (stacks in deploy order, then member
    /// templates), and within a template in the order of its resources.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// One summary per template of either assembly, unchanged ones included.
    pub fn templates(&self) -> &[TemplateSummary] {
        &self.templates
    }

    /// Whether the two assemblies deploy the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes are of `class`.
    pub fn count(&self, class: ChangeClass) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// The changes of `kind`.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// A change by its id.
    pub fn change(&self, id: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.id == id)
    }
}

/// Compares two assemblies. Whether an SCP or RCP whose content changed now lets through a
/// request it stopped is decided by the access simulator ([`SimulatorDecider`]) on the
/// requests of [`requests`](super::requests): a change it proves lets none through is
/// *safe*, one with a request that shows otherwise is *dangerous* and names that request,
/// one it cannot decide stays *dangerous unless proven safe*.
///
/// [`SimulatorDecider`]: super::SimulatorDecider
pub fn diff(old: &AssemblyFiles, new: &AssemblyFiles) -> Diff {
    diff_with(old, new, &super::SimulatorDecider)
}

/// Compares two assemblies, asking `decider` whether an SCP or RCP whose content changed
/// now allows any request it denied (on the requests of [`requests`](super::requests)):
/// one that it proves allows none is *safe*; one it shows allows one, or cannot decide,
/// stays *dangerous*.
pub fn diff_with(old: &AssemblyFiles, new: &AssemblyFiles, decider: &dyn PolicyDecider) -> Diff {
    Differ { old, new, decider }.run()
}

struct Differ<'a> {
    old: &'a AssemblyFiles,
    new: &'a AssemblyFiles,
    decider: &'a dyn PolicyDecider,
}

/// Where a resource is: template index and logical ID.
type Place<'a> = (usize, &'a str);

struct Out {
    changes: Vec<Change>,
}

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        class: ChangeClass,
        kind: ChangeKind,
        t: &TemplateFile,
        logical_id: &str,
        resource_type: &str,
        property: Option<&str>,
        message: String,
        remedy: Option<String>,
    ) {
        let mut id = format!("{}/{}/{}", t.name, logical_id, kind.as_str());
        if let Some(p) = property {
            id.push('/');
            id.push_str(p);
        }
        self.changes.push(Change {
            id,
            class,
            kind,
            template: t.name.clone(),
            template_kind: t.kind,
            logical_id: logical_id.to_owned(),
            resource_type: resource_type.to_owned(),
            property: property.map(str::to_owned),
            message,
            remedy,
        });
    }
}

impl<'a> Differ<'a> {
    fn run(self) -> Diff {
        let old_by_name: FastMap<(&str, TemplateKind), usize> = index(self.old);
        let new_by_name: FastMap<(&str, TemplateKind), usize> = index(self.new);
        // Where each logical ID lives, for moves between templates.
        let new_places = if self.new.templates.len() > 1 {
            places(self.new)
        } else {
            FastMap::default()
        };

        // Resources gone from their template, and resources new in theirs.
        let mut gone: Vec<Place<'a>> = Vec::new();
        let mut fresh: Vec<Place<'a>> = Vec::new();
        for (i, t) in self.old.templates.iter().enumerate() {
            let other = new_by_name
                .get(&(t.name.as_str(), t.kind))
                .map(|&j| &self.new.templates[j]);
            if other.is_some_and(|o| o.digest == t.digest) {
                continue;
            }
            for lid in t.resources.keys() {
                if other.is_none_or(|o| !o.resources.contains_key(lid)) {
                    gone.push((i, lid));
                }
            }
        }
        for (j, t) in self.new.templates.iter().enumerate() {
            let other = old_by_name
                .get(&(t.name.as_str(), t.kind))
                .map(|&i| &self.old.templates[i]);
            if other.is_some_and(|o| o.digest == t.digest) {
                continue;
            }
            for lid in t.resources.keys() {
                if other.is_none_or(|o| !o.resources.contains_key(lid)) {
                    fresh.push((j, lid));
                }
            }
        }

        // Pair what is gone with what is new: the same logical ID in another template of
        // the same kind, else the same identity (name, e-mail…) of the same type.
        let mut moved_to: FastMap<Place<'a>, Place<'a>> = FastMap::default();
        let mut moved_from: FastMap<Place<'a>, Place<'a>> = FastMap::default();
        let mut fresh_by_identity: FastMap<String, Vec<Place<'a>>> = FastMap::default();
        let fresh_set: FastMap<Place<'a>, ()> = fresh.iter().map(|&p| (p, ())).collect();
        for &(j, lid) in &fresh {
            let res = self.new.templates[j].resource(lid);
            if let Some(key) = res.as_ref().and_then(identity) {
                fresh_by_identity.entry(key).or_default().push((j, lid));
            }
        }
        for &(i, lid) in &gone {
            let t = &self.old.templates[i];
            let Some(res) = t.resource(lid) else {
                continue;
            };
            let same_id = new_places.get(&(lid, t.kind)).copied().filter(|&(j, _)| {
                self.new.templates[j]
                    .resource(lid)
                    .is_some_and(|r| r.resource_type == res.resource_type)
                    && !moved_from.contains_key(&(j, lid))
                    && fresh_set.contains_key(&(j, lid))
            });
            let target = same_id.or_else(|| {
                let key = identity(&res)?;
                fresh_by_identity
                    .get(&key)?
                    .iter()
                    .copied()
                    .find(|p| !moved_from.contains_key(p))
            });
            if let Some(to) = target {
                moved_to.insert((i, lid), to);
                moved_from.insert(to, (i, lid));
            }
        }

        let mut out = Out {
            changes: Vec::new(),
        };
        let mut templates = Vec::new();
        // New templates in their order, then the templates only the old one has.
        let mut order: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        for (j, t) in self.new.templates.iter().enumerate() {
            order.push((
                old_by_name.get(&(t.name.as_str(), t.kind)).copied(),
                Some(j),
            ));
        }
        for (i, t) in self.old.templates.iter().enumerate() {
            if !new_by_name.contains_key(&(t.name.as_str(), t.kind)) {
                order.push((Some(i), None));
            }
        }
        for (oi, nj) in order {
            let start = out.changes.len();
            let (t_old, t_new) = (
                oi.map(|i| &self.old.templates[i]),
                nj.map(|j| &self.new.templates[j]),
            );
            let same_bytes = matches!((t_old, t_new), (Some(a), Some(b)) if a.digest == b.digest);
            if let (Some(tn), false) = (t_new, same_bytes) {
                let j = nj.unwrap_or_default();
                for (lid, raw) in &tn.resources {
                    let old_raw = t_old.and_then(|to| to.resources.get(lid));
                    if old_raw.is_some_and(|o| o.get() == raw.get()) {
                        continue;
                    }
                    let res = &parse_resource(raw);
                    match old_raw {
                        Some(old_raw) => {
                            self.compare(&mut out, tn, lid, &parse_resource(old_raw), res)
                        }
                        None => match moved_from.get(&(j, lid.as_str())) {
                            Some(&(i, old_lid)) => {
                                let from = &self.old.templates[i];
                                self.relocated(&mut out, from, old_lid, tn, lid, res)
                            }
                            None => added(&mut out, tn, lid, res),
                        },
                    }
                }
            }
            if let (Some(to), false) = (t_old, same_bytes) {
                let i = oi.unwrap_or_default();
                for (lid, raw) in &to.resources {
                    let kept = t_new.is_some_and(|tn| tn.resources.contains_key(lid));
                    if !kept && !moved_to.contains_key(&(i, lid.as_str())) {
                        removed(&mut out, to, lid, &parse_resource(raw));
                    }
                }
            }
            if !same_bytes {
                self.outputs(&mut out, t_old, t_new);
            }
            let (name, kind) = t_new
                .or(t_old)
                .map_or((String::new(), TemplateKind::Stack), |t| {
                    (t.name.clone(), t.kind)
                });
            let mut summary = TemplateSummary {
                template: name,
                kind,
                status: match (t_old, t_new) {
                    (None, _) => TemplateStatus::Added,
                    (_, None) => TemplateStatus::Removed,
                    _ if out.changes.len() > start => TemplateStatus::Changed,
                    _ => TemplateStatus::Unchanged,
                },
                replacement: 0,
                update_not_supported: 0,
                dangerous: 0,
                safe: 0,
            };
            for c in &out.changes[start..] {
                match c.class {
                    ChangeClass::Replacement => summary.replacement += 1,
                    ChangeClass::UpdateNotSupported => summary.update_not_supported += 1,
                    ChangeClass::Dangerous => summary.dangerous += 1,
                    ChangeClass::Safe => summary.safe += 1,
                }
            }
            templates.push(summary);
        }
        Diff {
            changes: out.changes,
            templates,
        }
    }

    /// A resource in both assemblies under the same template and logical ID.
    fn compare(
        &self,
        out: &mut Out,
        t: &TemplateFile,
        lid: &str,
        old: &ResourceDoc,
        new: &ResourceDoc,
    ) {
        if old == new {
            return;
        }
        let ty = new.resource_type.as_str();
        if old.resource_type != new.resource_type {
            out.push(
                ChangeClass::Replacement,
                ChangeKind::TypeChanged,
                t,
                lid,
                ty,
                None,
                format!(
                    "the type changes from {} to {ty}: CloudFormation deletes the resource and creates another",
                    old.resource_type
                ),
                None,
            );
            return;
        }
        for (field, o, n) in [
            ("DeletionPolicy", &old.deletion_policy, &new.deletion_policy),
            (
                "UpdateReplacePolicy",
                &old.update_replace_policy,
                &new.update_replace_policy,
            ),
        ] {
            if o == n {
                continue;
            }
            if o.as_deref() == Some("Retain") {
                let what = if field == "DeletionPolicy" {
                    "removing the resource from the template (or the stack) would delete it"
                } else {
                    "a replacement would delete the old resource"
                };
                let what = if ty == ACCOUNT && field == "DeletionPolicy" {
                    "removing the account from the template would close it"
                } else {
                    what
                };
                out.push(
                    ChangeClass::Dangerous,
                    ChangeKind::RetainRemoved,
                    t,
                    lid,
                    ty,
                    Some(field),
                    format!(
                        "{field} is no longer Retain ({}): {what}",
                        n.as_deref().unwrap_or("unset, CloudFormation's default")
                    ),
                    None,
                );
            } else {
                updated(out, t, lid, ty, field);
            }
        }
        let scp_like = ty == POLICY
            && [old, new].iter().any(|r| {
                matches!(
                    r.properties.get("Type").and_then(Value::as_str),
                    Some("SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY")
                )
            });
        let mut keys: Vec<&str> = old.properties.keys().map(String::as_str).collect();
        keys.extend(
            new.properties
                .keys()
                .map(String::as_str)
                .filter(|k| !old.properties.contains_key(*k)),
        );
        for key in keys {
            let (o, n) = (old.properties.get(key), new.properties.get(key));
            if o == n {
                continue;
            }
            self.property(out, t, lid, ty, scp_like, key, o, n);
        }
        for (field, o, n) in [
            ("DependsOn", &old.depends_on, &new.depends_on),
            ("Metadata", &old.metadata, &new.metadata),
            ("Condition", &old.condition, &new.condition),
        ] {
            if o != n {
                updated(out, t, lid, ty, field);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn property(
        &self,
        out: &mut Out,
        t: &TemplateFile,
        lid: &str,
        ty: &str,
        scp_like: bool,
        key: &str,
        o: Option<&Value>,
        n: Option<&Value>,
    ) {
        let (create_only, write_only) = schema_facts(ty);
        // A createOnly path below this property whose value differs.
        let replaced = create_only.iter().find(|path| {
            let mut parts = path.split('/');
            parts.next() == Some(key) && {
                let rest: Vec<&str> = parts.collect();
                pointer(o, &rest) != pointer(n, &rest)
            }
        });
        if let Some(path) = replaced {
            let message = if ty == ACCOUNT {
                format!("{path} is createOnly: CloudFormation would try to create a new account")
            } else {
                format!(
                    "{path} is createOnly: CloudFormation creates a new {ty} and deletes the old one{}",
                    if ty == OU {
                        " (which fails while accounts are in it)"
                    } else {
                        ""
                    }
                )
            };
            out.push(
                ChangeClass::Replacement,
                ChangeKind::CreateOnly,
                t,
                lid,
                ty,
                Some(path),
                message,
                None,
            );
            return;
        }
        if ty == ACCOUNT && matches!(key, "AccountName" | "Email" | "RoleName") {
            let (message, remedy) = account_update(key, o, n);
            out.push(
                ChangeClass::UpdateNotSupported,
                ChangeKind::UpdateNotSupported,
                t,
                lid,
                ty,
                Some(key),
                message,
                Some(remedy),
            );
            return;
        }
        if ty == ACCOUNT && key == "ParentIds" {
            out.push(
                ChangeClass::Safe,
                ChangeKind::Updated,
                t,
                lid,
                ty,
                Some(key),
                format!(
                    "the account moves from {} to {} (an update: the account stays as it is)",
                    show_opt(o),
                    show_opt(n)
                ),
                None,
            );
            return;
        }
        if ty == STACK_SET && key == "TemplateBody" {
            // The member template is compared on its own, resource by resource.
            let member = self
                .new
                .stack_sets
                .iter()
                .chain(&self.old.stack_sets)
                .any(|s| s.logical_id == lid && s.stack == t.name);
            if member {
                return;
            }
        }
        if scp_like && key == "Content" {
            self.policy_content(out, t, lid, ty, o, n);
            return;
        }
        if scp_like && key == "TargetIds" {
            let gone = removed_items(o, n);
            if !gone.is_empty() {
                out.push(
                    ChangeClass::Dangerous,
                    ChangeKind::PolicyDetached,
                    t,
                    lid,
                    ty,
                    Some(key),
                    format!(
                        "the policy no longer attaches to {}: what it denied there is allowed",
                        gone.join(", ")
                    ),
                    None,
                );
                return;
            }
        }
        if ty == STACK_SET && key == "StackInstancesGroup" {
            let (o_targets, o_regions) = stack_set_targets(o);
            let (n_targets, n_regions) = stack_set_targets(n);
            let gone_targets: Vec<&String> = o_targets.difference(&n_targets).collect();
            let gone_regions: Vec<&String> = o_regions.difference(&n_regions).collect();
            if !gone_targets.is_empty() {
                out.push(
                    ChangeClass::Dangerous,
                    ChangeKind::StackSetTargetRemoved,
                    t,
                    lid,
                    ty,
                    Some(key),
                    format!(
                        "the StackSet no longer deploys to {}: its stack instances there are deleted, with what they hold",
                        join(&gone_targets)
                    ),
                    None,
                );
            }
            if !gone_regions.is_empty() {
                out.push(
                    ChangeClass::Dangerous,
                    ChangeKind::StackSetRegionRemoved,
                    t,
                    lid,
                    ty,
                    Some("Regions"),
                    format!(
                        "the StackSet no longer deploys to region {}: its stack instances there are deleted",
                        join(&gone_regions)
                    ),
                    None,
                );
            }
            if !gone_targets.is_empty() || !gone_regions.is_empty() {
                return;
            }
        }
        let (old_docs, new_docs) = (
            o.map(policy::documents).unwrap_or_default(),
            n.map(policy::documents).unwrap_or_default(),
        );
        if !old_docs.is_empty() {
            let merged = |docs: Vec<&Value>| {
                let all: Vec<Value> = docs
                    .iter()
                    .flat_map(|d| policy::statements(d))
                    .map(|s| Value::Object(s.clone()))
                    .collect();
                serde_json::json!({ "Statement": all })
            };
            if let Some(what) = policy::mfa_weakened(&merged(old_docs), &merged(new_docs)) {
                out.push(
                    ChangeClass::Dangerous,
                    ChangeKind::MfaWeakened,
                    t,
                    lid,
                    ty,
                    Some(key),
                    format!("{key}: {what}"),
                    None,
                );
                return;
            }
        }
        let write_only = write_only.iter().any(|p| p.split('/').next() == Some(key));
        out.push(
            ChangeClass::Safe,
            ChangeKind::Updated,
            t,
            lid,
            ty,
            Some(key),
            format!(
                "{key} {}{}",
                match (o, n) {
                    (None, _) => "is set",
                    (_, None) => "is unset",
                    _ => "changes",
                },
                if write_only {
                    " (write-only: CloudFormation cannot compare it with what is deployed)"
                } else {
                    ""
                }
            ),
            None,
        );
    }

    fn policy_content(
        &self,
        out: &mut Out,
        t: &TemplateFile,
        lid: &str,
        ty: &str,
        o: Option<&Value>,
        n: Option<&Value>,
    ) {
        let null = Value::Null;
        let verdict = policy::check(self.decider, o.unwrap_or(&null), n.unwrap_or(&null));
        let (class, message) = match verdict {
            Verdict::ProvenSafe { requests } => (
                ChangeClass::Safe,
                format!("the policy changes; proven: no request the old policy denied is allowed now, {requests} requests"),
            ),
            Verdict::Loosened {
                witness,
                before,
                after,
            } => (
                ChangeClass::Dangerous,
                format!(
                    "the policy now allows a request it denied: {} on {} in {}{} (before: {}; now: {})",
                    witness.action,
                    witness.resource,
                    witness.region,
                    if witness.context.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " with {}",
                            witness
                                .context
                                .iter()
                                .map(|(k, v)| format!("{k}={}", v.join(",")))
                                .collect::<Vec<_>>()
                                .join(" ")
                        )
                    },
                    before.as_str(),
                    after.as_str(),
                ),
            ),
            Verdict::Unproven { requests, undecided } => (
                ChangeClass::Dangerous,
                format!("the policy changes: dangerous unless proven safe ({undecided} of {requests} generated requests undecided)"),
            ),
        };
        out.push(
            class,
            ChangeKind::PolicyChanged,
            t,
            lid,
            ty,
            Some("Content"),
            message,
            None,
        );
    }

    /// A resource that moved to another template, or got a new logical ID.
    fn relocated(
        &self,
        out: &mut Out,
        from: &TemplateFile,
        old_lid: &str,
        to: &TemplateFile,
        lid: &str,
        res: &ResourceDoc,
    ) {
        let ty = res.resource_type.as_str();
        let consequence = if ty == ACCOUNT {
            "CloudFormation would try to create a new account (with the same e-mail, which fails) and drop the existing one from its stack"
        } else {
            "CloudFormation creates it anew and deletes (or, with Retain, drops) the old one"
        };
        let (kind, message, remedy) = if from.name == to.name {
            (
                ChangeKind::LogicalIdChanged,
                format!("the logical ID changes from {old_lid} to {lid}: {consequence}"),
                Some(format!(
                    "keep the logical ID: `app.pin_logical_id(&handle, \"{old_lid}\")`"
                )),
            )
        } else {
            (
                ChangeKind::MovedStack,
                format!(
                    "it moves from {} ({old_lid}) to {} ({lid}): {consequence}",
                    from.name, to.name
                ),
                Some(format!(
                    "keep it in {}, or remove it from {} with Retain and import it into {} (`aws cloudformation create-change-set --change-set-type IMPORT --stack-name {} …`)",
                    from.name, from.name, to.name, to.name
                )),
            )
        };
        out.push(
            ChangeClass::Replacement,
            kind,
            to,
            lid,
            ty,
            None,
            message,
            remedy,
        );
    }

    fn outputs(&self, out: &mut Out, t_old: Option<&TemplateFile>, t_new: Option<&TemplateFile>) {
        let t = match t_new.or(t_old) {
            Some(t) => t,
            None => return,
        };
        let empty = indexmap::IndexMap::new();
        let old = t_old.map_or(&empty, |t| &t.outputs);
        let new = t_new.map_or(&empty, |t| &t.outputs);
        for (name, o) in old {
            let n = new.get(name);
            if n == Some(o) {
                continue;
            }
            if let Some(export) = &o.export {
                let still = self.new.templates.iter().any(|t| {
                    t.outputs
                        .values()
                        .any(|x| x.export.as_ref().is_some_and(|e| e.name == export.name))
                });
                if !still {
                    let importers = importers(self.old, &export.name);
                    if !importers.is_empty() {
                        out.push(
                            ChangeClass::Dangerous,
                            ChangeKind::ExportRemoved,
                            t,
                            name,
                            "Output",
                            None,
                            format!(
                                "the export {} is removed while {} imports it: CloudFormation refuses to update this stack until no stack imports it",
                                show(&export.name),
                                importers.join(", ")
                            ),
                            Some(format!("deploy {} first, so that it stops importing it", importers.join(", "))),
                        );
                        continue;
                    }
                }
            }
            out.push(
                ChangeClass::Safe,
                ChangeKind::Output,
                t,
                name,
                "Output",
                None,
                format!(
                    "the output {}",
                    if n.is_some() { "changes" } else { "is removed" }
                ),
                None,
            );
        }
        for name in new.keys().filter(|k| !old.contains_key(*k)) {
            out.push(
                ChangeClass::Safe,
                ChangeKind::Output,
                t,
                name,
                "Output",
                None,
                "the output is added".to_owned(),
                None,
            );
        }
    }
}

fn index(files: &AssemblyFiles) -> FastMap<(&str, TemplateKind), usize> {
    files
        .templates
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.name.as_str(), t.kind), i))
        .collect()
}

fn places(files: &AssemblyFiles) -> FastMap<(&str, TemplateKind), Place<'_>> {
    let mut out = FastMap::default();
    for (i, t) in files.templates.iter().enumerate() {
        for lid in t.resources.keys() {
            out.insert((lid.as_str(), t.kind), (i, lid.as_str()));
        }
    }
    out
}

/// What names a resource in AWS, so that the same resource is recognized under another
/// logical ID: the e-mail of an account, the name of an OU under its parent, the name of a
/// policy, role, group… `None` for a type without one.
fn identity(res: &ResourceDoc) -> Option<String> {
    let fields: &[&str] = match res.resource_type.as_str() {
        ACCOUNT => &["Email"],
        OU => &["Name"],
        POLICY => &["Name"],
        "AWS::IAM::Role" => &["RoleName"],
        "AWS::IAM::Group" => &["GroupName"],
        "AWS::IAM::ManagedPolicy" => &["ManagedPolicyName"],
        STACK_SET => &["StackSetName"],
        "AWS::S3::Bucket" => &["BucketName"],
        "AWS::CloudTrail::Trail" => &["TrailName"],
        _ => return None,
    };
    let mut key = res.resource_type.clone();
    for f in fields {
        let v = res.properties.get(*f)?;
        key.push('|');
        key.push_str(&v.to_string());
    }
    Some(key)
}

fn schema_facts(ty: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match SCHEMA_FACTS.binary_search_by(|(t, _, _)| (*t).cmp(ty)) {
        Ok(i) => (SCHEMA_FACTS[i].1, SCHEMA_FACTS[i].2),
        Err(_) => (&[], &[]),
    }
}

/// The value below `path` (`*` compares the whole list there).
fn pointer<'v>(value: Option<&'v Value>, path: &[&str]) -> Option<&'v Value> {
    let mut v = value?;
    for part in path {
        if *part == "*" {
            return Some(v);
        }
        v = v.get(part)?;
    }
    Some(v)
}

fn account_update(key: &str, o: Option<&Value>, n: Option<&Value>) -> (String, String) {
    // The new value as the shell takes it (single-quoted), or a placeholder for a value
    // CloudFormation computes.
    let arg = match n.and_then(Value::as_str) {
        Some(v) => crate::shell::quote(v),
        None => "NEW_VALUE".to_owned(),
    };
    let (o, n) = (show_opt(o), show_opt(n));
    let message = format!(
        "{key} changes from {o} to {n}: CloudFormation cannot update an account's {key}; the update and its rollback both fail"
    );
    let remedy = match key {
        "AccountName" => format!(
            "rename the account with `aws account put-account-name --account-id ACCOUNT_ID --account-name {arg}` (from the management account), then update the template"
        ),
        "Email" => format!(
            "change the root e-mail with `aws account start-primary-email-update --account-id ACCOUNT_ID --primary-email {arg}` and confirm it with `aws account accept-primary-email-update --account-id ACCOUNT_ID --primary-email {arg} --otp CODE`, then update the template"
        ),
        _ => "the role Organizations created with the account keeps its name: keep RoleName as it was, and create any other role in the account with a StackSet".to_owned(),
    };
    (message, remedy)
}

fn added(out: &mut Out, t: &TemplateFile, lid: &str, res: &ResourceDoc) {
    let ty = res.resource_type.as_str();
    let message = if ty == ACCOUNT {
        format!(
            "a new account {} ({}) is created",
            show_opt(res.properties.get("AccountName")),
            show_opt(res.properties.get("Email"))
        )
    } else {
        format!("a new {ty} is created")
    };
    out.push(
        ChangeClass::Safe,
        ChangeKind::Added,
        t,
        lid,
        ty,
        None,
        message,
        None,
    );
}

fn removed(out: &mut Out, t: &TemplateFile, lid: &str, res: &ResourceDoc) {
    let ty = res.resource_type.as_str();
    let retained = res.deletion_policy.as_deref() == Some("Retain");
    let (class, message) = match ty {
        ACCOUNT if retained => (
            ChangeClass::Dangerous,
            format!(
                "the account {} leaves the stack; with Retain it stays in the organization, open and no longer managed",
                show_opt(res.properties.get("AccountName"))
            ),
        ),
        ACCOUNT => (
            ChangeClass::Dangerous,
            format!(
                "the account {} is deleted: Organizations closes it",
                show_opt(res.properties.get("AccountName"))
            ),
        ),
        OU => (
            ChangeClass::Dangerous,
            format!(
                "the OU {} is deleted (which fails while accounts are in it); what attaches to it is detached",
                show_opt(res.properties.get("Name"))
            ),
        ),
        POLICY => (
            ChangeClass::Dangerous,
            format!(
                "the policy {} is deleted: what it denied is allowed",
                show_opt(res.properties.get("Name"))
            ),
        ),
        STACK_SET => (
            ChangeClass::Dangerous,
            "the StackSet is deleted: its stack instances in every target account are deleted, with what they hold".to_owned(),
        ),
        _ => (
            ChangeClass::Safe,
            format!(
                "the {ty} is {}",
                if retained {
                    "removed from the stack and retained"
                } else {
                    "deleted"
                }
            ),
        ),
    };
    out.push(class, ChangeKind::Removed, t, lid, ty, None, message, None);
}

fn updated(out: &mut Out, t: &TemplateFile, lid: &str, ty: &str, field: &str) {
    out.push(
        ChangeClass::Safe,
        ChangeKind::Updated,
        t,
        lid,
        ty,
        Some(field),
        format!("{field} changes"),
        None,
    );
}

/// The items of list `o` that list `n` no longer holds, shown.
fn removed_items(o: Option<&Value>, n: Option<&Value>) -> Vec<String> {
    let items = |v: Option<&Value>| match v {
        Some(Value::Array(a)) => a.clone(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    };
    let new = items(n);
    items(o)
        .iter()
        .filter(|i| !new.contains(i))
        .map(show)
        .collect()
}

/// The targets (OUs and accounts) and regions of a `StackInstancesGroup`, shown.
fn stack_set_targets(v: Option<&Value>) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut targets = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let groups = match v {
        Some(Value::Array(a)) => a.as_slice(),
        _ => &[],
    };
    for g in groups {
        if let Some(dt) = g.get("DeploymentTargets") {
            for (field, label) in [("OrganizationalUnitIds", "OU"), ("Accounts", "account")] {
                if let Some(Value::Array(items)) = dt.get(field) {
                    for i in items {
                        targets.insert(format!("{label} {}", show(i)));
                    }
                }
            }
        }
        if let Some(Value::Array(items)) = g.get("Regions") {
            for i in items {
                regions.insert(show(i));
            }
        }
    }
    (targets, regions)
}

/// The templates of `files` that import `name`.
fn importers(files: &AssemblyFiles, name: &Value) -> Vec<String> {
    files
        .templates
        .iter()
        .filter(|t| {
            t.resources
                .values()
                .filter(|r| r.get().contains("Fn::ImportValue"))
                .any(|r| {
                    parse_resource(r)
                        .properties
                        .values()
                        .any(|v| imports(v, name))
                })
                || t.outputs.values().any(|o| imports(&o.value, name))
        })
        .map(|t| t.name.clone())
        .collect()
}

fn imports(v: &Value, name: &Value) -> bool {
    match v {
        Value::Object(map) => {
            map.get("Fn::ImportValue") == Some(name) || map.values().any(|x| imports(x, name))
        }
        Value::Array(items) => items.iter().any(|x| imports(x, name)),
        _ => false,
    }
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_opt(v: Option<&Value>) -> String {
    v.map_or_else(|| "(unset)".to_owned(), show)
}

/// A value in few words: a string as itself, `Ref X` as `X`, `Fn::GetAtt [X, Y]` as
/// `X.Y`, an import as `import N`, anything else as compact JSON.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        Value::Object(map) if map.len() == 1 => {
            if let Some(Value::String(r)) = map.get("Ref") {
                return r.clone();
            }
            if let Some(Value::Array(parts)) = map.get("Fn::GetAtt") {
                let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                return parts.join(".");
            }
            if let Some(name) = map.get("Fn::ImportValue") {
                return format!("import {}", show(name));
            }
            v.to_string()
        }
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        _ => v.to_string(),
    }
}
