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
    """Versions that change outputs: a change rebuilds everything. (The fonts installed
    do not: an edition depends on the families it embeds, as FONT_PREFIX inputs.)"""
    facts = {"briefgen": __version__}
    for package in PACKAGES:
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            facts[package] = "-"
    return facts


@cache
def font_digest(family: str) -> str:
    """The installed files of one font family, as fontconfig lists them (files, styles,
    sizes, times): installing, removing or updating one changes it; another family's
    does not. Hashing the files' content on every run would cost more than the build."""
    lines = [line for line in installed_fonts() if line[1] == family.lower()]
    return hashlib.sha256(repr(lines).encode()).hexdigest()[:20]


@cache
def installed_fonts() -> tuple[tuple[str, str, str, int, int], ...]:
    """(file, family, style, size, mtime) of every font fontconfig lists, one entry a
    family name of each file; read once a process."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{style}\n"],
                                 capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    fonts = []
    for line in sorted(set(listing.splitlines())):
        path, _, rest = line.partition("|")
        families, _, style = rest.partition("|")
        try:
            stat = os.stat(path)
            size, mtime = stat.st_size, stat.st_mtime_ns
        except OSError:
            size = mtime = -1
        fonts += [(path, family.strip().lower(), style, size, mtime)
                  for family in families.split(",")]
    return tuple(fonts)
