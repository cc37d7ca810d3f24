"""The project and its briefs: settings, templates, validated briefs, and the plan of
what they make. Everything a build needs before it makes anything; no WeasyPrint here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .deps import Digests, Manifest, edition_key, key_of, path_of
from .errors import BriefError, Location, Problem
from .files import write_if_changed
from .load import Path_, format_path, load_yaml
from .model import BriefFile, validate_brief, validate_file
from .plan import FORMATS, BuildOptions, Plan, Reporter, Task, output_path
from .render import GENERATOR, Audience, Paper, Templates
from .text import format_full_date, localize, missing_translations, plain_text

PROJECT_CONFIG = "briefgen.yaml"


# --- the project ------------------------------------------------------------------------

class ProjectConfig(BaseModel):
    """``briefgen.yaml`` at the project's root: settings for all its briefs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paper: Paper | None = Field(default=None, description="a4 or letter, for every "
                                "audience; --paper overrides it.")
    allowed_hosts: list[str] = Field(default_factory=list, description="Web hosts that "
                                     "briefs and templates may load images and styles "
                                     "from (https://HOST/...); none by default.")


@dataclass
class Project:
    """A folder holding briefs/ and, optionally, templates/ and briefgen.yaml of its own."""

    root: Path

    @cached_property
    def config(self) -> ProjectConfig:
        path = self.root / "briefgen.yaml"
        if not path.is_file():
            return ProjectConfig()
        return validate_file(ProjectConfig, load_yaml(path))

    def paper(self, options_paper: Paper | None, audience: Audience) -> Paper:
        """--paper, else the project's briefgen.yaml, else the audience's own."""
        return options_paper or self.config.paper or audience.config.paper

    @property
    def briefs_dir(self) -> Path:
        return self.root / "briefs"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def templates(self) -> Templates:
        return Templates(self.templates_dir)


@dataclass
class Loaded:
    briefs: list[BriefFile]
    failed: list[Path]


# Kept across tasks and builds in one process (a worker, `briefgen watch`): templates
# compile once (a tenth of a second) while the project's template files stay as they
# are; a brief is parsed again only when its file changed.
_TEMPLATES: dict[tuple[Path, tuple[tuple[str, int], ...]], Templates] = {}
_BRIEFS: dict[tuple[Path, str | None], BriefFile] = {}


def templates_of(project: Project) -> Templates:
    """The project's templates, compiled again only after a template file changed.

    A new project template can shadow a built-in one that Jinja has cached, so any
    change under templates/ starts afresh.
    """
    folder = project.templates_dir
    signature = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*")
                             if p.is_file())) if folder.is_dir() else ()
    key = (project.root.resolve(), signature)
    if key not in _TEMPLATES:
        _TEMPLATES.clear()
        _TEMPLATES[key] = project.templates()
    return _TEMPLATES[key]


def validated(path: Path, templates: Templates, project_root: Path) -> BriefFile:
    """A brief, loaded and validated, or from the cache while its file is unchanged."""
    key = (path.resolve(), Digests()(key_of(path)))
    if key not in _BRIEFS:
        _BRIEFS[key] = validate_brief(load_yaml(path), set(templates.audiences), project_root)
    return _BRIEFS[key]


def load_briefs(files: list[Path], project: Project, templates: Templates,
                reporter: Reporter, strict: bool = False) -> Loaded:
    """Load and validate every file, reporting all problems of all of them."""
    briefs, failed = [], []
    for path in files:
        try:
            brief_file = validated(path, templates, project.root)
        except BriefError as exc:
            for problem in exc.problems:
                reporter.problem(problem)
            failed.append(path)
            continue
        for warning in brief_file.warnings:
            reporter.problem(warning)
        if strict and brief_file.warnings:
            failed.append(path)
            continue
        briefs.append(brief_file)
    ids: dict[str, Path] = {}
    for brief_file in list(briefs):
        if brief_file.id in ids:
            reporter.problem(Problem(Location(brief_file.path), f"brief id {brief_file.id!r} "
                                     f"is also used by {ids[brief_file.id]}"))
            briefs.remove(brief_file)
            failed.append(brief_file.path)
        ids.setdefault(brief_file.id, brief_file.path)
    return Loaded(briefs, failed)


def report_missing(brief_file: BriefFile, lang: str, reporter: Reporter) -> list[Path_]:
    """Report every field not translated into ``lang``, and return their paths."""
    missing = missing_translations(brief_file.brief, lang)
    for path in missing:
        reporter.problem(Problem(brief_file.location(path), f"missing {lang!r} translation",
                                 format_path(path)))
    return missing


# --- planning, for build.py -----------------------------------------------------------------

def plan_loaded(paths: list[Path], audiences: list[str], options: BuildOptions,
                reporter: Reporter, plan: Plan, project_root: Path,
                sort: Callable[[Plan, Path, str, str, str], None]) -> None:
    """Parse and validate briefs that changed, and file each edition they make.

    Problems in the briefs (and missing translations) are reported here, once, so
    that the workers that make the editions need not report them again.
    """
    project = Project(project_root)
    _ = project.config  # a broken briefgen.yaml stops the run before anything is built
    loaded = load_briefs(paths, project, templates_of(project), reporter, options.strict)
    plan.failed_briefs += len(loaded.failed)
    digests = Digests()
    for brief_file in loaded.briefs:
        languages = brief_file.brief.languages
        complete = {lang: not report_missing(brief_file, lang, reporter) for lang in languages}
        names = languages + (["-".join(languages[:2])] if len(languages) > 1 else [])
        plan.checked[key_of(brief_file.path)] = {
            "id": brief_file.id, "digest": digests(key_of(brief_file.path)),
            "ok": all(complete.values()), "audiences": {a: names for a in audiences},
            "index": index_entry(brief_file, [lang for lang in languages if complete[lang]])}
        for audience in audiences:
            for name in names:
                missing = [lang for lang in name.split("-") if not complete[lang]]
                if not missing:
                    sort(plan, brief_file.path, audience, name, brief_file.id)
                    continue
                reason = (f"not every field is translated into {missing[0]!r}" if "-" not in
                          name else "both languages must be complete")
                plan.failed += [(str(output_path(options.out_dir, brief_file.id, audience,
                                                 name, fmt)), reason) for fmt in FORMATS]


def index_entry(brief_file: BriefFile, languages: list[str]) -> dict[str, dict[str, str]]:
    """What the front page shows of a brief, per language: kept in the manifest, so that
    the front page can be written again without parsing every brief."""
    brief = brief_file.brief
    return {lang: {"title": plain_text(localize(brief.title, lang), lang),
                   "summary": plain_text(localize(brief.summary, lang), lang),
                   "date": format_full_date(brief.date, lang), "date_iso": brief.date.isoformat()}
            for lang in languages}


EDITION_NAMES = {"en": "English", "ru": "Русский", "en-ru": "English–Русский"}


def write_index(out_dir: Path, manifest: Manifest, project_root: Path) -> bool:
    """Write ``out_dir/index.html``, the front page, from the manifest; True if it changed.

    Lists every brief whose file still exists, with each edition that was built.
    """
    templates = templates_of(Project(project_root))
    briefs = []
    for key, entry in sorted(manifest.briefs.items(), key=lambda kv: kv[1]["id"]):
        if not path_of(key).is_file() or not entry.get("index"):
            continue
        audiences = []
        for name in sorted(entry["audiences"]):
            if name not in templates.audiences:
                continue
            label = templates.audiences[name].config.label
            editions = []
            for edition in entry["audiences"][name]:
                record = manifest.records.get(edition_key(key, name, edition))
                if record is None:
                    continue
                stem = f"{entry['id']}/{entry['id']}-{name}-{edition}"
                editions.append({"name": EDITION_NAMES.get(edition, edition),
                                 "hreflang": edition.split("-")[0],
                                 "html": f"{stem}.html", "pdf": f"{stem}.pdf"})
            if editions:
                audiences.append({"label": localize(label, "en") if label.has("en") else name,
                                  "editions": editions})
        versions = [{"lang": lang, **entry["index"][lang]} for lang in entry["index"]]
        briefs.append({"id": entry["id"], "versions": versions, "audiences": audiences})
    with templates.recording() as inputs:
        html = templates.env.get_template("index.html").render(
            briefs=briefs, audiences=sorted(templates.audiences), generator=GENERATOR)
    manifest.index = {key_of(path): Digests()(key_of(path)) if exists else None
                      for path, exists in sorted(inputs)}
    return write_if_changed(out_dir / "index.html", html.encode("utf-8"))


def split_for_pool(tasks: list[Task], project_root: Path) -> list[Task]:
    """One task per edition, so that a pool's workers share the work evenly.

    Editions that one-language-per-page bilingual editions are made of stay together
    with them: the bilingual one reuses their fitted pages.
    """
    templates = templates_of(Project(project_root))
    split = []
    for task in tasks:
        if templates.audiences[task.audience].config.bilingual == "pages":
            split.append(task)
        else:
            split += [Task(task.brief, task.audience, {name: reason})
                      for name, reason in task.editions.items()]
    return split


