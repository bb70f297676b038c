"""`usua site`: a static, self-contained HTML explorer of a release.

One page per entity, event, agreement and document, lists of each, a home page (timeline, counts,
version, changes) and a search page. Every fact links to its evidence: the quote in its document's
text, with the lines around it and the document's segments marked, where the rights allow the text to
be shown (otherwise the quote alone, with a link to the document). No page loads anything from the
network; the only script (search) is bundled, and every page works without it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsuaError

try:  # Jinja2's companion; both come with the site extra
    from markupsafe import Markup, escape
except ImportError:  # pragma: no cover - depends on the installation
    raise UsuaError('`usua site` needs the site extra: pip install "usua[site]"') from None

from ..plot import milestones
from .evidence import Line, Text, merged
from .texts import redistributable_texts, text_folders

#: Record id prefix -> folder of its pages.
PAGE_FOLDERS = {"ent": "entities", "evt": "events", "agr": "agreements", "doc": "documents"}
#: Items per page of the list pages (keeps every page small for large releases).
LIST_PAGE_SIZE = 1000
#: Rows listed per section of a record page before the rest is left to the lists and tables.
SECTION_LIMIT = 200
#: Above this many events the home page shows events per month instead of one mark per event.
DETAILED_TIMELINE_MAX = 150

_FAR = date(9999, 12, 31)  # undated events sort last
_SINGULAR = {"entities": "entity", "events": "event", "agreements": "agreement", "documents": "document"}
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def anchor(*parts: Any) -> str:
    """An HTML id made of the given parts."""
    return "-".join(_SAFE.sub("-", str(p)).strip("-") or "x" for p in parts)


def page_path(record_id: str) -> str | None:
    """Site-relative path of a record's own page (entities/..., events/...), None if it has none."""
    prefix, _, rest = record_id.partition(":")
    folder = PAGE_FOLDERS.get(prefix)
    return f"{folder}/{_SAFE.sub('_', rest)}.html" if folder and rest else None


def _own_page(record_id: str) -> str:
    """page_path of an entity, event, agreement or document, which always has its page."""
    path = page_path(record_id)
    assert path is not None, record_id
    return path


@dataclass
class SiteSummary:
    out: Path
    pages: int
    bytes: int
    largest_page: tuple[str, int]
    texts: list[str] = field(default_factory=list)


def _date(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if row.get(prefix) is None and row.get(f"{prefix}_stated_as") is None:
        return None
    return {
        k: row.get(f"{prefix}_{k}") for k in ("precision", "method", "stated_as", "basis", "earliest", "latest")
    } | {"value": row.get(prefix)}


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


class Site:
    """The release's tables indexed for page rendering."""

    def __init__(self, rel: Any, sources: Path | None) -> None:
        from ..loading import load

        self.rel = rel
        names = set(rel.table_names)

        def rows(table: str) -> list[dict[str, Any]]:
            return load(table, release_dir=rel.path).to_dicts() if table in names else []

        self.documents = {r["id"]: r for r in rows("documents")}
        self.entities = {r["id"]: r for r in rows("entities")}
        self.events = {r["id"]: r for r in rows("events")}
        self.agreements = {r["id"]: r for r in rows("agreements")}
        self.segments = _group(rows("document_segments"), "document")
        self.aliases = _group(rows("entity_aliases"), "entity")
        self.identifiers = _group(rows("entity_identifiers"), "entity")
        self.roles = {r["id"]: r for r in rows("roles")}
        self.roles_of = _group(list(self.roles.values()), "person")
        participants = rows("event_participants")
        self.participants = _group(participants, "event")
        self.events_of = _group(participants, "entity")
        self.parties = _group(rows("agreement_parties"), "agreement")
        self.party_of = _group(rows("agreement_parties"), "entity")
        signatories = rows("agreement_signatories")
        self.signatories = _group(signatories, "agreement")
        self.signed_by = _group(signatories, "person")
        self.provisions = _group(rows("agreement_provisions"), "agreement")
        relations = rows("agreement_relations")
        self.relations = _group(relations, "agreement")
        self.related_from = _group(relations, "target")
        self.statements = {r["id"]: r for r in rows("statements")}
        self.statements_by = _group(list(self.statements.values()), "speaker")
        self.statements_in = _group([s for s in self.statements.values() if s["event"]], "event")
        self.figures = {r["id"]: r for r in rows("figures")}
        self.figures_about: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in self.figures.values():
            for s in f["subjects"]:
                self.figures_about[s].append(f)
        self.disagreements = {r["id"]: r for r in rows("disagreements")}
        versions = _group(rows("disagreement_versions"), "disagreement")
        for d in self.disagreements.values():
            d["versions"] = versions.get(d["id"], [])
        self.disagreements_about = _group(list(self.disagreements.values()), "subject")
        claims = rows("claims")
        self.claims_of: dict[str, list[str]] = defaultdict(list)  # record -> claim records about it
        for c in claims:
            if c["claim"] and c["claim"] not in self.claims_of[c["record"]]:
                self.claims_of[c["record"]].append(c["claim"])
        self.claim_subject = {cid: rid for rid, cids in self.claims_of.items() for cid in cids}
        self.status_history = _group(rows("status_history"), "record")
        evidence = rows("evidence")
        self.evidence = _group(evidence, "record")
        self.cited_in = _group(evidence, "document")
        self.agreement_events: dict[str, list[str]] = defaultdict(list)
        for e in self.events.values():
            for a in e["agreements"]:
                self.agreement_events[a].append(e["id"])
        self.redirects = rows("redirects")
        self.withdrawals = rows("withdrawals")  # (a release before 1.4.0 has none)
        self.texts = redistributable_texts(list(self.documents.values()), text_folders(rel.path, sources))
        self._text_objects: dict[str, Text] = {}
        self._hosts: dict[str, str | None] = {}
        self._links: dict[tuple[str, str], Markup] = {}

    # --- links -----------------------------------------------------------------------------------

    def link(self, record_id: str | None, root: str) -> Markup:
        """A link to where a record is shown (its name alone when it is shown nowhere)."""
        if not record_id:
            return Markup("")
        key = (record_id, root)
        if key not in self._links:
            url = self.host(record_id)
            name = escape(self.name(record_id))
            self._links[key] = Markup(f'<a href="{root}{url}">{name}</a>' if url else name)
        return self._links[key]

    def host(self, record_id: str) -> str | None:
        """Site-relative URL where a record is shown (its own page, or an anchor on its host's page)."""
        if record_id not in self._hosts:
            self._hosts[record_id] = self._host(record_id)
        return self._hosts[record_id]

    def _host(self, record_id: str) -> str | None:
        own = page_path(record_id)
        if own:
            return own if self._exists(record_id) else None
        if record_id in self.statements:
            s = self.statements[record_id]
            base = page_path(s["speaker"])
            return f"{base}#{anchor(record_id)}" if base else None
        if record_id in self.roles:
            base = page_path(self.roles[record_id]["person"])
            return f"{base}#{anchor(record_id)}" if base else None
        if record_id in self.disagreements:
            subject = self.host(self.disagreements[record_id]["subject"])
            return f"{subject.split('#')[0]}#{anchor(record_id)}" if subject else None
        if record_id in self.claim_subject:
            subject = self.host(self.claim_subject[record_id])
            return f"{subject.split('#')[0]}#{anchor(record_id)}" if subject else None
        if record_id in self.figures:
            for s in self.figures[record_id]["subjects"]:
                base = page_path(s)
                if base and self._exists(s):
                    return f"{base}#{anchor(record_id)}"
        return None

    def _exists(self, record_id: str) -> bool:
        return any(record_id in m for m in (self.entities, self.events, self.agreements, self.documents))

    def name(self, record_id: str | None) -> str:
        """The display name of a record (an entity's name, an event's title...), or the id itself."""
        if not record_id:
            return ""
        for table, col in (
            (self.entities, "name"),
            (self.events, "title"),
            (self.agreements, "name"),
            (self.documents, "title"),
            (self.roles, "post"),
            (self.statements, "text"),
        ):
            if record_id in table:
                return table[record_id][col]
        return record_id

    # --- evidence --------------------------------------------------------------------------------

    def text(self, doc: str) -> Text | None:
        """A document's text with its segments, or None when it cannot be shown."""
        if doc not in self.texts:
            return None
        if doc not in self._text_objects:
            self._text_objects[doc] = Text(self.texts[doc], self.segments.get(doc, []))
        return self._text_objects[doc]

    def cites(self, record_id: str, path: str, root: str, page: str) -> Markup:
        """Numbered links [1][2]... from a fact to its quotes, on this page or on the record's host page."""
        evs = [ev for ev in self.evidence.get(record_id, ()) if ev["path"] == path]
        if not evs:
            return Markup("")
        host = (self.host(record_id) or page).split("#")[0]
        base = "" if host == page else root + host
        return Markup(
            "".join(
                f'<a class="cite" href="{base}#{anchor("ev", record_id, ev["path"] or "record", ev["n"])}" '
                f'title="{escape(ev["quote"])}">[{i}]</a>'
                for i, ev in enumerate(evs, 1)
            )
        )

    def evidence_of(self, record_id: str, path: str | None = None, *, context: bool = True) -> list[dict[str, Any]]:
        """The evidence of a record (or of one of its parts), with the lines around each quote."""
        out = []
        for ev in self.evidence.get(record_id, []):
            if path is not None and ev["path"] != path:
                continue
            doc = self.documents.get(ev["document"], {})
            text = self.text(ev["document"]) if context else None
            out.append(
                ev
                | {
                    "anchor": anchor("ev", record_id, ev["path"] or "record", ev["n"]),
                    "doc_title": doc.get("title", ev["document"]),
                    "doc_href": page_path(ev["document"]),
                    "doc_url": doc.get("url"),
                    "rights_note": doc.get("rights_note") or doc.get("licence"),
                    "context": text.context(ev["start"], ev["end"]) if text else None,
                    "first_line": text.line_of(ev["start"]) if text else None,
                }
            )
        return out


def lines_html(lines: list[Line], ids: bool = False) -> Markup:
    """Lines of a text as <div class="line"> elements (built here, not in the template: a document
    page has hundreds of lines and a large release hundreds of thousands)."""
    out = []
    for line in lines:
        cls = "line" + (f" seg seg-{line.segment}" if line.segment else "") + (" hit" if line.cited and not ids else "")
        tag = f'<span class="seg-tag">{line.segment}</span>' if line.segment else ""
        anchor_id = f' id="L{line.n}"' if ids else ""
        out.append(f'<div{anchor_id} class="{cls}" data-n="{line.n}">{tag}{line.html}</div>')
    return Markup("\n".join(out))


def _env() -> Any:
    try:
        import jinja2
    except ImportError:  # pragma: no cover
        raise UsuaError('`usua site` needs the site extra: pip install "usua[site]"') from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("usua.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are package files: never re-checked per page
    )
    env.filters["anchor"] = lambda v: anchor(v)
    env.globals["lines_html"] = lines_html
    return env


def _home_chart(site: Site) -> str:
    """The home page's timeline as inline SVG: one mark per event for small releases, events per month
    by status for large ones."""
    from .. import plot
    from ..loading import load

    events = load("events", release_dir=site.rel.path)
    chart = plot.timeline(events=events) if events.height <= DETAILED_TIMELINE_MAX else plot.monthly(events=events)
    svg = plot.render(chart, "svg").decode()
    return svg[svg.index("<svg") :]


def _changes(rel: Any) -> list[dict[str, Any]]:
    path = rel.path / "changes.json"
    if "changes.json" not in rel.manifest["files"] or not path.is_file():
        return []
    data = json.loads(rel.file("changes.json").read_bytes())
    out = []
    for table, ch in (data.get("tables") or {}).items():
        # a large release's changes.json gives counts instead of the keys (builders/changes.py)
        counts = {k: v if isinstance(v := ch.get(k), int) else len(v or []) for k in ("added", "removed", "changed")}
        out.append({"table": table, **counts})
    return out


#: Largest search index file; a prefix with more entries is split by its next letter.
SHARD_BYTES = 300_000


def _search_shards(entries: list[tuple[str, str, str]]) -> dict[str, Any]:
    """The search index as small files: entries (label, kind, url) filed under the first three letters
    of each of their words (two for two-letter words). A file that would be too large becomes a list of
    the longer prefixes it is split into ("uni" -> "unit", "univ"...; "uni_" for the word "uni" itself),
    so a query loads the file of its longest word's longest prefix, never the whole index."""
    words = [
        (i, w)
        for i, (label, _, _) in enumerate(entries)
        for w in sorted(set(re.findall(r"[a-z0-9]+", _norm(label))))
        if len(w) >= 2
    ]
    shards: dict[str, Any] = {}

    def file(key: str, items: list[tuple[int, str]]) -> None:
        ids = sorted({i for i, _ in items})
        size = sum(len(entries[i][0]) + len(entries[i][2]) + 16 for i in ids)
        if size <= SHARD_BYTES:
            shards[key] = [list(entries[i]) for i in ids]
            return
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i, w in items:
            groups[w[: len(key) + 1] if len(w) > len(key) else key + "_"].append((i, w))
        if list(groups) == [key + "_"] or len(key) >= 12:  # one very common word: numbered parts
            parts = max(2, -(-size // SHARD_BYTES))
            names = [f"{key}.{n}" for n in range(parts)]
            shards[key] = {"split": names}
            for n, name in enumerate(names):
                shards[name] = [list(entries[i]) for i in ids[n::parts]]
            return
        shards[key] = {"split": sorted(groups)}
        for sub, sub_items in groups.items():
            file(sub, sub_items)

    top: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, w in words:
        top[w[:3]].append((i, w))
    for key, items in top.items():
        file(key, items)
    return shards


def build_site(
    out: str | Path,
    *,
    version: str | None = None,
    release_dir: str | Path | None = None,
    sources: str | Path | None = None,
    force: bool = False,
) -> SiteSummary:
    """Write the explorer of a release into ``out`` (built in a temporary folder, then moved in)."""
    from ..loading import release

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise UsuaError(f"{out} exists and is not empty; use --force to replace it")
    if sources is not None and not Path(sources).is_dir():
        raise UsuaError(f"--sources {sources} is not a folder of source texts")
    rel = release(version, release_dir)
    site = Site(rel, Path(sources) if sources is not None else None)
    env = _env()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}-"))
    try:
        pages = _write(site, env, tmp)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sizes = {p: (out / p).stat().st_size for p in pages}
    largest = max(sizes.items(), key=lambda kv: kv[1])
    return SiteSummary(out, len(pages), sum(sizes.values()), largest, sorted(site.texts))


#: Record pages below this count are written in one process (forking costs more than it saves).
PARALLEL_FROM = 2000
_JOB: Any = None  # the page writer a forked worker inherits


def _work(chunk: list[tuple[str, str]]) -> list[str]:
    written: list[str] = _JOB[1]
    start = len(written)
    for kind, rid in chunk:
        _JOB[0](kind, rid)
    return written[start:]


def _in_parallel(jobs: list[tuple[str, str]], fn: Any, written: list[str]) -> list[str]:
    """Run ``fn`` over the jobs, in forked worker processes when there are many and the platform
    forks (pages are independent files, so the output is the same either way)."""
    import multiprocessing as mp

    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        start = len(written)
        for kind, rid in jobs:
            fn(kind, rid)
        done = written[start:]
        del written[start:]
        return done
    global _JOB
    _JOB = (fn, written)
    try:
        chunks = [jobs[i :: workers * 4] for i in range(workers * 4)]
        with mp.get_context("fork").Pool(workers) as pool:
            return [p for part in pool.map(_work, chunks) for p in part]
    finally:
        _JOB = None


def _write(site: Site, env: Any, root: Path) -> list[str]:
    from importlib.resources import files

    rel = site.rel
    written: list[str] = []
    common = {
        "version": rel.version,
        "schema_version": rel.manifest.get("schema_version"),
        "released": rel.manifest.get("released") or rel.manifest.get("date"),
        "site": site,
        "page_path": page_path,
        "anchor": anchor,
    }

    def write(path: str, template: str, **ctx: Any) -> None:
        depth = path.count("/")
        html = env.get_template(template).render(root="../" * depth, path=path, **common, **ctx)
        with open(root / path, "w", encoding="utf-8") as f:
            f.write(html)
        written.append(path)

    for folder in ("static", "search", *PAGE_FOLDERS.values()):
        (root / folder).mkdir()
    static = files("usua.site").joinpath("static")
    for name in ("site.css", "search.js"):
        (root / "static" / name).write_bytes(static.joinpath(name).read_bytes())
        written.append(f"static/{name}")

    kinds = [
        ("entities", "Entities", sorted(site.entities.values(), key=lambda r: (_norm(r["name"]), r["id"])), "name"),
        (
            "events",
            "Events",
            sorted(site.events.values(), key=lambda r: (r["date_earliest"] or r["date_latest"] or _FAR, r["id"])),
            "title",
        ),
        ("agreements", "Agreements", sorted(site.agreements.values(), key=lambda r: r["id"]), "name"),
        ("documents", "Documents", sorted(site.documents.values(), key=lambda r: r["id"]), "title"),
    ]
    counts = {name: len(items) for name, _, items, _ in kinds}
    tables = [{"table": n, "rows": (rel.manifest["tables"][n] or {}).get("rows")} for n in rel.table_names]
    write(
        "index.html",
        "home.html",
        chart=_home_chart(site),
        counts=counts,
        tables=tables,
        changes=_changes(rel),
        changes_previous=None,
    )

    for folder, title, items, label in kinds:
        chunks = [items[i : i + LIST_PAGE_SIZE] for i in range(0, len(items), LIST_PAGE_SIZE)] or [[]]
        names = [f"{folder}.html"] + [f"{folder}-{i + 1}.html" for i in range(1, len(chunks))]
        for i, chunk in enumerate(chunks):
            write(
                names[i],
                "list.html",
                title=title,
                folder=folder,
                items=chunk,
                label=label,
                page_names=names,
                page_index=i,
                total=len(items),
            )

    def record_page(kind: str, rid: str) -> None:
        limit = SECTION_LIMIT
        if kind == "ent":
            write(_own_page(rid), "entity.html", e=site.entities[rid], limit=limit)
        elif kind == "evt":
            e = site.events[rid]
            write(_own_page(rid), "event.html", e=e, date=_date(e, "date"), end_date=_date(e, "end_date"), limit=limit)
        elif kind == "agr":
            a = site.agreements[rid]
            dates = [(m, _date(a, m)) for m in milestones()]
            write(_own_page(rid), "agreement.html", a=a, dates=dates, limit=limit)
        else:
            d = site.documents[rid]
            text = site.text(rid)
            cited = site.cited_in.get(rid, [])
            lines = (
                text.lines(1, text.line_count, merged([(c["start"], c["end"]) for c in cited]), 'class="cited"')
                if text
                else None
            )
            write(
                _own_page(rid),
                "document.html",
                d=d,
                published=_date(d, "published"),
                lines=lines,
                cited=cited[: limit * 3],
                cited_total=len(cited),
            )

    jobs = (
        [("ent", r) for r in site.entities]
        + [("evt", r) for r in site.events]
        + [("agr", r) for r in site.agreements]
        + [("doc", r) for r in site.documents]
    )
    written += _in_parallel(jobs, record_page, written)

    entries = [(r[label], _SINGULAR[folder], _own_page(r["id"])) for folder, _, items, label in kinds for r in items]
    shards = _search_shards(entries)
    for key, rows in shards.items():
        (root / "search" / f"{key}.js").write_text(
            f"usuaShard({json.dumps(key)},{json.dumps(rows, ensure_ascii=False, separators=(',', ':'))});\n",
            encoding="utf-8",
        )
        written.append(f"search/{key}.js")
    write("search.html", "search.html", counts=counts)
    return written
