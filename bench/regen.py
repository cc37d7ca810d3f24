"""What scheduled regeneration costs, measured in one run, against its targets.

    python bench/regen.py [--briefs 500] [--repeat 5]

1. a no-op `briefgen build` of the sample project (wall time, a new process each);
2. a no-op over N synthetic briefs (built once first, which takes a few minutes);
3. a full build of the samples with -j 1 against -j 2;
4. `briefgen watch` latency, from saving a brief to its new policymaker PDF, against
   one bare WeasyPrint render+write of that page in a warm process.

Targets: (1) under 0.2 s; (2) under 1 s; (3) -j 2 at least 1.7 times faster;
(4) within 1.5 times the bare render+write.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BRIEFGEN = [sys.executable, "-m", "briefgen"]
SYNTHETIC = """\
title: {{en: "Synthetic brief {n}"}}
date: 2024-05-01
languages: [en]
summary: {{en: "Brief number {n} exists to be counted."}}
necessity: {{en: "Scheduled builds must stay quick when nothing changed."}}
achievements:
  - {{en: "Brief {n} was written."}}
challenges:
  - {{en: "There are {n} of them."}}
recommendations:
  - {{en: "Do nothing, quickly."}}
"""


def run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(BRIEFGEN + args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_run(args: list[str], cwd: Path, repeat: int) -> float:
    return statistics.median(run(args, cwd) for _ in range(repeat))


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def samples_project(root: Path) -> Path:
    shutil.copytree(REPO / "briefs", root / "briefs")
    shutil.copytree(REPO / "sources", root / "sources")  # the papers the quotes are in
    shutil.copytree(REPO / "data", root / "data")  # the figures a sample reads
    return root


def bare_render_write(project: Path) -> float:
    """One WeasyPrint render+write of the policymaker HTML to a file, warm (median of 5)."""
    import weasyprint

    html = (project / "build/china-asean-anticorruption/"
            "china-asean-anticorruption-policymaker-en.html").read_text()
    base = (project / "briefs").as_uri() + "/"
    target = project / "bare.pdf"
    weasyprint.HTML(string=html, base_url=base).write_pdf(target)  # warm up
    times = []
    for _ in range(5):
        start = time.perf_counter()
        weasyprint.HTML(string=html, base_url=base).write_pdf(target)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def watch_latency(project: Path, repeat: int) -> list[float]:
    brief = project / "briefs/china-asean-anticorruption.yaml"
    pdf = project / "build/china-asean-anticorruption/china-asean-anticorruption-policymaker-en.pdf"
    proc = subprocess.Popen(BRIEFGEN + ["watch"], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    builds: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "watching for changes" in line:
                builds.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        builds.get(timeout=120)  # the first build (watch reports it once)
        latencies = []
        original = brief.read_text(encoding="utf-8")
        for i in range(repeat):
            before = pdf.stat().st_mtime_ns
            text = original.replace("between China and ASEAN\n",
                                    f"between China and ASEAN ({i})\n", 1)
            start = time.perf_counter()
            brief.write_text(text, encoding="utf-8")
            while pdf.stat().st_mtime_ns == before:
                time.sleep(0.002)
            latencies.append(time.perf_counter() - start)
            builds.get(timeout=120)  # let the rest of that brief's editions finish
            time.sleep(0.3)
        return latencies
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parts", default="1,2,3,4", help="which measurements, e.g. 3,4")
    args = parser.parse_args()
    parts = {int(p) for p in args.parts.split(",")}
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory() as scratch:
        project = samples_project(Path(scratch) / "samples")
        run(["build"], project)
        if 1 in parts:
            noop_samples(project, args.repeat)
        if 2 in parts:
            noop_many(Path(scratch) / "many", args.briefs, args.repeat)
        if 3 in parts:
            parallel_speedup(project, args.repeat)
        if 4 in parts:
            watch_against_bare(project, args.repeat)
    return 0


def noop_samples(project: Path, repeat: int) -> None:
    noop = median_run(["build"], project, repeat)
    python_alone = statistics.median(run_python() for _ in range(repeat))
    print(f"1. no-op build of the samples (36 outputs): {noop * 1000:.0f} ms wall "
          f"(python starting alone: {python_alone * 1000:.0f} ms); target < 200 ms: "
          f"{verdict(noop < 0.2)}", flush=True)


def noop_many(many: Path, briefs: int, repeat: int) -> None:
    (many / "briefs").mkdir(parents=True)
    for n in range(briefs):
        (many / "briefs" / f"synthetic-{n:04d}.yaml").write_text(SYNTHETIC.format(n=n))
    full = run(["build", "-j", str(os.cpu_count() or 1)], many)
    noop = median_run(["build"], many, repeat)
    print(f"2. no-op over {briefs} briefs ({briefs * 3 * 2} outputs; the full build took "
          f"{full:.0f} s): {noop * 1000:.0f} ms wall; target < 1000 ms: "
          f"{verdict(noop < 1.0)}", flush=True)


def parallel_speedup(project: Path, repeat: int) -> None:
    # Alternate the two so that a noisy neighbour slows both alike.
    serial_runs, parallel_runs = [], []
    for _ in range(repeat):
        serial_runs.append(run(["build", "--force", "-j", "1"], project))
        parallel_runs.append(run(["build", "--force", "-j", "2"], project))
    serial, parallel = statistics.median(serial_runs), statistics.median(parallel_runs)
    print(f"3. full build of the samples: -j 1 {serial:.2f} s, -j 2 {parallel:.2f} s: "
          f"{serial / parallel:.2f} times faster; target >= 1.70: "
          f"{verdict(serial / parallel >= 1.7)}", flush=True)


def watch_against_bare(project: Path, repeat: int) -> None:
    bare = bare_render_write(project)
    latencies = watch_latency(project, repeat)
    latency = statistics.median(latencies)
    print(f"4. watch: save -> policymaker PDF {latency * 1000:.0f} ms (median of "
          f"{len(latencies)}: {', '.join(f'{x * 1000:.0f}' for x in latencies)}); bare "
          f"render+write {bare * 1000:.0f} ms: ratio {latency / bare:.2f}; target <= "
          f"1.50: {verdict(latency / bare <= 1.5)}", flush=True)


def run_python() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
