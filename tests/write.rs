//! Writing an assembly to disk under concurrency and faults: two writers into one
//! directory, a file or a symbolic link at the target, mount points, leftovers of a crashed
//! run, paths that name no directory, a read-only parent and a full disk.
//!
//! The tests that need to mount a file system (a full disk, a mount point, a read-only file
//! system) run only where the test may mount one (as root, with `mount` allowed); elsewhere
//! they print why they were skipped.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};

use orgstack::app::Assembly;
use orgstack::cfn::Resource;
use orgstack::{App, CfnResource};

/// Every file of a directory, by name, with its bytes.
type Files = BTreeMap<String, Vec<u8>>;

fn files(dir: &Path) -> Files {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The files an assembly writes.
fn expected(assembly: &Assembly) -> Files {
    let mut out: Files = assembly
        .artifacts()
        .iter()
        .map(|a| (a.file_name.clone(), a.body.clone().into_bytes()))
        .collect();
    out.insert("manifest.json".into(), assembly.manifest().into());
    out.insert("deploy-plan.md".into(), assembly.deploy_plan().into());
    for (name, body) in assembly.files() {
        out.insert(name.into(), body.into());
    }
    out
}

/// The names in `dir` other than `keep` and the lock file of a target named `keep`.
fn leftovers(dir: &Path, keep: &str) -> Vec<String> {
    let lock = format!(".{keep}.lock");
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep && *n != lock)
        .collect();
    names.sort();
    names
}

/// Two apps whose assemblies differ in their file names as well as in their bytes, so that
/// a mix of the two is detectable.
fn app(which: &str) -> App {
    let mut app = App::new();
    let main = app.stack("Main").unwrap();
    let (topics, second): (&[&str], &str) = match which {
        "a" => (&["Alpha"], "Second"),
        _ => (&["Beta", "Gamma"], "Third"),
    };
    for t in topics {
        app.add(
            &main,
            CfnResource::new(*t, Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    }
    let s = app.stack(second).unwrap();
    app.add(
        &s,
        CfnResource::new("Queue", Resource::new("AWS::SQS::Queue")),
    )
    .unwrap();
    app
}

/// An app with `n` topics, about 70 bytes each, 400 to a stack.
fn big_app(n: usize) -> App {
    let mut app = App::new();
    let stacks: Vec<_> = (0..n.div_ceil(400))
        .map(|k| app.stack(format!("Main{k}")).unwrap())
        .collect();
    for i in 0..n {
        let topic = CfnResource::new(format!("Topic{i:04}"), Resource::new("AWS::SNS::Topic"));
        app.add(&stacks[i / 400], topic).unwrap();
    }
    app
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("orgstack-write-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// A file system mounted for one test, unmounted when the test ends.
struct Mount(PathBuf);

impl Mount {
    /// Mounts with `mount args… dir`, or says why it cannot.
    fn new(dir: &Path, args: &[&str]) -> Result<Mount, String> {
        fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(args)
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(Mount(dir.to_path_buf()))
        } else {
            Err(format!(
                "mount {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    fn tmpfs(dir: &Path, size: &str) -> Result<Mount, String> {
        Mount::new(
            dir,
            &["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"],
        )
    }

    fn remount_read_only(&self) {
        let out = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

macro_rules! skip {
    ($why:expr) => {{
        println!("skipped: {}", $why);
        return;
    }};
}

/// Two threads, writing app `a` to `path_a` and app `b` to `path_b` (the same directory,
/// `root/out`, by two names) at the same moment, 100 times: after every round `root/out`
/// holds exactly one of the two assemblies, and `root` nothing else but `others`.
fn two_threads(root: &Path, path_a: &Path, path_b: &Path, others: &[&str]) {
    let (a, b) = (app("a"), app("b"));
    let (want_a, want_b) = (expected(&a.synth().unwrap()), expected(&b.synth().unwrap()));
    assert_ne!(
        want_a.keys().collect::<Vec<_>>(),
        want_b.keys().collect::<Vec<_>>()
    );
    let (mut last_a, mut last_b) = (0, 0);
    for round in 0..100 {
        let barrier = Arc::new(Barrier::new(2));
        let results = std::thread::scope(|s| {
            let writers: Vec<_> = [(&a, path_a), (&b, path_b)]
                .into_iter()
                .map(|(app, out)| {
                    let barrier = barrier.clone();
                    s.spawn(move || {
                        barrier.wait();
                        app.synth_to(out).map(|_| ())
                    })
                })
                .collect();
            writers
                .into_iter()
                .map(|w| w.join().unwrap())
                .collect::<Vec<_>>()
        });
        for r in &results {
            assert!(r.is_ok(), "round {round}: {r:?}");
        }
        let got = files(&root.join("out"));
        if got == want_a {
            last_a += 1;
        } else if got == want_b {
            last_b += 1;
        } else {
            panic!(
                "round {round}: a mix of the two assemblies: {:?}",
                got.keys().collect::<Vec<_>>()
            );
        }
        assert_eq!(leftovers(root, "out"), others, "round {round}");
    }
    println!("last writer: a {last_a} times, b {last_b} times");
}

#[test]
fn two_threads_writing_one_directory_leave_one_complete_assembly() {
    let root = tmp("threads");
    let out = root.join("out");
    two_threads(&root, &out, &out, &[]);
    fs::remove_dir_all(&root).unwrap();
}

#[cfg(unix)]
#[test]
fn writers_through_a_link_and_the_directory_itself_take_turns() {
    let root = tmp("threads-link");
    std::os::unix::fs::symlink("out", root.join("link")).unwrap();
    two_threads(&root, &root.join("link"), &root.join("out"), &["link"]);
    fs::remove_dir_all(&root).unwrap();
}

/// Run by [`two_processes_writing_one_directory_leave_one_complete_assembly`] in a process
/// of its own: writes the app named by `ORGSTACK_WRITE_APP` five times to
/// `ORGSTACK_WRITE_DIR`.
#[test]
#[ignore = "a child process of two_processes_writing_one_directory_leave_one_complete_assembly"]
fn write_from_child_process() {
    let dir = std::env::var_os("ORGSTACK_WRITE_DIR").expect("ORGSTACK_WRITE_DIR");
    let which = std::env::var("ORGSTACK_WRITE_APP").expect("ORGSTACK_WRITE_APP");
    let app = app(&which);
    for _ in 0..5 {
        app.synth_to(&dir).unwrap();
    }
}

#[test]
fn two_processes_writing_one_directory_leave_one_complete_assembly() {
    let root = tmp("processes");
    let out = root.join("out");
    let want_a = expected(&app("a").synth().unwrap());
    let want_b = expected(&app("b").synth().unwrap());
    let exe = std::env::current_exe().unwrap();
    for round in 0..40 {
        let children: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|which| {
                Command::new(&exe)
                    .args([
                        "write_from_child_process",
                        "--exact",
                        "--ignored",
                        "--test-threads=1",
                    ])
                    .env("ORGSTACK_WRITE_DIR", &out)
                    .env("ORGSTACK_WRITE_APP", which)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success() && stdout.contains("1 passed"),
                "round {round}: {stdout}{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let got = files(&out);
        assert!(
            got == want_a || got == want_b,
            "round {round}: a mix of the two assemblies: {:?}",
            got.keys().collect::<Vec<_>>()
        );
        assert_eq!(
            leftovers(&root, "out"),
            Vec::<String>::new(),
            "round {round}"
        );
    }
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_file_at_the_target_is_refused_and_left_alone() {
    let root = tmp("file");
    let out = root.join("out");
    fs::write(&out, "not an assembly").unwrap();
    let err = app("a").synth_to(&out).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("is a file, not a directory"), "{message}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "not an assembly");
    assert_eq!(leftovers(&root, "out"), Vec::<String>::new());
    assert!(!root.join(".out.lock").exists(), "nothing was created");
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn leftovers_of_a_crashed_run_do_not_stop_the_next() {
    let root = tmp("leftovers");
    let out = root.join("out");
    app("a").synth_to(&out).unwrap();
    // What a run killed half-way leaves: a staging directory, the previous assembly moved
    // aside; and a file where the previous assembly would be moved.
    for dir in [".out.staging", ".out.staging.4242", ".out.previous.17"] {
        fs::create_dir(root.join(dir)).unwrap();
        fs::write(root.join(dir).join("Main.template.json"), "{}").unwrap();
    }
    fs::write(root.join(".out.previous"), "a file of the same name").unwrap();
    let b = app("b").synth_to(&out).unwrap();
    assert_eq!(files(&out), expected(&b));
    assert_eq!(leftovers(&root, "out"), [".out.previous"]);
    assert_eq!(
        fs::read_to_string(root.join(".out.previous")).unwrap(),
        "a file of the same name",
        "a file is never removed"
    );
    fs::remove_dir_all(&root).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symlinked_target_is_followed() {
    let root = tmp("symlink");
    let real = root.join("real");
    let out = root.join("out");
    app("a").synth_to(&real).unwrap();
    std::os::unix::fs::symlink("real", &out).unwrap();
    let b = app("b").synth_to(&out).unwrap();
    assert!(
        fs::symlink_metadata(&out).unwrap().file_type().is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        files(&real),
        expected(&b),
        "the linked directory receives it"
    );
    assert_eq!(leftovers(&root, "real"), ["out"]);
    fs::remove_dir_all(&root).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symlink_to_nothing_is_followed_and_one_to_a_file_or_in_a_loop_refused() {
    let root = tmp("symlink-other");
    // A link to nothing (yet): the assembly is written where it points.
    let dangling = root.join("dangling");
    std::os::unix::fs::symlink("sub/made", &dangling).unwrap();
    let a = app("a").synth_to(&dangling).unwrap();
    assert!(fs::symlink_metadata(&dangling).unwrap().is_symlink());
    assert_eq!(files(&root.join("sub/made")), expected(&a));

    let file = root.join("file");
    fs::write(&file, "x").unwrap();
    let to_file = root.join("to-file");
    std::os::unix::fs::symlink("file", &to_file).unwrap();
    let message = app("a").synth_to(&to_file).unwrap_err().to_string();
    assert!(message.contains("is a file, not a directory"), "{message}");
    assert!(fs::symlink_metadata(&to_file).unwrap().is_symlink());
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");

    let (one, two) = (root.join("one"), root.join("two"));
    std::os::unix::fs::symlink("two", &one).unwrap();
    std::os::unix::fs::symlink("one", &two).unwrap();
    let message = app("a").synth_to(&one).unwrap_err().to_string();
    assert!(message.contains("symbolic link in a loop"), "{message}");

    let mut names: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["dangling", "file", "one", "sub", "to-file", "two"]);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_path_ending_in_dot_dot_is_refused_untouched() {
    let root = tmp("dotdot");
    let out = root.join("out");
    let a = app("a").synth_to(&out).unwrap();
    let err = app("b").synth_to(out.join("..")).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("names no directory"), "{message}");
    assert_eq!(files(&out), expected(&a));
    assert_eq!(leftovers(&root, "out"), Vec::<String>::new());

    // A trailing `.` names the directory before it.
    let b = app("b").synth_to(out.join(".")).unwrap();
    assert_eq!(files(&out), expected(&b));
    assert_eq!(leftovers(&root, "out"), Vec::<String>::new());
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn an_empty_path_is_refused() {
    let message = app("a").synth_to("").unwrap_err().to_string();
    assert!(message.contains("names no directory"), "{message}");
}

#[test]
fn a_mount_point_target_is_refused_untouched() {
    let root = tmp("mount");
    let out = root.join("out");
    let mount = match Mount::tmpfs(&out, "1m") {
        Ok(m) => m,
        Err(why) => skip!(why),
    };
    // An assembly already in the volume, written into it file by file.
    let a = app("a").synth().unwrap();
    for (name, body) in expected(&a) {
        fs::write(out.join(name), body).unwrap();
    }
    let err = app("b").synth_to(&out).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("is a mount point"), "{message}");
    assert_eq!(files(&out), expected(&a));
    assert_eq!(leftovers(&root, "out"), Vec::<String>::new());

    // Writing into a directory inside the volume works.
    let b = app("b").synth_to(out.join("cdk.out")).unwrap();
    assert_eq!(files(&out.join("cdk.out")), expected(&b));
    drop(mount);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_bind_mounted_target_on_the_same_file_system_is_refused_untouched() {
    let root = tmp("bind");
    let (source, out) = (root.join("source"), root.join("out"));
    let a = app("a").synth_to(&source).unwrap();
    fs::create_dir(&out).unwrap();
    let mount = match Mount::new(&out, &["--bind", source.to_str().unwrap()]) {
        Ok(m) => m,
        Err(why) => skip!(why),
    };
    let err = app("b").synth_to(&out).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("is a mount point"), "{message}");
    assert_eq!(files(&out), expected(&a));
    assert_eq!(leftovers(&root, "out"), [".source.lock", "source"]);
    drop(mount);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_full_disk_fails_and_leaves_the_previous_assembly() {
    let root = tmp("full");
    let disk = root.join("disk");
    let mount = match Mount::tmpfs(&disk, "64k") {
        Ok(m) => m,
        Err(why) => skip!(why),
    };
    let out = disk.join("out");
    let a = app("a").synth_to(&out).unwrap();
    let big = big_app(1200);
    let bytes = big.synth().unwrap().total_bytes();
    assert!(bytes > 64 * 1024, "{bytes} bytes");
    let err = big.synth_to(&out).unwrap_err();
    assert!(matches!(err, orgstack::Error::Io { .. }), "{err}");
    let source = std::error::Error::source(&err).map(|s| s.to_string());
    assert!(
        source
            .as_deref()
            .is_some_and(|s| s.contains("No space left")),
        "{source:?}"
    );
    assert_eq!(files(&out), expected(&a));
    assert_eq!(leftovers(&disk, "out"), Vec::<String>::new());
    drop(mount);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_read_only_file_system_fails_and_leaves_the_previous_assembly() {
    let root = tmp("read-only");
    let disk = root.join("disk");
    let mount = match Mount::tmpfs(&disk, "1m") {
        Ok(m) => m,
        Err(why) => skip!(why),
    };
    let out = disk.join("out");
    let a = app("a").synth_to(&out).unwrap();
    mount.remount_read_only();
    let err = app("b").synth_to(&out).unwrap_err();
    assert!(matches!(err, orgstack::Error::Io { .. }), "{err}");
    assert_eq!(files(&out), expected(&a));
    assert_eq!(leftovers(&disk, "out"), Vec::<String>::new());
    drop(mount);
    fs::remove_dir_all(&root).unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_parent_directory_fails_and_leaves_the_previous_assembly() {
    use std::os::unix::fs::PermissionsExt;
    let root = tmp("read-only-parent");
    let parent = root.join("parent");
    let out = parent.join("out");
    let a = app("a").synth_to(&out).unwrap();
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = parent.join("probe");
    if fs::write(&probe, "").is_ok() {
        fs::remove_file(&probe).unwrap();
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).unwrap();
        fs::remove_dir_all(&root).unwrap();
        skip!("permissions do not bite for this user (root); the read-only file system test covers the case");
    }
    let err = app("b").synth_to(&out).unwrap_err();
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(matches!(err, orgstack::Error::Io { .. }), "{err}");
    assert_eq!(files(&out), expected(&a));
    assert_eq!(leftovers(&parent, "out"), Vec::<String>::new());
    fs::remove_dir_all(&root).unwrap();
}
