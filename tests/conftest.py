"""Fixtures that write small briefgen projects into tmp_path and run the CLI on them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "briefs"

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

    def run(self, *args: str, hash_seed: int = 0) -> Run:
        """The real command in a subprocess: what a user (or cron) sees, exit code included."""
        env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=self.root,
                              capture_output=True, text=True, env=env, timeout=300)
        return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample briefs built once, exactly as the README's first command does."""
    root = tmp_path_factory.mktemp("samples")
    shutil.copytree(SAMPLES, root / "briefs")
    result = Project(root).run("build")
    assert result.code == 0, result.err
    return root / "build"
