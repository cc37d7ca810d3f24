"""Web sources and data against a local HTTPS server on 127.0.0.1 (a certificate from
trustme): one rebuild per change and none on a 304, the last good copy and outputs kept
on a 500, a timeout, an oversize answer or an error page, redirects off the allowed
hosts refused, --offline from the cache, and every problem located at the field that
names the URL."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefgen.events import Event, RecordingReporter

from .conftest import Project
from .test_build import pdf_text
from .test_data import BRIEF as DATA_BRIEF
from .test_data import RETURNS

PAPER = "The paper says that 292 people were returned from ASEAN countries in 2020.\n"


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    media_type: str = "text/csv"
    delay: float = 0.0  # seconds before the body
    location: str = ""  # a redirect's target
    etag: bool = True  # whether it is served with an ETag (else Last-Modified only)
    length: bool = True  # whether it says its length (else the body ends at the close)
    headers: dict[str, str] = field(default_factory=dict)  # sent as they are
    header_delay: float = 0.0  # seconds before each header line


@dataclass
class Server:
    """What each path answers, changed by the test as it goes; what was asked, counted."""

    port: int = 0
    answers: dict[str, Answer] = field(default_factory=dict)
    asked: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.port}{path}"


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server's name
            server.asked[self.path] += 1
            answer = server.answers.get(self.path, Answer(b"not here", 404, "text/plain"))
            if answer.location:
                self.send_response(answer.status)
                self.send_header("Location", answer.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            time.sleep(answer.delay)
            tag = '"' + hashlib.sha256(answer.body).hexdigest()[:16] + '"'
            modified = "Sun, 22 Nov 2026 10:00:00 GMT"
            if answer.status == 200 and (
                    (answer.etag and self.headers.get("If-None-Match") == tag)
                    or (not answer.etag and self.headers.get("If-Modified-Since") == modified)):
                server.not_modified[self.path] += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                time.sleep(answer.header_delay)
                self.send_header(name, value)
                self.flush_headers()
            self.send_header("Content-Type", answer.media_type)
            if answer.length:
                self.send_header("Content-Length", str(len(answer.body)))
            if answer.etag:
                self.send_header("ETag", tag)
            else:
                self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A certificate authority trusted for the tests, and a key and certificate it
    issued to 127.0.0.1."""
    import trustme

    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    authority.cert_pem.write_to_path(folder / "ca.pem")
    issued = authority.issue_cert("127.0.0.1")
    issued.private_key_and_cert_chain_pem.write_to_path(folder / "server.pem")
    return folder / "ca.pem", folder / "server.pem"


@pytest.fixture
def server(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[Server]:
    import ssl

    authority, chain = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(authority))  # as a corporate CA is trusted
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def brief_text(data_url: str, paper_url: str) -> str:
    """The data tests' brief, reading its data and quoting its paper from the web."""
    return (DATA_BRIEF.replace("../data/returns.csv", f'"{data_url}"')
            .replace("necessity: Because.\n", f'necessity: Because.\nsources: ["{paper_url}"]\n')
            .replace("    label: returned from ASEAN\n", "    label: returned from ASEAN\n"
                     "    evidence: {ref: paper, quote: 292 people were returned from ASEAN}\n")
            + f'references:\n  - {{id: paper, text: The paper (2021)., file: "{paper_url}"}}\n')


@pytest.fixture
def web_project(project: Project, server: Server, monkeypatch: pytest.MonkeyPatch
                ) -> Project:
    monkeypatch.chdir(project.root)  # messages name files as a user there sees them
    server.answers["/returns.csv"] = Answer(RETURNS.encode())
    server.answers["/paper.txt"] = Answer(PAPER.encode(), media_type="text/plain")
    project.write("briefgen.yaml", "allowed_hosts: [127.0.0.1]\n")
    project.brief("d", brief_text(server.url("/returns.csv"), server.url("/paper.txt")))
    return project


def build(project: Project, *args: str) -> tuple[int, RecordingReporter]:
    from briefgen.builder.options import BuildOptions
    from briefgen.builder.run import build as run_build
    from briefgen.source.project import Project as BriefgenProject

    reporter = RecordingReporter()
    result = run_build([project.root / "briefs"], BuildOptions(
        jobs=1, audiences=["policymaker"], offline="--offline" in args), reporter,
        BriefgenProject(project.root))
    return (0 if result.ok else 1), reporter


def built(reporter: RecordingReporter) -> set[str]:
    return {p.name for p in reporter.targets(Event.BUILT)}


def messages(reporter: RecordingReporter) -> list[str]:
    return [str(p) for p in reporter.problems]


PDF = "build/d/d-policymaker-en.pdf"


def test_a_web_file_is_fetched_once_then_asked_for_conditionally(
        web_project: Project, server: Server) -> None:
    code, reporter = build(web_project)
    assert code == 0, messages(reporter)
    assert built(reporter) == {"d-policymaker-en.pdf", "d-policymaker-en.html"}
    assert "292 returned from ASEAN" in pdf_text(web_project.root / PDF)
    assert server.asked == Counter({"/returns.csv": 1, "/paper.txt": 1})
    before = (web_project.root / PDF).read_bytes()
    # Nothing changed on the server: a 304 each, nothing parsed or rebuilt.
    code, reporter = build(web_project)
    assert code == 0 and built(reporter) == set() and messages(reporter) == []
    assert server.not_modified == Counter({"/returns.csv": 1, "/paper.txt": 1})
    assert (web_project.root / PDF).read_bytes() == before


def test_changed_bytes_rebuild_the_brief_and_say_what_changed(
        web_project: Project, server: Server) -> None:
    assert web_project.run("build", "--audience", "policymaker").code == 0
    server.answers["/returns.csv"] = Answer(
        RETURNS.replace("2020,asean,292", "2020,asean,318").encode())
    result = web_project.run("build", "--audience", "policymaker")
    assert result.code == 0, result.err
    changed = [line for line in result.out.splitlines() if line.startswith("   changed")]
    assert changed[0] == ('   changed  d: key figure "returned from ASEAN" 292 → 318 (data: '
                          'returns, year = 2020, region = asean)')
    assert changed[-1] == f"   changed  d: file {server.url('/returns.csv')} changed"
    assert "318 returned from ASEAN" in pdf_text(web_project.root / PDF)
    # Served again with the same bytes and a Last-Modified date instead of an ETag: no
    # rebuild either way.
    server.answers["/returns.csv"].etag = False
    assert built(build(web_project)[1]) == set()
    assert built(build(web_project)[1]) == set()
    assert server.not_modified["/returns.csv"] == 1


@pytest.mark.parametrize(("answer", "problem"), [
    (Answer(b"oops", 500, "text/plain"), "the server answered 500 Internal Server Error"),
    (Answer(b"<html><body>Please log in</body></html>", media_type="text/html"),
     "the server sent a web page (text/html), not a .csv file"),
    (Answer(b"year,returned\n2020,1,2,3\n"), "the server sent what is not a readable data "
     "file: 4 cells where the header names 2 columns"),
    (Answer(RETURNS.encode(), delay=3), "no answer within 1 s"),
    (Answer(b"x" * 5000), "5,000 bytes, more than the 4,096 bytes allowed"),
    (Answer(b"x" * 5000, length=False), "more than the 4,096 bytes allowed"),
])
def test_a_failed_fetch_keeps_the_last_good_copy_and_outputs(
        web_project: Project, server: Server, monkeypatch: pytest.MonkeyPatch,
        answer: Answer, problem: str) -> None:
    from briefgen.source import download as remote

    assert build(web_project)[0] == 0
    before = (web_project.root / PDF).read_bytes()
    monkeypatch.setattr(remote, "FETCH_TIMEOUT", 1.0)
    monkeypatch.setattr(remote, "MAX_REMOTE_BYTES", 4096)
    server.answers["/returns.csv"] = answer
    code, reporter = build(web_project)
    assert code == 0 and built(reporter) == set()
    line = messages(reporter)[0]
    assert line.startswith(f"briefs/d.yaml:8:12: warning: data.returns.file: "
                           f"{server.url('/returns.csv')}: {problem}; the copy fetched 20")
    assert line.endswith(" is used")
    assert (web_project.root / PDF).read_bytes() == before


def test_without_a_copy_a_failed_fetch_fails_the_brief_at_its_field(
        web_project: Project, server: Server) -> None:
    server.answers["/returns.csv"] = Answer(b"gone", 404, "text/plain")
    code, reporter = build(web_project)
    assert code == 1 and built(reporter) == set()
    assert messages(reporter) == [
        f"briefs/d.yaml:8:12: data.returns.file: {server.url('/returns.csv')} cannot "
        "be used: the server answered 404 Not Found"]


def test_redirects_are_followed_only_to_allowed_hosts(
        web_project: Project, server: Server) -> None:
    server.answers["/moved.csv"] = Answer(status=301, location=server.url("/returns.csv"))
    web_project.brief("d", (web_project.root / "briefs/d.yaml").read_text().replace(
        "/returns.csv", "/moved.csv"))
    code, reporter = build(web_project)
    assert code == 0, messages(reporter)
    assert server.asked["/returns.csv"] == 1
    server.answers["/moved.csv"] = Answer(status=302, location="https://example.org/r.csv")
    code, reporter = build(web_project)
    assert code == 0 and built(reporter) == set()
    assert messages(reporter)[0].startswith(
        f"briefs/d.yaml:8:12: warning: data.returns.file: {server.url('/moved.csv')}: "
        "redirected to https://example.org/r.csv, which is refused: example.org is not an "
        "allowed host; a project allows one in briefgen.yaml (allowed_hosts); the copy "
        "fetched 20")


@pytest.mark.parametrize(("url", "problem"), [
    ("https://example.org/r.csv", "example.org is not an allowed host; a project allows "
     "one in briefgen.yaml (allowed_hosts)"),
    ("http://127.0.0.1/r.csv", "'http://127.0.0.1/r.csv': only https:// URLs are fetched"),
    ("https://user:secret@127.0.0.1/r.csv", "'https://user:secret@127.0.0.1/r.csv': a URL "
     "with a user name or password is not fetched (it would be written in the brief for "
     "all to read)"),
])
def test_a_url_that_may_not_be_fetched_is_an_error_at_its_field(
        web_project: Project, server: Server, url: str, problem: str) -> None:
    web_project.brief("d", (web_project.root / "briefs/d.yaml").read_text().replace(
        server.url("/returns.csv"), url))
    code, reporter = build(web_project)
    assert code == 1
    assert any(m.startswith("briefs/d.yaml:8:12: data.returns.file: ")
               and m.endswith(problem) for m in messages(reporter)), messages(reporter)
    assert sum(server.asked.values()) <= 1  # the paper only; nothing asked of the others


def test_offline_builds_from_the_cache_and_asks_nothing(
        web_project: Project, server: Server) -> None:
    code, reporter = build(web_project, "--offline")
    assert code == 1 and sum(server.asked.values()) == 0
    assert (f"briefs/d.yaml:8:12: data.returns.file: {server.url('/returns.csv')} "
            "cannot be used: not in the cache (--offline; build once online to fetch it)"
            ) in messages(reporter)
    assert build(web_project)[0] == 0
    server.answers["/returns.csv"] = Answer(
        RETURNS.replace("2020,asean,292", "2020,asean,318").encode())
    asked = sum(server.asked.values())
    code, reporter = build(web_project, "--offline")
    assert code == 0 and built(reporter) == set()
    assert sum(server.asked.values()) == asked
    # Forced, offline: made again from the copies, the old figure.
    result = web_project.run("build", "--offline", "--force", "--audience", "policymaker")
    assert result.code == 0, result.err
    assert "292 returned from ASEAN" in pdf_text(web_project.root / PDF)


def test_a_new_version_the_brief_cannot_use_is_a_failed_fetch(
        web_project: Project, server: Server) -> None:
    """A paper that no longer holds a quote, a rate-limit notice served as the CSV: the
    last good copies are put back, the PDF stays, and the warning says why."""
    assert build(web_project)[0] == 0
    before = (web_project.root / PDF).read_bytes()
    server.answers["/paper.txt"] = Answer(b"The paper now says something else entirely.\n",
                                          media_type="text/plain")
    server.answers["/returns.csv"] = Answer(b"Rate limit exceeded, try later\n",
                                            media_type="text/plain")
    for _ in range(2):  # and again on the next run, while the server sends them
        code, reporter = build(web_project)
        assert code == 0 and built(reporter) == set()
        first, second = messages(reporter)
        assert first.startswith(
            f"briefs/d.yaml:6:11: warning: sources[0]: {server.url('/paper.txt')}: the new "
            "version cannot be used: key_figures[0].evidence[0].quote: not found in "
            f"{server.url('/paper.txt')}")
        assert second.startswith(
            f"briefs/d.yaml:8:12: warning: data.returns.file: {server.url('/returns.csv')}: "
            "the new version cannot be used: key_figures[0].value.column: no column "
            f"'returned' in {server.url('/returns.csv')}")
        assert (web_project.root / PDF).read_bytes() == before
    assert build(web_project, "--offline")[0] == 0  # the copies are the good ones
    server.answers["/returns.csv"] = Answer(RETURNS.encode())
    code, reporter = build(web_project)
    assert code == 0 and built(reporter) == set()
    assert any(f"not found in {server.url('/paper.txt')}" in m for m in messages(reporter))


def test_a_web_file_shared_by_briefs_is_fetched_once_a_build(
        web_project: Project, server: Server) -> None:
    web_project.brief("e", (web_project.root / "briefs/d.yaml").read_text())
    assert build(web_project)[0] == 0
    assert server.asked == Counter({"/returns.csv": 1, "/paper.txt": 1})
    server.answers["/returns.csv"] = Answer(
        RETURNS.replace("2020,asean,292", "2020,asean,318").encode())
    code, reporter = build(web_project)
    assert built(reporter) == {f"{b}-policymaker-en.{f}" for b in "de" for f in ("pdf", "html")}
    assert server.asked["/returns.csv"] == 2


def test_a_copy_that_is_a_link_is_never_read(web_project: Project, server: Server) -> None:
    """A project shipped with a cache whose copy links to a file outside it: the link is
    not followed, online or offline."""
    assert build(web_project)[0] == 0
    copies = web_project.root / "build/.briefgen-remote"
    copy = next(p for p in copies.iterdir() if p.suffix == ".csv")
    outside = web_project.root.parent / "outside.csv"
    outside.write_text(RETURNS.replace("2020,asean,292", "2020,asean,999"))
    copy.unlink()
    copy.symlink_to(outside)
    code, reporter = build(web_project, "--offline")
    assert code == 1
    assert any("cannot be used: not in the cache" in m for m in messages(reporter))
    copy.symlink_to(outside)
    assert build(web_project)[0] == 0  # the link removed, the file fetched again
    assert not copy.is_symlink() and outside.read_text().count("999") == 1
    assert "292 returned from ASEAN" in pdf_text(web_project.root / PDF)


def test_a_host_no_longer_allowed_is_not_asked_again(web_project: Project,
                                                     server: Server) -> None:
    assert build(web_project)[0] == 0
    asked = sum(server.asked.values())
    web_project.write("briefgen.yaml", "allowed_hosts: []\n")
    code, reporter = build(web_project)
    assert code == 1 and sum(server.asked.values()) == asked
    assert (f"briefs/d.yaml:8:12: data.returns.file: {server.url('/returns.csv')} cannot be "
            "used: 127.0.0.1 is not an allowed host; a project allows one in briefgen.yaml "
            "(allowed_hosts)") in messages(reporter)


def test_what_a_server_sends_in_its_headers_is_bounded(
        web_project: Project, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ETag that is not ASCII is not kept (sending it back would fail every later
    build); a brotli body is refused, a gzip one inflated within the limit; headers
    dripped slowly count against the fetch's one deadline."""
    import gzip

    from briefgen.source import download

    server.answers["/returns.csv"] = Answer(RETURNS.encode(), etag=False,
                                            headers={"ETag": '"caf\xe9"'})
    assert build(web_project)[0] == 0
    code, reporter = build(web_project)
    assert code == 0 and messages(reporter) == []
    monkeypatch.setattr(download, "MAX_REMOTE_BYTES", 4096)
    monkeypatch.setattr(download, "FETCH_TIMEOUT", 1.0)
    cases = [
        (Answer(b"\x0b\x02\x80", headers={"Content-Encoding": "br"}),
         "sent in an encoding briefgen does not read (br)"),
        (Answer(gzip.compress(b"0" * 3_000_000), headers={"Content-Encoding": "gzip"}),
         "more than the 4,096 bytes allowed"),
        (Answer(RETURNS.encode(), header_delay=0.3,
                headers={f"X-Slow-{i}": "1" for i in range(8)}),
         "no complete answer within 1 s"),
    ]
    for answer, problem in cases:
        server.answers["/returns.csv"] = answer
        started = time.monotonic()
        code, reporter = build(web_project)
        assert time.monotonic() - started < 10
        assert code == 0, messages(reporter)
        assert f"{server.url('/returns.csv')}: {problem}; the copy fetched" in messages(
            reporter)[0]
    server.answers["/returns.csv"] = Answer(
        gzip.compress(RETURNS.replace("292", "318").encode()),
        headers={"Content-Encoding": "gzip"})
    code, reporter = build(web_project)
    assert code == 0 and "318 returned from ASEAN" in pdf_text(web_project.root / PDF)


@pytest.mark.parametrize(("url", "problem"), [
    ("https://127.0.0.1/ret\turns.csv", "holds a space or a control character"),
    ("https://127.0.0.1/" + "r" * 3000 + ".csv", "a URL of 3,022 characters; the limit is "
     "2,000"),
    ("https://" + "a" * 70 + ".example.org/r.csv", "is not a valid URL"),
    ("SERVER/export?format=csv", "is not a data file briefgen reads: its name "
     "(a URL's path) ends in .csv, .txt, .json, .yaml, .yml, .xlsx"),
])
def test_a_url_httpx_would_refuse_is_an_error_at_its_field(
        web_project: Project, server: Server, url: str, problem: str) -> None:
    url = url.replace("SERVER", server.url(""))  # one this server would answer
    web_project.brief("d", (web_project.root / "briefs/d.yaml").read_text().replace(
        f'"{server.url("/returns.csv")}"', json.dumps(url)))
    code, reporter = build(web_project)
    assert code == 1
    assert any(m.startswith("briefs/d.yaml:8:12: data.returns.file: ") and problem in m
               for m in messages(reporter)), messages(reporter)
    assert not [path for path in server.asked if path.startswith("/export")]  # none asked


def test_what_is_not_a_regular_file_in_the_cache_is_cleared(
        web_project: Project, server: Server) -> None:
    """A pipe would hang a build that reads it, a folder would crash one: either in a
    copy's or a record's place is removed, and the file fetched again."""
    assert build(web_project)[0] == 0
    copies = web_project.root / "build/.briefgen-remote"
    copy = next(p for p in copies.iterdir() if p.suffix == ".csv")
    record = copy.with_name(copy.name + ".json")
    record.unlink()
    os.mkfifo(record)
    copy.unlink()
    copy.mkdir()
    code, reporter = build(web_project)
    assert code == 0, messages(reporter)
    assert copy.is_file() and record.is_file()


def test_a_record_edited_to_name_another_url_is_not_trusted(
        web_project: Project, server: Server) -> None:
    assert build(web_project)[0] == 0
    copies = web_project.root / "build/.briefgen-remote"
    record = next(p for p in copies.iterdir() if p.name.endswith(".csv.json"))
    data = json.loads(record.read_text())
    data["url"] = server.url("/elsewhere.csv")
    record.write_text(json.dumps(data))
    code, reporter = build(web_project)
    assert code == 0 and server.asked["/elsewhere.csv"] == 0
    assert server.asked["/returns.csv"] == 2  # asked again by its own URL, from the brief


def test_a_workbook_that_unpacks_too_large_is_refused(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    from briefgen.source import data

    from .test_data import BRIEF as DATA_BRIEF

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [("year", "region", "returned"), (2020, "asean", 292)]:
        sheet.append(row)
    sheet.cell(row=5, column=2, value="0" * 30_000)
    book.save(project.root / "returns.xlsx")
    monkeypatch.setattr(data, "MAX_XLSX_UNPACKED", 20_000)
    project.brief("d", DATA_BRIEF.replace("../data/returns.csv", "../returns.xlsx"))
    monkeypatch.chdir(project.root)
    result = project.run("check", "--no-layout")
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        "briefs/d.yaml:9:19: key_figures[0].value: returns.xlsx:1:1: a workbook that "
        "unpacks to ")
    assert result.err.splitlines()[0].endswith(" bytes; the limit is 20,000 bytes")
