"""Templates: the lookup chain, audiences, content selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import TemplateError, UsageError
from briefgen.render.templates import Templates
from briefgen.source.editions import Edition
from briefgen.source.load import load_yaml
from briefgen.source.validate import validate_brief

from .conftest import MINIMAL

RECOMMENDATIONS = MINIMAL.replace(
    "recommendations:\n  - {en: Fund it., ru: Профинансировать.}\n",
    "recommendations:\n"
    "  - {text: Third, priority: 3}\n"
    "  - {text: Unranked}\n"
    "  - {text: First, priority: 1}\n"
    "  - {text: Experts only, priority: 1, audiences: [academic]}\n"
    "  - {text: Second, priority: 2}\n"
    "  - {text: Fifth, priority: 5}\n"
)


def brief(tmp_path: Path, templates: Templates, text: str = MINIMAL):
    path = tmp_path / "briefs" / "b.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return validate_brief(load_yaml(path), set(templates.audiences), tmp_path)


def test_builtin_audiences() -> None:
    templates = Templates(None)
    assert set(templates.audiences) == {"policymaker", "practitioner", "academic"}
    assert templates.audience("policymaker").config.max_pages == 1
    assert templates.audience("practitioner").config.max_pages == 4
    assert templates.audience("academic").config.max_pages is None
    with pytest.raises(UsageError, match="unknown audience 'board'"):
        templates.audience("board")


def test_recommendations_selected_by_audience_and_priority(tmp_path: Path) -> None:
    templates = Templates(None)
    b = brief(tmp_path, templates, RECOMMENDATIONS)
    html = templates.render(b, templates.audience("policymaker"),
                            Edition.single("en")).replace("\u00a0", " ")
    order = [w for w in ("First", "Second", "Third", "Fifth", "Unranked", "Experts only")
             if w in html]
    # top four by priority; unranked after ranked; audience-restricted ones left out
    assert order == ["First", "Second", "Third", "Fifth"]
    assert html.index("First") < html.index("Second") < html.index("Third") < html.index("Fifth")
    academic = templates.render(b, templates.audience("academic"),
                                Edition.single("en")).replace("\u00a0", " ")
    assert "Experts only" in academic and "Unranked" in academic


def test_project_template_overrides_and_extends_builtin(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "policymaker"
    folder.mkdir(parents=True)
    (folder / "brief.html").write_text(
        '{% extends "builtin/policymaker/brief.html" %}'
        '{% block body %}<p class="ours">OURS</p>{{ super() }}{% endblock %}')
    templates = Templates(tmp_path / "templates")
    html = templates.render(brief(tmp_path, templates), templates.audience("policymaker"),
                            Edition.single("en"))
    assert '<p class="ours">OURS</p>' in html and "Act now." in html


def test_project_adds_an_audience(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "board"
    folder.mkdir(parents=True)
    (folder / "audience.yaml").write_text("label: Board note\nmax_pages: 2\n")
    (folder / "brief.html").write_text(
        '{% extends "base.html" %}{% block body %}<h1>{{ brief.title }}</h1>{% endblock %}')
    templates = Templates(tmp_path / "templates")
    assert set(templates.audiences) == {"policymaker", "practitioner", "academic", "board"}
    html = templates.render(brief(tmp_path, templates), templates.audience("board"),
                            Edition.single("ru"))
    assert "<html lang=\"ru\">" in html and "<h1>Водная\u00a0безопасность</h1>" in html


def test_missing_template_names_the_folders_searched(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "board"
    folder.mkdir(parents=True)
    (folder / "audience.yaml").write_text("label: Board note\n")
    templates = Templates(tmp_path / "templates")
    with pytest.raises(TemplateError) as info:
        templates.render(brief(tmp_path, templates), templates.audience("board"),
                         Edition.single("en"))
    assert str(info.value).startswith("template 'board/brief.html' not found (searched "
                                      f"{tmp_path / 'templates'}, ")


def test_content_is_escaped_and_never_run_as_a_template(tmp_path: Path) -> None:
    templates = Templates(None)
    text = MINIMAL.replace("title: {en: Water security, ru: Водная безопасность}",
                           "title: '{{ 7*7 }} <script>x</script>'")
    html = templates.render(brief(tmp_path, templates, text),
                            templates.audience("policymaker"), Edition.single("en"))
    assert "{{ 7*7 }}" in html and "49" not in html and "<script>" not in html
