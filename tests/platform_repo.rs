//! `examples/platform-repo/`, the template of a platform team's repository, builds, its
//! tests pass as its CI runs them (snapshots included, nothing written), and `cargo run`
//! writes the assembly its snapshots pin.

use std::path::Path;
use std::process::Command;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/platform-repo");

/// `cargo <command> --quiet --offline` on the example, then `args`.
fn cargo(command: &str, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args([command, "--quiet", "--offline", "--manifest-path"])
        .arg(format!("{REPO}/Cargo.toml"))
        .args(args)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures-target"),
        )
        .env("CI", "true")
        .env("INSTA_UPDATE", "no")
        .env_remove("INSTA_FORCE_PASS")
        .env_remove("INSTA_WORKSPACE_ROOT")
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_platform_repository_tests_pass_and_its_program_writes_what_the_snapshots_pin() {
    let out = cargo("test", &[]);
    assert!(out.status.success(), "{}", text(&out));
    let report = text(&out);
    assert!(report.contains("3 passed"), "{report}");

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("platform-repo-out");
    let _ = std::fs::remove_dir_all(&dir);
    let dir_arg = dir.to_string_lossy().into_owned();
    let out = cargo("run", &["--", &dir_arg]);
    assert!(out.status.success(), "{}", text(&out));

    // Each file written is the body of its snapshot.
    let snapshots = Path::new(REPO).join("snapshots");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = name
            .strip_suffix(".json")
            .or_else(|| name.strip_suffix(".md"))
            .or_else(|| name.strip_suffix(".mmd"))
            .unwrap();
        let snap = std::fs::read_to_string(snapshots.join(format!("{stem}.snap")))
            .unwrap_or_else(|e| panic!("no snapshot of {name}: {e}"));
        let body = snap.splitn(3, "---\n").nth(2).unwrap();
        assert_eq!(body, std::fs::read_to_string(&path).unwrap(), "{name}");
        checked += 1;
    }
    // Two templates, the manifest, the plan and the diagram.
    assert_eq!(checked, 5);
}
