//! Lowering a spec onto the constructs, in a fixed order — the layout, OUs, accounts,
//! existing accounts, policies, grants, StackSets — so a Rust program that adds the same
//! constructs in the same order writes the same bytes.
//!
//! Every construct added is recorded with the JSON path it came from; a diagnostic of the
//! app is given the JSON path of the closest construct above it (and, by its rule, the
//! field), so a problem found at synthesis still names its place in the spec.

use indexmap::IndexMap;

use crate::app::{App, Assembly, Scope, StackHandle};
use crate::error::{Diagnostic, Diagnostics, Error, Rule};
use crate::iam::{Group, ManagedPolicy, ManagedPolicyHandle, ManagedPolicyRef, Role};
use crate::layouts::{
    AccessLevel, Environment, FiveAccountLayout, FiveAccountLayoutBuilder, Grant, GrantTarget,
    Guardrails, KmsKey, ObjectLock, AUDITOR,
};
use crate::org::{
    Account, AccountHandle, Organization, OrganizationHandle, OrganizationalUnit, OuHandle, Parent,
    Policy, PolicyType,
};
use crate::stackset::{AccountFilter, StackSet};
use crate::Quotas;

use super::error::SpecError;
use super::policy::{self, child};
use super::types::*;

/// The construct paths of what a spec added, with the JSON path each came from.
#[derive(Debug, Clone, Default)]
struct Sources {
    entries: Vec<(String, String, Kind)>,
    layout: Option<LayoutFacts>,
}

/// What a construct is, to point a diagnostic at the field its rule is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Root,
    Organization,
    Layout,
    LayoutAccount(String),
    Ou,
    Account {
        /// Whether the spec gives the construct id (else it is the name).
        has_id: bool,
    },
    Policy,
    StackSet,
    ManagedPolicy,
    Group,
    Role,
}

/// What the layout's diagnostics are matched against.
#[derive(Debug, Clone, Default)]
struct LayoutFacts {
    name: String,
    environments: Vec<String>,
    account_emails: Vec<String>,
    log_retention_days: Option<u32>,
    grant_roles: Vec<(usize, usize, String)>,
}

impl Sources {
    fn add(&mut self, app: &App, node: &impl Scope, json: String, kind: Kind) {
        self.entries.push((app.path(node), json, kind));
    }

    /// The JSON path diagnostic `d` is about: that of the closest construct at or above
    /// its construct path, and, by its rule, the field. Of constructs added twice at one
    /// path, the `nth` duplicate-id diagnostic there is about the `nth` one added again.
    fn source_of(&self, d: &Diagnostic, nth: usize) -> String {
        let under = |p: &str| {
            d.path == p || (d.path.starts_with(p) && d.path.as_bytes().get(p.len()) == Some(&b'/'))
        };
        if d.path == "(app)" {
            return match d.rule {
                Rule::Region => "$.home_region".to_owned(),
                Rule::PropertyValue => "$.template_bucket".to_owned(),
                _ => "$".to_owned(),
            };
        }
        let Some(longest) = self
            .entries
            .iter()
            .filter(|(p, _, _)| under(p))
            .map(|(p, _, _)| p.len())
            .max()
        else {
            return "$".to_owned();
        };
        let mut same = self
            .entries
            .iter()
            .filter(|(p, _, _)| p.len() == longest && under(p));
        let best = if d.rule == Rule::DuplicateId {
            let all: Vec<_> = same.collect();
            all.get(nth + 1).or(all.last()).copied()
        } else {
            same.next()
        };
        let Some((at, json, kind)) = best else {
            return "$".to_owned();
        };
        if d.rule == Rule::StackName || (d.rule == Rule::DuplicateId && d.path == d.value) {
            return "$.stack".to_owned();
        }
        let field = match kind {
            Kind::Layout => return self.layout_field(json, d),
            Kind::LayoutAccount(key) => {
                return match (d.rule, &self.layout) {
                    (Rule::AccountEmail | Rule::DuplicateEmail, Some(l))
                        if l.account_emails.contains(key) =>
                    {
                        child(&child(json, "account_emails"), key)
                    }
                    (Rule::AccountEmail | Rule::DuplicateEmail, _) => child(json, "email_domain"),
                    (Rule::AccountName, _) => child(json, "name"),
                    _ => json.clone(),
                }
            }
            Kind::Root => None,
            Kind::Organization => match d.rule {
                Rule::RootId => Some("existing.root_id"),
                Rule::OrganizationId => Some("existing.organization_id"),
                _ => None,
            },
            Kind::Ou => match d.rule {
                Rule::OuName | Rule::DuplicateId | Rule::InvalidId => Some("name"),
                Rule::Tag => Some("tags"),
                _ => None,
            },
            Kind::Account { has_id } => match d.rule {
                Rule::AccountEmail | Rule::DuplicateEmail => Some("email"),
                Rule::DuplicateId | Rule::InvalidId if *has_id => Some("id"),
                Rule::AccountName | Rule::DuplicateId | Rule::InvalidId => Some("name"),
                Rule::AccountRoleName => Some("role_name"),
                Rule::Tag => Some("tags"),
                Rule::OuDepth => Some("ou"),
                _ => None,
            },
            Kind::Policy => match d.rule {
                Rule::PolicyName | Rule::DuplicateId | Rule::DuplicateName => Some("name"),
                Rule::Description => Some("description"),
                Rule::PoliciesPerTarget | Rule::AccountId => Some("targets"),
                Rule::PolicySize
                | Rule::ScpGrammar
                | Rule::PolicyDocument
                | Rule::Action
                | Rule::Condition => Some("document"),
                _ => None,
            },
            Kind::StackSet => match d.rule {
                Rule::StackSetName | Rule::DuplicateName => Some("name"),
                Rule::DuplicateId | Rule::InvalidId => Some("id"),
                Rule::Region => Some("regions"),
                // The StackSet's own targets, not its member template's resources.
                Rule::StackSetTargets if d.path == *at => Some("targets"),
                Rule::Description => Some("description"),
                _ => None,
            },
            Kind::ManagedPolicy => match d.rule {
                Rule::IamName | Rule::DuplicateName => Some("name"),
                Rule::DuplicateId | Rule::InvalidId => Some("id"),
                Rule::IamPath => Some("path"),
                Rule::ManagedPolicySize | Rule::PolicyDocument | Rule::Action | Rule::Condition => {
                    Some("document")
                }
                _ => None,
            },
            Kind::Group => match d.rule {
                Rule::IamName | Rule::DuplicateName => Some("name"),
                Rule::DuplicateId | Rule::InvalidId => Some("id"),
                Rule::ManagedPolicyArn | Rule::ManagedPoliciesPerIdentity => {
                    Some("managed_policies")
                }
                _ => None,
            },
            Kind::Role => match d.rule {
                Rule::IamName | Rule::DuplicateName => Some("name"),
                Rule::DuplicateId | Rule::InvalidId => Some("id"),
                Rule::MaxSessionDuration => Some("max_session_duration"),
                Rule::MfaMaxAge => Some("mfa_max_age"),
                Rule::TrustPolicySize | Rule::TrustWithoutMfa | Rule::AccountId => Some("trust"),
                Rule::ManagedPoliciesPerIdentity => Some("managed_policies"),
                Rule::ManagedPolicyArn => None,
                Rule::InlinePolicySize => Some("inline_policies"),
                Rule::Tag => Some("tags"),
                Rule::Description => Some("description"),
                _ => None,
            },
        };
        match field {
            Some(f) => f
                .split('.')
                .fold(json.clone(), |path, key| child(&path, key)),
            None => json.clone(),
        }
    }

    /// The layout's field a diagnostic of the layout's settings is about.
    fn layout_field(&self, json: &str, d: &Diagnostic) -> String {
        let Some(l) = &self.layout else {
            return json.to_owned();
        };
        let field = match d.rule {
            Rule::AlertEmail => "alert_email",
            Rule::AccountEmail => "email_domain",
            Rule::UnknownKey => {
                return child(&child(json, "account_emails"), &d.value);
            }
            Rule::Region => "allowed_regions",
            Rule::MfaMaxAge => "mfa_max_age",
            Rule::ObjectLockRetention => "object_lock",
            Rule::BudgetThreshold => "budget_thresholds",
            Rule::MaxSessionDuration => "max_session_duration",
            Rule::PropertyValue => {
                if d.value == l.name {
                    "name"
                } else if let Some(i) = l.environments.iter().position(|e| *e == d.value) {
                    return format!("{}[{i}].name", child(json, "environments"));
                } else if let Some((g, r, _)) = l.grant_roles.iter().find(|(_, _, r)| *r == d.value)
                {
                    return format!("{}[{g}].grants[{r}].role", child(json, "groups"));
                } else if l.log_retention_days.map(|n| n.to_string()) == Some(d.value.clone()) {
                    "log_retention_days"
                } else {
                    return json.to_owned();
                }
            }
            _ => return json.to_owned(),
        };
        child(json, field)
    }

    /// The diagnostics, each with its JSON path.
    fn attach(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) -> Diagnostics {
        let mut duplicates: std::collections::BTreeMap<String, usize> = Default::default();
        Diagnostics(
            diagnostics
                .into_iter()
                .map(|d| match d.source {
                    Some(_) => d,
                    None => {
                        let nth = if d.rule == Rule::DuplicateId {
                            let n = duplicates.entry(d.path.clone()).or_default();
                            *n += 1;
                            *n - 1
                        } else {
                            0
                        };
                        let source = self.source_of(&d, nth);
                        d.with_source(source)
                    }
                })
                .collect(),
        )
    }
}

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
struct Scope2 {
    stack: StackHandle,
    organization: OrganizationHandle,
    layout: Option<FiveAccountLayout>,
    ous: IndexMap<String, OuHandle>,
    accounts: IndexMap<String, AccountHandle>,
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
            Scope2 {
                stack,
                organization: layout.organization(),
                layout: Some(layout),
                ous,
                accounts,
            }
        }
        None => {
            let organization = match &spec.organization {
                Some(OrganizationSpec::Existing {
                    root_id,
                    organization_id,
                }) => Organization::existing(root_id, organization_id),
                _ => Organization::create(),
            };
            let organization = app.add(&stack, organization)?;
            sources.add(
                app,
                &organization,
                "$.organization".into(),
                Kind::Organization,
            );
            Scope2 {
                stack,
                organization,
                layout: None,
                ous: IndexMap::new(),
                accounts: IndexMap::new(),
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

/// The layout's builder with the settings the spec gives; the others keep the defaults.
fn builder(l: &LayoutSpec, organization: Option<&OrganizationSpec>) -> FiveAccountLayoutBuilder {
    let mut b = FiveAccountLayout::builder(&l.name);
    if let Some(d) = &l.email_domain {
        b = b.email_domain(d);
    }
    for (key, email) in &l.account_emails {
        b = b.account_email(key, email);
    }
    if let Some(OrganizationSpec::Existing {
        root_id,
        organization_id,
    }) = organization
    {
        b = b.existing_organization(root_id, organization_id);
    }
    if let Some(envs) = &l.environments {
        b = b.environments(envs.iter().map(|e| {
            if e.production {
                Environment::prod(&e.name)
            } else {
                Environment::non_prod(&e.name)
            }
        }));
    }
    if let Some(r) = &l.allowed_regions {
        b = b.allowed_regions(r.iter().map(String::as_str));
    }
    if let Some(e) = &l.alert_email {
        b = b.alert_email(e);
    }
    if let Some(levels) = &l.access_levels {
        b = b.access_levels(
            levels
                .iter()
                .map(|a| AccessLevel::new(&a.role, &a.managed_policy)),
        );
    }
    if let Some(groups) = &l.groups {
        b = b.groups(groups.iter().map(|g| {
            crate::layouts::GroupSpec::new(
                &g.name,
                g.grants.iter().map(|grant| {
                    Grant::new(
                        &grant.role,
                        grant.targets.iter().map(|t| match t {
                            LayoutPart::NonProd => GrantTarget::NonProd,
                            LayoutPart::Prod => GrantTarget::Prod,
                            LayoutPart::SharedServices => GrantTarget::SharedServices,
                            LayoutPart::Audit => GrantTarget::Audit,
                        }),
                    )
                }),
            )
        }));
    }
    if let Some(s) = l.mfa_max_age {
        b = b.mfa_max_age(s);
    }
    if let Some(s) = l.max_session_duration {
        b = b.max_session_duration(s);
    }
    if let Some(g) = &l.guardrails {
        let all = Guardrails::all();
        b = b.guardrails(
            all.with_sts_regions(g.sts_regions.unwrap_or(all.sts_regions))
                .with_deny_leave_organization(
                    g.deny_leave_organization
                        .unwrap_or(all.deny_leave_organization),
                )
                .with_protect_audit(g.protect_audit.unwrap_or(all.protect_audit))
                .with_deny_root_user(g.deny_root_user.unwrap_or(all.deny_root_user))
                .with_protect_organization_access_role(
                    g.protect_organization_access_role
                        .unwrap_or(all.protect_organization_access_role),
                ),
        );
    }
    if let Some(days) = l.log_retention_days {
        b = b.log_retention_days(days);
    }
    match l.object_lock {
        Some(ObjectLockSpec::Off) => b = b.without_object_lock(),
        Some(ObjectLockSpec::Compliance { days }) => {
            b = b.object_lock(ObjectLock::Compliance(days))
        }
        Some(ObjectLockSpec::Governance { days }) => {
            b = b.object_lock(ObjectLock::Governance(days))
        }
        None => {}
    }
    match l.kms_key {
        Some(KmsKeySpec::Off) => b = b.kms_key(KmsKey::Off),
        Some(KmsKeySpec::CustomerManaged) => b = b.kms_key(KmsKey::CustomerManaged),
        None => {}
    }
    if let Some(budget) = l.monthly_budget {
        b = b.monthly_budget(budget);
    }
    if let Some(t) = &l.budget_thresholds {
        b = b.budget_thresholds(t.iter().copied());
    }
    if let Some(on) = l.centralized_root_access {
        b = b.centralized_root_access(on);
    }
    if let Some(role) = &l.organization_access_role {
        b = b.organization_access_role(role);
    }
    b
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
fn unresolved(app: &mut App, at: &impl Scope, source: String, what: &str, name: &str, known: &str) {
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

fn known(names: impl Iterator<Item = impl AsRef<str>>) -> String {
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

impl Scope2 {
    fn ou(&self, app: &mut App, path: &str, source: String) -> Option<OuHandle> {
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
    fn account(&self, app: &mut App, name: &str, source: String) -> Option<AccountHandle> {
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
    scope: &mut Scope2,
    sources: &mut Sources,
) -> crate::Result<()> {
    for (i, ou) in spec.organizational_units.iter().enumerate() {
        let at = format!("$.organizational_units[{i}]");
        // Under an unknown parent, the OU is added under the root all the same, so that its
        // own problems, and those of what goes under it, are reported too.
        let parent = scope
            .parent(app, ou.parent.as_deref(), child(&at, "parent"))
            .unwrap_or(Parent::Root(scope.organization));
        let path = match &ou.parent {
            Some(p) => format!("{p}/{}", ou.name),
            None => ou.name.clone(),
        };
        if scope.ous.contains_key(&path) {
            duplicate(
                app,
                &parent,
                child(&at, "name"),
                "organizational unit",
                &path,
            );
            continue;
        }
        let mut construct = OrganizationalUnit::new(&ou.name);
        for (k, v) in &ou.tags {
            construct = construct.tag(k, v);
        }
        let handle = app.add(&parent, construct)?;
        sources.add(app, &handle, at, Kind::Ou);
        scope.ous.insert(path, handle);
    }
    Ok(())
}

fn add_accounts(
    spec: &OrgSpec,
    app: &mut App,
    scope: &mut Scope2,
    sources: &mut Sources,
) -> crate::Result<()> {
    for (i, a) in spec.accounts.iter().enumerate() {
        let at = format!("$.accounts[{i}]");
        let parent = scope
            .parent(app, a.ou.as_deref(), child(&at, "ou"))
            .unwrap_or(Parent::Root(scope.organization));
        if scope.accounts.contains_key(&a.name) {
            duplicate(app, &parent, child(&at, "name"), "account", &a.name);
            continue;
        }
        let mut construct = Account::new(&a.name, &a.email);
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
        scope.accounts.insert(a.name.clone(), handle);
    }
    for (i, e) in spec.existing_accounts.iter().enumerate() {
        let at = format!("$.existing_accounts[{i}]");
        if scope.accounts.contains_key(&e.key) {
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
fn document(
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
    scope: &Scope2,
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
        if let PolicyType::Other(t) = &policy_type {
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
        let mut construct = if policy_type.is_authorization() {
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
        let handle = app.add(&scope.organization, construct)?;
        sources.add(app, &handle, at.clone(), Kind::Policy);
        for (j, t) in p.targets.iter().enumerate() {
            let source = format!("{}[{j}]", child(&at, "targets"));
            match t {
                PolicyTargetSpec::Root => handle.attach(app, &scope.organization),
                PolicyTargetSpec::Ou(path) => {
                    if let Some(ou) = scope.ou(app, path, source) {
                        handle.attach(app, &ou);
                    }
                }
                PolicyTargetSpec::Account(name) => {
                    if let Some(a) = scope.account(app, name, source) {
                        handle.attach(app, &a);
                    }
                }
            }
        }
    }
    Ok(())
}

fn add_grants(spec: &OrgSpec, app: &mut App, scope: &Scope2) {
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

fn add_stack_sets(
    spec: &OrgSpec,
    app: &mut App,
    scope: &Scope2,
    sources: &mut Sources,
) -> crate::Result<()> {
    for (i, s) in spec.stack_sets.iter().enumerate() {
        let at = format!("$.stack_sets[{i}]");
        let mut construct = StackSet::new(&s.id, &s.name);
        if let Some(d) = &s.description {
            construct = construct.description(d);
        }
        if let Some(d) = &s.template_description {
            construct = construct.template_description(d);
        }
        for (j, t) in s.targets.iter().enumerate() {
            match t {
                DeploymentTargetSpec::Root => construct = construct.target(&scope.organization),
                DeploymentTargetSpec::Ou(p) => {
                    let source = format!("{}[{j}]", child(&at, "targets"));
                    if let Some(ou) = scope.ou(app, p, source) {
                        construct = construct.target(&ou);
                    }
                }
            }
        }
        let mut accounts = Vec::new();
        for (j, a) in s.accounts.iter().enumerate() {
            let source = format!("{}[{j}]", child(&at, "accounts"));
            accounts.extend(scope.account(app, a, source));
        }
        if !s.accounts.is_empty() {
            let filter = match s.account_filter {
                Some(AccountFilterSpec::Difference) => AccountFilter::Difference,
                Some(AccountFilterSpec::Union) => AccountFilter::Union,
                _ => AccountFilter::Intersection,
            };
            construct = construct.accounts(filter, &accounts);
        }
        if !s.regions.is_empty() {
            construct = construct.regions(s.regions.iter().map(String::as_str));
        }
        if let Some(r) = s.retain_stacks_on_account_removal {
            construct = construct.retain_stacks_on_account_removal(r);
        }
        if let Some(a) = s.auto_deployment {
            construct = construct.auto_deployment(a);
        }
        let handle = app.add(&scope.stack, construct)?;
        sources.add(app, &handle, at.clone(), Kind::StackSet);
        let template = handle.template();
        let mut policies: IndexMap<String, ManagedPolicyHandle> = IndexMap::new();
        for (j, m) in s.managed_policies.iter().enumerate() {
            let mat = format!("{}[{j}]", child(&at, "managed_policies"));
            let Some(doc) = document(app, &template, &m.document, &child(&mat, "document")) else {
                continue;
            };
            let mut construct = ManagedPolicy::new(&m.id, doc);
            if let Some(n) = &m.name {
                construct = construct.name(n);
            }
            if let Some(d) = &m.description {
                construct = construct.description(d);
            }
            if let Some(p) = &m.path {
                construct = construct.path(p);
            }
            let h = app.add(&template, construct)?;
            sources.add(app, &h, mat, Kind::ManagedPolicy);
            policies.insert(m.id.clone(), h);
        }
        for (j, g) in s.groups.iter().enumerate() {
            let gat = format!("{}[{j}]", child(&at, "groups"));
            let mut construct = Group::new(&g.id);
            if let Some(n) = &g.name {
                construct = construct.name(n);
            }
            let refs = managed_refs(app, &template, &policies, &g.managed_policies, &gat);
            construct = construct.managed_policies(refs);
            let h = app.add(&template, construct)?;
            sources.add(app, &h, gat, Kind::Group);
        }
        for (j, r) in s.roles.iter().enumerate() {
            let rat = format!("{}[{j}]", child(&at, "roles"));
            let mut construct = match &r.trust {
                TrustSpec::AccountWithMfa(a) => {
                    let source = child(&child(&rat, "trust"), "account_with_mfa");
                    let Some(account) = scope.account(app, a, source) else {
                        continue;
                    };
                    let role = Role::assumable_with_mfa(&r.id, &account);
                    match r.mfa_max_age {
                        Some(age) => role.mfa_max_age(age),
                        None => role,
                    }
                }
                TrustSpec::Document(json) => {
                    let source = child(&child(&rat, "trust"), "document");
                    match document(app, &template, json, &source) {
                        Some(doc) => Role::new(&r.id, doc),
                        None => continue,
                    }
                }
            };
            if let Some(n) = &r.name {
                construct = construct.name(n);
            }
            if let Some(d) = &r.description {
                construct = construct.description(d);
            }
            if let Some(m) = r.max_session_duration {
                construct = construct.max_session_duration(m);
            }
            let refs = managed_refs(app, &template, &policies, &r.managed_policies, &rat);
            construct = construct.managed_policies(refs);
            if let Some(boundary) = &r.permissions_boundary {
                let at = child(&rat, "permissions_boundary");
                if let Some(b) = managed_ref(app, &template, &policies, boundary, &at) {
                    construct = construct.permissions_boundary(b.arn());
                }
            }
            let mut inline_ok = true;
            for (k, p) in r.inline_policies.iter().enumerate() {
                let source = format!("{}[{k}].document", child(&rat, "inline_policies"));
                match document(app, &template, &p.document, &source) {
                    Some(doc) => construct = construct.inline_policy(&p.name, doc),
                    None => inline_ok = false,
                }
            }
            if !inline_ok {
                continue;
            }
            for (k, v) in &r.tags {
                construct = construct.tag(k, v);
            }
            if let Some(reason) = &r.without_mfa {
                construct = construct.without_mfa(reason);
            }
            let h = app.add(&template, construct)?;
            sources.add(app, &h, rat, Kind::Role);
        }
    }
    Ok(())
}

fn managed_refs(
    app: &mut App,
    template: &StackHandle,
    policies: &IndexMap<String, ManagedPolicyHandle>,
    refs: &[ManagedPolicyRefSpec],
    at: &str,
) -> Vec<ManagedPolicyRef> {
    let list = child(at, "managed_policies");
    refs.iter()
        .enumerate()
        .filter_map(|(k, m)| managed_ref(app, template, policies, m, &format!("{list}[{k}]")))
        .collect()
}

/// A managed policy given at JSON path `at`; one of the StackSet's that it does not define
/// is reported.
fn managed_ref(
    app: &mut App,
    template: &StackHandle,
    policies: &IndexMap<String, ManagedPolicyHandle>,
    m: &ManagedPolicyRefSpec,
    at: &str,
) -> Option<ManagedPolicyRef> {
    match m {
        ManagedPolicyRefSpec::AwsManaged(name) => Some(ManagedPolicyRef::aws_managed(name)),
        ManagedPolicyRefSpec::Arn(arn) => {
            Some(ManagedPolicyRef::Arn(crate::cfn::Value::from(arn.as_str())))
        }
        ManagedPolicyRefSpec::Policy(id) => {
            let found = policies.get(id).map(|h| ManagedPolicyRef::Created(*h));
            if found.is_none() {
                let list = known(policies.keys());
                let what = "managed policy of this StackSet";
                unresolved(app, template, child(at, "policy"), what, id, &list);
            }
            found
        }
    }
}
