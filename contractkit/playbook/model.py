"""The playbook of a clause: for each negotiable point, the preferred position, the fallbacks
counsel may accept and the walk-away limit, each with a rationale counsel can quote.

A point either turns on a parameter read from the text (days, hours, months, a percentage or an
amount) or on wording; fallbacks are ranges of that parameter, alternative texts or another
clause to swap in.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

POINT_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
CLAUSE_REF = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"


class PlaybookModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParameterUnit(StrEnum):
    """What a parameter counts; the reader of changed text finds numbers in these units."""

    hours = "hours"
    days = "days"
    months = "months"
    years = "years"
    percent = "percent"
    amount = "amount"


class Better(StrEnum):
    """Which way the parameter moves in the customer's favour."""

    up = "higher"
    down = "lower"


class Parameter(PlaybookModel):
    """The number a point turns on."""

    name: str = Field(min_length=1, description="What the number is, e.g. cap in months of fees.")
    unit: ParameterUnit = Field(description="Unit of the number as written in the clause.")
    better: Better = Field(description="Direction that favours the customer.")
    spec: str | None = Field(
        default=None,
        pattern=r"^[a-z_]+(\.[a-z_]+)+$",
        description="Dotted spec field the drafted value comes from.",
    )


class PointName(PlaybookModel):
    """The point's id and what it is about."""

    id: str = Field(pattern=POINT_ID, description="Stable point id, e.g. liability-cap-amount.")
    description: str = Field(min_length=1, description="The point in one line.")


class Preferred(PlaybookModel):
    """The clause as drafted."""

    rationale: str = Field(min_length=1, description="Why the customer asks for this.")


class Fallback(PlaybookModel):
    """One acceptable concession: a parameter range, an alternative text or another clause."""

    name: str = Field(pattern=POINT_ID, description="Short id of the fallback, quoted in reports.")
    min: float | None = Field(default=None, description="Lowest acceptable parameter value.")
    max: float | None = Field(default=None, description="Highest acceptable parameter value.")
    text: str | None = Field(
        default=None, min_length=1, description="Alternative wording counsel accepts."
    )
    clause: str | None = Field(
        default=None, pattern=CLAUSE_REF, description="Clause id whose text may be swapped in."
    )
    rationale: str = Field(min_length=1, description="Why this concession is acceptable.")

    @model_validator(mode="after")
    def _one_kind(self) -> Fallback:
        kinds = [self.min is not None or self.max is not None, bool(self.text), bool(self.clause)]
        if sum(kinds) != 1:
            raise ValueError(
                "a fallback is exactly one of: a parameter range (min and/or max), a text, "
                "or a clause id"
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is greater than max {self.max:g}")
        return self

    @property
    def is_range(self) -> bool:
        return self.min is not None or self.max is not None

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def describe(self, unit: ParameterUnit | None) -> str:
        """The fallback in a few words: ``6 to 12 months``, ``the text ...``."""
        if self.is_range:
            shown = unit.value if unit else ""
            if self.min is not None and self.max is not None:
                return f"{self.min:g} to {self.max:g} {shown}".strip()
            if self.min is not None:
                return f"at least {self.min:g} {shown}".strip()
            return f"at most {self.max:g} {shown}".strip()
        if self.clause:
            return f"clause {self.clause}"
        return f"“{self.text}”"


class WalkAway(PlaybookModel):
    """The limit past which the customer does not sign."""

    limit: float | None = Field(
        default=None, description="Parameter value past which (away from the customer) it walks."
    )
    phrases: list[str] = Field(
        default_factory=list, description="Wording whose insertion is beyond the walk-away."
    )
    removal: bool = Field(
        default=False, description="Whether deleting the point's text is beyond the walk-away."
    )
    rationale: str = Field(min_length=1, description="Why this is the limit.")

    @model_validator(mode="after")
    def _has_rule(self) -> WalkAway:
        if self.limit is None and not self.phrases and not self.removal:
            raise ValueError("a walk-away needs a rule: a limit, phrases or removal: true")
        return self

    def describe(self, unit: ParameterUnit | None, better: Better | None) -> str:
        parts = []
        if self.limit is not None and unit is not None and better is not None:
            side = "below" if better is Better.up else "above"
            parts.append(f"{side} {self.limit:g} {unit.value}")
        parts += [f"adding “{p}”" for p in self.phrases]
        if self.removal:
            parts.append("deleting it")
        return "; ".join(parts)


class PlaybookPoint(PlaybookModel):
    """One negotiable point of a clause."""

    point: PointName = Field(description="Id and one-line description of the point.")
    parameter: Parameter | None = Field(
        default=None, description="The number the point turns on, if it turns on one."
    )
    match: list[str] = Field(
        default_factory=list,
        description="Words that place a change in this point when the clause has several points.",
    )
    preferred: Preferred = Field(description="The position as drafted.")
    fallbacks: list[Fallback] = Field(
        default_factory=list, description="Acceptable concessions, most preferred first."
    )
    walk_away: WalkAway = Field(description="The limit past which the customer does not sign.")
