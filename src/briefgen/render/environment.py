"""The one Jinja environment: autoescaped, strict, with briefgen's filters, and able
to note every template a render loads."""

from __future__ import annotations

import itertools
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..inputs import Inputs
from ..source.project import BUILTIN_TEMPLATES
from ..text.convert import inline_markdown_to_html, markdown_to_html, plain_text

# What a browser may load for an HTML edition or the front page: nothing from outside
# the file (its images and styles are inlined), and no script. Declared in every page
# it writes, so a page stays inert even if a project template adds a link to a
# resource (and `briefgen serve` replaces it with one that lets its reload script run).
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                           "font-src data:; base-uri 'none'; form-action 'none'")
# The front page shows its briefs' pictures from the files beside it (its own origin:
# the build folder, or `briefgen serve`), never from anywhere else.
FRONT_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace("img-src data:", "img-src data: 'self'")


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that can note every template a render loads.

    Jinja calls ``_load_template`` for every extends, include and import, even when the
    template is cached, so this sees exactly what each render used (Lektor does the
    same to track template dependencies). ``_load_template`` is private Jinja API, one
    of the two private APIs briefgen uses (the other is WeasyPrint's ``Page._page_box``,
    in layout/measure.py); jinja2 is pinned below its next major version for it.
    """

    recorded: Inputs | None = None
    project_folder: Path | None = None

    def _load_template(self, name: str,
                       globals: MutableMapping[str, Any] | None) -> jinja2.Template:  # noqa: A002
        template = super()._load_template(name, globals)
        if self.recorded is not None and template.filename:
            path = Path(template.filename)
            self.recorded.add(path)
            if (self.project_folder and not name.startswith("builtin/")
                    and path.is_relative_to(BUILTIN_TEMPLATES)):
                self.recorded.add(self.project_folder / name, exists=False)
        return template


def make_environment(folders: list[Path], project_folder: Path | None = None
                     ) -> RecordingEnvironment:
    """The one Jinja environment: autoescaped, strict, with briefgen's filters.

    ``folders`` are searched in order; ``builtin/...`` always names a shipped template,
    so that a project's template can extend the one it replaces.
    """
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(f) for f in folders]),
        jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))}),
    ])
    env = RecordingEnvironment(
        loader=loader,
        # Stylesheets are templates too (for the page size) and must not be escaped.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Interface strings follow the language of the brief being rendered. Macros that
    # render a brief given to them (the bilingual editions pass two) shadow `_` with
    # that brief's own: {% set _ = brief.i18n.gettext %}.
    env.globals.update(_=_context_gettext, gettext=_context_gettext,
                       ngettext=_context_ngettext)
    # Even when it does not exist yet: a template created there later must be noticed.
    env.project_folder = project_folder
    env.globals["pairs"] = itertools.zip_longest
    # Written as is: it holds quotes (and no double quote to end its attribute).
    env.globals["content_security_policy"] = Markup(CONTENT_SECURITY_POLICY)
    env.filters["markdown"] = markdown_to_html
    env.filters["inline"] = inline_markdown_to_html
    env.filters["plain"] = plain_text
    env.filters["sentence"] = sentence
    env.filters["with_marker"] = with_marker
    env.filters["display_url"] = display_url
    return env


def display_url(url: str) -> str:
    """A web address as a reader types it: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def sentence(text: str) -> str:
    """``text`` ending as a sentence: with a full stop unless it has one ("13 ноября
    2017 г." must not become "г..")."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def with_marker(html: Markup, marker: Markup) -> Markup:
    """A citation marker after the last word of a text, on that word's line: inside its
    last paragraph, after a no-break space."""
    if not marker:
        return html
    attached = Markup("\u00a0") + marker
    text = str(html)
    end = text.rfind("</p>")
    if end == -1:
        return html + attached
    return Markup(text[:end]) + attached + Markup(text[end:])


@jinja2.pass_context
def _context_gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
    return str(context["brief"].i18n.gettext(message, **variables))


@jinja2.pass_context
def _context_ngettext(context: jinja2.runtime.Context, singular: str, plural: str, num: int,
                      **variables: Any) -> str:
    return str(context["brief"].i18n.ngettext(singular, plural, num, **variables))
