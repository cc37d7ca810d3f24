"""Translations exchanged with CAT tools (Trados, memoQ, OmegaT, Weblate): a brief's
fields exported as XLIFF 2.0 or PO with translate-toolkit, and the translations that come
back written into the brief's YAML with ruamel.yaml, keeping its comments, order and
formatting, then recorded as confirmed.

A unit's id is the field's path as `check` names it (`achievements[2].text`); its
source is the source language's text, Markdown as written; its notes say where the
field is and whether its translation is missing or possibly outdated. The brief a file
belongs to is named in it (XLIFF: the file's `original`; PO: the `X-Briefgen-Brief`
header), relative to the project.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BriefError, Location, Problem, UsageError, display_path
from ..files import write_if_changed
from .load import format_path
from .model import BriefFile, localized_fields
from .translations import translation_states

FORMATS = ("xliff", "po")
SUFFIXES = {"xliff": ".xlf", "po": ".po"}
SELECTIONS = ("missing", "stale", "translated")
BRIEF_HEADER = "X-Briefgen-Brief"


@dataclass
class Unit:
    name: str  # the field, as check names it
    source: str
    target: str | None
    state: str  # missing, stale or translated
    where: str  # FILE:LINE:COLUMN of the field


def units_of(brief_file: BriefFile, lang: str, only: tuple[str, ...] = SELECTIONS
             ) -> list[Unit]:
    """The fields of a brief to translate into ``lang``, in the order written."""
    brief = brief_file.brief
    stale = next((set(s.outdated) for s in translation_states(brief_file) if s.lang == lang),
                 set())
    units = []
    for path, text in localized_fields(brief):
        mapping = text.translations
        if mapping is None or brief.source_language not in mapping:
            continue  # written once for every language: nothing to translate
        name = format_path(path)
        target = mapping.get(lang)
        state = "missing" if target is None else "stale" if name in stale else "translated"
        if state in only:
            units.append(Unit(name, mapping[brief.source_language], target, state,
                              str(brief_file.location(path))))
    return units


def export(brief_file: BriefFile, lang: str, fmt: str, brief_key: str,
           only: tuple[str, ...] = SELECTIONS) -> tuple[bytes, int]:
    """The file a translator gets, and how many units it holds."""
    units = units_of(brief_file, lang, only)
    source = brief_file.brief.source_language
    data = (_xliff(units, source, lang, brief_key) if fmt == "xliff"
            else _po(units, source, lang, brief_key,
                     f"{brief_file.brief.date.isoformat()} 00:00+0000"))
    return data, len(units)


def _note(unit: Unit, source: str) -> str:
    why = {"missing": "not yet translated",
           "stale": f"possibly outdated: the {source!r} text changed since it was confirmed",
           "translated": "translated"}[unit.state]
    return f"{unit.where}: {unit.name}; {why}"


def _xliff(units: list[Unit], source: str, lang: str, brief_key: str) -> bytes:
    from translate.storage import xliff2

    store: Any = xliff2.Xliff2File(sourcelanguage=source)  # translate-toolkit is untyped
    store.settargetlanguage(lang)
    for unit in units:
        made = store.addsourceunit(unit.source)
        made.setid(unit.name)
        if unit.target is not None:
            made.target = unit.target
        made.addnote(_note(unit, source), origin="developer")
        _notes_on_unit(made.xmlelement)  # the unit's segment
    store.getfilenode("f1").set("original", brief_key)
    return bytes(store)


def _notes_on_unit(segment: Any) -> None:
    """XLIFF 2.0 puts a unit's notes, and xml:space, on the unit, not on its segment
    (where translate-toolkit writes them); CAT tools that validate refuse the latter."""
    unit = segment.getparent()
    space = "{http://www.w3.org/XML/1998/namespace}space"
    if segment.get(space):
        unit.set(space, segment.attrib.pop(space))
    for notes in [child for child in segment if child.tag.endswith("}notes")]:
        segment.remove(notes)
        unit.insert(0, notes)


def _po(units: list[Unit], source: str, lang: str, brief_key: str, dated: str) -> bytes:
    from translate.storage import pypo

    store: Any = pypo.pofile()
    store.init_headers(charset="UTF-8", encoding="8bit")
    # Dated by the brief, not the clock: the same brief exports the same bytes.
    store.updateheader(add=True, Language=lang, Project_Id_Version=brief_key,
                       POT_Creation_Date=dated, X_Generator="briefgen",
                       **{BRIEF_HEADER.replace("-", "_"): brief_key})
    for unit in units:
        made = store.addsourceunit(unit.source)
        made.setcontext(unit.name)
        made.target = unit.target or ""
        made.addnote(_note(unit, source), origin="developer")
        if unit.state == "stale":
            made.markfuzzy()
    return bytes(store)


@dataclass
class Received:
    """What a translator's file holds: the brief it belongs to, its language, and the
    translations by field."""

    brief: str
    lang: str
    targets: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # the source text translated


def read_translations(path: Path) -> Received:
    """A translator's XLIFF or PO file. Raises UsageError for one briefgen did not write."""
    from translate.storage import pypo, xliff2

    parser: Any = pypo.pofile if path.suffix.lower() == ".po" else xliff2.Xliff2File
    try:
        with path.open("rb") as handle:
            store: Any = parser.parsefile(handle)
    except Exception as exc:  # noqa: BLE001 - translate-toolkit raises many kinds
        raise UsageError(f"{display_path(path)}: not an XLIFF or PO file translate-toolkit "
                         f"reads ({exc})") from None
    if path.suffix.lower() == ".po":
        header = store.parseheader()
        brief, lang = header.get(BRIEF_HEADER, ""), header.get("Language", "")
        units = [(u.getcontext(), u) for u in store.units if not u.isheader()]
    else:
        brief = store.getfilenode("f1").get("original", "") if store.getfilenames() else ""
        lang = store.gettargetlanguage() or ""
        units = [(u.getid(), u) for u in store.units]
    if not brief or not lang:
        raise UsageError(f"{display_path(path)}: names no brief or no target language; "
                         "import files that `briefgen translations export` wrote")
    received = Received(brief, lang)
    for name, unit in units:
        if name and unit.target and str(unit.target).strip():
            received.targets[name] = str(unit.target)
            received.sources[name] = str(unit.source)
    return received


def write_translations(brief_file: BriefFile, received: Received) -> list[str]:
    """Write the received translations into the brief's YAML, changing nothing else;
    returns the fields whose translation changed. Raises BriefError for a field the
    brief does not have, or a file whose layout a round trip would not keep."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    raw = brief_file.path.read_text(encoding="utf-8")
    _, indent, offset = load_yaml_guess_indent(raw)
    # The indentation the file was written with: the first of these that writes it back
    # byte for byte (ruamel's guess is thrown by a block of Markdown).
    for mapping, sequence, dash in ((2, 4, 2), (2, 2, 0), (2, indent or 2, offset or 0),
                                    (4, 4, 2), (4, 6, 4), (4, 4, 0)):
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 10_000  # never fold a long line that was written on one
        yaml.indent(mapping=mapping, sequence=sequence, offset=dash)
        data = yaml.load(raw)
        if _dumped(yaml, data) == raw:
            break
    else:
        raise BriefError([Problem(Location(brief_file.path), "its layout (indentation, "
                                  "line breaks) would not survive being written back; the "
                                  "translations were not written (indent it consistently, "
                                  "as `briefgen new` does, and import again)")])
    paths = {format_path(path): path for path, _ in localized_fields(brief_file.brief)}
    problems = [Problem(Location(brief_file.path), f"no localized field {name!r} (the "
                        "brief changed since the export?)") for name in received.targets
                if name not in paths]
    if problems:
        raise BriefError(problems)
    changed = []
    for name, target in received.targets.items():
        mapping = _localized(data, paths[name])
        if mapping is None or mapping.get(received.lang) == target:
            continue
        last = list(mapping)[-1]
        mapping[received.lang] = _styled(target, mapping.get(brief_file.brief.source_language))
        _keep_blank_line_last(mapping, last, received.lang)
        changed.append(name)
    if changed:
        write_if_changed(brief_file.path, _dumped(yaml, data).encode("utf-8"))
    return changed


def _keep_blank_line_last(mapping: Any, last: Any, added: str) -> None:
    """The blank lines that ended a mapping (after a block of Markdown) end it still:
    ruamel keeps them with the key they followed, which is no longer the last."""
    comments = mapping.ca.items.get(last)
    token = comments[2] if comments and len(comments) > 2 else None
    if last != added and token is not None and str(token.value).startswith("\n"):
        mapping.ca.items[added] = mapping.ca.items.pop(last)


def _styled(target: str, source: Any) -> Any:
    """The translation written as its source text is: quoted the same way, a block of
    several lines as a literal block ending as the source's does."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if str(source).endswith("\n") and not target.endswith("\n"):
        target += "\n"
    if "\n" in target.rstrip("\n"):
        return LiteralScalarString(target)
    for style in (FoldedScalarString, DoubleQuotedScalarString, SingleQuotedScalarString):
        if isinstance(source, style):
            return style(target)
    return target


def _dumped(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _localized(node: Any, path: tuple[str | int, ...]) -> Any:
    """The mapping of languages at a field's path; a bare list item (`- {en: ..}`) is
    its own text."""
    for part in path:
        if part == "text" and isinstance(node, dict) and "text" not in node:
            break
        node = node[part]
    return node if isinstance(node, dict) else None
