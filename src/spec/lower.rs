//! Lowering a spec onto the constructs, in a fixed order — the layout, OUs, accounts,
//! existing accounts, policies, grants, StackSets — so a Rust program that adds the same
//! constructs in the same order writes the same bytes.
//!
//! Every construct added is recorded with the JSON path it came from (`sources`), so a
//! problem found at synthesis still names its place in the spec.

use indexmap::IndexMap;

use crate::app::{App, Assembly, Scope, StackHandle};
use crate::error::{Diagnostic, Error, Rule};
use crate::layouts::{AccessLevel, FiveAccountLayout, Grant, GrantTarget, AUDITOR};
use crate::org::{
    Account, AccountHandle, Organization, OrganizationHandle, OrganizationalUnit, OuHandle, Parent,
    Policy, PolicyTarget, PolicyTargetRef, PolicyType,
};
use crate::Quotas;

use super::error::SpecError;
use super::layout::builder;
use super::policy::{self, child};
use super::sources::{Kind, LayoutFacts, OuSource, Sources};
use super::stack_sets::add_stack_sets;
use super::types::*;

/// A spec lowered onto an [`App`]: synthesize it here to get every problem with its JSON
/// path, or take the app to extend it in Rust.
#[derive(Debug)]
pub struct SpecApp {
    app: App,
    sources: Sources,
}

impl SpecApp {
    /// The app the spec lowered to.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The app, to extend it; problems of what you add have no JSON path (`$`).
    pub fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    /// The app, without the JSON paths of its constructs.
    pub fn into_app(self) -> App {
        self.app
    }

    /// Synthesizes the app, as [`App::synth`].
    ///
    /// # Errors
    /// [`SpecError::Validation`] with every problem, each with the JSON path of the value at
    /// fault as its [`source`](Diagnostic::source); [`SpecError::Synth`] if rendering fails.
    pub fn synth(&self) -> Result<Assembly, SpecError> {
        self.app.synth().map_err(|e| self.error(e))
    }

    /// Synthesizes the app and writes the assembly to `dir` atomically, as
    /// [`App::synth_to`]: nothing is written when the spec has a problem.
    ///
    /// # Errors
    /// As [`synth`](Self::synth), and [`SpecError::Synth`] if writing fails.
    pub fn synth_to(&self, dir: impl AsRef<std::path::Path>) -> Result<Assembly, SpecError> {
        self.app.synth_to(dir).map_err(|e| self.error(e))
    }

    fn error(&self, e: Error) -> SpecError {
        match e {
            Error::Validation(d) => SpecError::Validation(self.sources.attach(d.0)),
            other => SpecError::Synth(other),
        }
    }
}

/// What the spec's names refer to while lowering.
pub(crate) struct Names {
    pub(crate) stack: StackHandle,
    pub(crate) organization: OrganizationHandle,
    pub(crate) layout: Option<FiveAccountLayout>,
    pub(crate) ous: IndexMap<String, OuHandle>,
    pub(crate) accounts: IndexMap<String, AccountHandle>,
    /// Names two accounts share: they refer to neither.
    pub(crate) ambiguous: Vec<String>,
}

/// Lowers `spec` onto a new app.
pub(crate) fn lower(spec: &OrgSpec) -> Result<SpecApp, SpecError> {
    let mut sources = Sources::default();
    let mut app = match &spec.quotas {
        Some(q) => App::with_quotas(quotas(q)),
        None => App::new(),
    };
    if let Some(region) = &spec.home_region {
        app.set_home_region(region);
    }
    if let Some(bucket) = &spec.template_bucket {
        app.set_template_bucket(bucket);
    }
    let stack_name = spec.stack.as_deref().unwrap_or("Management");
    let stack = app.stack(stack_name).map_err(SpecError::Synth)?;
    let result = lower_into(spec, &mut app, stack, &mut sources);
    let lowered = SpecApp { app, sources };
    match result {
        Ok(()) => Ok(lowered),
        Err(e) => Err(lowered.error(e)),
    }
}

fn lower_into(
    spec: &OrgSpec,
    app: &mut App,
    stack: StackHandle,
    sources: &mut Sources,
) -> crate::Result<()> {
    if spec.layout.is_none() {
        sources
            .entries
            .push((app.path(&stack), "$".to_owned(), Kind::Root));
    }
    let mut scope = match &spec.layout {
        Some(l) => {
            let layout = app.add(&stack, builder(l, spec.organization.as_ref()))?;
            sources
                .entries
                .push((app.path(&stack), "$.layout".into(), Kind::Layout));
            sources.layout = Some(LayoutFacts {
                name: l.name.clone(),
                environments: layout.environment_accounts().keys().cloned().collect(),
                account_emails: l.account_emails.keys().cloned().collect(),
                log_retention_days: l.log_retention_days,
                grant_roles: l
                    .groups
                    .iter()
                    .flatten()
                    .enumerate()
                    .flat_map(|(g, group)| {
                        group
                            .grants
                            .iter()
                            .enumerate()
                            .map(move |(r, grant)| (g, r, grant.role.clone()))
                    })
                    .collect(),
            });
            let mut ous = IndexMap::new();
            ous.insert("Security".to_owned(), layout.security_ou());
            ous.insert("Infrastructure".to_owned(), layout.infrastructure_ou());
            ous.insert("Workloads".to_owned(), layout.workloads_ou());
            ous.insert("Workloads/NonProd".to_owned(), layout.non_prod_ou());
            ous.insert("Workloads/Prod".to_owned(), layout.prod_ou());
            let mut accounts = IndexMap::new();
            let fixed = [
                (crate::layouts::IDENTITY, layout.identity_account()),
                (crate::layouts::AUDIT, layout.audit_account()),
                (
                    crate::layouts::SHARED_SERVICES,
                    layout.shared_services_account(),
                ),
            ];
            for (key, handle) in fixed.into_iter().chain(
                layout
                    .environment_accounts()
                    .iter()
                    .map(|(k, h)| (k.as_str(), h)),
            ) {
                if let Some(node) = handle.node() {
                    sources.entries.push((
                        app.path(&node),
                        "$.layout".into(),
                        Kind::LayoutAccount(key.to_owned()),
                    ));
                }
                accounts.insert(key.to_owned(), handle.clone());
            }
            if spec.organization.is_some() {
                let at = "$.organization".to_owned();
                sources.add(app, &layout.organization(), at, Kind::Organization);
            }
            Names {
                stack,
                organization: layout.organization(),
                layout: Some(layout),
                ous,
                accounts,
                ambiguous: Vec::new(),
            }
        }
        None => {
            let organization = match &spec.organization {
                Some(OrganizationSpec::Existing {
                    root_id,
                    organization_id,
                    full_aws_access_attached,
                }) => Organization::existing(root_id, organization_id)
                    .full_aws_access_attached(full_aws_access_attached.unwrap_or(true)),
                _ => Organization::create(),
            };
            let organization = app.add(&stack, organization)?;
            sources.add(
                app,
                &organization,
                "$.organization".into(),
                Kind::Organization,
            );
            Names {
                stack,
                organization,
                layout: None,
                ous: IndexMap::new(),
                accounts: IndexMap::new(),
                ambiguous: Vec::new(),
            }
        }
    };
    add_ous(spec, app, &mut scope, sources)?;
    add_accounts(spec, app, &mut scope, sources)?;
    add_policies(spec, app, &scope, sources)?;
    add_grants(spec, app, &scope);
    add_stack_sets(spec, app, &scope, sources)?;
    Ok(())
}

fn quotas(q: &QuotasSpec) -> Quotas {
    let mut out = Quotas::default();
    let set = |field: &mut usize, v: Option<usize>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut out.resources_per_template, q.resources_per_template);
    set(&mut out.template_bytes, q.template_bytes);
    set(&mut out.template_body_bytes, q.template_body_bytes);
    set(&mut out.parameters_per_template, q.parameters_per_template);
    set(&mut out.outputs_per_template, q.outputs_per_template);
    set(&mut out.ou_depth, q.ou_depth);
    set(&mut out.trust_policy_size, q.trust_policy_size);
    set(&mut out.managed_policy_size, q.managed_policy_size);
    set(
        &mut out.managed_policies_per_identity,
        q.managed_policies_per_identity,
    );
    set(&mut out.role_inline_policy_size, q.role_inline_policy_size);
    set(
        &mut out.group_inline_policy_size,
        q.group_inline_policy_size,
    );
    for (ty, pq) in &q.policies {
        let quota = out.policy_mut(&PolicyType::from(ty.as_str()));
        set(&mut quota.size, pq.size);
        set(&mut quota.per_target, pq.per_target);
    }
    out
}

/// Reports a name of the spec that refers to nothing.
pub(crate) fn unresolved(
    app: &mut App,
    at: &impl Scope,
    source: String,
    what: &str,
    name: &str,
    known: &str,
) {
    let path = app.path(at);
    app.report(
        Diagnostic::new(
            path,
            Rule::UnresolvedReference,
            name,
            format!("no {what} of that name is defined"),
            format!("refer to one the spec defines: {known}"),
        )
        .with_source(source),
    );
}

pub(crate) fn known(names: impl Iterator<Item = impl AsRef<str>>) -> String {
    let list: Vec<String> = names.map(|n| format!("`{}`", n.as_ref())).collect();
    if list.is_empty() {
        "none is defined yet".to_owned()
    } else {
        list.join(", ")
    }
}

fn duplicate(app: &mut App, at: &impl Scope, source: String, what: &str, name: &str) {
    let path = app.path(at);
    app.report(
        Diagnostic::new(
            path,
            Rule::DuplicateId,
            name,
            format!("the spec defines two {what}s of that name"),
            "give each its own name",
        )
        .with_source(source),
    );
}

impl Names {
    pub(crate) fn ou(&self, app: &mut App, path: &str, source: String) -> Option<OuHandle> {
        let found = self.ous.get(path).copied();
        if found.is_none() {
            let list = known(self.ous.keys());
            unresolved(app, &self.stack, source, "organizational unit", path, &list);
        }
        found
    }

    fn parent(&self, app: &mut App, path: Option<&str>, source: String) -> Option<Parent> {
        match path {
            None => Some(Parent::Root(self.organization)),
            Some(p) => self.ou(app, p, source).map(Parent::Ou),
        }
    }

    /// An account by name or key, or an existing one by its 12-digit id.
    pub(crate) fn account(
        &self,
        app: &mut App,
        name: &str,
        source: String,
    ) -> Option<AccountHandle> {
        if self.ambiguous.iter().any(|n| n == name) {
            let path = app.path(&self.stack);
            app.report(
                Diagnostic::new(
                    path,
                    Rule::UnresolvedReference,
                    name,
                    "two accounts of the spec have that name",
                    "refer to one by its `id` or the id it adopts",
                )
                .with_source(source),
            );
            return None;
        }
        if let Some(a) = self.accounts.get(name) {
            return Some(a.clone());
        }
        if name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Account::existing(name));
        }
        let list = known(self.accounts.keys());
        unresolved(
            app,
            &self.stack,
            source,
            "account",
            name,
            &format!("{list}, or a 12-digit id"),
        );
        None
    }
}

fn add_ous(
    spec: &OrgSpec,
    app: &mut App,
    scope: &mut Names,
    sources: &mut Sources,
) -> crate::Result<()> {
    // The path of each OU the spec gives an id, by that id.
    let mut aliases: IndexMap<String, String> = IndexMap::new();
    for (i, ou) in spec.organizational_units.iter().enumerate() {
        let at = format!("$.organizational_units[{i}]");
        // Under an unknown parent, the OU is added under the root all the same, so that its
        // own problems, and those of what goes under it, are reported too.
        let parent = scope
            .parent(app, ou.parent.as_deref(), child(&at, "parent"))
            .unwrap_or(Parent::Root(scope.organization));
        // A parent given by id has the path it was defined at.
        let path = match &ou.parent {
            Some(p) => format!("{}/{}", aliases.get(p).unwrap_or(p), ou.name),
            None => ou.name.clone(),
        };
        let own_id = ou.adopt.as_ref().or(ou.existing.as_ref());
        // What exists is named by its id when its path is taken (a name holding a `/`).
        if scope.ous.contains_key(&path) && own_id.is_none() {
            duplicate(
                app,
                &parent,
                child(&at, "name"),
                "organizational unit",
                &path,
            );
            continue;
        }
        let (construct, source) = match (&ou.adopt, &ou.existing) {
            (Some(id), Some(_)) => {
                let path = app.path(&parent);
                app.report(
                    Diagnostic::new(
                        path,
                        Rule::OuId,
                        id,
                        "an OU is either adopted (`adopt`) or only referenced (`existing`), not both",
                        "keep `adopt` to let CloudFormation manage it, `existing` to only refer to it",
                    )
                    .with_source(child(&at, "existing")),
                );
                continue;
            }
            (Some(id), None) => (
                OrganizationalUnit::new(&ou.name).adopt(id),
                OuSource::Adopted,
            ),
            (None, Some(id)) => (
                OrganizationalUnit::existing(&ou.name, id),
                OuSource::Existing,
            ),
            (None, None) => (OrganizationalUnit::new(&ou.name), OuSource::New),
        };
        let mut construct = construct;
        for (k, v) in &ou.tags {
            construct = construct.tag(k, v);
        }
        let handle = app.add(&parent, construct)?;
        sources.add(app, &handle, at, Kind::Ou(source));
        // What exists may also be referred to by its id.
        if let Some(id) = own_id {
            scope.ous.entry(id.clone()).or_insert(handle);
            aliases.insert(id.clone(), path.clone());
        }
        scope.ous.entry(path).or_insert(handle);
    }
    Ok(())
}

fn add_accounts(
    spec: &OrgSpec,
    app: &mut App,
    scope: &mut Names,
    sources: &mut Sources,
) -> crate::Result<()> {
    // The construct id each account name was first given with.
    let mut ids: IndexMap<String, Option<String>> = IndexMap::new();
    for (i, a) in spec.accounts.iter().enumerate() {
        let at = format!("$.accounts[{i}]");
        let parent = scope
            .parent(app, a.ou.as_deref(), child(&at, "ou"))
            .unwrap_or(Parent::Root(scope.organization));
        // Two accounts may share a name if each has an id of its own (organizations
        // allow it); the name then refers to neither.
        let construct_id = a.id.as_deref().unwrap_or(&a.name);
        let shared = scope.accounts.contains_key(&a.name) || scope.ambiguous.contains(&a.name);
        if shared {
            let first_has_other_id = ids.get(&a.name).is_some_and(|first| {
                first.as_deref().is_some_and(|f| f != construct_id) && a.id.is_some()
            });
            if !first_has_other_id {
                duplicate(app, &parent, child(&at, "name"), "account", &a.name);
                continue;
            }
        }
        let mut construct = Account::new(&a.name, &a.email);
        if let Some(id) = &a.adopt {
            construct = construct.adopt(id);
        }
        if let Some(id) = &a.id {
            construct = construct.id(id);
        }
        if let Some(r) = &a.role_name {
            construct = construct.role_name(r);
        }
        for (k, v) in &a.tags {
            construct = construct.tag(k, v);
        }
        let handle = app.add(&parent, construct)?;
        if let Some(node) = handle.node() {
            sources.add(
                app,
                &node,
                at,
                Kind::Account {
                    has_id: a.id.is_some(),
                },
            );
        }
        if shared {
            scope.accounts.shift_remove(&a.name);
            if !scope.ambiguous.contains(&a.name) {
                scope.ambiguous.push(a.name.clone());
            }
        } else {
            ids.insert(a.name.clone(), a.id.clone());
            scope.accounts.insert(a.name.clone(), handle.clone());
        }
        // What exists may also be referred to by its id.
        if let Some(id) = &a.adopt {
            scope.accounts.entry(id.clone()).or_insert(handle);
        }
    }
    for (i, e) in spec.existing_accounts.iter().enumerate() {
        let at = format!("$.existing_accounts[{i}]");
        if scope.accounts.contains_key(&e.key) || scope.ambiguous.contains(&e.key) {
            duplicate(app, &scope.stack, child(&at, "key"), "account", &e.key);
            continue;
        }
        if let Err(err) = e.id.parse::<crate::aws::AccountId>() {
            let path = app.path(&scope.stack);
            app.report(err.to_diagnostic(path).with_source(child(&at, "id")));
            continue;
        }
        scope
            .accounts
            .insert(e.key.clone(), Account::existing(e.id.as_str()));
    }
    Ok(())
}

/// Reports the problems of a policy document; `None` if it has any.
pub(crate) fn document(
    app: &mut App,
    at: &impl Scope,
    json: &super::Json,
    source: &str,
) -> Option<crate::iam::PolicyDocument> {
    let mut problems = Vec::new();
    let doc = policy::document(json.value(), source, &mut problems);
    let path = app.path(at);
    for p in problems {
        app.report(
            Diagnostic::new(
                path.clone(),
                Rule::PolicyDocument,
                &p.value,
                p.message,
                "write the document in AWS's policy grammar as orgstack writes it",
            )
            .with_source(p.path),
        );
    }
    doc
}

fn add_policies(
    spec: &OrgSpec,
    app: &mut App,
    scope: &Names,
    sources: &mut Sources,
) -> crate::Result<()> {
    for (i, p) in spec.policies.iter().enumerate() {
        let at = format!("$.policies[{i}]");
        let policy_type = p
            .policy_type
            .as_deref()
            .map_or(PolicyType::ServiceControlPolicy, PolicyType::from);
        // A type this version does not know is far likelier a typo in a spec than a new
        // type; CloudFormation would refuse it at deploy.
        // What exists is taken as it is, whatever its type.
        if let (PolicyType::Other(t), None) = (&policy_type, &p.adopt) {
            let path = app.path(&scope.organization);
            let known = PolicyType::KNOWN
                .iter()
                .map(PolicyType::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            app.report(
                Diagnostic::new(
                    path,
                    Rule::PropertyValue,
                    t,
                    "not a policy type of AWS::Organizations::Policy",
                    format!("use one of {known}"),
                )
                .with_source(child(&at, "type")),
            );
            continue;
        }
        let mut construct = if p.adopt.is_some() {
            // The content as Organizations returns it: only its size is checked.
            Policy::json(&p.name, policy_type, p.document.value().clone())
        } else if policy_type.is_authorization() {
            match document(
                app,
                &scope.organization,
                &p.document,
                &child(&at, "document"),
            ) {
                Some(doc) => Policy::of_type(&p.name, policy_type, doc),
                None => continue,
            }
        } else {
            Policy::management(&p.name, policy_type, p.document.value().clone())
        };
        if let Some(id) = &p.id {
            construct = construct.id(id);
        }
        if let Some(d) = &p.description {
            construct = construct.description(d);
        }
        if let Some(id) = &p.adopt {
            construct = construct.adopt(id);
        }
        let handle = app.add(&scope.organization, construct)?;
        sources.add(app, &handle, at.clone(), Kind::Policy);
        if p.adopt.is_none() && !p.adopted_targets.is_empty() {
            let path = app.path(&handle);
            app.report(
                Diagnostic::new(
                    path,
                    Rule::AdoptedReference,
                    &p.name,
                    "only a policy that is adopted has attachments that exist",
                    "give the policy's id in `adopt`, or list new attachments in `targets`",
                )
                .with_source(child(&at, "adopted_targets")),
            );
        }
        let adopted = p.adopt.is_some();
        let attachments = p
            .adopted_targets
            .iter()
            .enumerate()
            .filter(|_| adopted)
            .map(|(j, t)| (format!("{}[{j}]", child(&at, "adopted_targets")), t, true))
            .chain(
                p.targets
                    .iter()
                    .enumerate()
                    .map(|(j, t)| (format!("{}[{j}]", child(&at, "targets")), t, false)),
            );
        for (source, t, exists) in attachments {
            let attach = |app: &mut App, target: &dyn PolicyTarget| {
                if exists {
                    handle.adopt_attachment(app, &Target(target));
                } else {
                    handle.attach(app, &Target(target));
                }
            };
            match t {
                PolicyTargetSpec::Root => attach(app, &scope.organization),
                PolicyTargetSpec::Ou(path) => {
                    if let Some(ou) = scope.ou(app, path, source) {
                        attach(app, &ou);
                    }
                }
                PolicyTargetSpec::Account(name) => {
                    if let Some(a) = scope.account(app, name, source) {
                        attach(app, &a);
                    }
                }
            }
        }
    }
    Ok(())
}

/// A policy target behind a reference, for code that takes either kind of attachment.
struct Target<'a>(&'a dyn PolicyTarget);

impl PolicyTarget for Target<'_> {
    fn policy_target(&self) -> PolicyTargetRef {
        self.0.policy_target()
    }
}

fn add_grants(spec: &OrgSpec, app: &mut App, scope: &Names) {
    for (i, g) in spec.grants.iter().enumerate() {
        let at = format!("$.grants[{i}]");
        let Some(layout) = &scope.layout else {
            let path = app.path(&scope.stack);
            app.report(
                Diagnostic::new(
                    path,
                    Rule::UnresolvedReference,
                    &g.group,
                    "grants are for the groups of the layout, and the spec has no `layout`",
                    "add a `layout`, or give access with roles in `stack_sets`",
                )
                .with_source(at),
            );
            continue;
        };
        if !layout.groups().contains_key(&g.group) {
            let list = known(layout.groups().keys());
            unresolved(
                app,
                &scope.stack,
                child(&at, "group"),
                "group",
                &g.group,
                &list,
            );
            continue;
        }
        let roles = roles_of(spec);
        if !roles.contains(&g.role) {
            let list = known(roles.iter());
            unresolved(
                app,
                &scope.stack,
                child(&at, "role"),
                "role",
                &g.role,
                &list,
            );
            continue;
        }
        let mut targets = Vec::new();
        let mut ok = true;
        for (j, t) in g.targets.iter().enumerate() {
            let source = format!("{}[{j}]", child(&at, "targets"));
            let target = match t {
                GrantTargetSpec::NonProd => Some(GrantTarget::NonProd),
                GrantTargetSpec::Prod => Some(GrantTarget::Prod),
                GrantTargetSpec::SharedServices => Some(GrantTarget::SharedServices),
                GrantTargetSpec::Audit => Some(GrantTarget::Audit),
                GrantTargetSpec::Ou(p) => scope.ou(app, p, source).map(GrantTarget::Ou),
                GrantTargetSpec::Account(a) => {
                    scope.account(app, a, source).map(GrantTarget::Account)
                }
            };
            match target {
                Some(t) => targets.push(t),
                None => ok = false,
            }
        }
        if ok {
            layout.grant(app, &g.group, Grant::new(&g.role, targets));
        }
    }
}

/// The roles grants may name: the access levels' (given or default) and the auditors'.
fn roles_of(spec: &OrgSpec) -> Vec<String> {
    let levels = match spec.layout.as_ref().and_then(|l| l.access_levels.as_ref()) {
        Some(levels) => levels.iter().map(|l| l.role.clone()).collect(),
        None => AccessLevel::defaults()
            .into_iter()
            .map(|l| l.role_name)
            .collect::<Vec<_>>(),
    };
    levels.into_iter().chain([AUDITOR.to_owned()]).collect()
}
