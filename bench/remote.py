"""What web sources cost a scheduled build when nothing changed on the server.

    python bench/remote.py [--repeat 7]

The samples are built twice over: once as they are, and once with their papers and
data served over HTTPS from a local server (a trustme certificate, 127.0.0.1) that
answers If-None-Match with 304. Each no-op `briefgen build` runs in a new process,
the two kinds interleaved; the script prints their medians, the ratio, and what the
server was asked.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BRIEFGEN = [sys.executable, "-m", "briefgen"]
asked: Counter[int] = Counter()  # answers by status


def serve(folder: Path, chain: Path) -> int:
    """Serve ``folder`` over HTTPS on 127.0.0.1 with ETags; returns the port."""

    class Files(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server's name
            body = (folder / self.path.lstrip("/")).read_bytes()
            tag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            status = 304 if self.headers.get("If-None-Match") == tag else 200
            asked[status] += 1
            self.send_response(status)
            self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(body) if status == 200 else 0))
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return int(httpd.server_address[1])


def samples(root: Path, base_url: str | None) -> Path:
    """The sample project; with ``base_url``, its papers and data named by URL."""
    shutil.copytree(REPO / "briefs", root / "briefs")
    for folder in ("sources", "data"):
        shutil.copytree(REPO / folder, root / folder)
    if base_url:
        (root / "briefgen.yaml").write_text("allowed_hosts: [127.0.0.1]\n")
        for brief in (root / "briefs").glob("*.yaml"):
            text = brief.read_text(encoding="utf-8")
            for folder in ("sources", "data"):
                text = text.replace(f"../{folder}/", f"{base_url}/{folder}/")
            brief.write_text(text, encoding="utf-8")
    return root


def timed(cwd: Path, env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([*BRIEFGEN, "build", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    import trustme

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        authority = trustme.CA()
        authority.cert_pem.write_to_path(work / "ca.pem")
        authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(
            work / "server.pem")
        port = serve(REPO, work / "server.pem")
        env = {**os.environ, "SSL_CERT_FILE": str(work / "ca.pem")}
        local = samples(work / "local", None)
        web = samples(work / "web", f"https://127.0.0.1:{port}")
        for project in (local, web):
            timed(project, env)  # the full build, not measured
        fetched = asked[200]
        times: dict[str, list[float]] = {"local": [], "web": [], "web --offline": []}
        for _ in range(repeat):
            times["local"].append(timed(local, env))
            times["web"].append(timed(web, env))
            times["web --offline"].append(timed(web, env, "--offline"))
        medians = {kind: statistics.median(values) for kind, values in times.items()}
        print(f"no-op build of the samples, median of {repeat}, a new process each "
              f"(load {os.getloadavg()[0]:.2f}):")
        for kind, seconds in medians.items():
            print(f"  {kind:14} {seconds * 1000:7.0f} ms   {seconds / medians['local']:.2f}x "
                  "local")
        print(f"server: {fetched} files fetched by the first build; then {asked[304]} "
              f"answered 304 and {asked[200] - fetched} 200 over {repeat} no-op builds")


if __name__ == "__main__":
    main()
