//! A construct of your own, nesting like the library's: a `Platform` that holds the
//! five-account layout and adds what this team always adds — a sandbox OU with an account
//! (which gets the layout's budget like every account), developers allowed into it, and
//! a break-glass role in every workload account. It reports a problem of its own under a
//! rule of its own, and the app exports the alert topic for other stacks.
//!
//! ```text
//! cargo run --example own_construct [-- OUT_DIR]
//! ```

use orgstack::iam::{ManagedPolicyRef, Role};
use orgstack::layouts::{FiveAccountLayout, Grant, GrantTarget, DEVELOPER};
use orgstack::org::{Account, OrganizationalUnit, OuHandle};
use orgstack::stackset::StackSet;
use orgstack::{App, CfnOutput, Construct, Diagnostic, Rule, Scope, Subtree};

#[path = "support/mod.rs"]
mod support;

fn main() {
    support::synthesize("cdk.out/own_construct", app);
}

/// The platform team's foundation, as one construct.
struct Platform {
    name: &'static str,
    email_domain: &'static str,
}

/// What the platform gives its users to extend.
struct PlatformHandle {
    layout: FiveAccountLayout,
    sandbox: OuHandle,
}

impl<P: Scope> Construct<P> for Platform {
    type Handle = PlatformHandle;

    fn build(self, app: &mut App, parent: &P) -> orgstack::Result<PlatformHandle> {
        let me = app.add(parent, Subtree::new("Platform"))?;
        // A problem with this construct's input is reported like the library's own, with
        // every other problem, at synthesis.
        if !self
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            app.report(Diagnostic::new(
                app.path(&me),
                Rule::Custom("platform-name"),
                self.name,
                "the platform's name prefixes every resource name: lowercase letters and hyphens",
                "name the platform like `acme` or `acme-platform`",
            ));
        }
        let layout = app.add(
            &me,
            FiveAccountLayout::builder(self.name)
                .email_domain(self.email_domain)
                .allowed_regions(["us-east-1", "eu-west-1"]),
        )?;
        let sandbox = app.add(&layout.workloads_ou(), OrganizationalUnit::new("Sandbox"))?;
        app.add(
            &sandbox,
            Account::new("Sandbox", format!("sandbox@{}", self.email_domain)),
        )?;
        layout.grant(
            app,
            "developers",
            Grant::new(DEVELOPER, [GrantTarget::from(sandbox)]),
        );

        let break_glass = app.add(
            &me,
            StackSet::new("BreakGlass", format!("{}-break-glass", self.name))
                .target(&layout.workloads_ou()),
        )?;
        app.add(
            &break_glass.template(),
            Role::assumable_with_mfa("BreakGlass", layout.identity_account())
                .name("break-glass")
                .mfa_max_age(900)
                .managed_policy(ManagedPolicyRef::aws_managed("AdministratorAccess")),
        )?;
        Ok(PlatformHandle { layout, sandbox })
    }
}

/// The app; a user's own code would stop here and add more.
pub fn app() -> orgstack::Result<App> {
    let mut app = App::new();
    let management = app.stack("Management")?;
    let platform = app.add(
        &management,
        Platform {
            name: "acme",
            email_domain: "aws.acme.example",
        },
    )?;
    // Handles reach every part, from outside the construct too.
    app.add(
        &platform.sandbox,
        Account::new("Sandbox2", "sandbox2@aws.acme.example"),
    )?;
    assert_eq!(app.accounts().count(), 8);
    // Other stacks of the account can import the alert topic.
    app.add(
        &management,
        CfnOutput::new("AlertTopicArn", platform.layout.alert_topic().ref_expr())
            .description("The topic the layout's alarms notify")
            .export("acme-alert-topic-arn"),
    )?;
    let _ = platform.layout.audit_account();
    Ok(app)
}
