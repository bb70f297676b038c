"""Validating the records of one file against the models (and, for YAML/JSON, the JSON Schema)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..models.registry import RETIRING_SECTIONS, TYPE_OF_SECTION
from ..version import SCHEMA_VERSION
from .problems import DEFAULT_LIMITS, Problem
from .quotes import weak_quote
from .reader import (
    MAX_NUMBER_LENGTH,
    RECORD_TYPES,
    DuplicateJSONKey,
    LongNumber,
    ContributionFile,
    Origin,
    escape,
    load_json,
    long_number,
    scan_values,
    too_deep,
)

# pydantic, the models and their messages are imported where a record goes to the models: a file whose
# every line the screen accepts is checked without them (usua validate starts in a fraction of the time)

SECTION_TYPES = TYPE_OF_SECTION
_MAJOR, _MINOR = (int(x) for x in SCHEMA_VERSION.split(".")[:2])
_VERSION_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_FIRST_KEY = re.compile(rb'^\s*\{\s*"([A-Za-z_]+)"\s*:')
#: What the fast path of a JSON Lines line cannot judge, so the line takes the slow path: a control
#: character, escaped (\u0000, and \b and \f) or raw (DEL, UTF-8 C1), or a run of digits longer than a
#: number may be. Plain substring tests first: a regular expression over every line costs far more.
_ESCAPED_CONTROL = re.compile(rb"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")
_RAW_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_NON_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)
_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x78 for b in range(256))  # digit -> "0", else "x"
_LONG_RUN = b"0" * (MAX_NUMBER_LENGTH + 1)


#: Lines tested together by _suspect_line before any is tested alone.
_SUSPECT_BLOCK = 256


def _suspect_line(raw: bytes) -> bool:
    # each test is gated by a cheaper one that almost every line fails: no backslash, no DEL, only
    # ASCII, at most MAX_NUMBER_LENGTH digits in all
    return bool(
        (b"\\" in raw and ((b"\\u00" in raw and _ESCAPED_CONTROL.search(raw)) or b"\\b" in raw or b"\\f" in raw))
        or b"\x7f" in raw
        or (not raw.isascii() and b"\xc2" in raw and _RAW_C1.search(raw))
        or (len(raw.translate(None, _NON_DIGITS)) > MAX_NUMBER_LENGTH and _LONG_RUN in raw.translate(_DIGITS_ONLY))
    )


@dataclass
class FileRecords:
    """What one file contributes: valid records with where they sit, ids of invalid ones, problems."""

    records: dict[str, list[Any]] = field(default_factory=lambda: {s: [] for s in SECTION_TYPES})
    # parallel to records: where each sits
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {s: [] for s in SECTION_TYPES})
    invalid_ids: dict[str, Origin] = field(default_factory=dict)  # id -> where it is
    invalid_items: list[tuple[Any, Origin]] = field(default_factory=list)  # (raw record, origin) that failed
    #: Every id the lines of this file's screened RecordStubs may refer to (a superset: see screen.QUOTED_ID)
    mentioned: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


@cache
def _line_model(rtype: str) -> Any:
    """A one-field wrapper so a JSON Lines record is validated by pydantic-core straight from bytes."""
    from pydantic import create_model

    from ..models import SECTIONS, StrictModel

    fields: dict[str, Any] = {rtype: (SECTIONS[RECORD_TYPES[rtype]], ...)}  # Any: not create_model's own keywords
    return create_model(f"{rtype.title()}Line", __base__=StrictModel, **fields)


@cache
def _schema_validator(rtype: str):
    from jsonschema import Draft202012Validator, FormatChecker

    from ..schema import json_schema

    return Draft202012Validator(json_schema(rtype), format_checker=FormatChecker())


def _add(
    out: FileRecords,
    file: ContributionFile,
    pointer: str,
    line: int | None,
    code: str,
    message: str,
    hint: str | None,
    severity: str = "error",
) -> None:
    out.problems.append(
        Problem(file.name, line if line is not None else file.line_of(pointer), pointer, code, message, hint, severity)
    )


def _record_errors(
    out: FileRecords,
    file: ContributionFile,
    rtype: str,
    exc: Any,
    base: str,
    line: int | None,
    strip: int = 0,
) -> None:
    """The problems of a pydantic ValidationError ``exc``, in the contributor's words."""
    from .messages import translate

    for details in exc.errors():
        err: dict[str, Any] = dict(details)
        err["loc"] = err["loc"][strip:]
        pointer, code, message, hint = translate(err, rtype, base)
        _add(out, file, pointer, line, code, message, hint)


def _note_invalid_id(out: FileRecords, item: Any, origin: Origin) -> None:
    # an invalid record's id still exists, so references to it are not reported a second time
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        out.invalid_ids.setdefault(item["id"], origin)
    out.invalid_items.append((item, origin))


def _check_version(out: FileRecords, file: ContributionFile, data: dict, base: str, line: int | None) -> None:
    version = data.get("schema_version")
    if version is None:
        _add(
            out,
            file,
            base,
            line,
            "missing-schema-version",
            "the file does not say which schema version it follows",
            f'add schema_version: "{SCHEMA_VERSION}" at the top',
        )
        return
    m = _VERSION_RE.fullmatch(version) if isinstance(version, str) else None
    if not m:
        _add(
            out,
            file,
            f"{base}/schema_version",
            line,
            "bad-schema-version",
            f'schema_version {version!r} is not a version number like "{SCHEMA_VERSION}"',
            "write it in quotes, as MAJOR.MINOR.PATCH",
        )
    elif int(m[1]) != _MAJOR:
        _add(
            out,
            file,
            f"{base}/schema_version",
            line,
            "incompatible-schema-version",
            f"the file follows schema {version}, but this usua reads schema {_MAJOR}.x",
            "convert the file to the current schema, or use a usua release of that major version",
        )
    elif int(m[2]) > _MINOR:
        _add(
            out,
            file,
            f"{base}/schema_version",
            line,
            "newer-schema-version",
            f"the file follows schema {version}, newer than this usua's {SCHEMA_VERSION}",
            "upgrade usua so that fields added since are known",
            "warning",
        )


def validate_record(
    out: FileRecords, file: ContributionFile, section: str, item: Any, pointer: str, line: int | None
) -> None:
    """Validate one record of a section; add it or its problems to ``out``."""
    from pydantic import ValidationError

    from ..models import SECTIONS
    from .messages import translate_schema_error

    rtype = SECTION_TYPES[section]
    model = SECTIONS[section]
    record: Any  # a record model: each has an id
    # Fast path: strict JSON-mode validation accepts exactly what the published schema accepts (YAML
    # dates are read as text), so a record that passes needs no separate JSON Schema pass.
    try:
        record = model.__pydantic_validator__.validate_json(json.dumps(item), strict=True)
    except (ValidationError, TypeError, ValueError):
        pass
    else:
        _keep(out, file, section, record, pointer, line)
        return
    try:
        record = model.model_validate(item)
    except ValidationError as exc:
        _note_invalid_id(out, item, Origin(file, pointer, line))
        _record_errors(out, file, rtype, exc, pointer, line)
        return
    # pydantic converts some values (a number written as text) that the published schema refuses:
    # report those too, so that what passes here passes every other JSON Schema validator.
    schema_errors = list(_schema_validator(rtype).iter_errors(item))
    if schema_errors:
        out.invalid_ids.setdefault(record.id, Origin(file, pointer, line))
        for err in schema_errors:
            ptr, code, message, hint = translate_schema_error(err, pointer)
            _add(out, file, ptr, line, code, message, hint)
        return
    _keep(out, file, section, record, pointer, line)


def _keep(out: FileRecords, file: ContributionFile, section: str, record: Any, pointer: str, line: int | None) -> None:
    if strong_quotes(out, file, section, record, pointer, line):
        out.records[section].append(record)
        out.origins[section].append(Origin(file, pointer, line))


#: Sections whose records hold no evidence.
_WITHOUT_EVIDENCE = frozenset(("documents", *RETIRING_SECTIONS))
#: Sections whose records hold evidence only in their own ``evidence`` list.
_EVIDENCE_ONLY_AT_TOP = frozenset(("entities", "roles", "events", "statements", "figures"))


def strong_quotes(
    out: FileRecords, file: ContributionFile, section: str, record: Any, pointer: str, line: int | None
) -> bool:
    """Whether every quote of a valid record can single something out (usua.validation.quotes); a record
    with a weak quote is reported and then treated as invalid (its id still exists for references)."""
    if section in _EVIDENCE_ONLY_AT_TOP:  # the common case, without building pointers
        if all(weak_quote(ev.quote) is None for ev in record.evidence):
            return True
    elif section in _WITHOUT_EVIDENCE:
        return True
    from .references import evidence_lists  # (here, not above: an import statement costs once per record)

    ok = True
    for ptr, evidence in evidence_lists(section, record):
        for i, ev in enumerate(evidence):
            weak = weak_quote(ev.quote)
            if weak is not None:
                _add(out, file, f"{pointer}{ptr}/{i}/quote", line, *weak)
                ok = False
    if not ok:
        out.invalid_ids.setdefault(record.id, Origin(file, pointer, line))
    return ok


def validate_contribution(
    out: FileRecords, file: ContributionFile, data: Any, base: str = "", line: int | None = None
) -> None:
    """Validate a contribution object (a YAML or JSON file, or a JSON Lines header line)."""
    if not isinstance(data, dict):
        _add(
            out,
            file,
            base,
            line,
            "not-a-contribution",
            "the file must be a mapping with schema_version and sections such as entities or events",
            "see the example contribution in the contribution guide",
        )
        return
    _check_version(out, file, data, base, line)
    for key, value in data.items():
        if key == "schema_version":
            continue
        pointer = f"{base}/{escape(key)}"
        if key not in SECTION_TYPES:
            import difflib

            close = difflib.get_close_matches(str(key), list(SECTION_TYPES), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "the sections are: " + ", ".join(SECTION_TYPES)
            _add(out, file, pointer, line, "unknown-section", f"'{key}' is not a section of a contribution", hint)
            continue
        if not isinstance(value, list):
            _add(
                out,
                file,
                pointer,
                line,
                "not-a-list",
                f"'{key}' must be a list of records",
                "start each record with '- ' (YAML) or put them in [ ] (JSON)",
            )
            continue
        for i, item in enumerate(value):
            validate_record(out, file, key, item, f"{pointer}/{i}", line)


def _slow_line(out: FileRecords, file: ContributionFile, n: int, raw: bytes) -> None:
    try:
        obj = load_json(raw)
    except LongNumber as exc:
        _add(out, file, "", n, *long_number(exc.length))
        return
    except DuplicateJSONKey as exc:
        _add(
            out,
            file,
            "",
            n,
            "duplicate-key",
            f"key '{exc.args[0]}' appears twice in the same object",
            "keep one of them",
        )
        return
    except UnicodeDecodeError as exc:
        _add(
            out,
            file,
            "",
            n,
            "not-utf8",
            f"this line is not valid UTF-8 text ({exc.reason})",
            "save the file as UTF-8",
        )
        return
    except json.JSONDecodeError as exc:
        _add(
            out,
            file,
            "",
            n,
            "syntax",
            f"invalid JSON at column {exc.colno}: {exc.msg}",
            "each line must be one complete JSON object",
        )
        return
    except RecursionError:
        _add(out, file, "", n, *too_deep(DEFAULT_LIMITS.max_depth))
        return
    found = scan_values(obj, DEFAULT_LIMITS.max_depth)
    if found is not None:
        code, message, hint, pointer = found
        _add(out, file, pointer, n, code, message, hint)
        return
    if isinstance(obj, dict) and "schema_version" in obj:
        validate_contribution(out, file, obj, "", n)
        return
    if not isinstance(obj, dict) or len(obj) != 1:
        _add(
            out,
            file,
            "",
            n,
            "not-a-record-line",
            'each line must be an object with one key naming the record type, e.g. {"event": {...}}',
            "record types: " + ", ".join(RECORD_TYPES),
        )
        return
    ((rtype, item),) = obj.items()
    if rtype not in RECORD_TYPES:
        import difflib

        close = difflib.get_close_matches(str(rtype), list(RECORD_TYPES), n=1)
        _add(
            out,
            file,
            f"/{escape(rtype)}",
            n,
            "unknown-record-type",
            f"'{rtype}' is not a record type",
            f"did you mean '{close[0]}'?" if close else "record types: " + ", ".join(RECORD_TYPES),
        )
        return
    validate_record(out, file, RECORD_TYPES[rtype], item, f"/{rtype}", n)


@cache
def _validate_json(rtype: str):
    return _line_model(rtype).__pydantic_validator__.validate_json


def _fast_validate(rtype: str, raw: bytes) -> Any:
    """The validated line, or None when it needs the slow path. Strict mode first, because lax mode
    converts values (the text "2" to a number) that the published schema refuses."""
    from pydantic import ValidationError

    try:
        return _validate_json(rtype)(raw, strict=True)
    except ValidationError:
        return None  # the slow path explains it (and accepts what only strict mode refuses)


class RecordStub:
    """What the cross-record checks need of a valid record when the records themselves are not kept:
    its id and the ids it refers to (given, or found in its line when first asked for). The record is
    validated again from its line if a problem must be reported on it."""

    __slots__ = ("id", "_refs", "line")

    def __init__(self, rec_id: str, refs: list[str] | None = None, line: bytes = b""):
        self.id, self._refs, self.line = rec_id, refs, line  # line: a screened line (it has no \\u escapes)

    @property
    def refs(self) -> list[str]:
        if self._refs is None:
            from .screen import QUOTED_ID

            self._refs = QUOTED_ID.findall(self.line.decode())
        return self._refs


#: Sections always kept whole: redirects and withdrawals (they retire ids, and their messages name
#: where an id went or why it was withdrawn).
_ALWAYS_KEPT = RETIRING_SECTIONS


def revalidate_line(origin: Origin, section: str) -> Any:
    """The full record of a JSON Lines record that was kept only as a RecordStub."""
    rtype = SECTION_TYPES[section]
    assert origin.line is not None  # a JSON Lines record always has its line
    return getattr(_fast_validate(rtype, origin.file.lines[origin.line - 1]), rtype)


#: Lines a block decoding reads at once: a failing line costs decoding the lines before it again, so
#: blocks stay small (about 1 line in 300 fails in a typical large batch).
_DECODE_BLOCK = 64
#: Files with fewer lines are screened line by line (the block screen builds every type's Structs).
_BLOCK_FILE_LINES = 256
#: The key of each line of a block joined as "\\n" + lines (a literal start, so re searches fast); a line
#: written otherwise is read alone.
_LINE_KEYS = re.compile(rb'\n\{"([A-Za-z_]+)":')


def validate_lines(out: FileRecords, file: ContributionFile, keep_records: bool = True) -> None:
    """JSON Lines: the fast path validates each line from its bytes; only failing lines are parsed again
    to explain what is wrong. Without keep_records, valid records other than redirects and withdrawals are kept as
    RecordStubs, most of them decided by the screen (usua.validation.screen) without building a model,
    which saves most of the memory and time of a large batch: blocks of lines are decoded by one call,
    and a block that fails is read again up to the failing line, which goes on alone."""
    from .screen import FAILED_AT, QUOTED_ID, block_screen, screen

    first_key = _FIRST_KEY.match
    stub_lines: list[bytes] = []
    suspect = _suspect_line

    def stubbing(section: str, append):
        def stub(rec: Any) -> None:
            from .references import referenced_ids  # (a record the models validated: they are loaded)

            append(RecordStub(rec.id, referenced_ids(section, rec)))

        return stub

    kinds = {
        rtype.encode(): (
            rtype,
            out.records[section].append
            if keep_records or section in _ALWAYS_KEPT
            else stubbing(section, out.records[section].append),
            out.origins[section].append,
            f"/{rtype}",
            section,
            out.records[section].append,
        )
        for rtype, section in RECORD_TYPES.items()
    }
    # Without models to keep, most lines are decided by the screen alone (usua.validation.screen)
    # (built on a type's first line: a small file does not pay for the schemas of types it lacks)
    screened = () if keep_records else {kind[0] for kind in kinds.values() if kind[4] not in _ALWAYS_KEPT}

    def one_line(n: int, raw: bytes, clean: bool, refused: bool = False) -> None:
        """Line ``n``; ``refused``: the block screen has refused it already (the models decide)."""
        if not raw or raw.isspace():
            return
        m = first_key(raw)
        kind = kinds.get(m[1]) if m and (clean or not suspect(raw)) else None
        if kind is not None:
            rtype, add, add_origin, pointer, section, _ = kind
            if m is not None and not refused and rtype in screened and b"\\u" not in raw and raw.endswith(b"}"):
                # (an escape could spell an id the search of ids misses: such lines go to the models)
                quick = screen(rtype)
                if quick is not None:
                    try:  # the record is the line between its key and its last brace
                        rec = quick.decode(raw[m.end() : -1])
                    except quick.refused:
                        pass
                    else:
                        out.records[section].append(RecordStub(rec.id, line=raw))
                        stub_lines.append(raw)
                        add_origin(Origin(file, pointer, n))
                        return
            wrapped = _fast_validate(rtype, raw)
            if wrapped is not None:
                rec = getattr(wrapped, rtype)
                if strong_quotes(out, file, section, rec, pointer, n):
                    add(rec)
                    add_origin(Origin(file, pointer, n))
                return
        _slow_line(out, file, n, raw)

    lines = file.lines
    end = len(lines)
    while end and (not lines[end - 1] or lines[end - 1].isspace()):
        end -= 1  # blank lines at the end say nothing
    blocks = None if keep_records or end < _BLOCK_FILE_LINES else block_screen()

    def take(first: int, chunk: list[bytes], keys: list[bytes], decoded: list[Any], add_line: Any) -> None:
        """Lines ``first + 1 ...`` as the block screen decoded them: each a stub, unless it holds more
        than one key or a null (then the models tell)."""
        others = len(types) - 1
        new_origin, stub = tuple.__new__, RecordStub  # (the loop's names, bound once)
        for n, raw, key, line in zip(range(first + 1, first + 1 + len(chunk)), chunk, keys, decoded):
            fields = astuple(line)
            kind = kinds.get(key)
            rec = fields[index[key]] if kind is not None and key in index else None
            if rec is None or kind is None or fields.count(None) != others:
                one_line(n, raw, True, refused=True)
                continue
            kind[5](stub(rec.id, None, raw))
            kind[2](new_origin(Origin, (file, kind[3], n)))
            if add_line is not None:
                add_line(raw)

    def screen_block(first: int, chunk: list[bytes]) -> None:
        """Lines ``first + 1 ...``: clean, without escapes; those the block screen does not accept go on alone."""
        assert blocks is not None
        refused: tuple[type[Exception], ...] = (*blocks.refused, ValueError)
        while chunk:
            text = b"\n" + b"\n".join(chunk)
            keys = _LINE_KEYS.findall(text)
            try:
                if len(keys) != len(chunk):
                    raise ValueError  # a line that is not an object with a key first: alone
                decoded = blocks.decode(b"[" + b",".join(chunk) + b"]")
            except refused as exc:
                at = FAILED_AT.search(str(exc)) if len(keys) == len(chunk) else None
                if at is None:  # not told where: every line alone
                    for n, raw in enumerate(chunk, first + 1):
                        one_line(n, raw, True)
                    return
                k = int(at[1])
                if k:  # the lines before it were accepted as they were decoded: only their ids are read again
                    take(first, chunk[:k], keys[:k], blocks.ids(b"[" + b",".join(chunk[:k]) + b"]"), stub_lines.append)
                one_line(first + k + 1, chunk[k], True, refused=True)
                first, chunk = first + k + 1, chunk[k + 1 :]
                continue
            take(first, chunk, keys, decoded, None)
            # the ids its lines mention, from the block's text (a line of it left to the models only adds
            # to this superset, which costs the exact check of each stub's references if one is unknown);
            # searched block by block, a large file is never joined and decoded whole
            out.mentioned.update(QUOTED_ID.findall(text.decode()))
            return

    if blocks is not None:
        from msgspec.structs import astuple

        types = blocks.types
        index = {t.encode(): i for i, t in enumerate(types)}
    for first in range(0, end, _SUSPECT_BLOCK):
        block = lines[first : min(first + _SUSPECT_BLOCK, end)]
        # the suspect tests never span a line break: a clean block is a block of clean lines
        joined = b"\n".join(block)
        clean = not suspect(joined)
        if blocks is not None and clean and b"\\u" not in joined:
            for at in range(0, len(block), _DECODE_BLOCK):
                screen_block(first + at, block[at : at + _DECODE_BLOCK])
            continue
        for n, raw in enumerate(block, first + 1):
            one_line(n, raw, clean)
    # one search over the other screened lines instead of one per line: a stub's own references are
    # only looked for when this set holds an id that does not exist
    out.mentioned.update(QUOTED_ID.findall(b"\n".join(stub_lines).decode()))


def validate_file(file: ContributionFile, keep_records: bool = True) -> FileRecords:
    """The records and problems of one contribution file."""
    out = FileRecords()
    if file.kind == "jsonl":
        validate_lines(out, file, keep_records)
    else:
        validate_contribution(out, file, file.data)
    return out
