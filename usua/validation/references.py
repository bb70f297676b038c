"""Which fields of which records hold ids of other records, and whether those ids exist."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from ..models import SECTIONS, Evidence
from ..models.base import ANY_ID_RE, ID_PREFIXES, id_pattern
from .nested import fields_holding_models
from .reader import escape


_ID_PATTERNS = frozenset([ANY_ID_RE.pattern, *(id_pattern(p) for p in ID_PREFIXES.values())])

# What a plan step holds: one id, a list of ids, an evidence list, a nested model, a list of nested models.
_ID, _IDS, _EVIDENCE, _MODEL, _MODELS = range(5)
_Plan = tuple[tuple[int, str, Any], ...]


def _is_id(annotation: Any, metadata: Sequence[Any] = ()) -> bool:
    args = get_args(annotation)
    if get_origin(annotation) is Annotated:
        metadata = list(metadata) + list(args[1:])
    elif args and type(None) in args:  # X | None
        return any(_is_id(a) for a in args if a is not type(None))
    return any(getattr(m, "pattern", None) in _ID_PATTERNS for m in metadata)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for a in (annotation, *get_args(annotation)):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


@cache
def _plan(model: type[BaseModel], top: bool = True) -> _Plan:
    """The id-holding and evidence-holding fields of a model, read once from its types: which fields
    refer to which records is what the id types say, not a list kept by hand."""
    steps: list[tuple[int, str, Any]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if top and name == "id":
            continue
        if get_origin(annotation) is list:
            item = get_args(annotation)[0]
            sub = _model_of(item)
            if sub is Evidence:
                steps.append((_EVIDENCE, name, None))
            elif sub is not None:
                if _plan(sub, False):
                    steps.append((_MODELS, name, _plan(sub, False)))
            elif _is_id(item):
                steps.append((_IDS, name, None))
        elif _is_id(annotation, info.metadata):
            steps.append((_ID, name, None))
        else:
            sub = _model_of(annotation)
            if sub is not None and sub is not Evidence and _plan(sub, False):
                steps.append((_MODEL, name, _plan(sub, False)))
    # A record's own evidence first, then what nested parts hold: the order problems are reported in.
    return tuple(sorted(steps, key=lambda s: s[0] != _EVIDENCE))


def _ids_source(plan: _Plan, var: str, pad: str, depth: int = 0, evidence: bool = False) -> list[str]:
    """The lines of code that collect a record's referenced ids (``evidence``: its evidence items instead)."""
    lines = []
    for kind, name, sub in plan:
        value = f"{var}.{name}"
        if kind == _ID and not evidence:
            lines += [f"{pad}if {value}:", f"{pad}    append({value})"]
        elif kind == _IDS and not evidence:
            lines.append(f"{pad}extend({value})")
        elif kind == _EVIDENCE:
            lines.append(f"{pad}extend({value})" if evidence else f"{pad}extend([ev.document for ev in {value}])")
        elif kind == _MODELS:
            item = f"item{depth}"
            inner = _ids_source(sub, item, pad + "    ", depth + 1, evidence)
            lines += [f"{pad}for {item} in {value}:", *inner] if inner else []
        elif kind == _MODEL:
            inner = _ids_source(sub, value, pad + "    ", depth + 1, evidence)
            lines += [f"{pad}if {value} is not None:", *inner] if inner else []
    return lines


def _compile_ids(plan: _Plan, evidence: bool = False) -> Callable[[Any], list[Any]]:
    """The plan as straight-line code (field names are Python identifiers): a generic walk would cost
    a third more on the validation of every record."""
    body = _ids_source(plan, "rec", "    ", evidence=evidence) or ["    pass"]
    source = "\n".join(
        ["def ids(rec):", "    out = []", "    append = out.append", "    extend = out.extend", *body, "    return out"]
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<usua references>", "exec"), namespace)
    return namespace["ids"]


def _refs(plan: _Plan, rec: Any, pointer: str) -> Iterator[tuple[str, str]]:
    for kind, name, sub in plan:
        value = getattr(rec, name)
        if kind == _ID:
            if value:
                yield f"{pointer}/{name}", value
        elif kind == _IDS:
            for i, v in enumerate(value):
                yield f"{pointer}/{name}/{i}", v
        elif kind == _MODELS:
            for i, item in enumerate(value):
                yield from _refs(sub, item, f"{pointer}/{name}/{i}")
        elif kind == _MODEL and value is not None:
            yield from _refs(sub, value, f"{pointer}/{name}")


def _evidence(plan: _Plan, rec: Any, pointer: str) -> Iterator[tuple[str, list[Evidence]]]:
    for kind, name, sub in plan:
        if kind == _EVIDENCE:
            yield f"{pointer}/{name}", getattr(rec, name)
        elif kind == _MODELS:
            for i, item in enumerate(getattr(rec, name)):
                yield from _evidence(sub, item, f"{pointer}/{name}/{i}")
        elif kind == _MODEL and getattr(rec, name) is not None:
            yield from _evidence(sub, getattr(rec, name), f"{pointer}/{name}")


#: Section -> the plan of its model, precomputed: referenced_ids runs once per validated record.
_PLANS: dict[str, _Plan] = {section: _plan(model) for section, model in SECTIONS.items()}
_IDS_OF: dict[str, Callable[[Any], list[str]]] = {section: _compile_ids(plan) for section, plan in _PLANS.items()}
_EVIDENCE_OF: dict[str, Callable[[Any], list[Evidence]]] = {
    section: _compile_ids(plan, evidence=True) for section, plan in _PLANS.items()
}


def referenced_ids(section: str, rec: Any) -> list[str]:
    """Every id a record refers to, evidence documents included: the fast path (no pointers built)."""
    return _IDS_OF[section](rec)


def evidence_items(section: str, rec: Any) -> list[Evidence]:
    """Every evidence item of a record, nested ones included, without pointers: the fast path of
    iter_evidence (the record's own evidence first)."""
    return _EVIDENCE_OF[section](rec)


def references(section: str, rec: Any) -> Iterator[tuple[str, str]]:
    """(pointer inside the record, referenced id) for every id-holding field except evidence documents."""
    return _refs(_PLANS[section], rec, "")


def evidence_lists(section: str, rec: Any) -> Iterator[tuple[str, list[Evidence]]]:
    """(pointer, evidence list) for each place a record of this section holds evidence (fast path)."""
    return _evidence(_PLANS[section], rec, "")


def iter_evidence(model: BaseModel, pointer: str = "") -> Iterator[tuple[str, Evidence]]:
    """(pointer, evidence) for every evidence item anywhere inside a record."""
    for name in fields_holding_models(type(model)):
        value = getattr(model, name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Evidence):
                    yield f"{pointer}/{name}/{i}", item
                elif isinstance(item, BaseModel):
                    yield from iter_evidence(item, f"{pointer}/{name}/{i}")
        elif isinstance(value, BaseModel) and not isinstance(value, Evidence):
            yield from iter_evidence(value, f"{pointer}/{name}")


def replace_evidence(model: BaseModel, new: dict[str, Evidence], pointer: str = "") -> BaseModel:
    """A copy of the record with the evidence at the given pointers replaced (records are frozen)."""
    update: dict[str, Any] = {}
    for name in fields_holding_models(type(model)):
        value = getattr(model, name)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            items = []
            changed = False
            for i, item in enumerate(value):
                ptr = f"{pointer}/{name}/{i}"
                if isinstance(item, Evidence):
                    repl: BaseModel = new.get(ptr, item)
                else:
                    repl = replace_evidence(item, new, ptr)
                changed |= repl is not item
                items.append(repl)
            if changed:
                update[name] = items
    return model.model_copy(update=update) if update else model


def raw_references(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, id) for every id-shaped text other than a record's own id, in a record that failed
    validation: its references are still checked, so that every problem is reported in one run."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id" and pointer == "":
                continue
            yield from raw_references(value, f"{pointer}/{escape(key)}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from raw_references(value, f"{pointer}/{i}")
    elif isinstance(node, str) and ANY_ID_RE.fullmatch(node):
        yield pointer, node
