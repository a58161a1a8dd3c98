//! Three stacks, each with one topic; the `changed` variant renames all three topics, so
//! three templates change and the manifest and the deploy plan do not.

use orgstack::cfn::Resource;
use orgstack::{App, CfnResource};

/// The app; `variant` is `changed` for the changed topics.
pub fn app(variant: &str) -> orgstack::Result<App> {
    let mut app = App::new();
    for name in ["Alpha", "Beta", "Gamma"] {
        let stack = app.stack(name)?;
        let display = if variant == "changed" {
            format!("{name} alerts, renamed")
        } else {
            format!("{name} alerts")
        };
        app.add(
            &stack,
            CfnResource::new(
                "Alerts",
                Resource::new("AWS::SNS::Topic").property("DisplayName", display),
            ),
        )?;
    }
    Ok(app)
}
