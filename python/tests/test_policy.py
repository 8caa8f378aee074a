"""The Python API: policies, one conversation as a dict, Arrow tables in both schemas, pandas."""

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

import tact

REPO = Path(__file__).resolve().parents[2]

CONTRACT_RULES = [
    "first-contact", "apology-before-solution", "never-say-wrong", "two-options", "follow-up",
    "no-excuses", "no-take-it-or-leave-it", "not-defensive", "say-what-you-can",
    "acknowledge-first", "listen-first", "confirm-agreement", "no-quick-fix",
    "document-resolution",
]

WRONG = {
    "id": "T-1",
    "agent": "maria",
    "team": "billing",
    "events": [
        {"type": "created", "at": "2026-03-01T09:00:00Z"},
        {"from": "customer", "at": "2026-03-01T09:00:00Z", "text": "You charged me twice."},
        {"from": "agent", "at": "2026-03-01T09:30:00Z",
         "text": "You're wrong, we only charged you once."},
    ],
}

LATE_REFUND = {
    "id": "T-2",
    "agent": "li",
    "tags": ["refund", "vip"],
    "events": [
        {"type": "created", "at": "2026-03-01T09:00:00Z"},
        {"from": "customer", "at": "2026-03-01T09:00:00Z", "text": "My order arrived broken."},
        {"from": "agent", "at": "2026-03-01T19:00:00Z", "text": "I've issued a full refund."},
        {"type": "resolved", "at": "2026-03-01T19:05:00Z"},
    ],
}

POLICY = """
phrases greeting "hello", "hi there"

rule greet-the-customer
  severity info
  require agent says greeting
"""


@pytest.fixture(scope="module")
def policy():
    return tact.Policy.builtin()


def test_the_builtin_policy_has_the_contract_rules(policy):
    assert sorted(policy.rules) == sorted(CONTRACT_RULES)


def test_a_violation_has_the_json_reports_fields(policy):
    found = [v for v in policy.check(WRONG) if v["rule"] == "never-say-wrong"]
    assert found == [{
        "rule": "never-say-wrong",
        "severity": "error",
        "message": found[0]["message"],
        "event": 2,
        "span": {"start": 0, "end": 12},
        "excerpt": "You're wrong",
        "suggestion": found[0]["suggestion"],
    }]
    assert found[0]["message"] and found[0]["suggestion"]


def test_datetimes_in_a_dict_are_times(policy):
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    conversation = {
        "id": "T-3",
        "events": [
            {"type": "created", "at": start},
            {"from": "customer", "at": start, "text": "Hello?"},
            # Naive: read as UTC, ten hours later, so the first reply is late.
            {"from": "agent", "at": dt.datetime(2026, 3, 1, 19, 0), "text": "Hi, how can I help?"},
        ],
    }
    late = [v for v in policy.check(conversation) if v["rule"] == "first-contact"]
    assert len(late) == 1 and late[0]["event"] == 2


def test_a_malformed_conversation_raises_input_error(policy):
    with pytest.raises(tact.InputError, match="a message needs `from`"):
        policy.check({"id": "X", "events": [{"text": "hi"}]})
    with pytest.raises(tact.InputError, match="missing `id`"):
        policy.check({"events": []})


def test_a_policy_from_text_checks_with_its_own_rules():
    own = tact.Policy.from_text(POLICY)
    assert own.rules == ["greet-the-customer"]
    rude = {"id": "A", "events": [{"from": "agent", "text": "What is your order number?"}]}
    polite = {"id": "B", "events": [{"from": "agent", "text": "Hello! Your order number?"}]}
    assert [v["rule"] for v in own.check(rude)] == ["greet-the-customer"]
    assert own.check(polite) == []


def test_policy_errors_carry_file_line_and_column(tmp_path):
    broken = tmp_path / "broken.policy"
    broken.write_text("rule oops\n  severity terrible\n")
    with pytest.raises(tact.PolicyError) as caught:
        tact.Policy.from_file(broken)
    first = caught.value.errors[0]
    assert first.path == str(broken)
    assert first.line == 2 and first.column > 1
    assert str(caught.value).startswith(f"{broken}:2:")
    with pytest.raises(tact.PolicyError, match=r"^<text>:1:"):
        tact.Policy.from_text("rule")
    with pytest.raises(tact.PolicyError, match="missing.policy"):
        tact.Policy.from_file(tmp_path / "missing.policy")


def test_a_policy_folder_is_read(tmp_path):
    (tmp_path / "a.policy").write_text(POLICY)
    assert tact.Policy.from_file(tmp_path).rules == ["greet-the-customer"]


def conversation_table(conversations):
    return pa.Table.from_pylist(conversations)


def event_table(conversations):
    rows = []
    for c in conversations:
        for e in c["events"]:
            row = {"conversation_id": c["id"], "agent": c.get("agent"), "team": c.get("team")}
            row.update({k: e.get(k) for k in ("type", "at", "from", "text")})
            rows.append(row)
    return pa.Table.from_pylist(rows)


def rows_of(table):
    return [{k: v for k, v in row.items() if not (k == "detail" and v is None)}
            for row in table.to_pylist()]


def test_check_arrow_matches_check_in_both_schemas(policy):
    conversations = [WRONG, LATE_REFUND]
    expected = [dict(id=c["id"], **v) for c in conversations for v in policy.check(c)]
    assert len(expected) >= 4
    assert rows_of(policy.check_arrow(conversation_table(conversations))) == expected
    assert rows_of(policy.check_arrow(event_table(conversations))) == expected


def test_a_record_batch_and_arrow_timestamps_are_read(policy):
    table = conversation_table([LATE_REFUND])
    events = pa.array(
        [[{"type": e.get("type", "message"), "from": e.get("from"), "text": e.get("text"),
           "at": dt.datetime.fromisoformat(e["at"].replace("Z", "+00:00"))}
          for e in LATE_REFUND["events"]]],
        type=pa.list_(pa.struct([("type", pa.string()), ("from", pa.string()),
                                 ("text", pa.large_string()),
                                 ("at", pa.timestamp("us", tz="Europe/Paris"))])),
    )
    timed = pa.record_batch({"id": pa.array(["T-2"]), "agent": pa.array(["li"]),
                             "tags": pa.array([["refund", "vip"]]), "events": events})
    assert rows_of(policy.check_arrow(timed)) == rows_of(policy.check_arrow(table))
    assert "first-contact" in [r["rule"] for r in rows_of(policy.check_arrow(timed))]


def test_the_violations_table_schema(policy):
    empty = policy.check_arrow(pa.table({"id": pa.array([], pa.string()),
                                         "events": pa.array([], pa.list_(pa.struct([("text", pa.string())])))}))
    assert empty.num_rows == 0
    assert empty.schema.names == ["id", "rule", "severity", "message", "event", "span",
                                  "excerpt", "suggestion", "detail"]
    assert empty.schema.field("event").type == pa.int64()
    assert empty.schema.field("span").type == pa.struct([("start", pa.int64()), ("end", pa.int64())])


def test_bad_tables_raise_input_error_naming_the_row(policy):
    with pytest.raises(tact.InputError, match="neither an `events` column"):
        policy.check_arrow(pa.table({"id": ["a"]}))
    with pytest.raises(tact.InputError, match="column `at` must be a timestamp"):
        policy.check_arrow(pa.table({"conversation_id": ["a"], "at": [1], "text": ["x"]}))
    with pytest.raises(tact.InputError, match="row 1: .*a message needs `text`"):
        policy.check_arrow(pa.table({"conversation_id": ["a", "b"], "from": ["agent", "agent"],
                                     "text": ["hi", None]}))


def test_score_arrow_matches_score(policy):
    conversations = [WRONG, LATE_REFUND]
    table = policy.score_arrow(conversation_table(conversations))
    assert table.column("id").to_pylist() == ["T-1", "T-2"]
    for row, conversation in zip(table.to_pylist(), conversations):
        card = policy.score(conversation)
        assert row["score"] == card["score"]
        assert row["agent"] == card["agent"] and row["week"] == card["week"]
        assert row["critical_failure"] == card["critical_failure"]
        lines = [{k: v for k, v in line.items() if not (k == "reason" and v is None)}
                 for line in row["rules"]]
        assert lines == card["rules"]
    assert table.column("critical_failure").to_pylist()[0] == "never-say-wrong"
    assert rows_of(policy.score_arrow(event_table(conversations))) == rows_of(table)


def test_check_pandas(policy):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame([WRONG, LATE_REFUND])
    found = policy.check_pandas(frame)
    assert list(found["id"]) == [r["id"] for r in rows_of(policy.check_arrow(conversation_table([WRONG, LATE_REFUND])))]
    assert "never-say-wrong" in set(found["rule"])
    scores = policy.score_pandas(frame)
    assert list(scores["id"]) == ["T-1", "T-2"]


def test_hostile_text_is_kept_as_data(policy):
    text = "You're wrong \x00 <script>\u202e \"quoted\" \\ \U0001F600"
    conversation = {"id": "<b>&amp;", "events": [{"from": "agent", "text": text}]}
    found = [v for v in policy.check(conversation) if v["rule"] == "never-say-wrong"]
    assert found[0]["excerpt"] == "You're wrong"
    table = policy.check_arrow(conversation_table([conversation]))
    assert set(table.column("id").to_pylist()) == {"<b>&amp;"}


def test_a_policy_pickles_as_its_source_text(tmp_path):
    import pickle

    path = tmp_path / "own.policy"
    path.write_text(POLICY)
    own = tact.Policy.from_file(path)
    path.unlink()  # an executor may not have the file: the text travels with the policy
    again = pickle.loads(pickle.dumps(own))
    assert again.rules == ["greet-the-customer"]
    rude = {"id": "A", "events": [{"from": "agent", "text": "Your order number?"}]}
    assert again.check(rude) == own.check(rude) != []
    assert pickle.loads(pickle.dumps(tact.Policy.builtin())).rules == tact.Policy.builtin().rules


def test_an_empty_column_of_another_type_is_as_good_as_missing(policy):
    events = conversation_table([WRONG]).column("events")
    empty_tags = pa.table({"id": ["T-1"], "events": events,
                           "tags": pa.array([[]], pa.list_(pa.int32()))})
    assert rows_of(policy.check_arrow(empty_tags)) == rows_of(policy.check_arrow(conversation_table([WRONG])))
    numbered = pa.table({"id": ["T-1"], "events": events, "tags": pa.array([[7]], pa.list_(pa.int32()))})
    with pytest.raises(tact.InputError, match="column `tags` must be a string, found Int32"):
        policy.check_arrow(numbered)
