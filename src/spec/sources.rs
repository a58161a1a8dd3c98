//! Which JSON path each construct a spec added came from, and the field of it a diagnostic
//! is about: a diagnostic of the app gets the JSON path of the closest construct at or above
//! its construct path and, by its rule, the field.

use crate::app::{App, Scope};
use crate::error::{Diagnostic, Diagnostics, Rule};

use super::policy::child;

/// The construct paths of what a spec added, with the JSON path each came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    pub(crate) entries: Vec<(String, String, Kind)>,
    pub(crate) layout: Option<LayoutFacts>,
}

/// What a construct is, to point a diagnostic at the field its rule is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Root,
    Organization,
    Layout,
    LayoutAccount(String),
    Ou(OuSource),
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

/// How an OU of the spec is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OuSource {
    New,
    Adopted,
    Existing,
}

/// What the layout's diagnostics are matched against.
#[derive(Debug, Clone, Default)]
pub(crate) struct LayoutFacts {
    pub(crate) name: String,
    pub(crate) environments: Vec<String>,
    pub(crate) account_emails: Vec<String>,
    pub(crate) log_retention_days: Option<u32>,
    pub(crate) grant_roles: Vec<(usize, usize, String)>,
}

impl Sources {
    pub(crate) fn add(&mut self, app: &App, node: &impl Scope, json: String, kind: Kind) {
        self.entries.push((app.path(node), json, kind));
    }

    /// The JSON path diagnostic `d` is about: that of the closest construct at or above
    /// its construct path, and, by its rule, the field. Of constructs added twice at one
    /// path, the `nth` duplicate-id diagnostic there is about the `nth` one added again.
    fn source_of(&self, d: &Diagnostic, nth: usize) -> String {
        let under = |p: &str| {
            d.path == p || (d.path.starts_with(p) && d.path.as_bytes().get(p.len()) == Some(&b'/'))
        };
        if d.path == crate::app::APP_PATH {
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
            Kind::Ou(source) => match (d.rule, source) {
                (Rule::OuName | Rule::DuplicateId | Rule::InvalidId, _) => Some("name"),
                (Rule::Tag, _) => Some("tags"),
                (Rule::OuId, OuSource::Adopted) => Some("adopt"),
                (Rule::OuId, OuSource::Existing) => Some("existing"),
                (Rule::AdoptedReference, _) => Some("parent"),
                _ => None,
            },
            Kind::Account { has_id } => match d.rule {
                Rule::AccountEmail | Rule::DuplicateEmail => Some("email"),
                Rule::DuplicateId | Rule::InvalidId if *has_id => Some("id"),
                Rule::AccountName | Rule::DuplicateId | Rule::InvalidId => Some("name"),
                Rule::AccountRoleName => Some("role_name"),
                Rule::Tag => Some("tags"),
                Rule::OuDepth | Rule::AdoptedReference => Some("ou"),
                Rule::AccountId => Some("adopt"),
                _ => None,
            },
            Kind::Policy => match d.rule {
                Rule::PolicyName | Rule::DuplicateId | Rule::DuplicateName => Some("name"),
                Rule::Description => Some("description"),
                Rule::PoliciesPerTarget | Rule::AccountId => Some("targets"),
                Rule::PolicyId => Some("adopt"),
                Rule::AdoptedReference => Some("adopted_targets"),
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
            // A name the layout derives from its own (a StackSet's, a role's, a bucket's)
            // is wrong because of it.
            _ if !l.name.is_empty() && d.value.contains(&l.name.to_ascii_lowercase()) => "name",
            _ => return json.to_owned(),
        };
        child(json, field)
    }

    /// The diagnostics, each with its JSON path.
    pub(crate) fn attach(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) -> Diagnostics {
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
