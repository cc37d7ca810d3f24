"""Writing outputs so that nothing good is ever lost."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_if_changed(target: Path, data: bytes) -> bool:
    """Atomically replace ``target`` with ``data`` unless it already holds exactly that.

    Writing to a temporary file in the same folder and renaming it means a reader,
    a crash or a kill never sees half a file; skipping identical bytes keeps
    watchers and `git status` quiet.
    """
    try:
        # Only a regular file is compared: reading a pipe put in an output's place
        # would hang the build (and a link is replaced, never written through).
        st = target.lstat()
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def size_text(size: int) -> str:
    """A size as a limit is written: whole megabytes, or bytes below one."""
    return f"{size // 2**20:,} MB" if size >= 2**20 else f"{size:,} bytes"


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, when set: the time a reproducible build stamps into its outputs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(epoch) if epoch.isdigit() else None
