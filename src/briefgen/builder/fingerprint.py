"""Versions and machine facts that change every output when they change."""

from __future__ import annotations

import hashlib
import os
import subprocess
from functools import cache
from importlib import metadata

from .. import __version__

PACKAGES = ("weasyprint", "pydyf", "fonttools", "jinja2", "markdown", "babel", "nh3")


@cache
def environment() -> dict[str, str]:
    """Versions and machine facts that change outputs: a change rebuilds everything."""
    facts = {"briefgen": __version__}
    for package in PACKAGES:
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            facts[package] = "-"
    facts["fonts"] = _font_fingerprint()
    return facts


def _font_fingerprint() -> str:
    """The installed fonts, as fontconfig lists them (files, families, styles, sizes).

    Hashing every font file's content on every run would cost far more than the
    build it saves; a font installed, removed or updated changes this list.
    """
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{style}\n"],
                                 capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = []
    for line in sorted(set(listing.splitlines())):
        path = line.split("|", 1)[0]
        try:
            stat = os.stat(path)
            lines.append(f"{line}|{stat.st_size}|{stat.st_mtime_ns}")
        except OSError:
            lines.append(line)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]
