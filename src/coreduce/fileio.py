"""Atomic file writes: the one place where coreduce writes a file that must never be left half-written.

A writer gets a temporary path in the target's folder; only when it returns without error is the temporary
file renamed over the target (``os.replace``, atomic on POSIX), so readers see the old file or the new one,
never a mixture, and a failed write leaves the old file as it was.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputPathError(ValueError):
    """The target of a write is not a regular file path that coreduce may replace."""


def check_output_path(path: Path) -> None:
    """Refuse a target that is a directory, a symbolic link or a device (anything but a regular file)."""
    if path.is_symlink():
        raise OutputPathError(f"{path}: is a symbolic link; name a regular file")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        kind = "a directory" if path.is_dir() else "not a regular file (device, pipe or socket)"
        raise OutputPathError(f"{path}: is {kind}; name a regular file")


@contextmanager
def atomic_write(path: str | Path, *, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path`` with permissions ``mode``.

    The temporary file is removed when the block raises. A full disk raises ``OSError`` with a message that
    names the target.
    """
    path = Path(path)
    check_output_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise OSError(exc.errno, f"{path}: no space left on the device; nothing was written") from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
