"""Brief files loaded and validated, each once per content, with all their problems."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BriefError, Location, Problem, Severity, display_path
from ..events import Reporter
from .charts import read_charts
from .evidence import check_evidence
from .family import Family, Member, family_spec, read_family
from .figures import resolve_figures
from .load import LoadedFile, Path_, format_path, load_yaml, read_source
from .model import BriefFile, missing_translations, translatable_fields
from .remote import RemoteSources, is_url
from .validate import by_position, validate_brief

# Kept across tasks and builds in one process (a worker, `briefgen watch`): a brief is
# parsed again only when its content changed, a family's member when its row did.
_BRIEFS: dict[tuple[Path, str, frozenset[str]], BriefFile] = {}
_PARSED: dict[tuple[Path, str], LoadedFile] = {}


def load_brief(path: Path, audiences: Iterable[str], project_root: Path,
               quotes: bool = True, remote: RemoteSources | None = None,
               member: str | None = None) -> BriefFile:
    """A brief, loaded and validated, or from the cache while its content is unchanged.

    Raises BriefError with every problem of the file. A brief that is a link to a file
    outside the project is not read at all: its content must not reach an output, or
    an error message. ``quotes`` false skips looking the brief's quotes up in its
    sources: a worker makes editions of a brief that planning has checked already.
    ``remote`` fetches (or finds in its cache) the files the brief names by URL.
    ``member`` picks one brief of a family (format 1.7); without it a family's file is
    validated as written, its placeholders as text (what a translator works on).
    """
    raw, loaded = _parsed(path, project_root)
    audiences = frozenset(audiences)
    spec = family_spec(loaded)
    if member is None:
        key = (path.resolve(), hashlib.sha256(raw).hexdigest(), audiences)
        if key not in _BRIEFS and spec is not None:
            # Its text as written; its typed values (a quote, a figure) from a row.
            family = read_family(loaded, raw, spec, project_root, remote)
            _BRIEFS[key] = validate_brief(family.member_data(next(iter(family.members)),
                                                             keep_text=True),
                                          audiences, project_root)
        elif key not in _BRIEFS:
            _BRIEFS[key] = validate_brief(loaded, audiences, project_root)
    elif spec is None:
        raise BriefError([Problem(Location(path), f"has no family: member {member!r} is "
                                  "not one of its briefs")])
    else:
        family = read_family(loaded, raw, spec, project_root, remote)
        if member not in family.members:
            raise BriefError([Problem(loaded.source_map.value(("family", "key")),
                                      f"no row of {family.data_name} names {member!r} any "
                                      "more", "family.key")])
        digest = family.members[member].digest
        key = (path.resolve(), digest, audiences)
        if key not in _BRIEFS:
            _BRIEFS[key] = replace(validate_brief(family.member_data(member), audiences,
                                                  project_root, member),
                                   member_digest=digest)
    validated = _BRIEFS[key]
    # A web file's new version the brief cannot be made from (a rate-limit notice
    # served as the CSV, a paper without the passage quoted) is a failed fetch: the
    # last good copy is put back, and the brief made from it, with a warning. The
    # files an error names are put back first, then any other changed one.
    changed = [name for _, name in validated.brief.named_files()
               if remote and is_url(name) and remote.fetch(name).changed]
    while True:
        try:
            return _read_sources(validated, remote, quotes)
        except BriefError as exc:
            if remote is None or not changed:
                raise
            said = {url: problem for problem in reversed(exc.problems) for url in changed
                    if url in problem.message}
            for url in list(said) or changed:
                problem = said.get(url, exc.problems[0])
                why = f"{problem.field}: {problem.message}" if problem.field else (
                    problem.message)
                changed.remove(url)
                if not remote.roll_back(url, why):
                    raise exc from None


def _parsed(path: Path, project_root: Path) -> tuple[bytes, LoadedFile]:
    """A brief file's bytes and its YAML, parsed once per content."""
    if not path.resolve().is_relative_to(project_root.resolve()):
        raise BriefError([Problem(Location(path), "outside the project folder; briefgen "
                                  "reads briefs only inside it (and follows no link out)")])
    raw = read_source(path)
    key = (path.resolve(), hashlib.sha256(raw).hexdigest())
    if key not in _PARSED:
        _PARSED[key] = load_yaml(path, raw)
    return raw, _PARSED[key]


def family_of(path: Path, project_root: Path,
              remote: RemoteSources | None = None) -> Family | None:
    """The family a brief file makes, with its members' digests; None for an ordinary
    brief. Raises BriefError when its file or its table cannot be read."""
    raw, loaded = _parsed(path, project_root)
    spec = family_spec(loaded)
    return read_family(loaded, raw, spec, project_root, remote) if spec else None


def _read_sources(brief_file: BriefFile, remote: RemoteSources | None,
                  quotes: bool) -> BriefFile:
    """The brief with its figures, charts and tables read from its data, and its quotes
    looked up, read on every load (its data and sources may have changed)."""
    brief_file = read_charts(resolve_figures(fetch_web_files(brief_file, remote)))
    if not quotes:
        return brief_file
    problems, _ = check_evidence(brief_file)
    if any(p.is_error for p in problems):
        raise BriefError(by_position(problems + brief_file.warnings))
    return replace(brief_file, warnings=by_position(brief_file.warnings + problems))


def fetch_web_files(brief_file: BriefFile, remote: RemoteSources | None) -> BriefFile:
    """The brief reading the copies of its web files ``remote`` fetched. A file that
    could not be fetched is a warning at the field naming it while a last good copy is
    kept (the brief is made from that), an error when there is none.
    """
    web = [(path, name) for path, name in brief_file.brief.named_files() if is_url(name)]
    if not web:
        return brief_file
    if remote is None:
        raise BriefError([Problem(brief_file.location(web[0][0]), "a web file is read only "
                                  "by a build or a check", format_path(web[0][0]))])
    problems: list[Problem] = []
    for path, name in web:
        fetched = remote.fetch(name)
        if fetched.problem is None:
            continue
        if fetched.copy is None:
            problems.append(Problem(brief_file.location(path), f"{name} cannot be used: "
                                    f"{fetched.problem}", format_path(path)))
        else:
            problems.append(Problem(brief_file.location(path), f"{name}: {fetched.problem}; "
                                    f"the copy fetched {fetched.fetched_at or 'before'} is "
                                    "used", format_path(path), Severity.WARNING))
    if any(p.is_error for p in problems):
        raise BriefError(by_position(problems + brief_file.warnings))
    return replace(brief_file, remote_dir=remote.folder,
                   warnings=by_position(brief_file.warnings + problems))


@dataclass
class Loaded:
    briefs: list[BriefFile] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    families: dict[Path, Family] = field(default_factory=dict)  # the files that are one


def load_briefs(files: list[Path], audiences: Iterable[str], project_root: Path,
                reporter: Reporter, strict: bool = False,
                remote: RemoteSources | None = None, members: bool = False,
                skip: Callable[[Path, Family, Member], bool] = lambda *_: False) -> Loaded:
    """Load and validate every file, reporting all problems of all of them.

    With ``members`` a family's file gives its members, each a brief, except those
    ``skip`` says need not be read (unchanged since the last build); without, the file
    as written. Under ``strict`` a brief with warnings fails. Two briefs with the same
    id (the same stem in two folders, a member named as a brief is) both fail after
    the first.
    """
    loaded = Loaded()
    audiences = frozenset(audiences)
    said: set[Problem] = set()

    def say(problems: list[Problem]) -> None:  # a family's members share its problems
        for problem in problems:
            if problem not in said:
                said.add(problem)
                reporter.problem(problem)

    for path in files:
        wanted: list[str | None] = [None]
        if members:
            try:
                family = family_of(path, project_root, remote)
            except BriefError as exc:
                say(exc.problems)
                loaded.failed.append(path)
                continue
            if family is not None:
                loaded.families[path] = family
                wanted = [key for key, member in family.members.items()
                          if not skip(path, family, member)]
        # A family's errors, each with the members it is found in: one row's quote not
        # in its paper names that member; a typo in the file, every member.
        failing: dict[Problem, list[str]] = {}
        for member in wanted:
            try:
                brief_file = load_brief(path, audiences, project_root, remote=remote,
                                        member=member)
            except BriefError as exc:
                if member is None:
                    say(exc.problems)
                for problem in exc.problems if member is not None else []:
                    failing.setdefault(problem, []).append(f"{path.stem}-{member}")
                loaded.failed.append(path)
                continue
            say(brief_file.warnings)
            if strict and brief_file.warnings:
                loaded.failed.append(path)
                continue
            loaded.briefs.append(brief_file)
        say([_in_members(problem, ids, len(wanted)) for problem, ids in failing.items()])
    ids: dict[str, Path] = {}
    for brief_file in list(loaded.briefs):
        if brief_file.id in ids:
            reporter.problem(Problem(Location(brief_file.path), f"brief id {brief_file.id!r} "
                                     f"is also used by {display_path(ids[brief_file.id])}"))
            loaded.briefs.remove(brief_file)
            loaded.failed.append(brief_file.path)
        ids.setdefault(brief_file.id, brief_file.path)
    return loaded


def _in_members(problem: Problem, ids: list[str], members: int) -> Problem:
    """A family's problem, saying which of its members it is found in."""
    if not problem.is_error:
        return problem
    if len(ids) == members > 1:
        where = "every member"
    else:
        where = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    return replace(problem, message=f"{problem.message} (in {where})")


def report_missing(brief_file: BriefFile, lang: str, reporter: Reporter,
                   refuse_drafts: bool = False) -> list[Path_]:
    """Report what keeps ``lang``'s editions from being made, and return those fields:
    every field not translated into it. A draft translation (``status: {ru: draft}``)
    is one warning instead, and its editions are made, unless drafts are refused
    (``--release``, ``--strict``)."""
    brief = brief_file.brief
    missing = missing_translations(brief, lang)
    if brief.is_draft(lang):
        where, name = brief_file.location(("status", lang)), f"status.{lang}"
        if not refuse_drafts:
            total = len(translatable_fields(brief))
            reporter.problem(Problem(where, (
                f"a draft translation: {len(missing)} of {total} fields not yet translated "
                f"into {lang!r} are shown in {brief.source_language!r}, marked"
                if missing else "a draft translation, every field translated: remove "
                f"{lang!r} from status: to publish it"), name, Severity.WARNING))
            return []
        reporter.problem(Problem(where, "a draft translation is not published under "
                                 "--release or --strict", name))
        missing = missing or [("status", lang)]
    for path in missing:
        if path[0] == "status":
            continue
        reporter.problem(Problem(brief_file.location(path), f"missing {lang!r} translation",
                                 format_path(path)))
    return missing
