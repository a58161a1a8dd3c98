//! AWS Organizations: the organization, organizational units, accounts and policies.
//!
//! ```
//! use orgstack::{App, org::{Account, Organization, OrganizationalUnit}};
//! let mut app = App::new();
//! let stack = app.stack("Management")?;
//! let org = app.add(&stack, Organization::create())?;
//! let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
//! app.add(&workloads, Account::new("Prod", "aws+prod@acme.example"))?;
//! let assembly = app.synth()?;
//! assert!(assembly.template_json("Management").unwrap().contains("\"DeletionPolicy\": \"Retain\""));
//! # Ok::<(), orgstack::Error>(())
//! ```

mod account;
mod organization;
mod ou;
mod policy;

pub use crate::policy_type::PolicyType;
pub(crate) use account::AccountData;
pub use account::{Account, AccountHandle, AccountRef, AccountView, ACCOUNT_TYPE};
pub(crate) use organization::OrganizationData;
pub use organization::{Organization, OrganizationHandle};
pub use ou::{OrganizationalUnit, OuHandle, OuView, Parent, OUS_AT_ONCE};
pub(crate) use policy::attachments_per_target;
pub use policy::{
    Content, Policy, PolicyHandle, PolicyTarget, PolicyTargetRef, PolicyView, POLICIES_AT_ONCE,
    POLICY_TYPE,
};
