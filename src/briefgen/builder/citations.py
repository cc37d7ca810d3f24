"""The citation files beside each brief's editions: ``<out>/<id>/<id>.csl.json`` (the
CSL-JSON that Zotero, Mendeley and pandoc read) and ``<id>.ris`` (for EndNote and the
rest), one record per language the brief is complete in.

Made while planning, from the parsed brief and briefgen.yaml's ``publication``: they
need no layout, and they are written only when their bytes change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # planning a build with nothing to do imports none of them
    from ..render.citation import Publishing
    from ..source.model import BriefFile

SUFFIXES = (".csl.json", ".ris")


def citation_paths(out_dir: Path, brief_id: str) -> list[Path]:
    return [out_dir / brief_id / f"{brief_id}{suffix}" for suffix in SUFFIXES]


def citation_files(brief_file: BriefFile, languages: list[str], publishing: Publishing,
                   out_dir: Path) -> dict[Path, bytes]:
    """The bytes of each citation file of ``brief_file``; none without a language."""
    from ..render.citation import csl_records

    if not languages:
        return {}
    records = csl_records(brief_file, languages, publishing)
    csl_json, ris = citation_paths(out_dir, brief_file.id)
    return {csl_json: (json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True)
                       + "\n").encode("utf-8"),
            ris: _ris(records).encode("utf-8")}


def _ris(records: list[dict[str, Any]]) -> str:
    """The records as RIS, the tags Zotero's RIS translator reads for a report."""
    import rispy

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> str:
            return ""  # no "1." before each record: plain RIS

    entries = []
    for r in records:
        year, month, day = (r["issued"]["date-parts"][0] + [1, 1])[:3]
        entry = {"type_of_reference": "RPRT", "id": r["id"], "title": r["title"],
                 "authors": [a.get("literal") or f"{a['family']}, {a['given']}"
                             for a in r.get("author", [])],
                 "year": str(year), "date": f"{year:04d}/{month:02d}/{day:02d}",
                 "language": r["language"], "abstract": r["abstract"]}
        entry.update({tag: [r[key]] if tag == "urls" else r[key]
                      for tag, key in (("publisher", "publisher"),
                                       ("place_published", "publisher-place"),
                                       ("tertiary_title", "collection-title"),
                                       ("issn", "number"),  # a report's number (SN)
                                       ("urls", "URL")) if r.get(key)})
        entries.append({k: _one_line(v) for k, v in entry.items()})
    return str(Writer().formats(entries))


def _one_line(value: Any) -> Any:
    """RIS is a line a tag: a value's own line breaks must not start a new tag."""
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    return " ".join(value.split()) if isinstance(value, str) else value


__all__ = ["SUFFIXES", "citation_files", "citation_paths"]
