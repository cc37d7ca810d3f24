"""Hostile and broken input: confined resources, sanitized text, bounded work."""

from __future__ import annotations

import base64
import contextlib
import http.server
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.text.convert import inline_markdown_to_html, markdown_to_html

from .conftest import MINIMAL
from .conftest import Project as ScratchProject

EN = MINIMAL.replace("languages: [en, ru]", "languages: [en]")


def _png(size: int = 2) -> bytes:
    """A red square PNG: a resource WeasyPrint would embed if it were let through."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = _png()


def with_image(src: str) -> str:
    return EN.replace("necessity: {en: Because., ru: Потому что.}",
                      f"necessity:\n  en: |\n    Because.\n\n    ![chart]({src})")


def images_in(pdf: Path) -> int:
    count = 0
    for page in PdfReader(pdf).pages:
        objects = page["/Resources"].get("/XObject") or {}
        count += sum(1 for o in objects.values() if o.get_object()["/Subtype"] == "/Image")
    return count


def raw_pdf_bytes(pdf: Path) -> bytes:
    """The PDF with every stream inflated, to look for bytes that must not be there."""
    data = pdf.read_bytes()
    out = [data]
    for reader_page in PdfReader(pdf).pages:
        contents = reader_page.get_contents()
        if contents is not None:
            out.append(contents.get_data())
    for start in range(len(data)):
        if data.startswith(b"stream\n", start):
            with contextlib.suppress(zlib.error):
                out.append(zlib.decompressobj().decompress(data[start + 7:]))
    return b"".join(out)


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the project, holding things a brief must never read."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.png").write_bytes(PNG)
    (folder / "secret.css").write_text('h1::after { content: "LEAKED-SECRET"; }')
    return folder


def test_an_image_inside_the_brief_folder_is_embedded(project: ScratchProject) -> None:
    (project.root / "briefs").mkdir()
    (project.root / "briefs/chart.png").write_bytes(PNG)
    project.brief("water", with_image("chart.png"))
    result = project.run("build", "--audience", "practitioner")
    assert result.code == 0 and result.err == ""
    assert images_in(project.root / "build/water/water-practitioner-en.pdf") == 1


def test_an_html_edition_carries_its_images_inside(project: ScratchProject) -> None:
    """The HTML is one standalone file: moved or mailed, it still shows its chart."""
    (project.root / "briefs").mkdir()
    (project.root / "briefs/chart.png").write_bytes(PNG)
    project.brief("water", with_image("chart.png"))
    assert project.run("build", "--audience", "practitioner").code == 0
    html = (project.root / "build/water/water-practitioner-en.html").read_text()
    [src] = re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == PNG
    assert 'alt="chart"' in html
    # a change to the image is a change to the edition
    (project.root / "briefs/chart.png").write_bytes(_png(3))
    again = project.run("build", "--audience", "practitioner", "--explain")
    assert "[briefs/chart.png changed]" in again.out


@pytest.mark.parametrize("src", ["{outside}/secret.png", "file://{outside}/secret.png",
                                 "../../../../../../../..{outside}/secret.png",
                                 "link.png", "/dev/zero", "fifo.png", "big.png"])
def test_files_outside_the_project_are_refused(project: ScratchProject, outside: Path,
                                               src: str) -> None:
    briefs = project.root / "briefs"
    briefs.mkdir()
    (briefs / "link.png").symlink_to(outside / "secret.png")
    os.mkfifo(briefs / "fifo.png")
    with (briefs / "big.png").open("wb") as big:
        big.truncate(21_000_000)
    src = src.format(outside=outside)
    project.brief("water", with_image(src))
    result = project.run("build", "--audience", "practitioner")
    assert result.code == 0, result.err  # a warning: the brief still builds, without it
    pdf = project.root / "build/water/water-practitioner-en.pdf"
    if src.startswith("file:"):  # the sanitizer drops file: links before any fetch
        assert result.err == "" and images_in(pdf) == 0
        return
    [line] = [line for line in result.err.splitlines() if "refused" in line]
    assert line.startswith("briefs/water.yaml:6:7: warning: necessity.en: refused file://")
    reason = {"fifo.png": "not a regular file",
              "big.png": "larger than 20,000,000 bytes"}.get(src, "outside the project")
    assert line.endswith(reason)
    assert images_in(pdf) == 0
    assert PNG[16:40] not in raw_pdf_bytes(pdf)
    html = (project.root / "build/water/water-practitioner-en.html").read_text()
    assert re.findall(r"<img[^>]*>", html) == ['<img alt="chart">']  # no src: nothing loads
    strict = project.run("build", "--audience", "practitioner", "--strict", "--force")
    assert strict.code == 1


def test_a_template_cannot_reach_outside_either(project: ScratchProject,
                                                outside: Path) -> None:
    project.brief("water", EN)
    project.write("templates/policymaker/brief.html",
                  '{% extends "builtin/policymaker/brief.html" %}{% block head %}'
                  f'<link rel="stylesheet" href="file://{outside}/secret.css">'
                  f'<style>@import url("file://{outside}/secret.css"); '
                  f'body {{ background: url("{outside}/secret.png") }}</style>{{% endblock %}}')
    result = project.run("build", "--audience", "policymaker")
    for name in ("secret.css", "secret.png"):
        assert (f"briefs/water.yaml:1:1: warning: refused file://{outside}/{name}: outside "
                "the project") in result.err
    pdf = project.root / "build/water/water-policymaker-en.pdf"
    assert "LEAKED-SECRET" not in PdfReader(pdf).pages[0].extract_text()
    assert images_in(pdf) == 0


class _Server(http.server.ThreadingHTTPServer):
    hits: list[str]


@pytest.fixture
def web() -> Iterator[_Server]:
    """A web server on this machine's loopback that counts every request it gets."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            server.hits.append(self.path)
            if self.path == "/moved.png":
                self.send_response(302)
                self.send_header("Location", "/chart.png")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_no_network_unless_the_project_allows_the_host(project: ScratchProject,
                                                       web: _Server) -> None:
    url = f"http://127.0.0.1:{web.server_address[1]}"
    project.brief("water", with_image(f"{url}/chart.png"))
    result = project.run("build", "--audience", "practitioner")
    assert (f"refused {url}/chart.png: network access is off; a project may allow a host "
            "in briefgen.yaml (allowed_hosts)") in result.err
    assert web.hits == []  # not one request left the process
    project.write("briefgen.yaml", "allowed_hosts: [127.0.0.1]\n")
    allowed = project.run("build", "--audience", "practitioner")
    assert allowed.code == 0 and web.hits == ["/chart.png"]
    assert images_in(project.root / "build/water/water-practitioner-en.pdf") == 1
    project.brief("water", with_image(f"{url}/moved.png"))
    moved = project.run("build", "--audience", "practitioner")
    assert "refused" in moved.err and "could not be fetched" in moved.err
    assert web.hits == ["/chart.png", "/moved.png"]  # the redirect was not followed


def test_check_reads_as_build_does(project: ScratchProject, web: _Server) -> None:
    """`check` makes every edition with the project's allowed hosts and render limits."""
    url = f"http://127.0.0.1:{web.server_address[1]}"
    project.brief("water", with_image(f"{url}/chart.png"))
    project.write("briefgen.yaml", "allowed_hosts: [127.0.0.1]\n")
    result = project.run("check")
    assert result.code == 0 and "refused" not in result.err
    assert web.hits and set(web.hits) == {"/chart.png"}
    project.write("briefgen.yaml", "render_timeout: 0.01\n")
    for command in ("check", "build"):
        slow = project.run(command)
        assert slow.code == 1
        assert "the render took longer than 0.01 s" in slow.err, command


@pytest.mark.parametrize("source", [
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "<a href=\"  javascript:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "[x](jAvAsCrIpT:alert(1))",
    "<svg onload=alert(1)>x</svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<img src=x onerror=alert(1)>x",
    "<img src=\"javascript:alert(1)\">x",
])
def test_no_dangerous_link_in_any_spelling(source: str) -> None:
    for render in (markdown_to_html, inline_markdown_to_html):
        html = str(render(source)).lower()
        for needle in ("javascript", "vbscript", "data:", "onload", "onerror", "<svg",
                       "<math", "<script"):
            assert needle not in html, (source, html)


def test_runaway_render_is_stopped_and_the_previous_output_kept(
        project: ScratchProject) -> None:
    path = project.brief("water", EN)
    assert project.run("build", "--audience", "academic").code == 0
    pdf = project.root / "build/water/water-academic-en.pdf"
    before = pdf.read_bytes()
    items = "".join(f"  - {{en: Obstacle number {i} on a long and winding road.}}\n"
                    for i in range(1500))
    path.write_text(EN.replace("challenges:\n  - {en: Money., ru: Деньги.}\n",
                               f"challenges:\n{items}"), encoding="utf-8")
    result = project.run("build", "--audience", "academic", "--render-timeout", "0.5")
    assert result.code == 1 and "Traceback" not in result.err
    assert ("failed  build/water/water-academic-en.pdf (stopped: the render took longer "
            "than 0.5 s; the previous output is kept)") in result.err
    assert pdf.read_bytes() == before


@pytest.mark.slow
def test_memory_limit_stops_a_render(project: ScratchProject) -> None:
    project.brief("water", EN)
    # a fresh process: a warm one may hold the memory a render needs already
    result = project.run_process("build", "--audience", "policymaker", "--memory-limit", "1",
                                 "-j", "1")
    assert result.code == 1 and "Traceback" not in result.err
    assert ("(stopped: the render needed more than its 1 MB of memory; the previous output "
            "is kept)") in result.err


@pytest.mark.slow
@pytest.mark.parametrize("megabytes", ["15", "30", "45"])
def test_a_render_that_aborts_out_of_memory_fails_its_edition_only(
        project: ScratchProject, megabytes: str) -> None:
    """Class: --memory-limit set low killed the whole build with a GLib abort. A C
    library may abort where Python would raise; then only that worker dies."""
    project.brief("water", EN)
    result = project.run_process("build", "--audience", "policymaker", "--memory-limit",
                                 megabytes, "-j", "1")
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert result.out.splitlines()[-1].endswith("failed")  # the build ran to its summary
    assert result.code == 1
    assert re.search(r"failed  build/water/water-policymaker-en\.pdf \((stopped: the render "
                     r"needed more than its \d+ MB|the worker making it died)", result.err)


def test_strict_fails_on_weasyprint_warnings(project: ScratchProject) -> None:
    project.brief("water", EN)
    project.write("templates/policymaker/brief.html",
                  '{% extends "builtin/policymaker/brief.html" %}{% block style %}'
                  'h1 { colour: red; }{% endblock %}')
    lenient = project.run("build", "--audience", "policymaker")
    assert lenient.code == 0
    assert re.search(r"^briefs/water\.yaml:1:1: warning: policymaker-en: WeasyPrint: Ignored "
                     r"`colour: red` at \d+:\d+, unknown property\.$", lenient.err, re.M)
    strict = project.run("build", "--audience", "policymaker", "--strict", "--force")
    assert strict.code == 1
    assert "(warnings are errors under --strict)" in strict.err
