"""`briefgen init` and `briefgen clean`: a project started, and its outputs cleared."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from ..errors import EXIT_OK
from .console import run_command, usage_error
from .options import DEBUG, OUT, project_here, shown

CONFIG = """\
# briefgen.yaml: the settings every brief of this project shares (briefgen's README,
# and its docs/brief-format.md, say each).
# paper: a4                      # a4 or letter; --paper overrides it
# allowed_hosts: []              # web hosts briefs may read images, sources and data from
# publication:                   # who publishes the briefs: shown on every edition
#   publisher: {en: "Your organisation"}
#   series: {en: "Policy Brief"}
"""
GITIGNORE = "# What briefgen builds: made again from the briefs by `briefgen build`.\nbuild/\n"


@click.command("init", short_help="Start a project: settings, a first brief, its schema.")
@click.argument("folder", required=False, type=click.Path(path_type=Path),
                default=Path("."))
@DEBUG
def init_command(folder: Path, debug: bool) -> None:
    """Start a project in FOLDER (default: here): briefgen.yaml, briefs/ with one brief
    that passes `check`, the JSON schema editors complete it with, and a .gitignore.
    Nothing that exists is overwritten."""

    def run() -> int:
        from ..source.schema import brief_json_schema
        from ..source.skeleton import skeleton

        if (folder / "briefgen.yaml").exists() or any((folder / "briefs").glob("*.y*ml")):
            usage_error(f"{shown(folder)} is a briefgen project already (it has "
                        "briefgen.yaml or briefs); `briefgen new ID` adds a brief")
        brief_id = _brief_id(folder)
        files = {folder / "briefgen.yaml": CONFIG,
                 folder / "briefs" / f"{brief_id}.yaml": skeleton(brief_id),
                 folder / "brief.schema.json": json.dumps(brief_json_schema(), indent=2,
                                                          ensure_ascii=False) + "\n",
                 folder / ".gitignore": GITIGNORE}
        for path, text in files.items():
            if path.exists():
                click.echo(f"kept {shown(path)}")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            click.echo(f"wrote {shown(path)}")
        here = "" if folder.resolve() == Path.cwd().resolve() else f"cd {shown(folder)} && "
        click.echo(f"next: {here}briefgen build   (then open build/index.html)")
        return EXIT_OK

    run_command(run, debug)


def _brief_id(folder: Path) -> str:
    """The first brief's id: the folder's name as an id, else first-brief."""
    from ..source.validate import brief_id_problem

    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return name if name and not brief_id_problem(name) else "first-brief"


@click.command("clean", short_help="Remove what briefgen wrote to the output folder.")
@OUT
@DEBUG
def clean_command(out_dir: Path, debug: bool) -> None:
    """Remove what briefgen wrote to OUT (its manifest says what) and the folders left
    empty; files briefgen did not write stay, and are listed."""

    def run() -> int:
        from ..builder.folder import clean

        project = project_here()
        removed, kept = clean(project.resolve(out_dir), project)
        click.echo(f"removed {removed} file(s) from {shown(out_dir)}/")
        for path in kept:
            click.echo(f"kept {shown(path)} (not written by briefgen)")
        return EXIT_OK

    run_command(run, debug)
