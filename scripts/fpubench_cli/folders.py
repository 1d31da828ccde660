"""The one place that creates and checks output folders, and says the real reason when it cannot:
a read-only file system, a name too long, a file in the way, a symlink loop, another owner, a
full disk, each with its own fix."""
import errno
import os
import pwd
from pathlib import Path

from fpubench_cli.errors import UserError

_MOVE = "or set FPUBENCH_RESULTS to a folder of yours"


def _owner(path):
    for p in [Path(path), *Path(path).parents]:
        try:
            return pwd.getpwuid(p.stat().st_uid).pw_name
        except (OSError, KeyError):
            continue
    return "another user"


def _blocker(path):
    """The first part of `path` that exists and is not a folder, or None."""
    for p in [*reversed(Path(path).parents), Path(path)]:
        if p.exists() and not p.is_dir():
            return p
    return None


def why(path, e):
    """One sentence: why `path` cannot be made or written, and the fix."""
    code = e.errno
    if code == errno.EROFS:
        return f"{path} is on a read-only file system: {_MOVE} on a writable one"
    if code == errno.ENAMETOOLONG:
        longest = max((len(part) for part in Path(path).parts), default=0)
        return (f"a name in {str(path)[:80]}... is too long ({longest} characters in one part, {len(str(path))} in "
                f"all; a part may have 255): use a shorter label or path")
    if code in (errno.ENOTDIR, errno.EEXIST):
        blocker = _blocker(path)
        return (f"{blocker or path} is a file, not a folder: move it away, {_MOVE}")
    if code == errno.ELOOP:
        return f"{path} goes through a symbolic link loop: fix or remove the link, {_MOVE}"
    if code in (errno.EACCES, errno.EPERM):
        return (f"{path} is not writable by this user (its owner is {_owner(path)}): run fpubench as its "
                f"owner, {_MOVE}")
    if code == errno.ENOSPC:
        return f"no space left on the file system of {path}: free some, {_MOVE} elsewhere"
    return f"cannot create {path} ({e.strerror}): {_MOVE}"


def make_folder(path):
    """`path` created if needed (with its parents) and writable; UserError with the reason if not."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(why(path, e)) from None
    if not path.is_dir():
        raise UserError(why(path, OSError(errno.ENOTDIR, "not a folder")))
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(why(path, OSError(errno.EROFS if _read_only(path) else errno.EACCES, "")))
    return path


def _read_only(path):
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False
