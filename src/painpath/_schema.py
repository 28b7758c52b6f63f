"""JSON Schemas (draft 2020-12) of the answers, a check-in and a result, made from the code.

The answers schema is made from the answer contract (``_contract.KEYS``), the
check-in schema from the check-in table of the contract, and the result schema
from the result's dataclasses and their type hints, so each follows the code
when a key or a field is added; the batch schema (one output line of
``painpath batch``, full or ``--compact``) wraps the result schema.
``painpath schema answers|checkin|result|batch`` prints them; committed copies live
in ``docs/schema/`` (checked for drift).

What JSON cannot say is not in the schemas: JSON has one number type, so ``3.0``
passes an ``integer`` schema that painpath itself refuses for a whole-number key.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable
from typing import Any

from ._contract import CONTRACT_VERSION, KEYS, RED_FLAG_KEYS, KeySpec

__all__ = [
    "SCHEMAS",
    "answers_schema",
    "batch_schema",
    "checkin_schema",
    "result_schema",
    "schema_text",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ID = "urn:painpath:schema:{name}:v{version}"


def _key_schema(spec: KeySpec) -> dict[str, Any]:
    """Return the schema of one contract key: its JSON type and what it allows."""
    return spec.json_schema()


#: An ISO calendar day, as the answers' ``start_date`` takes it.
_DATE = {k: v for k, v in KEYS["start_date"].json_schema().items() if k != "description"}


def _object(
    name: str,
    title: str,
    specs: typing.Iterable[KeySpec],
    required: typing.Iterable[str],
    description: str,
) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": _ID.format(name=name, version=CONTRACT_VERSION),
        "title": title,
        "description": description,
        "type": "object",
        "properties": {spec.key: _key_schema(spec) for spec in specs},
        "required": list(required),
        "additionalProperties": False,
    }


def answers_schema() -> dict[str, Any]:
    """Return the JSON Schema of an answers object (contract version ``CONTRACT_VERSION``)."""
    return _object(
        "answers",
        "painpath answers",
        KEYS.values(),
        [s.key for s in KEYS.values() if s.required],
        "The answers painpath.triage() takes. A key left out means 'not asked'.",
    )


def checkin_schema() -> dict[str, Any]:
    """Return the JSON Schema of one check-in of the 21-day program (``_checkin.CHECKIN_KEYS``)."""
    from ._checkin import CHECKIN_KEYS, NOTE_LIMIT

    schema = _object(
        "checkin",
        "painpath check-in",
        CHECKIN_KEYS.values(),
        [s.key for s in CHECKIN_KEYS.values() if s.required],
        "One check-in during the program, judged with the answers it started from.",
    )
    props = schema["properties"]
    # Checked by name in validate_checkin, not by their kind: an ISO day, and free text.
    props["date"] = {"description": CHECKIN_KEYS["date"].meaning, **_DATE}
    props["note"] = {
        "description": CHECKIN_KEYS["note"].meaning,
        "type": "string",
        "maxLength": NOTE_LIMIT,
    }
    return schema


# --- the result, from its dataclasses ----------------------------------------------------

#: Fields whose values are narrower than their Python type says.
_NARROWER: dict[tuple[str, str], dict[str, Any]] = {
    ("Result", "findings"): {"pattern": r"^[a-z_]+\.[a-z0-9_]+$"},
    ("Result", "unscreened"): {"enum": list(RED_FLAG_KEYS)},
}


def result_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``Result.to_dict()``."""
    from ._result import Result

    defs: dict[str, Any] = {}
    ref = _class_schema(Result, defs)
    root = defs.pop(Result.__name__)
    assert ref == {"$ref": "#/$defs/Result"}
    return {
        "$schema": DIALECT,
        "$id": _ID.format(name="result", version=CONTRACT_VERSION),
        "title": "painpath result",
        "description": "What Result.to_dict() (and the JSON output) holds.",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    if name not in defs:
        defs[name] = {}  # placeholder: a class may refer to itself
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)
        properties: dict[str, Any] = {}
        for f in fields:
            schema = _type_schema(hints[f.name], defs)
            narrower = _NARROWER.get((name, f.name))
            if narrower:
                target = schema["items"] if schema.get("type") == "array" else schema
                target.update(narrower)
            properties[f.name] = schema
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]
        defs[name] = {
            "description": " ".join(doc.split()),
            "type": "object",
            "properties": properties,
            "required": [f.name for f in fields],
            "additionalProperties": False,
        }
    return {"$ref": f"#/$defs/{name}"}


def _type_schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """Return the schema of the plain data ``_result._plain`` makes of a value of ``hint``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(a, defs) for a in args if a is not type(None)]
        if type(None) in args:
            options.append({"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is tuple:
        items = [_type_schema(a, defs) for a in args]
        return {
            "type": "array",
            "prefixItems": items,
            "minItems": len(items),
            "maxItems": len(items),
        }
    if origin in (list, frozenset, set):
        schema: dict[str, Any] = {"type": "array", "items": _type_schema(args[0], defs)}
        if origin is not list:
            schema["uniqueItems"] = True
        return schema
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs)}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _class_schema(hint, defs)
    simple = {bool: "boolean", int: "integer", float: "number", str: "string"}
    if hint in simple:
        return {"type": simple[hint]}
    if hint is Any or hint is object:
        return {}
    raise TypeError(f"no JSON Schema for the result field type {hint!r}")


def batch_schema() -> dict[str, Any]:
    """Return the JSON Schema of one output line of ``painpath batch`` (full or ``--compact``)."""
    full = result_schema()
    defs = full.pop("$defs")
    for key in ("$schema", "$id", "title"):
        full.pop(key)
    narrow = full["properties"]
    defs["Result"] = full
    defs["CompactResult"] = {
        "description": "The result as painpath batch --compact writes it: level, findings "
        "and unscreened as in the full result, the plan's routine ids in order and the "
        "ids of the rules that fired (the reasons).",
        "type": "object",
        "properties": {
            "level": narrow["level"],
            "findings": narrow["findings"],
            "unscreened": narrow["unscreened"],
            "routine_ids": {"type": "array", "items": {"type": "string"}},
            "rule_ids": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["level", "findings", "unscreened", "routine_ids", "rule_ids"],
        "additionalProperties": False,
    }
    defs["Problem"] = {
        "description": "One problem of a bad record: the key (null for the whole record), "
        "the value as given, and what is wrong.",
        "type": "object",
        "properties": {
            "key": {"type": ["string", "null"]},
            "value": {},
            "message": {"type": "string"},
        },
        "required": ["key", "value", "message"],
        "additionalProperties": False,
    }
    return {
        "$schema": DIALECT,
        "$id": _ID.format(name="batch", version=CONTRACT_VERSION),
        "title": "painpath batch record",
        "description": "One line of painpath batch output: the input line where the record "
        "starts, then its result (full, or --compact) when ok, or its problems.",
        "type": "object",
        "properties": {
            "line": {"type": "integer", "minimum": 1},
            "ok": {"type": "boolean"},
            "result": {"anyOf": [{"$ref": "#/$defs/Result"}, {"$ref": "#/$defs/CompactResult"}]},
            "errors": {"type": "array", "items": {"$ref": "#/$defs/Problem"}, "minItems": 1},
        },
        "required": ["line", "ok"],
        "additionalProperties": False,
        "if": {"properties": {"ok": {"const": True}}},
        "then": {"required": ["result"], "not": {"required": ["errors"]}},
        "else": {"required": ["errors"], "not": {"required": ["result"]}},
        "$defs": dict(sorted(defs.items())),
    }


#: ``painpath schema NAME``: name -> function returning the schema.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "answers": answers_schema,
    "checkin": checkin_schema,
    "result": result_schema,
    "batch": batch_schema,
}


def schema_text(name: str) -> str:
    """Return one schema as indented JSON text with a final newline."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"
