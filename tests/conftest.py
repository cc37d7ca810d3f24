"""Fixtures that write small briefgen projects into tmp_path and run the CLI on them.

Tiers: most tests run in-process (the CLI through click's CliRunner, one worker) and
take milliseconds to a second; tests marked ``slow`` build the samples or run
briefgen in subprocesses where the process is the point (a kill, a lock, a second
process's bytes); tests marked ``browser`` drive Chromium. While working:

    pytest -m "not slow and not browser"
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.source.load import load_yaml
from briefgen.source.model import BriefFile
from briefgen.source.validate import validate_brief

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "briefs"
PAPERS = REPO / "sources"  # the papers the samples summarise, which their quotes are in
FIGURES = REPO / "data"  # the table of the paper's figures a sample's key figures read
EXAMPLE = REPO / "examples" / "northgate"  # a project in an organisation's identity
AUDIENCES = ("academic", "policymaker", "practitioner")

MINIMAL = """\
title: {en: Water security, ru: Водная безопасность}
date: 2024-05-01
languages: [en, ru]
summary: {en: Act now., ru: Действуйте сейчас.}
necessity: {en: Because., ru: Потому что.}
achievements:
  - {en: A treaty., ru: Договор.}
challenges:
  - {en: Money., ru: Деньги.}
recommendations:
  - {en: Fund it., ru: Профинансировать.}
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def brief(self, name: str, text: str = MINIMAL) -> Path:
        return self.write(f"briefs/{name}.yaml", text)

    def load(self, name: str) -> BriefFile:
        """A brief of this project, validated."""
        path = self.root / "briefs" / f"{name}.yaml"
        return validate_brief(load_yaml(path), AUDIENCES, self.root)

    def run(self, *args: str) -> Run:
        """The command line in this process, as a user in the project folder runs it
        (with one worker unless the test asks for more)."""
        if args and args[0] == "build" and not any(a.startswith(("-j", "--jobs")) for a in args):
            args = (*args, "-j", "1")
        previous = Path.cwd()
        os.chdir(self.root)
        try:
            result = CliRunner().invoke(cli, list(args), prog_name="briefgen")
        finally:
            os.chdir(previous)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def run_process(self, *args: str, hash_seed: int = 0) -> Run:
        """The real command in a subprocess: where the process itself is under test."""
        env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=self.root,
                              capture_output=True, text=True, env=env, timeout=300)
        return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session", autouse=True)
def warm_workers() -> None:
    """Load WeasyPrint and the fonts in this process once: the worker processes each
    in-process build forks start warm, as `briefgen watch`'s worker stays warm."""
    from briefgen.make.worker import warm_up

    warm_up(REPO)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def copy_samples(root: Path) -> None:
    """The sample briefs, the papers their quotes are checked against and the data
    their figures are read from, into ``root``."""
    shutil.copytree(SAMPLES, root / "briefs")
    shutil.copytree(PAPERS, root / "sources")
    shutil.copytree(FIGURES, root / "data")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample briefs built once, exactly as the README's first command does."""
    root = tmp_path_factory.mktemp("samples")
    copy_samples(root)
    result = Project(root).run_process("build")
    assert result.code == 0, result.err
    return root / "build"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The branded example project, copied and built once as its README says."""
    root = tmp_path_factory.mktemp("example") / "northgate"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    result = Project(root).run_process("build")
    assert result.code == 0, result.err
    return root / "build"


def pytest_configure(config: pytest.Config) -> None:
    """The fast tier samples fewer fuzz examples (CI and the full suite run them all)."""
    if "not slow" in (config.getoption("markexpr") or "") and (
            "HYPOTHESIS_PROFILE" not in os.environ):
        os.environ["HYPOTHESIS_PROFILE"] = "fast"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the sample build is slow: it waits for the samples to build."""
    for item in items:
        if {"sample_build", "example_build"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@contextmanager
def started(root: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """`briefgen ARGS` running in ``root`` for the length of the block, then stopped as
    Ctrl-C stops it; killed if it does not stop, whatever happened in the block."""
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", *args], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


def read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The next line the process prints, or a failure after ``timeout`` seconds."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        pytest.fail(f"briefgen printed nothing in {timeout:g} s")
    return proc.stdout.readline()
