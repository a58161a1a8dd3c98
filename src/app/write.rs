//! Writing an assembly to disk: staged beside the target, then swapped in by two renames,
//! under a lock per target.
//!
//! The steps, for a target `<parent>/<name>`:
//! 1. resolve the target: it must name a directory (a trailing `.` is dropped, `..` and
//!    empty paths are refused); symbolic links are followed to where they point; a file
//!    is refused before anything is created;
//! 2. create the parent, take the lock `<parent>/.<name>.lock` (an empty file, left in
//!    place: removing it would let two writers hold "the" lock on two files);
//! 3. holding it, look at the target again, remove what killed writers left
//!    (`.<name>.staging*`, `.<name>.previous*` directories), write every file to a fresh
//!    `.<name>.staging.<pid>` directory, rename the old assembly aside (a mount point
//!    refuses here), rename the new one in, and remove the old one.
//!
//! A guard removes the staging directory on every early return.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use super::assembly::{Assembly, DEPLOY_PLAN_FILE, MANIFEST_FILE};
use crate::error::{Error, Result, TargetProblem};

/// How many symbolic links are followed from the target before giving up (Linux's
/// limit for a path).
const MAX_LINKS: u32 = 40;

impl Assembly {
    /// Writes the assembly to the directory `dir`, replacing the assembly there in one
    /// step.
    ///
    /// - **Atomic**: the files are written to a directory beside `dir`, which is then
    ///   renamed into place (the old one renamed aside first, then removed). A reader sees
    ///   the old assembly or the new one, never a mix (though, for the moment between the
    ///   two renames, nothing). The files are not flushed to stable storage (no `fsync`):
    ///   the guarantee holds against failures and crashes of the program, not against a
    ///   power loss.
    /// - **Concurrent writers** (threads or processes) into one `dir` take turns on a lock
    ///   (`.<name>.lock` beside `dir`, an empty file that stays there): each leaves a
    ///   complete assembly, and the last one wins. A writer waits for the one before it.
    /// - **What is replaced**: the directory `dir` and everything in it (it belongs to the
    ///   assembly: files the assembly does not write are removed); never a file. A missing
    ///   `dir` is created, with its parents.
    /// - **On failure** (a full disk, a read-only parent, a mount point), an earlier
    ///   assembly at `dir` is left as it was and nothing this call staged is left beside
    ///   it; only the parents it created and the lock file stay. Directories a writer that
    ///   was killed half-way left (`.<name>.staging*`, `.<name>.previous*`) are removed by
    ///   the next writer; files of those names are never touched.
    /// - **Symbolic links** at `dir` are followed: the directory a link points to receives
    ///   the assembly (built beside that directory, under that directory's lock; created
    ///   if it does not exist yet), and the link stays.
    /// - **Mount points** (a container volume, say) cannot be renamed, so they cannot be
    ///   replaced in one step: they are refused, their contents untouched. Write into a
    ///   directory inside the volume instead (`/out/cdk.out` rather than `/out`).
    ///
    /// # Errors
    /// [`Error::Target`] when `dir` cannot hold an assembly ([`TargetProblem`]): before
    /// anything is created when it names no directory (empty, `.`, or ending in `..`), a
    /// file (or a link to one) is there, or links loop; after staging, which is removed,
    /// when it is a mount point. [`Error::Io`] naming the path that could not be written
    /// or moved.
    pub fn write_to(&mut self, dir: impl AsRef<Path>) -> Result<()> {
        let start = Instant::now();
        self.write_staged(dir.as_ref(), &mut |_| Ok(()))?;
        self.timings.write = start.elapsed();
        Ok(())
    }

    /// `write_to`, with `after_file` called after each file is written (a test seam for
    /// failures in the middle of writing).
    fn write_staged(
        &self,
        dir: &Path,
        after_file: &mut dyn FnMut(&Path) -> std::io::Result<()>,
    ) -> Result<()> {
        let target = Target::resolve(dir)?;
        fs::create_dir_all(&target.parent).map_err(io(&target.parent))?;
        let _lock = target.lock()?;
        // Looked at again: another program may have changed it while this one waited.
        let present = target.inspect()?;
        target.remove_leftovers();
        let staging = target.stage()?;
        for a in &self.artifacts {
            let path = staging.path.join(&a.file_name);
            fs::write(&path, &a.body).map_err(io(&path))?;
            after_file(&path).map_err(io(&path))?;
        }
        for (name, body) in [
            (MANIFEST_FILE, &self.manifest),
            (DEPLOY_PLAN_FILE, &self.deploy_plan),
        ]
        .into_iter()
        .chain(self.files.iter().map(|(n, b)| (n.as_str(), b)))
        {
            let path = staging.path.join(name);
            fs::write(&path, body).map_err(io(&path))?;
            after_file(&path).map_err(io(&path))?;
        }
        target.swap(staging, present)
    }
}

/// Maps an I/O error to [`Error::Io`] at `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io { path, source }
}

/// A resolved target: the directory `parent/name` (a link already followed).
#[derive(Debug)]
struct Target {
    /// The path the caller gave, for [`Error::Target`].
    given: PathBuf,
    parent: PathBuf,
    name: OsString,
    /// `parent/name`.
    dir: PathBuf,
}

/// Whether an assembly (a directory) is at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Present {
    No,
    Directory,
}

impl Target {
    /// The target `given` names: a trailing `.` dropped, symbolic links followed (to where
    /// they point, whether or not anything is there yet).
    fn resolve(given: &Path) -> Result<Target> {
        let mut path = given.to_path_buf();
        for _ in 0..=MAX_LINKS {
            let target = Target::named(given, &path)?;
            match fs::symlink_metadata(&target.dir) {
                Ok(m) if m.file_type().is_symlink() => {
                    let to = fs::read_link(&target.dir).map_err(io(&target.dir))?;
                    // Relative to the link's directory; an absolute one replaces it.
                    path = target.parent.join(to);
                }
                _ => {
                    target.inspect()?;
                    return Ok(target);
                }
            }
        }
        Err(Error::Target {
            path: given.to_path_buf(),
            problem: TargetProblem::TooManyLinks,
        })
    }

    /// `path` as a directory `parent/name`, without looking at the disk.
    fn named(given: &Path, path: &Path) -> Result<Target> {
        // `components` drops a trailing `.`; what is left must end in a name.
        let Some(Component::Normal(name)) = path.components().next_back() else {
            return Err(Error::Target {
                path: given.to_path_buf(),
                problem: TargetProblem::NoName,
            });
        };
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(Target {
            given: given.to_path_buf(),
            dir: parent.join(name),
            name: name.to_os_string(),
            parent,
        })
    }

    /// What is at the target now; refuses what cannot be replaced.
    fn inspect(&self) -> Result<Present> {
        let refuse = |problem| Error::Target {
            path: self.given.clone(),
            problem,
        };
        let meta = match fs::symlink_metadata(&self.dir) {
            Ok(m) => m,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Present::No),
            Err(e) => return Err(io(&self.dir)(e)),
        };
        // A link here was put there after the target was resolved: not followed now.
        // (Mount points are found when they refuse to be renamed: comparing device ids
        // would also refuse directories that can be renamed, such as btrfs subvolumes.)
        if meta.is_dir() {
            Ok(Present::Directory)
        } else {
            Err(refuse(TargetProblem::NotADirectory))
        }
    }

    /// `parent/.<name><suffix>`.
    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut n = OsString::from(".");
        n.push(&self.name);
        n.push(suffix);
        self.parent.join(n)
    }

    /// Takes the target's lock, waiting for a writer that holds it; released when the file
    /// is dropped.
    fn lock(&self) -> Result<File> {
        let path = self.sibling(".lock");
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io(&path))?;
        file.lock().map_err(io(&path))?;
        Ok(file)
    }

    /// Whether `file_name`, in the parent, is a directory name this module gives staging
    /// or moved-aside assemblies of this target: `.<name>.staging` or `.<name>.previous`,
    /// bare or followed by `.` and digits and dots.
    fn is_ours(&self, file_name: &std::ffi::OsStr) -> bool {
        let mut stem = OsString::from(".");
        stem.push(&self.name);
        let Some(rest) = file_name
            .as_encoded_bytes()
            .strip_prefix(stem.as_encoded_bytes())
        else {
            return false;
        };
        let Some(rest) = rest
            .strip_prefix(b".staging")
            .or_else(|| rest.strip_prefix(b".previous"))
        else {
            return false;
        };
        match rest.split_first() {
            None => true,
            Some((b'.', digits)) => {
                !digits.is_empty() && digits.iter().all(|b| b.is_ascii_digit() || *b == b'.')
            }
            Some(_) => false,
        }
    }

    /// Removes the directories writers of this target left when they were killed (the
    /// lock is held, so no live writer uses them). Best effort: a leftover that cannot be
    /// removed only takes a name the next ones skip.
    fn remove_leftovers(&self) {
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return;
        };
        for entry in entries.flatten() {
            if !self.is_ours(&entry.file_name()) {
                continue;
            }
            let path = entry.path();
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }

    /// A name beside the target, `.<name>.<what>.<pid>`, unused (a suffix added until it
    /// is), made with `make` (which fails with `AlreadyExists` if it is taken).
    fn fresh(
        &self,
        what: &str,
        mut make: impl FnMut(&Path) -> std::io::Result<()>,
    ) -> Result<PathBuf> {
        let pid = std::process::id();
        let mut last = None;
        for n in 0..100u32 {
            let path = if n == 0 {
                self.sibling(&format!(".{what}.{pid}"))
            } else {
                self.sibling(&format!(".{what}.{pid}.{n}"))
            };
            match make(&path) {
                Ok(()) => return Ok(path),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some((path, e)),
                Err(e) => return Err(io(&path)(e)),
            }
        }
        let (path, e) = last.unwrap_or_else(|| {
            (
                self.sibling(&format!(".{what}")),
                std::io::Error::from(ErrorKind::AlreadyExists),
            )
        });
        Err(io(&path)(e))
    }

    /// A new, empty staging directory, removed when dropped unless it was moved into place.
    fn stage(&self) -> Result<Staging> {
        let path = self.fresh("staging", |p| fs::create_dir(p))?;
        Ok(Staging { path, armed: true })
    }

    /// Moves the staged assembly into place: the old one aside, the new one in, the old
    /// one removed.
    fn swap(&self, staging: Staging, present: Present) -> Result<()> {
        if present == Present::No {
            fs::rename(&staging.path, &self.dir).map_err(io(&self.dir))?;
            staging.keep();
            return Ok(());
        }
        // Under the lock nobody else makes names of ours, so a name found free stays free.
        let previous = self.fresh("previous", |p| match fs::symlink_metadata(p) {
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
            Ok(_) => Err(ErrorKind::AlreadyExists.into()),
        })?;
        if let Err(e) = fs::rename(&self.dir, &previous) {
            return Err(match e.kind() {
                // A mount point: its own file system's root, or a bind mount.
                ErrorKind::ResourceBusy | ErrorKind::CrossesDevices => Error::Target {
                    path: self.given.clone(),
                    problem: TargetProblem::MountPoint,
                },
                _ => io(&self.dir)(e),
            });
        }
        if let Err(e) = fs::rename(&staging.path, &self.dir) {
            // Put the old assembly back; should even that fail, it stays at `previous`,
            // which the error names.
            return Err(match fs::rename(&previous, &self.dir) {
                Ok(()) => io(&self.dir)(e),
                Err(_) => io(&previous)(e),
            });
        }
        staging.keep();
        // The new assembly is in place: the call succeeded. An old one that cannot be
        // removed now is a leftover the next writer removes.
        let _ = fs::remove_dir_all(&previous);
        Ok(())
    }
}

/// A staging directory, removed with what it holds when dropped, unless kept.
#[derive(Debug)]
struct Staging {
    path: PathBuf,
    armed: bool,
}

impl Staging {
    /// It was moved into place: nothing to remove.
    fn keep(mut self) {
        self.armed = false;
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::CfnResource;
    use crate::cfn::Resource;
    use crate::App;

    fn read_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    fn app(topics: &[&str]) -> App {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        for t in topics {
            app.add(&s, CfnResource::new(*t, Resource::new("AWS::SNS::Topic")))
                .unwrap();
        }
        app.stack("Second").unwrap();
        app
    }

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("orgstack-assembly-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn failure_while_writing_leaves_previous_assembly_byte_identical() {
        let root = tmp("atomic");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        let before = read_dir(&out);
        assert_eq!(
            before.len(),
            5,
            "two templates, the manifest, the plan and the diagram"
        );

        let next = app(&["A", "B"]).synth().unwrap();
        let mut written = 0;
        let err = next
            .write_staged(&out, &mut |_| {
                written += 1;
                if written == 2 {
                    Err(std::io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert_eq!(written, 2, "the failure came after writing began");
        assert_eq!(read_dir(&out), before);
        let mut leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            [".out.lock", "out"],
            "the staging directory is gone"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn writing_replaces_the_previous_assembly() {
        let root = tmp("replace");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        fs::write(out.join("stale.json"), "{}").unwrap();
        app(&["A", "B"]).synth_to(&out).unwrap();
        let files: Vec<String> = read_dir(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            files,
            [
                "Main.template.json",
                "Second.template.json",
                "deploy-plan.md",
                "manifest.json",
                "organization.mmd"
            ]
        );
        let main = fs::read_to_string(out.join("Main.template.json")).unwrap();
        assert!(main.contains("\"B"), "{main}");
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn validation_failure_writes_nothing() {
        let root = tmp("invalid");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        let before = read_dir(&out);
        let mut bad = app(&["A"]);
        bad.stack("not_valid").unwrap();
        assert!(bad.synth_to(&out).is_err());
        assert_eq!(read_dir(&out), before);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_target_must_end_in_a_name() {
        for bad in ["", ".", "..", "a/..", "a/b/../..", "/"] {
            let err = Target::resolve(Path::new(bad)).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Target {
                        problem: TargetProblem::NoName,
                        ..
                    }
                ),
                "{bad:?}: {err}"
            );
        }
        let root = tmp("names");
        let t = Target::resolve(&root.join("out").join(".")).unwrap();
        assert_eq!(
            (t.parent.as_path(), t.name.as_os_str()),
            (root.as_path(), "out".as_ref())
        );
        let t = Target::resolve(Path::new("nowhere-such")).unwrap();
        assert_eq!(t.parent, Path::new("."));
        assert_eq!(t.dir, Path::new("./nowhere-such"));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn only_names_of_staged_and_moved_aside_assemblies_are_ours() {
        let t = Target::resolve(Path::new("no-such-dir/out")).unwrap();
        for ours in [
            ".out.staging",
            ".out.previous",
            ".out.staging.12",
            ".out.previous.12.3",
        ] {
            assert!(t.is_ours(ours.as_ref()), "{ours}");
        }
        for theirs in [
            "out",
            ".out.lock",
            ".out.staging.",
            ".out.stagingx",
            ".out.staging.x1",
            ".out.previous-1",
            // The staging directory of a target named `out.staging`.
            ".out.staging.staging.12",
            ".other.staging",
            "..out.staging",
        ] {
            assert!(!t.is_ours(theirs.as_ref()), "{theirs}");
        }
    }

    #[test]
    fn a_name_taken_by_a_leftover_is_skipped() {
        let root = tmp("fresh");
        let t = Target::resolve(&root.join("out")).unwrap();
        let pid = std::process::id();
        fs::write(root.join(format!(".out.staging.{pid}")), "a file").unwrap();
        fs::create_dir(root.join(format!(".out.staging.{pid}.1"))).unwrap();
        let staging = t.stage().unwrap();
        assert_eq!(staging.path, root.join(format!(".out.staging.{pid}.2")));
        assert!(staging.path.is_dir());
        drop(staging);
        assert!(
            !root.join(format!(".out.staging.{pid}.2")).exists(),
            "dropped, removed"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_failure_before_the_swap_removes_the_staging_directory_of_a_new_target() {
        let root = tmp("new-target");
        let out = root.join("deeper").join("out");
        let err = app(&["A"])
            .synth()
            .unwrap()
            .write_staged(&out, &mut |_| Err(std::io::Error::other("disk full")))
            .unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        let names: Vec<_> = fs::read_dir(root.join("deeper"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [".out.lock"], "no target, no staging directory");
        fs::remove_dir_all(&root).unwrap();
    }
}
