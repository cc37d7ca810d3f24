"""Stage 2, text: Markdown -> sanitized HTML (convert, sanitize), typesetting per
language (typography), dates and numbers in the reader's conventions (formats), and
the interface strings' message catalogs (catalogs)."""
