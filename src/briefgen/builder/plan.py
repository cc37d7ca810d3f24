"""What to make: from the manifest of the last build and content hashes alone, which
editions are stale; a brief whose file and inputs are unchanged is not even parsed.

This is the one place that plans: `build`, `build --check` and `watch` all come here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefError, UsageError
from ..events import Event, Report, Reporter
from ..inputs import MEMBER_PREFIX, brief_key, file_key_of, member_of
from ..make.task import FORMATS, Task, output_path
from ..source.editions import Edition, editions_of
from ..source.project import BUILTIN_TEMPLATES, Project, find_brief_files
from ..source.remote import REMOTE_FOLDER, RemoteSources
from .citations import citation_paths
from .manifest import BriefEntry, Digests, EditionRecord, Manifest, edition_key, stale_reason
from .options import BuildOptions

if TYPE_CHECKING:
    from ..source.family import Family, Member
    from ..source.model import BriefFile
    from ..source.settings import ProjectConfig


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    up_to_date: list[tuple[str, str, Edition]] = field(default_factory=list)  # editions
    orphans: list[EditionRecord] = field(default_factory=list)
    failed: list[Report] = field(default_factory=list)  # outputs that cannot be made
    failed_briefs: int = 0
    checked: dict[str, BriefEntry] = field(default_factory=dict)  # briefs parsed, by key
    citations: dict[Path, bytes] = field(default_factory=dict)  # of the briefs parsed
    changes: dict[Path, list[str]] = field(default_factory=dict)  # by brief file
    change_logs: dict[Path, bytes] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)  # briefs (members) no file makes now

    def up_to_date_files(self, out_dir: Path) -> Iterator[Path]:
        for brief_id, audience, edition in self.up_to_date:
            for fmt in FORMATS:
                yield output_path(out_dir, brief_id, audience, edition, fmt)

    @property
    def has_work(self) -> bool:
        return bool(self.tasks or self.orphans or self.citations or self.change_logs
                    or self.gone)


def audience_names(project: Project) -> list[str]:
    """Every audience: built-in and the project's own (folders with an audience.yaml)."""
    names = {p.parent.name for folder in (BUILTIN_TEMPLATES, project.templates_dir)
             for p in folder.glob("*/audience.yaml")}
    return sorted(names)


def make_plan(paths: list[Path], options: BuildOptions, reporter: Reporter,
              manifest: Manifest, digests: Digests,
              on_work: Callable[[], None] = lambda: None) -> Plan:
    """Decide what is up to date and what to make, parsing only briefs that changed.

    ``on_work`` is called as soon as it is clear that something is to be made,
    before the slow part of planning, so that worker processes can start meanwhile.
    """
    planner = _Planner(options, manifest, digests)
    project = digests.project
    known = audience_names(project)
    for name in options.audiences or []:
        if name not in known:
            raise UsageError(f"unknown audience {name!r} (known: {', '.join(known)})")
    audiences = options.audiences or known
    to_load = []
    by_file: dict[str, dict[str, BriefEntry]] = {}
    for key, entry in manifest.briefs.items():
        by_file.setdefault(file_key_of(key), {})[key] = entry
    for path in find_brief_files(paths):
        entries = by_file.get(project.key(path), {})
        # A release build reads every brief: an unchanged one may hold a draft to refuse.
        if (options.force or options.release or options.strict or not entries
                or not all(planner.current(path, key, entry, audiences)
                           for key, entry in entries.items())):
            to_load.append(path)
            continue
        for key, entry in entries.items():
            planner.unchanged(path, key, entry, audiences)
    if to_load or planner.plan.tasks:
        on_work()
        planner.check_settings(reporter)
    if to_load:
        planner.load(to_load, audiences, reporter)
    planner.plan.orphans = [r for r in manifest.records.values() if planner.orphaned(r)]
    planner.plan.gone = [key for key in manifest.briefs if planner.gone(key)]
    planner.remote.close()
    return planner.plan


class _Planner:
    def __init__(self, options: BuildOptions, manifest: Manifest, digests: Digests) -> None:
        self.plan = Plan()
        self.options = options
        self.manifest = manifest
        self.digests = digests
        self.project = digests.project
        self.out_dir = self.project.resolve(options.out_dir)
        self.edition_options = options.edition_options()
        self.reported_languages: set[str] = set()
        self.remote = RemoteSources.of(self.project, self.out_dir, options.offline)
        self.tasks: dict[tuple[Path, str | None, str], Task] = {}
        self.resolved: dict[Path, Path] = {}  # a family's file, and its key: worked out once
        self.keys: dict[Path, str] = {}
        self.files: dict[str, bool] = {}  # brief file key -> whether it is there
        self.made: dict[str, set[str]] = {}  # file key -> the briefs it makes, where read

    def current(self, path: Path, key: str, entry: BriefEntry, audiences: list[str]) -> bool:
        """Whether a brief need not be read again: its file (a member: its file, its
        family's table) and what it was read with are as recorded, and it was whole."""
        return (entry.ok and (key != self._key(path)
                              or entry.digest == self.digests.of(path))
                and self.web_files_fetched(entry)
                and all(a in entry.audiences for a in audiences)
                and all(self.digests(k) == digest for k, digest in entry.settings.items())
                and all(p.is_file() for p in citation_paths(self.out_dir, entry.id)))

    def unchanged(self, path: Path, key: str, entry: BriefEntry, audiences: list[str],
                  member_digest: str | None = None) -> None:
        """File the editions of a brief that is not read again."""
        member = member_of(key)
        if member is not None:
            self.digests.members[MEMBER_PREFIX + entry.id] = member_digest or entry.digest or ""
        for audience in audiences:
            for edition in entry.editions(audience):
                self.sort(path, entry.id, audience, edition, member, key)

    def web_files_fetched(self, entry: BriefEntry) -> bool:
        """Fetch the web files an unchanged brief was made from: new bytes make it stale
        as an edited file does. False when one could not be fetched, so that the brief
        is read and the problem reported at the field naming the file."""
        # By the name first: a thousand briefs' settings are not resolved one by one.
        copies = [copy for copy in map(self.project.path, (
            key for key in entry.settings if f"{REMOTE_FOLDER}/" in key))
                  if self.remote.owns(copy)]
        if not copies:
            return True
        # Their hosts were checked when the brief was last read: under the same
        # briefgen.yaml, they need not be (nor the settings read, ~130 ms) again.
        config = self.project.key(self.project.config_path)
        allowed = entry.settings.get(config) == self.digests(config)
        for copy in copies:
            url = self.remote.url_of(copy)
            if url is None or self.remote.fetch(url, allowed).problem:
                return False
        return True

    def sort(self, brief: Path, brief_id: str, audience: str, edition: Edition,
             member: str | None, key: str) -> None:
        """File one expected edition (of the brief the manifest calls ``key``) under up
        to date or to make."""
        record = self.manifest.records.get(edition_key(key, audience, edition))
        reason = ("--force" if self.options.force
                  else stale_reason(record, self.edition_options, self.digests))
        if reason is None:
            self.plan.up_to_date.append((brief_id, audience, edition))
            return
        task = Task(self._resolved(brief), brief_id, audience, member=member)
        task = self.tasks.setdefault((task.brief, member, audience), task)
        if not task.editions:
            self.plan.tasks.append(task)
        task.editions[edition] = reason

    def _key(self, path: Path) -> str:  # of a file a family's members share
        if path not in self.keys:
            self.keys[path] = self.project.key(path)
        return self.keys[path]

    def _resolved(self, brief: Path) -> Path:
        if brief not in self.resolved:  # a family's thousand members share one file
            self.resolved[brief] = brief.resolve()
        return self.resolved[brief]

    def check_settings(self, reporter: Reporter) -> None:
        """briefgen.yaml and _brand.yml, before anything is made: an error in either
        stops the run (every edition depends on them), and the brand's warnings are
        reported once here, not by every edition (under --strict they stop it too)."""
        from ..render.templates import templates_for

        _ = self.project.config
        problems = templates_for(self.project).brand_problems
        if self.options.strict and problems:
            raise BriefError(problems)
        for problem in problems:
            reporter.problem(problem)

    def load(self, paths: list[Path], audiences: list[str], reporter: Reporter) -> None:
        """Parse and validate briefs that changed, and file each edition they make.

        Problems in the briefs (and missing translations) are reported here, once, so
        that the workers that make the editions need not report them again.
        """
        # Parsing imports pydantic and Jinja: only for briefs that changed.
        from ..render.templates import templates_for
        from ..source.briefs import load_briefs, report_missing
        from .changes import facts_of
        from .citations import citation_files
        from .index import index_entry

        templates = templates_for(self.project)
        known = templates.audiences
        config = self.project.config
        settings = {self.project.key(path): self.digests.of(path)
                    for path in (self.project.config_path, self.project.brand_path)}
        skipped: dict[str, str] = {}  # members not read again -> their digest

        def skip(path: Path, family: Family, member: Member) -> bool:
            key = brief_key(self._key(path), member.key)
            entry = self.manifest.briefs.get(key)
            if (self.options.force or self.options.release or self.options.strict
                    or entry is None or entry.digest != member.digest
                    or family.reads_whole_table):  # a total of every row: read them all
                return False
            # Its row is as it was: the family's file and table changed in other rows.
            read = self._key(path), self._key(family.data_file)
            settings = {k: d for k, d in entry.settings.items() if k not in read}
            if not self.current(path, key, replace(entry, settings=settings), audiences):
                return False
            skipped[key] = member.digest
            return True

        loaded = load_briefs(paths, known, self.project.root, reporter, self.options.strict,
                             self.remote, members=True, skip=skip)
        self.plan.failed_briefs += len(loaded.failed)
        for path, family in loaded.families.items():
            file_key = self._key(path)
            self.made[file_key] = {brief_key(file_key, key) for key in family.members}
            for key in self.made[file_key] & set(skipped):
                entry = self.manifest.briefs[key]
                entry = replace(entry, settings={**entry.settings, file_key: self.digests.of(
                    path), self.project.key(family.data_file): self.digests.of(
                    family.data_file)})
                self.plan.checked[key] = entry
                self.unchanged(path, key, entry, audiences, skipped[key])
        for brief_file in loaded.briefs:
            file_key = self._key(brief_file.path)
            if brief_file.member is None:
                self.made[file_key] = {file_key}
            else:
                self.digests.members[MEMBER_PREFIX + brief_file.id] = (
                    brief_file.member_digest or "")
            languages = brief_file.brief.languages
            refuse_drafts = self.options.release or self.options.strict
            complete = {lang: not report_missing(brief_file, lang, reporter, refuse_drafts)
                        and not self._publication_missing(config, lang, reporter)
                        for lang in languages}
            # A draft refused is no edition of the brief: its files go, as a removed
            # brief's do, and the front page lists it no more.
            refused = {lang for lang in languages
                       if refuse_drafts and brief_file.brief.is_draft(lang)}
            editions = [e for e in editions_of(languages) if not refused & set(e.languages)]
            done = [lang for lang in languages if complete[lang]]
            key = brief_key(file_key, brief_file.member)
            sources = self._sources(brief_file)
            if brief_file.member is not None:  # its file, beside its row, as read
                sources[file_key] = self.digests.of(brief_file.path)
            entry = BriefEntry(brief_file.id, brief_file.member_digest
                               or self.digests.of(brief_file.path),
                               all(complete.values()),
                               {a: [e.name for e in editions] for a in audiences},
                               index_entry(brief_file, done), {**settings, **sources},
                               facts_of(brief_file, self.project, sources))
            self.plan.checked[key] = entry
            self._changes(brief_file, self.manifest.briefs.get(key), entry)
            self.plan.citations.update(citation_files(brief_file, done, templates.publishing,
                                                      self.out_dir))
            for audience in audiences:
                for edition in editions:
                    missing = [lang for lang in edition.languages if not complete[lang]]
                    if not missing:
                        self.sort(brief_file.path, brief_file.id, audience, edition,
                                  brief_file.member, key)
                        continue
                    self._fail(brief_file, audience, edition,
                               f"not every field is translated into {missing[0]!r}"
                               if not edition.bilingual else "both languages must be complete")
                for edition in editions_of(languages):
                    if refused & set(edition.languages):
                        self._fail(brief_file, audience, edition, "a draft translation is not "
                                   "published under --release or --strict; its files are "
                                   "removed")

    def _fail(self, brief_file: BriefFile, audience: str, edition: Edition,
              reason: str) -> None:
        task = Task(brief_file.path, brief_file.id, audience)
        self.plan.failed += [Report(Event.FAILED, target, reason)
                             for target in task.outputs(self.out_dir, edition)]

    def _changes(self, brief_file: BriefFile, before: BriefEntry | None,
                 after: BriefEntry) -> None:
        """What changed since the brief was last parsed: said, and logged beside it."""
        from .changes import change_log, change_log_path, changes_between, summary, today

        after.updated = before.updated if before else ""
        lines = changes_between(before.facts if before else {}, after.facts)
        if not lines:
            return
        date = today()
        after.updated = f"{date}: {summary(lines)}"
        self.plan.changes[brief_file.shown_path] = lines
        path = change_log_path(self.out_dir, brief_file.id)
        self.plan.change_logs[path] = change_log(path, brief_file.id, date, lines)

    def _sources(self, brief_file: BriefFile) -> dict[str, str | None]:
        """The brief's sources and data: when one changes, the brief is read again, its
        figures read and its quotes looked up again (a quote that is gone or a figure
        that cannot be read fails it, keeping the old outputs)."""
        return {self.project.key(path): self.digests.of(path)
                for path in brief_file.input_files()}

    def _publication_missing(self, config: ProjectConfig, lang: str,
                             reporter: Reporter) -> bool:
        """Whether briefgen.yaml's publication lacks ``lang`` (reported once a run)."""
        missing = config.missing(lang)
        if lang not in self.reported_languages:
            self.reported_languages.add(lang)
            for problem in missing:
                reporter.problem(problem)
        return bool(missing)

    def gone(self, key: str) -> bool:
        """Whether a brief of the manifest is no more: its file is gone, or was read and
        makes it no more (a family's row removed, a family made an ordinary brief)."""
        file_key = file_key_of(key)
        if file_key not in self.files:
            self.files[file_key] = self.project.path(file_key).is_file()
        if not self.files[file_key]:
            return True
        return file_key in self.made and key not in self.made[file_key]

    def orphaned(self, record: EditionRecord) -> bool:
        """A record whose brief is gone, or whose brief no longer makes that edition."""
        if self.gone(record.brief):
            return True
        entry = self.plan.checked.get(record.brief)
        if entry is None or record.audience not in entry.audiences:
            return False
        return record.edition not in entry.audiences[record.audience]
