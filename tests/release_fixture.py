"""A small but complete release folder for tests: Parquet (with the real Arrow schemas) for every
table in usua.release_tables.TABLES, JSON and JSON Lines copies, records/<section>.json and manifest.json in
the published layout. Tables without hand-written rows are empty but still have their schema."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from builders.changes import with_item_keys
from usua.models.contribution import SECTIONS
from usua.release_tables import TABLES, arrow_schema, get_table

DOC_A = "doc:dod-2021-austin-zelenskyy-pentagon"
DOC_B = "doc:antiwar-2022-austin-reznikov-shoigu-calls"


def _dates(
    prefix: str,
    value: str | None,
    precision: str,
    earliest: date | None,
    latest: date | None,
    method: str = "stated",
    stated_as: str | None = None,
) -> dict[str, Any]:
    return {
        prefix: value,
        f"{prefix}_precision": precision,
        f"{prefix}_earliest": earliest,
        f"{prefix}_latest": latest,
        f"{prefix}_method": method,
        f"{prefix}_stated_as": stated_as,
        f"{prefix}_basis": None,
    }


def _rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "documents": [
            {
                "id": DOC_A,
                "title": "Austin welcomes Zelenskyy to the Pentagon",
                "publisher": "U.S. Department of Defense",
                "authors": ["Jim Garamone"],
                "url": None,
                "language": "en",
                "kind": "news_article",
                **_dates("published", "2021-09-01", "day", date(2021, 9, 1), date(2021, 9, 1)),
                "path": "dod-2021-austin-zelenskyy-pentagon.txt",
                "sha256": "0" * 64,
                "characters": 2627,
                "redistributable": True,
                "licence": "public domain",
                "rights_note": None,
                "reliability": [],
            },
            {
                "id": DOC_B,
                "title": "Austin speaks with Reznikov and Shoigu",
                "publisher": None,
                "authors": [],
                "url": None,
                "language": "en",
                "kind": "news_article",
                **_dates("published", "2022-05", "month", date(2022, 5, 1), date(2022, 5, 31), "inferred"),
                "path": "antiwar-2022-austin-reznikov-shoigu-calls.txt",
                "sha256": "1" * 64,
                "characters": 2180,
                "redistributable": False,
                "licence": None,
                "rights_note": "quoted under fair use",
                "reliability": ["reposted copy"],
            },
        ],
        "entities": [
            {
                "id": "ent:united-states",
                "kind": "state",
                "name": "United States",
                "aliases": ["U.S.", "America"],
                "wikidata": "Q30",
                "iso3166_alpha3": "USA",
                "country": "USA",
                "sector": "GOV",
                "description": None,
            },
            {
                "id": "ent:ukraine",
                "kind": "state",
                "name": "Ukraine",
                "aliases": [],
                "wikidata": "Q212",
                "iso3166_alpha3": "UKR",
                "country": "UKR",
                "sector": "GOV",
                "description": None,
            },
            {
                "id": "ent:lloyd-austin",
                "kind": "person",
                "name": "Lloyd J. Austin III",
                "aliases": ["Austin"],
                "wikidata": None,
                "iso3166_alpha3": None,
                "country": "USA",
                "sector": "MIL",
                "description": 'U.S. Secretary of Defense, with a comma, a "quote" and a newline\nin it.',
            },
            {
                "id": "ent:oleksii-reznikov",
                "kind": "person",
                "name": "Oleksii Reznikov",
                "aliases": ["Reznikov"],
                "wikidata": None,
                "iso3166_alpha3": None,
                "country": "UKR",
                "sector": "GOV",
                "description": None,
            },
        ],
        "events": [
            {
                "id": "evt:austin-zelenskyy-pentagon-meeting",
                "type": "meeting",
                "plover_type": "CONSULT",
                "plover_mode": None,
                "plover_context": "diplomatic",
                "cameo": "040",
                "title": "Austin hosts Zelenskyy at the Pentagon",
                "summary": None,
                "status": "happened",
                **_dates("date", "2021-08-31", "day", date(2021, 8, 31), date(2021, 8, 31)),
                **_dates("end_date", None, "unknown", None, None),
                "location": None,
                "part_of": None,
                "agreements": [],
                "documents": [DOC_A],
            },
            {
                "id": "evt:austin-reznikov-call",
                "type": "phone_call",
                "plover_type": "CONSULT",
                "plover_mode": "phone",
                "plover_context": "diplomatic",
                "cameo": "041",
                "title": "Austin speaks with Reznikov",
                "summary": "A call.",
                "status": "happened",
                **_dates(
                    "date", "2022-05-13", "day", date(2022, 5, 13), date(2022, 5, 13), "resolved_relative", "on Friday"
                ),
                **_dates("end_date", None, "unknown", None, None),
                "location": None,
                "part_of": None,
                "agreements": [],
                "documents": [DOC_B],
            },
            {
                "id": "evt:security-dialogue-2025",
                "type": "consultations",
                "plover_type": "CONSULT",
                "plover_mode": None,
                "plover_context": "diplomatic",
                "cameo": "040",
                "title": "Security dialogue",
                "summary": None,
                "status": "planned",
                **_dates("date", "2025-01", "month", date(2025, 1, 1), date(2025, 1, 31)),
                **_dates("end_date", None, "unknown", None, None),
                "location": None,
                "part_of": None,
                "agreements": [],
                "documents": [DOC_A, DOC_B],
            },
        ],
        "event_participants": [
            {
                "event": "evt:austin-zelenskyy-pentagon-meeting",
                "entity": "ent:lloyd-austin",
                "role": "host",
                "status": None,
                "note": None,
            },
            {
                "event": "evt:austin-reznikov-call",
                "entity": "ent:lloyd-austin",
                "role": "initiator",
                "status": None,
                "note": None,
            },
            {
                "event": "evt:austin-reznikov-call",
                "entity": "ent:oleksii-reznikov",
                "role": "recipient",
                "status": None,
                "note": None,
            },
            {
                "event": "evt:security-dialogue-2025",
                "entity": "ent:ukraine",
                "role": "attendee",
                "status": "expected",
                "note": None,
            },
        ],
        "entity_aliases": [
            {"entity": "ent:lloyd-austin", "alias": "Austin", "kind": "surname", "basis": None},
        ],
        "figures": [
            {
                "id": "fig:aid-2022",
                "about": "security assistance",
                "value": 1.5,
                "value_text": "1.5",
                "unit": "USD",
                "qualifier": "more_than",
                **_dates("period", None, "unknown", None, None),
                "subjects": [],
            },
        ],
    }


# Valid nested records (they must pass the models) for records/<section>.json.
RECORDS: dict[str, list[dict[str, Any]]] = {
    "entities": [
        {
            "id": "ent:lloyd-austin",
            "kind": "person",
            "name": "Lloyd J. Austin III",
            "aliases": [{"name": "Austin", "kind": "surname"}],
            "evidence": [
                {
                    "document": DOC_A,
                    "quote": "Secretary of Defense Lloyd J. Austin III",
                    "start": 10,
                    "end": 50,
                    "segment": "body",
                }
            ],
        },
    ],
    "events": [
        {
            "id": "evt:austin-reznikov-call",
            "type": "phone_call",
            "title": "Austin speaks with Reznikov",
            "status": "happened",
            "date": {
                "value": "2022-05-13",
                "method": "resolved_relative",
                "stated_as": "on Friday",
                "basis": "the Friday before publication",
            },
            "participants": [{"entity": "ent:lloyd-austin", "role": "initiator"}],
            "evidence": [{"document": DOC_B, "quote": "Austin spoke with Reznikov"}],
        },
    ],
}


def _fill(table: str, row: dict[str, Any]) -> dict[str, Any]:
    t = get_table(table)
    unknown = set(row) - set(t.column_names)
    assert not unknown, f"{table}: no columns {unknown}"
    out = {}
    for c in t.columns:
        if c.name in row:
            out[c.name] = row[c.name]
        elif c.type == "list":
            out[c.name] = []
        else:
            assert c.nullable, f"{table}: column {c.name} is required"
            out[c.name] = None
    return out


def _json_default(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    raise TypeError(type(v))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_release(folder: Path, version: str = "0.9.0") -> Path:
    """Write a release into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = _rows()
    with_item_keys(rows, {r["id"]: r for recs in RECORDS.values() for r in recs})  # the key columns
    files: dict[str, dict[str, Any]] = {}
    counts: dict[str, dict[str, int]] = {}

    def add(rel: str, table: str | None, fmt: str, n: int | None) -> None:
        p = folder / rel
        files[rel] = {"sha256": _sha(p), "bytes": p.stat().st_size, "rows": n, "table": table, "format": fmt}

    for t in TABLES:
        data = [_fill(t.name, r) for r in rows.get(t.name, [])]
        arrow = pa.Table.from_pylist(data, schema=arrow_schema(t.name))
        for sub in ("parquet", "json", "jsonl"):
            (folder / sub).mkdir(exist_ok=True)
        pq.write_table(arrow, folder / "parquet" / f"{t.name}.parquet")
        (folder / "json" / f"{t.name}.json").write_text(
            json.dumps(data, default=_json_default, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (folder / "jsonl" / f"{t.name}.jsonl").write_text(
            "".join(json.dumps(r, default=_json_default, ensure_ascii=False) + "\n" for r in data), encoding="utf-8"
        )
        for sub, fmt in (("parquet", "parquet"), ("json", "json"), ("jsonl", "jsonl")):
            add(f"{sub}/{t.name}.{fmt}", t.name, fmt, len(data))
        counts[t.name] = {"rows": len(data)}
    (folder / "records").mkdir(exist_ok=True)
    for section in SECTIONS:
        recs = RECORDS.get(section, [])
        (folder / "records" / f"{section}.json").write_text(json.dumps(recs, indent=1) + "\n", encoding="utf-8")
        add(f"records/{section}.json", None, "json", len(recs))
    manifest = {
        "dataset": "usua",
        "dataset_version": version,
        "schema_version": "1.0.0",
        "inputs": {},
        "tables": counts,
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return folder


class ReleaseServer:
    """A real HTTP server on 127.0.0.1 (port chosen by the OS) serving ``root`` in a thread.

    ``cut_short`` names URL paths for which the server promises the full Content-Length but sends
    only half the bytes and closes the connection; ``trickle`` paths are sent one byte every 50 ms;
    ``flood`` paths are sent with no Content-Length and followed by up to 256 MiB of zeros;
    ``delay`` holds back the answer to a path by some seconds. ``requests`` counts every request
    path served, ``sent`` the body bytes written per path."""

    def __init__(self, root: Path) -> None:
        import functools
        import threading
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        server_self = self
        self.cut_short: set[str] = set()
        self.trickle: set[str] = set()
        self.flood: set[str] = set()
        self.delay: dict[str, float] = {}
        self.requests: list[str] = []
        self.sent: dict[str, int] = {}

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send_body(self, body: bytes, *, step: float = 0.0, extra: int = 0) -> None:
                sent = 0
                try:
                    if step:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            sent += 1
                            time.sleep(step)
                    else:
                        self.wfile.write(body)
                        sent += len(body)
                    zeros = bytes(1 << 16)
                    while sent < len(body) + extra:
                        self.wfile.write(zeros)
                        sent += len(zeros)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up, as it should
                finally:
                    server_self.sent[self.path] = sent
                    self.close_connection = True

            def do_GET(self) -> None:
                server_self.requests.append(self.path)
                time.sleep(server_self.delay.get(self.path, 0))
                if self.path in server_self.trickle or self.path in server_self.flood:
                    body = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
                    self.send_response(200)
                    if self.path in server_self.trickle:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.path in server_self.flood:
                        self._send_body(body, extra=256 << 20)
                    else:
                        self._send_body(body, step=0.05)
                    return
                if self.path in server_self.cut_short:
                    body = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                super().do_GET()

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)  # a client cut off on purpose is no error

        self.httpd = QuietServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(timeout=5)
            self.running = False
