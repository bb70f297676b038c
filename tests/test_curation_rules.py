"""The curation guide's checkable rules in `usua validate` (usua.validation.curation_rules): a good and a bad
example of each, with where the problem is and how to fix it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from usua.validation import check_paths
from usua.validation.curation_rules import quote_pieces, within

TEXT = """Ministers talk in Example City

On Friday the minister said, “We will keep helping our partner, whatever it takes.” The two ministers spoke in May.
They held a phone call on Friday. The country has provided aid. Since then, troops have advanced.
Leaders are reportedly alarmed about the election.
"""
DATED = "doc:dated-report"
DOUBTFUL = "doc:undated-report"


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "dated-report.txt").write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode()).hexdigest()

    def common() -> dict:  # a fresh dict each time: YAML would write a shared one as an alias, which is refused
        return {
            "title": "Ministers talk in Example City",
            "language": "en",
            "kind": "news_article",
            "path": "dated-report.txt",
            "sha256": sha,
            "rights": {"redistributable": False},
        }

    documents = [
        {
            "id": DATED,
            "publisher": "Example News",
            "published": {"value": "2022-10-21", "method": "stated"},
            **common(),
        },
        {
            "id": DOUBTFUL,
            "publisher": None,
            "authors": [],
            "published": {"value": "2023-07/2024-12", "method": "inferred", "basis": "from its content"},
            # the same text under other metadata: declared, or it would be refused as a duplicate
            "copy_of": {"document": DATED, "kind": "copy"},
            **common(),
        },
    ]
    (tmp_path / "documents.yaml").write_text(yaml.safe_dump({"schema_version": "1.2.0", "documents": documents}))
    return folder


def ev(quote: str, document: str = DATED) -> dict:
    return {"document": document, "quote": quote}


def event(**fields) -> dict:
    out = {
        "id": "evt:example",
        "type": "meeting",
        "title": "t",
        "status": "happened",
        "date": {"value": "2022-10-21", "method": "stated"},
        "evidence": [ev("The two ministers spoke in May.")],
    }
    out.update(fields)
    return out


def statement(**fields) -> dict:
    out = {
        "id": "stm:example",
        "speaker": "ent:minister",
        "date": {"value": "2022-10-21", "method": "stated"},
        "channel": "remarks",
        "form": "direct_quote",
        "text": "We will keep helping our partner, whatever it takes.",
        "evidence": [ev("On Friday the minister said, “We will keep helping our partner, whatever it takes.”")],
    }
    out.update(fields)
    return out


def problems(sources: Path, section: str, record: dict) -> list:
    entity = {"id": "ent:minister", "kind": "person", "name": "Minister", "evidence": [ev("the minister")]}
    path = sources.parent / "c.yaml"
    path.write_text(
        yaml.safe_dump({"schema_version": "1.1.0", "entities": [entity], section: [record]}, allow_unicode=True)
    )
    result = check_paths([sources.parent / "documents.yaml", path], sources_dir=sources)
    return result.problems


def codes(found) -> list[str]:
    return [p.code for p in found]


# ---------------------------------------------------------------- a direct quote is the source's words


@pytest.mark.parametrize(
    "text",
    [
        "We will keep helping our partner, whatever it takes.",
        "We will keep helping our partner",  # a part of the words
        '"We will keep helping our partner ... whatever it takes"',  # words left out, marked
        "We will keep helping our partner, whatever it takes",  # closing punctuation may differ
    ],
)
def test_a_direct_quote_within_its_evidence_passes(sources, text):
    assert problems(sources, "statements", statement(text=text)) == []


def test_a_direct_quote_with_the_outlets_words_fails_with_where_and_how(sources):
    found = problems(
        sources, "statements", statement(text="We will keep helping our partner, though he gave few specifics.")
    )
    assert codes(found) == ["quote-not-in-evidence"]
    p = found[0]
    assert (p.file.endswith("c.yaml"), p.pointer, p.severity) == (True, "/statements/0/text", "error")
    assert "not within any of its evidence quotes" in p.message and "form: paraphrase" in p.hint
    assert p.line is not None


def test_a_paraphrase_need_not_be_verbatim(sources):
    assert problems(sources, "statements", statement(form="paraphrase", text="He promised continued help.")) == []


def test_pieces_out_of_order_are_not_the_sources_words():
    assert within("our partner ... We will", "We will keep helping our partner") is False
    assert within("We will ... our partner", "We will keep helping our partner") is True


def test_bracketed_words_are_insertions():
    source = "If [Russian President] Vladimir Putin thinks he can outlast the coalition, he's wrong."
    assert within("If [Russian President] Vladimir Putin thinks he can outlast the coalition", source)  # the outlet's
    assert within(
        "[Putin] thinks he can outlast the coalition", "he thinks he can outlast the coalition"
    )  # the curator's
    assert not within("[Putin] thinks he can beat the coalition", "he thinks he can outlast the coalition")


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abc ,.", min_size=1, max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_any_slice_of_a_quote_is_within_it(quote, a, b):
    text = quote[min(a, b) : max(a, b)]
    if quote_pieces(text):
        assert within(text, quote)


# ---------------------------------------------------------------- someone said it


def test_an_outlets_report_of_a_mood_is_not_a_statement(sources):
    found = problems(
        sources,
        "statements",
        statement(
            form="paraphrase",
            text="Leaders are alarmed about the election.",
            evidence=[ev("Leaders are reportedly alarmed about the election.")],
        ),
    )
    assert codes(found) == ["no-one-said-it"] and found[0].severity == "warning"
    assert found[0].pointer == "/statements/0/evidence"


# ---------------------------------------------------------------- past by publication


def test_a_past_interval_that_ends_by_publication_passes(sources):
    good = event(
        id="evt:advance",
        type="military_offensive",
        date={
            "value": "2022-05/2022-10-21",
            "method": "resolved_relative",
            "stated_as": "Since then",
            "basis": "since May, to publication",
        },
        evidence=[ev("Since then, troops have advanced.")],
    )
    assert problems(sources, "events", good) == []


def test_a_past_interval_that_runs_beyond_publication_fails(sources):
    bad = event(
        id="evt:advance",
        type="military_offensive",
        date={
            "value": "2022-05/2022-10",
            "method": "resolved_relative",
            "stated_as": "Since then",
            "basis": "since May",
        },
        evidence=[ev("Since then, troops have advanced.")],
    )
    found = problems(sources, "events", bad)
    assert codes(found) == ["after-publication"]
    p = found[0]
    assert (
        p.pointer == "/events/0/date/value"
        and "runs to 2022-10-31" in p.message
        and "published by 2022-10-21" in p.message
    )
    assert "'2022-05/2022-10-21'" in p.hint


def test_a_planned_event_may_lie_after_publication(sources):
    assert problems(sources, "events", event(status="planned", date={"value": "2022-11", "method": "stated"})) == []


def test_an_ongoing_event_cannot_start_after_publication(sources):
    found = problems(sources, "events", event(status="ongoing", date={"value": "2022-12", "method": "stated"}))
    assert codes(found) == ["after-publication"]


def test_a_month_the_source_names_stays_a_month(sources):
    # 'in October 2022' in a text of 2022-10-21: the month is what the source says
    assert problems(sources, "events", event(date={"value": "2022-10", "method": "stated"})) == []


def test_a_past_event_cannot_begin_after_its_report(sources):
    found = problems(sources, "events", event(date={"value": "2022-11", "method": "stated"}))
    assert codes(found) == ["after-publication"] and "begins 2022-11-01" in found[0].message


def test_a_statement_cannot_be_dated_after_its_report(sources):
    assert problems(sources, "statements", statement(date={"value": "2022-10", "method": "stated"})) == []
    found = problems(sources, "statements", statement(date={"value": "2022-10-01/2022-10-31", "method": "stated"}))
    assert codes(found) == ["after-publication"] and found[0].pointer == "/statements/0/date/value"


# ---------------------------------------------------------------- a doubtful single source


def test_what_only_a_doubtful_source_says_happened_is_reported(sources):
    quote = [ev("The two ministers spoke in May.", DOUBTFUL)]
    date = {"value": "../2024-12", "method": "inferred", "basis": "before publication"}
    bad = problems(sources, "events", event(type="conversation", evidence=quote, date=date))
    assert codes(bad) == ["doubtful-single-source"] and "status: reported" in bad[0].hint
    assert bad[0].pointer == "/events/0/status"
    assert problems(sources, "events", event(type="conversation", status="reported", evidence=quote, date=date)) == []
    confirmed = quote + [ev("The two ministers spoke in May.")]
    assert problems(sources, "events", event(type="conversation", evidence=confirmed, date=date)) == []


# ---------------------------------------------------------------- a type no more specific than its evidence


@pytest.mark.parametrize(
    "type_, quote, general",
    [
        ("phone_call", "The two ministers spoke in May.", "conversation"),
        ("military_aid", "The country has provided aid.", "aid"),
        ("military_cooperation", "The country has provided aid.", "cooperation"),
    ],
)
def test_a_specific_type_needs_words_that_say_so(sources, type_, quote, general):
    found = problems(sources, "events", event(type=type_, evidence=[ev(quote)]))
    assert codes(found) == ["type-beyond-evidence"] and found[0].severity == "warning"
    assert found[0].pointer == "/events/0/type" and f"use type: {general}" in found[0].hint


@pytest.mark.parametrize(
    "type_, quote",
    [
        ("phone_call", "They held a phone call on Friday."),
        ("conversation", "The two ministers spoke in May."),
        ("aid", "The country has provided aid."),
    ],
)
def test_a_type_the_evidence_supports_passes(sources, type_, quote):
    assert problems(sources, "events", event(type=type_, evidence=[ev(quote)])) == []


# ---------------------------------------------------------------- a relative date keeps its words


def test_a_relative_date_needs_its_words(sources):
    relative = {
        "value": "2022-10-21",
        "method": "resolved_relative",
        "basis": "'Friday' before publication: 2022-10-21",
    }
    found = problems(sources, "events", event(date=relative))
    assert codes(found) == ["relative-date-without-words"] and found[0].pointer == "/events/0/date/stated_as"
    assert problems(sources, "events", event(date={**relative, "stated_as": "On Friday"})) == []
