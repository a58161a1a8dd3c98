//! The smallest useful app: one stack with a role that people of another account may
//! assume only with MFA, and a managed policy attached to it.
//!
//! ```text
//! cargo run --example minimal [-- OUT_DIR]
//! ```

use orgstack::iam::{ManagedPolicy, PolicyDocument, Role, Statement};
use orgstack::App;

#[path = "support/mod.rs"]
mod support;

fn main() {
    support::synthesize("cdk.out/minimal", app);
}

/// The app; the tests build it from here too.
pub fn app() -> orgstack::Result<App> {
    let mut app = App::new();
    let stack = app.stack("Minimal")?;
    app.set_stack_description(
        &stack,
        "A role assumable from the identity account with MFA",
    );

    let read_logs = app.add(
        &stack,
        ManagedPolicy::new(
            "ReadLogs",
            PolicyDocument::new().statement(
                Statement::allow()
                    .sid("ReadLogs")
                    .actions(["logs:DescribeLogGroups", "logs:GetLogEvents"])
                    .resource("*"),
            ),
        )
        .description("Read CloudWatch Logs"),
    )?;

    app.add(
        &stack,
        Role::assumable_with_mfa("Operator", "111111111111")
            .name("operator")
            .mfa_max_age(3600)
            .max_session_duration(3600)
            .managed_policy(read_logs),
    )?;
    Ok(app)
}
