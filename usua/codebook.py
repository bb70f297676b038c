"""The codebook: a Markdown guide to every record type, table and column, generated from the models."""

from __future__ import annotations

import types
import typing
from enum import Enum

from pydantic import BaseModel

from . import release_tables as tb
from .models import RECORD_MODELS
from .models import vocab
from .models.base import glossed
from .models.dates import DATE_METHOD_MEANINGS, DateValue
from .version import SCHEMA_VERSION


def _type_name(ann: typing.Any) -> str:
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(ann)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        inner = " or ".join(_type_name(a) for a in args)
        return inner + " or null" if len(args) < len(typing.get_args(ann)) else inner
    if origin is list:
        return f"list of {_type_name(typing.get_args(ann)[0])}"
    if isinstance(ann, type) and issubclass(ann, Enum):
        return f"{ann.__name__} (one of: {', '.join(str(m.value) for m in ann)})"
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return f"[{ann.__name__}](#{ann.__name__.lower()})"
    return getattr(ann, "__name__", str(ann))


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _nested_models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> None:
    for f in model.model_fields.values():
        for arg in _flatten(f.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg.__name__ not in seen:
                seen[arg.__name__] = arg
                _nested_models(arg, seen)


def _flatten(ann: typing.Any) -> list[typing.Any]:
    args = typing.get_args(ann)
    if not args:
        return [ann]
    return [x for a in args for x in _flatten(a)]


def _model_section(model: type[BaseModel], level: str = "###") -> list[str]:
    lines = [
        f"{level} {model.__name__}",
        "",
        (model.__doc__ or "").strip(),
        "",
        "| field | type | required | description |",
        "|---|---|---|---|",
    ]
    for name, f in model.model_fields.items():
        lines.append(
            f"| `{name}` | {_cell(_type_name(f.annotation))} | {'yes' if f.is_required() else 'no'} | {_cell(f.description)} |"
        )
    return lines + [""]


def _grades_section() -> list[str]:
    """Claims and the Admiralty grades: what each stance, letter and digit means in this dataset."""
    out = [
        "",
        "## Claims and grades",
        "",
        "A claim is one document's value for one field of a record (`claims` table); the records are derived "
        "from their claims (dataset/CURATION.md, rules 18-21): for a status the latest as-of wins (`status_history`), "
        "nested dates agree and the most precise wins, and claims no rule can order become a disagreement.",
        "",
        "| stance | meaning |",
        "|---|---|",
    ]
    out += [f"| `{k}` | {v} |" for k, v in vocab.CLAIM_STANCE_MEANINGS.items()]
    out += ["", "Source reliability (`source_grade`, Admiralty / NATO letter):", "", "| grade | meaning |", "|---|---|"]
    out += [f"| `{k}` | {v} |" for k, v in vocab.SOURCE_GRADE_MEANINGS.items()]
    out += [
        "",
        "Information credibility (`credibility`, Admiralty / NATO digit):",
        "",
        "| grade | meaning |",
        "|---|---|",
    ]
    out += [f"| `{k}` | {v} |" for k, v in vocab.CREDIBILITY_MEANINGS.items()]
    return out


def codebook_markdown() -> str:
    """The codebook as Markdown: every record type, event type, table and column."""
    out = [
        f"# usua codebook (schema {SCHEMA_VERSION})",
        "",
        "Generated from the models by `usua build`; do not edit by hand. It explains every record type "
        "contributors write, every table of a release and every column, and the closed vocabularies.",
        "",
        "## How to read the data",
        "",
        "- Every fact carries evidence: a document id and the exact quote, with character offsets into the "
        "document text (table `evidence`).",
        "- Dates keep their precision. A date is an EDTF value (`2022-10-21`, `2022-10`, `2022`, "
        "`../2024-06-12` = on or before, `2023-07/2024-12` = between) with `precision`, and `earliest`/"
        "`latest` calendar bounds for range queries. A month is a month: `2022-05` has earliest "
        "2022-05-01 and latest 2022-05-31, never an invented day. `method` says how the date was obtained: "
        + glossed(DATE_METHOD_MEANINGS, last=", ", quote="`")
        + "; `stated_as` and `basis` give the words and the reasoning.",
        f"- `status` (see the event statuses below). {vocab.EventStatus.__doc__}",
        "- Where sources disagree, the tables `disagreements` and `disagreement_versions` keep each version "
        "with its source; the main record holds the best-supported value and never hides the others.",
        "- Ids (`ent:lloyd-austin`) never change meaning once released, and every id of a release resolves in "
        "every later one: a merged id stays in `redirects`, a withdrawn one in `withdrawals` with why.",
        "",
        "## Event types",
        "",
        "Each event type maps to a CAMEO code and to the PLOVER type, mode and context that the official "
        "CAMEO-to-PLOVER table (openeventdata/PLOVER, `CAMEO2PLOVER-2021.txt`) gives that code; where the table "
        "leaves mode or context blank, a value from PLOVER's codebook may refine it. A blank PLOVER cell means "
        "PLOVER has no such event (it dropped CAMEO's public-statement family 01x), or the type has no CAMEO "
        "equivalent. A type is only as specific as its sources: `conversation` when they do not say how people "
        "spoke, `aid` when they do not say what kind of aid.",
        "",
        "| type | description | PLOVER | mode | context | CAMEO |",
        "|---|---|---|---|---|---|",
    ]
    for name, info in vocab.EVENT_TYPES.items():
        out.append(
            f"| `{name}` | {_cell(info.description)} | {info.plover or ''} | {info.plover_mode or ''} | {info.plover_context or ''} | {info.cameo or ''} |"
        )
    out += ["", "## Event statuses", "", "| status | meaning |", "|---|---|"]
    out += [f"| `{k}` | {v} |" for k, v in vocab.STATUS_MEANINGS.items()]
    out += _grades_section()
    out += [
        "",
        "## Release tables",
        "",
        "Each table is Parquet (`parquet/<table>.parquet`, or year partitions `parquet/<table>/year=YYYY/` "
        "for a very large table; `manifest.json` lists every file), CSV, JSON and JSON Lines. "
        "Enumerations are dictionary-encoded strings; dates are `date32`.",
        "",
    ]
    for t in tb.TABLES:
        out += [f"### `{t.name}`", "", t.description, "", f"Primary key: {', '.join(f'`{k}`' for k in t.primary_key)}."]
        if t.foreign_keys:
            out.append("Foreign keys: " + "; ".join(f"`{c}` → `{tab}.{col}`" for c, tab, col in t.foreign_keys) + ".")
        out += ["", "| column | type | null | description |", "|---|---|---|---|"]
        for c in t.columns:
            typ = (
                c.type
                if c.type != "enum"
                else "enum: " + ", ".join(c.values)
                if len(c.values) <= 12
                else "enum (see vocabulary)"
            )
            out.append(f"| `{c.name}` | {_cell(typ)} | {'yes' if c.nullable else 'no'} | {_cell(c.description)} |")
        out.append("")
    out += [
        "## Record types (what contribution files contain)",
        "",
        "A contribution file (YAML, JSON or JSON Lines) bundles records of any type. Unknown fields are "
        "errors. The JSON Schema of each type is in this folder.",
        "",
    ]
    nested: dict[str, type[BaseModel]] = {}
    for name, model in RECORD_MODELS.items():
        out += _model_section(model)
        _nested_models(model, nested)
    from .models.rules import CROSS_FIELD_RULES

    out += [
        "## Cross-field rules",
        "",
        "The models enforce these rules, which JSON Schema cannot express; a third-party validator "
        "using only the JSON Schema will not catch them (`usua validate` does).",
        "",
    ]
    for kind, rules in CROSS_FIELD_RULES.items():
        out += [f"- **{kind}**: " + " ".join(rules)]
    out += ["", "## Nested types", ""]
    for name in sorted(nested):
        if name in {m.__name__ for m in RECORD_MODELS.values()}:
            continue
        out += _model_section(nested[name], "###")
    assert DateValue.__name__ in nested
    return "\n".join(line.rstrip() for line in out).rstrip() + "\n"
