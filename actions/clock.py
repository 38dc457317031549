"""Where "now" comes from: `HUBGUIDE_NOW` (ISO 8601) when set, else the real clock.

A frozen clock makes answers such as "open, 12 days left" reproducible in tests and demos.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

NOW_VARIABLE = "HUBGUIDE_NOW"


def now() -> datetime:
    """The current time, timezone-aware (UTC when the frozen value has no offset)."""
    frozen = os.environ.get(NOW_VARIABLE, "").strip()
    if not frozen:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(frozen.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
