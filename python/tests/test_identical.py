"""The CLI and the Python package give the same violations, byte for byte after sorting, on the
same conversations: the examples, the 1,025 real Twitter threads, and (when TACT_CORPUS names a
generated corpus, as .ci/run does with 100,000 conversations) a generated one.

Each side's violations become one JSON line per violation: the conversation id plus the
violation's fields as `tact check --format jsonl` writes them, without `location` (a place in
a file, which Arrow data does not have), with keys sorted. The lines are sorted and compared.
"""

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pytest

import tact

REPO = Path(__file__).resolve().parents[2]


def tact_binary():
    named = os.environ.get("TACT_BIN")
    for candidate in [named, REPO / "target/release/tact", REPO / "target/debug/tact",
                      shutil.which("tact")]:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("no tact binary: build it (cargo build) or set TACT_BIN")


def line(conversation_id, violation):
    record = dict(violation, id=conversation_id)
    record.pop("location", None)
    if record.get("detail") is None:
        record.pop("detail", None)
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def cli_lines(path):
    out = subprocess.run(
        [tact_binary(), "check", "--no-config", "--format", "jsonl", "--fail-on", "never",
         str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    lines = []
    for row in out.splitlines():
        conversation = json.loads(row)
        lines += [line(conversation["id"], v) for v in conversation["violations"]]
    return sorted(lines)


def dict_lines(policy, path):
    """Each JSONL record as a dict, checked one at a time."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for row in f:
            if row.strip():
                conversation = json.loads(row)
                lines += [line(conversation["id"], v) for v in policy.check(conversation)]
    return sorted(lines)


def arrow_lines(table):
    return sorted(line(row.pop("id"), row) for row in table.to_pylist())


#: The event fields as text, as in the file: Arrow's JSON reader would otherwise guess which
#: strings are times.
EVENTS = pa.list_(pa.struct([(name, pa.string()) for name in
                             ("type", "at", "from", "text", "value", "due")]))


def read_table(path):
    """A JSONL file as one row per conversation (pyarrow's JSON reader)."""
    options = pj.ParseOptions(explicit_schema=pa.schema([("id", pa.string()), ("events", EVENTS)]),
                              unexpected_field_behavior="infer")
    return pj.read_json(path, parse_options=options).combine_chunks()


def event_table(table):
    """The same conversations as one row per event, the conversation's fields repeated."""
    events = table.column("events")
    flat = pc.list_flatten(events)
    owner = pc.list_parent_indices(events)
    columns = {"conversation_id": pc.take(table.column("id"), owner)}
    for name in ("agent", "team", "channel"):
        if name in table.column_names:
            columns[name] = pc.take(table.column(name), owner)
    for field in flat.type:
        columns[field.name] = pc.struct_field(flat, field.name)
    return pa.table(columns)


def assert_identical(path):
    policy = tact.Policy.builtin()
    expected = cli_lines(path)
    assert expected, "the corpus should have violations to compare"
    assert dict_lines(policy, path) == expected
    by_conversation = read_table(path)
    assert arrow_lines(policy.check_arrow(by_conversation)) == expected
    by_event = event_table(by_conversation)
    assert by_event.num_rows > by_conversation.num_rows
    assert arrow_lines(policy.check_arrow(by_event)) == expected
    return by_conversation.num_rows, expected


def test_the_examples():
    assert_identical(REPO / "examples/complaints.jsonl")


def test_the_real_twitter_threads(tmp_path):
    path = tmp_path / "twitter.jsonl"
    with gzip.open(REPO / "tests/fixtures/twitter-customer-care/conversations.jsonl.gz") as f:
        path.write_bytes(f.read())
    count, expected = assert_identical(path)
    assert count == 1025
    assert len({json.loads(v)["id"] for v in expected}) > 500


@pytest.mark.skipif(not os.environ.get("TACT_CORPUS"), reason="TACT_CORPUS names no corpus")
def test_a_generated_corpus():
    count, _ = assert_identical(Path(os.environ["TACT_CORPUS"]))
    assert count >= int(os.environ.get("TACT_CORPUS_MIN", "1"))
