"""Stage 6, the builder: what is stale and what to make (plan), the record of what each
output was made from (manifest, fingerprint), running the work (run) and the front page
(index). Light at import: no pydantic, Jinja or WeasyPrint until something has to be
parsed or made, so that a build with nothing to do costs a tenth of a second."""
