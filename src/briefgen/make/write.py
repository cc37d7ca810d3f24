"""Writing an edition: its HTML and PDF, each replaced atomically and only when changed,
and for a one-page edition in one language, a picture of its page for the front page;
the font families the PDF embeds are noted as inputs of the edition."""

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
                  reason: str, started: float) -> tuple[list[Report], list[Path]]:
    """Write an edition's HTML and PDF, whose making began at ``started`` (a
    perf_counter time); the events, and the files it wrote."""
    facts = Facts(reason, made.layout.pages, made.scale.font_size, made.passes,
                  round(time.perf_counter() - started, 3))
    reports, outputs = [], []
    for fmt, data in (("html", made.html.encode("utf-8")), ("pdf", made.pdf)):
        target = output_path(out_dir, brief_file.id, audience, made.edition, fmt)
        changed = write_if_changed(target, data)
        outputs.append(target)
        detail = (f"{made.layout.pages} page(s) at {made.scale}, "
                  f"{made.passes} layout pass(es)") if fmt == "pdf" else ""
        reports.append(Report(Event.BUILT if changed else Event.UNCHANGED, target, detail,
                              facts))
    families, picture = read_back(made.pdf, made.budget == 1 and not made.edition.bilingual)
    # The fonts it embeds are what it depends on: installing another rebuilds nothing.
    for family in families:
        made.inputs.add(Path(FONT_PREFIX + family))
    if picture is not None:
        # Not reported: it is the PDF's picture, made again only when the PDF is.
        target = output_path(out_dir, brief_file.id, audience, made.edition, "png")
        write_if_changed(target, picture)
        outputs.append(target)
    return reports, outputs
