"""Visual regression: page 1 of every sample edition against its golden picture.

A change that moves what a reader sees fails here; when it is meant, refresh the
pictures (and the README's) with `python -m tests.golden` and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from .golden import GOLDEN, difference, first_page, golden_name

# Antialiasing may differ by a shade between two renders of one page; a moved line of
# text changes far more than this.
MAX_MEAN = 1.5
MAX_CHANGED = 0.004


def test_every_sample_edition_has_a_golden_picture(sample_build: Path) -> None:
    built = sorted(golden_name(pdf) for pdf in sample_build.glob("*/*.pdf"))
    assert built == sorted(p.name for p in GOLDEN.glob("*.png")), (
        "refresh: python -m tests.golden")


@pytest.mark.parametrize("golden", sorted(p.name for p in GOLDEN.glob("*.png")))
def test_page_one_looks_as_it_did(sample_build: Path, golden: str) -> None:
    brief_id = golden.rsplit("-", 2)[0] if golden.count("-") else golden
    matches = [pdf for pdf in sample_build.glob("*/*.pdf") if golden_name(pdf) == golden]
    assert matches, f"no edition for {golden} (brief {brief_id})"
    mean, changed = difference(first_page(matches[0]), Image.open(GOLDEN / golden))
    assert mean <= MAX_MEAN and changed <= MAX_CHANGED, (
        f"{golden}: mean grey difference {mean:.2f}, {changed:.2%} of pixels changed; "
        "if this is meant, refresh: python -m tests.golden")


def test_the_comparison_sees_a_moved_line(sample_build: Path, tmp_path: Path) -> None:
    pdf = next(iter(sorted(sample_build.glob("*/*-policymaker-en.pdf"))))
    page = first_page(pdf)
    moved = Image.new("L", page.size, 255)
    moved.paste(page.crop((0, 0, page.width, page.height - 3)), (0, 3))
    mean, changed = difference(page, moved)
    assert mean > MAX_MEAN or changed > MAX_CHANGED
