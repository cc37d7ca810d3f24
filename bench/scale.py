"""What a thousand briefs cost: a brief family of 10, 100 and 1,000 members, and the samples.

    python bench/scale.py [--sizes 10,100,1000] [--jobs 2] [--repeat 3]

For each size, a family of English briefs (one file, a CSV row each) is built from
nothing in a new folder, then:

- full: the build from nothing (one process, ``-j JOBS``);
- no-op: a build with nothing to do (median of REPEAT, a new process each);
- one row: a build after one row of the CSV changed (median of REPEAT), and how many
  members it made again (the target: one);
- marginal: (full at N - full at the size before) / the members added: what one more
  brief costs, the first size against a family of one;
- RSS: the largest resident set of the build process (parent) and of any of its worker
  processes, in MiB.

Then the samples: a full ``-j 1`` build against the floor (one process, WeasyPrint
imported once, each edition laid out once at the size the build chose, and written),
and ``-j 2`` against ``-j 1`` (medians of REPEAT, interleaved). And the load average
before and after, since the machine is shared.

Targets (printed, never asserted): marginal at the largest size within 1.1x of the
smallest; RSS at the largest within 1.2x of the size before; no-op at the largest under
0.5x `import weasyprint`; a one-row edit makes one member; -j 2 at least 1.8x -j 1; a
full -j 1 build at most 1.1x the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAMILY = """\
family: {data: members, key: code}
data:
  members: ../data/members.csv
title: {en: "Water security in {name}"}
date: 2024-05-01
languages: [en]
summary: {en: "{name} has {rivers} rivers, of which {shared} are shared with neighbours."}
key_figures:
  - value: "{rivers}"
    label: {en: "rivers in {name}"}
necessity: {en: "Shared rivers need shared rules, shared data and the money to enforce both."}
achievements:
  - {en: "{name} signed the basin treaty."}
challenges:
  - {en: "Data on {shared} shared rivers are patchy."}
recommendations:
  - {en: "Fund a joint monitoring network for {name}."}
"""
# Runs a build in this process and says how much memory it and its workers took.
CHILD = """\
import json, resource, sys
from briefgen.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"parent": self_kib / 1024, "worker": children_kib / 1024}),
          file=sys.stderr)
"""


def rows(count: int, edited: frozenset[int] = frozenset()) -> str:
    lines = ["code,name,rivers,shared"]
    for i in range(count):
        rivers = 10 + i % 37 + (1000 if i in edited else 0)
        lines.append(f"m{i},Region {i},{rivers},{i % 7}")
    return "\n".join(lines) + "\n"


def family_project(root: Path, members: int) -> Path:
    (root / "briefs").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "briefs/water.yaml").write_text(FAMILY, encoding="utf-8")
    (root / "data/members.csv").write_text(rows(members), encoding="utf-8")
    return root


def build(root: Path, *args: str) -> tuple[float, dict[str, float], str]:
    """Wall seconds, max RSS (MiB) of the build process and of its workers, and output."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, "build", *args], cwd=root,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return seconds, json.loads(proc.stderr.strip().splitlines()[-1]), proc.stdout


def made_members(output: str) -> int:
    return sum(1 for line in output.splitlines() if line.strip().startswith("made"))


def import_weasyprint() -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import weasyprint"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(project: Path) -> float:
    """One process: import, then each edition of the samples laid out once at the size
    its build fitted it to, and written (a bilingual one-pager: its pages joined)."""
    script = f"""
import time
start = time.perf_counter()
import json
from pathlib import Path
from briefgen.layout.measure import join_pages, lay_out
from briefgen.layout.pdf import write_pdf
from briefgen.make.edition import Maker, source_epoch
from briefgen.source.briefs import load_brief
from briefgen.source.editions import Edition
from briefgen.source.project import Project
root = Path({str(project)!r})
project = Project(root)
maker = Maker.of(project)
records = json.loads((root / "build/.briefgen-manifest.json").read_text())["editions"]
for record in records.values():
    brief = load_brief(root / record["brief"], maker.templates.audiences, root, quotes=False)
    audience = maker.templates.audience(record["audience"])
    edition = Edition.parse(record["edition"])
    paper = maker.paper(audience)
    scales = {{s.font_size: s for s in audience.config.typography.scales()}}
    if edition.bilingual and audience.pages_per_language:
        continue  # its pages are its languages' pages, laid out below
    scale = scales.get(record["fitted"]) or next(iter(scales.values()))
    inliner = maker._inliner(brief)
    html = maker.templates.render(brief, audience, edition, paper, scale)
    layout = lay_out(inliner(html, subset_fonts=False), brief.path.parent,
                     maker._policy(brief), maker.fonts())
    (root / "floor.pdf").write_bytes(write_pdf(layout, source_epoch(brief)))
    inliner(html)
print(time.perf_counter() - start)
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True,
                          text=True, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def samples(root: Path) -> Path:
    for name in ("briefs", "sources", "data"):
        shutil.copytree(REPO / name, root / name)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores")
    weasy = import_weasyprint()
    print(f"import weasyprint: {weasy:.3f} s (a new process)")
    print()
    header = ("members | full build | marginal s/brief | no-op | one-row edit | members made "
              "| parent / worker max RSS")
    print(header)
    print("|".join(" --- " for _ in header.split("|")))
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        one = family_project(Path(scratch) / "1", 1)
        previous_size, previous_full = 1, build(one, "-j", str(args.jobs))[0]
        for size in sizes:
            root = family_project(Path(scratch) / str(size), size)
            full, rss, _ = build(root, "-j", str(args.jobs))
            noop = statistics.median(build(root)[0] for _ in range(args.repeat))
            edits, made, edited = [], [], frozenset[int]()
            for i in range(args.repeat):  # one more row each time
                edited |= {(i * 7) % size}
                (root / "data/members.csv").write_text(rows(size, edited), encoding="utf-8")
                seconds, _, output = build(root, "-j", str(args.jobs))
                edits.append(seconds)
                made.append(made_members(output))
            marginal = (full - previous_full) / (size - previous_size)
            results[size] = {"marginal": marginal, "parent": rss["parent"],
                             "worker": rss["worker"], "noop": noop}
            print(f"{size:,} | {full:.1f} s | {marginal:.3f} | {noop:.3f} s | "
                  f"{statistics.median(edits):.2f} s | {max(made)} | "
                  f"{rss['parent']:.0f} / {rss['worker']:.0f} MiB", flush=True)
            previous_size, previous_full = size, full
            shutil.rmtree(root)
        print()
        small, large = results[sizes[0]], results[sizes[-1]]
        ratio = large["marginal"] / small["marginal"]
        print(f"marginal at {sizes[-1]:,} / at {sizes[0]:,}: {ratio:.2f}x (target <= 1.1x)")
        if len(sizes) > 1:
            before = results[sizes[-2]]
            print(f"max RSS at {sizes[-1]:,} / at {sizes[-2]:,}: parent "
                  f"{large['parent'] / before['parent']:.2f}x, worker "
                  f"{large['worker'] / before['worker']:.2f}x (target <= 1.2x)")
        print(f"no-op at {sizes[-1]:,}: {large['noop']:.3f} s = "
              f"{large['noop'] / weasy:.2f}x import weasyprint (target < 0.5x)")
        print()
        project = samples(Path(scratch) / "samples")
        one_job, two_jobs = [], []
        for _ in range(args.repeat):
            for jobs, times in (("1", one_job), ("2", two_jobs)):
                shutil.rmtree(project / "build", ignore_errors=True)
                times.append(build(project, "-j", jobs)[0])
        floor_seconds = statistics.median(floor(project) for _ in range(args.repeat))
        j1, j2 = statistics.median(one_job), statistics.median(two_jobs)
        print(f"samples, full build: -j 1 {j1:.1f} s, -j 2 {j2:.1f} s, floor {floor_seconds:.1f} s")
        print(f"-j 1 / floor: {j1 / floor_seconds:.2f}x (target <= 1.1x); "
              f"-j 2 speed-up: {j1 / j2:.2f}x (target >= 1.8x)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
