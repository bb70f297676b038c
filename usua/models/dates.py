"""One date type for every date in the dataset: EDTF value, precision, query bounds, provenance.

The value is a subset of EDTF (ISO 8601-2): ``2022``, ``2022-10``, ``2022-10-21``, each optionally
qualified ``~`` (approximate), ``?`` (uncertain) or ``%`` (both), and intervals ``A/B`` where either
end may be open (``..``). ``None`` means the sources give no date at all (precision ``unknown``).
Precision, earliest and latest are derived from the value; a record may state them, and then they
must agree with it.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from .base import ShortText, StrictModel, glossed, value_list

_SINGLE = r"(?P<y>[1-9][0-9]{3})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%])?"
SINGLE_RE = re.compile(rf"^{_SINGLE}$")
# Full dates are checked by the pattern itself (month lengths and leap years), so that the published
# JSON Schema rejects exactly the dates the models reject.
_LEAP = r"(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)"
_MD = r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
_YEAR = r"[1-9][0-9]{3}"
_DAY = rf"(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?|{_YEAR}-{_MD}|{_LEAP}-02-29)[~?%]?"
_END = rf"(?:\.\.|{_DAY})"
#: The accepted EDTF subset, as one regular expression (also published in the JSON Schema).
EDTF_PATTERN = rf"^(?:{_DAY}|{_DAY}/{_END}|\.\./{_DAY})$"
EDTF_RE = re.compile(EDTF_PATTERN)


class DatePrecision(str, Enum):
    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class DateMethod(str, Enum):
    stated = "stated"
    resolved_relative = "resolved_relative"
    inferred = "inferred"
    external = "external"


#: What each DateMethod value means (the schema and the codebook take it from here).
DATE_METHOD_MEANINGS = {
    "stated": "written in the source as a calendar date",
    "resolved_relative": "a relative expression such as 'Friday' resolved against the document's publication date",
    "inferred": "reasoned from the content",
    "external": "from the public record outside the sources; used only for document metadata",
}


class EDTFError(ValueError):
    pass


# Plain strings (the enum values), not enum members: this runs for every date of every record, and
# enum attribute access is slow in Python 3.11. The models store enum values anyway (use_enum_values).
_DAY, _MONTH, _YEAR, _UNKNOWN = "day", "month", "year", "unknown"
_RANK = {_DAY: 0, _MONTH: 1, _YEAR: 2}
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_NO_DATE = {"precision": _UNKNOWN, "earliest": None, "latest": None, "approximate": False, "uncertain": False}


def _last_day(y: int, m: int) -> int:
    if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0):
        return 29
    return _MONTH_DAYS[m - 1]


def _single_bounds(text: str) -> tuple[date, date, str, str]:
    m = SINGLE_RE.fullmatch(text)
    if not m:
        raise EDTFError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d, q = int(m["y"]), m["m"], m["d"], m["q"] or ""
    if mo is None:
        return date(y, 1, 1), date(y, 12, 31), _YEAR, q
    mo_i = int(mo)
    if not 1 <= mo_i <= 12:
        raise EDTFError(f"month {mo} in {text!r} is not between 01 and 12")
    last = _last_day(y, mo_i)
    if d is None:
        return date(y, mo_i, 1), date(y, mo_i, last), _MONTH, q
    d_i = int(d)
    if not 1 <= d_i <= last:
        raise EDTFError(f"day {d} in {text!r} does not exist in {y}-{mo}")
    day = date(y, mo_i, d_i)
    return day, day, _DAY, q


def parse_edtf(value: str | None) -> dict[str, Any]:
    """Derive precision, earliest, latest, approximate and uncertain from an EDTF value."""
    if value is None:
        return dict(_NO_DATE)
    if not EDTF_RE.fullmatch(value):
        raise EDTFError(
            f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD "
            "(optionally ending in ~ or ?), or an interval START/END where an end may be '..'"
        )
    if "/" not in value:
        earliest, latest, prec, q = _single_bounds(value)
        return {
            "precision": prec,
            "earliest": earliest,
            "latest": latest,
            "approximate": q == "~" or q == "%",
            "uncertain": q == "?" or q == "%",
        }
    start, end = value.split("/")
    if start == ".." and end == "..":
        raise EDTFError("an interval needs at least one known end; use null for an unknown date")
    lo = hi = None
    precs, quals = [], ""
    if start != "..":
        lo, _, p, q = _single_bounds(start)
        precs.append(p)
        quals += q
    if end != "..":
        _, hi, p, q = _single_bounds(end)
        precs.append(p)
        quals += q
    if lo and hi and lo > hi:
        raise EDTFError(f"interval {value!r} ends before it starts")
    return {
        "precision": max(precs, key=_RANK.__getitem__),
        "earliest": lo,
        "latest": hi,
        "approximate": "~" in quals or "%" in quals,
        "uncertain": "?" in quals or "%" in quals,
    }


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
        derived = parse_edtf(value)
        out = dict(data)
        for key, want in derived.items():
            given = out.get(key)
            if given is None:
                out[key] = want
                continue
            got = given.value if isinstance(given, Enum) else given
            wanted = want
            if isinstance(want, date) and isinstance(given, str):
                wanted = want.isoformat()
            if got != wanted:
                raise ValueError(f"{key} is {got!r} but the value {value!r} gives {wanted!r}; remove it or correct it")
        return out

    @model_validator(mode="after")
    def _check(self) -> DateValue:
        if self.method != DateMethod.stated and not self.basis:
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
