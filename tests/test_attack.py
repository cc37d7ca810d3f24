"""No input can stop the build: each class of attack and breakage, at its cause.

The rule: any input gets a located error or builds; one bad brief, edition or file
never stops the others; "internal error" is never printed for something a user's
file caused. Each test names the class it covers.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.errors import Location, Problem
from briefgen.layout.limits import RenderLimitError, render_limits
from briefgen.layout.svg import MAX_ELEMENTS, svg_problem

from .conftest import MINIMAL
from .conftest import Project as ScratchProject

EN = MINIMAL.replace("languages: [en, ru]", "languages: [en]")


def in_necessity(text: str, brief: str = EN) -> str:
    return brief.replace("necessity: {en: Because., ru: Потому что.}",
                         f"necessity: {json.dumps(text)}")


def use_bomb(levels: int = 12, fan: int = 10) -> str:
    """An SVG whose <use> elements reference each other: fan ** levels drawings."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
           ' width="100" height="100"><defs><g id="a0"><rect width="1" height="1"/></g>')
    for i in range(1, levels):
        svg += f'<g id="a{i}">' + f'<use xlink:href="#a{i - 1}"/>' * fan + "</g>"
    return svg + f'</defs><use xlink:href="#a{levels - 1}"/></svg>'


def good_and_bad(project: ScratchProject, bad: str) -> None:
    """A good brief beside a bad one: the good one must always be built."""
    project.brief("good", EN)
    project.brief("bad", bad)


def assert_good_built(project: ScratchProject) -> None:
    assert (project.root / "build/good/good-policymaker-en.pdf").is_file()


# --- severe ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_svg_use_amplification_is_refused_before_it_is_drawn(project: ScratchProject) -> None:
    """Class: an SVG whose <use> elements reference each other runs past any time limit."""
    (project.root / "briefs").mkdir()
    (project.root / "briefs/bomb.svg").write_text(use_bomb())
    good_and_bad(project, in_necessity("Because.\n\n![chart](bomb.svg)"))
    started = time.perf_counter()
    result = project.run("build", "--audience", "policymaker")
    assert time.perf_counter() - started < 30
    assert result.code == 0 and "internal error" not in result.err
    assert ("briefs/bad.yaml:5:12: warning: necessity: refused file://"
            in result.err and "bomb.svg: an SVG that draws" in result.err)
    strict = project.run("build", "--audience", "policymaker", "--strict", "--force")
    assert strict.code == 1  # the chart is missing: under --strict that is a failure
    assert "failed  build/bad/bad-policymaker-en.pdf (warnings are errors" in strict.err


def test_a_resource_refused_inside_an_svg_is_reported(project: ScratchProject,
                                                      outside_secret: Path) -> None:
    """Class: resources refused inside an SVG were not reported, so --strict passed."""
    (project.root / "briefs").mkdir()
    (project.root / "briefs/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="file://{outside_secret}" width="5" height="5"/></svg>')
    project.brief("water", in_necessity("![logo](logo.svg)"))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0
    assert f"warning: refused file://{outside_secret}: " in result.err
    strict = project.run("build", "--audience", "policymaker", "--strict", "--force")
    assert strict.code == 1


@pytest.fixture
def outside_secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .test_hostile import PNG

    path = tmp_path_factory.mktemp("outside") / "secret.png"
    path.write_bytes(PNG)
    return path


@pytest.mark.parametrize(("svg", "expected"), [
    (use_bomb(), "draws"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g>'
     '<g id="b"><use href="#a"/></g></svg>', "references itself"),
    ('<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 500 + "</g>" * 500 + "</svg>",
     "nested more than"),
    ('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg>&b;</svg>',
     "EntitiesForbidden"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><g id="p0"/>'
     + "".join(f'<g id="p{i}"><use href="#p{i + 1}"/></g>' for i in range(1, 400))
     + "</svg>", "lead more than"),
], ids=["use-bomb", "cycle", "deep", "entities", "reference-chain"])
def test_svg_bounds(svg: str, expected: str) -> None:
    problem = svg_problem(svg.encode())
    assert problem is not None and expected in problem


def test_svg_within_bounds_is_drawn() -> None:
    chart = ('<svg xmlns="http://www.w3.org/2000/svg"><defs><rect id="bar" width="4" '
             'height="10"/></defs>' + '<use href="#bar"/>' * (MAX_ELEMENTS // 3) + "</svg>")
    assert svg_problem(chart.encode()) is None


def test_a_time_limit_holds_when_a_library_swallows_the_alarm() -> None:
    """Class: WeasyPrint catches every exception while drawing an SVG."""
    def swallowing_render() -> None:
        deadline = time.monotonic() + 1
        swallowed = False
        while not swallowed or time.monotonic() < deadline:
            try:  # what the library does with whatever is raised inside it
                sum(range(10_000))
            except BaseException:  # noqa: BLE001
                swallowed = True

    started = time.monotonic()
    with pytest.raises(RenderLimitError, match="took longer than 0.1 s"), \
            render_limits(0.1, None):
        swallowing_render()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("text", "what"), [
    ("> " * 3000 + "deep", "block quotes nested 3000 levels deep"),
    ("\n".join("  " * i + "- item" for i in range(400)), "lists nested 400 levels deep"),
    ("<em>" * 3000 + "deep" + "</em>" * 3000, "HTML tags nested 3000 levels deep"),
    ("*_" * 1000 + "deep" + "_*" * 1000, "emphasis marks nested 1000 levels deep"),
], ids=["quotes", "lists", "tags", "emphasis"])
def test_deeply_nested_markdown_is_a_located_error(project: ScratchProject, text: str,
                                                   what: str) -> None:
    """Class: nesting that raised RecursionError and aborted the whole build and check."""
    good_and_bad(project, in_necessity(text))
    for command in ("build", "check"):
        result = project.run(command, "--audience", "policymaker") if command == "build" \
            else project.run(command, "--no-layout")
        assert result.code == 1 and "internal error" not in result.err, command
        assert (f"briefs/bad.yaml:5:12: necessity: {what}; the limit is 16"
                in result.err.splitlines()), command
    assert_good_built(project)


@pytest.mark.slow
def test_yaml_merge_bomb_fails_fast_and_small(project: ScratchProject) -> None:
    """Class: a `<<` merge bomb was expanded before the alias counter saw it."""
    bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 14):
        bomb += f"l{i}: &l{i}\n" + "".join(f"  k{j}: *l{i - 1}\n" for j in range(10))
    bomb += "m: {<<: [" + ", ".join(f"*l{i}" for i in range(1, 14)) + "]}\n"
    good_and_bad(project, bomb)
    started = time.perf_counter()
    result = project.run("build", "--audience", "policymaker")
    assert time.perf_counter() - started < 20
    assert result.code == 1 and "is this an alias bomb?" in result.err
    assert_good_built(project)


def test_yaml_merge_with_a_local_override_is_allowed(project: ScratchProject) -> None:
    """Class: `<<: *base` then a key of its own was reported as a duplicate key."""
    project.brief("water", EN.replace(
        "summary: {en: Act now., ru: Действуйте сейчас.}",
        "base: &base {en: Draft summary.}\nsummary:\n  <<: *base\n  en: Act now.").replace(
        "languages: [en]", "languages: [en]"))
    result = project.run("check", "--no-layout")
    assert "duplicate key" not in result.err
    assert "warning: base: unknown field 'base' is ignored" in result.err
    assert project.run("build", "--audience", "policymaker").code == 0
    html = (project.root / "build/water/water-policymaker-en.html").read_text()
    assert "Act now." in html and "Draft summary." not in html


# --- medium ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("brief", "expected"), [
    (EN.replace("  - {en: A treaty., ru: Договор.}", "  - {date: '0000-05', text: A treaty.}"),
     "briefs/bad.yaml:7:12: achievements[0].date: expected a date as YYYY, YYYY-MM or "
     "YYYY-MM-DD, got '0000-05'"),
    (EN.replace("languages: [en]", "languages: [en, zz]"),
     "briefs/bad.yaml:3:17: languages[1]: unknown language 'zz': dates and numbers are set "
     "per language from the Unicode CLDR, which has no such language"),
    (EN + "key_figures:\n  - {value: 017, label: Cases}\n",
     "briefs/bad.yaml:13:13: key_figures[0].value: '017' is read by YAML as the number 15; "
     "put it in quotes (\"017\") if it is text, or write the number in plain digits"),
    (EN + "key_figures:\n  - {value: 0x1F, label: Cases}\n",
     "briefs/bad.yaml:13:13: key_figures[0].value: '0x1F' is read by YAML as the number 31; "
     "put it in quotes (\"0x1F\") if it is text, or write the number in plain digits"),
], ids=["year-0", "unknown-language", "octal", "hex"])
def test_values_that_crashed_or_lied_are_located_errors(project: ScratchProject, brief: str,
                                                        expected: str) -> None:
    """Classes: year 0; an unknown language code; YAML 1.1 number coercion."""
    good_and_bad(project, brief)
    for command in ("build", "check"):
        result = project.run(command, *(["--audience", "policymaker"]
                                        if command == "build" else ["--no-layout"]))
        assert result.code == 1 and "internal error" not in result.err
        assert expected in result.err.splitlines(), (command, result.err)
    assert_good_built(project)


def test_a_small_number_keeps_its_digits(project: ScratchProject) -> None:
    """Class: 0.1e-5 was printed as 0."""
    project.brief("water", EN + "key_figures:\n  - {value: 0.1e-5, label: Rate}\n")
    assert project.run("build", "--audience", "policymaker").code == 0
    html = (project.root / "build/water/water-policymaker-en.html").read_text()
    assert ">0.000001<" in html


@pytest.mark.parametrize("name", ["x\ny", "a" * 101, "Water"])
def test_file_names_that_cannot_be_ids(project: ScratchProject, name: str) -> None:
    """Class: a brief file name too long for the file system, or holding a newline."""
    good_and_bad(project, EN)
    (project.root / "briefs/bad.yaml").rename(project.root / f"briefs/{name}.yaml")
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1 and "internal error" not in result.err
    assert "is not a valid brief id" in result.err
    assert "\n" not in name or "x\\ny" in result.err  # printed escaped, on one line
    assert sorted(p.name for p in (project.root / "build").iterdir()
                  if not p.name.startswith(".")) == ["good", "index.html"]


def test_out_naming_a_file_is_a_usage_error(project: ScratchProject) -> None:
    """Class: `--out` naming a file."""
    project.brief("good", EN)
    project.write("published", "a file, not a folder")
    result = project.run("build", "--out", "published")
    assert (result.code, result.err) == (2, "briefgen: error: published is not a folder; "
                                            "--out names the folder the outputs are "
                                            "written to\n")


def test_a_file_where_a_brief_folder_must_go_fails_that_brief(project: ScratchProject) -> None:
    """Class: a file where an output folder must go aborted everything."""
    good_and_bad(project, EN)
    project.write("build/bad", "in the way")
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1 and "internal error" not in result.err
    assert ("failed  build/bad/bad-policymaker-en.html (cannot write build/bad: a file is "
            "in the way where a folder must be)") in result.err
    assert_good_built(project)


def test_an_edited_manifest_cannot_delete_or_link_outside(project: ScratchProject,
                                                          tmp_path_factory: pytest.TempPathFactory
                                                          ) -> None:
    """Class: a manifest trusted as written deleted a file outside the output folder and
    put a javascript: link into index.html."""
    victim = tmp_path_factory.mktemp("victim") / "precious.txt"
    victim.write_text("keep me")
    project.brief("water", EN)
    assert project.run("build", "--audience", "policymaker").code == 0
    manifest_path = project.root / "build/.briefgen-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    key, record = next(iter(manifest["editions"].items()))
    record["outputs"][str(victim)] = "0" * 20
    record["outputs"]["briefs/water.yaml"] = "0" * 20
    manifest["editions"][key.replace("water.yaml", "gone.yaml")] = {
        **record, "brief": "briefs/gone.yaml"}
    manifest["briefs"]["briefs/water.yaml"]["id"] = "javascript:alert(1)//"
    manifest["index"]["/dev/zero"] = None
    manifest_path.write_text(json.dumps(manifest))
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 0, result.err
    assert victim.read_text() == "keep me"
    assert (project.root / "briefs/water.yaml").is_file()
    index = (project.root / "build/index.html").read_text()
    assert "javascript" not in index and 'href="water/water-policymaker-en.pdf"' in index


@pytest.mark.slow
def test_a_fresh_clone_of_a_committed_build_is_up_to_date(
        project: ScratchProject, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Class: a fresh clone rebuilt every edition (file times are not content) and
    rewrote the manifest."""
    project.brief("water", EN)
    assert project.run("build", "--audience", "policymaker").code == 0
    clone = tmp_path_factory.mktemp("clone") / "project"
    shutil.copytree(project.root, clone)  # new files, new times: as git checks them out
    (clone / "build" / ".briefgen-stat.json").unlink()  # .gitignore'd: not in a clone
    for path in clone.rglob("*"):
        os.utime(path, (1, 1))
    manifest = (clone / "build/.briefgen-manifest.json").read_bytes()
    result = ScratchProject(clone).run("build", "--audience", "policymaker")
    assert result.out.splitlines()[-1] == "0 built, 2 up to date, 0 failed"
    assert (clone / "build/.briefgen-manifest.json").read_bytes() == manifest
    assert (clone / "build/.gitignore").read_text() == (
        ".briefgen.lock\n.briefgen-stat.json\n.briefgen-journal.jsonl\n")


@pytest.mark.slow
def test_outputs_are_the_same_from_any_folder(project: ScratchProject,
                                              tmp_path_factory: pytest.TempPathFactory
                                              ) -> None:
    """Class: outputs differed between two checkouts in different folders (image names
    hashed the absolute URL; relative links carried the absolute path)."""
    from .test_hostile import PNG

    (project.root / "briefs").mkdir()
    (project.root / "briefs/chart.png").write_bytes(PNG)
    project.brief("water", in_necessity("See [the data](data.csv).\n\n![chart](chart.png)"))
    other = tmp_path_factory.mktemp("elsewhere") / "deeper" / "checkout"
    shutil.copytree(project.root, other)
    for root in (project.root, other):
        assert ScratchProject(root).run("build", "--audience", "practitioner").code == 0
    for name in ("water-practitioner-en.pdf", "water-practitioner-en.html"):
        first = (project.root / "build/water" / name).read_bytes()
        assert first == (other / "build/water" / name).read_bytes(), name
        assert str(project.root).encode() not in first


def test_watch_reports_an_internal_error_and_watches_on(
        project: ScratchProject, monkeypatch: pytest.MonkeyPatch) -> None:
    """Class: `watch` exited when a build raised an internal error."""
    import threading

    from briefgen.builder.options import BuildOptions
    from briefgen.events import RecordingReporter
    from briefgen.live import watch
    from briefgen.source.project import Project

    calls: list[int] = []

    def flaky_build(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise ValueError("a bug")

    monkeypatch.setattr(watch, "build", flaky_build)
    project.brief("water", EN)
    reporter = RecordingReporter()
    stop = threading.Event()
    results: list[object] = []
    thread = threading.Thread(target=watch.watch_and_build, daemon=True, args=(
        [project.root / "briefs"], BuildOptions(), reporter, Project(project.root), stop,
        results.append))
    thread.start()
    try:
        deadline = time.time() + 60
        while len(results) < 1 and time.time() < deadline:
            time.sleep(0.05)
        project.brief("water", EN.replace("Act now.", "Act today."))  # and again on a save
        while len(results) < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert results == [None, None] and thread.is_alive()
        assert reporter.failures[0].startswith("internal error: ValueError: a bug")
    finally:
        stop.set()
        thread.join(30)


def test_a_broken_translations_record_is_located_and_the_rest_is_checked(
        project: ScratchProject) -> None:
    """Class: a malformed <id>.translations.json crashed check."""
    project.brief("a")
    project.brief("b")
    project.write("briefs/a.translations.json", '{"confirmed": {"ru": [}')
    result = project.run("check", "--no-layout")
    assert result.code == 1 and "internal error" not in result.err
    assert ("briefs/a.translations.json:1:23: not valid JSON: Expecting value; fix it, or "
            "delete it and run `briefgen confirm` again") in result.err.splitlines()
    assert "briefs/b.yaml: translated en 6/6, ru 6/6" in result.out
    project.write("briefs/a.translations.json", '{"confirmed": {"ru": {"title": 3}}}')
    assert "not a record of confirmed translations" in project.run("check", "--no-layout").err


@pytest.mark.slow
def test_a_full_output_folder_is_an_error_not_a_crash(project: ScratchProject,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Class: a read-only or full output folder gave "internal error" and aborted the
    other editions. (Simulated: the tests run as root, who can write anywhere; the
    workers are forked, so they write through the same patched function.)"""
    import errno

    from briefgen.builder import manifest
    from briefgen.make import write

    def full(target: Path, data: bytes) -> bool:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    project.brief("water", EN)
    monkeypatch.setattr(write, "write_if_changed", full)
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1 and "internal error" not in result.err
    assert ("failed  build/water/water-policymaker-en.pdf (cannot write "
            "build/water/water-policymaker-en.html: No space left on device)") in result.err
    monkeypatch.undo()
    monkeypatch.setattr(manifest, "write_if_changed", full)
    result = project.run("build", "--audience", "policymaker")
    assert result.code == 1 and "internal error" not in result.err
    assert ("briefgen: error: cannot save build/.briefgen-manifest.json: No space left on "
            "device") in result.err.splitlines()
    assert (project.root / "build/water/water-policymaker-en.pdf").is_file()


# --- low ------------------------------------------------------------------------------------

def test_a_brief_linked_from_outside_is_not_read(project: ScratchProject,
                                                 tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    """Class: a brief file that is a symlink to a YAML file outside was loaded, and its
    values were echoed in errors."""
    secret = tmp_path_factory.mktemp("secret") / "secret.yaml"
    secret.write_text("title: TOP-SECRET-VALUE\ndate: nope\n")
    good_and_bad(project, EN)
    (project.root / "briefs/bad.yaml").unlink()
    (project.root / "briefs/bad.yaml").symlink_to(secret)
    result = project.run("build", "--audience", "policymaker")
    assert "TOP-SECRET" not in result.err + result.out
    assert ("briefs/bad.yaml:1:1: outside the project folder; briefgen reads briefs only "
            "inside it (and follows no link out)") in result.err.splitlines()
    assert_good_built(project)


def test_keys_cannot_forge_a_line_of_output(project: ScratchProject) -> None:
    """Class: field paths with newlines or escapes in YAML keys were printed raw."""
    project.brief("water", EN + '"x\\nbriefs/water.yaml:1:1: all good\\u001b[2J": 1\n')
    result = project.run("check", "--no-layout")
    lines = result.err.splitlines()
    assert not any(line.startswith("briefs/water.yaml:1:1: all good") for line in lines)
    assert any("x\\nbriefs/water.yaml:1:1: all good\\x1b[2J" in line for line in lines)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\ufeff"])
def test_invisible_characters_that_disguise_text_are_refused(project: ScratchProject,
                                                             char: str) -> None:
    """Class: bidi overrides and zero-width characters in titles and PDF metadata."""
    project.brief("water", EN.replace("title: {en: Water security, ru: Водная безопасность}",
                                      f"title: 'Report{char}fdp.exe'"))
    result = project.run("check", "--no-layout")
    assert result.code == 1
    [line] = [line for line in result.err.splitlines() if line.startswith("briefs/")]
    assert line.startswith(f"briefs/water.yaml:1:8: title: contains U+{ord(char):04X} ")
    assert line.endswith("an invisible character that can disguise text; remove it")
    assert char not in result.err


def test_problems_print_control_characters_escaped() -> None:
    problem = Problem(Location(Path("b.yaml"), 2, 3), "bad\rvalue \u202e here", "a\nb")
    assert str(problem) == "b.yaml:2:3: a\\nb: bad\\rvalue \\u202e here"


def test_html_editions_declare_a_policy_that_loads_nothing(project: ScratchProject) -> None:
    """Class: an HTML edition kept <img src="http://..."> for the reader's browser."""
    project.brief("water", in_necessity("![remote](http://example.org/x.png) and more"))
    assert project.run("build", "--audience", "practitioner").code == 0
    html = (project.root / "build/water/water-practitioner-en.html").read_text()
    assert "http://example.org" not in html
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; "
            "form-action 'none'\">") in html
    index = (project.root / "build/index.html").read_text()
    assert "Content-Security-Policy" in index


def test_pdf_metadata_is_plain(project: ScratchProject) -> None:
    project.brief("water", EN)
    assert project.run("build", "--audience", "policymaker").code == 0
    title = PdfReader(project.root / "build/water/water-policymaker-en.pdf").metadata.title
    assert title == "Water security"


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_killed_build_leaves_no_worker_and_no_temporary_file(project: ScratchProject) -> None:
    """Class: after a -j 2 build was killed, its workers lived on under PID 1; stray
    .tmp files from a killed build were never cleaned up."""
    import signal
    import subprocess
    import sys

    # Long renders: a busy worker notices no closed pipe; it must die with its build.
    items = "".join(f"  - {{en: Obstacle number {i} on a long and winding road.}}\n"
                    for i in range(1500))
    long = EN.replace("challenges:\n  - {en: Money., ru: Деньги.}\n", f"challenges:\n{items}")
    for name in "ab":
        project.brief(name, long)
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-j", "2",
                             "--audience", "academic"],
                            cwd=project.root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.time() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the premise: the build started its workers"
    time.sleep(1.5)  # let them get to work: each render takes several seconds
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 1
    while any(_alive(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived its build"

    stray = project.root / "build/a/.a-policymaker-en.pdf.k3j_9x2q.tmp"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"half a PDF")
    keep = project.write("build/a/.notes.tmp", "not briefgen's: kept")
    project.brief("a", EN)
    project.brief("b", EN)
    assert project.run("build", "--audience", "policymaker").code == 0
    assert not stray.exists() and keep.exists()


def test_serve_answers_only_its_own_host_and_never_with_a_traceback(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Class: `briefgen serve` answered any Host header (DNS rebinding) and printed a
    traceback for GET /%00."""
    import functools
    import http.client
    import threading

    from briefgen.live.serve import PreviewHandler, _Builds, _QuietServer

    (tmp_path / "index.html").write_text(
        '<html><head><meta http-equiv="Content-Security-Policy" content="default-src '
        "'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; "
        "form-action 'none'\"></head><body>Briefs</body></html>")
    handler = type("Handler", (PreviewHandler,), {"builds": _Builds()})
    server = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(tmp_path)))
    port = server.server_address[1]
    handler.hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def get(path: str, host: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode()

    try:
        status, page = get("/", f"127.0.0.1:{port}")
        assert status == 200 and "Briefs" in page
        assert "script-src 'nonce-" in page and '<script nonce="' in page
        assert get("/", f"localhost:{port}")[0] == 200
        assert get("/", f"attacker.example:{port}")[0] == 421
        assert get("/", "")[0] == 421
        assert get("/%00", f"127.0.0.1:{port}")[0] in (400, 404)
        assert get("/" + "a" * 5000, f"127.0.0.1:{port}")[0] in (400, 404)
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err
