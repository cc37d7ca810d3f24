"""The front page: one a language (index.html, index.ru.html) linked to each other,
brief titles, summaries and dates in that language, audiences from the shortest edition
to the longest, and a picture of each one-page edition, the same bytes each time."""

from __future__ import annotations

import io
import re

from .conftest import MINIMAL, Project


def test_a_front_page_in_each_language_with_pictures(project: Project) -> None:
    from PIL import Image

    project.brief("water", MINIMAL)
    assert project.run("build").code == 0
    english = (project.root / "build/index.html").read_text()
    russian = (project.root / "build/index.ru.html").read_text()
    assert '<html lang="en">' in english and '<html lang="ru">' in russian
    assert '<a href="index.ru.html" hreflang="ru" lang="ru">Русский</a>' in english
    assert '<a href="index.html" hreflang="en" lang="en">English</a>' in russian
    assert "<title>Policy briefs</title>" in english
    assert "<title>Аналитические записки</title>" in russian
    assert '<h2 id="brief-water">Water security</h2>' in english
    assert '<h2 id="brief-water">Водная безопасность</h2>' in russian
    assert "Editions of “Water security”" in english and "water-security" not in english
    assert "Издания записки «Водная безопасность»" in russian
    assert "1 brief, each for 3 audiences, as web pages and PDF." in english
    assert "1 записка для каждой из 3 аудиторий, в виде веб-страниц и PDF." in russian
    # The shortest edition first: the minister's, then the practitioner's, the research.
    assert re.findall(r'<th scope="row">([^<]+)</th>', english) == [
        "Policy brief", "Practitioner brief", "Research brief"]
    assert re.findall(r'<th scope="row">([^<]+)</th>', russian) == [
        "Аналитическая записка", "Записка для специалистов", "Научно-аналитическая записка"]
    for page, lang in ((english, "en"), (russian, "ru")):
        assert f'<a class="picture" href="water/water-policymaker-{lang}.pdf"' in page
        # Beside the page, not inlined: a thousand pictures would make a page of 60 MB.
        assert f'<img src="water/water-policymaker-{lang}.png" loading="lazy"' in page
    picture = project.root / "build/water/water-policymaker-ru.png"
    with Image.open(io.BytesIO(picture.read_bytes())) as image:
        assert image.width == 240 and 330 < image.height < 345  # A4's proportions
    before = picture.read_bytes(), russian
    assert project.run("build", "--force").code == 0
    assert picture.read_bytes() == before[0]
    assert (project.root / "build/index.ru.html").read_text() == before[1]


def test_a_deleted_front_page_is_written_again(project: Project) -> None:
    project.brief("water", MINIMAL)
    assert project.run("build", "--audience", "policymaker").code == 0
    (project.root / "build/index.ru.html").unlink()
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0 and (project.root / "build/index.ru.html").is_file()


def test_an_english_only_project_has_one_front_page(project: Project) -> None:
    from .test_regen import EN_ONLY

    project.brief("water", EN_ONLY)
    assert project.run("build", "--audience", "policymaker").code == 0
    assert not (project.root / "build/index.ru.html").exists()
    assert 'class="switch"' not in (project.root / "build/index.html").read_text()
