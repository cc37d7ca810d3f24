"""Stage 3, render: a validated brief -> the HTML of one edition. Audiences and their
type scales (audiences), the one Jinja environment (environment), the template folders
of a project (templates), the view a template sees (view) and the timeline's geometry
(timeline). The built-in templates live in ``briefgen/templates/``."""
