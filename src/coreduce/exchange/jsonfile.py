"""Reading a JSON file given by a user, with errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coreduce.exchange.errors import InvalidInput


def read_json_file(path: str | Path) -> Any:
    """The parsed content of ``path``; InvalidInput (a ValueError) naming the file when it is absent or not JSON."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: not a JSON file ({exc})") from None
