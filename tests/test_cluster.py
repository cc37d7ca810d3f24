"""build --executor: the same tasks on a Dask distributed cluster, whose workers hand the
files back as bytes to the build, which writes and records them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Project, copy_samples

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local cluster of two worker processes, one thread each, as `dask scheduler` and
    two `dask worker` processes would make."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local.scheduler_address


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


@pytest.mark.slow
def test_the_samples_built_on_a_cluster_are_the_bytes_of_a_local_build(
        tmp_path: Path, cluster: str, sample_build: Path) -> None:
    copy_samples(tmp_path)
    project = Project(tmp_path)
    result = project.run("build", "--executor", cluster)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "36 built, 0 up to date, 0 failed"
    assert outputs(tmp_path / "build") == outputs(sample_build)
    # Recorded as a local build records them: nothing is stale.
    again = project.run("build")
    assert again.out.splitlines()[-1] == "0 built, 36 up to date, 0 failed"


@pytest.mark.slow
def test_on_a_cluster_an_edit_rebuilds_what_it_changes_and_a_failure_stays_local(
        project: Project, cluster: str) -> None:
    from .conftest import MINIMAL

    project.brief("a", MINIMAL)
    assert project.run("build", "--audience", "policymaker", "--executor", cluster).code == 0
    project.brief("a", MINIMAL.replace("Act now.", "Act today."))
    result = project.run("build", "--audience", "policymaker", "--executor", cluster)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == (
        "4 built, 0 up to date, 0 failed; 2 kept (content unchanged)")
    # A file in the way of an output is that edition's failure, reported by the build.
    shutil.rmtree(project.root / "build/a")
    (project.root / "build/a").write_text("in the way")
    failed = project.run("build", "--audience", "policymaker", "--executor", cluster)
    assert failed.code == 1 and "Traceback" not in failed.err
    assert "failed  build/a/a-policymaker-en.pdf (cannot write" in failed.err


def test_an_unreachable_scheduler_is_a_usage_error(project: Project) -> None:
    from .conftest import MINIMAL

    project.brief("a", MINIMAL)
    result = project.run("build", "--executor", "tcp://127.0.0.1:9")
    assert result.code == 2
    assert result.err.startswith("briefgen: error: cannot reach the Dask scheduler at "
                                 "tcp://127.0.0.1:9")


@pytest.mark.parametrize("address", ["bogus", "http://127.0.0.1:8786", "tcp://host:port"])
def test_a_malformed_scheduler_address_is_a_usage_error_at_once(project: Project,
                                                                address: str) -> None:
    result = project.run("build", "--executor", address)
    assert result.code == 2
    assert result.err == (f"briefgen: error: --executor {address!r}: a Dask scheduler's "
                          "address is tcp://HOST:PORT (dask scheduler says which)\n")
