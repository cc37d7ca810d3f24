"""The commented skeleton that `briefgen new ID` writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SKELETON = Path(__file__).with_name("skeleton.yaml")


def skeleton(brief_id: str, today: dt.date | None = None) -> str:
    """The skeleton brief for ``brief_id``; it passes `briefgen check` as written."""
    title = brief_id.replace("-", " ").capitalize()
    today = today or dt.date.today()
    return (SKELETON.read_text(encoding="utf-8")
            .replace("@TITLE@", title).replace("@DATE@", today.isoformat()))
