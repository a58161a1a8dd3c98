//! Profiles for people: an `aws-config` file (the `~/.aws/config` format) with one profile
//! per role and account a person may assume — a role a StackSet deploys, trusted with MFA
//! from an account of the organization — and the console's switch-role links.
//!
//! Account ids of the accounts the app creates are known only once they exist: pass them
//! (e.g. from `aws organizations list-accounts`) to [`aws_config`]; a role in an account
//! whose id is not given is listed as a comment. `cargo run --example profiles` writes the
//! file for the five-account layout.

use std::collections::BTreeMap;

use crate::cfn::Value;
use crate::iam::{requires_mfa, Effect};
use crate::org::{AccountRef, Parent};
use crate::stackset::{AccountFilter, DeploymentTargetRef};
use crate::App;

/// One role in one account that a person may assume.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Access {
    /// The role's name (`RoleName`).
    pub role: String,
    /// The name of the account the role is in.
    pub account: String,
    /// The name of the account the person signs in to and assumes it from.
    pub from_account: String,
    /// The StackSet that deploys the role.
    pub stack_set: String,
}

/// Every role a person may assume with MFA, in every account its StackSet deploys it to:
/// roles with a literal `RoleName` whose trust requires MFA from an account of the app.
/// A role whose StackSet targets the root is listed for every account of the app.
pub fn accesses(app: &App) -> Vec<Access> {
    let parent_node = |p: &Parent| match p {
        Parent::Root(r) => crate::Scope::node(r),
        Parent::Ou(u) => crate::Scope::node(u),
    };
    let ou_parent: BTreeMap<_, _> = app
        .ous()
        .map(|o| (crate::Scope::node(&o.handle()), parent_node(&o.parent())))
        .collect();
    // Each account: name, id when known, node and the chain of its parents.
    let accounts: Vec<_> = app
        .accounts()
        .filter_map(|a| {
            let node = a.handle().node()?;
            let mut chain = vec![parent_node(&a.parent())];
            while let Some(p) = chain.last().and_then(|n| ou_parent.get(n)) {
                if chain.contains(p) {
                    break;
                }
                chain.push(*p);
            }
            Some((node, a.name().to_owned(), chain))
        })
        .collect();
    let name_of = |r: &AccountRef| -> Option<String> {
        let n = r.node()?;
        accounts
            .iter()
            .find(|(a, _, _)| *a == n)
            .map(|(_, name, _)| name.clone())
    };
    let sets: Vec<_> = app.stack_sets().collect();
    let mut out = Vec::new();
    for role in app.roles() {
        let handle = role.handle();
        let Some(role_name) =
            app.resource(&handle)
                .and_then(|r| match r.properties.get("RoleName") {
                    Some(Value::String(name)) => Some(name.clone()),
                    _ => None,
                })
        else {
            continue;
        };
        let allows: Vec<_> = role
            .trust()
            .get_statements()
            .iter()
            .filter(|st| st.effect() == Effect::Allow)
            .collect();
        if allows.is_empty() || !allows.iter().all(|st| requires_mfa(st)) {
            continue;
        }
        let Some(from) = role.trusted_account().and_then(name_of) else {
            continue;
        };
        let Some(stack) = app.stack_of(&handle) else {
            continue;
        };
        let Some(set) = sets.iter().find(|s| s.template() == stack) else {
            continue;
        };
        let targets: Vec<_> = set
            .targets()
            .iter()
            .map(|t: &DeploymentTargetRef| t.node())
            .collect();
        let (filter, listed) = set.accounts();
        let listed: Vec<_> = listed.iter().filter_map(|a| a.node()).collect();
        for (node, name, chain) in &accounts {
            let inside = chain.iter().any(|n| targets.contains(n));
            let deployed = match filter {
                Some(AccountFilter::Intersection) => inside && listed.contains(node),
                Some(AccountFilter::Difference) => inside && !listed.contains(node),
                Some(AccountFilter::Union) => inside || listed.contains(node),
                _ => inside,
            };
            if deployed {
                out.push(Access {
                    role: role_name.clone(),
                    account: name.clone(),
                    from_account: from.clone(),
                    stack_set: set.name().to_owned(),
                });
            }
        }
    }
    out
}

/// The profile name of an access: `<account>-<role>`, lowercased, with characters other
/// than letters, digits, `-` and `_` replaced by `-`.
pub fn profile_name(access: &Access) -> String {
    crate::shell::profile_name(&format!("{}-{}", access.account, access.role))
}

/// The settings every profile shares.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigOptions {
    /// The profile holding the person's own credentials in the account they sign in to.
    pub source_profile: String,
    /// The region every profile uses (one the organization allows).
    pub region: String,
    /// The MFA device's ARN, as the person's own; `USER` stands for their user name.
    pub mfa_serial: String,
}

impl ConfigOptions {
    /// Options for people who sign in to the account `from_id`: source profile
    /// `identity`, region `region`, MFA device `arn:aws:iam::<from_id>:mfa/USER`.
    pub fn new(from_id: &str, region: impl Into<String>) -> Self {
        ConfigOptions {
            source_profile: "identity".to_owned(),
            region: region.into(),
            mfa_serial: format!("arn:aws:iam::{from_id}:mfa/USER"),
        }
    }
}

/// The `~/.aws/config` profiles of `accesses`, with account ids from `ids` (account name
/// to id); an access whose account id is unknown is written as a comment.
pub fn aws_config(
    accesses: &[Access],
    ids: &BTreeMap<String, String>,
    options: &ConfigOptions,
) -> String {
    let mut out = String::from(
        "# Profiles for the roles people assume with MFA; generated from the organization.\n",
    );
    out.push_str(&format!(
        "# Source profile `{}` holds your own credentials; replace USER in mfa_serial.\n",
        options.source_profile
    ));
    out.push_str(&format!(
        "\n[profile {}]\nregion = {}\n",
        options.source_profile, options.region
    ));
    for a in accesses {
        let name = profile_name(a);
        match ids.get(&a.account) {
            Some(id) => out.push_str(&format!(
                "\n[profile {name}]\nrole_arn = arn:aws:iam::{id}:role/{}\nsource_profile = {}\nmfa_serial = {}\nregion = {}\n# console: {}\n",
                a.role,
                options.source_profile,
                options.mfa_serial,
                options.region,
                switch_role_link(a, id)
            )),
            None => out.push_str(&format!(
                "\n# {name}: role {} in {} (no account id given)\n",
                a.role, a.account
            )),
        }
    }
    out
}

/// The console link that switches to the role of `access` in account `id`.
pub fn switch_role_link(access: &Access, id: &str) -> String {
    format!(
        "https://signin.aws.amazon.com/switchrole?roleName={}&account={id}&displayName={}",
        url_encode(&access.role),
        url_encode(&profile_name(access))
    )
}

/// Percent-encodes what a role name may hold beyond letters, digits, `-`, `_` and `.`.
fn url_encode(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c.to_string()
            } else {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
        })
        .collect()
}
