//! Writing a file the user owns (`--fix`, `--output-file`, `--write-baseline`) without
//! changing anything but its content:
//!
//! - a symlink is written through: the link stays, its target gets the new content;
//! - a regular file is replaced atomically (temporary file in the same folder, renamed over
//!   it) with its mode and owner copied over; when that cannot keep what the file was (several
//!   hard links, an owner we cannot give the copy, a folder we may not create files in), it is
//!   rewritten in place instead, as ruff
//!   does, which keeps its inode and so every link, its owner and its mode;
//! - a FIFO or a device is opened and written to, never replaced by a regular file;
//! - a file with no write permission bit is refused (even for root, who could write it);
//! - with `expected`, a file whose content is no longer what was read is refused: someone
//!   edited it while we ran, and writing would lose that edit.

use std::fs::{self, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a write was refused or failed. The message is meant for the user as is.
#[derive(Debug)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError(e.to_string())
    }
}

/// Write `bytes` to `path` (see the module docs). With `expected`, the file must still hold
/// exactly those bytes right before it is written.
pub fn write(path: &Path, bytes: &[u8], expected: Option<&[u8]>) -> Result<(), WriteError> {
    let target = resolve_links(path)?;
    let meta = match fs::metadata(&target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if expected.is_some() {
                return Err(WriteError(
                    "the file was removed since it was read; nothing was written".to_string(),
                ));
            }
            return replace_atomically(&target, bytes, None).map(|_| ());
        }
        Err(e) => return Err(e.into()),
    };
    if meta.is_dir() {
        return Err(WriteError("is a directory".to_string()));
    }
    if !meta.is_file() {
        // A FIFO, a terminal, /dev/null: the reader is on the other side.
        let mut file = OpenOptions::new().write(true).open(&target)?;
        file.write_all(bytes)?;
        return file.flush().map_err(Into::into);
    }
    if meta.permissions().readonly() {
        return Err(WriteError(
            "the file is read-only; it was left untouched".to_string(),
        ));
    }
    if let Some(expected) = expected {
        let now = fs::read(&target)?;
        if now != expected {
            return Err(WriteError(
                "the file changed on disk since it was read; it was left untouched \
                 (run again to fix the new content)"
                    .to_string(),
            ));
        }
    }
    if must_write_in_place(&meta) {
        return write_in_place(&target, bytes);
    }
    if !replace_atomically(&target, bytes, Some(&meta))? {
        return write_in_place(&target, bytes);
    }
    Ok(())
}

/// Follow symlinks to the file they name, even when it does not exist yet (a dangling link
/// is written through too, creating its target).
fn resolve_links(path: &Path) -> Result<PathBuf, WriteError> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(WriteError("too many levels of symbolic links".to_string()))
}

#[cfg(unix)]
fn must_write_in_place(meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn must_write_in_place(_meta: &Metadata) -> bool {
    false
}

/// Truncate and rewrite the file itself: its inode, links, owner and mode stay.
fn write_in_place(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut file = OpenOptions::new().write(true).truncate(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all().map_err(Into::into)
}

/// Write a temporary file in the target's folder, give it the original's mode and owner,
/// then rename it over the target: a reader never sees half a file, and a failed run leaves
/// the old one in place. `Ok(false)`: nothing was written, the copy could not be made in
/// that folder or could not get the original's owner.
fn replace_atomically(
    path: &Path,
    bytes: &[u8],
    original: Option<&Metadata>,
) -> Result<bool, WriteError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| WriteError("not a file name".to_string()))?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => file,
            // A folder we may not add to, holding a file we may write: write the file itself.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied && original.is_some() => {
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        if let Some(original) = original {
            if !keep_owner(&file, original) {
                return Ok(false);
            }
            file.set_permissions(original.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        Ok(true)
    })();
    if !matches!(result, Ok(true)) {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|e: io::Error| e.into())
}

/// Give the new file the original's owner and group; false when that is not allowed.
#[cfg(unix)]
fn keep_owner(file: &fs::File, original: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(mine) = file.metadata() else {
        return false;
    };
    if mine.uid() == original.uid() && mine.gid() == original.gid() {
        return true;
    }
    std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).is_ok()
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _original: &Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        fs::write(&target, "old").unwrap();
        write(&target, b"new", None).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing = dir.path().join("no/such/dir/report.json");
        assert!(write(&missing, b"x", None).is_err());
    }

    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.yml");
        fs::write(&target, "edited").unwrap();
        let err = write(&target, b"fixed", Some(b"original")).unwrap_err();
        assert!(err.0.contains("changed on disk"), "{err}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "edited");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_links_and_symlinks() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yml");
        fs::write(&real, "a").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.yml");
        std::os::unix::fs::symlink("real.yml", &link).unwrap();
        write(&link, b"b", Some(b"a")).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "b");
        assert_eq!(fs::metadata(&real).unwrap().mode() & 0o777, 0o640);
        let hard = dir.path().join("hard.yml");
        fs::hard_link(&real, &hard).unwrap();
        write(&real, b"c", None).unwrap();
        assert_eq!(fs::read_to_string(&hard).unwrap(), "c");
        fs::set_permissions(&real, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(write(&real, b"d", None).is_err());
        assert_eq!(fs::read_to_string(&real).unwrap(), "c");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_in_a_folder_we_may_not_add_to_is_written_in_place() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("locked");
        fs::create_dir(&sub).unwrap();
        let target = sub.join("f.yml");
        fs::write(&target, "a").unwrap();
        if fs::metadata(&target).unwrap().uid() == 0 {
            // Root may add files anywhere: the atomic path is taken, nothing to test.
            return;
        }
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
        let result = write(&target, b"b", Some(b"a"));
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).unwrap();
        result.unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "b");
    }
}
