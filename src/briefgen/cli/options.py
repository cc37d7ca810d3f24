"""The options and helpers the commands share."""

from __future__ import annotations

from pathlib import Path

import click

from ..source.project import Project

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
DEBUG = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
STRICT = click.option("--strict", is_flag=True,
                      help="Treat warnings (unknown fields, refused resources) as errors.")
PAPER = click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
                     help="Paper size of the PDF editions. Default: the project's "
                     "briefgen.yaml, else each audience's own (a4 for the built-in ones).")
OUT = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
                   show_default=True, help="Folder the outputs are written to.")
AUDIENCES = click.option("--audience", "audiences", multiple=True, metavar="NAME",
                         help="Build only this audience (repeatable). Default: all.")
JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                    help="Make this many editions at once, in worker processes. "
                    "Default: the number of cores.")
RENDER_TIMEOUT = click.option(
    "--render-timeout", type=click.FloatRange(min=0.01), default=None, metavar="SECONDS",
    help="Stop making an edition that takes longer; its previous output stays. Default: "
    "the project's briefgen.yaml (render_timeout), else 300.")
OFFLINE = click.option("--offline", is_flag=True, help="Fetch no web file (sources and "
                       "data named by https:// URL): read the copies the last build kept.")
MEMORY_LIMIT = click.option(
    "--memory-limit", type=click.IntRange(min=1), default=None, metavar="MB",
    help="Stop making an edition that needs this much more memory. Default: the "
    "project's briefgen.yaml (memory_limit), else 2048.")


def project_here() -> Project:
    """The project at the working folder."""
    return Project(Path.cwd())


def brief_paths(paths: tuple[Path, ...]) -> list[Path]:
    """The PATHS given, or briefs/."""
    return [path.absolute() for path in paths] or [Path.cwd() / "briefs"]


def shown(path: Path) -> str:
    """A path as messages show it."""
    from ..errors import display_path

    return display_path(path)
