"""The commands: their arguments and options, and what each prints.

Every command runs in the project at the working folder: its briefs/, templates/ and
briefgen.yaml. PATHS default to briefs/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..builder.options import BuildOptions
from ..builder.run import BuildResult, build
from ..errors import EXIT_FAILED, EXIT_OK
from ..source.project import Paper, find_brief_files
from .console import ConsoleReporter, run_command, usage_error
from .options import (
    AUDIENCES,
    DEBUG,
    JOBS,
    MEMORY_LIMIT,
    OFFLINE,
    OUT,
    PAPER,
    PATHS,
    RENDER_TIMEOUT,
    STRICT,
    brief_paths,
    project_here,
    shown,
)
from .project import clean_command, init_command
from .translations import translations_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def cli() -> None:
    """briefgen: policy briefs as PDF and HTML from one YAML source per brief.

    Run it in a project folder holding briefs/ (and, optionally, templates/).
    """


@cli.command("build", short_help="Build the briefs' editions that are out of date.")
@PATHS
@OUT
@AUDIENCES
@PAPER
@STRICT
@click.option("--release", is_flag=True, help="Refuse draft translations (status: {ru: "
              "draft}): build only what may be published.")
@click.option("--force", is_flag=True, help="Rebuild every output, stale or not.")
@click.option("--explain", is_flag=True, help="Say for each output why it was rebuilt, "
              "and list the ones that were up to date.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when any "
              "output is stale (for CI).")
@JOBS
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, show_default=True,
              metavar="SECONDS", help="How long to wait for another build writing to the "
              "same folder; after that, exit 75.")
@RENDER_TIMEOUT
@MEMORY_LIMIT
@OFFLINE
@click.option("--executor", metavar="SCHEDULER", help="Make the editions on a Dask "
              "distributed cluster, tcp://HOST:8786: its workers read the project at this "
              "path and hand the files back to be written here.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@DEBUG
def build_command(paths: tuple[Path, ...], out_dir: Path, audiences: tuple[str, ...],
                  paper: Paper | None, strict: bool, release: bool, force: bool,
                  explain: bool, check_only: bool, jobs: int | None, wait: float,
                  render_timeout: float | None, memory_limit: int | None, offline: bool,
                  executor: str | None, quiet: bool, debug: bool) -> None:
    """Build every brief under PATHS (default: briefs/) for every audience and language.

    Writes OUT/<id>/<id>-<audience>-<edition>.pdf and .html, where an edition is a
    language (en, ru) or the bilingual pair (en-ru), and rebuilds only outputs whose
    inputs changed, by content. Exit 0 when all are built or up to date; 1 when some
    brief or edition failed (the others are still built) or, with --check, when some
    output is stale; 2 on usage errors; 75 when another build holds OUT.
    """
    options = BuildOptions(out_dir=out_dir, audiences=list(audiences) or None, paper=paper,
                           strict=strict, force=force, jobs=jobs or os.cpu_count() or 1,
                           wait=wait, render_timeout=render_timeout,
                           memory_limit_mb=memory_limit, offline=offline,
                           release=release)

    def run() -> int:
        from ..make.cluster import ClusterWorkers

        cluster = ClusterWorkers(executor) if executor and not check_only else None
        try:
            result = build(brief_paths(paths), options, ConsoleReporter(quiet, explain),
                           project_here(), check_only=check_only, workers=cluster)
        finally:
            if cluster is not None:
                cluster.close()
        click.echo(result.summary())
        return EXIT_OK if result.ok else EXIT_FAILED

    run_command(run, debug)


@cli.command("watch", short_help="Build, then rebuild what each saved change affects.")
@PATHS
@OUT
@AUDIENCES
@PAPER
@STRICT
@OFFLINE
@DEBUG
def watch_command(paths: tuple[Path, ...], out_dir: Path, audiences: tuple[str, ...],
                  paper: Paper | None, strict: bool, offline: bool, debug: bool) -> None:
    """Build, then rebuild what each saved change affects, until interrupted (Ctrl-C).

    Watches the whole project folder except OUT: briefs, their sources, templates,
    catalogs and briefgen.yaml. A broken brief is reported and the last good outputs
    stay; the next save tries again.
    """
    from ..live.watch import watch_and_build

    options = BuildOptions(out_dir=out_dir, audiences=list(audiences) or None, paper=paper,
                           strict=strict, offline=offline)

    def run() -> int:
        import time

        def summary(result: BuildResult | None) -> None:
            if result is not None:
                click.echo(f"{time.strftime('%H:%M:%S')} {result.summary()}; watching for "
                           "changes (Ctrl-C to stop)")

        def changed(files: list[Path]) -> None:
            names = ", ".join(shown(path) for path in files[:3])
            more = f" and {len(files) - 3} more" if len(files) > 3 else ""
            click.echo(f"{time.strftime('%H:%M:%S')} changed: {names}{more}")

        watch_and_build(brief_paths(paths), options, ConsoleReporter(), project_here(),
                        on_build=summary, on_change=changed)
        click.echo("stopped")
        return EXIT_OK

    run_command(run, debug)


@cli.command("serve", short_help="Preview the build in a browser, rebuilding on change.")
@PATHS
@OUT
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the preview to the network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the front page in the "
              "default web browser.")
@DEBUG
def serve_command(paths: tuple[Path, ...], out_dir: Path, port: int, host: str,
                  open_browser: bool, debug: bool) -> None:
    """Preview OUT on http://HOST:PORT/, rebuilding on change and reloading the page.

    Serves only this machine (127.0.0.1) unless --host says otherwise. Pages are
    reloaded in the browser after each rebuild; the files on disk are not changed for
    it. Stop with Ctrl-C.
    """
    from ..live.serve import serve

    options = BuildOptions(out_dir=out_dir)

    def run() -> int:
        def ready(address: str) -> None:
            click.echo(f"serving {out_dir}/ at {address} (Ctrl-C to stop)")
            if open_browser:
                import webbrowser

                webbrowser.open(address)

        serve(brief_paths(paths), options, ConsoleReporter(), project_here(), port, ready,
              host=host)
        return EXIT_OK

    run_command(run, debug)


@cli.command("check", short_help="Validate briefs, count translations, measure layouts.")
@PATHS
@PAPER
@STRICT
@click.option("--no-layout", "no_layout", is_flag=True, help="Validate and count "
              "translations only: lay out no edition (a fraction of a second).")
@JOBS
@RENDER_TIMEOUT
@MEMORY_LIMIT
@OFFLINE
@DEBUG
def check_command(paths: tuple[Path, ...], paper: Paper | None, strict: bool, no_layout: bool,
                  jobs: int | None, render_timeout: float | None, memory_limit: int | None,
                  offline: bool, debug: bool) -> None:
    """Validate briefs, count translations, lay out every edition; write nothing but
    the copies of web files in build/ (as build keeps them).

    Prints per brief its translation counts, and per edition its pages, type size and
    the layout inspector's measures (characters a line, hyphenated lines in a row, how
    full each page is). Uses the project's settings (allowed hosts, render limits) as
    build does. Exit 0 when every brief is valid, complete and within its page budgets
    (and, with --strict, free of warnings); 1 otherwise.
    """

    def run() -> int:
        from ..make.check import check
        from ..make.task import MakeOptions

        project = project_here()
        options = MakeOptions(project.root / "build", paper, strict, render_timeout,
                              memory_limit, offline)
        reporter = ConsoleReporter()
        result = check(brief_paths(paths), reporter, project, options,
                       jobs or os.cpu_count() or 1, layout=not no_layout)
        for brief_file in result.valid:
            statuses = result.languages[brief_file.id]
            langs = ", ".join(str(s) for s in statuses)
            # Worth saying only where there is another language to translate into.
            neutral = statuses[0].neutral if len(statuses) > 1 else 0
            member = f" ({brief_file.id})" if brief_file.member else ""
            click.echo(f"{shown(brief_file.path)}{member}: translated {langs}" + (
                f"; {neutral} field(s) written once for every language" if neutral else ""))
            click.echo(f"  {result.coverage[brief_file.id]}")
            for use in result.pages[brief_file.id]:
                click.echo(f"  {use}")
        # The problems it printed, not the briefs that had them.
        click.echo(f"{len(result.valid) + result.invalid} brief(s) checked: "
                   f"{reporter.problems[True]} error(s), {reporter.problems[False]} "
                   "warning(s)")
        return EXIT_OK if result.ok else EXIT_FAILED

    run_command(run, debug)


@cli.command("confirm", short_help="Record the translations as matching their source.")
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
        from ..builder.plan import audience_names
        from ..source.briefs import load_briefs
        from ..source.remote import RemoteSources
        from ..source.translations import confirm

        project = project_here()
        loaded = load_briefs(find_brief_files(brief_paths(paths)), audience_names(project),
                             project.root, ConsoleReporter(), remote=RemoteSources.of(
                                 project, project.root / "build", offline=True))
        for brief_file in loaded.briefs:
            count = confirm(brief_file, list(langs) or None, list(fields) or None)
            click.echo(f"{shown(brief_file.path)}: confirmed {count} translation(s)")
        return EXIT_OK if not loaded.failed else EXIT_FAILED

    run_command(run, debug)


@cli.command("new", short_help="Write a commented skeleton brief that passes check.")
@click.argument("brief_id")
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=Path("briefs"),
              show_default=True, help="Folder to create the brief in.")
def new_command(brief_id: str, folder: Path) -> None:
    """Write a commented skeleton brief, briefs/BRIEF_ID.yaml, that passes `check`."""
    from ..source.skeleton import skeleton
    from ..source.validate import brief_id_problem

    problem = brief_id_problem(brief_id)
    if problem:
        usage_error(problem)
    target = folder / f"{brief_id}.yaml"
    if target.exists():
        usage_error(f"{target} already exists; briefgen never overwrites a brief")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(brief_id), encoding="utf-8")
    click.echo(f"wrote {target}")


@cli.command("schema", short_help="Print the JSON Schema of the brief format.")
def schema_command() -> None:
    """Print the JSON Schema of the brief format, for editors with a YAML language server."""
    from ..source.schema import brief_json_schema

    click.echo(json.dumps(brief_json_schema(), indent=2, ensure_ascii=False))


def main(argv: list[str] | None = None) -> Any:
    """The console script's entry point."""
    return cli.main(args=argv, prog_name="briefgen")


# The commands kept in modules of their own.
for _command in (init_command, clean_command, translations_group):
    cli.add_command(_command)
