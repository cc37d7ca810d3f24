"""How much fitting an edition to its page budget costs.

For each sample brief and for a synthetic brief about 30% too long for one page,
prints the pages it fills at its base size, the layout passes taken, the type scale
chosen, the time per pass, and the total (fit + write) as a ratio to one plain
WeasyPrint render+write of the final HTML.

    python bench/fit.py [--paper a4|letter] [--repeat N]

Timings are medians of N runs in one warm process (fonts loaded, templates compiled).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

from briefgen.layout.fetcher import ResourcePolicy
from briefgen.layout.measure import lay_out
from briefgen.layout.pdf import write_pdf
from briefgen.make.edition import Maker, source_epoch
from briefgen.source.editions import Edition
from briefgen.source.load import load_yaml
from briefgen.source.model import BriefFile
from briefgen.source.project import Project
from briefgen.source.validate import validate_brief

REPO = Path(__file__).resolve().parent.parent
EN = Edition.single("en")
SENTENCE = "Shared rivers need shared rules, shared data and the money to enforce both. "


def synthetic_brief(folder: Path) -> Path:
    """The samples' ASEAN brief with two more paragraphs of necessity: ~1.3 pages at base."""
    text = (REPO / "briefs/china-asean-anticorruption.yaml").read_text(encoding="utf-8")
    paragraph = (SENTENCE * 8).strip()
    extra = f"\n    {paragraph}\n\n    {paragraph}\n"
    text = text.replace("cleaner and more accountable.\n", "cleaner and more accountable.\n"
                        + extra, 1)
    path = folder / "briefs" / "synthetic-overflow.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def median_seconds(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paper", choices=["a4", "letter"], default="a4")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    maker = Maker.of(Project(REPO))
    templates = maker.templates
    audience = templates.audience("policymaker")
    with tempfile.TemporaryDirectory() as scratch:
        paths = sorted((REPO / "briefs").glob("*.yaml")) + [synthetic_brief(Path(scratch))]
        briefs: list[BriefFile] = [
            validate_brief(load_yaml(p), templates.audiences, p.parent.parent)
            for p in paths]
        # Warm up: fonts, templates, WeasyPrint's caches.
        write_pdf(maker.make(briefs[0], audience, EN, args.paper).layout, 0)

        print(f"policymaker edition, {args.paper}, median of {args.repeat} runs")
        print(f"{'brief':<34}{'at base':>8}{'passes':>7}{'scale':>9}{'per pass':>10}"
              f"{'fit+write':>11}{'plain':>9}{'ratio':>7}")
        for brief_file in briefs:
            edition = maker.make(brief_file, audience, EN, args.paper)
            at_base = lay_out(templates.render(brief_file, audience, EN, args.paper),
                              brief_file.path.parent,
                              ResourcePolicy((brief_file.path.parent,))).used
            epoch = source_epoch(brief_file)

            def fitted(bf: BriefFile = brief_file, epoch: int = epoch) -> None:
                write_pdf(maker.make(bf, audience, EN, args.paper).layout, epoch)

            def plain(html: str = edition.html, base: Path = brief_file.path.parent) -> None:
                weasyprint.HTML(string=html, base_url=base.as_uri() + "/").write_pdf()

            total = median_seconds(fitted, args.repeat)
            baseline = median_seconds(plain, args.repeat)
            layout_only = median_seconds(
                lambda bf=brief_file: maker.make(bf, audience, EN, args.paper),
                args.repeat)
            per_pass = layout_only / edition.passes
            print(f"{brief_file.id:<34}{at_base:>8.2f}{edition.passes:>7}{str(edition.scale):>9}"
                  f"{per_pass * 1000:>8.0f}ms{total * 1000:>9.0f}ms{baseline * 1000:>7.0f}ms"
                  f"{total / baseline:>7.2f}")
            if not edition.fits:
                print(f"  does not fit: {edition.layout.used:.2f} pages at the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
