"""The JSON Schema of a brief file, for editors that run a YAML language server."""

from __future__ import annotations

from typing import Any

from .model import ITEM_LISTS, Brief

FORMAT_VERSION = "1.7"


def brief_json_schema() -> dict[str, Any]:
    """The JSON Schema of a brief file, with bare list items allowed as the format says."""
    schema = Brief.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"briefgen brief (format version {FORMAT_VERSION})"
    localized = schema["properties"]["title"]
    bare = {k: v for k, v in localized.items() if k in ("anyOf", "type")}
    for list_name in ITEM_LISTS:
        prop = schema["properties"][list_name]
        prop["items"] = {"anyOf": [prop["items"], bare]}
    for definition in schema["$defs"].values():  # evidence: one mapping or a list
        evidence = definition.get("properties", {}).get("evidence")
        if evidence and evidence.get("type") == "array":
            item = evidence["items"]
            evidence["anyOf"] = [item, {"type": "array", "items": item}]
            del evidence["items"], evidence["type"]
    # The short forms the format allows: a data file by its path alone, one series as
    # a column's name, a table's column by its name.
    data = schema["properties"]["data"]["patternProperties"]
    for pattern, ref in data.items():
        data[pattern] = {"anyOf": [{"type": "string"}, ref]}
    y = schema["$defs"]["Chart"]["properties"]["y"]
    schema["$defs"]["Chart"]["properties"]["y"] = {"anyOf": [{"type": "string"}, y]}
    columns = schema["$defs"]["DataTable"]["properties"]["columns"]
    columns["items"] = {"anyOf": [{"type": "string"}, columns["items"]]}
    return schema
