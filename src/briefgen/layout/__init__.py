"""Stage 4, layout: HTML -> laid-out pages. The fit search (fit, pure), the confined
URL fetcher (fetcher), WeasyPrint's layout and what it measures (measure), time and
memory limits (limits) and the PDF writer (pdf). Knows nothing of briefs: it takes
HTML and gives pages."""
