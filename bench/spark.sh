#!/usr/bin/env bash
# tact on Spark in local mode against the CLI on the same corpus (BENCHMARKS.md, "Spark").
#
#   bench/spark.sh [SIZE]        # default 1GB; needs python/ built and installed in $PYTHON's env
#
# Writes the corpus once to target/bench/ (gen_corpus, seed 42), converts it to Parquet with
# pyarrow (one row per conversation, zstd), then times: the CLI on the JSONL (1 and 2 threads),
# and tact.spark.check writing the violations as Parquet on local[1] and local[2].
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1GB}
python=${PYTHON:-python3}
dir=target/bench
mkdir -p "$dir"
jsonl="$dir/corpus-$size.jsonl"
parquet="$dir/corpus-$size.parquet"
cargo build --release --quiet --bin tact
if [ ! -s "$jsonl" ]; then
  cargo run --release --quiet --example gen_corpus -- --size "$size" --seed 42 > "$jsonl"
fi
if [ ! -s "$parquet" ]; then
  "$python" - "$jsonl" "$parquet" <<'PY'
import sys
import pyarrow as pa, pyarrow.json as pj, pyarrow.parquet as pq
events = pa.list_(pa.struct([(n, pa.string()) for n in ("type", "at", "from", "text", "value", "due")]))
options = pj.ParseOptions(explicit_schema=pa.schema([("id", pa.string()), ("events", events)]),
                          unexpected_field_behavior="infer")
table = pj.read_json(sys.argv[1], read_options=pj.ReadOptions(block_size=64 << 20), parse_options=options)
pq.write_table(table, sys.argv[2], compression="zstd", row_group_size=8192)
PY
fi
echo "corpus: $(du -h "$jsonl" | cut -f1) JSONL, $(du -h "$parquet" | cut -f1) Parquet"
# The load average before each run: the machine is shared, and a busy one slows every figure.
for threads in 1 2; do
  echo "load: $(cut -d' ' -f1 /proc/loadavg)"
  found=$(/usr/bin/time -o "$dir/time" -f "%e %U %S %M" env RAYON_NUM_THREADS=$threads \
    target/release/tact check "$jsonl" --format json --fail-on never --no-config \
    | tail -c 200 | grep -o '"violations": [0-9]*' | grep -o '[0-9]*')
  read -r wall user sys kb < "$dir/time"
  echo "cli, $threads thread(s): $wall s wall, $user+$sys s CPU, peak RSS $kb KB, $found violations"
done
for cores in 1 2; do
  echo "load: $(cut -d' ' -f1 /proc/loadavg)"
  echo "spark local[$cores]: $("$python" bench/spark_job.py "$parquet" "$dir/violations-$size" "local[$cores]" 2>/dev/null | tail -1)"
done
