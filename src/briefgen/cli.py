"""The command line: argument parsing and reporting only.

Problems go to standard error as ``FILE:LINE:COLUMN: message``, one a line; build
events go to standard output. A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .build import BuildOptions, Project, Reporter, build, check, find_brief_files, load_briefs
from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, BriefError, BriefgenError, Problem
from .model import BRIEF_ID_RE, brief_json_schema
from .skeleton import skeleton
from .translations import confirm

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
DEBUG = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
STRICT = click.option("--strict", is_flag=True,
                      help="Treat warnings (unknown fields, refused resources) as errors.")
PAPER = click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
                     help="Paper size of the PDF editions. Default: the project's "
                     "briefgen.yaml, else each audience's own (a4 for the built-in ones).")


class ConsoleReporter(Reporter):
    """Plain lines: build events on stdout, problems on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def event(self, kind: str, target: str, detail: str = "", **facts: object) -> None:
        if self.quiet and kind != "failed":
            return
        suffix = f" ({detail})" if detail else ""
        stream = sys.stderr if kind == "failed" else sys.stdout
        click.echo(f"{kind:>9}  {target}{suffix}", file=stream)

    def problem(self, problem: Problem) -> None:
        click.echo(str(problem), file=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def cli() -> None:
    """briefgen: policy briefs as PDF and HTML from one YAML source per brief.

    Run it in a project folder holding briefs/ (and, optionally, templates/).
    """


@cli.command("build")
@PATHS
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Folder the outputs are written to.")
@click.option("--audience", "audiences", multiple=True, metavar="NAME",
              help="Build only this audience (repeatable). Default: all.")
@PAPER
@STRICT
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@DEBUG
def build_command(paths: tuple[Path, ...], out_dir: Path, audiences: tuple[str, ...],
                  paper: str | None, strict: bool, quiet: bool, debug: bool) -> None:
    """Build every brief under PATHS (default: briefs/) for every audience and language.

    Writes OUT/<id>/<id>-<audience>-<lang>.pdf and .html. Exit 0 when all were built,
    1 when some brief or edition failed (the others are still built), 2 on usage errors.
    """
    options = BuildOptions(out_dir=out_dir, audiences=list(audiences) or None,
                           paper=paper, strict=strict)  # type: ignore[arg-type]

    def run() -> int:
        result = build(_paths(paths), options, ConsoleReporter(quiet))
        click.echo(result.summary())
        return EXIT_OK if result.ok else EXIT_FAILED

    _exit(run, debug)


@cli.command("check")
@PATHS
@PAPER
@STRICT
@DEBUG
def check_command(paths: tuple[Path, ...], paper: str | None, strict: bool,
                  debug: bool) -> None:
    """Validate briefs, report translation completeness and page budgets; write nothing.

    Exit 0 when every brief is valid, complete and within its page budgets; 1 otherwise.
    """

    def run() -> int:
        result = check(_paths(paths), ConsoleReporter(), paper=paper,  # type: ignore[arg-type]
                       strict=strict)
        for brief_file in result.valid:
            langs = ", ".join(str(s) for s in result.languages[brief_file.id])
            pages = ", ".join(str(use) for use in result.pages[brief_file.id])
            click.echo(f"{brief_file.path}: translated {langs}; {pages or 'no page budgets'}")
        click.echo(f"{len(result.valid)} brief(s) checked, {result.failed} problem(s)")
        return EXIT_OK if result.ok else EXIT_FAILED

    _exit(run, debug)


@cli.command("confirm")
@PATHS
@click.option("--lang", "langs", multiple=True, metavar="LANG",
              help="Confirm this language's translations (repeatable). Default: all but "
              "the source language.")
@click.option("--field", "fields", multiple=True, metavar="FIELD",
              help="Confirm only this field, named as check names it, e.g. "
              "achievements[2].text (repeatable). Default: every translated field.")
@DEBUG
def confirm_command(paths: tuple[Path, ...], langs: tuple[str, ...], fields: tuple[str, ...],
                    debug: bool) -> None:
    """Record that the translations of the briefs under PATHS match their source text.

    Writes <id>.translations.json beside each brief; commit it with the brief. `check`
    then reports a translation as possibly outdated when its source text changes.
    """

    def run() -> int:
        project = Project(Path.cwd())
        reporter = ConsoleReporter()
        loaded = load_briefs(find_brief_files(_paths(paths)), project, project.templates(),
                             reporter)
        for brief_file in loaded.briefs:
            count = confirm(brief_file, list(langs) or None, list(fields) or None)
            click.echo(f"{brief_file.path}: confirmed {count} translation(s)")
        return EXIT_OK if not loaded.failed else EXIT_FAILED

    _exit(run, debug)


@cli.command("new")
@click.argument("brief_id")
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=Path("briefs"),
              show_default=True, help="Folder to create the brief in.")
def new_command(brief_id: str, folder: Path) -> None:
    """Write a commented skeleton brief, briefs/BRIEF_ID.yaml, that passes `check`."""
    if not BRIEF_ID_RE.match(brief_id):
        _usage(f"{brief_id!r} is not a valid brief id (lowercase letters, digits, hyphens)")
    target = folder / f"{brief_id}.yaml"
    if target.exists():
        _usage(f"{target} already exists; briefgen never overwrites a brief")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(brief_id), encoding="utf-8")
    click.echo(f"wrote {target}")


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the brief format, for editors with a YAML language server."""
    click.echo(json.dumps(brief_json_schema(), indent=2, ensure_ascii=False))


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [Path("briefs")]


def _usage(message: str) -> None:
    click.echo(f"briefgen: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _exit(run, debug: bool) -> None:  # type: ignore[no-untyped-def]
    """Run a command body, turning every failure into a message and an exit code."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(name)s: %(levelname)s: %(message)s")
    if not debug:
        # WeasyPrint logs every CSS it does not support; briefgen reports what matters.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        code = run()
    except BriefError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        code = exc.exit_code
    except BriefgenError as exc:
        click.echo(f"briefgen: error: {exc}", err=True)
        code = exc.exit_code
    except Exception as exc:  # an internal error: say so, without a wall of text
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"briefgen: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback)", err=True)
        code = EXIT_FAILED
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """The console script's entry point."""
    cli.main(args=argv, prog_name="briefgen")
