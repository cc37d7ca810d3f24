"""``_brand.yml``: an organisation's identity, in the brand.yml convention Quarto and
Shiny read (parsed and validated by the ``brand-yml`` package).

Read as a brief is: with line and column marks, every problem located. Beyond the
package's own validation, every colour must be one a browser and WeasyPrint read,
and every local file it names (a logo, a font) must exist inside the project; a font
from Google or Bunny Fonts is not fetched (a warning: the house fonts stand in).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from brand_yml import Brand
from brand_yml.file import FileLocationLocal
from coloraide import Color
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import BriefError, Location, Problem, Severity
from .load import Path_, SourceMap, format_path, load_yaml
from .validate import by_position, located

LOGO_SIZES = ("medium", "small", "large")  # the masthead's preference
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


@dataclass
class BrandFile:
    """A validated ``_brand.yml`` and where each of its values was written."""

    path: Path
    brand: Brand
    source_map: SourceMap
    warnings: list[Problem] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def colors(self) -> dict[str, str]:
        """Every named colour (palette and semantic), references resolved."""
        return dict(self.brand.color.to_dict()) if self.brand.color else {}

    def logo(self) -> Path | None:
        """The local logo file for the masthead (the light variant), if any."""
        logo = self.brand.logo
        if logo is None:
            return None
        resources = [getattr(logo, size, None) for size in LOGO_SIZES] if not hasattr(
            logo, "path") else [logo]
        for resource in resources:
            resource = getattr(resource, "light", resource)
            location = getattr(resource, "path", None)
            if isinstance(location, FileLocationLocal):
                return (self.folder / Path(str(location.root))).resolve()
        return None

    def font_files(self) -> list[tuple[str, Path, str, str]]:
        """(family, file, weight, style) of every font a local file provides."""
        fonts = []
        for font in self.brand.typography.fonts if self.brand.typography else []:
            for source in getattr(font, "files", []) if font.source == "file" else []:
                if isinstance(source.path, FileLocationLocal):
                    fonts.append((font.family, (self.folder / Path(str(source.path.root)))
                                  .resolve(), str(source.weight.root), source.style))
        return fonts

    def family(self, role: str) -> str | None:
        """The family the brand sets for ``role`` (base, headings), if it names one."""
        typography = self.brand.typography
        node = getattr(typography, role, None) if typography else None
        return getattr(node, "family", None)


def load_brand(path: Path, project_root: Path) -> BrandFile:
    """Read and validate ``path``; raise BriefError with every problem located.

    briefgen's own checks come first: a file outside the project or a colour no
    browser reads is said plainly, not as the package's union of model errors."""
    loaded = load_yaml(path)
    problems = [*_color_problems(loaded.data, loaded.source_map),
                *_file_problems(loaded.data, loaded.source_map, path.parent,
                                project_root.resolve())]
    if any(p.is_error for p in problems):
        raise BriefError(by_position(problems))
    try:
        brand = Brand.model_validate({**loaded.data, "path": path.resolve()})
    except ValidationError as exc:
        raise BriefError(_one_per_place([located(loaded.source_map, _plain(err))
                                         for err in exc.errors()])) from None
    except ValueError as exc:  # brand-yml's own checks that are not field errors
        raise BriefError([Problem(loaded.source_map.value(()), str(exc))]) from None
    return BrandFile(path, brand, loaded.source_map, by_position(problems))


def _plain(err: ErrorDetails) -> ErrorDetails:
    """An error's path without the model names a union adds (BrandLogo, FileLocationUrl)."""
    return {**err, "loc": tuple(p for p in err["loc"]
                                if not (isinstance(p, str) and p[:1].isupper()))}


def _one_per_place(problems: list[Problem]) -> list[Problem]:
    """The first problem at each place: a union's every branch fails at the same one."""
    seen: dict[Location, Problem] = {}
    for problem in by_position(problems):
        seen.setdefault(problem.location, problem)
    return list(seen.values())


def _color_problems(data: dict[str, Any], source_map: SourceMap) -> Iterator[Problem]:
    colors = data.get("color") if isinstance(data.get("color"), dict) else {}
    assert isinstance(colors, dict)
    named = set((colors.get("palette") or {}).keys()) | set(colors)
    entries: list[tuple[Path_, Any]] = [
        *((("color", "palette", name), value)
          for name, value in (colors.get("palette") or {}).items()),
        *((("color", name), value) for name, value in colors.items() if name != "palette")]
    for path, value in entries:
        if not isinstance(value, str) or value in named:
            continue  # a reference to another named colour, resolved by brand-yml
        try:
            Color(value)
        except ValueError:
            yield Problem(source_map.value(path), f"{value!r} is not a colour "
                          "(a name, #rrggbb, rgb(...) or another CSS colour)",
                          format_path(path))


def _file_problems(data: dict[str, Any], source_map: SourceMap, folder: Path,
                   root: Path) -> Iterator[Problem]:
    for path, value in _local_files(data):
        where = source_map.value(path)
        name = format_path(path)
        target = (folder / value).resolve()
        if Path(value).is_absolute() or not target.is_relative_to(root):
            yield Problem(where, f"{value!r} is outside the project", name)
        elif not target.is_file():
            yield Problem(where, f"{value!r} does not exist (paths are relative to the "
                          "folder of _brand.yml)", name)
        elif path[0] == "logo" and target.suffix.lower() not in IMAGE_SUFFIXES:
            yield Problem(where, f"{value!r} is not an image (SVG, PNG, JPEG, GIF, WebP)",
                          name)
    typography = data.get("typography") if isinstance(data.get("typography"), dict) else {}
    assert isinstance(typography, dict)
    for i, font in enumerate(typography.get("fonts") or []):
        if isinstance(font, dict) and font.get("source") in ("google", "bunny"):
            yield Problem(source_map.value(("typography", "fonts", i, "source")),
                          f"{font.get('family')!r} is not fetched from {font['source']} "
                          "(briefgen reads nothing from the network): the house fonts "
                          "stand in; add the font's files with source: file",
                          format_path(("typography", "fonts", i, "source")),
                          Severity.WARNING)


def _local_files(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Every local file path _brand.yml names: logos and font files."""
    def is_local(value: Any) -> TypeGuard[str]:
        return isinstance(value, str) and "://" not in value

    logo = data.get("logo")
    if is_local(logo):
        yield ("logo",), logo
    elif isinstance(logo, dict):
        for size, value in logo.items():
            if is_local(value):
                yield ("logo", size), value
            elif isinstance(value, dict):
                for key, inner in value.items():
                    if is_local(inner):
                        yield ("logo", size, key), inner
                    elif isinstance(inner, dict) and is_local(inner.get("path")):
                        yield ("logo", size, key, "path"), inner["path"]
    typography = data.get("typography")
    fonts = typography.get("fonts") if isinstance(typography, dict) else None
    for i, font in enumerate(fonts if isinstance(fonts, list) else []):
        files = font.get("files") if isinstance(font, dict) else None
        for j, entry in enumerate(files if isinstance(files, list) else []):
            if isinstance(entry, dict) and is_local(entry.get("path")):
                yield ("typography", "fonts", i, "files", j, "path"), entry["path"]
            elif is_local(entry):
                yield ("typography", "fonts", i, "files", j), entry
