"""What a writer can act on when a layout falls short: what to cut when an edition does not
fit its budget even at the floor of its scale, and the layout inspector's findings."""

from __future__ import annotations

import math

from ..errors import Location, Problem, Severity
from ..layout.inspect import Inspection
from ..layout.measure import Layout
from ..render.audiences import TypeScale
from ..source.model import BriefFile


def overflow_report(brief_file: BriefFile, name: str, layout: Layout, scale: TypeScale,
                    budget: int) -> list[Problem]:
    """Say how far over the budget an edition is at its floor, and what to cut where."""
    over = layout.used - budget
    sections = sorted(layout.sections(), key=lambda s: -s.height)
    text_sections = [s for s in sections if s.words]
    words = sum(s.words for s in text_sections)
    room = sum(s.height for s in text_sections)
    # A cut frees less room than its words' share, since a shortened paragraph keeps
    # its last line: ask for a little more than the average density says.
    to_cut = _round_up(over / (room / words) * 1.15) if words and room else 0
    problems = [Problem(
        Location(brief_file.path),
        f"{name}: {layout.used:.2f} pages at {scale}, the floor of its type scale; the "
        f"budget is {budget} page{'s' if budget != 1 else ''}: cut about {to_cut} words")]
    for section in text_sections:
        share = _round_up(to_cut * section.words / words)
        problems.append(Problem(
            brief_file.source_map.key((section.field,)),
            f"takes {section.height:.2f} pages with {section.words} words; cut about {share} "
            "here", section.field))
    return problems


def _round_up(words: float, step: int = 5) -> int:
    return int(math.ceil(words / step) * step)


def inspection_problems(brief_file: BriefFile, name: str, inspection: Inspection
                        ) -> list[Problem]:
    """A warning per finding of the layout inspector, at the field it concerns."""
    problems = []
    for finding in inspection.findings:
        location = (brief_file.source_map.key((finding.field,)) if finding.field
                    else Location(brief_file.path))
        problems.append(Problem(location, f"{name}: page {finding.page}: {finding.message}",
                                severity=Severity.WARNING))
    return list(dict.fromkeys(problems))
