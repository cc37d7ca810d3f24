"""The output folder: held by one build at a time, tidied of what a killed build left,
and kept out of version control where it must be."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BriefgenError, UsageError, display_path
from ..source.project import Project
from .manifest import JOURNAL
from .stats import STAT_CACHE

LOCK = ".briefgen.lock"
EXIT_LOCKED = 75  # EX_TEMPFAIL: another build holds the output folder; try again later
# What a killed build may leave: write_if_changed's temporary files, .<name>.XXXXXXXX.tmp
_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")
# Kept out of version control in a committed output folder: local and transient.
GITIGNORE = f"{LOCK}\n{STAT_CACHE}\n{JOURNAL}\n"


class LockedError(BriefgenError):
    """Another build holds the output folder."""

    exit_code = EXIT_LOCKED


def output_folder(project: Project, out: Path) -> Path:
    """The output folder, which must be a folder (or not exist yet)."""
    out_dir = project.resolve(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{display_path(out_dir)} is not a folder; --out names the folder "
                         "the outputs are written to")
    return out_dir


def tidy(out_dir: Path) -> None:
    """Under the lock: remove what a killed build left, and keep the folder's local
    files out of version control."""
    for path in out_dir.glob("**/.*.tmp"):
        if _TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
    ignore = out_dir / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(OSError):
            ignore.write_text(GITIGNORE, encoding="utf-8")


@contextmanager
def locked(out_dir: Path, wait: float) -> Iterator[None]:
    """Hold the output folder for this build; another one waits or stops (EXIT_LOCKED)."""
    from filelock import FileLock, Timeout

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(out_dir / LOCK)
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockedError(f"another briefgen build is writing to {display_path(out_dir)}/ "
                          f"(waited {wait:g} s; --wait SECONDS waits longer)") from None
    except OSError as exc:
        raise BriefgenError(f"cannot write to {display_path(out_dir)}/: "
                            f"{exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def clean(out_dir: Path, project: Project, wait: float = 0.0) -> tuple[int, list[Path]]:
    """Remove what briefgen wrote to ``out_dir``, as its manifest records it, and the
    folders left empty; returns how many files went and the files it did not write,
    which stay. A folder without a manifest is not briefgen's: UsageError."""
    import shutil

    from ..source.remote import REMOTE_FOLDER
    from .changes import change_log_path
    from .citations import citation_paths
    from .manifest import MANIFEST, Manifest

    if not out_dir.exists():
        return 0, []  # nothing to remove: a second clean is no error
    if not (out_dir / MANIFEST).is_file():
        raise UsageError(f"{display_path(out_dir)}/ holds no briefgen manifest; nothing "
                         "of briefgen's to remove")
    with locked(out_dir, wait):
        manifest = Manifest.load(out_dir, project)
        written = {project.path(key) for record in manifest.records.values()
                   for key in record.outputs}
        for entry in manifest.briefs.values():
            written.update([*citation_paths(out_dir, entry.id),
                            change_log_path(out_dir, entry.id)])
        written.update(out_dir / name for name in (MANIFEST, JOURNAL, STAT_CACHE, ".gitignore",
                                                    "index.html"))
        # The front page in each language: what it recorded of itself.
        written.update(path for path in map(project.path, manifest.index)
                       if path.parent == out_dir)
        shutil.rmtree(out_dir / REMOTE_FOLDER, ignore_errors=True)
        removed = 0
        for path in written:
            if path.is_file() and not path.is_symlink() and path.is_relative_to(out_dir):
                path.unlink()
                removed += 1
    (out_dir / LOCK).unlink(missing_ok=True)
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty
    with contextlib.suppress(OSError):
        out_dir.rmdir()
    kept = sorted(p for p in out_dir.rglob("*") if p.is_file()) if out_dir.is_dir() else []
    return removed, kept


__all__ = ["EXIT_LOCKED", "LockedError", "clean", "locked", "output_folder", "tidy"]
