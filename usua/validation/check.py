"""check_paths: every check over a set of contribution files, all problems at once."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

from ..models.registry import RETIRING_SECTIONS
from ..models.registry import TYPE_OF_SECTION as SECTIONS
from .problems import DEFAULT_LIMITS, CheckResult, Limits, Problem
from .quotes import weak_quote
from .reader import Origin, read_contribution_file
from .records import _EVIDENCE_ONLY_AT_TOP, FileRecords, RecordStub, revalidate_line, validate_file
from .shared_fields import SharedSets, copy_shared, share_fields_sets

if TYPE_CHECKING:
    from .evidence import LoadedText

# The rules, references and evidence of full records are imported when there are full records: a bulk
# check whose every record the screen accepted (RecordStubs) runs without pydantic or the models.


def _where(origin: Origin, suffix: str = "") -> tuple[str, int | None, str]:
    ptr = origin.pointer + suffix
    return origin.file.name, origin.line if origin.line is not None else origin.file.line_of(ptr), ptr


def _problem(
    origin: Origin, suffix: str, code: str, message: str, hint: str | None, severity: str = "error"
) -> Problem:
    name, line, ptr = _where(origin, suffix)
    return Problem(name, line, ptr, code, message, hint, severity)


def _suggest(missing: str, ids: Iterable[str]) -> str | None:
    from ..models.base import prefix_of

    prefix = prefix_of(missing) + ":"
    same = [i for i in ids if i.startswith(prefix)]
    if len(same) > 50_000:  # too many to compare quickly; the message alone must do
        return None
    import difflib

    close = difflib.get_close_matches(missing, same, n=1, cutoff=0.75)
    return close[0] if close else None


_P = ParamSpec("_P")

#: The first key of the pointer of a redirect or a withdrawal ('/redirects/0' in YAML, '/redirect' in
#: JSON Lines); of a withdrawal alone.
_RETIRING = frozenset(RETIRING_SECTIONS) | {SECTIONS[s] for s in RETIRING_SECTIONS}
_WITHDRAWING = frozenset(("withdrawals", SECTIONS["withdrawals"]))


def _key(origin: Origin) -> str:
    """The section (or, in JSON Lines, the record type) of the record at ``origin``, from its pointer."""
    parts = origin.pointer.split("/", 2)
    return parts[1] if len(parts) > 1 else ""


#: From this many records on, the validated records are moved out of the cyclic collector's sight.
BULK_RECORDS = 10_000


def _gc_paused(check: Callable[_P, CheckResult]) -> Callable[_P, CheckResult]:
    """Runs ``check`` with the cyclic collector paused. Validation builds millions of small acyclic
    objects; the collector would rescan them all again and again (4x slower on a million records)
    while finding nothing to free."""

    @functools.wraps(check)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> CheckResult:
        enabled = gc.isenabled()
        gc.disable()
        try:
            result = check(*args, **kwargs)
            if sum(len(v) for v in result.records.values()) >= BULK_RECORDS:
                # a bulk run: without this, the first collection after re-enabling rescans every
                # record (seconds per million); records are acyclic and are still freed when dropped
                gc.freeze()
            return result
        finally:
            if enabled:
                gc.enable()

    return paused


@_gc_paused
def check_paths(
    paths: list[Path],
    *,
    sources_dir: Path | None = None,
    known_ids: set[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    root: Path | None = None,
    known_records: dict[str, Sequence[Any]] | None = None,
    keep_records: bool = True,
    reserved_ids: dict[str, str] | None = None,
    report_only: set[str] | None = None,
    dataset_root: Path | None = None,
    redirected_ids: dict[str, str] | None = None,
    withdrawn_ids: dict[str, str] | None = None,
) -> CheckResult:
    """Validate contribution files together: reading, schema, models, unique ids, references and (when
    ``sources_dir`` is given) evidence quotes. ``known_ids`` (e.g. the current release's ids) may be
    referred to; ``known_records`` (section -> records, e.g. a release's documents) also supply the
    documents whose texts quotes are checked against. ``root``: refuse files outside this folder.
    ``keep_records=False`` (for checking only, without quotes): ``result.records`` of JSON Lines files
    hold RecordStubs (id and referenced ids) instead of models, which makes large batches much lighter.
    A sequence of ``known_records`` with an ``ids`` attribute (usua.validation.context.ReleaseDocuments)
    is iterated only when its records are needed.
    ``reserved_ids`` (id -> where it is defined, e.g. "the release 1.0.0") may be referred to but not
    defined again. ``report_only`` (file names as given): the other files are read only as context;
    their problems and records are left out of the result. ``dataset_root`` (a checkout whose own inputs
    are checked): the dataset-wide rules run too (dataset assertions, coverage of names, every id of the
    published releases still resolving), as the build applies them. ``redirected_ids`` (id -> where it
    was merged) and ``withdrawn_ids`` (id -> why) are ids a release retired, besides those the files'
    redirects and withdrawals retire: a retired id is never defined again, a reference to a merged id is
    told (a warning) and one to a withdrawn id is an error."""
    result = CheckResult(records={s: [] for s in SECTIONS})
    keep_records = keep_records or sources_dir is not None  # quotes are checked on the full records
    reserved_ids = reserved_ids or {}
    origins: dict[str, list[Origin]] = {s: [] for s in SECTIONS}
    invalid: list[tuple[str, Origin]] = []  # (id, origin) of records that failed validation
    invalid_items: list[tuple[Any, Origin]] = []
    mentioned: set[str] = set()  # what screened records may refer to
    shared: SharedSets = {}  # the models' sets of given fields, one object per distinct set
    problems = result.problems
    for path in paths:
        path = Path(path)
        file, read_problems = read_contribution_file(path, name=str(path), root=root, limits=limits)
        problems.extend(read_problems)
        if file is None:
            continue
        found: FileRecords = validate_file(file, keep_records)
        file.drop_contents(lines=keep_records)  # (no RecordStubs were made: no line is validated again)
        problems.extend(found.problems)
        invalid.extend(found.invalid_ids.items())
        invalid_items.extend(found.invalid_items)
        mentioned |= found.mentioned
        for section in SECTIONS:
            for rec in found.records[section]:
                if type(rec) is not RecordStub:
                    share_fields_sets(rec, shared)
            result.records[section].extend(found.records[section])
            origins[section].extend(found.origins[section])

    # ids are unique across all files (a known id may be redefined: that is how a record is updated);
    # an id a redirect or a withdrawal retires never names a record again
    defined: dict[str, Origin] = {}
    retired = dict(redirected_ids or {})  # id -> the id that holds its facts now
    withdrawn = dict(withdrawn_ids or {})  # id -> why it was withdrawn
    from_release = retired.keys() | withdrawn.keys()
    for r in result.records["redirects"]:
        retired.setdefault(r.id, r.to)
    for w in result.records["withdrawals"]:
        withdrawn.setdefault(w.id, w.reason)

    def reused(rec_id: str, origin: Origin) -> Problem:
        if rec_id in defined:  # by a redirect or a withdrawal of these files
            name, line, _ = _where(defined[rec_id])
            where, by_withdrawal = name + (f" line {line}" if line else ""), _key(defined[rec_id]) in _WITHDRAWING
        else:  # by the release
            where, by_withdrawal = reserved_ids.get(rec_id, "the release"), rec_id in (withdrawn_ids or {})
        if by_withdrawal:
            told = f"the id {rec_id} is withdrawn in {where} ({_reason(withdrawn[rec_id])})"
        else:
            told = f"the id {rec_id} was merged into {retired[rec_id]} in {where}"
        return _problem(
            origin,
            "/id",
            "reused-id",
            f"{told}; a retired id never names a record again",
            "give this record a new id",
        )

    def duplicate(rec_id: str, origin: Origin) -> Problem:
        if _key(defined[rec_id]) in _RETIRING and _key(origin) not in _RETIRING:
            return reused(rec_id, origin)
        name, line, _ = _where(defined[rec_id])
        return _problem(
            origin,
            "/id",
            "duplicate-id",
            f"the id {rec_id} is already used in {name}" + (f" line {line}" if line else ""),
            "give this record another id, or merge the two records",
        )

    def reserved(rec_id: str, origin: Origin) -> Problem:
        if rec_id in from_release and _key(origin) not in _RETIRING:
            return reused(rec_id, origin)
        return _problem(
            origin,
            "/id",
            "duplicate-id",
            f"the id {rec_id} is already used in {reserved_ids[rec_id]}",
            "give this record another id; to change the existing record, edit it where it is defined",
        )

    # the retiring sections first: a record defined on a retired id is the one told
    for section in sorted(SECTIONS, key=lambda s: s not in RETIRING_SECTIONS):
        ids = [rec.id for rec in result.records[section]]
        if (
            len(set(ids)) == len(ids)
            and defined.keys().isdisjoint(ids)
            and reserved_ids.keys().isdisjoint(ids)
            and from_release.isdisjoint(ids)
        ):
            defined.update(zip(ids, origins[section]))  # the common case: every id new, nothing to tell
            continue
        keep, keep_origins = [], []
        for rec, origin in zip(result.records[section], origins[section]):
            if rec.id in defined:
                problems.append(duplicate(rec.id, origin))
                if _key(defined[rec.id]) in _RETIRING and section not in RETIRING_SECTIONS:
                    keep.append(rec)  # a record on a retired id: its references are checked too
                    keep_origins.append(origin)
                continue
            if rec.id in from_release and section not in RETIRING_SECTIONS:
                problems.append(reused(rec.id, origin))
            elif rec.id in reserved_ids:
                problems.append(reserved(rec.id, origin))
            defined[rec.id] = origin
            keep.append(rec)
            keep_origins.append(origin)
        result.records[section], origins[section] = keep, keep_origins
    invalid_ids = set()
    for rec_id, origin in invalid:
        if rec_id in defined:
            problems.append(duplicate(rec_id, origin))
        elif rec_id in from_release and _key(origin) not in _RETIRING:
            problems.append(reused(rec_id, origin))
        elif rec_id in reserved_ids:
            problems.append(reserved(rec_id, origin))
        invalid_ids.add(rec_id)

    known = set(known_ids or ())
    known_docs: dict[str, Any] = {}
    later: list[Any] = []  # records validated only when looked at (a release's documents): their ids now
    for section, recs in (known_records or {}).items():
        lazy_ids = getattr(recs, "ids", None)
        if lazy_ids is not None:
            known.update(lazy_ids)
            if section == "documents":
                later.append(recs)
            continue
        for rec in recs:
            known.add(rec.id)
            if section == "documents":
                known_docs[rec.id] = rec
    exists = defined.keys() | invalid_ids | known
    gone = retired.keys() | withdrawn.keys()
    # the common case: every id a screened record's line mentions exists and none is retired, so no
    # screened record needs its references looked at one by one
    stubs_fine = exists.issuperset(mentioned) and gone.isdisjoint(mentioned)
    # a bulk check of records the screen alone accepted: no rule, reference or claim needs a model
    stubs_only = (
        not keep_records
        and dataset_root is None
        and all({RecordStub}.issuperset(map(type, recs)) for recs in result.records.values())
    )
    for section in SECTIONS:
        for rec, origin in zip(result.records[section], origins[section]):
            if type(rec) is RecordStub:
                if stubs_fine and rec.line:
                    continue
                ids = rec.refs
            else:
                from .references import referenced_ids

                ids = referenced_ids(section, rec)
            if exists.issuperset(ids) and (not gone or gone.isdisjoint(ids)):
                continue  # the common case: nothing to report, so no pointers are built
            if isinstance(rec, RecordStub):
                rec = revalidate_line(origin, section)
            problems.extend(_reference_problems(section, rec, origin, exists, retired, withdrawn, bool(known)))
    if invalid_items:  # (the references module needs the models: loaded only when a record failed)
        from .references import raw_references

        for item, origin in invalid_items:
            for suffix, ref in raw_references(item):
                if ref in withdrawn and _key(origin) not in _WITHDRAWING:
                    problems.append(_withdrawn_reference(origin, suffix, ref, withdrawn[ref]))
                elif ref not in exists:
                    problems.append(_unknown_reference(origin, suffix, ref, exists, bool(known)))
            for suffix, raw in _raw_evidence(item):  # a weak quote is told in the same run as the rest
                weak = weak_quote(raw["quote"])
                if weak is not None:
                    problems.append(_problem(origin, suffix + "/quote", *weak))

    if later and (sources_dir is not None or not stubs_only):  # the documents themselves are needed
        known_docs.update((doc.id, doc) for recs in later for doc in recs)
    if sources_dir is not None:
        _check_evidence(result, origins, Path(sources_dir), known_docs, invalid_items, shared)
    whole: list[Problem] = []
    if not stubs_only:  # (the rules skip stubs, and claims are derived from full records only)
        from .claims import check_claims
        from .curation_rules import check_curation
        from .dataset_rules import check_dataset

        documents = {**known_docs, **_documents(result.records, origins["documents"])}
        problems.extend(check_curation(result.records, origins, documents, _problem))
        in_files, whole = check_dataset(
            result.records,
            origins,
            result.texts,
            _problem,
            sources_dir=Path(sources_dir) if sources_dir is not None else None,
            dataset_root=dataset_root,
        )
        problems.extend(in_files)
        claim_problems, result.derivation = check_claims(result.records, origins, documents, _problem)
        problems.extend(claim_problems)
    if dataset_root is not None:  # every id of the published releases still resolves
        from ..version import DATASET_VERSION
        from .released import check_released, checkout_releases, made_ids

        made, derived_known = made_ids(result.records, result.derivation)
        whole += check_released(
            made | invalid_ids, DATASET_VERSION, *checkout_releases(dataset_root), not derived_known
        )
    if report_only is not None:
        result.derivation = None  # it was made of every file read, not only of those reported
        result.problems = problems = [p for p in problems if p.file in report_only]
        for section in SECTIONS:
            result.records[section] = [
                rec for rec, origin in zip(result.records[section], origins[section]) if origin.file.name in report_only
            ]
    problems.extend(whole)  # about the dataset as a whole: told whichever files were named
    problems.sort(key=Problem.sort_key)
    return result


def _documents(records: dict[str, list[Any]], origins: list[Origin]) -> dict[str, Any]:
    """The valid documents by id, for the curation rules: a document kept as a stub is validated again
    from its line only when some full record is there for the rules to look at."""
    from .curation_rules import RULES

    docs = records["documents"]
    if any(isinstance(d, RecordStub) for d in docs) and any(
        not isinstance(rec, RecordStub) for section in RULES for rec in records[section]
    ):
        docs = [
            revalidate_line(origin, "documents") if isinstance(d, RecordStub) else d for d, origin in zip(docs, origins)
        ]
    return {d.id: d for d in docs if not isinstance(d, RecordStub)}


def _unknown_reference(origin: Origin, suffix: str, ref: str, exists: Any, with_release: bool) -> Problem:
    close = _suggest(ref, exists)
    return _problem(
        origin,
        suffix,
        "unknown-reference",
        f"{ref} is not defined in these files" + (" or in the release" if with_release else ""),
        f"did you mean {close}?" if close else "add a record with this id, or correct it",
    )


def _reason(reason: str) -> str:
    """A withdrawal's reason inside a message (its closing full stop would end the sentence)."""
    return reason.rstrip(". ")


def _withdrawn_reference(origin: Origin, suffix: str, ref: str, reason: str) -> Problem:
    return _problem(
        origin,
        suffix,
        "withdrawn-id",
        f"{ref} is withdrawn ({_reason(reason)})",
        "refer to the record that holds the fact now, or remove the reference",
    )


def _reference_problems(
    section: str,
    rec: Any,
    origin: Origin,
    exists: set[str],
    retired: dict[str, str],
    withdrawn: dict[str, str],
    with_release: bool,
) -> list[Problem]:
    from .references import evidence_lists, references

    out = []
    for suffix, ref in references(section, rec):
        if ref in withdrawn and section != "withdrawals":
            out.append(_withdrawn_reference(origin, suffix, ref, withdrawn[ref]))
        elif ref in retired and section != "redirects":
            out.append(
                _problem(
                    origin,
                    suffix,
                    "retired-id",
                    f"{ref} was merged into {retired[ref]}",
                    f"refer to {retired[ref]} instead",
                    "warning",
                )
            )
        elif ref not in exists:
            out.append(_unknown_reference(origin, suffix, ref, exists, with_release))
    for suffix, evidence in evidence_lists(section, rec):
        for i, ev in enumerate(evidence):
            if ev.document in withdrawn:
                out.append(_withdrawn_reference(origin, f"{suffix}/{i}/document", ev.document, withdrawn[ev.document]))
            elif ev.document not in exists:
                close = _suggest(ev.document, exists)
                out.append(
                    _problem(
                        origin,
                        f"{suffix}/{i}/document",
                        "unknown-reference",
                        f"{ev.document} is not a known document",
                        f"did you mean {close}?" if close else "add its document record, or correct the id",
                    )
                )
    return out


def _raw_evidence(node: Any, ptr: str = ""):
    """(pointer, evidence dict) of every well-formed evidence item inside a record that failed validation,
    so that a wrong quote is reported in the same run as the record's other problems."""
    if isinstance(node, dict):
        if isinstance(node.get("document"), str) and isinstance(node.get("quote"), str):
            yield ptr, node
            return
        for key, value in node.items():
            yield from _raw_evidence(value, f"{ptr}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _raw_evidence(value, f"{ptr}/{i}")


def _check_evidence(
    result: CheckResult,
    origins: dict[str, list[Origin]],
    sources_dir: Path,
    known_docs: dict,
    invalid_items: Sequence[tuple[Any, Origin]] = (),
    shared: SharedSets | None = None,
) -> None:
    from ..models import Evidence
    from .evidence import check_quote, load_text
    from .references import iter_evidence, replace_evidence

    problems = result.problems
    shared = {} if shared is None else shared
    docs = dict(known_docs)
    doc_origin: dict[str, Origin] = {}
    for rec, origin in zip(result.records["documents"], origins["documents"]):
        docs[rec.id] = rec
        doc_origin[rec.id] = origin
    texts: dict[str, LoadedText | None] = {}

    def text_of(doc_id: str, origin: Origin, suffix: str) -> LoadedText | None:
        if doc_id in texts:
            return texts[doc_id]
        doc = docs.get(doc_id)
        if doc is None:
            texts[doc_id] = None  # reported by the reference check, or only its id is known
            return None
        loaded, code, message, ptr = load_text(doc, sources_dir)
        if loaded is None:
            assert code is not None and message is not None  # load_text names the problem when there is no text
            if doc_id in doc_origin:
                problems.append(
                    _problem(
                        doc_origin[doc_id], ptr, code, message, "restore the file as received, or correct the record"
                    )
                )
            else:
                problems.append(_problem(origin, suffix, code, message, "restore the file as received"))
        texts[doc_id] = loaded
        return loaded

    def locate(ev: Any, origin: Origin, suffix: str) -> Any:
        """The evidence with its offsets filled (None when it stays as it is); a quote not found is told."""
        loaded = text_of(ev.document, origin, suffix + "/document")
        if loaded is None:
            return None
        verdict = check_quote(ev, loaded, shared)
        if verdict.code:
            problems.append(
                _problem(origin, suffix + "/quote", verdict.code, verdict.message, verdict.hint, verdict.severity)
            )
        return verdict.evidence

    for doc_id, origin in doc_origin.items():
        text_of(doc_id, origin, "")
    for section in SECTIONS:
        if section == "documents":
            continue
        recs = result.records[section]
        if section in _EVIDENCE_ONLY_AT_TOP:  # the common case, without the walks over every field
            for k, (rec, origin) in enumerate(zip(recs, origins[section])):
                evidence = rec.evidence
                located = [locate(ev, origin, f"/evidence/{i}") for i, ev in enumerate(evidence)]
                if any(ev is not None for ev in located):
                    items = [ev if new is None else new for ev, new in zip(evidence, located)]
                    recs[k] = copy_shared(rec, {"evidence": items}, shared)  # (its items share theirs)
            continue
        for k, (rec, origin) in enumerate(zip(recs, origins[section])):
            filled = {}
            for suffix, ev in iter_evidence(rec):
                located = locate(ev, origin, suffix)
                if located is not None:
                    filled[suffix] = located
            if filled:
                recs[k] = replace_evidence(rec, filled)
                share_fields_sets(recs[k], shared)
    for item, origin in invalid_items:
        for suffix, raw in _raw_evidence(item):
            if weak_quote(raw["quote"]) is not None:
                continue  # reported as weak already: where it occurs would say nothing more
            try:
                ev = Evidence.model_validate(raw)
            except ValueError:
                continue  # its own shape problem is already reported
            locate(ev, origin, suffix)
    result.texts = {doc_id: t.text for doc_id, t in texts.items() if t is not None}
