"""Bad inputs, one table: what a contributor may put in dataset/curation and what they are told.

Each case names the input in plain words, makes it, and gives a fragment of the one line the user
sees (from `usua validate` and from `usua build`, which must say the same thing and exit 1, leaving
the last release untouched). tests/test_bad_inputs.py runs every case both ways; the table is also
meant to be read (and turned into a catalogue of bad inputs for the documentation).

The records refer to the sample checkout of tests/test_build.py (doc:kyiv, ent:kyiv...).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class BadInput:
    name: str  # short id of the case (test id)
    description: str  # what the input is, in a contributor's words
    file: str  # its file name in dataset/curation
    make: Callable[[Path], None]  # writes the input at the given path
    message: str  # a fragment of the one line the user sees
    exit_code: int = 1
    #: False where the build reports the same problem from the other side (of two files defining one
    #: id, it cannot tell which is new, so it names the later one and points to the earlier)
    same_line_in_build: bool = True


def _write(text: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(text.encode() if isinstance(text, str) else text)

    return make


def _yaml(**sections) -> Callable[[Path], None]:
    return _write(yaml.safe_dump({"schema_version": "1.0.0", **sections}, sort_keys=False, allow_unicode=True))


def _json(**sections) -> Callable[[Path], None]:
    return _write(json.dumps({"schema_version": "1.0.0", **sections}))


def _jsonl(*records: dict) -> Callable[[Path], None]:
    return _write("".join(json.dumps(r) + "\n" for r in records))


def _symlink(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target, path)

    return make


def _loop(path: Path) -> None:
    os.symlink(path.name, path)  # a link to itself


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def entity(**changes) -> dict:
    """A valid new entity of the sample checkout, with some fields changed."""
    return {
        "id": "ent:kyiv-city",
        "kind": "place",
        "name": "Kyiv city",
        "evidence": [{"document": "doc:kyiv", "quote": "met Oleksii Reznikov in Kyiv"}],
        **changes,
    }


def figure(**changes) -> dict:
    return {
        "id": "fig:aid-again",
        "about": "aid",
        "value": "2500000000",
        "unit": "USD",
        "qualifier": "exact",
        "evidence": [{"document": "doc:kyiv", "quote": "will provide $2.5 billion"}],
        **changes,
    }


def _date(value: str) -> dict:
    return {"value": value, "method": "stated"}


DEEP = 40_000
LONG_NUMBER = "9" * 5000

CASES: list[BadInput] = [
    BadInput(
        "deep-yaml",
        f"YAML nested {DEEP:,} levels deep (x: [[[[...)",
        "deep.yaml",
        _write("x: " + "[" * DEEP + "\n"),
        "values are nested more than 40 levels deep",
    ),
    BadInput(
        "deep-json",
        f"JSON nested {DEEP:,} levels deep",
        "deep.json",
        _write('{"x": ' + "[" * DEEP + "]" * DEEP + "}"),
        "values are nested more than 40 levels deep",
    ),
    BadInput(
        "deep-jsonl",
        f"a JSON Lines record nested {DEEP:,} levels deep",
        "deep.jsonl",
        _write('{"entity": ' + "[" * DEEP + "]" * DEEP + "}\n"),
        "values are nested more than 40 levels deep",
    ),
    BadInput(
        "long-number-yaml",
        "a YAML figure whose value is a 5000-digit integer",
        "long.yaml",
        _write('schema_version: "1.0.0"\nfigures:\n  - id: fig:x\n    value: ' + LONG_NUMBER + "\n"),
        "a number of 5,000 characters is longer than the limit of 40",
    ),
    BadInput(
        "long-number-json",
        "a JSON figure whose value is a 5000-digit integer",
        "long.json",
        _write('{"schema_version": "1.0.0", "figures": [{"id": "fig:x", "value": ' + LONG_NUMBER + "}]}"),
        "a number of 5,000 characters is longer than the limit of 40",
    ),
    BadInput(
        "long-number-jsonl",
        "a JSON Lines figure whose value is a 5000-digit integer",
        "long.jsonl",
        _write('{"figure": {"id": "fig:x", "value": ' + LONG_NUMBER + "}}\n"),
        "a number of 5,000 characters is longer than the limit of 40",
    ),
    BadInput(
        "redefined-id",
        "a new file that defines again an id the curation already has (ent:kyiv)",
        "again.yaml",
        _yaml(entities=[entity(id="ent:kyiv")]),
        "the id ent:kyiv is already used in dataset/curation/",
        same_line_in_build=False,
    ),
    BadInput(
        "upper-case-suffix",
        "a file named new.YAML (endings are compared in any case) holding a bad record",
        "new.YAML",
        _yaml(entities=[entity(kind="persn")]),
        "'persn' is not an allowed kind",
    ),
    BadInput(
        "date-newline",
        'a date "2021-10-22\\n" (a line break after the date)',
        "date.json",
        _json(
            roles=[
                {
                    "id": "role:x",
                    "person": "ent:lloyd-austin",
                    "post": "Secretary",
                    "attested": _date("2021-10-22\n"),
                    "evidence": [{"document": "doc:kyiv", "quote": "Secretary Lloyd J. Austin III"}],
                }
            ]
        ),
        "'2021-10-22\\n' is not a date",
    ),
    BadInput(
        "id-newline",
        'an id "ent:kyiv-city\\n" (a line break after the id)',
        "id.json",
        _json(entities=[entity(id="ent:kyiv-city\n")]),
        "is not a valid entity id",
    ),
    BadInput(
        "version-newline",
        'schema_version "1.0.0\\n"',
        "version.json",
        _write('{"schema_version": "1.0.0\\n"}'),
        "is not a version number like",
    ),
    BadInput(
        "amount-newline",
        'a figure value "2500000000\\n" written as text with a line break',
        "amount.json",
        _json(figures=[figure(value="2500000000\n")]),
        "is not a plain non-negative decimal number",
    ),
    BadInput(
        "identifier-newline",
        'a Wikidata identifier "Q1899\\n"',
        "qid.json",
        _json(entities=[entity(identifiers=[{"scheme": "wikidata", "value": "Q1899\n"}])]),
        "is not a valid wikidata identifier",
    ),
    BadInput(
        "symlink-loop",
        "a symbolic link that points to itself",
        "loop.yaml",
        _loop,
        "this is a symbolic link that loops back on itself",
    ),
    BadInput(
        "symlink-dangling",
        "a symbolic link to a file that does not exist",
        "gone.yaml",
        _symlink("nowhere.yaml"),
        "this symbolic link points to nowhere.yaml, which does not exist",
    ),
    BadInput(
        "dev-zero",
        "a symbolic link to /dev/zero (endless bytes)",
        "zero.yaml",
        _symlink("/dev/zero"),
        "this is a character device, not a regular file",
    ),
    BadInput(
        "fifo",
        "a FIFO (named pipe) named like a contribution file",
        "pipe.yaml",
        _fifo,
        "this is a FIFO (named pipe), not a regular file",
    ),
    BadInput(
        "nul-json",
        "a NUL character (\\u0000) inside a JSON string",
        "nul.json",
        _json(entities=[entity(name="Kyiv\u0000city")]),
        "the text holds the control character U+0000 (NUL) at character 5",
    ),
    BadInput(
        "nul-jsonl",
        "a NUL character (\\u0000) inside a JSON Lines string",
        "nul.jsonl",
        _jsonl({"entity": entity(name="Kyiv\u0000city")}),
        "the text holds the control character U+0000 (NUL) at character 5",
    ),
    BadInput(
        "escape-yaml",
        'an escape character written "\\e" inside a YAML string',
        "esc.yaml",
        _write('schema_version: "1.0.0"\nentities:\n  - id: ent:kyiv-city\n    name: "Kyiv\\e[31m"\n'),
        "the text holds the control character U+001B (ESC) at character 5",
    ),
    BadInput(
        "c1-json",
        "a C1 control character (U+0085) inside a JSON string",
        "c1.json",
        _json(entities=[entity(name="Kyiv\u0085city")]),
        "the text holds the control character U+0085",
    ),
    BadInput(
        "blank-quote",
        'an evidence quote " " (only a space)',
        "blank.yaml",
        _yaml(entities=[entity(evidence=[{"document": "doc:kyiv", "quote": " "}])]),
        "the quote ' ' is too weak to be evidence",
    ),
    BadInput(
        "common-word-quote",
        'an evidence quote "the" (a single very common word)',
        "the.yaml",
        _yaml(entities=[entity(evidence=[{"document": "doc:kyiv", "quote": "the"}])]),
        "the quote 'the' is too weak to be evidence",
    ),
    BadInput(
        "short-words-quote",
        'an evidence quote "U.S." (no word of three letters or more)',
        "us.yaml",
        _yaml(entities=[entity(evidence=[{"document": "doc:kyiv", "quote": "U.S."}])]),
        "the quote 'U.S.' is too weak to be evidence",
    ),
    BadInput(
        "withdrawn-id-reused",
        "a record on an id that is withdrawn",
        "reuse.yaml",
        _yaml(withdrawals=[{"id": "ent:kyiv-city", "reason": "no source names it."}], entities=[entity()]),
        "reuse.yaml:6: /entities/0/id: the id ent:kyiv-city is withdrawn in dataset/curation/reuse.yaml line 3 "
        "(no source names it); a retired id never names a record again (give this record a new id)",
    ),
    BadInput(
        "withdrawn-id-referred-to",
        "a reference to a withdrawn id",
        "refer.yaml",
        _yaml(
            withdrawals=[{"id": "ent:kyiv-old", "reason": "no source names it"}],
            figures=[figure(subjects=["ent:kyiv-old"])],
        ),
        "/figures/0/subjects/0: ent:kyiv-old is withdrawn (no source names it) (refer to "
        "the record that holds the fact now, or remove the reference)",
    ),
]

#: Inputs that are fine, and that the build must keep (each once went missing or failed somewhere).
GOOD_INPUTS: list[BadInput] = [
    BadInput(
        "upper-case-suffix-kept",
        "a valid record in a file named new.YAML",
        "new.YAML",
        _yaml(entities=[entity()]),
        "ent:kyiv-city",
        exit_code=0,
    ),
    BadInput(
        "jsonl-tab-escape-kept",
        "a valid JSON Lines record whose description holds a tab written \\u0009",
        "tab.jsonl",
        _write(
            json.dumps({"entity": entity(description="A city on the Dnipro.")}).replace("city on", "city\\u0009on")
            + "\n"
        ),
        "ent:kyiv-city",
        exit_code=0,
    ),
]
