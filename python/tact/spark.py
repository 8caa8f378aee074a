"""tact on Apache Spark: the compiled policy runs in each executor over Arrow batches
(``mapInArrow``), with no Python code per row.

A DataFrame in either schema of docs/python.md is accepted. One row per event is first gathered
into one row per conversation by Spark itself (``groupBy`` on ``conversation_id``, events in the
order the rows were read), so a conversation is never split between two batches.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

import pyarrow as pa

from . import Policy

__all__ = ["check", "score", "conversations", "VIOLATIONS_SCHEMA", "SCORES_SCHEMA"]

#: The violations table, in Spark's DDL (docs/python.md).
VIOLATIONS_SCHEMA = (
    "id string, rule string, severity string, message string, event bigint, "
    "span struct<start: bigint, end: bigint>, excerpt string, suggestion string, detail string"
)

#: The scores table, in Spark's DDL (docs/python.md).
SCORES_SCHEMA = (
    "id string, agent string, team string, week string, score double, "
    "critical_failure string, rules array<struct<rule: string, verdict: string, "
    "weight: bigint, points_lost: double, reason: string>>"
)

_CONVERSATION_FIELDS = ("agent", "team", "channel", "priority", "tags")
_EVENT_FIELDS = ("type", "at", "from", "text", "value", "due")


def conversations(df: Any) -> Any:
    """``df`` as one row per conversation (``id``, ``events``, and the conversation's fields).
    A table of one row per event is grouped by ``conversation_id``; the conversation's fields
    are those of its first row."""
    if "events" in df.columns and "conversation_id" not in df.columns:
        return df
    if "conversation_id" not in df.columns:
        raise ValueError(
            "the DataFrame has neither an `events` column (one row per conversation) nor a "
            "`conversation_id` column (one row per event)"
        )
    from pyspark.sql import functions as F

    seq = "__tact_row"
    # The order rows were read in, kept through the shuffle: Spark rows have no order of their own.
    rows = df.withColumn(seq, F.monotonically_increasing_id())
    event_fields = [c for c in _EVENT_FIELDS if c in df.columns]
    events = F.sort_array(F.collect_list(F.struct(F.col(seq), *[F.col(c) for c in event_fields])))
    first = [F.min_by(F.col(c), F.col(seq)).alias(c) for c in _CONVERSATION_FIELDS if c in df.columns]
    return rows.groupBy(F.col("conversation_id").alias("id")).agg(events.alias("events"), *first)


def _on_batches(policy: Policy, method: str, schema: pa.Schema):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        apply = getattr(policy, method)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            table = apply(batch).cast(schema)
            yield from table.to_batches()

    return run


def _arrow_schema(ddl: str) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import _parse_datatype_string

    return to_arrow_schema(_parse_datatype_string(ddl))


def check(df: Any, policy: Optional[Policy] = None) -> Any:
    """The violations of every conversation of ``df`` (either schema) as a DataFrame of
    :data:`VIOLATIONS_SCHEMA`. ``policy`` defaults to the built-in one; it is sent to the
    executors as its source text and compiled there once per Python worker. Rows come in no
    particular order, as Spark's do; sort them to compare."""
    policy = policy or Policy.builtin()
    schema = _arrow_schema(VIOLATIONS_SCHEMA)
    return conversations(df).mapInArrow(_on_batches(policy, "check_arrow", schema), VIOLATIONS_SCHEMA)


def score(df: Any, policy: Optional[Policy] = None) -> Any:
    """The scorecard of every conversation of ``df`` as a DataFrame of :data:`SCORES_SCHEMA`."""
    policy = policy or Policy.builtin()
    schema = _arrow_schema(SCORES_SCHEMA)
    return conversations(df).mapInArrow(_on_batches(policy, "score_arrow", schema), SCORES_SCHEMA)
