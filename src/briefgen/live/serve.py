"""`briefgen serve`: a preview of the build folder on this machine, kept current.

It serves the output folder on 127.0.0.1 only, rebuilds on every change with the
watch machinery, and reloads the open page after each build: every HTML page it
serves (never the files on disk) gets a small script that asks for the build count
and reloads when it grows.
"""

from __future__ import annotations

import functools
import http.server
import logging
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

from ..builder.options import BuildOptions
from ..events import Reporter
from ..render.environment import CONTENT_SECURITY_POLICY, FRONT_PAGE_POLICY
from ..source.project import Project
from .watch import watch_and_build

logger = logging.getLogger("briefgen")
VERSION_PATH = "/__briefgen__/version"
RELOAD_SCRIPT = f"""<script>
/* Added by briefgen serve (not in the file on disk): reload after each rebuild. */
(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{VERSION_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (v) {{ if (seen !== null && v !== seen) location.reload(); seen = v; }})
      .catch(function () {{}});
  }}, 700);
}})();
</script>
"""


class _Builds:
    """How many builds have finished; pages reload when it changes."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def done(self, _result: object) -> None:
        with self.lock:
            self.count += 1


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    builds: _Builds
    hosts: frozenset[str] | None  # the Host headers it answers; None: any (--host 0.0.0.0)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self._refused():
            return
        try:
            self._get()
        except (ValueError, OSError):  # a path no file can have (a NUL byte, too long)
            self.send_error(HTTPStatus.BAD_REQUEST, "No such page")

    def do_HEAD(self) -> None:  # noqa: N802
        if self._refused():
            return
        try:
            super().do_HEAD()
        except (ValueError, OSError):
            self.send_error(HTTPStatus.BAD_REQUEST, "No such page")

    def _refused(self) -> bool:
        """Answer only requests made to this machine by its own name: a web page that
        renames its host to 127.0.0.1 (DNS rebinding) must not read the briefs."""
        if self.hosts is None or (self.headers.get("Host") or "").lower() in self.hosts:
            return False
        self.send_error(HTTPStatus.MISDIRECTED_REQUEST,
                        "briefgen serve answers only to the host it was started on")
        return True

    def _get(self) -> None:
        if self.path == VERSION_PATH:
            self._send(str(self.builds.count).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(with_reload(path.read_text(encoding="utf-8")).encode("utf-8"),
                       "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the build's own lines are what matters in the terminal


def with_reload(page: str) -> str:
    """The page as served: its reload script, and a policy that lets that one run."""
    nonce = secrets.token_urlsafe(12)
    for declared in (CONTENT_SECURITY_POLICY, FRONT_PAGE_POLICY):
        policy = f"{declared}; script-src 'nonce-{nonce}'; connect-src 'self'"
        page = page.replace(f'content="{declared}"', f'content="{policy}"', 1)
    script = RELOAD_SCRIPT.replace("<script>", f'<script nonce="{nonce}">', 1)
    return page.replace("</body>", script + "</body>", 1)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("serve: request from %s failed", client_address, exc_info=True)


def answered_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers a preview on ``host``:``port`` answers (a page that renames its
    host to this machine, DNS rebinding, gets nothing); None, on every interface: any."""
    if host in ("0.0.0.0", "::"):
        return None
    names = {"127.0.0.1", "localhost"} if host == "127.0.0.1" else {host.lower()}
    return frozenset({f"{name}:{port}" for name in names} | (names if port == 80 else set()))


def serve(paths: list[Path], options: BuildOptions, reporter: Reporter, project: Project,
          port: int, on_ready: Callable[[str], None],
          stop: threading.Event | None = None, host: str = "127.0.0.1") -> None:
    """Serve ``options.out_dir`` on ``host``:``port`` (0: any free port) and rebuild on
    change until interrupted; ``on_ready`` gets the address once it is listening. On
    every interface (0.0.0.0, ::) it answers any Host; else only its own name's."""
    out_dir = project.resolve(options.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    builds = _Builds()
    handler: type[PreviewHandler] = type("Handler", (PreviewHandler,), {"builds": builds})
    server = _QuietServer((host, port), functools.partial(handler, directory=str(out_dir)))
    bound = server.server_address[1]
    handler.hosts = answered_hosts(host, bound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    on_ready(f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{bound}/")
    try:
        watch_and_build(paths, options, reporter, project, stop, on_build=builds.done)
    finally:
        server.shutdown()
        server.server_close()
