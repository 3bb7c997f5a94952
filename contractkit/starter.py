"""``contractkit init``: a commented spec to start from, or a copy of a shipped example.

The commented spec is a shipped example for the chosen operating model with every value that
names a party, a person, an amount or a sub-processor replaced by a placeholder, which
validation refuses until it is replaced: no example name or price can reach a draft unnoticed.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contractkit.errors import RefusedError
from contractkit.fsutil import write_atomic
from contractkit.placeholders import MARK, placeholder
from contractkit.resources import example_names, example_path
from contractkit.schema_docs import commented_example
from contractkit.spec import (
    Commercial,
    Contact,
    Customer,
    Insurance,
    KeyPerson,
    Milestone,
    OperatingModel,
    Pricing,
    ProcessAgent,
    RateCardItem,
    Representative,
    SecondaryVendor,
    Signatory,
    Spec,
    Subprocessor,
    Vendor,
)
from contractkit.suggest import did_you_mean
from contractkit.yamlread import parse, read_text

# The shipped example each operating model's skeleton starts from.
MODEL_EXAMPLES = {
    OperatingModel.project: "lidar-project",
    OperatingModel.dedicated_team: "reference",
    OperatingModel.flexible: "speech-flex",
    OperatingModel.hybrid: "reference",
}
_PARTY = {
    "legal_name": "full legal name of the {party}",
    "short_name": "short name used for the {party} throughout the documents, e.g. {example}",
    "entity": "kind of entity and where formed, e.g. a Delaware corporation",
    "address": "the {party}'s registered or principal address for notices",
    "notices_email": "e-mail address for legal notices to the {party}",
}
_AMOUNT = "an amount in the engagement currency, as a number"
# What a placeholder asks for, by model and field; every other value is kept from the example.
HINTS: dict[type[BaseModel], dict[str, str]] = {
    Customer: {k: v.format(party="customer", example="Acme") for k, v in _PARTY.items()},
    Vendor: {k: v.format(party="vendor", example="Nimbus") for k, v in _PARTY.items()},
    Contact: {"name": "full name of the person", "email": "the person's e-mail address"},
    Signatory: {"name": "full name of the person who signs", "title": "their job title"},
    Representative: {
        "name": "name of the representative in the EU",
        "address": "its address in the EU",
        "email": "its e-mail address",
    },
    ProcessAgent: {
        "name": "name of the agent for service of process in the US",
        "address": "the agent's address in the US",
    },
    Subprocessor: {
        "name": "legal name of the sub-processor",
        "location": "ISO country code of where it processes data, e.g. US",
        "purpose": "what the sub-processor does with the data",
    },
    SecondaryVendor: {"legal_name": "legal name of the second vendor"},
    KeyPerson: {"name": "full name of the key person"},
    Pricing: {"rate": f"the price (the whole fee if fixed pricing): {_AMOUNT}"},
    Milestone: {"amount": _AMOUNT},
    Commercial: {"liability_cap_amount": _AMOUNT, "exit_fee_cap": _AMOUNT},
    Insurance: {name: f"the limit per claim: {_AMOUNT}" for name in Insurance.model_fields},
    RateCardItem: {"rate": _AMOUNT},
}


def starter_text(example: str | None = None, model: str | None = None) -> str:
    """The text ``init`` writes: an example verbatim, or a commented skeleton for ``model``."""
    if example is not None:
        return read_text(example_path(_known_example(example)))
    chosen = OperatingModel(model or OperatingModel.hybrid.value)
    source = example_path(MODEL_EXAMPLES[chosen])
    data = parse(read_text(source), str(source)).data
    data["engagement"]["operating_model"] = chosen.value
    if chosen is OperatingModel.dedicated_team:
        data["staffing"].pop("surge", None)
    _replace_values(Spec, data)
    first, *rest = commented_example(data).splitlines(keepends=True)
    notice = (
        f"# Operating model {chosen.value} (contractkit init --model "
        f"{'|'.join(m.value for m in OperatingModel)}).\n"
        f"# Values starting '{MARK.strip()}' name a party, a person, an amount or a "
        "sub-processor:\n#   validate refuses the spec until each is replaced with the real one.\n"
    )
    return first + notice + "".join(rest)


def _known_example(name: str) -> str:
    names = example_names()
    if name in names:
        return name
    hint = did_you_mean(name, names)
    raise RefusedError(f"unknown example '{name}'; choose one of: {', '.join(names)}{hint}")


def _replace_values(model: type[BaseModel], values: dict[str, Any]) -> None:
    """Put a placeholder wherever ``HINTS`` names the field, in ``values`` and below."""
    hints = HINTS.get(model, {})
    for name, info in model.model_fields.items():
        if name not in values:
            continue
        value = values[name]
        sub = _model_of(info.annotation)
        if sub is not None and isinstance(value, dict):
            _replace_values(sub, value)
        elif sub is not None and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _replace_values(sub, item)
        elif name in hints and value is not None:
            values[name] = placeholder(hints[name])


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, itself or as list items or an optional value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def default_path(example: str | None) -> Path:
    """Where ``init`` writes without a PATH: ``NAME.yaml`` for an example, else engagement.yaml."""
    return Path(f"{example}.yaml" if example else "engagement.yaml")


def init_spec(target: Path, example: str | None = None, model: str | None = None) -> Path:
    """Write a starting spec to ``target``; never replaces an existing file."""
    text = starter_text(example, model)
    if target.is_symlink() and not target.exists():
        raise RefusedError.at(
            target,
            f"is a symbolic link to {target.readlink()}, which does not exist; contractkit does "
            "not write through links: remove the link or choose another path",
        )
    if target.exists():
        raise RefusedError.at(target, "already exists; choose another path or remove it first")
    try:
        write_atomic(target, text, exclusive=True)
    except FileExistsError:
        if target.exists():
            raise RefusedError.at(
                target, "already exists; choose another path or remove it first"
            ) from None
        raise RefusedError.at(target, "cannot write: a folder on the path is a file") from None
    except OSError as exc:
        raise RefusedError.at(target, f"cannot write: {exc.strerror}") from None
    return target
