"""`briefgen translations export` and `import`: a brief's fields out to a translator's
CAT tool as XLIFF or PO, and their translations back into the brief."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_FAILED, EXIT_OK
from .console import ConsoleReporter, run_command, usage_error
from .options import DEBUG, PATHS, brief_paths, project_here, shown


@click.group("translations", short_help="Exchange translations with CAT tools (XLIFF, PO).")
def translations_group() -> None:
    """Exchange translations with CAT tools (Trados, memoQ, OmegaT, Weblate)."""


@translations_group.command("export", short_help="Write each brief's fields for a translator.")
@PATHS
@click.option("--lang", required=True, metavar="LANG", help="The language to translate "
              "into, one of each brief's languages after the first.")
@click.option("--only", default="missing,stale,translated", show_default=True,
              metavar="STATES", help="Which fields, by their translation's state, comma "
              "separated: missing, stale (the source changed since it was confirmed), "
              "translated.")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default="xliff",
              show_default=True, help="XLIFF 2.0 (.xlf) or gettext PO (.po).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              default=Path("translations"), show_default=True,
              help="Folder the files are written to: <id>.<lang>.xlf or .po.")
@click.option("--force", is_flag=True, help="Replace a file that is there already (it may "
              "hold a translator's work: import it first).")
@DEBUG
def export_command(paths: tuple[Path, ...], lang: str, only: str, fmt: str, out_dir: Path,
                   force: bool, debug: bool) -> None:
    """Write, per brief, a file of its fields for a translator into LANG: the source
    text (Markdown as written), the translation so far, and a note with the field's
    place and state. A file there already is kept unless --force. Exit 1 when a brief
    cannot be read or a file was kept."""

    def run() -> int:
        from ..builder.plan import audience_names
        from ..source.briefs import load_briefs
        from ..source.exchange import SELECTIONS, SUFFIXES, export
        from ..source.remote import RemoteSources

        states = tuple(s.strip() for s in only.split(",") if s.strip())
        unknown = [s for s in states if s not in SELECTIONS]
        if unknown or not states:
            usage_error(f"--only takes {', '.join(SELECTIONS)}, not {only!r}")
        project = project_here()
        loaded = load_briefs(project_briefs(paths), audience_names(project), project.root,
                             ConsoleReporter(), remote=RemoteSources.of(
                                 project, project.root / "build", offline=True))
        kept = 0
        for brief_file in loaded.briefs:
            if lang not in brief_file.brief.languages[1:]:
                click.echo(f"{shown(brief_file.path)}: {lang!r} is not one of its "
                           "translations; skipped", err=True)
                continue
            data, count = export(brief_file, lang, fmt, project.key(brief_file.path), states)
            target = out_dir / f"{brief_file.id}.{lang}{SUFFIXES[fmt]}"
            if target.exists() and not force and target.read_bytes() != data:
                click.echo(f"{shown(target)} is there already and may hold a translator's "
                           "work: import it first, or export with --force", err=True)
                kept += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            click.echo(f"wrote {shown(target)}: {count} field(s)")
        return EXIT_OK if not loaded.failed and not kept else EXIT_FAILED

    run_command(run, debug)


@translations_group.command("import", short_help="Write a translator's work back into the briefs.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-confirm", is_flag=True, help="Write the translations but do not record "
              "them as confirmed (a reviewer confirms them later with `briefgen confirm`).")
@DEBUG
def import_command(files: tuple[Path, ...], no_confirm: bool, debug: bool) -> None:
    """Write the translations in FILES (XLIFF or PO files that `export` wrote) into their
    briefs, keeping each brief's comments, order and formatting, and record them as
    confirmed. A translation of a source text that changed since the export is written
    but not confirmed. Exit 1 when a file or a brief cannot be read or written."""

    def run() -> int:
        from ..builder.plan import audience_names
        from ..errors import BriefError
        from ..source.briefs import load_brief
        from ..source.exchange import read_translations, units_of, write_translations
        from ..source.translations import confirm, translation_states

        project = project_here()
        reporter = ConsoleReporter()
        audiences = audience_names(project)
        code = EXIT_OK
        for file in files:
            received = read_translations(file)
            brief_path = project.path(received.brief)
            try:
                brief_file = load_brief(brief_path, audiences, project.root, quotes=False)
                changed = write_translations(brief_file, received)
                brief_file = load_brief(brief_path, audiences, project.root, quotes=False)
            except BriefError as exc:
                for problem in exc.problems:
                    reporter.problem(problem)
                code = EXIT_FAILED
                continue
            sources = {u.name: u.source for u in units_of(brief_file, received.lang)}
            current = [name for name in changed if sources.get(name) == received.sources[name]]
            confirmed = 0 if no_confirm or not current else confirm(
                brief_file, [received.lang], current)
            others = sum(len(state.unconfirmed) for state in translation_states(brief_file)
                         if state.lang == received.lang)
            click.echo(f"{shown(brief_path)}: {len(changed)} translation(s) written from "
                       f"{shown(file)}, {confirmed} confirmed" + (
                           f"; {len(changed) - len(current)} of a source text that changed "
                           "since the export, not confirmed" if len(current) < len(changed)
                           else "") + (
                           f"; {others} translation(s) in the brief not yet confirmed "
                           f"(briefgen confirm --lang {received.lang})" if others else ""))
        return code

    run_command(run, debug)


def project_briefs(paths: tuple[Path, ...]) -> list[Path]:
    from ..source.project import find_brief_files

    return find_brief_files(brief_paths(paths))
