"""Translation staleness: which translations were confirmed against which source text.

A translator confirms a brief's translations with `briefgen confirm`; briefgen then
records, for each field, a hash of the source-language text and of the translation
in ``<id>.translations.json`` beside the brief. That file is meant to be committed
with the brief, so the record survives a fresh clone and travels with reviews.
When a field's source text changes and its translation does not, the translation
is reported as possibly outdated until someone confirms it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefError, Location, Problem, Severity, UsageError, display_path
from ..files import write_if_changed
from .load import Path_, format_path
from .model import BriefFile, localized_fields

FORMAT = 1


def record_path(brief_path: Path) -> Path:
    return brief_path.with_name(f"{brief_path.stem}.translations.json")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class TranslationState:
    """What is known of one language's translations in one brief."""

    lang: str
    outdated: list[str]  # fields whose source changed since the translation was confirmed
    unconfirmed: list[str]  # translated fields never confirmed


def _pairs(brief_file: BriefFile, lang: str) -> dict[str, tuple[str, str, Path_]]:
    """field name -> (source text, translation, path) for fields translated into ``lang``."""
    source = brief_file.brief.source_language
    pairs: dict[str, tuple[str, str, Path_]] = {}
    for path, text in localized_fields(brief_file.brief):
        mapping = text.translations
        if mapping and source in mapping and lang in mapping:
            pairs[format_path(path)] = (mapping[source], mapping[lang], path)
    return pairs


def _load(brief_file: BriefFile) -> dict[str, dict[str, dict[str, str]]]:
    """The confirmed translations of a brief; a located error if the file is broken."""
    path = record_path(brief_file.path)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _broken(Location(path), "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _broken(Location(path, exc.lineno, exc.colno), f"not valid JSON: {exc.msg}"
                      ) from None
    confirmed = data.get("confirmed", {}) if isinstance(data, dict) else None
    if not (isinstance(confirmed, dict) and all(
            isinstance(records, dict) and all(
                isinstance(r, dict) and isinstance(r.get("source"), str)
                and isinstance(r.get("translation"), str) for r in records.values())
            for records in confirmed.values())):
        raise _broken(Location(path), "not a record of confirmed translations (\"confirmed\": "
                      "{language: {field: {\"source\": ..., \"translation\": ...}}})")
    return confirmed


def _broken(location: Location, message: str) -> BriefError:
    return BriefError([Problem(location, f"{message}; fix it, or delete it and run `briefgen "
                               "confirm` again")])


def translation_states(brief_file: BriefFile) -> list[TranslationState]:
    """For every language but the source one: the outdated and the unconfirmed fields."""
    confirmed = _load(brief_file)
    states = []
    for lang in brief_file.brief.languages[1:]:
        records = confirmed.get(lang, {})
        outdated, unconfirmed = [], []
        for name, (source, translation, _) in _pairs(brief_file, lang).items():
            record = records.get(name)
            if record is None:
                unconfirmed.append(name)
            elif record["source"] != _digest(source) and record["translation"] == _digest(
                    translation):
                outdated.append(name)
        states.append(TranslationState(lang, outdated, unconfirmed))
    return states


def outdated_problems(brief_file: BriefFile) -> list[Problem]:
    """A warning at each translation whose source text changed since it was confirmed."""
    source = brief_file.brief.source_language
    problems = []
    for state in translation_states(brief_file):
        pairs = _pairs(brief_file, state.lang)
        for name in state.outdated:
            path = (*pairs[name][2], state.lang)
            problems.append(Problem(
                brief_file.location(path),
                f"the {state.lang!r} translation may be outdated: the {source!r} text changed "
                f"since it was confirmed (briefgen confirm --lang {state.lang} --field {name} "
                f"{display_path(brief_file.path)})", name, Severity.WARNING))
    return problems


def confirm(brief_file: BriefFile, langs: list[str] | None = None,
            fields: list[str] | None = None) -> int:
    """Record the current translations as confirmed; returns how many were recorded."""
    source = brief_file.brief.source_language
    targets = brief_file.brief.languages[1:]
    unknown = [lang for lang in langs or [] if lang not in targets]
    if unknown:
        raise UsageError(f"{display_path(brief_file.path)}: {unknown[0]!r} is not a "
                         "translation language of this brief (its languages: "
                         f"{', '.join(brief_file.brief.languages)})")
    names = {format_path(path) for path, _ in localized_fields(brief_file.brief)}
    unknown = [name for name in fields or [] if name not in names]
    if unknown:
        raise UsageError(f"{display_path(brief_file.path)}: no localized field {unknown[0]!r}")
    confirmed = _load(brief_file)
    count = 0
    for lang in langs or targets:
        records = confirmed.setdefault(lang, {})
        for name, (text, translation, _) in _pairs(brief_file, lang).items():
            if fields and name not in fields:
                continue
            records[name] = {"source": _digest(text), "translation": _digest(translation)}
            count += 1
    document = {"format": FORMAT, "source_language": source,
                "confirmed": {lang: dict(sorted(records.items()))
                              for lang, records in sorted(confirmed.items())}}
    write_if_changed(record_path(brief_file.path),
                     (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
    return count
