"""EDTF date values without the models: the patterns, the precisions and methods, and the derivation of
a value's precision and bounds (cached per distinct value). usua.models.dates builds the DateValue model
on them; the screen of usua validate uses them without loading pydantic."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Any

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
_STATED = "stated"
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
    return dict(derived_date(value))


@lru_cache(maxsize=1 << 16)
def cached_derivation(value: str | None) -> tuple[dict[str, Any] | None, str]:
    """(derived fields, "") or (None, why the value is not a date), cached per distinct value: a
    dataset repeats a few thousand distinct dates a million times (bounded, so that odd input cannot
    grow it without end). The dict is shared: it must not be changed."""
    try:
        return _derive_uncached(value), ""
    except EDTFError as exc:
        return None, str(exc)


def derived_date(value: str | None) -> dict[str, Any]:
    """parse_edtf, cached per distinct value; the dict is shared, so it must not be changed."""
    fields, error = cached_derivation(value)
    if fields is None:
        raise EDTFError(error)
    return fields


def date_conflict(data: dict[str, Any], derived: dict[str, Any]) -> str | None:
    """Why the fields a date states disagree with those derived from its value, or None when they agree."""
    for key, want in derived.items():
        given = data.get(key)
        if given is None:
            continue
        got = given.value if isinstance(given, Enum) else given
        wanted = want
        if isinstance(want, date) and isinstance(given, str):
            wanted = want.isoformat()
        if got != wanted:
            return f"{key} is {got!r} but the value {data['value']!r} gives {wanted!r}; remove it or correct it"
    return None


def _derive_uncached(value: str | None) -> dict[str, Any]:
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
