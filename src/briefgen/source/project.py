"""The project: a folder holding briefs/ and, optionally, templates/ and briefgen.yaml.

Every path briefgen records is named relative to the project's root (or to briefgen's
own package, for its built-in templates), never to the working folder, so that a
manifest means the same from any folder and in any clone. Light at import: the
settings are validated (with pydantic) only when first asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, cast

if TYPE_CHECKING:
    from .brand import BrandFile
    from .settings import ProjectConfig

T = TypeVar("T")
Paper = Literal["a4", "letter"]
# What may name a brief (its file's stem), an audience (its folder) and an edition.
BRIEF_ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
AUDIENCE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"
CONFIG_FILE = "briefgen.yaml"
BRAND_FILE = "_brand.yml"
DEFAULT_RENDER_TIMEOUT = 300.0  # seconds one edition may take to make
DEFAULT_MEMORY_LIMIT = 2048  # MB one edition may take beyond what is in use
PACKAGE_DIR = Path(__file__).resolve().parent.parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_PREFIX = "builtin:"


@dataclass
class Project:
    root: Path
    # Each settings file as last read, with the stat it was read at: a project watched
    # for hours sees its briefgen.yaml and _brand.yml edited.
    _read: dict[str, tuple[tuple[int, int, int] | None, object]] = field(
        default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def config(self) -> ProjectConfig:
        """briefgen.yaml (the defaults without one); raises BriefError with its located
        problems. Read again only after it changed."""
        from .settings import load_project_config

        return self._settings(self.config_path, load_project_config)

    @property
    def brand_path(self) -> Path:
        return self.root / BRAND_FILE

    @property
    def brand(self) -> BrandFile | None:
        """_brand.yml (None without one); raises BriefError with its located problems.
        Read again only after it changed."""
        from .brand import load_brand

        return self._settings(self.brand_path, lambda path: load_brand(path, self.root)
                              if path.is_file() else None)

    def _settings(self, path: Path, load: Callable[[Path], T]) -> T:
        try:
            st = path.stat()
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        cached = self._read.get(path.name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, load(path))
            self._read[path.name] = cached
        return cast(T, cached[1])

    @property
    def briefs_dir(self) -> Path:
        return self.root / "briefs"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def resolve(self, path: Path) -> Path:
        """A path given relative to the project's root, made absolute."""
        return path if path.is_absolute() else self.root / path

    def key(self, path: Path) -> str:
        """How a file is named in records: relative to the project, or to briefgen."""
        resolved = self.resolve(path).resolve()
        if resolved.is_relative_to(PACKAGE_DIR):
            return BUILTIN_PREFIX + resolved.relative_to(PACKAGE_DIR).as_posix()
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        return resolved.as_posix()

    def path(self, key: str) -> Path:
        """The file a record's key names."""
        if key.startswith(BUILTIN_PREFIX):
            return PACKAGE_DIR / key.removeprefix(BUILTIN_PREFIX)
        return self.root / key


BRIEF_SUFFIXES = (".yaml", ".yml")


def find_brief_files(paths: list[Path]) -> list[Path]:
    """The brief files named by PATH arguments: files as given, folders searched.

    Raises UsageError for a path that does not exist.
    """
    from ..errors import UsageError, display_path

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in BRIEF_SUFFIXES
                            and p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            hint = ("; to start a project here, run `briefgen init`"
                    if path.name == "briefs" and not (path.parent / CONFIG_FILE).exists()
                    else "")
            raise UsageError(f"{display_path(path)}: no such file or folder{hint}")
    return list(dict.fromkeys(found))
