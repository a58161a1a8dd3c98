//! Organizational units and the parents accounts and OUs hang from.

use crate::app::{any_impls, App, CfnParameter, Check, Construct, Lower, Scope, Typed};
use crate::cfn::{Expr, NodeId, Parameter, Resource};
use crate::error::{Result, Rule};

use super::organization::OrganizationHandle;

/// How many OUs of one template Organizations is asked to create at once. OU creation is
/// throttled; five keeps a burst well under the throttle while a template of five OUs or
/// fewer gets no extra `DependsOn`. (Nested OUs wait for their parent anyway, through
/// `ParentId`.)
pub const OUS_AT_ONCE: u16 = 5;
const OU_GROUP: &str = "aws-organizations-ou";

/// Longest OU id (`ou-` and up to 65 characters).
pub(crate) const OU_ID_MAX: usize = 68;

/// An organizational unit to add under the root or another OU.
///
/// Its name is also its construct id: names are unique among siblings, and the OU's
/// logical ID follows from its place in the tree.
///
/// ```
/// use orgstack::{App, org::{Organization, OrganizationalUnit}};
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let org = app.add(&stack, Organization::create())?;
/// let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
/// let prod = app.add(&workloads, OrganizationalUnit::new("Prod"))?;
/// assert_eq!(prod.depth(), 2);
/// assert_eq!(app.ous().count(), 2);
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct OrganizationalUnit {
    name: String,
    tags: Vec<(String, String)>,
    source: Source,
}

/// Where an OU comes from.
#[derive(Debug, Clone)]
enum Source {
    /// Created by the stack.
    New,
    /// Exists, and is adopted into the stack by resource import.
    Adopt(String),
    /// Exists, and is only referenced.
    Existing(String),
}

impl OrganizationalUnit {
    /// An OU named `name` (1–128 characters).
    pub fn new(name: impl Into<String>) -> Self {
        OrganizationalUnit {
            name: name.into(),
            tags: Vec::new(),
            source: Source::New,
        }
    }

    /// An OU that exists already, by its id (`ou-…`), referenced and never managed: a
    /// parent for new OUs and accounts, a target for policies and StackSets. `name` is its
    /// construct id. Add it under its real parent (the organization or another OU) so that
    /// the depth of what goes below it is checked; a bad id is reported at synthesis. The
    /// id becomes a template parameter with it as default. Nothing of it is managed: tags
    /// set on it are not rendered.
    ///
    /// ```
    /// use orgstack::{App, org::{Account, Organization, OrganizationalUnit}};
    /// let mut app = App::new();
    /// let stack = app.stack("Management")?;
    /// let org = app.add(&stack, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// let workloads = app.add(&org, OrganizationalUnit::existing("Workloads", "ou-ab12-abcd1234"))?;
    /// app.add(&workloads, Account::new("Sandbox", "sandbox@aws.acme.example"))?;
    /// let tpl = app.synth()?.template_json("Management").unwrap().to_owned();
    /// assert!(tpl.contains("\"Default\": \"ou-ab12-abcd1234\""));
    /// assert!(!tpl.contains("AWS::Organizations::OrganizationalUnit"));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn existing(name: impl Into<String>, id: impl Into<String>) -> Self {
        OrganizationalUnit {
            name: name.into(),
            tags: Vec::new(),
            source: Source::Existing(id.into()),
        }
    }

    /// Adopts the OU that exists with this id (`ou-…`) into CloudFormation management:
    /// it renders as a resource with `DeletionPolicy` and `UpdateReplacePolicy` `Retain`,
    /// and the deploy plan imports it (resource import, by its `Id`) before the first
    /// deploy instead of creating it. Its name, parent and tags must be what exists; a bad
    /// id is reported at synthesis.
    pub fn adopt(mut self, id: impl Into<String>) -> Self {
        self.source = Source::Adopt(id.into());
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// Where an OU or an account sits: the root or an OU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Parent {
    /// The organization's root.
    Root(OrganizationHandle),
    /// An organizational unit.
    Ou(OuHandle),
}

impl From<OrganizationHandle> for Parent {
    fn from(o: OrganizationHandle) -> Self {
        Parent::Root(o)
    }
}

impl From<&OrganizationHandle> for Parent {
    fn from(o: &OrganizationHandle) -> Self {
        Parent::Root(*o)
    }
}

impl From<OuHandle> for Parent {
    fn from(o: OuHandle) -> Self {
        Parent::Ou(o)
    }
}

impl From<&OuHandle> for Parent {
    fn from(o: &OuHandle) -> Self {
        Parent::Ou(*o)
    }
}

impl Scope for Parent {
    fn node(&self) -> NodeId {
        match self {
            Parent::Root(o) => o.node(),
            Parent::Ou(ou) => ou.node,
        }
    }
}

impl Parent {
    /// The parent's id (`r-…` or `ou-…`).
    pub fn id(&self) -> Expr {
        match self {
            Parent::Root(o) => o.root_id(),
            Parent::Ou(ou) => ou.id(),
        }
    }

    /// The organization the parent belongs to.
    pub fn organization(&self) -> OrganizationHandle {
        match self {
            Parent::Root(o) => *o,
            Parent::Ou(ou) => ou.org,
        }
    }

    /// The node of the organization the parent belongs to.
    pub(crate) fn organization_node(&self) -> NodeId {
        self.organization().node()
    }

    /// Depth under the root: 0 for the root, 1 for a top-level OU.
    pub fn depth(&self) -> usize {
        match self {
            Parent::Root(_) => 0,
            Parent::Ou(ou) => ou.depth,
        }
    }
}

/// An OU as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct OuData {
    pub(crate) name: String,
    pub(crate) parent: Parent,
    pub(crate) tags: Vec<(String, String)>,
    depth: usize,
    /// The id of the OU this one adopts.
    pub(crate) adopted: Option<String>,
}

impl Typed for OuData {
    fn adopted(&self) -> Option<(&'static str, &str)> {
        self.adopted.as_deref().map(|id| ("Id", id))
    }

    fn validate(&self, cx: &mut Check<'_>) {
        if let Some(id) = &self.adopted {
            if let Err(e) = id.parse::<crate::aws::OuId>() {
                cx.push(e.to_diagnostic(""));
            }
        }
        let max = cx.quotas().ou_depth;
        if self.depth > max {
            cx.report(
                Rule::OuDepth,
                self.depth.to_string(),
                format!(
                    "OUs nest at most {max} levels under the root; this one is at level {}",
                    self.depth
                ),
                "flatten the hierarchy: group by tags or by name instead of another level",
            );
        }
    }
    any_impls!();
}

impl Lower for OuData {
    fn resource_type(&self) -> &'static str {
        "AWS::Organizations::OrganizationalUnit"
    }

    fn lower(&self) -> Resource {
        let mut res = Resource::new(self.resource_type())
            .property("Name", self.name.as_str())
            .property("ParentId", self.parent.id());
        if !self.tags.is_empty() {
            res = res.property("Tags", crate::cfn::tags(&self.tags));
        }
        if self.adopted.is_some() {
            res = res.retain();
        }
        res
    }
}

/// An existing OU the app only references.
#[derive(Debug, Clone)]
pub(crate) struct OuRefData {
    pub(crate) id: String,
    pub(crate) parent: Parent,
}

impl Typed for OuRefData {
    fn validate(&self, cx: &mut Check<'_>) {
        if let Err(e) = self.id.parse::<crate::aws::OuId>() {
            cx.push(e.to_diagnostic(""));
        }
    }
    any_impls!();
}

impl<P: Into<Parent> + Copy> Construct<P> for OrganizationalUnit {
    type Handle = OuHandle;

    /// Adds the OU under the root or an OU; a bad name and a depth past the quota are
    /// reported at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<OuHandle> {
        let parent: Parent = (*parent).into();
        let depth = parent.depth() + 1;
        let adopted = match self.source {
            Source::Existing(id) => {
                let data = OuRefData {
                    id: id.clone(),
                    parent,
                };
                let node = app.add_typed_scope(parent.node(), self.name, data);
                let param = app.add(
                    &node,
                    CfnParameter::new(
                        "Id",
                        Parameter::string()
                            .description("Id of an existing organizational unit")
                            .default_value(id)
                            .allowed_pattern("^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
                            .constraint_description("an OU id, e.g. ou-ab12-abcd1234"),
                    ),
                )?;
                return Ok(OuHandle {
                    node,
                    org: parent.organization(),
                    depth,
                    id_parameter: Some(param.node()),
                });
            }
            Source::Adopt(id) => Some(id),
            Source::New => None,
        };
        let new = adopted.is_none();
        let data = OuData {
            name: self.name.clone(),
            parent,
            tags: self.tags,
            depth,
            adopted,
        };
        let node = app.add_typed(parent.node(), self.name, data);
        app.set_movable(&node, crate::Spill::Shared { group: "Units" });
        // What exists is never created: only new OUs count against the burst.
        if new {
            app.set_bounded_group(&node, OU_GROUP, OUS_AT_ONCE);
        }
        Ok(OuHandle {
            node,
            org: parent.organization(),
            depth,
            id_parameter: None,
        })
    }
}

/// An organizational unit in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OuHandle {
    node: NodeId,
    org: OrganizationHandle,
    depth: usize,
    /// For an existing OU the app only references: the parameter holding its id.
    id_parameter: Option<NodeId>,
}

impl Scope for OuHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl OuHandle {
    /// The OU's id (`ou-…`).
    pub fn id(&self) -> Expr {
        Expr::node_ref(self.id_parameter.unwrap_or(self.node), OU_ID_MAX)
    }

    /// The OU's ARN.
    pub fn arn(&self) -> Expr {
        match self.id_parameter {
            None => Expr::node_get_att(self.node, "Arn", 160),
            Some(p) => Expr::sub_with(
                "arn:${AWS::Partition}:organizations::${AWS::AccountId}:ou/${Org}/${Ou}",
                [
                    ("Org", crate::cfn::Value::from(self.org.id())),
                    ("Ou", crate::cfn::Value::from(Expr::node_ref(p, OU_ID_MAX))),
                ],
            ),
        }
    }

    /// Whether the OU exists already and is only referenced
    /// ([`OrganizationalUnit::existing`]).
    pub fn is_existing(&self) -> bool {
        self.id_parameter.is_some()
    }

    /// Depth under the root (1 for a top-level OU).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The organization.
    pub fn organization(&self) -> OrganizationHandle {
        self.org
    }

    /// Where the OU sits, as `app` holds it (`None` for an OU of another app).
    pub fn parent(&self, app: &App) -> Option<Parent> {
        app.typed::<OuData>(self.node)
            .map(|d| d.parent)
            .or_else(|| app.typed::<OuRefData>(self.node).map(|d| d.parent))
    }
}

/// An OU of the app, as the typed model holds it.
#[derive(Debug, Clone, Copy)]
pub struct OuView<'a> {
    handle: OuHandle,
    data: &'a OuData,
}

impl<'a> OuView<'a> {
    /// The OU's handle.
    pub fn handle(&self) -> OuHandle {
        self.handle
    }

    /// Its name.
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// Where it sits.
    pub fn parent(&self) -> Parent {
        self.data.parent
    }

    /// Its tags.
    pub fn tags(&self) -> &'a [(String, String)] {
        &self.data.tags
    }

    /// The id of the existing OU it adopts ([`OrganizationalUnit::adopt`]).
    pub fn adopted_id(&self) -> Option<&'a str> {
        self.data.adopted.as_deref()
    }
}

impl App {
    /// Every OU the app renders (created or adopted; not those only referenced), in
    /// declaration order.
    pub fn ous(&self) -> impl Iterator<Item = OuView<'_>> + '_ {
        self.each::<OuData>().map(|(node, data)| OuView {
            handle: OuHandle {
                node,
                org: data.parent.organization(),
                depth: data.depth,
                id_parameter: None,
            },
            data,
        })
    }
}
