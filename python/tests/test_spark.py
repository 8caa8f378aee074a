"""tact on Spark in local mode: the same violations as the CLI, in both schemas, and the example
job end to end. Needs pyspark and Java; .ci/run installs both and sets TACT_REQUIRE_SPARK=1, so
there these tests cannot be skipped."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

if not os.environ.get("TACT_REQUIRE_SPARK"):
    pytest.importorskip("pyspark")

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import tact  # noqa: E402
import tact.spark  # noqa: E402
from test_identical import cli_lines, event_table, line, read_table  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
JOB = REPO / "python/examples/spark_job.py"


@pytest.fixture(scope="module")
def spark():
    # The workers run this interpreter, which has tact installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tact-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def threads(tmp_path_factory):
    """The 1,025 real threads: as JSONL for the CLI, and their records."""
    path = tmp_path_factory.mktemp("twitter") / "twitter.jsonl"
    with gzip.open(REPO / "tests/fixtures/twitter-customer-care/conversations.jsonl.gz") as f:
        path.write_bytes(f.read())
    records = [json.loads(row) for row in path.read_text(encoding="utf-8").splitlines()]
    return path, records


def spark_lines(df):
    return sorted(line(row.pop("id"), row) for row in df.toArrow().to_pylist())


def test_spark_finds_what_the_cli_finds_one_row_per_conversation(spark, threads, tmp_path):
    path, records = threads
    parquet = tmp_path / "conversations.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet)
    df = spark.read.parquet(str(parquet)).repartition(3)
    expected = cli_lines(path)
    assert len(expected) > 1000
    assert spark_lines(tact.spark.check(df, tact.Policy.builtin())) == expected


def test_spark_groups_one_row_per_event_first(spark, threads, tmp_path):
    path, records = threads
    parquet = tmp_path / "events.parquet"
    # Small row groups: a conversation's events are spread over several batches and tasks.
    pq.write_table(event_table(read_table(path)), parquet, row_group_size=500)
    df = spark.read.parquet(str(parquet)).withColumn("at", F.to_timestamp("at"))
    assert dict(df.dtypes)["at"] == "timestamp"
    assert spark_lines(tact.spark.check(df)) == cli_lines(path)


def test_spark_scores_as_score_arrow(spark, threads, tmp_path):
    _, records = threads
    table = pa.Table.from_pylist(records[:200])
    parquet = tmp_path / "some.parquet"
    pq.write_table(table, parquet)
    from_spark = tact.spark.score(spark.read.parquet(str(parquet))).toArrow().to_pylist()
    local = tact.Policy.builtin().score_arrow(table).to_pylist()
    key = lambda row: row["id"]  # noqa: E731
    assert sorted(from_spark, key=key) == sorted(local, key=key)


def test_the_example_job_writes_violations_and_agent_scores(threads, tmp_path):
    path, records = threads
    parquet = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet)
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, str(JOB), str(parquet), str(out), "--master", "local[2]"],
        check=True, capture_output=True, text=True,
    )
    counts = json.loads(run.stdout.strip().splitlines()[-1])
    expected = cli_lines(path)
    assert counts["conversations"] == len(records)
    assert counts["violations"] == len(expected)
    violations = pq.read_table(out / "violations")
    assert sorted(line(row.pop("id"), row) for row in violations.to_pylist()) == expected
    agents = pq.read_table(out / "agents").to_pylist()
    assert counts["agents"] == len(agents)
    assert sum(a["conversations"] for a in agents) == len(records)
    assert sum(a["violations"] for a in agents) == len(expected)
