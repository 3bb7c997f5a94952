"""Everything generated from the spec models: JSON Schema, the field reference and ``init``.

Generating all three from the models is what keeps them from drifting apart.
"""

from __future__ import annotations

import json
import re
import textwrap
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from contractkit.spec import DELIVERABLE_DEFAULTS, Spec

SCHEMA_ID = "https://contractkit.dev/schema/engagement-spec-1.json"
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'()/@_+-]*")
YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an engagement spec."""
    schema = Spec.model_json_schema(mode="validation")
    _describe_properties(Spec, schema, schema.get("$defs", {}))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def _describe_properties(
    model: type[BaseModel], node: dict[str, Any], defs: dict[str, Any]
) -> None:
    """Give every property its field's description.

    pydantic leaves the description off a property that refers to a model whose docstring
    says the same thing; editors show a property's own description, so it is put back.
    """
    for name, info in model.model_fields.items():
        prop = node.get("properties", {}).get(name)
        if prop is None:
            continue
        if info.description and "description" not in prop:
            prop["description"] = info.description
        sub = _model(info.annotation)
        if sub is not None and sub.__name__ in defs:
            _describe_properties(sub, defs[sub.__name__], defs)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without Optional, and whether it is a list."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
        return annotation, False
    if origin is list:
        inner, _ = _unwrap(typing.get_args(annotation)[0])
        return inner, True
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation, False


def _model(annotation: Any) -> type[BaseModel] | None:
    inner, _ = _unwrap(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return inner
    return None


def _type_name(info: FieldInfo) -> str:
    inner, is_list = _unwrap(info.annotation)
    if isinstance(inner, type) and issubclass(inner, Enum):
        name = "one of"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        name = "mapping"
    elif typing.get_origin(inner) in (typing.Union, types.UnionType):
        name = "name or mapping"
    elif typing.get_origin(inner) is typing.Literal:
        name = "constant"
    else:
        name = {
            "str": "text",
            "int": "integer",
            "float": "number",
            "bool": "true/false",
            "date": "date",
        }.get(getattr(inner, "__name__", ""), "text")
        if "email" in str(inner).lower() or "Email" in getattr(inner, "__name__", ""):
            name = "e-mail"
    return f"list of {name}" if is_list else name


def _allowed(info: FieldInfo) -> str:
    inner, _ = _unwrap(info.annotation)
    if isinstance(inner, type) and issubclass(inner, Enum):
        return " \\| ".join(f"`{m.value}`" for m in inner)
    if typing.get_origin(inner) is typing.Literal:
        return " \\| ".join(f"`{v}`" for v in typing.get_args(inner))
    bounds = []
    for meta in info.metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(meta, attr, None)
            if value is not None:
                bounds.append(f"{sign} {value}")
        pattern = getattr(meta, "pattern", None)
        if pattern:
            bounds.append(f"`{pattern}`")
    for arg in typing.get_args(info.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
                value = getattr(meta, attr, None)
                if value is not None:
                    bounds.append(f"{sign} {value}")
            pattern = getattr(meta, "pattern", None)
            if pattern:
                bounds.append(f"`{pattern}`")
    return ", ".join(dict.fromkeys(bounds))


def _requirement(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        produced = info.default_factory()  # type: ignore[call-arg]
        if isinstance(produced, list):
            return "default: empty"
        return "default: see fields"
    if info.default is None or info.default is PydanticUndefined:
        return "optional"
    default = info.default.value if isinstance(info.default, Enum) else info.default
    return f"default: `{json.dumps(default)}`"


def field_reference_markdown() -> str:
    """A Markdown page with one table row per field of the spec."""
    lines = [
        "# Engagement spec reference",
        "",
        "Generated from the models by `contractkit schema --format markdown`; do not edit by hand.",
        "",
        "| field | type | required / default | allowed values | description |",
        "|---|---|---|---|---|",
    ]

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            _, is_list = _unwrap(info.annotation)
            path = f"{prefix}{name}"
            description = (info.description or "").replace("|", "\\|")
            lines.append(
                f"| `{path}` | {_type_name(info)} | {_requirement(info)} | {_allowed(info)} "
                f"| {description} |"
            )
            sub = _model(info.annotation)
            if sub is not None and sub is not model:
                walk(sub, f"{path}[]." if is_list else f"{path}.")

    walk(Spec, "")
    lines += [
        "",
        "## Knowledge-transfer deliverables",
        "",
        "A deliverable written as a bare name takes these defaults; an object "
        "`{item, format, owner}` may override `format` and `owner`, or name a free-form item "
        "(then both are required).",
        "",
        "| name | what it is | default format | default owner |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{key.value}` | {title} | {fmt} | {owner.value} |"
        for key, (title, fmt, owner) in DELIVERABLE_DEFAULTS.items()
    ]
    return "\n".join(lines) + "\n"


def _scalar_yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = getattr(value, "source_text", None)
        return text if text is not None else repr(value)
    if value is None:
        return "null"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar_yaml(value)


def _comment(info: FieldInfo) -> str:
    parts = [info.description or ""]
    allowed = _allowed(info).replace("\\|", "|").replace("`", "")
    if allowed:
        parts.append(f"Allowed: {allowed}.")
    requirement = _requirement(info).replace("`", "")
    parts.append(f"({requirement})")
    return " ".join(p for p in parts if p)


def commented_example(data: dict[str, Any]) -> str:
    """A spec with every field explained in a comment, filled with the values in ``data``.

    Optional fields not in ``data`` are commented out with all their own fields, and a list
    written as bare names is followed by its object form, commented, so every field of every
    model is named in the output.
    """
    out = [
        "# contractkit engagement spec, format 1",
        "# Every field is explained above its line; optional fields not in use are commented out.",
        "# Check it with: contractkit validate engagement.yaml",
    ]
    _emit(Spec, data, "", out)
    return "\n".join(out) + "\n"


def _emit(
    model: type[BaseModel],
    values: dict[str, Any],
    indent: str,
    out: list[str],
    *,
    skeleton: bool = False,
) -> None:
    """Append the fields of ``model``; with ``skeleton``, absent fields as empty keys."""
    for name, info in model.model_fields.items():
        if not indent:
            out.append("")
        out.extend(
            textwrap.wrap(
                _comment(info),
                96,
                initial_indent=f"{indent}# ",
                subsequent_indent=f"{indent}#   ",
            )
        )
        sub = _model(info.annotation)
        _, is_list = _unwrap(info.annotation)
        if name not in values:
            block = [f"{indent}{name}:"]
            if sub is not None and is_list:
                _emit_item(sub, {}, indent, block, skeleton=True)
            elif sub is not None:
                _emit(sub, {}, indent + "  ", block, skeleton=True)
            out.extend(block if skeleton else _commented(block, indent))
            continue
        value = values[name]
        if sub is not None and isinstance(value, dict):
            out.append(f"{indent}{name}:")
            _emit(sub, value, indent + "  ", out, skeleton=skeleton)
        elif sub is not None and is_list and value and isinstance(value[0], dict):
            out.append(f"{indent}{name}:")
            for item in value:
                _emit_item(sub, item, indent, out, skeleton=skeleton)
        else:
            out.append(f"{indent}{name}: {_flow(value)}")
            if sub is not None and is_list:
                block = [f"{indent}# Any item may instead be written out in full:"]
                _emit_item(sub, {}, indent, block, skeleton=True)
                out.extend(_commented(block[1:], indent, block[:1]))


def _emit_item(
    model: type[BaseModel], values: dict[str, Any], indent: str, out: list[str], *, skeleton: bool
) -> None:
    """Append one list item: its fields indented under a ``- `` on its first key."""
    first = len(out)
    _emit(model, values, indent + "    ", out, skeleton=skeleton)
    for i in range(first, len(out)):
        line = out[i]
        if line.startswith(indent + "    ") and not line.strip().startswith("#"):
            out[i] = indent + "  - " + line[len(indent) + 4 :]
            break


def _commented(lines: list[str], indent: str, head: list[str] | None = None) -> list[str]:
    """Lines commented out at ``indent``, keeping their own indentation after the ``#``."""
    return [*(head or []), *(f"{indent}# {line[len(indent) :]}" for line in lines)]
