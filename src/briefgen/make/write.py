"""Writing an edition: its HTML and PDF, each replaced atomically and only when changed,
and for a one-page edition in one language, a picture of its page for the front page;
the font families the PDF embeds are noted as inputs of the edition.

On a cluster (--executor) the worker writes nothing: it hands the files' bytes back
to the build, which writes them as a local worker would (``collect``).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..events import Event, Facts, Report
from ..files import write_if_changed
from ..inputs import FONT_PREFIX
from ..layout.rendered import read_back
from ..source.model import BriefFile
from .edition import MadeEdition
from .task import output_path


def write_edition(made: MadeEdition, brief_file: BriefFile, audience: str, out_dir: Path,
                  reason: str, started: float, collect: bool = False
                  ) -> tuple[list[Report], list[Path], dict[Path, bytes]]:
    """Write an edition's HTML and PDF (and its picture), whose making began at
    ``started`` (a perf_counter time): the events, the files, and with ``collect``
    their bytes, nothing written (each reported as built: the build that writes them
    says which were)."""
    files = {output_path(out_dir, brief_file.id, audience, made.edition, fmt): data
             for fmt, data in (("html", made.html.encode("utf-8")), ("pdf", made.pdf))}
    families, picture = read_back(made.pdf, made.budget == 1 and not made.edition.bilingual)
    # The fonts it embeds are what it depends on: installing another rebuilds nothing.
    for family in families:
        made.inputs.add(Path(FONT_PREFIX + family))
    facts = Facts(reason, made.layout.pages, made.scale.font_size, made.passes,
                  round(time.perf_counter() - started, 3))
    reports = []
    for target, data in files.items():
        changed = collect or write_if_changed(target, data)
        detail = (f"{made.layout.pages} page(s) at {made.scale}, "
                  f"{made.passes} layout pass(es)") if target.suffix == ".pdf" else ""
        reports.append(Report(Event.BUILT if changed else Event.UNCHANGED, target, detail,
                              facts))
    if picture is not None:
        # Not reported: it is the PDF's picture, made again only when the PDF is.
        target = output_path(out_dir, brief_file.id, audience, made.edition, "png")
        files[target] = picture
        if not collect:
            write_if_changed(target, picture)
    return reports, list(files), files if collect else {}
