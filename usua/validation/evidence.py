"""Evidence quotes against the source texts: the text must match its checksum and hold the quote."""

from __future__ import annotations

import bisect
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..models import Document, Evidence
from ..text import line_starts, locate, normalise
from .shared_fields import SharedSets, copy_shared


@dataclass
class LoadedText:
    text: str
    normalised: str
    starts: list[int]
    document: Document

    def segment_at(self, offset: int) -> str:
        """The kind of segment (title, body, caption...) an offset lies in."""
        line = bisect.bisect_right(self.starts, offset)  # 1-based line of the offset
        for seg in self.document.segments:
            if seg.first_line <= line <= seg.last_line:
                return seg.kind
        return "body"


def load_text(document: Document, sources_dir: Path) -> tuple[LoadedText | None, str | None, str | None, str]:
    """(text, problem code, message, pointer inside the document record) — text is None on a problem."""
    path = sources_dir / document.path
    try:
        if not path.is_file():
            return (
                None,
                "missing-source",
                f"the text file '{document.path}' of {document.id} is not in the sources folder",
                "/path",
            )
        raw = path.read_bytes()
    except OSError as exc:  # e.g. a name too long for the file system
        return (
            None,
            "unreadable-source",
            (f"the text file of {document.id} cannot be read: {exc.strerror or type(exc).__name__}"),
            "/path",
        )
    digest = hashlib.sha256(raw).hexdigest()
    if digest != document.sha256:
        return (
            None,
            "source-changed",
            (f"the text file '{document.path}' does not match its sha256 (the file has {digest})"),
            "/sha256",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, "not-utf8", f"the text file '{document.path}' is not UTF-8 at byte {exc.start}", "/path"
    return LoadedText(text, normalise(text), line_starts(text), document), None, None, ""


#: Quotes longer than this get no "closest passage" hint (quotes are a sentence or two).
CLOSEST_PASSAGE_MAX = 2000


def closest_passage(loaded: LoadedText, quote: str) -> str | None:
    """The passage of the text most like the quote, to help spot a typo."""
    needle = normalise(quote)
    hay = loaded.normalised
    if len(needle) > min(len(hay), CLOSEST_PASSAGE_MAX):
        return None  # not a typo of a passage; and the search grows with the product of the lengths
    matcher = difflib.SequenceMatcher(None, hay, needle, autojunk=False)
    block = matcher.find_longest_match(0, len(hay), 0, len(needle))
    if block.size < min(8, len(needle)):
        return None
    # look around the longest common run for the stretch that lines up best with the whole quote
    lo = max(0, block.a - block.b - 20)
    window = hay[lo : block.a - block.b + len(needle) + 20]
    blocks = [b for b in difflib.SequenceMatcher(None, window, needle, autojunk=False).get_matching_blocks() if b.size]
    first, last = blocks[0].a, blocks[-1].a + blocks[-1].size
    matched = sum(b.size for b in blocks)
    if 2 * matched / (last - first + len(needle)) < 0.7:
        return None
    best = loaded.text[lo + first : lo + last].replace("\r", "").replace("\n", "\\n")  # keep the message on one line
    return best if len(best) <= 160 else best[:157] + "..."


@dataclass
class EvidenceVerdict:
    evidence: Evidence | None  # with start/end/segment filled in; None when the quote is not found
    code: str | None = None
    message: str = ""  # given with code
    hint: str | None = None
    severity: str = "error"


def check_quote(ev: Evidence, loaded: LoadedText, shared: SharedSets | None = None) -> EvidenceVerdict:
    """Whether a quote is in its document's text, and where (or why not). ``shared``: the sets of given
    fields the located evidence shares (usua.validation.shared_fields)."""
    if ev.start is None and ev.segment is None and ev.occurrence == 1:
        # the usual case, a quote found once and nothing given to compare: two finds on the text
        # normalised once per document, and the verdict of the full check below
        needle = normalise(ev.quote)
        start = loaded.normalised.find(needle)
        if start != -1 and loaded.normalised.find(needle, start + 1) == -1:
            segment = loaded.segment_at(start)
            offsets = {"start": start, "end": start + len(ev.quote), "segment": segment}
            return EvidenceVerdict(copy_shared(ev, offsets, shared))
    return check_quote_fully(ev, loaded, shared)


def check_quote_fully(ev: Evidence, loaded: LoadedText, shared: SharedSets | None = None) -> EvidenceVerdict:
    """check_quote for every case: every occurrence counted, given offsets compared."""
    hit = locate(loaded.text, ev.quote, ev.occurrence, normalised_text=loaded.normalised)
    if hit is None:
        count = len(loaded.normalised.split(normalise(ev.quote))) - 1
        if count:
            return EvidenceVerdict(
                None,
                "occurrence-not-found",
                f"the quote occurs {count} time{'s' if count > 1 else ''} in {ev.document}, not {ev.occurrence}",
                f"set occurrence to a number from 1 to {count}",
            )
        near = closest_passage(loaded, ev.quote)
        short = ev.quote if len(ev.quote) <= 80 else ev.quote[:77] + "..."
        hint = f'the closest passage is: "{near}"' if near else "copy the words exactly from the text"
        return EvidenceVerdict(None, "quote-not-found", f'the quote "{short}" is not in {ev.document}', hint)
    segment = loaded.segment_at(hit.start)
    given = (ev.start, ev.end, ev.segment)
    if (
        ev.start is not None
        and (ev.start, ev.end) != (hit.start, hit.end)
        or ev.segment is not None
        and ev.segment != segment
    ):
        return EvidenceVerdict(
            None,
            "evidence-offsets",
            f"start/end/segment {given} do not match where the quote is ({hit.start}, {hit.end}, {segment!r})",
            "remove start, end and segment: they are computed",
        )
    offsets = {"start": hit.start, "end": hit.end, "segment": segment}
    filled = copy_shared(ev, offsets, shared)
    if hit.count > 1 and "occurrence" not in ev.model_fields_set:
        return EvidenceVerdict(
            filled,
            "ambiguous-quote",
            f"the quote occurs {hit.count} times in {ev.document}; the first is used",
            "lengthen the quote, or set occurrence to say which one is meant",
            "warning",
        )
    return EvidenceVerdict(filled)
