"""What changed in a brief since it was last built: its figures (old → new, and what
they were read from), its texts, and the files it draws on; said by `build` one line a
change, and kept in a change log beside the brief's outputs, ``<id>.changes.json``.

A brief's facts are recorded in the manifest each time it is parsed; the next parse
compares against them. Made while planning, from the parsed brief: no layout needed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import source_date_epoch
from ..source.remote import is_url

if TYPE_CHECKING:  # planning a build with nothing to do imports none of them
    from ..source.model import BriefFile
    from ..source.project import Project

FIGURE = "key figure "  # facts named so are shown old → new; the others as "changed"
CHART = "chart "  # so are a chart's series (a line of them)
SERIES_LENGTH = 70
READ_FROM = " | "  # between a figure's value and the data it was read from
LOG_SUFFIX = ".changes.json"
MAX_LOG_ENTRIES = 100
LABEL_LENGTH = 40


def change_log_path(out_dir: Path, brief_id: str) -> Path:
    return out_dir / brief_id / f"{brief_id}{LOG_SUFFIX}"


def facts_of(brief_file: BriefFile, project: Project, digests: dict[str, str | None]
             ) -> dict[str, str]:
    """What a reader would notice changing: each key figure as shown in the brief's first
    language, a digest of each text in each language, and the files it draws on."""
    from ..render.view import figure_value
    from ..source.load import format_path
    from ..source.model import localized_fields
    from ..text.convert import plain_text
    from ..text.formats import format_number

    brief, lang = brief_file.brief, brief_file.brief.source_language
    facts: dict[str, str] = {}
    for i, figure in enumerate(brief.key_figures):
        label = _shorten(plain_text(figure.label.text(lang), lang), LABEL_LENGTH)
        shown = format_number(figure_value(figure), lang, figure.precision)
        unit = plain_text(figure.unit.text(lang), lang) if figure.unit else ""
        source = brief_file.read_from.get(i, "")
        shown = f"{shown}{unit}" if unit == "%" else f"{shown} {unit}".strip()
        facts[f'{FIGURE}"{label}"'] = shown + (f"{READ_FROM}{source}" if source else "")
    for i, chart in enumerate(brief.charts):
        data = brief_file.chart_data.get(i)
        if data is None:
            continue
        title = _shorten(plain_text(chart.title.text(lang), lang), LABEL_LENGTH)
        series = "; ".join(
            f"{category} " + "/".join(format_number(values[k], lang) for _, values in data.series)
            for k, category in enumerate(data.categories))
        facts[f'{CHART}"{title}"'] = _shorten(series, SERIES_LENGTH)
    for path, text in localized_fields(brief):
        name = format_path(path)
        # Text written once serves every language: one fact, not one a language (adding
        # a language to the brief changes none of it).
        for each in brief.languages if text.translations is not None else [None]:
            if each is None or text.has(each):
                facts[name if each is None else f"{name} ({each})"] = hashlib.sha256(
                    text.text(each or "").encode()).hexdigest()[:16]
    for name, file in brief_file.inputs():
        key = project.key(file)
        # A web file by its URL, not its copy's place in the cache.
        facts[f"file {name if is_url(name) else key}"] = digests.get(key) or "missing"
    return facts


def changes_between(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """One line a change, figures first: nothing when there is nothing to compare with."""
    if not old:
        return []
    lines = []
    for name in sorted(old.keys() | new.keys(), key=lambda n: (not n.startswith(FIGURE), n)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name.startswith(CHART):
            lines.append(f"{name} {before or '(none)'} → {after or '(none)'}")
        elif name.startswith(FIGURE):
            old_value, _, _ = (before or "(none)").partition(READ_FROM)
            new_value, _, source = (after or "(none)").partition(READ_FROM)
            lines.append(f"{name} {old_value} → {new_value}" + (f" ({source})" if source
                                                                  else ""))
        elif before is None:
            lines.append(f"{name} added")
        elif after is None:
            lines.append(f"{name} removed")
        else:
            lines.append(f"{name} changed")
    return lines


def _shorten(text: str, length: int) -> str:
    """``text`` cut at a word to about ``length`` characters."""
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def summary(lines: list[str]) -> str:
    """"2 figures changed, 3 texts": what the front page says of the last change."""
    figures = sum(line.startswith(FIGURE) for line in lines)
    charts = sum(line.startswith(CHART) for line in lines)
    files = sum(line.startswith("file ") for line in lines)
    texts = len(lines) - figures - charts - files
    parts = [f"{count} {noun}{'' if count == 1 else 's'}" for count, noun in
             ((figures, "figure"), (charts, "chart"), (texts, "text"),
              (files, "source file")) if count]
    return ", ".join(parts) + " changed" if parts else ""


def today() -> str:
    """The date a change is logged under: SOURCE_DATE_EPOCH's if set, else today's."""
    epoch = source_date_epoch()
    moment = (dt.datetime.now(dt.timezone.utc) if epoch is None
              else dt.datetime.fromtimestamp(epoch, dt.timezone.utc))
    return moment.date().isoformat()


def change_log(path: Path, brief_id: str, date: str, lines: list[str]) -> bytes:
    """The brief's change log with this change first: its previous entries are kept (up
    to MAX_LOG_ENTRIES); a log that cannot be read is started again."""
    entries: list[object] = []
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(previous, dict) and isinstance(previous.get("changes"), list):
            entries = previous["changes"]
    except (OSError, ValueError):
        pass
    entries = [{"date": date, "changes": lines}, *entries][:MAX_LOG_ENTRIES]
    document = {"brief": brief_id, "changes": entries}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
