"""``briefgen.yaml``: the settings a project gives all its briefs, and the publisher's
details every brief is published with."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..errors import Location, Problem
from .load import Path_, SourceMap, format_path, load_yaml, read_source
from .model import localized_fields
from .project import CONFIG_FILE, DEFAULT_MEMORY_LIMIT, DEFAULT_RENDER_TIMEOUT, Paper
from .types import Localized
from .validate import validate_file

DEFAULT_NUMBERING = "{number}/{year}"


class Publication(BaseModel):
    """Who publishes the project's briefs, in which series, under which terms: shown on
    every edition and in every citation (format 1.2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: Localized | None = Field(default=None, description="The organisation "
                                        "publishing the briefs; default: _brand.yml's "
                                        "meta.name.")
    place: Localized | None = Field(default=None, description="Its city, as citations "
                                    "name it: Geneva, Женева.")
    series: Localized | None = Field(default=None, description="The series' name: Policy "
                                     "Brief, Аналитическая записка.")
    numbering: str = Field(default=DEFAULT_NUMBERING, pattern=r"\{number\}",
                           description="How a brief's number is written: {number} and "
                           "{year} are replaced; default {number}/{year} (12/2026).")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$",
                            description="Where each brief is published: {id} and {lang} "
                            "are replaced (https://example.org/briefs/{id}); a brief's "
                            "own url: wins.")
    contact: Localized | None = Field(default=None, description="Who readers write to: "
                                      "an address, a telephone, an e-mail; inline "
                                      "Markdown.")
    licence: Localized | None = Field(default=None, description="A Creative Commons "
                                      "licence by its SPDX id (CC-BY-4.0), or your own "
                                      "words.")
    disclaimer: Localized | None = Field(default=None, description="Whose views the "
                                         "brief states; inline Markdown.")


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
    publication: Publication = Field(default_factory=Publication)
    _source_map: SourceMap | None = PrivateAttr(default=None)

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host.lower() for host in self.allowed_hosts)

    def location(self, path: Path_) -> Location:
        """Where the value at ``path`` was written in briefgen.yaml."""
        if self._source_map is None:
            return Location(Path(CONFIG_FILE))
        return self._source_map.value(path)

    def missing(self, lang: str) -> list[Problem]:
        """An error at each publication field with no ``lang`` text: a brief in that
        language cannot be published until it has one."""
        return [Problem(self.location(("publication", *path)), f"missing {lang!r} "
                        "translation", format_path(("publication", *path)))
                for path, text in localized_fields(self.publication) if not text.has(lang)]


def load_project_config(path: Path) -> ProjectConfig:
    """The settings in ``path``, or the defaults when the project has no such file."""
    if not path.is_file():
        return ProjectConfig()
    raw = read_source(path)
    if _only_comments(raw):
        return ProjectConfig()  # as `briefgen init` writes it: every setting commented
    loaded = load_yaml(path, raw)
    config = validate_file(ProjectConfig, loaded)
    config._source_map = loaded.source_map
    return config


def _only_comments(raw: bytes) -> bool:
    """Whether a settings file holds nothing but comments and blank lines."""
    return all(not line.strip() or line.lstrip().startswith(b"#")
               for line in raw.splitlines())
