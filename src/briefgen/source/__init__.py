"""Stage 1, the source: YAML with line and column marks (load), the scalar types of the
format (types), the typed brief (model) and its validation (validate), the JSON Schema
(schema), editions (which outputs a brief makes), project settings (settings), the
skeleton of a new brief and translation records (translations).

Modules are imported one by one: ``editions`` and ``project`` stay light, the rest
import pydantic.
"""
