//! What an assembly remembers of the app it was synthesized from, so that a construct's
//! template, logical ID and member-template parameter can be found by its handle or path
//! rather than by a hashed name.

use super::lower::Model;
use super::name::Names;
use super::place::{Placement, SlotKind};
use super::resolve::Resolution;
use super::{Artifact, Assembly, Scope};
use crate::cfn::{NodeId, Target};
use crate::org::{AccountHandle, AccountRef};

const NONE: u32 = u32::MAX;

/// Per node of the model: its id, parent, template and logical ID; per member template, the
/// parameters its StackSet sets.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    app: u32,
    /// Every node's construct id, one after the other; node `i`'s ends at `id_ends[i]`
    /// (one string rather than one per node: an assembly of 10,000 accounts has 40,000).
    id_text: String,
    id_ends: Vec<u32>,
    parents: Vec<u32>,
    /// The artifact a construct is rendered as (a stack, a StackSet's member template) or
    /// into (a resource, a parameter, a subtree).
    artifacts: Vec<u32>,
    logical: Vec<Option<String>>,
    /// `(target node index, parameter name)` of every member-template parameter, in
    /// template order.
    parameters: Vec<(u32, String)>,
    /// `(artifact of the StackSet, its logical ID, artifact of its member template)`.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    members: Vec<(u32, String, u32)>,
}

impl Index {
    pub(crate) fn new(
        model: &Model<'_>,
        placement: &Placement,
        names: Names,
        resolution: &Resolution,
    ) -> Index {
        let len = model.len();
        let mut artifacts = vec![NONE; len];
        let mut parameters = Vec::new();
        let mut members = Vec::new();
        for (i, slot) in placement.slots.iter().enumerate() {
            match slot.kind {
                SlotKind::TopLevel => set(&mut artifacts, slot.stack, i),
                SlotKind::Member { carrier } => {
                    set(&mut artifacts, slot.stack, i);
                    // A StackSet stands for its member template.
                    set(&mut artifacts, carrier, i);
                    if let (Some(parent), Some(id)) =
                        (placement.slot_of(carrier), names.of(carrier))
                    {
                        members.push((parent as u32, id.to_owned(), i as u32));
                    }
                    let carried = resolution.carriers.get(&carrier);
                    for (name, r) in carried.map_or(&[][..], |c| &c.parameters[..]) {
                        if let Target::Node(n) = r.target {
                            parameters.push((n.index, name.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
        let mut id_text = String::new();
        let mut id_ends = Vec::with_capacity(len);
        let mut parents = Vec::with_capacity(len);
        for (i, artifact) in artifacts.iter_mut().enumerate() {
            let n = model.node_id(i);
            id_text.push_str(model.id(n));
            id_ends.push(u32::try_from(id_text.len()).unwrap_or(u32::MAX));
            parents.push(model.parent(n).map_or(NONE, |p| p.index));
            if *artifact == NONE {
                if let Some(s) = placement.slot_of(n) {
                    *artifact = s as u32;
                }
            }
        }
        // Anything else is in the template of the nearest construct above it that has one.
        for i in 0..len {
            if artifacts[i] != NONE {
                continue;
            }
            let mut cur = parents[i];
            for _ in 0..len {
                match artifacts.get(cur as usize) {
                    Some(&a) if a != NONE => {
                        artifacts[i] = a;
                        break;
                    }
                    Some(_) => cur = parents[cur as usize],
                    None => break,
                }
            }
        }
        let mut logical = names.into_logical();
        logical.resize(len, None);
        Index {
            app: model.node_id(0).app,
            id_text,
            id_ends,
            parents,
            artifacts,
            logical,
            parameters,
            members,
        }
    }

    fn index(&self, node: NodeId) -> Option<usize> {
        (node.app == self.app && node.index() < self.id_ends.len()).then_some(node.index())
    }

    /// The construct id of node `i`.
    fn id(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.id_ends[p] as usize);
        self.id_text
            .get(start..self.id_ends[i] as usize)
            .unwrap_or_default()
    }

    /// The node at `path` (`Management/Workloads/Prod`).
    fn at(&self, path: &str) -> Option<usize> {
        let mut parts = path.split('/');
        let first = parts.next()?;
        let mut cur =
            (0..self.id_ends.len()).find(|&i| self.parents[i] == NONE && self.id(i) == first)?;
        for part in parts {
            cur = (cur + 1..self.id_ends.len())
                .find(|&i| self.parents[i] == cur as u32 && self.id(i) == part)?;
        }
        Some(cur)
    }
}

/// A construct an [`Assembly`] can find: any handle that is a [`Scope`] (stacks, StackSets,
/// resources, parameters, subtrees, OUs, roles…), and accounts the app creates.
pub trait Findable {
    /// The construct's node; `None` for what the app does not hold (an existing account
    /// given by id).
    fn construct_node(&self) -> Option<NodeId>;
}

impl<S: Scope + ?Sized> Findable for S {
    fn construct_node(&self) -> Option<NodeId> {
        Some(self.node())
    }
}

impl Findable for AccountHandle {
    fn construct_node(&self) -> Option<NodeId> {
        AccountRef::from(self).node()
    }
}

impl Findable for AccountRef {
    fn construct_node(&self) -> Option<NodeId> {
        self.node()
    }
}

fn set(artifacts: &mut [u32], n: NodeId, slot: usize) {
    if let Some(a) = artifacts.get_mut(n.index()) {
        *a = slot as u32;
    }
}

/// Finding constructs in the assembly by their handles or paths.
impl Assembly {
    /// The template a construct is rendered as or into, by its handle: a stack's own
    /// template, a StackSet's member template (for the StackSet's handle or its
    /// `template()`), or the template that holds a resource, parameter or subtree. `None`
    /// for a handle of another app or a construct left out of every template.
    ///
    /// ```
    /// use orgstack::{App, iam::Role, stackset::StackSet, org::{Organization, OrganizationalUnit}};
    /// let mut app = App::new();
    /// let mgmt = app.stack("Management")?;
    /// let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// let ou = app.add(&org, OrganizationalUnit::new("Workloads"))?;
    /// let roles = app.add(&mgmt, StackSet::new("Roles", "roles").target(&ou))?;
    /// let admin = app.add(&roles.template(), Role::assumable_with_mfa("Admin", "111111111111"))?;
    /// let assembly = app.synth()?;
    ///
    /// assert_eq!(assembly.artifact_for(&mgmt).unwrap().stack_name, "Management");
    /// assert_eq!(assembly.artifact_for(&roles).unwrap().stack_name, "Management.Roles.Template");
    /// assert_eq!(assembly.artifact_for(&admin), assembly.artifact_for(&roles));
    /// assert_eq!(assembly.artifact_at("Management/Roles/Template/Admin"), assembly.artifact_for(&roles));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn artifact_for(&self, construct: &(impl Findable + ?Sized)) -> Option<&Artifact> {
        let i = self.lookup.index(construct.construct_node()?)?;
        self.artifact_of_index(i)
    }

    /// As [`artifact_for`](Self::artifact_for), by construct path: `Management/Roles` (the
    /// StackSet) or `Management/Roles/Template` (its member stack) for a member template.
    pub fn artifact_at(&self, path: &str) -> Option<&Artifact> {
        let i = self.lookup.at(path)?;
        self.artifact_of_index(i)
    }

    fn artifact_of_index(&self, i: usize) -> Option<&Artifact> {
        let a = *self.lookup.artifacts.get(i)?;
        self.artifacts.get(a as usize)
    }

    /// The logical ID of a resource or parameter in its template, by its handle; `None`
    /// for any other construct, or a handle of another app.
    ///
    /// ```
    /// use orgstack::{App, CfnResource, cfn::Resource};
    /// let mut app = App::new();
    /// let stack = app.stack("Main")?;
    /// let topic = app.add(&stack, CfnResource::new("Alerts", Resource::new("AWS::SNS::Topic")))?;
    /// let assembly = app.synth()?;
    /// let id = assembly.logical_id(&topic).unwrap();
    /// assert!(assembly.template_json("Main").unwrap().contains(&format!("\"{id}\": {{")));
    /// assert_eq!(assembly.logical_id_at("Main/Alerts"), Some(id));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn logical_id(&self, construct: &(impl Findable + ?Sized)) -> Option<&str> {
        let i = self.lookup.index(construct.construct_node()?)?;
        self.lookup.logical.get(i)?.as_deref()
    }

    /// As [`logical_id`](Self::logical_id), by construct path (`Main/Alerts`).
    pub fn logical_id_at(&self, path: &str) -> Option<&str> {
        let i = self.lookup.at(path)?;
        self.lookup.logical.get(i)?.as_deref()
    }

    /// The name of the member-template parameter through which a StackSet passes a value
    /// of `construct` (a construct of the management account that a member template
    /// references), e.g. the identity account's id. When several of its values are passed
    /// (say, an ARN and a name), the first in template order; see
    /// [`parameter_names`](Self::parameter_names). `None` if no member template references
    /// it.
    ///
    /// ```
    /// use orgstack::{App, iam::Role, stackset::StackSet, org::{Account, Organization, OrganizationalUnit}};
    /// let mut app = App::new();
    /// let mgmt = app.stack("Management")?;
    /// let org = app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// let ou = app.add(&org, OrganizationalUnit::new("Workloads"))?;
    /// let identity = app.add(&ou, Account::new("Identity", "aws+identity@acme.example"))?;
    /// let roles = app.add(&mgmt, StackSet::new("Roles", "roles").target(&ou))?;
    /// app.add(&roles.template(), Role::assumable_with_mfa("Admin", &identity))?;
    /// let assembly = app.synth()?;
    ///
    /// let name = assembly.parameter_name(&identity).unwrap();
    /// let member = assembly.artifact_for(&roles).unwrap();
    /// assert!(member.body.contains(&format!("\"{name}\": {{")));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn parameter_name(&self, construct: &(impl Findable + ?Sized)) -> Option<&str> {
        self.parameter_names(construct).next()
    }

    /// Every member-template parameter that carries a value of `construct`, in template
    /// order, each once.
    pub fn parameter_names(
        &self,
        construct: &(impl Findable + ?Sized),
    ) -> impl Iterator<Item = &str> + '_ {
        let target = construct
            .construct_node()
            .and_then(|n| self.lookup.index(n))
            .map(|i| i as u32);
        let mut seen: Vec<&str> = Vec::new();
        self.lookup
            .parameters
            .iter()
            .filter(move |(n, _)| Some(*n) == target)
            .filter_map(move |(_, name)| {
                if seen.contains(&name.as_str()) {
                    None
                } else {
                    seen.push(name);
                    Some(name.as_str())
                }
            })
    }

    /// The member templates of the StackSets in the template named `stack_name`: each
    /// StackSet's logical ID and its member template's name.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) fn members_of<'a>(
        &'a self,
        stack_name: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.lookup
            .members
            .iter()
            .filter_map(move |(parent, id, member)| {
                let parent = self.artifacts.get(*parent as usize)?;
                let member = self.artifacts.get(*member as usize)?;
                (parent.stack_name == stack_name)
                    .then_some((id.as_str(), member.stack_name.as_str()))
            })
    }

    /// As [`parameter_name`](Self::parameter_name), by construct path.
    pub fn parameter_name_at(&self, path: &str) -> Option<&str> {
        let target = self.lookup.at(path)? as u32;
        self.lookup
            .parameters
            .iter()
            .find(|(n, _)| *n == target)
            .map(|(_, name)| name.as_str())
    }
}
