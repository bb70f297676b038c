"""`usua site` on the bundled release, read as files: a page per record, evidence in context, full
texts only where the rights allow, a search index that finds names, and safe replacement of the output."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

import usua
import usua.cli.view_cmds  # noqa: F401
from usua.cli import app
from usua.errors import UsuaError
from usua.site import build_site
from usua.site.build import _search_shards, anchor, page_path
from usua.site.evidence import Text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out)
    return out


def _marks(html: str, block_id: str) -> str:
    """The text of the <mark class="quote"> elements of one evidence block, joined line by line."""
    m = re.search(rf'<article class="ev" id="{re.escape(block_id)}".*?</article>', html, re.S)
    assert m, block_id
    return "\n".join(unescape(t) for t in re.findall(r'<mark class="quote">(.*?)</mark>', m.group(0), re.S))


def test_every_entity_event_agreement_and_document_has_a_page(site):
    for table in ("entities", "events", "agreements", "documents"):
        ids = usua.load(table)["id"].to_list()
        assert ids
        for rid in ids:
            assert (site / page_path(rid)).is_file(), rid
        listed = (site / f"{table}.html").read_text(encoding="utf-8")
        assert all(f'href="{page_path(rid)}"' in listed for rid in ids)


def test_every_quote_is_highlighted_exactly_on_the_page_of_its_record(site):
    evidence = usua.load("evidence").to_dicts()
    documents = {d["id"]: d for d in usua.load("documents").to_dicts()}
    checked = 0
    for ev in evidence:
        host = _HOSTS.get(ev["record"])
        if host is None:
            continue
        html = (site / host).read_text(encoding="utf-8")
        block = anchor("ev", ev["record"], ev["path"] or "record", ev["n"])
        assert _marks(html, block) == ev["quote"], (ev["record"], ev["path"])
        checked += 1
    assert checked == len(evidence)  # every record with evidence is shown somewhere
    assert any(d["redistributable"] for d in documents.values())


_HOSTS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def hosts():
    from usua.loading import release
    from usua.site.build import Site

    s = Site(release(), None)
    for rid in usua.load("evidence")["record"].unique().to_list():
        url = s.host(rid)
        if url:
            _HOSTS[rid] = url.split("#")[0]
    return _HOSTS


def test_context_lines_and_segments_surround_a_quote_of_a_redistributable_text(site):
    ev = next(
        e
        for e in usua.load("evidence").to_dicts()
        if e["segment"] == "title" and usua.load("documents").filter(id=e["document"])["redistributable"][0]
    )
    html = (site / _HOSTS[ev["record"]]).read_text(encoding="utf-8")
    block = re.search(
        rf'<article class="ev" id="{anchor("ev", ev["record"], ev["path"] or "record", ev["n"])}".*?</article>',
        html,
        re.S,
    ).group(0)
    assert 'class="line seg seg-title hit"' in block
    assert len(re.findall(r'<div class="line', block)) >= 3  # the quote's line and the lines around it


def test_texts_that_may_not_be_redistributed_never_appear(site):
    docs = usua.load("documents").to_dicts()
    quotes = usua.load("evidence")["quote"].to_list()
    pages = "\n".join(unescape(p.read_text(encoding="utf-8")) for p in site.rglob("*.html"))
    for d in docs:
        text = (ROOT / "dataset" / "sources" / d["path"]).read_text(encoding="utf-8")
        uncited = [
            line for line in text.splitlines() if len(line) > 60 and not any(line in q or q in line for q in quotes)
        ]
        shown = [line for line in uncited if line in pages]
        if d["redistributable"]:
            assert shown, d["id"]  # the full text is there
        else:
            assert not shown, (d["id"], shown[:1])


def test_text_lines_mark_a_quote_over_several_lines():
    t = Text("first line\nsecond line\nthird line\n", [{"first_line": 3, "last_line": 3, "kind": "caption"}])
    start = t.text.index("line\nsecond")
    lines = t.context(start, start + len("line\nsecond"))
    marked = [re.findall(r"<mark[^>]*>(.*?)</mark>", line.html) for line in lines]
    assert [m for m in marked if m] == [["line"], ["second"]]
    assert [line.segment for line in lines] == [None, None, "caption", None]


def test_search_index_finds_names_and_titles(site):
    keys = {p.stem for p in (site / "search").glob("*.js")}
    entry = json.loads(re.search(r"usuaShard\(\"aus\",(.*)\);", (site / "search" / "aus.js").read_text()).group(1))
    assert "aus" in keys
    assert ["Lloyd J. Austin III", "entity", page_path("ent:lloyd-austin")] in entry


def test_large_search_prefixes_are_split_into_small_files():
    entries = [(f"United {'x' * (i % 7)} event {i}", "event", f"events/e{i}.html") for i in range(20000)]
    shards = _search_shards(entries)
    assert isinstance(shards["uni"], dict) and "unit" in shards["uni"]["split"]
    for data in shards.values():
        if isinstance(data, list):
            assert len(json.dumps(data)) < 400_000
    # what search.js does for the query "united": follow the splits from "uni" down, load every part
    found, queue = set(), ["uni"]
    while queue:
        key = queue.pop()
        data = shards[key]
        if isinstance(data, list):
            found.update(url for _, _, url in data)
        elif len("united") > len(key) and "united"[: len(key) + 1] in data["split"]:
            queue.append("united"[: len(key) + 1])
        elif len("united") <= len(key) or key == "united":
            queue.extend(data["split"])
    assert len(found) == 20000


def test_no_page_loads_anything_from_the_network(site):
    for p in site.rglob("*.html"):
        html = p.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            if url.startswith(("http://", "https://")):
                assert 'rel="noopener"' in html  # outbound links only (Wikidata, sources), never loaded
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', html), p


def test_site_refuses_a_non_empty_folder_and_replaces_it_with_force(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(UsuaError, match="not empty; use --force"):
        build_site(out)
    assert (out / "mine.txt").read_text() == "keep me"
    r = CliRunner().invoke(app, ["site", "--out", str(out), "--force"])
    assert r.exit_code == 0, r.output
    assert (out / "index.html").is_file() and not (out / "mine.txt").exists()
    assert "full texts shown for" in r.stdout


def test_the_home_page_tells_where_each_retired_id_went(site):
    """Every redirect and withdrawal of the release is on the home page: a merged id with a link to the
    record that holds its facts (where that record has a page), a withdrawn one with its reason."""
    home = unescape((site / "index.html").read_text(encoding="utf-8"))
    retired = home[home.index('<section id="retired">') :]
    for r in usua.load("redirects").to_dicts():
        row = retired[retired.index(f'id="{anchor("retired", r["id"])}"') :].split("</tr>")[0]
        assert f"<code>{r['id']}</code>" in row and "merged into" in row and r["reason"] in row
        assert page_path(r["to"]) is None or f'href="{page_path(r["to"])}"' in row
    withdrawals = usua.load("withdrawals").to_dicts()
    assert withdrawals, "the release withdraws ids (the three that release 1.1.0 removed)"
    for w in withdrawals:
        row = retired[retired.index(f'id="{anchor("retired", w["id"])}"') :].split("</tr>")[0]
        assert f"<code>{w['id']}</code>" in row and "withdrawn" in row and w["reason"] in row
