"""One parser from JSON-like input (``json.load`` output) to the core's frozen dataclasses.

Types are read from the dataclass annotations: ``bool``, ``int``, ``Decimal`` (from a JSON
number), ``str``, enums (by value), ``tuple[X, ...]`` (from a list), ``X | None`` and nested
dataclasses. Nothing is coerced: ``"12"`` is not a number, ``1`` is not ``true``. A CLI turns the
``ClinicalInputError`` into its one error line and exit status 2.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import types
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from remission.clinical.errors import ClinicalInputError

_Parsed = TypeVar("_Parsed")


def parse_dataclass(cls: type[_Parsed], raw: object, path: str = "", *, root: str) -> _Parsed:
    """Build the frozen dataclass ``cls`` from JSON-like ``raw`` (e.g. ``json.load`` output).

    Every field is required; a field typed ``X | None`` may be ``null``. Unknown fields (with a
    "did you mean" for a misspelling), missing fields, wrong JSON types and values that are not
    one of an enum's raise ``ClinicalInputError`` naming the field path (``history.substances[1]``);
    so does the dataclass's own validation, prefixed with the path. ``root`` names the whole
    input in a message about it ("intake: expected an object, ...").
    """
    where = path or root
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) for k in raw):
        raise ClinicalInputError(f"{where}: expected an object, got {_json_type(raw)}")
    hints = get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ClinicalInputError(
            f"unknown field {_join(path, unknown[0])!r}{_suggestion(unknown[0], names)}"
        )
    missing = [name for name in names if name not in raw]
    if missing:
        raise ClinicalInputError("missing field(s) " + ", ".join(_join(path, m) for m in missing))
    values = {name: _parse_value(hints[name], raw[name], _join(path, name)) for name in names}
    try:
        return cls(**values)
    except ClinicalInputError as error:
        raise ClinicalInputError(f"{path}: {error}" if path else str(error)) from None


def _parse_value(annotation: Any, raw: object, path: str) -> object:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if raw is None:
            return None
        (only,) = options
        return _parse_value(only, raw, path)
    if origin is tuple:
        item_type = get_args(annotation)[0]
        if not isinstance(raw, list):
            raise ClinicalInputError(f"{path}: expected a list, got {_json_type(raw)}")
        return tuple(_parse_value(item_type, item, f"{path}[{i}]") for i, item in enumerate(raw))
    if annotation is bool:
        if not isinstance(raw, bool):
            raise ClinicalInputError(f"{path}: expected true or false, got {_json_type(raw)}")
        return raw
    if annotation is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ClinicalInputError(f"{path}: expected a whole number, got {_json_type(raw)}")
        return raw
    if annotation is Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ClinicalInputError(f"{path}: expected a number, got {_json_type(raw)}")
        return Decimal(str(raw))
    if annotation is str:
        if not isinstance(raw, str):
            raise ClinicalInputError(f"{path}: expected text, got {_json_type(raw)}")
        return raw
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        allowed = [member.value for member in annotation]
        if raw not in allowed:
            shown = "null" if raw is None else repr(raw)
            raise ClinicalInputError(
                f"{path}: {shown} is not one of " + ", ".join(str(a) for a in allowed)
            )
        return annotation(raw)
    if dataclasses.is_dataclass(annotation):
        return parse_dataclass(annotation, raw, path, root=path)  # type: ignore[arg-type]
    raise TypeError(f"no parser for {annotation!r}")  # a programming error, not bad input


def _suggestion(unknown: str, names: Sequence[str]) -> str:
    """'; did you mean ...?' for a misspelt field, matching whole names or any word of one."""
    candidates: dict[str, str] = {}
    for name in names:
        for word in name.split("_"):
            candidates.setdefault(word, name)
        candidates[name] = name
    close = difflib.get_close_matches(unknown, list(candidates), n=1, cutoff=0.8)
    return f"; did you mean {candidates[close[0]]!r}?" if close else ""


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _json_type(raw: object) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return f"text {raw!r}"
    if isinstance(raw, int | float):
        return f"the number {raw}"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, Mapping):
        return "an object"
    return type(raw).__name__
