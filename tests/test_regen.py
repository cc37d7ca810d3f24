"""Scheduled regeneration: rebuild exactly what changed, never lose a good output."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.builder.options import BuildOptions
from briefgen.builder.run import build
from briefgen.events import Event, RecordingReporter
from briefgen.source.project import Project

from .conftest import MINIMAL, read_line, started
from .conftest import Project as ScratchProject

EN_ONLY = MINIMAL.replace("languages: [en, ru]", "languages: [en]")
RU_ONLY = MINIMAL.replace("languages: [en, ru]", "languages: [ru]") + "sources: [../data/b.csv]\n"
AUDIENCES = ("academic", "policymaker", "practitioner")


@pytest.fixture(scope="module")
def regen_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Brief a in English; brief b in Russian, drawing on data/b.csv; built once."""
    project = ScratchProject(tmp_path_factory.mktemp("regen"))
    project.brief("a", EN_ONLY)
    project.brief("b", RU_ONLY)
    project.write("data/b.csv", "year,count\n2020,7831\n")
    reporter = RecordingReporter()
    build([project.root / "briefs"], BuildOptions(jobs=1), reporter, Project(project.root))
    assert len(reporter.targets(Event.BUILT)) == 12
    return project.root


@pytest.fixture
def regen(regen_built: Path, project: ScratchProject,
          monkeypatch: pytest.MonkeyPatch) -> ScratchProject:
    """A copy of the built project: the manifest is by content and relative to the
    project, so the copy is as up to date as the original (as a fresh clone is)."""
    shutil.copytree(regen_built, project.root, dirs_exist_ok=True)
    monkeypatch.chdir(project.root)
    return project


def run(**options: object) -> RecordingReporter:
    """An in-process build of the project in the working folder."""
    reporter = RecordingReporter()
    build([Path("briefs")], BuildOptions(jobs=1, **options),  # type: ignore[arg-type]
          reporter, Project(Path.cwd()))
    return reporter


def remade(reporter: RecordingReporter) -> set[str]:
    """'a-policymaker-en' for every edition made again (written or not), or found stale
    and kept (its content as before)."""
    return {t.stem for kind in (Event.BUILT, Event.UNCHANGED, Event.KEPT)
            for t in reporter.targets(kind)}


def facts(reporter: RecordingReporter, target: str) -> str:
    """Why an output was made (its path relative to the project)."""
    return reporter.facts(Path.cwd() / target).reason


def editions(brief: str, *audiences: str) -> set[str]:
    lang = "en" if brief == "a" else "ru"
    return {f"{brief}-{audience}-{lang}" for audience in audiences or AUDIENCES}


def test_nothing_changed_nothing_made(regen: ScratchProject) -> None:
    again = run()
    assert remade(again) == set()
    assert len(again.targets(Event.UP_TO_DATE)) == 12


def test_a_brief_edit_remakes_that_brief_only(regen: ScratchProject) -> None:
    regen.brief("a", EN_ONLY.replace("Act now.", "Act today."))
    reporter = run()
    assert remade(reporter) == editions("a")
    assert {Path(t).stem for t in reporter.targets(Event.UP_TO_DATE)} == editions("b")


def test_a_sources_file_edit_remakes_the_briefs_that_draw_on_it(regen: ScratchProject) -> None:
    regen.write("data/b.csv", "year,count\n2020,7832\n")
    assert remade(run()) == editions("b")


def test_a_template_override_remakes_the_audiences_that_use_it(regen: ScratchProject) -> None:
    # the academic template extends the practitioner one: both depend on it
    regen.write("templates/practitioner/brief.html",
                '{% extends "builtin/practitioner/brief.html" %}')
    assert remade(run()) == (editions("a", "practitioner", "academic")
                             | editions("b", "practitioner", "academic"))


def test_a_stylesheet_edit_remakes_the_audiences_that_include_it(
        regen: ScratchProject) -> None:
    builtin = Path(__file__).parent.parent / "src/briefgen/templates/paged.css"
    regen.write("templates/paged.css", builtin.read_text() + "\n/* a house rule */\n")
    reporter = run()
    assert remade(reporter) == (editions("a", "practitioner", "academic")
                                | editions("b", "practitioner", "academic"))
    assert len(reporter.targets(Event.UP_TO_DATE)) == 4  # the policymaker editions


def test_a_catalog_remakes_that_language_only(regen: ScratchProject) -> None:
    regen.write("templates/locale/ru/LC_MESSAGES/messages.po",
                'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                'msgid "Key figures"\nmsgstr "Цифры"\n')
    assert remade(run()) == editions("b")


def test_an_option_remakes_everything(regen: ScratchProject) -> None:
    reporter = run(paper="letter")
    assert remade(reporter) == editions("a") | editions("b")
    assert facts(reporter, "build/a/a-policymaker-en.pdf") == (
        "paper option changed (- -> letter)")
    assert remade(run(paper="letter")) == set()


def test_explain_and_force(regen: ScratchProject) -> None:
    regen.brief("a", EN_ONLY.replace("Act now.", "Act today."))
    reporter = run()
    assert facts(reporter, "build/a/a-policymaker-en.pdf") == "briefs/a.yaml changed"
    forced = run(force=True)
    assert remade(forced) == editions("a") | editions("b")
    assert {r.facts.reason for r in forced.reports if r.kind is not Event.FRONT_PAGE} == {
        "--force"}


def test_outputs_of_a_removed_brief_are_cleaned_up(regen: ScratchProject) -> None:
    keep = regen.write("build/a/notes.txt", "mine")
    (regen.root / "briefs/a.yaml").unlink()
    reporter = run()
    assert sorted(Path(t).name for t in reporter.targets(Event.REMOVED)) == sorted(
        [f"{e}.{fmt}" for e in editions("a") for fmt in ("html", "pdf")]
        + ["a-policymaker-en.png", "a.csl.json", "a.ris"])
    assert keep.read_text() == "mine"  # only files briefgen wrote
    assert sorted(p.name for p in (regen.root / "build/a").iterdir()) == ["notes.txt"]
    assert len(reporter.targets(Event.UP_TO_DATE)) == 6


def test_a_deleted_or_edited_output_is_remade(regen: ScratchProject) -> None:
    (regen.root / "build/a/a-academic-en.pdf").unlink()
    (regen.root / "build/b/b-policymaker-ru.html").write_text("edited by hand")
    reporter = run()
    assert remade(reporter) == {"a-academic-en", "b-policymaker-ru"}
    assert facts(reporter, "build/a/a-academic-en.html") == (
        "build/a/a-academic-en.pdf is missing")


def test_a_front_page_behind_its_manifest_is_written_again(regen: ScratchProject) -> None:
    # A build killed after saving a brief's new entry, before writing the front page.
    manifest = regen.root / "build/.briefgen-manifest.json"
    document = json.loads(manifest.read_text())
    document["briefs"]["briefs/a.yaml"]["index"]["en"]["summary"] = "Act at once."
    manifest.write_text(json.dumps(document))
    reporter = run()
    assert reporter.targets(Event.FRONT_PAGE) == [regen.root / "build/index.html"]
    assert "Act at once." in (regen.root / "build/index.html").read_text()
    assert run().targets(Event.FRONT_PAGE) == []


def test_check_writes_nothing_and_fails_when_stale(regen: ScratchProject) -> None:
    assert regen.run("build", "--check").code == 0
    regen.brief("a", EN_ONLY.replace("Act now.", "Act today."))
    manifest = regen.root / "build/.briefgen-manifest.json"
    before = {p: p.stat().st_mtime_ns for p in (regen.root / "build").rglob("*")}
    result = regen.run("build", "--check")
    assert result.code == 1
    assert "stale  build/a/a-policymaker-en.pdf (briefs/a.yaml changed)" in result.err
    # The summary changed, and with it the abstract in the citation files.
    assert "stale  build/a/a.csl.json (its brief or the publication changed)" in result.err
    assert result.out.splitlines()[-1] == "0 built, 6 up to date, 0 failed; 8 stale"
    assert {p: p.stat().st_mtime_ns for p in (regen.root / "build").rglob("*")} == before
    assert manifest.exists()


@pytest.mark.slow
def test_no_op_never_imports_weasyprint(regen: ScratchProject) -> None:
    script = ("import sys; from pathlib import Path; "
              "from briefgen.builder.options import BuildOptions; "
              "from briefgen.builder.run import build; "
              "from briefgen.events import Event, RecordingReporter; "
              "from briefgen.source.project import Project; "
              "r = RecordingReporter(); build([Path('briefs')], BuildOptions(), r, "
              "Project(Path.cwd())); "
              "print(len(r.targets(Event.UP_TO_DATE)), 'weasyprint' in sys.modules, "
              "'pydantic' in sys.modules, 'jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], cwd=regen.root, capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["12", "False", "False", "False"]


@pytest.mark.slow
def test_a_killed_build_leaves_every_output_whole(regen: ScratchProject) -> None:
    outputs = sorted(p for p in (regen.root / "build").rglob("*.*")
                     if not p.name.startswith("."))
    old = {p: p.read_bytes() for p in outputs}
    regen.brief("a", EN_ONLY.replace("Act now.", "Act without delay."))
    regen.brief("b", RU_ONLY.replace("Действуйте сейчас.", "Действуйте без промедления."))
    for delay in (0.6, 1.2, 1.8):
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-j", "1"],
                                cwd=regen.root, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for path in outputs:  # the old file or a whole new one, never a part
            data = path.read_bytes()
            if path.suffix == ".pdf":
                assert len(PdfReader(path).pages) >= 1
            elif path.suffix == ".html":
                assert data.rstrip().endswith(b"</html>")
            elif path.suffix == ".json":
                json.loads(data)
            elif path.suffix == ".png":
                assert data.endswith(b"IEND\xaeB`\x82")
            else:
                assert data.rstrip().endswith(b"ER  -")
    finished = regen.run("build")
    assert finished.code == 0
    # a temporary file a kill left mid-write is tidied by the next build
    assert list((regen.root / "build").rglob("*.tmp")) == []
    # every output now holds the new text: none was left behind as a stale old file
    assert [p.name for p in outputs if p.read_bytes() == old[p]] == []
    assert regen.run("build").out.splitlines()[-1] == "0 built, 12 up to date, 0 failed"


@pytest.mark.slow
def test_a_second_build_at_once_exits_75_or_waits(regen: ScratchProject) -> None:
    from filelock import FileLock, Timeout

    regen.brief("a", EN_ONLY.replace("Act now.", "Act at once."))
    # --wait: the probes below take the lock for an instant while the first starts
    first = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-j", "1",
                              "--wait", "60"], cwd=regen.root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    lock = regen.root / "build/.briefgen.lock"
    deadline = time.time() + 30
    while time.time() < deadline:  # until the first build holds the lock
        try:
            FileLock(lock).acquire(timeout=0).lock.release()
        except Timeout:
            break
        time.sleep(0.01)
    else:
        pytest.fail("never saw the first build holding the lock")
    second = regen.run("build")
    assert second.code == 75
    assert second.err == ("briefgen: error: another briefgen build is writing to build/ "
                          "(waited 0 s; --wait SECONDS waits longer)\n")
    waiting = regen.run("build", "--wait", "60")
    assert first.wait(60) == 0
    assert waiting.code == 0
    assert lock.exists()
    assert regen.run("build").out.splitlines()[-1] == "0 built, 12 up to date, 0 failed"


@pytest.mark.slow
def test_parallel_build_equals_serial_build(project: ScratchProject) -> None:
    for name in ("a", "b", "c"):
        project.brief(name)
    assert project.run("build", "-j", "1", "--out", "serial").code == 0
    assert project.run("build", "-j", "2", "--out", "parallel").code == 0
    serial = {p.relative_to(project.root / "serial"): p.read_bytes()
              for p in (project.root / "serial").rglob("*.*") if not p.name.startswith(".")}
    parallel = {p.relative_to(project.root / "parallel"): p.read_bytes()
                for p in (project.root / "parallel").rglob("*.*") if not p.name.startswith(".")}
    # 54 editions, 6 pictures of the one-pagers, 3 briefs' two citation files, and the
    # front page in English and Russian
    assert len(serial) == 68 and serial == parallel


@pytest.mark.slow
def test_watch_rebuilds_once_survives_errors_and_ignores_its_output(
        regen: ScratchProject) -> None:
    from briefgen.live.watch import watch_and_build

    results: list[object] = []
    changes: list[list[Path]] = []
    reporter = RecordingReporter()
    stop = threading.Event()
    thread = threading.Thread(target=watch_and_build, daemon=True, args=(
        [Path("briefs")], BuildOptions(), reporter, Project(regen.root), stop,
        results.append, changes.append))
    thread.start()

    def wait_for(count: int) -> None:
        deadline = time.time() + 60
        while len(results) < count and time.time() < deadline:
            time.sleep(0.05)
        assert len(results) == count
        time.sleep(1.0)  # nothing more comes
        assert len(results) == count

    try:
        wait_for(1)  # the first build, all up to date, reported once
        reporter.reports.clear()
        regen.brief("a", EN_ONLY.replace("Act now.", "Act today."))
        wait_for(2)
        assert changes == [[(regen.root / "briefs/a.yaml").resolve()]]
        assert remade(reporter) == editions("a")
        pdf = regen.root / "build/a/a-policymaker-en.pdf"
        good = pdf.read_bytes()
        regen.brief("a", EN_ONLY.replace("date: 2024-05-01", "date: someday"))
        wait_for(3)
        assert any(p.message.startswith("expected a date") for p in reporter.problems)
        assert pdf.read_bytes() == good
        (regen.root / "build/a/scratch.txt").write_text("written into the output folder")
        time.sleep(1.5)
        assert len(results) == 3
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


@pytest.mark.slow
def test_serve_previews_the_build_and_reloads_after_a_rebuild(regen: ScratchProject) -> None:
    import urllib.request

    with started(regen.root, "serve", "--port", "0") as proc:
        line = read_line(proc, timeout=60)
        assert line.startswith("serving build/ at http://127.0.0.1:")
        address = line.split(" at ")[1].split(" ")[0]

        def get(path: str) -> str:
            with urllib.request.urlopen(address + path, timeout=10) as response:
                return response.read().decode("utf-8")

        deadline = time.time() + 60
        while int(get("__briefgen__/version")) < 1 and time.time() < deadline:
            time.sleep(0.1)  # the first build
        first = get("__briefgen__/version")
        page = get("a/a-policymaker-en.html")
        assert "Water security" in page and "/__briefgen__/version" in page
        assert "/__briefgen__/version" not in (regen.root / "build/a/a-policymaker-en.html"
                                               ).read_text()
        assert "Policy briefs" in get("")  # the front page
        regen.brief("a", EN_ONLY.replace("Water security", "Water and security"))
        while get("__briefgen__/version") == first and time.time() < deadline:
            time.sleep(0.1)
        assert "Water and security" in get("a/a-policymaker-en.html")
        with pytest.raises(urllib.error.HTTPError):
            get("../../etc/passwd")


def test_settings_are_found_from_the_project_root_not_the_working_folder(
        project: ScratchProject, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    project.brief("a", EN_ONLY)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "briefgen.yaml").write_text("paper: letter\n")  # not this project's
    monkeypatch.chdir(elsewhere)

    def run_elsewhere() -> RecordingReporter:
        reporter = RecordingReporter()
        build([project.root / "briefs"], BuildOptions(jobs=1), reporter, Project(project.root))
        return reporter

    def width() -> int:
        pdf = project.root / "build/a/a-policymaker-en.pdf"
        return round(float(PdfReader(pdf).pages[0].mediabox.width))

    assert remade(run_elsewhere()) == editions("a") and width() == 595  # A4
    project.write("briefgen.yaml", "paper: letter\n")
    assert remade(run_elsewhere()) == editions("a") and width() == 612  # the edit is seen
    manifest = (project.root / "build/.briefgen-manifest.json").read_text()
    assert str(project.root) not in manifest and str(elsewhere) not in manifest
    assert '"briefgen.yaml":' in manifest


def test_a_font_installed_that_no_edition_embeds_rebuilds_nothing(
        project: ScratchProject, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """Class: installing any font (a package that brought its own) rebuilt every output:
    editions depended on the whole fontconfig list, not on the fonts they embed."""
    from briefgen.builder import fingerprint

    request.addfinalizer(fingerprint.font_digest.cache_clear)
    project.brief("water", EN_ONLY)
    assert project.run("build", "--audience", "policymaker").code == 0
    manifest = json.loads((project.root / "build/.briefgen-manifest.json").read_text())
    record = next(r for r in manifest["editions"].values() if r["edition"] == "en")
    families = [key.removeprefix("font:") for key in record["inputs"] if key.startswith("font:")]
    assert families and all(record["inputs"][f"font:{family}"] for family in families)
    installed = fingerprint.installed_fonts()

    def install(family: str) -> None:
        fonts = (*installed, ("/usr/share/fonts/new/new.ttf", family.lower(), "Regular", 1, 1))
        monkeypatch.setattr(fingerprint, "installed_fonts", lambda: fonts)
        fingerprint.font_digest.cache_clear()

    install("Noto Sans CJK SC")
    result = project.run("build", "--audience", "policymaker")
    assert result.out.splitlines()[-1] == "0 built, 2 up to date, 0 failed"
    install(families[0])  # another file of a family the edition embeds
    result = project.run("build", "--audience", "policymaker", "--explain")
    assert result.out.splitlines()[-1] == "0 built, 0 up to date, 0 failed; 2 remade unchanged"
    assert f"[font:{families[0]} changed]" in result.out


@pytest.mark.slow
def test_watch_says_the_time_and_the_change_once_and_stops_quietly(
        regen: ScratchProject) -> None:
    """The watch command as a person sees it: one report at start, a timed "changed:"
    line and result for each save, and Ctrl-C ends it with exit 0 and no library's
    warning."""
    import re

    from .conftest import read_line, started

    with started(regen.root, "watch", "--audience", "policymaker") as proc:
        first = read_line(proc, timeout=60)
        assert re.fullmatch(r"\d\d:\d\d:\d\d 0 built, 4 up to date, 0 failed; watching for "
                            r"changes \(Ctrl-C to stop\)\n", first), first
        regen.brief("a", EN_ONLY.replace("Act now.", "Act today."))
        lines = [read_line(proc, timeout=60) for _ in range(2)]
    assert re.fullmatch(r"\d\d:\d\d:\d\d changed: briefs/a\.yaml\n", lines[0]), lines
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "made  a:" in lines[1] + out and out.rstrip().endswith("stopped")
    assert "watchfiles" not in err and "Traceback" not in err


@pytest.mark.slow
def test_a_build_killed_midway_keeps_the_records_of_what_it_finished(
        project: ScratchProject) -> None:
    for name in "abcd":
        project.brief(name, EN_ONLY.replace("Act now.", f"Act now ({name})."))
    journal = project.root / "build/.briefgen-journal.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-j", "1"],
                            cwd=project.root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # The journal's first line is its base; then a line an edition made.
    while time.monotonic() < deadline and (
            not journal.is_file() or journal.read_bytes().count(b"\n") < 3):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = len(journal.read_bytes().splitlines()) - 1
    assert finished >= 2
    result = project.run("build", "--explain")
    assert result.code == 0, result.err
    up_to_date = [line for line in result.out.splitlines() if "up to date" in line
                  and line.strip().startswith("up to date")]
    # Each edition the journal recorded is two files (HTML, PDF), not made again.
    assert len(up_to_date) >= 2 * finished
    assert not journal.exists()  # folded into the manifest by the build that finished
    assert result.out.splitlines()[-1].startswith(f"{24 - len(up_to_date)} built")


def test_a_journal_is_read_only_where_it_extends_the_manifest(
        project: ScratchProject) -> None:
    from briefgen.builder.manifest import JOURNAL, EditionRecord, Manifest

    project.brief("a", EN_ONLY)
    assert project.run("build", "--audience", "policymaker").code == 0
    out = project.root / "build"
    manifest = Manifest.load(out, Project(project.root))
    record = next(iter(manifest.records.values()))
    outside = EditionRecord(record.brief, record.audience, record.edition,
                            {"../../etc/passwd": "x"}, record.outputs, record.options)
    moved = EditionRecord(record.brief, record.audience, record.edition, record.inputs,
                          record.outputs, record.options, seconds=99.0)
    manifest.journal([outside, moved])
    with (out / JOURNAL).open("ab") as handle:
        handle.write(b'{"edition": {"brief": "cut short by a ki')
    loaded = Manifest.load(out, Project(project.root))
    assert loaded.records[record.key].seconds == 99.0  # the line naming ../.. dropped
    lines = (out / JOURNAL).read_bytes().splitlines()
    (out / JOURNAL).write_bytes(b'{"base": "another manifest"}\n' + b"\n".join(lines[1:]))
    assert Manifest.load(out, Project(project.root)).records[record.key].seconds != 99.0


def test_an_edit_to_one_language_keeps_the_others_editions_unlaid(
        project: ScratchProject) -> None:
    """Class: an English-only edit laid out the unchanged Russian editions again. An
    edition whose content (its HTML at the base size, images and fonts inlined) is as
    the last build made it keeps its files, which are what a fresh build makes."""
    project.brief("w", MINIMAL)
    assert project.run("build").code == 0
    out = project.root / "build/w"
    english = {p.name: p.read_bytes() for p in out.glob("w-*-en.*")}
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("w-*-en.*")}
    project.brief("w", MINIMAL.replace("Действуйте сейчас.", "Действуйте без промедления."))
    result = project.run("build", "--explain")
    assert result.code == 0, result.err
    kept = sorted(line.split()[1] for line in result.out.splitlines()
                  if line.strip().startswith("kept"))
    assert kept == sorted(f"build/w/{name}" for name in english if not name.endswith("png"))
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("w-*-en.*")} == stamps
    assert any(line.strip().startswith("built") and "-ru." in line
               for line in result.out.splitlines())
    assert project.run("build").out.splitlines()[-1] == "0 built, 18 up to date, 0 failed"
    # The files kept are the bytes a build from nothing makes.
    fresh = project.root.parent / "fresh"
    shutil.copytree(project.root / "briefs", fresh / "briefs")
    assert ScratchProject(fresh).run("build").code == 0
    assert {p.name: p.read_bytes() for p in (fresh / "build/w").glob("w-*-en.*")} == english


def test_what_a_kept_edition_shows_includes_its_images_and_not_under_strict(
        project: ScratchProject) -> None:
    (project.root / "briefs").mkdir(parents=True)
    (project.root / "briefs/fig.png").write_bytes(png(255, 0, 0))
    text = MINIMAL.replace("necessity: {en: Because.", "necessity: {en: 'Because ![a](fig.png).'")
    project.brief("w", text)
    assert project.run("build", "--audience", "policymaker").code == 0
    # The Russian text and the image the English one shows change: nothing is kept.
    (project.root / "briefs/fig.png").write_bytes(png(0, 0, 255))
    project.brief("w", text.replace("Действуйте сейчас.", "Действуйте без промедления."))
    result = project.run("build", "--audience", "policymaker", "--explain")
    assert result.code == 0, result.err
    assert "kept" not in result.out
    project.brief("w", text)
    strict = project.run("build", "--audience", "policymaker", "--explain", "--strict")
    assert "kept" not in strict.out and "built" in strict.out


def png(red: int, green: int, blue: int) -> bytes:
    """A valid one-pixel PNG of one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes([0, red, green, blue])))
            + chunk(b"IEND", b""))
