"""JSON output for the pure CLI commands: Decimals become JSON numbers, dates ISO text."""

from __future__ import annotations

import json
import sys

from remission.serialization import to_jsonable


def emit_json(result: object) -> None:
    json.dump(to_jsonable(result), sys.stdout, separators=(", ", ": "), allow_nan=False)
    sys.stdout.write("\n")
