"""Validation: a loaded YAML tree -> a typed brief, or every located problem at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import BriefError, Location, Problem, Severity, display_path
from .claims import claims, evidence_path
from .download import url_problem
from .load import LoadedFile, Path_, SourceMap, describe_type, format_path
from .model import (
    ITEM_MODELS,
    Brief,
    BriefFile,
    is_bare_item,
    locate,
)
from .project import BRIEF_ID_PATTERN
from .remote import is_url
from .selection import DATA_SUFFIXES, UNION_TAGS

M = TypeVar("M", bound=BaseModel)
BRIEF_ID_RE = re.compile(BRIEF_ID_PATTERN)
# Outputs are named <id>-<audience>-<edition>.html in a folder <id>: the id leaves room
# for those within the 255 bytes a file name may have.
MAX_ID_LENGTH = 100


def brief_id_problem(brief_id: str) -> str | None:
    """Why ``brief_id`` (a file's stem) cannot name a brief; None when it can."""
    if not BRIEF_ID_RE.fullmatch(brief_id):
        return (f"{brief_id!r} is not a valid brief id (lowercase letters, digits and "
                "hyphens)")
    if len(brief_id) > MAX_ID_LENGTH:
        return (f"{brief_id[:20]!r}... is not a valid brief id: {len(brief_id)} characters, "
                f"the limit is {MAX_ID_LENGTH}")
    return None


def validate_brief(loaded: LoadedFile, known_audiences: Iterable[str],
                   project_root: Path, member: str | None = None) -> BriefFile:
    """Validate a loaded file against the schema and its cross-references; ``member``
    names the row of a family it was filled from (its id is the file's stem and the
    member's key).

    Raises BriefError with every problem found; warnings ride along on success.
    """
    problems: list[Problem] = []
    brief_id = loaded.path.stem if member is None else f"{loaded.path.stem}-{member}"
    id_problem = brief_id_problem(loaded.path.stem)
    if id_problem:
        problems.append(Problem(Location(loaded.path), f"the file name {id_problem}"))
    warnings = list(_unknown_field_warnings(loaded.data, Brief, loaded.source_map))
    try:
        brief = Brief.model_validate(loaded.data)
    except ValidationError as exc:
        problems += [located(loaded.source_map, err) for err in exc.errors()]
        raise BriefError(by_position(problems + warnings)) from None
    problems += _cross_reference_problems(brief, loaded, set(known_audiences), project_root)
    if any(p.is_error for p in problems):
        raise BriefError(by_position(problems + warnings))
    return BriefFile(brief_id, loaded.path, brief, loaded.source_map, by_position(warnings),
                     member=member)


def validate_file(model: type[M], loaded: LoadedFile) -> M:
    """Validate a loaded YAML file against ``model``: a settings file (briefgen.yaml,
    audience.yaml) gets the same located messages as a brief."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raise BriefError(by_position([located(loaded.source_map, err)
                                  for err in exc.errors()])) from None


def located(source_map: SourceMap, err: ErrorDetails) -> Problem:
    loc = err["loc"]
    # A discriminated union's tag names no field (key_figures[0].value.selection.column).
    path: Path_ = tuple(part for i, part in enumerate(loc)
                        if not (part in UNION_TAGS and i and loc[i - 1] == "value"))
    ctx = err.get("ctx") or {}
    if "subpath" in ctx:
        path = (*path, ctx["subpath"])
    if err["type"] == "missing":
        location = locate(source_map, path[:-1])
        return Problem(location, "required field is missing", format_path(path))
    return Problem(locate(source_map, path), _message(err), format_path(path))


def _message(err: ErrorDetails) -> str:
    kind, value = err["type"], err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    if kind.startswith("date_") or kind == "datetime_type":
        return f"expected a date as YYYY-MM-DD, got {_show(value)}"
    if kind in ("string_type", "str_type"):
        return f"expected text, got {describe_type(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_show(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe_type(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {describe_type(value)}"
    if kind == "too_short":
        return "needs at least one item"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, got {_show(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} does not have the expected form ({ctx['pattern']})"
    return str(err["msg"])


def _show(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return repr(value)
    return describe_type(value)


def _cross_reference_problems(brief: Brief, loaded: LoadedFile, known_audiences: set[str],
                              project_root: Path) -> Iterator[Problem]:
    smap = loaded.source_map
    seen_langs: set[str] = set()
    for i, lang in enumerate(brief.languages):
        if lang in seen_langs:
            yield Problem(smap.value(("languages", i)), f"{lang!r} is listed twice",
                          f"languages[{i}]")
        elif not known_language(lang):
            yield Problem(smap.value(("languages", i)), f"unknown language {lang!r}: "
                          "dates and numbers are set per language from the Unicode CLDR, "
                          "which has no such language", f"languages[{i}]")
        seen_langs.add(lang)
    for lang in brief.status:
        if lang not in brief.languages[1:]:
            yield Problem(smap.key(("status", lang)), f"{lang!r} is not one of the brief's "
                          "translations (languages: after the first)"
                          f"{nearest(lang, brief.languages[1:])}", f"status.{lang}")

    if brief.family is not None and brief.family.data not in brief.data:
        yield Problem(smap.value(("family", "data")), f"unknown data id {brief.family.data!r}"
                      f": the family's table is one of the brief's data: files"
                      f"{nearest(brief.family.data, brief.data)}", "family.data")
    ref_ids: dict[str, int] = {}
    for i, ref in enumerate(brief.references):
        if ref.id in ref_ids:
            yield Problem(smap.value(("references", i, "id")), f"duplicate reference id "
                          f"{ref.id!r} (first used by references[{ref_ids[ref.id]}])",
                          f"references[{i}].id")
        ref_ids.setdefault(ref.id, i)

    sourced: list[tuple[str, int, str | None]] = [
        *(("key_figures", i, f.source) for i, f in enumerate(brief.key_figures)),
        *(("achievements", i, a.source) for i, a in enumerate(brief.achievements))]
    for list_name, i, source in sourced:
        if source is not None and source not in ref_ids:
            yield Problem(smap.value((list_name, i, "source")),
                          f"unknown reference {source!r}{nearest(source, ref_ids)}",
                          f"{list_name}[{i}].source")

    for claim in claims(brief):
        for j, evidence in enumerate(claim.evidence):
            if evidence.ref not in ref_ids:
                path = (*evidence_path(claim, j), "ref")
                yield Problem(locate(smap, path), f"unknown reference {evidence.ref!r}"
                              f"{nearest(evidence.ref, ref_ids)}", format_path(path))

    for i, rec in enumerate(brief.recommendations):
        for j, audience in enumerate(rec.audiences):
            if audience not in known_audiences:
                yield Problem(smap.value(("recommendations", i, "audiences", j)),
                              f"unknown audience {audience!r}"
                              f"{nearest(audience, known_audiences)}",
                              f"recommendations[{i}].audiences[{j}]")

    folder = loaded.path.parent.resolve()
    root = project_root.resolve()
    sources: set[Path] = set()
    for path, source_file in brief.named_files():
        target, problem = input_file(folder, root, source_file)
        kind = Path(urlsplit(source_file).path if is_url(source_file) else source_file).suffix
        if not problem and path[0] == "data" and kind.lower() not in DATA_SUFFIXES:
            problem = (f"{source_file!r} is not a data file briefgen reads: its name (a "
                       f"URL's path) ends in {', '.join(DATA_SUFFIXES)}")
        if problem:
            yield Problem(locate(smap, path), problem, format_path(path))
        elif target and path[0] == "sources":
            sources.add(target)
    yield from _reference_file_problems(brief, loaded, root, sources)


def input_file(folder: Path, root: Path, name: str) -> tuple[Path | None, str | None]:
    """A file a brief draws on, resolved; or why it cannot be one, in words. Whatever
    the name (a NUL, a name too long, a loop of links), the answer is words. A URL is
    fetched by the build, not resolved here: only its form is checked."""
    if is_url(name):
        return None, url_problem(name, None)
    if not name.strip() or "\0" in name:
        return None, f"{name!r} is not a file name"
    try:
        target = (folder / name).resolve()
        if Path(name).is_absolute() or not target.is_relative_to(root):
            return None, f"{name!r} is outside the project"
        if not target.exists():
            return None, (f"{name!r} does not exist (paths are relative to "
                          f"{display_path(folder)}/)")
        if not target.is_file():
            return None, f"{name!r} is not a regular file (a folder, a device or a pipe)"
    except (OSError, RuntimeError, ValueError) as exc:
        return None, f"{name!r} cannot be used: {getattr(exc, 'strerror', None) or exc}"
    return target, None


def _reference_file_problems(brief: Brief, loaded: LoadedFile, root: Path,
                             sources: set[Path]) -> Iterator[Problem]:
    """A reference's file must be one of the brief's sources (that is what makes the
    brief stale when the file changes), and neither a brief nor briefgen's own output:
    a brief cannot be its own evidence."""
    folder = loaded.path.parent.resolve()
    for i, ref in enumerate(brief.references):
        if ref.file is None:
            continue
        where, name = (loaded.source_map.value(("references", i, "file")),
                       f"references[{i}].file")
        target, problem = input_file(folder, root, ref.file)
        if is_url(ref.file) and ref.file in brief.sources:
            continue  # a web source: its form was checked at sources:
        if target is None and not is_url(ref.file):
            if all(s != ref.file for s in brief.sources):  # else said at sources: already
                yield Problem(where, problem or "", name)
        elif target not in sources:
            yield Problem(where, f"{ref.file!r} is not one of this brief's sources: (add it "
                          "there; quotes are checked only against the brief's sources)", name)
        elif target.suffix in (".yaml", ".yml") and target.parent.name == "briefs" or (
                target == loaded.path.resolve()):
            yield Problem(where, f"{ref.file!r} is a brief: a brief cannot be evidence "
                          "for a brief", name)
        elif any((parent / ".briefgen-manifest.json").is_file()
                 for parent in target.parents if parent.is_relative_to(root)):
            yield Problem(where, f"{ref.file!r} is in briefgen's output folder: a brief "
                          "cannot be evidence for itself", name)


def _unknown_field_warnings(data: Any, model: type[BaseModel], smap: SourceMap,
                            path: Path_ = ()) -> Iterator[Problem]:
    """Keys of the raw tree that ``model`` does not know, found before validation so that
    they are reported with a brief's errors too, not only when it is valid."""
    if not isinstance(data, dict) or (model is not Brief and is_bare_item(data, model)):
        return  # not a mapping of fields: a bare localized item, or an error elsewhere
    fields = [info.alias or name for name, info in model.model_fields.items()]
    for name in sorted((k for k in data if k not in fields), key=str):
        yield Problem(smap.key((*path, name)), f"unknown field {name!r} is ignored"
                      f"{nearest(str(name), fields)}", format_path((*path, name)),
                      Severity.WARNING)
    for name, item_model in ITEM_MODELS.get(model, {}).items():
        value = data.get(name)
        if isinstance(value, dict):  # one mapping: a part, or a list written as its item
            yield from _unknown_field_warnings(value, item_model, smap, (*path, name))
        for i, item in enumerate(value if isinstance(value, list) else []):
            yield from _unknown_field_warnings(item, item_model, smap, (*path, name, i))


def known_language(lang: str) -> bool:
    """Whether Babel (the Unicode CLDR) has the language, to format dates and numbers."""
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def nearest(word: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest candidate, or nothing."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def by_position(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line, p.location.column))
