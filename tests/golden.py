"""Golden pictures: page 1 of every sample edition, as a reader sees it, kept in
tests/golden/ and compared with a tolerance by tests/test_visual.py. Also the README's
pictures. Refresh both, after a change to the layout that is meant, with:

    python -m tests.golden

It builds the samples into a temporary folder (as the README's first command does)
and renders the first pages with pdfium (pypdfium2), in grey, at 36 dots per inch.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

from .conftest import copy_samples

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
DPI = 36
# The README's pictures: (edition file, page, picture), rendered at a size to read.
README_PICTURES = [
    ("china-asean-anticorruption/china-asean-anticorruption-policymaker-en.pdf", 0,
     REPO / "docs" / "policymaker.png"),
    ("china-asean-anticorruption/china-asean-anticorruption-practitioner-en-ru.pdf", 0,
     REPO / "docs" / "bilingual.png"),
]
# ... and of the branded example project (examples/northgate).
EXAMPLE_PICTURES = [
    ("asset-recovery-asean/asset-recovery-asean-policymaker-en.pdf", 0,
     REPO / "docs" / "branded.png"),
]


def first_page(pdf: Path, dpi: int = DPI, page: int = 0, grey: bool = True) -> Image.Image:
    """A page of ``pdf`` as a picture, the way a PDF viewer draws it."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return image.convert("L") if grey else image.convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    """(mean difference of the grey levels, 0-255; share of pixels that differ by more
    than a faint antialiasing would) between two pictures of one size."""
    if a.size != b.size:
        return 255.0, 1.0
    diff = ImageChops.difference(a, b)
    histogram = diff.histogram()
    pixels = a.size[0] * a.size[1]
    mean = sum(level * count for level, count in enumerate(histogram)) / pixels
    changed = sum(histogram[48:]) / pixels
    return mean, changed


def golden_name(pdf: Path) -> str:
    return f"{pdf.stem}.png"


def build_samples(into: Path) -> Path:
    """The samples built into ``into``/build, by the command line, as a user builds them."""
    copy_samples(into)
    subprocess.run([sys.executable, "-m", "briefgen", "build", "-q"], cwd=into, check=True)
    return into / "build"


def refresh() -> None:
    with tempfile.TemporaryDirectory() as folder:
        build = build_samples(Path(folder))
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.png"):
            old.unlink()
        for pdf in sorted(build.glob("*/*.pdf")):
            first_page(pdf).save(GOLDEN / golden_name(pdf), optimize=True)
        example = Path(folder) / "northgate"
        shutil.copytree(REPO / "examples" / "northgate", example,
                        ignore=shutil.ignore_patterns("build"))
        subprocess.run([sys.executable, "-m", "briefgen", "build", "-q"], cwd=example,
                       check=True)
        for base, pictures in ((build, README_PICTURES), (example / "build", EXAMPLE_PICTURES)):
            for relative, page, picture in pictures:
                first_page(base / relative, dpi=80, page=page, grey=False).save(
                    picture, optimize=True)
    print(f"wrote {len(list(GOLDEN.glob('*.png')))} golden pictures and "
          f"{len(README_PICTURES) + len(EXAMPLE_PICTURES)} README pictures")


if __name__ == "__main__":
    refresh()
