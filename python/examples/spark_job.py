"""A Spark job: check the conversations of a Parquet dataset with tact and write the violations
and per-agent scores as Parquet.

    python python/examples/spark_job.py conversations.parquet out/ [--master local[2]] [--policy DIR]

The input is either schema of docs/python.md (one row per conversation with an `events` list,
or one row per event with `conversation_id`). Writes `out/violations/` (the violations table)
and `out/agents/` (one row per agent: conversations, scored, mean_score, critical_failures,
violations), and prints one JSON line of counts.
"""

import argparse
import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import tact
import tact.spark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="Parquet file or folder of conversations")
    parser.add_argument("output", help="folder to write violations/ and agents/ into")
    parser.add_argument("--master", default=None, help="Spark master, e.g. local[2]")
    parser.add_argument("--policy", default=None, help="policy file or folder (default: built-in)")
    args = parser.parse_args()

    # Python workers run the interpreter running this job (with tact installed), unless told.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("tact")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    policy = tact.Policy.from_file(args.policy) if args.policy else tact.Policy.builtin()

    conversations = tact.spark.conversations(spark.read.parquet(args.input)).cache()
    violations = tact.spark.check(conversations, policy).cache()
    violations.write.mode("overwrite").parquet(f"{args.output}/violations")

    per_conversation = violations.groupBy("id").agg(F.count("*").alias("violations"))
    agents = (
        tact.spark.score(conversations, policy)
        .join(per_conversation, "id", "left")
        .groupBy("agent")
        .agg(
            F.count("*").alias("conversations"),
            F.count("score").alias("scored"),
            F.round(F.avg("score"), 2).alias("mean_score"),
            F.count("critical_failure").alias("critical_failures"),
            F.coalesce(F.sum("violations"), F.lit(0)).alias("violations"),
        )
    )
    agents.write.mode("overwrite").parquet(f"{args.output}/agents")

    print(json.dumps({
        "conversations": conversations.count(),
        "violations": violations.count(),
        "agents": spark.read.parquet(f"{args.output}/agents").count(),
    }))
    spark.stop()


if __name__ == "__main__":
    main()
