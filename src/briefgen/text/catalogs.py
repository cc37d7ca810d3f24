"""Interface strings ("Key figures", "Page 3 of 4") from gettext message catalogs.

The catalogs are the .po files under ``locale/``, compiled in memory when first
needed, so a translator edits one text file and nothing binary is committed.
English is the source language of the templates and needs no catalog.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def catalog_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def find_catalog(lang: str, project_locale: Path | None = None) -> Path:
    """A project's own catalog (templates/locale/...) if it has one, else the built-in."""
    if project_locale is not None and catalog_path(lang, project_locale).is_file():
        return catalog_path(lang, project_locale)
    return catalog_path(lang)


@cache
def translations(path: Path) -> NullTranslations:
    """The compiled catalog at ``path``; untranslated strings stay in English."""
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parent.parent.name)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Gettext:
    """gettext and ngettext for one language, with Jinja's new-style %(name)s formatting."""

    def __init__(self, lang: str, project_locale: Path | None = None) -> None:
        self.lang = lang
        self._translations = translations(find_catalog(lang, project_locale))

    def gettext(self, message: str, **variables: Any) -> str:
        text = self._translations.gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        text = self._translations.ngettext(singular, plural, num)
        return text % {"num": num, **variables}

    __call__ = gettext
