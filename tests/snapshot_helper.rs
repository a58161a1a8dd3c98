//! `orgstack::assert_snapshots!` in a user's repository: `tests/snapshot_repo/` is built as a
//! crate of its own (from a copy under `target/`) and its tests run as a user would run
//! them, with insta writing `.snap` and `.snap.new` files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshot_repo");

/// A fresh copy of the fixture crate under `target/tmp/`, depending on this checkout; made
/// once for the tests of this file, which snapshot into directories of their own.
fn repo() -> PathBuf {
    static REPO: OnceLock<PathBuf> = OnceLock::new();
    REPO.get_or_init(copy_fixture).clone()
}

fn copy_fixture() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-repo");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("tests")).unwrap();
    let manifest = std::fs::read_to_string(Path::new(FIXTURE).join("Cargo.toml"))
        .unwrap()
        .replace(
            "path = \"../..\"",
            &format!("path = {:?}", env!("CARGO_MANIFEST_DIR")),
        );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    for file in ["src/lib.rs", "tests/files.rs"] {
        std::fs::copy(Path::new(FIXTURE).join(file), root.join(file)).unwrap();
    }
    // The versions this checkout builds with, so the copy builds offline.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
    // Resolve and build once, before the tests run the copy side by side.
    let out = cargo(&root)
        .args(["test", "--offline", "--quiet", "--no-run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    root
}

/// `cargo` in `repo`, building into a target directory under `target/tmp/`.
fn cargo(repo: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(repo).env(
        "CARGO_TARGET_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures-target"),
    );
    command
}

/// `cargo test --test files <test>` in `repo`, as a developer runs it (not in CI).
fn cargo_test(repo: &Path, test: &str, variant: &str, update: &str) -> Output {
    cargo(repo)
        .args(["test", "--offline", "--quiet", "--test", "files", test])
        .env("FIXTURE_VARIANT", variant)
        .env("INSTA_UPDATE", update)
        .env_remove("CI")
        .env_remove("INSTA_FORCE_PASS")
        .env_remove("INSTA_WORKSPACE_ROOT")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The files in `dir` whose names end with `suffix`, sorted.
fn files_ending(dir: &Path, suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(suffix))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn one_run_reports_every_changed_file_and_exact_bytes() {
    let repo = repo();
    let snapshots = repo.join("snapshots");

    // First run, accepting: every file of the assembly gets its snapshot.
    let out = cargo_test(&repo, "every_file", "", "always");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        files_ending(&snapshots, ".snap"),
        [
            "Alpha.template.snap",
            "Beta.template.snap",
            "Gamma.template.snap",
            "deploy-plan.snap",
            "manifest.snap",
            "organization.snap",
        ]
    );
    // Unchanged, nothing to update: it passes.
    let out = cargo_test(&repo, "every_file", "", "no");
    assert!(out.status.success(), "{}", text(&out));

    // Three templates change: one run writes all three `.snap.new` and names all three.
    let out = cargo_test(&repo, "every_file", "changed", "new");
    assert!(!out.status.success());
    let report = text(&out);
    assert_eq!(
        files_ending(&snapshots, ".snap.new"),
        [
            "Alpha.template.snap.new",
            "Beta.template.snap.new",
            "Gamma.template.snap.new",
        ]
    );
    assert!(report.contains("3 files differ from "), "{report}");
    for name in ["Alpha", "Beta", "Gamma"] {
        assert!(
            report.contains(&format!("  {name}.template.snap: changed")),
            "{report}"
        );
    }
    assert!(!report.contains("manifest.snap: "), "{report}");
    assert!(
        report.contains("review every pending .snap.new"),
        "{report}"
    );

    // As in CI: nothing written, every change still reported, and said so.
    for pending in files_ending(&snapshots, ".snap.new") {
        std::fs::remove_file(snapshots.join(pending)).unwrap();
    }
    let out = cargo_test(&repo, "every_file", "changed", "no");
    assert!(!out.status.success());
    let report = text(&out);
    assert!(report.contains("3 files differ from "), "{report}");
    assert!(report.contains("no .snap.new was written"), "{report}");
    assert!(files_ending(&snapshots, ".snap.new").is_empty());
}

#[test]
fn a_trailing_space_alone_fails() {
    let repo = repo();
    let snapshots = repo.join("snapshots-own");

    let out = cargo_test(&repo, "own_file", "", "always");
    assert!(out.status.success(), "{}", text(&out));
    let stored = std::fs::read_to_string(snapshots.join("notes.snap")).unwrap();
    assert!(stored.contains("ends with \\\"\\\\n\\\""), "{stored}");

    // "alerts \n" is "alerts\n" to insta's text comparison; not to the helper.
    let out = cargo_test(&repo, "own_file", "trailing-space", "new");
    assert!(!out.status.success());
    let report = text(&out);
    assert!(
        report.contains("1 file differs from ")
            && report.contains(
                "notes.snap: only trailing whitespace or line endings differ\n    stored: 7 bytes, LF line endings, ends with \"\\n\""
            )
            && report.contains("now:    8 bytes, LF line endings, ends with \" \\n\""),
        "{report}"
    );
    assert_eq!(files_ending(&snapshots, ".snap.new"), ["notes.snap.new"]);
}
