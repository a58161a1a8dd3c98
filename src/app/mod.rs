//! The app: a tree of constructs grouped into stacks, and its synthesis.
//!
//! Every construct has an id unique among its siblings and a path
//! (`Management/Organization/Workloads`). Resources get their logical IDs from their paths,
//! so adding or removing an unrelated construct never renames one. Constructs keep their
//! typed data in the tree until synthesis, which lowers them to CloudFormation in its first
//! step (see [`App::synth`]).

mod assembly;
mod checks;
mod construct;
mod depth;
mod import;
mod integrity;
mod logical_id;
mod lookup;
mod lower;
mod name;
mod place;
mod plan;
mod render;
mod resolve;
mod synth;
mod tree;
mod typed;
mod validate;
mod write;

use std::sync::atomic::{AtomicU32, Ordering};

use indexmap::IndexMap;

pub use assembly::{
    Artifact, ArtifactKind, Assembly, PhaseTimings, DEPLOY_PLAN_FILE, DIAGRAM_FILE, MANIFEST_FILE,
};
pub use construct::{
    CfnOutput, CfnParameter, CfnResource, Construct, ParameterHandle, ResourceHandle, Scope,
    StackHandle, Subtree, SubtreeHandle,
};
pub use import::RESOURCES_PER_IMPORT;
pub use logical_id::logical_id_for;
pub use lookup::Findable;
pub use plan::{INLINE_TEMPLATE_BYTES, TEMPLATE_BUCKET_PLACEHOLDER};
pub(crate) use typed::{any_impls, share, Aspect, Check, Derived, Lower, Typed, View};

use crate::cfn::hash::FastMap;
use crate::cfn::{NodeId, Output, Resource};
use crate::error::{Diagnostic, Result, Rule};
use crate::quotas::Quotas;
use tree::{Body, Entry, NodeKind, StackData};

/// How stack splitting places a movable unit once its stack is full. Units of one group
/// fill overflow stacks named `<stack>-<group>-NNN`, in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Spill {
    /// Units that little else refers to, such as accounts: a stack holds as many as its
    /// resource and size quotas allow.
    Leaf {
        /// The group's name, in the overflow stacks' names (e.g. `Accounts`).
        group: &'static str,
    },
    /// Units other stacks refer to, such as OUs (accounts name them as parents): each may
    /// need an export, so a stack holds no more than its outputs quota allows. They are
    /// placed before leaf units, and a leaf unit stays in its declaring stack only if what it
    /// refers to stayed there too.
    Shared {
        /// The group's name, in the overflow stacks' names (e.g. `Units`).
        group: &'static str,
    },
}

impl Spill {
    pub(crate) fn group(self) -> &'static str {
        match self {
            Spill::Leaf { group } | Spill::Shared { group } => group,
        }
    }

    pub(crate) fn is_shared(self) -> bool {
        matches!(self, Spill::Shared { .. })
    }
}

/// A step of the deploy plan that CloudFormation cannot do itself (enabling trusted access,
/// a policy type, confirming a subscription), written to `deploy-plan.md` with the assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeployStep {
    /// What the step achieves.
    pub title: String,
    /// Why it is needed.
    pub why: String,
    /// The AWS CLI commands, in order.
    pub commands: Vec<String>,
    /// Whether the step comes before the stacks (`true`) or after them.
    pub before_stacks: bool,
}

impl DeployStep {
    /// A step titled `title`, needed because of `why`, made of `commands`.
    pub fn new(
        title: impl Into<String>,
        why: impl Into<String>,
        commands: impl IntoIterator<Item = String>,
        before_stacks: bool,
    ) -> Self {
        DeployStep {
            title: title.into(),
            why: why.into(),
            commands: commands.into_iter().collect(),
            before_stacks,
        }
    }
}

static NEXT_APP: AtomicU32 = AtomicU32::new(1);

/// The region stacks deploy to unless [`App::set_home_region`] says otherwise: us-east-1,
/// where the events of global services (IAM, STS, console sign-in) arrive.
pub const DEFAULT_HOME_REGION: &str = "us-east-1";

/// The root of everything: stacks, constructs, quotas and the problems found while building.
///
/// ```
/// use orgstack::App;
/// use orgstack::app::CfnResource;
/// use orgstack::cfn::Resource;
///
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let topic = app.add(&stack, CfnResource::new("Alerts", Resource::new("AWS::SNS::Topic")))?;
/// assert_eq!(app.path(&topic), "Management/Alerts");
/// let assembly = app.synth()?;
/// assert!(assembly.artifact("Management").is_some());
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug)]
pub struct App {
    /// Tells this app's handles from every other app's.
    id: u32,
    pub(crate) nodes: Vec<Entry>,
    pub(crate) stacks: Vec<NodeId>,
    quotas: Quotas,
    diagnostics: Vec<Diagnostic>,
    stack_names: FastMap<String, NodeId>,
    deploy_steps: IndexMap<String, DeployStep>,
    aspects: Vec<Box<dyn Aspect>>,
    home_region: String,
    template_bucket: Option<String>,
}

impl Default for App {
    fn default() -> Self {
        App::with_quotas(Quotas::default())
    }
}

impl App {
    /// An empty app with the default [`Quotas`].
    pub fn new() -> Self {
        App::default()
    }

    /// An empty app with the given quotas.
    pub fn with_quotas(quotas: Quotas) -> Self {
        App {
            id: NEXT_APP.fetch_add(1, Ordering::Relaxed),
            nodes: Vec::new(),
            stacks: Vec::new(),
            quotas,
            diagnostics: Vec::new(),
            stack_names: FastMap::default(),
            deploy_steps: IndexMap::new(),
            aspects: Vec::new(),
            home_region: DEFAULT_HOME_REGION.to_owned(),
            template_bucket: None,
        }
    }

    /// The quotas synthesis checks against.
    pub fn quotas(&self) -> &Quotas {
        &self.quotas
    }

    /// Sets the region every stack deploys to (the deploy plan passes `--region`; StackSets
    /// without regions of their own deploy there too). An invalid name is reported at
    /// synthesis.
    pub fn set_home_region(&mut self, region: impl Into<String>) {
        let region = region.into();
        if let Err(e) = region.parse::<crate::aws::Region>() {
            self.report(e.to_diagnostic(APP_PATH));
        }
        self.home_region = region;
    }

    /// The region every stack deploys to ([`DEFAULT_HOME_REGION`] unless set).
    pub fn home_region(&self) -> &str {
        &self.home_region
    }

    /// Names the S3 bucket templates over [`INLINE_TEMPLATE_BYTES`] deploy through; without
    /// one, the deploy plan writes a placeholder and says how to create the bucket. An
    /// invalid bucket name is reported at synthesis.
    pub fn set_template_bucket(&mut self, bucket: impl Into<String>) {
        let bucket = bucket.into();
        if !is_bucket_name(&bucket) {
            self.report(Diagnostic::new(
                APP_PATH,
                Rule::PropertyValue,
                &bucket,
                "an S3 bucket name is 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "name the bucket as `aws s3 mb` would accept it, e.g. acme-cfn-templates",
            ));
        }
        self.template_bucket = Some(bucket);
    }

    /// The bucket set with [`set_template_bucket`](Self::set_template_bucket).
    pub fn template_bucket(&self) -> Option<&str> {
        self.template_bucket.as_deref()
    }

    /// Adds a top-level stack, deployed to the management account. A name that is taken
    /// or invalid is reported at synthesis.
    ///
    /// # Errors
    /// None today; the `Result` leaves room for problems that cannot wait.
    pub fn stack(&mut self, name: impl Into<String>) -> Result<StackHandle> {
        let name = name.into();
        let id = self.next_id();
        let taken = self.stack_names.contains_key(&name);
        // A stack's path is its name; a blank one is reported at the app.
        let path = if name.trim().is_empty() {
            APP_PATH.to_owned()
        } else {
            name.clone()
        };
        if taken {
            self.report(Diagnostic::new(
                path,
                Rule::DuplicateId,
                &name,
                "a stack of that name already exists in the app",
                "give every stack its own name",
            ));
        } else if let Err(e) = name.parse::<crate::aws::StackName>() {
            self.report(e.to_diagnostic(path));
        }
        self.nodes.push(Entry {
            id: name.clone(),
            parent: None,
            stack: (!taken).then_some(id),
            children: IndexMap::default(),
            kind: NodeKind::Stack(Box::new(StackData {
                split: true,
                ..StackData::default()
            })),
            logical_id: None,
        });
        if !taken {
            self.stacks.push(id);
            self.stack_names.insert(name, id);
        }
        Ok(StackHandle(id))
    }

    /// Adds `construct` under `parent` and returns its handle: the one way constructs —
    /// the library's, layouts and your own ([`Construct`]) — are added.
    ///
    /// A duplicate id, an invalid id or a parent from another app is reported at synthesis
    /// with every other problem; the construct is then left out of the templates.
    ///
    /// # Errors
    /// What the construct's [`Construct::build`] returns.
    pub fn add<P: ?Sized, C: Construct<P>>(
        &mut self,
        parent: &P,
        construct: C,
    ) -> Result<C::Handle> {
        construct.build(self, parent)
    }

    /// Sets a stack's template `Description` (at most 1,024 bytes; a longer one is
    /// reported at synthesis).
    pub fn set_stack_description(&mut self, stack: &StackHandle, description: impl Into<String>) {
        if let Some(data) = self.stack_data_mut(stack.0, "set_stack_description") {
            data.description = Some(description.into());
        }
    }

    /// Turns stack splitting on or off for a top-level stack (on by default). With it on, a
    /// stack that would outgrow its quotas spreads its movable units (see [`Spill`]) over
    /// additional stacks: OUs to `<stack>-Units-NNN`, accounts (with what belongs to them) to
    /// `<stack>-Accounts-NNN`, each group in declaration order. The stack keeps a share of
    /// each group that does not depend on what else it holds, so appending units, or adding
    /// anything else to the stack, never moves an existing unit. A unit inserted before
    /// others may shift the ones after it: add accounts and OUs after the existing ones.
    pub fn set_stack_splitting(&mut self, stack: &StackHandle, enabled: bool) {
        if let Some(data) = self.stack_data_mut(stack.0, "set_stack_splitting") {
            data.split = enabled;
        }
    }

    /// Adds an output to a stack; [`CfnOutput`] does the same as a construct, with the
    /// name, value, description and export in one builder. A name already taken, one that is not
    /// `[A-Za-z0-9]{1,255}`, or one starting with `Export` (kept for the outputs synthesis
    /// adds to export values between stacks) is reported at synthesis, and so is an export
    /// name another output of the account already exports.
    pub fn add_output(&mut self, stack: &StackHandle, name: impl Into<String>, output: Output) {
        let name = name.into();
        let path = self.path(stack);
        let Some(data) = self.stack_data_mut(stack.0, "add_output") else {
            return;
        };
        if data.outputs.contains_key(&name) {
            self.report(Diagnostic::new(
                path,
                Rule::DuplicateId,
                &name,
                "the stack already has an output of that name",
                "give every output its own name",
            ));
        } else {
            data.outputs.insert(name, output);
        }
    }

    /// Pins the logical ID of a resource or parameter, overriding the one derived from its
    /// path: the escape hatch for adopting resources whose logical IDs already exist.
    /// An invalid ID or a collision is reported at synthesis.
    pub fn pin_logical_id(&mut self, node: &impl Scope, logical_id: impl Into<String>) {
        let n = node.node();
        if self.owns(n, "pin_logical_id") {
            if let Some(e) = self.entry_mut(n) {
                e.logical_id = Some(logical_id.into());
            }
        }
    }

    /// Makes `resource` wait for `dependency` (`DependsOn`). Across top-level stacks this
    /// becomes an ordering of the stacks.
    pub fn add_dependency(&mut self, resource: &impl Scope, dependency: &impl Scope) {
        let dep = dependency.node();
        let at = self.path(resource);
        if !self.owns_at(dep, "add_dependency (the dependency)", &at)
            || self.resource_node(dep).is_none()
        {
            return;
        }
        if let Some(data) = self.resource_node_mut(resource.node(), "add_dependency") {
            if !data.depends_on.contains(&dep) {
                data.depends_on.push(dep);
            }
        }
    }

    /// Chains this resource with every other resource of the same `group` in its template,
    /// in declaration order (`DependsOn` on the previous one). Used for resources AWS
    /// refuses to create concurrently, such as accounts.
    pub fn set_serial_group(&mut self, resource: &impl Scope, group: &'static str) {
        self.set_bounded_group(resource, group, 1);
    }

    /// Lets at most `width` resources of `group` be created at once in each template: each
    /// waits (`DependsOn`) for the one `width` places before it in declaration order, which
    /// adds no dependency to a template with `width` of them or fewer and changes no
    /// logical ID. Used for resources whose API rejects bursts (Organizations OUs and
    /// policies). A width of 0 counts as 1.
    pub fn set_bounded_group(&mut self, resource: &impl Scope, group: &'static str, width: u16) {
        if let Some(data) = self.resource_node_mut(resource.node(), "set_bounded_group") {
            data.serial_group = Some((group, width.max(1)));
        }
    }

    /// Marks a resource (and the constructs below it) as a unit stack splitting may place
    /// in an overflow stack as a whole, and says how (see [`Spill`]).
    pub fn set_movable(&mut self, resource: &impl Scope, spill: Spill) {
        if let Some(data) = self.resource_node_mut(resource.node(), "set_movable") {
            data.movable = Some(spill);
        }
    }

    /// Puts a resource of a top-level stack in that stack's bootstrap stack
    /// (`<stack>-Bootstrap`), deployed first, before the plan's prerequisites: for what the
    /// prerequisites need to exist (the organization).
    pub(crate) fn set_bootstrap(&mut self, resource: &impl Scope) {
        if let Some(data) = self.resource_node_mut(resource.node(), "set_bootstrap") {
            data.bootstrap = true;
        }
    }

    /// The escape hatch to raw CloudFormation: the resource behind a handle, to change or
    /// add properties a construct does not expose.
    ///
    /// For a resource written by hand this is the resource itself. For a construct of the
    /// library it is an override on top of what the construct lowers to at synthesis:
    /// properties and metadata set here replace the construct's by name, policies and the
    /// condition replace its own when set. Either way, the result is validated like any
    /// other resource.
    pub fn resource_mut(&mut self, resource: &impl Scope) -> Option<&mut Resource> {
        let data = self.resource_node_mut(resource.node(), "resource_mut")?;
        Some(match &mut data.body {
            Body::Raw(r) => r,
            Body::Typed {
                construct,
                overrides,
            } => {
                overrides.get_or_insert_with(|| Box::new(Resource::new(construct.resource_type())))
            }
        })
    }

    /// The resource behind a handle as it will be rendered (before references are
    /// resolved): for a construct of the library, what it lowers to with any overrides.
    pub fn resource(&self, resource: &impl Scope) -> Option<Resource> {
        let data = self.resource_node(resource.node())?;
        Some(match &data.body {
            Body::Raw(r) => r.clone(),
            Body::Typed {
                construct,
                overrides,
            } => {
                let lowered = construct.lower();
                match overrides {
                    Some(o) => tree::apply_overrides(lowered, o),
                    None => lowered,
                }
            }
        })
    }

    /// Records a problem with user input, reported by the next synthesis together with
    /// every other problem.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Adds a step to the deploy plan; a step whose title is already there is not repeated.
    pub fn add_deploy_step(&mut self, step: DeployStep) {
        self.deploy_steps.entry(step.title.clone()).or_insert(step);
    }

    /// The deploy plan's steps, in the order they were added.
    pub fn deploy_steps(&self) -> impl Iterator<Item = &DeployStep> {
        self.deploy_steps.values()
    }

    /// The construct's path, e.g. `Management/Organization/Workloads`; for a handle of
    /// another app, a description of it.
    pub fn path(&self, node: &impl Scope) -> String {
        let n = node.node();
        if n.app != self.id {
            return foreign(n);
        }
        let mut parts = Vec::new();
        let mut cur = Some(n);
        while let Some(e) = cur.and_then(|n| self.nodes.get(n.index())) {
            parts.push(e.id.as_str());
            cur = e.parent;
        }
        parts.reverse();
        parts.join("/")
    }

    /// The construct's id (the last part of its path).
    pub fn id_of(&self, node: &impl Scope) -> Option<&str> {
        self.entry(node.node()).map(|n| n.id.as_str())
    }

    /// The construct's parent, if any.
    pub fn parent_of(&self, node: &impl Scope) -> Option<NodeId> {
        self.entry(node.node()).and_then(|n| n.parent)
    }

    /// The stack the construct belongs to.
    pub fn stack_of(&self, node: &impl Scope) -> Option<StackHandle> {
        self.entry(node.node())
            .and_then(|n| n.stack)
            .map(StackHandle)
    }

    /// The child of `parent` with the given id.
    pub fn child(&self, parent: &impl Scope, id: &str) -> Option<NodeId> {
        self.entry(parent.node())
            .and_then(|n| n.children.get(id).copied())
    }

    /// The top-level stacks, in the order they were added.
    pub fn stacks(&self) -> impl Iterator<Item = StackHandle> + '_ {
        self.stacks.iter().map(|s| StackHandle(*s))
    }
}

/// S3's bucket naming rules (general purpose buckets).
fn is_bucket_name(b: &str) -> bool {
    let edge = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
        && edge(b.bytes().next())
        && edge(b.bytes().last())
        && !b.contains("..")
}

/// The path of problems of the app as a whole (its settings, a handle it was given that
/// is none of its constructs'): the root every construct path starts below.
pub(crate) const APP_PATH: &str = "App";

/// How a handle of another app is named in a diagnostic.
pub(crate) fn foreign(n: NodeId) -> String {
    format!("construct #{} of another App (app #{})", n.index, n.app)
}

/// The hint of every diagnostic about a handle of another app.
pub(crate) const FOREIGN_HINT: &str =
    "use the handles this app returned; a handle of one App means nothing in another";

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(app: &App) -> Vec<Rule> {
        app.diagnostics().iter().map(|d| d.rule).collect()
    }

    #[test]
    fn duplicate_ids_are_reported_with_the_rest() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        app.add(&s, Subtree::new("A")).unwrap();
        let dup = app.add(&s, Subtree::new("A")).unwrap();
        app.stack("Main").unwrap();
        assert_eq!(rules(&app), [Rule::DuplicateId, Rule::DuplicateId]);
        assert_eq!(app.diagnostics()[0].path, "Main/A");
        // The duplicate is kept out of the tree.
        assert_eq!(app.stack_of(&dup), None);
        assert_eq!(app.stacks().count(), 1);
    }

    #[test]
    fn ids_with_slashes_are_reported() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        app.add(&s, Subtree::new("a/b")).unwrap();
        app.add(&s, Subtree::new("")).unwrap();
        assert_eq!(rules(&app), [Rule::InvalidId, Rule::InvalidId]);
    }

    #[test]
    fn paths_join_ids() {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        let a = app.add(&s, Subtree::new("Org")).unwrap();
        let r = app
            .add(
                &a,
                CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
            )
            .unwrap();
        assert_eq!(app.path(&r), "Main/Org/Topic");
        assert_eq!(app.stack_of(&r), Some(s));
        assert_eq!(app.child(&a, "Topic"), Some(r.node()));
    }

    #[test]
    fn stack_names_are_checked() {
        let mut app = App::new();
        app.stack("Org-Accounts-2").unwrap();
        app.stack("bad_name").unwrap();
        assert_eq!(rules(&app), [Rule::StackName]);
    }

    #[test]
    fn handles_of_another_app_are_reported_not_followed() {
        let mut a = App::new();
        let mut b = App::new();
        let sa = a.stack("A").unwrap();
        let _sb = b.stack("B").unwrap();
        let topic = b
            .add(&sa, CfnResource::new("T", Resource::new("AWS::SNS::Topic")))
            .unwrap();
        assert_eq!(rules(&b), [Rule::ForeignHandle]);
        assert_eq!(b.stack_of(&topic), None);
        assert!(a.resource_mut(&topic).is_none());
        assert!(b.path(&sa).contains("another App"));
    }
}
