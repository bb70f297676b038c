"""The event-type mapping against the official CAMEO-to-PLOVER table and PLOVER's codebook, both kept in
dataset/vocab/ (see its README for source, commit and licence)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from usua.models.vocab import EVENT_TYPES, EventTypeInfo

VOCAB = Path(__file__).resolve().parents[1] / "dataset" / "vocab"
TABLE = VOCAB / "CAMEO2PLOVER-2021.txt"
#: CAMEO families PLOVER dropped (public statements, appeals): codes in them have no PLOVER type.
DROPPED_FAMILIES = {"01", "02"}


def parse_table(text: str) -> dict[str, tuple[str, set[str], set[str]]]:
    """CAMEO code -> (PLOVER event type, modes, contexts) from lines like '192: COERCE, seize, military # Occupy'.
    A blank mode or context is an empty set; 'crime; corruption' lists two contexts. Two-digit lines are
    family headings ('08: CONCEDE' and '08: RETREAT' split one CAMEO family), not codes."""
    rows: dict[str, tuple[str, set[str], set[str]]] = {}
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        m = re.fullmatch(r"(\d{3,4}):\s*(.*)", body)
        if not m:
            continue
        fields = [f.strip() for f in m[2].split(",")]
        fields += [""] * (3 - len(fields))
        plover, mode, context = fields[:3]
        row = (
            plover,
            {x.strip() for x in mode.split(";") if x.strip()},
            {x.strip() for x in context.split(";") if x.strip()},
        )
        if m[1] in rows and rows[m[1]] != row:
            raise ValueError(f"CAMEO {m[1]} is mapped twice, differently")
        rows[m[1]] = row
    return rows


def mapping_problems(types: dict[str, EventTypeInfo], table: dict, codebook: dict) -> list[str]:
    modes, contexts = codebook["event_types"], set(codebook["contexts"])
    out = []
    for name, info in types.items():
        if info.cameo is None:
            if info.plover or info.plover_mode or info.plover_context:
                out.append(f"{name}: a PLOVER mapping without a CAMEO code")
            continue
        row = table.get(info.cameo)
        if row is None:
            if info.cameo[:2] not in DROPPED_FAMILIES:
                out.append(f"{name}: CAMEO {info.cameo} is not in the CAMEO-to-PLOVER table")
            elif info.plover or info.plover_mode or info.plover_context:
                out.append(f"{name}: CAMEO {info.cameo} is in a family PLOVER dropped, so it has no PLOVER type")
            continue
        plover, table_modes, table_contexts = row
        if info.plover != plover:
            out.append(f"{name}: CAMEO {info.cameo} is PLOVER {plover}, not {info.plover}")
            continue
        if table_modes and info.plover_mode not in table_modes:
            out.append(f"{name}: CAMEO {info.cameo} has mode {sorted(table_modes)}, not {info.plover_mode}")
        elif info.plover_mode is not None and info.plover_mode not in modes.get(plover, []):
            out.append(f"{name}: {info.plover_mode} is not a mode of PLOVER {plover}")
        if table_contexts and info.plover_context not in table_contexts:
            out.append(f"{name}: CAMEO {info.cameo} has context {sorted(table_contexts)}, not {info.plover_context}")
        elif info.plover_context is not None and info.plover_context not in contexts:
            out.append(f"{name}: {info.plover_context} is not a PLOVER context")
    return out


@pytest.fixture(scope="module")
def table() -> dict:
    return parse_table(TABLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def codebook() -> dict:
    return yaml.safe_load((VOCAB / "plover-codebook.yaml").read_text(encoding="utf-8"))


def test_the_kept_table_is_the_published_one():
    readme = (VOCAB / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(TABLE.read_bytes()).hexdigest() in readme


def test_the_table_is_read_whole(table):
    # one row per code the table lists (a spot check on each family PLOVER kept)
    assert len(table) > 250
    assert table["192"] == ("COERCE", {"seize"}, {"military"})
    assert table["041"] == ("CONSULT", {"phone"}, set())
    assert table["091"] == ("ACCUSE", {"investigate"}, {"crime", "corruption"})
    assert not any(code[:2] in DROPPED_FAMILIES for code in table)


def test_every_event_type_agrees_with_the_table_and_codebook(table, codebook):
    assert mapping_problems(EVENT_TYPES, table, codebook) == []


def test_occupying_territory_is_coerce(table, codebook):
    occupation = EVENT_TYPES["occupation"]
    assert (occupation.cameo, occupation.plover, occupation.plover_mode) == ("192", "COERCE", "seize")


@pytest.mark.parametrize(
    "wrong, says",
    [
        (EventTypeInfo("x", "ASSAULT", None, "military", "192"), "CAMEO 192 is PLOVER COERCE, not ASSAULT"),
        (EventTypeInfo("x", "DEMAND", None, "diplomatic", "100"), "CAMEO 100 is PLOVER REQUEST, not DEMAND"),
        (EventTypeInfo("x", "THREATEN", "territory", "military", "138"), "has mode ['violence'], not territory"),
        (EventTypeInfo("x", "CONSULT", "phone", "military", "041"), None),  # the table leaves the context open
        (EventTypeInfo("x", "CONSULT", "telegram", None, "040"), "telegram is not a mode of PLOVER CONSULT"),
        (EventTypeInfo("x", "AID", None, "charity", "070"), "charity is not a PLOVER context"),
        (EventTypeInfo("x", "AID", None, "economic", "072"), "has context ['military'], not economic"),
        (EventTypeInfo("x", None, None, None, "999"), "CAMEO 999 is not in the CAMEO-to-PLOVER table"),
        (EventTypeInfo("x", "CONSULT", None, None, "010"), "in a family PLOVER dropped"),
        (EventTypeInfo("x", None, None, None, "010"), None),
    ],
)
def test_the_check_catches_each_kind_of_mismatch(table, codebook, wrong, says):
    problems = mapping_problems({"t": wrong}, table, codebook)
    if says is None:
        assert problems == []
    else:
        assert len(problems) == 1 and says in problems[0], problems


def test_the_plover_type_column_accepts_every_plover_type(codebook):
    from usua.models.vocab import PLOVER_TYPES

    assert set(codebook["event_types"]) <= set(PLOVER_TYPES)
