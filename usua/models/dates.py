"""One date type for every date in the dataset: EDTF value, precision, query bounds, provenance.

The value is a subset of EDTF (ISO 8601-2): ``2022``, ``2022-10``, ``2022-10-21``, each optionally
qualified ``~`` (approximate), ``?`` (uncertain) or ``%`` (both), and intervals ``A/B`` where either
end may be open (``..``). ``None`` means the sources give no date at all (precision ``unknown``).
Precision, earliest and latest are derived from the value; a record may state them, and then they
must agree with it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, get_args

from pydantic import ConfigDict, Field, model_validator

from .base import ShortText, StrictModel, glossed, value_list
from .edtf import (  # noqa: F401  (the EDTF names stay importable from here)
    _STATED,
    DATE_METHOD_MEANINGS,
    EDTF_PATTERN,
    EDTF_RE,
    SINGLE_RE,
    DateMethod,
    DatePrecision,
    EDTFError,
    _derive_uncached,
    cached_derivation,
    date_conflict,
    derived_date,
    parse_edtf,
)


#: The fields a date's value gives (usua.models.edtf.parse_edtf).
_DERIVED_KEYS = frozenset(("precision", "earliest", "latest", "approximate", "uncertain"))


class DateValue(StrictModel):
    """A date as the sources give it, with its precision, query bounds and how it was obtained."""

    # The published schema also requires a basis for every date that was not stated outright.
    model_config = ConfigDict(
        **StrictModel.model_config,
        json_schema_extra={
            "if": {"properties": {"method": {"not": {"const": "stated"}}}, "required": ["method"]},
            "then": {"required": ["basis"], "properties": {"basis": {"type": "string"}}},
        },
    )

    value: str | None = Field(
        description="The date in EDTF (ISO 8601-2) notation: 2022, 2022-10, 2022-10-21, optionally "
        "followed by ~ (approximate), ? (uncertain) or % (both); or an interval START/END whose ends "
        "may be open ('..', e.g. '../2024-06-12' = on or before). null = the sources give no date.",
        json_schema_extra={"pattern": EDTF_PATTERN},
        examples=["2022-10-21", "2022-02", "2014", "../2024-06-12", "2023-07/2024-12"],
    )
    precision: DatePrecision | None = Field(
        default=None,
        description=f"Granularity of the value: {value_list(DatePrecision, last=', or ')} when there is no date. "
        "For an interval, the coarsest of its known ends. Derived from value.",
    )
    earliest: date | None = Field(
        default=None,
        description="First calendar day the value can denote (null if open or unknown). "
        "A month-precision date has its first day here, never a made-up exact day. Derived from value.",
    )
    latest: date | None = Field(
        default=None,
        description="Last calendar day the value can denote (null if open or unknown). Derived from value.",
    )
    approximate: bool | None = Field(
        default=None, description="True when the value carries ~ or %. Derived from value."
    )
    uncertain: bool | None = Field(default=None, description="True when the value carries ? or %. Derived from value.")
    method: DateMethod = Field(
        description="How the date was obtained: " + glossed(DATE_METHOD_MEANINGS, last=", ", quote="'") + "."
    )
    stated_as: ShortText | None = Field(
        default=None, description="The words the source uses for the date, e.g. 'on Friday' or 'next month'."
    )
    basis: ShortText | None = Field(
        default=None,
        description="How the value was derived from the words; required unless method is 'stated'.",
    )

    @model_validator(mode="before")
    @classmethod
    def _derive(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "value" not in data:
            return data
        value = data["value"]
        if value is not None and not isinstance(value, str):
            return data  # the field validator reports the type error
        derived = derived_date(value)
        if _DERIVED_KEYS.isdisjoint(data):  # the usual date, written without what its value gives
            return {**data, **derived}
        conflict = date_conflict(data, derived)
        if conflict:
            raise ValueError(conflict)
        out = dict(data)
        for key, want in derived.items():
            if out.get(key) is None:
                out[key] = want
        return out

    @model_validator(mode="after")
    def _check(self) -> DateValue:
        if self.method != _STATED and not self.basis:
            raise ValueError(f"a date obtained by method '{self.method}' must say how in 'basis'")
        if self.earliest and self.latest and self.earliest > self.latest:
            raise ValueError("latest must not be before earliest")
        return self

    def sort_key(self) -> tuple:
        """The order of dates on a time line: by earliest, then latest day (unknown last)."""
        return (self.earliest or self.latest or date.max, self.latest or date.max)


def not_before(a: DateValue | None, b: DateValue | None) -> bool:
    """True unless b is certainly before a (b's latest day precedes a's earliest day)."""
    if a is None or b is None or a.earliest is None or b.latest is None:
        return True
    return b.latest >= a.earliest


@cache
def date_fields(model: Any) -> tuple[str, ...]:
    """The fields of a model type that hold a date (a DateValue, or an optional one)."""
    return tuple(
        name for name, info in model.model_fields.items() if DateValue in (info.annotation, *get_args(info.annotation))
    )
