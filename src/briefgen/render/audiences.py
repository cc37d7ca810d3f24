"""Audiences: a template folder with ``audience.yaml`` (who the edition is for, its page
budget, its type scale) and the templates that lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import BriefError, Problem
from ..source.load import load_yaml
from ..source.project import Paper
from ..source.types import Localized
from ..source.validate import validate_file

AUDIENCE_CONFIG = "audience.yaml"


@dataclass(frozen=True)
class TypeScale:
    """One step of a typographic scale: the root font size (pt) and the leading."""

    font_size: float
    leading: float

    def __str__(self) -> str:
        return f"{self.font_size:g} pt"


class Typography(BaseModel):
    """An audience's typographic scale, from its base size down to its legibility floor.

    Every size in the built-in stylesheets is relative to the root font size, so one
    step moves type, leading and spacing together.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    font_size: float = Field(default=10.0, gt=0, description="Base body size in pt.")
    floor: float = Field(default=8.0, ge=6.0, description="Smallest body size in pt that "
                         "fitting may use.")
    step: float = Field(default=0.25, gt=0, description="Fitting steps, in pt.")
    leading: float = Field(default=1.38, ge=1.0, description="Line height at the base size.")
    leading_floor: float = Field(default=1.3, ge=1.0, description="Line height at the floor.")

    @model_validator(mode="after")
    def _floor_below_base(self) -> Typography:
        if self.floor > self.font_size:
            raise ValueError(f"floor ({self.floor} pt) is above font_size "
                             f"({self.font_size} pt)")
        return self

    @property
    def base(self) -> TypeScale:
        return self.scales()[0]

    def scales(self) -> list[TypeScale]:
        """Every step from the base size down to the floor, largest first."""
        count = int(round((self.font_size - self.floor) / self.step)) + 1
        span = self.font_size - self.floor
        steps = []
        for i in range(count):
            size = max(self.floor, self.font_size - i * self.step)
            # Smaller type is set a little tighter, as a typesetter would.
            t = (self.font_size - size) / span if span else 0.0
            steps.append(TypeScale(round(size, 3),
                                   round(self.leading + t * (self.leading_floor - self.leading),
                                         3)))
        return steps


class LayoutRules(BaseModel):
    """What the layout inspector holds an audience's editions to (`check` prints the
    measures, `build` warns of a breach, `--strict` fails on it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    line_length: tuple[int, int] = Field(default=(55, 75), description="Characters a line "
                                         "of body text, median, in a one-language edition.")
    parallel_line_length: tuple[int, int] = Field(default=(40, 75), description="The same "
                                                  "in a column of a parallel edition.")
    max_hyphen_run: int = Field(default=2, ge=0, description="Hyphenated line ends in a "
                                "row.")
    stranded_fill: float = Field(default=0.75, ge=0, le=1, description="A page before the "
                                 "last filled less than this is stranded.")
    runt_fill: float = Field(default=0.25, ge=0, le=1, description="A last page filled less "
                             "than this is a runt.")
    min_label_size: float = Field(default=7.0, gt=0, description="Chart labels, pt.")


class AudienceConfig(BaseModel):
    """What ``audience.yaml`` declares: who the edition is for and its budget."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Localized = Field(description="Shown on the brief, e.g. 'Policy brief', per "
                             "language.")
    description: str = ""
    max_pages: int | None = Field(default=None, ge=1, description="Page budget; none "
                                  "means no limit.")
    max_recommendations: int | None = Field(default=None, ge=1, description="Show only "
                                            "the top N recommendations by priority.")
    template: str = "brief.html"
    bilingual: Literal["pages", "parallel"] = Field(
        default="parallel", description="How the bilingual edition is laid out: each "
        "language on pages of its own, each fitted on its own, or in parallel columns.")
    bilingual_template: str = "bilingual.html"
    bilingual_max_pages: int | None = Field(default=None, ge=1, description="Page budget "
                                            "of the parallel edition; default twice "
                                            "max_pages.")
    paper: Paper = Field(default="a4", description="Paper unless --paper or the project's "
                         "briefgen.yaml says otherwise.")
    typography: Typography = Field(default_factory=Typography)
    layout: LayoutRules = Field(default_factory=LayoutRules)


@dataclass(frozen=True)
class Audience:
    name: str
    config: AudienceConfig
    config_path: Path

    @property
    def template_name(self) -> str:
        return f"{self.name}/{self.config.template}"

    @property
    def bilingual_template_name(self) -> str:
        return f"{self.name}/{self.config.bilingual_template}"

    @property
    def bilingual_max_pages(self) -> int | None:
        if self.config.bilingual_max_pages or self.config.max_pages is None:
            return self.config.bilingual_max_pages
        return 2 * self.config.max_pages

    @property
    def pages_per_language(self) -> bool:
        """Whether its bilingual edition is each language's own fitted pages, one after
        the other (and so is made together with the single-language editions)."""
        return self.config.bilingual == "pages"

    def label(self, lang: str) -> str:
        """The audience's label in ``lang``, else in its first language."""
        label = self.config.label
        return label.text(lang) if label.has(lang) else label.first()


def discover_audiences(folders: list[Path]) -> dict[str, Audience]:
    """Every audience in ``folders``; a folder listed first overrides one listed later."""
    audiences: dict[str, Audience] = {}
    problems: list[Problem] = []
    for folder in reversed(folders):
        for config_path in sorted(folder.glob(f"*/{AUDIENCE_CONFIG}")):
            try:
                audiences[config_path.parent.name] = load_audience(config_path)
            except BriefError as exc:
                problems += exc.problems
    if problems:
        raise BriefError(problems)
    return audiences


def load_audience(config_path: Path) -> Audience:
    config = validate_file(AudienceConfig, load_yaml(config_path))
    return Audience(config_path.parent.name, config, config_path)
