"""An organisation's identity as the templates use it: one palette, its fonts and logo.

The palette lives here once, from the project's ``_brand.yml`` or the house style, and
reaches every stylesheet as CSS custom properties (``:root { --primary: ... }``) and
every chart through the same values. Colours the templates derive (a muted grey for
captions, a wash behind the bottom line, rules) are mixed from the brand's own and
kept legible: each pair used for text is checked against WCAG AA, and a brand colour
that fails is a warning at its line in ``_brand.yml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coloraide import Color
from markupsafe import Markup

from ..errors import Location, Problem, Severity
from ..source.brand import BrandFile
from ..source.validate import by_position

AA_TEXT = 4.5  # WCAG 2.1 AA, normal text
AA_LARGE = 3.0  # WCAG 2.1 AA, large text (headings)
HOUSE_SERIF = '"PT Serif", "Noto Serif", "DejaVu Serif", Georgia, serif'
HOUSE_SANS = '"PT Sans", "Noto Sans", "DejaVu Sans", Arial, sans-serif'
FONT_FORMATS = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}
# Running text, and the average advance of its characters (in em) in PT Sans, the house
# face that the layouts' measures (33rem of text a line) were set for. A brand's body
# face that runs wider gets a measure as much wider, so that a line keeps its count of
# characters.
SAMPLES = {"en": "Corruption undermines good government, economic growth and public "
                 "confidence in governments; it can only be fought through international "
                 "cooperation.",
           "ru": "Коррупция подрывает эффективное государственное управление, экономический "
                 "рост и доверие общества к власти; противостоять ей можно лишь сообща."}
HOUSE_ADVANCE = {"en": 0.4471, "ru": 0.4835}


def hex_of(value: str) -> str:
    """Any CSS colour as #rrggbb, fitted to sRGB."""
    return str(Color(value).convert("srgb").fit().to_string(hex=True, alpha=False))


def mix(a: str, b: str, amount: float) -> str:
    """``amount`` of the way from colour ``a`` to colour ``b``."""
    return hex_of(Color(a).mix(b, amount, space="srgb").to_string())


def contrast(a: str, b: str) -> float:
    return float(Color(a).contrast(b, method="wcag21"))


@dataclass(frozen=True)
class Palette:
    ink: str = "#1b1f24"  # body text
    paper: str = "#ffffff"  # the page
    primary: str = "#1d3557"  # headings, rules, figures, links
    accent: str = "#a4343a"  # the kicker, figure rules, timeline points
    muted: str = "#56606b"  # captions and furniture
    wash: str = "#eef2f7"  # behind the bottom line
    rule: str = "#c9d2dc"  # hairlines
    on_primary: str = "#ffffff"  # text on a primary ground (recommendation numbers)
    heading: str = "#1d3557"


@dataclass
class Identity:
    """What the templates take from ``_brand.yml`` (or the house style without one)."""

    palette: Palette = field(default_factory=Palette)
    serif: str = HOUSE_SERIF  # headings
    sans: str = HOUSE_SANS  # body
    font_faces: list[tuple[str, Path, str, str]] = field(default_factory=list)
    logo: Path | None = None
    name: str = ""  # the organisation, as the brand's meta names it
    brand_path: Path | None = None
    measure: float = 1.0  # how much wider than the house face the body face runs

    def css(self) -> Markup:
        """The custom properties every stylesheet uses, and the brand's font faces."""
        p = self.palette
        faces = "".join(
            f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}") '
            f'format("{FONT_FORMATS.get(path.suffix.lower(), "truetype")}"); '
            f"font-weight: {weight}; font-style: {style}; }}\n"
            for family, path, weight, style in self.font_faces)
        return Markup(
            f"{faces}:root {{ --ink: {p.ink}; --paper: {p.paper}; --primary: {p.primary}; "
            f"--accent: {p.accent}; --muted: {p.muted}; --wash: {p.wash}; --rule: {p.rule}; "
            f"--on-primary: {p.on_primary}; --heading: {p.heading}; "
            f"--serif: {self.serif}; --sans: {self.sans}; --measure: {self.measure:.3f}; }}")

    @property
    def files(self) -> frozenset[Path]:
        """The files of the brand a render may read: its logo and fonts."""
        return frozenset([*(face[1] for face in self.font_faces),
                          *([self.logo] if self.logo else [])])

    @property
    def logo_uri(self) -> str:
        return self.logo.as_uri() if self.logo else ""


def identity_of(brand: BrandFile | None) -> Identity:
    """The identity the templates set a project's briefs in."""
    if brand is None:
        return Identity()
    colors = {name: hex_of(value) for name, value in brand.colors().items()}
    ink = colors.get("foreground", Palette.ink)
    paper = colors.get("background", Palette.paper)
    primary = colors.get("primary", Palette.primary)
    accent = colors.get("secondary", colors.get("tertiary", primary))
    heading_color = brand.brand.typography.headings.color if (
        brand.brand.typography and brand.brand.typography.headings) else None
    palette = Palette(ink=ink, paper=paper, primary=primary, accent=accent,
                      muted=_legible(mix(ink, paper, 0.3), ink, paper),
                      wash=mix(primary, paper, 0.92), rule=mix(primary, paper, 0.7),
                      on_primary=paper if contrast(paper, primary) >= contrast(ink, primary)
                      else ink, heading=hex_of(heading_color) if isinstance(
                          heading_color, str) else primary)
    families = {family for family, *_ in brand.font_files()}

    def stack(role: str, house: str) -> str:
        family = brand.family(role)
        return f'"{family}", {house}' if family and family in families else house

    body = next((path for family, path, weight, style in brand.font_files()
                 if family == brand.family("base") and weight == "400" and style == "normal"),
                None)
    return Identity(palette, serif=stack("headings", HOUSE_SERIF), sans=stack("base", HOUSE_SANS),
                    font_faces=brand.font_files(), logo=brand.logo(),
                    name=(brand.brand.meta.name.full or brand.brand.meta.name.short or "")
                    if brand.brand.meta and brand.brand.meta.name else "",
                    brand_path=brand.path, measure=_measure(body) if body else 1.0)


def _measure(font_file: Path) -> float:
    """How much wider than PT Sans the face in ``font_file`` sets running text, English
    and Russian alike (1.0 when it cannot be read)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(font_file, lazy=True)
        glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
        em = font["head"].unitsPerEm
        ratios = [sum(glyphs[cmap[ord(c)]].width for c in text) / em / len(text)
                  / HOUSE_ADVANCE[lang] for lang, text in SAMPLES.items()]
    except (OSError, TTLibError, KeyError):  # a face without Cyrillic: the house measure
        return 1.0
    return round(max(0.8, min(1.3, float(sum(ratios)) / len(ratios))), 3)


def _legible(color: str, ink: str, paper: str) -> str:
    """``color``, moved towards ``ink`` until it reads as text on ``paper`` (AA)."""
    amount = 0.0
    while contrast(color, paper) < AA_TEXT and amount < 1:
        amount += 0.1
        color = mix(color, ink, amount)
    return color


def brand_problems(brand: BrandFile | None, identity: Identity) -> list[Problem]:
    """The warnings of a project's _brand.yml: what briefgen cannot use (a web font),
    and each colour the templates set text in that fails WCAG AA against its ground."""
    if brand is None:
        return []
    contrast = dict.fromkeys(_contrast_problems(brand, identity.palette))
    return by_position([*brand.warnings, *contrast])


def _contrast_problems(brand: BrandFile, p: Palette) -> Iterator[Problem]:
    pairs = [("foreground", p.ink, p.paper, AA_TEXT, "body text"),
             ("foreground", p.ink, p.wash, AA_TEXT, "the bottom line"),
             ("primary", p.primary, p.paper, AA_TEXT, "links and key figures"),
             ("primary", p.on_primary, p.primary, AA_TEXT, "recommendation numbers"),
             ("secondary", p.accent, p.paper, AA_TEXT, "the edition's label"),
             ("primary", p.heading, p.paper, AA_LARGE, "headings")]
    for name, text, ground, needed, what in pairs:
        ratio = contrast(text, ground)
        if ratio < needed:
            yield Problem(_where(brand, name), f"{text} on {ground} has a contrast of "
                          f"{ratio:.2f}:1, under the {needed:g}:1 WCAG AA asks for "
                          f"{what}", f"color.{name}", Severity.WARNING)


def _where(brand: BrandFile, name: str) -> Location:
    return brand.source_map.value(("color", name))
