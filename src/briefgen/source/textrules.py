"""What any text of a brief must not hold, whatever field it is in: characters that
disguise what a reader sees, and nesting deeper than a brief ever needs (which would
cost Markdown and the layout more than any build should spend).

Checked on the source text, before any conversion, so that the problem is reported at
the field where it was written.
"""

from __future__ import annotations

import re
import unicodedata

MAX_DEPTH = 16  # levels of quotes, lists or tags; a brief needs three or four

# Invisible characters that reorder or hide text (bidirectional overrides, embeddings
# and isolates, zero-width spaces and joiners that are not part of a script's
# spelling, the byte-order mark): "exe.txt" can be made to read "txt.exe".
DISGUISING = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x2060, 0xFEFF,
              0x200E, 0x200F, 0x061C}

_QUOTE = re.compile(r"^(?:[ \t]*>)+")
_LIST = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
# A run of emphasis marks against a word opens (or closes) that many levels; a run
# standing alone on its line is a rule, not emphasis.
_RUN = 2 * MAX_DEPTH + 1
_EMPHASIS_RUN = re.compile(rf"(?<=[^\s*_])[*_]{{{_RUN},}}|[*_]{{{_RUN},}}(?=[^\s*_])")
_VOID = {"br", "img", "hr", "wbr", "input", "meta", "link", "col", "area", "base", "source"}


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be used in a brief, in words; None when it can."""
    for char in text:
        code = ord(char)
        if code in DISGUISING:
            name = unicodedata.name(char, "a formatting character")
            return (f"contains U+{code:04X} {name}, an invisible character that can "
                    "disguise text; remove it")
        if (code < 0x20 and char not in "\t\n\r") or code == 0x7F:
            return f"contains the control character U+{code:04X}; remove it"
        if 0xE000 <= code <= 0xF8FF:  # briefgen marks notes with these while converting
            return f"contains U+{code:04X}, a private-use character; remove it"
    depth, what = nesting(text)
    if depth > MAX_DEPTH:
        return f"{what} nested {depth} levels deep; the limit is {MAX_DEPTH}"
    return None


def nesting(text: str) -> tuple[int, str]:
    """The deepest nesting of Markdown quotes, lists, HTML tags or emphasis in ``text``,
    and which of them it is."""
    deepest = (0, "")
    list_indents: list[int] = []
    for line in text.splitlines():
        quote = _QUOTE.match(line)
        if quote:
            deepest = max(deepest, (quote.group().count(">"), "block quotes"))
        item = _LIST.match(line)
        if item:
            indent = len(item.group(1).expandtabs(4))
            while list_indents and list_indents[-1] >= indent:
                list_indents.pop()
            list_indents.append(indent)
            deepest = max(deepest, (len(list_indents), "lists"))
    deepest = max(deepest, (_tag_depth(text), "HTML tags"))
    run = max((len(m.group()) for m in _EMPHASIS_RUN.finditer(text)), default=0)
    return max(deepest, (run // 2, "emphasis marks"))


def _tag_depth(text: str) -> int:
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(text):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest
