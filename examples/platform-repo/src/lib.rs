//! Acme's organization: the existing organization, its OUs and accounts, a guardrail, and
//! the roles every workload account gets, assumable from the identity account with MFA.

use orgstack::iam::{ManagedPolicyRef, PolicyDocument, Role, Statement};
use orgstack::org::{Account, AccountHandle, Organization, OrganizationalUnit, Policy};
use orgstack::stackset::{StackSet, StackSetHandle};
use orgstack::{App, StackHandle};

/// The app and the handles the tests look things up by.
pub struct Platform {
    /// The app, ready to synthesize.
    pub app: App,
    /// The management account's stack.
    pub management: StackHandle,
    /// The identity account, where people sign in.
    pub identity: AccountHandle,
    /// The StackSet that deploys the workload roles.
    pub workload_roles: StackSetHandle,
}

/// Builds the organization.
pub fn platform() -> orgstack::Result<Platform> {
    let mut app = App::new();
    let management = app.stack("Acme")?;
    let org = app.add(
        &management,
        Organization::existing("r-ab12", "o-abcdef1234"),
    )?;
    let security = app.add(&org, OrganizationalUnit::new("Security"))?;
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
    let identity = app.add(
        &security,
        Account::new("Identity", "aws+identity@acme.example"),
    )?;
    for env in ["Dev", "Prod"] {
        let lower = env.to_ascii_lowercase();
        app.add(
            &workloads,
            Account::new(env, format!("aws+{lower}@acme.example")),
        )?;
    }

    let deny_leave = app.add(
        &org,
        Policy::service_control(
            "acme-deny-leave-organization",
            PolicyDocument::new().statement(
                Statement::deny()
                    .action("organizations:LeaveOrganization")
                    .resource("*"),
            ),
        )
        .id("DenyLeaveOrganization"),
    )?;
    deny_leave.attach(&mut app, &org);

    let workload_roles = app.add(
        &management,
        StackSet::new("WorkloadRoles", "acme-workload-roles").target(&workloads),
    )?;
    app.add(
        &workload_roles.template(),
        Role::assumable_with_mfa("ReadOnly", &identity)
            .name("acme-read-only")
            .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess")),
    )?;
    Ok(Platform {
        app,
        management,
        identity,
        workload_roles,
    })
}
