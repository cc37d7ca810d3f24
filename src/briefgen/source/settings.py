"""``briefgen.yaml``: the settings a project gives all its briefs."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .load import load_yaml
from .project import DEFAULT_MEMORY_LIMIT, DEFAULT_RENDER_TIMEOUT, Paper
from .validate import validate_file


class ProjectConfig(BaseModel):
    """``briefgen.yaml`` at the project's root: settings for all its briefs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paper: Paper | None = Field(default=None, description="a4 or letter, for every "
                                "audience; --paper overrides it.")
    allowed_hosts: list[str] = Field(default_factory=list, description="Web hosts that "
                                     "briefs and templates may load images and styles "
                                     "from (https://HOST/...); none by default.")
    render_timeout: float | None = Field(default=None, gt=0, description="Seconds one "
                                         "edition may take to make; --render-timeout "
                                         f"overrides it. Default {DEFAULT_RENDER_TIMEOUT:g}.")
    memory_limit: int | None = Field(default=None, ge=1, description="MB of memory one "
                                     "edition may take beyond what is in use; "
                                     f"--memory-limit overrides it. Default "
                                     f"{DEFAULT_MEMORY_LIMIT}.")

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host.lower() for host in self.allowed_hosts)


def load_project_config(path: Path) -> ProjectConfig:
    """The settings in ``path``, or the defaults when the project has no such file."""
    if not path.is_file():
        return ProjectConfig()
    return validate_file(ProjectConfig, load_yaml(path))
