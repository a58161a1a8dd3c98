//! IAM Identity Center sign-ins: a user of an identity-store group opens a session of a
//! permission set's role (`AWSReservedSSO_<PermissionSet>_…`) in an account the matrix
//! assigns it to.

use super::caller::{Auth, Caller, Kind};
use super::decision::{Decision, Step};
use super::eval::Verdict;
use super::request::Who;
use super::simulator::Simulator;
use super::AccessError;
use crate::iam::keys;
use crate::org::AccountHandle;

/// One assignment of Identity Center's expanded matrix: `group` may use
/// `permission_set` in `account`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsoAssignment {
    /// The group's key (as given to [`IdentityCenter::group`](crate::services::IdentityCenter::group)).
    pub group: String,
    /// The permission set's name.
    pub permission_set: String,
    /// The account's name.
    pub account: String,
    /// The account's id as the simulator knows it ([`Simulator::account_id`]).
    pub account_id: String,
}

/// A stand-in for the suffix Identity Center appends to a permission set's role name:
/// 16 hex digits, the same for a permission set wherever it is asked.
fn role_suffix(permission_set: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in permission_set.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl Simulator {
    /// Every assignment of the app's Identity Center matrices, expanded per account as
    /// synthesis expands them, in account order, then row order.
    pub fn sso_assignments(&self) -> Vec<SsoAssignment> {
        let m = &self.model;
        let mut out: Vec<SsoAssignment> = m
            .sso_grants
            .iter()
            .map(|g| SsoAssignment {
                group: g.group.clone(),
                permission_set: m.permission_sets[g.set].name.clone(),
                account: m.accounts[g.account].name.clone(),
                account_id: m.accounts[g.account].id.clone(),
            })
            .collect();
        out.dedup();
        out
    }

    /// The permission sets the Identity Center group `group` (by key) can use in
    /// `account`, by name; none for a group the matrix does not assign there.
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`] for an account not in the app;
    /// [`AccessError::UnknownIdentityCenterGroup`] for a group no Identity Center of the app
    /// declares.
    pub fn permission_sets(
        &self,
        group: &str,
        account: &AccountHandle,
    ) -> Result<Vec<&str>, AccessError> {
        let account = self.account_index(account)?;
        self.sso_group(group)?;
        let m = &self.model;
        let mut out: Vec<&str> = Vec::new();
        for g in &m.sso_grants {
            let name = m.permission_sets[g.set].name.as_str();
            if g.group == group && g.account == account && !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(out)
    }

    fn sso_group(&self, key: &str) -> Result<&str, AccessError> {
        self.model
            .sso_groups
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, display)| display.as_str())
            .ok_or_else(|| AccessError::UnknownIdentityCenterGroup(key.to_owned()))
    }

    /// May the Identity Center user `user`, member of `groups` (by key), sign in to
    /// `account` with `permission_set`? Allowed when the expanded matrix assigns the
    /// permission set there to one of the groups; the decision then carries the session
    /// ([`Decision::session`]): the role `AWSReservedSSO_<PermissionSet>_<suffix>` of
    /// the account (the suffix a stand-in), with the permission set's inline and managed
    /// policies as its identity policies, its permissions boundary (which makes what it
    /// decides [`Verdict::Unknown`]), and the account's SCPs and RCPs as for any
    /// principal. MFA is a setting of the Identity Center instance, not of a policy:
    /// `auth` states whether the user signed in with it, and the session's requests
    /// carry `aws:MultiFactorAuthPresent` (and its age) as it says
    /// ([`Auth::LongTermKey`] is read as [`Auth::WithoutMfa`]: a portal session is
    /// temporary credentials).
    ///
    /// # Errors
    /// [`AccessError::UnknownAccount`] for an account not in the app;
    /// [`AccessError::UnknownIdentityCenterGroup`] for a group no Identity Center declares;
    /// [`AccessError::UnknownPermissionSet`] for a permission set none declares.
    pub fn sign_in(
        &self,
        user: &str,
        groups: &[&str],
        permission_set: &str,
        account: &AccountHandle,
        auth: Auth,
    ) -> Result<Decision, AccessError> {
        let account = self.account_index(account)?;
        let mut displays = Vec::new();
        for g in groups {
            displays.push(self.sso_group(g)?);
        }
        let m = &self.model;
        if !m.permission_sets.iter().any(|s| s.name == permission_set) {
            return Err(AccessError::UnknownPermissionSet(permission_set.to_owned()));
        }
        let auth = match auth {
            Auth::LongTermKey => Auth::WithoutMfa,
            other => other,
        };
        let acct = &m.accounts[account];
        let label = format!(
            "Identity Center user {user} (groups {}; {})",
            displays.join(", "),
            auth.label()
        );
        let question = format!(
            "may {label} sign in to {} with permission set {permission_set}?",
            acct.name
        );
        let granted: Vec<_> = m
            .sso_grants
            .iter()
            .filter(|g| {
                g.account == account
                    && m.permission_sets[g.set].name == permission_set
                    && groups.contains(&g.group.as_str())
            })
            .collect();
        let layer = "Identity Center assignments".to_owned();
        let Some(first) = granted.first() else {
            return Ok(Decision {
                question,
                verdict: Verdict::ImplicitDeny,
                decided_by: layer.clone(),
                steps: vec![Step {
                    layer,
                    verdict: Verdict::ImplicitDeny,
                    statements: Vec::new(),
                }],
                session: None,
            });
        };
        let set = first.set;
        let granted: Vec<&str> = granted.iter().map(|g| g.group.as_str()).collect();
        let ps = &m.permission_sets[set];
        let role = format!("AWSReservedSSO_{}_{}", ps.name, role_suffix(&ps.name));
        let arn = format!(
            "arn:aws:iam::{}:role/aws-reserved/sso.amazonaws.com/{role}",
            acct.id
        );
        let session = format!("arn:aws:sts::{}:assumed-role/{role}/{user}", acct.id);
        let mut ctx = self.principal_context(account, &arn, "AssumedRole");
        ctx.set(
            keys::USER_ID.as_str(),
            vec![format!("AROA{}:{user}", acct.id)],
        );
        auth.apply(&mut ctx);
        let caller = Caller {
            label: format!(
                "session of permission set {} in {} (from {label})",
                ps.name, acct.name
            ),
            account,
            who: Who::Aws {
                account: acct.id.clone(),
                arn,
                session: Some(session),
            },
            kind: Kind::Session,
            auth,
            policies: ps.policies.clone(),
            context: ctx,
            boundary: ps.boundary,
        };
        let layer = format!("{layer} (groups {})", granted.join(", "));
        Ok(Decision {
            question,
            verdict: Verdict::Allow,
            decided_by: layer.clone(),
            steps: vec![Step {
                layer,
                verdict: Verdict::Allow,
                statements: Vec::new(),
            }],
            session: Some(caller),
        })
    }
}
