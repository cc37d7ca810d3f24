"""Stage 2, text: Markdown -> sanitized HTML (markdown, sanitize), typesetting per
language (typography), dates and numbers in the reader's conventions (formats), and
the interface strings' message catalogs (catalogs)."""
