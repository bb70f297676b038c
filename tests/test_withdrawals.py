"""Released ids never stop resolving: every id a published release holds is, in each later release, a
record, a redirect or a withdrawal. The build refuses a release that drops one (all of them at once,
with the fix), and `usua validate` tells the same first; a retired id is never defined again, and a
reference to a withdrawn one is an error that says why it was withdrawn."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders.curation import curation_files, load_curation
from builders.errors import BuildError
from builders.release import build_release
from usua.models import RECORD_TYPES, Withdrawal
from usua.release_folder import BUNDLED_DIR
from usua.release_registry import format_registry, read_registry
from usua.validation.context import validate_files
from usua.release_folder import version_key
from usua.validation.released import check_released, release_ids
from usua.version import DATASET_VERSION

from .strategies import ids

ROOT = Path(__file__).resolve().parent.parent
WITHDRAWN_STATEMENT = "stm:2024-european-leaders-alarmed-about-trump-return"
WITHDRAWN_DISAGREEMENT = "dis:2022-10-21-lines-of-communication-attribution"
EVENT = "evt:2022-10-21-austin-shoigu-call"  # a record of the curated dataset
CODES = ("reused-id", "withdrawn-id", "retired-id")


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    """A copy of the checkout's inputs with a release registry of its own (no release published yet);
    the current folder is the checkout, so that validate and the build name files alike."""
    root = tmp_path / "checkout"
    for part in ("dataset/sources", "dataset/curation"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(ROOT / "dataset" / "assertions.yaml", root / "dataset" / "assertions.yaml")
    (root / "usua").mkdir()
    monkeypatch.chdir(root)
    return root


def publish(root: Path, version: str, records: dict[str, list[str]], compact: bool = False) -> Path:
    """A committed release holding these ids (section -> ids), listed in the checkout's registry:
    records/<section>.json, or, ``compact``, only the Parquet tables (no records/)."""
    folder = root / "dataset" / "releases" / version
    folder.mkdir(parents=True)
    files: dict[str, dict] = {}
    tables: dict[str, dict] = {}
    table_of = {t.section: t.table for t in RECORD_TYPES}
    for section, section_ids in records.items():
        if compact:
            rel = f"parquet/{table_of[section]}.parquet"
            (folder / "parquet").mkdir(exist_ok=True)
            pq.write_table(pa.table({"id": pa.array(section_ids, pa.string())}), folder / rel)
            files[rel] = {"sha256": hashlib.sha256((folder / rel).read_bytes()).hexdigest(), "format": "parquet"}
            tables[table_of[section]] = {"rows": len(section_ids)}
        else:
            (folder / "records").mkdir(exist_ok=True)
            (folder / "records" / f"{section}.json").write_text(json.dumps([{"id": i} for i in section_ids]))
    manifest = {"dataset": "usua", "dataset_version": version, "files": files, "tables": tables}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    registry = root / "usua" / "release-registry.txt"
    registry.parent.mkdir(exist_ok=True)
    pins = read_registry(registry) if registry.exists() else {}
    pins[version] = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    registry.write_text(format_registry(pins))
    return folder


def add_file(root: Path, name: str, **sections) -> Path:
    path = root / "dataset" / "curation" / name
    path.write_text(yaml.safe_dump({"schema_version": DATASET_VERSION, **sections}, sort_keys=False))
    return path


def validate_all(root: Path) -> list:
    files = [Path(p).relative_to(root) for p in curation_files(root)]
    return validate_files(files, checkout=root).problems


def build_problems(root: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        load_curation(root)
    return caught.value.problems


def test_the_build_refuses_a_release_that_drops_released_ids_and_names_them_all(checkout):
    publish(checkout, "0.1.0", {"entities": ["ent:gone-one"], "events": [EVENT, "evt:gone-two"]})
    publish(checkout, "0.2.0", {"events": [EVENT, "evt:gone-two"], "withdrawals": [WITHDRAWN_STATEMENT]})
    told = build_problems(checkout)
    assert told == [
        "dataset/releases/0.1.0: ent:gone-one was published in release 0.1.0 and is not in this release as a "
        "record, a redirect or a withdrawal (a released id never stops resolving) (keep the record, or add a "
        "redirect to the record that now holds its facts (redirects: {id, to, reason}), or withdraw it with a "
        "reason (withdrawals: {id, reason}, e.g. in dataset/curation/withdrawals.yaml))",
        "dataset/releases/0.1.0: evt:gone-two was published in releases 0.1.0 to 0.2.0 and is not in this "
        "release as a record, a redirect or a withdrawal (a released id never stops resolving) (keep the "
        "record, or add a redirect to the record that now holds its facts (redirects: {id, to, reason}), or "
        "withdraw it with a reason (withdrawals: {id, reason}, e.g. in dataset/curation/withdrawals.yaml))",
    ]
    # validate tells the contributor the same, first
    assert [p.format() for p in validate_all(checkout) if p.code == "released-id-missing"] == told

    add_file(
        checkout,
        "retired.yaml",
        withdrawals=[{"id": "ent:gone-one", "reason": "no source names it"}],
        redirects=[{"id": "evt:gone-two", "to": EVENT, "reason": "the same call"}],
    )
    assert Withdrawal(id="ent:gone-one", reason="no source names it") in load_curation(checkout).records["withdrawals"]
    assert not [p for p in validate_all(checkout) if p.severity == "error"]


def test_a_refused_build_leaves_the_releases_as_they_were(checkout):
    (checkout / "dataset" / "curation" / "withdrawals.yaml").unlink()
    publish(checkout, "0.1.0", {"statements": [WITHDRAWN_STATEMENT]})
    before = {p: p.read_bytes() for p in (checkout / "dataset" / "releases").rglob("*") if p.is_file()}
    registry = (checkout / "usua" / "release-registry.txt").read_bytes()
    with pytest.raises(BuildError) as caught:
        build_release(checkout)
    assert len(caught.value.problems) == 1 and WITHDRAWN_STATEMENT in caught.value.problems[0]
    after = {p: p.read_bytes() for p in (checkout / "dataset" / "releases").rglob("*") if p.is_file()}
    assert after == before and (checkout / "usua" / "release-registry.txt").read_bytes() == registry


def test_a_compact_release_is_read_from_its_parquet_tables(checkout):
    publish(checkout, "0.1.0", {"events": [EVENT, "evt:gone"], "withdrawals": ["ent:gone"]}, compact=True)
    assert sorted(release_ids(checkout / "dataset" / "releases" / "0.1.0")) == sorted([EVENT, "evt:gone", "ent:gone"])
    told = [p for p in build_problems(checkout) if "was published" in p]
    assert [p.split(" was published")[0] for p in told] == [
        "dataset/releases/0.1.0: evt:gone",
        "dataset/releases/0.1.0: ent:gone",
    ]


def test_a_registered_release_whose_folder_is_missing_is_told(checkout):
    publish(checkout, "0.1.0", {"events": [EVENT]})
    shutil.rmtree(checkout / "dataset" / "releases" / "0.1.0")
    assert build_problems(checkout) == [
        "dataset/releases/0.1.0: release 0.1.0 is listed in usua/release-registry.txt but its folder is missing, "
        "so its ids cannot be checked (restore the committed release (git checkout -- dataset/releases/0.1.0))"
    ]


def test_reusing_or_referring_to_a_withdrawn_id_is_refused_by_validate_and_the_build_alike(checkout):
    add_file(
        checkout,
        "zz-reuse.yaml",
        disagreements=[
            {"id": WITHDRAWN_DISAGREEMENT, "subject": WITHDRAWN_STATEMENT, "aspect": "who said it", "field": "/speaker"}
        ],
    )
    by_validate = [p for p in validate_all(checkout) if p.code in ("reused-id", "withdrawn-id")]
    assert [(p.file, p.pointer, p.code) for p in by_validate] == [
        ("dataset/curation/zz-reuse.yaml", "/disagreements/0/id", "reused-id"),
        ("dataset/curation/zz-reuse.yaml", "/disagreements/0/subject", "withdrawn-id"),
    ]
    reused, referred = by_validate
    curated = yaml.safe_load((ROOT / "dataset" / "curation" / "withdrawals.yaml").read_text(encoding="utf-8"))
    why = {w["id"]: w["reason"].rstrip(". ") for w in curated["withdrawals"]}
    assert reused.message.startswith(
        f"the id {WITHDRAWN_DISAGREEMENT} is withdrawn in dataset/curation/withdrawals.yaml line "
    )
    assert reused.message.endswith(f" ({why[WITHDRAWN_DISAGREEMENT]}); a retired id never names a record again")
    assert reused.hint == "give this record a new id"
    assert referred.message == f"{WITHDRAWN_STATEMENT} is withdrawn ({why[WITHDRAWN_STATEMENT]})"
    by_build = build_problems(checkout)
    assert [p.format() for p in by_validate] == [line for line in by_build if "withdrawn" in line]


def test_a_record_on_a_merged_id_is_refused(checkout):
    add_file(
        checkout,
        "zz-merged.yaml",
        withdrawals=[{"id": "ent:withdrawn-here", "reason": "a test"}],
        redirects=[{"id": "ent:merged-here", "to": "ent:lloyd-austin", "reason": "a test"}],
        entities=[
            {
                "id": "ent:merged-here",
                "kind": "person",
                "name": "Lloyd Austin",
                "evidence": [
                    {
                        "document": "doc:dod-2021-austin-zelenskyy-pentagon",
                        "quote": "Secretary of Defense Lloyd J. Austin III",
                    }
                ],
            },
        ],
    )
    told = [p for p in validate_all(checkout) if p.code == "reused-id"]
    assert [(p.pointer, p.message.split(" in dataset")[0]) for p in told] == [
        ("/entities/0/id", "the id ent:merged-here was merged into ent:lloyd-austin")
    ]


def test_outside_a_checkout_the_release_tells_withdrawn_and_merged_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    release = tmp_path / "release"
    (release / "records").mkdir(parents=True)
    (release / "manifest.json").write_text(json.dumps({"dataset_version": "9.0.0"}))
    records = {
        "withdrawals": [{"id": "ent:gone", "reason": "no source names it."}],
        "redirects": [{"id": "ent:old", "to": "ent:new", "reason": "same person"}],
        "entities": [{"id": "ent:new"}],
    }
    for section, rows in records.items():
        (release / "records" / f"{section}.json").write_text(json.dumps(rows))
    lines = [
        {"schema_version": DATASET_VERSION},
        {"disagreement": {"id": "dis:who", "subject": "ent:gone", "aspect": "who", "field": "/name"}},
        {"disagreement": {"id": "dis:when", "subject": "ent:old", "aspect": "when", "field": "/name"}},
        {
            "entity": {
                "id": "ent:gone",
                "kind": "person",
                "name": "Gone",
                "evidence": [{"document": "doc:x", "quote": "Gone spoke"}],
            }
        },
    ]
    (tmp_path / "new.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    problems = validate_files([Path("new.jsonl")], release=release).problems
    told = {(p.line, p.pointer, p.code, p.severity): p.message for p in problems if p.code in CODES}
    assert told == {
        (2, "/disagreement/subject", "withdrawn-id", "error"): "ent:gone is withdrawn (no source names it)",
        (3, "/disagreement/subject", "retired-id", "warning"): "ent:old was merged into ent:new",
        (4, "/entity/id", "reused-id", "error"): "the id ent:gone is withdrawn in the release 9.0.0 (no source "
        "names it); a retired id never names a record again",
    }


def test_every_id_a_registered_release_published_resolves_in_the_bundled_release():
    """The declared rule on the data: a published id stays a record, a redirect or a withdrawal (with a
    reason); a withdrawn id names no record."""
    import usua

    bundled = json.loads((BUNDLED_DIR / "manifest.json").read_text())["dataset_version"]
    by_table: dict[str, set[str]] = {}
    for t in RECORD_TYPES:
        column = "claim" if t.table == "claims" else "id"
        by_table[t.table] = {i for i in usua.load(t.table, columns=[column])[column].to_list() if i}
    withdrawals = usua.load("withdrawals")
    assert all(reason.strip() for reason in withdrawals["reason"].to_list())
    withdrawn = set(withdrawals["id"].to_list())
    redirected = by_table.pop("redirects")
    del by_table["withdrawals"]
    records = set().union(*by_table.values())
    assert not withdrawn & records and not withdrawn & redirected
    releases = [v for v in read_registry() if version_key(v) < version_key(bundled)]
    assert releases, "no earlier release is registered"
    for version in releases:
        gone = set(release_ids(ROOT / "dataset" / "releases" / version)) - records - redirected
        assert gone <= withdrawn, f"ids of release {version} that resolve to nothing: {sorted(gone - withdrawn)}"


any_id = st.sampled_from(["entity", "event", "statement", "disagreement", "claim"]).flatmap(ids)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    published=st.lists(st.sets(any_id, max_size=8), min_size=1, max_size=3),
    kept=st.sets(any_id, max_size=8),
    redirected=st.sets(any_id, max_size=4),
    withdrawn=st.sets(any_id, max_size=4),
    compact=st.booleans(),
)
def test_the_check_reports_exactly_the_released_ids_the_new_release_lacks(
    published, kept, redirected, withdrawn, compact
):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        versions = [f"0.{n}.0" for n in range(1, len(published) + 1)]
        for version, release in zip(versions, published):
            publish(root, version, {"entities": sorted(release)}, compact=compact)
        present = kept | redirected | withdrawn
        problems = check_released(
            present, DATASET_VERSION, root / "dataset" / "releases", root / "usua" / "release-registry.txt"
        )
    missing = set().union(*published) - present
    assert {p.message.split(" ")[0] for p in problems} == missing
    assert len(problems) == len(missing) and {p.code for p in problems} <= {"released-id-missing"}
    for p in problems:  # each names the first release that published it
        rec_id = p.message.split(" ")[0]
        first = next(v for v, release in zip(versions, published) if rec_id in release)
        assert p.file.endswith(f"releases/{first}")
        assert f"in release {first} and" in p.message or f"in releases {first} to" in p.message


def test_validate_and_the_build_tell_the_same_dropped_ids_of_a_curation_kept_as_json_lines(checkout):
    roles_yaml = checkout / "dataset" / "curation" / "roles.yaml"
    data = yaml.safe_load(roles_yaml.read_text(encoding="utf-8"))
    lines = [json.dumps({"schema_version": data["schema_version"]})]
    lines += [json.dumps({"role": role}) for role in data["roles"]]
    roles_yaml.unlink()
    (checkout / "dataset" / "curation" / "roles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kept = data["roles"][0]["id"]
    publish(checkout, "0.1.0", {"roles": [kept, "role:gone"], "disagreements": ["dis:never-derived"]})
    files = [Path(p).relative_to(checkout) for p in curation_files(checkout)]
    problems = validate_files(files, checkout=checkout, keep_records=False).problems
    by_validate = [p.format() for p in problems if p.code == "released-id-missing"]
    assert [p.split(" was published")[0] for p in by_validate] == [
        "dataset/releases/0.1.0: dis:never-derived",
        "dataset/releases/0.1.0: role:gone",
    ]
    assert by_validate == [p for p in build_problems(checkout) if "was published" in p]


def test_without_the_derived_records_only_derivable_ids_are_left_to_the_build(tmp_path):
    """A bulk check of id-only stubs does not derive the claims: the disagreements the build would
    derive are not known, so a released disagreement is not told missing; every other id still is."""
    publish(tmp_path, "0.1.0", {"roles": ["role:gone", "role:kept"], "disagreements": ["dis:maybe-derived"]})
    args = (DATASET_VERSION, tmp_path / "dataset" / "releases", tmp_path / "usua" / "release-registry.txt")
    gone = [p.message.split(" ")[0] for p in check_released({"role:kept"}, *args, derived_unknown=True)]
    assert gone == ["role:gone"]
    gone = [p.message.split(" ")[0] for p in check_released({"role:kept"}, *args)]
    assert gone == ["dis:maybe-derived", "role:gone"]


def test_a_redirect_to_a_withdrawn_id_is_told_whether_or_not_the_redirect_is_valid(checkout):
    # the invalid one (an unknown field) is read raw: its references must be told in the same words
    add_file(
        checkout,
        "zz-redirects.yaml",
        redirects=[
            {"id": "stm:merged-valid", "to": WITHDRAWN_STATEMENT, "reason": "the same statement"},
            {"id": "stm:merged-invalid", "to": WITHDRAWN_STATEMENT, "reason": "the same statement", "extra": 1},
        ],
    )
    told = [(p.pointer, p.code) for p in validate_all(checkout) if p.file.endswith("zz-redirects.yaml")]
    assert ("/redirects/0/to", "withdrawn-id") in told
    assert ("/redirects/1/to", "withdrawn-id") in told
    assert ("/redirects/1/extra", "unknown-field") in told
