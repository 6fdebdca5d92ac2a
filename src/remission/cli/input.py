"""JSON input for the pure CLI commands: a file read as one JSON value, or one error line."""

from __future__ import annotations

import json
from pathlib import Path

from remission.clinical.errors import ClinicalInputError


def read_json_file(path: Path) -> object:
    """The JSON in ``path``; an unreadable, non-UTF-8 or invalid file is one clear error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ClinicalInputError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ClinicalInputError(f"{path} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ClinicalInputError(
            f"{path} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
