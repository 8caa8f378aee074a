#!/usr/bin/env bash
# The throughput benchmark: tact against the floor (ripgrep searching the same phrases) over two
# corpora at several sizes, with one thread and with all cores.
#
#   bench/run.sh                 # 10MB 100MB 1GB, both corpora
#   bench/run.sh 10MB 100MB      # chosen sizes
#   BENCH_CORPORA=realistic bench/run.sh 100MB   # one corpus
#
# After the throughput table: start-up (hyperfine, many runs of a one-conversation check), macro
# libraries of 1 MB and 50 MB, and whether the output is byte for byte the same with 1, 2 and 3
# threads (cmp, and its SHA-256, on the corpora of BENCH_CMP_SIZES, default 100MB). Each figure
# is over BENCH_RUNS runs (default 5), sizes in GB over BENCH_BIG_RUNS (default 1).
#
# Prints a Markdown table (also saved to target/bench/results.md). The floor is ripgrep counting
# every match of the built-in policy's literal phrases, frozen in bench/floor-patterns.txt
# (case-insensitive, ASCII word boundaries), in the same file: the least
# work that finds the same phrases, without anything tact does besides (JSON, rules, reports).
# Two corpora, both made by `cargo run --release --example gen_corpus` with seed 42, so every
# machine measures the same bytes: "generated" (conversations from templates) and "realistic"
# (the repo's real Twitter support threads resampled, plus customer turns in other scripts).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10MB 100MB 1GB)
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"

source bench/tools.sh
need_ripgrep

cargo build --release -q --bin tact --example gen_corpus
tact=target/release/tact
cores=$(nproc)

source bench/measure.sh

results="$dir/results.md"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "| corpus | size | conversations | floor (rg) | tact, 1 thread | tact, $cores threads | speed-up | ratio to floor | peak RSS (1 / $cores threads) |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$results"
read -r -a corpora <<< "${BENCH_CORPORA:-generated realistic}"
for kind in "${corpora[@]}"; do
for size in "${sizes[@]}"; do
  if [ "$kind" = generated ]; then corpus="$dir/corpus-$size.jsonl"; else corpus="$dir/$kind-$size.jsonl"; fi
  make_corpus "$kind" "$size" "$corpus"
  bytes=$(stat -c %s "$corpus")
  mb=$(python3 -c "print($bytes / 1048576)")
  convs=$(wc -l < "$corpus")
  cat "$corpus" > /dev/null   # warm the page cache for every contender alike
  # Every match counted (not just matching lines): the same work as finding each phrase.
  # Sizes in GB are measured once (BENCH_BIG_RUNS): one run takes minutes.
  case $size in *GB) runs=${BENCH_BIG_RUNS:-1} ;; *) runs=${BENCH_RUNS:-5} ;; esac
  read -r -a floor < <(measure_spread rg --no-config --count-matches -i -f bench/floor-patterns.txt "$corpus")
  read -r -a one < <(RAYON_NUM_THREADS=1 measure_spread "$tact" check "$corpus" --format jsonl --fail-on never --no-config)
  read -r -a all < <(RAYON_NUM_THREADS=$cores measure_spread "$tact" check "$corpus" --format jsonl --fail-on never --no-config)
  python3 - "$kind" "$size" "$mb" "$convs" "${floor[*]}" "${one[*]}" "${all[*]}" >> "$results" <<'PY'
import sys
kind, size, mb, convs = sys.argv[1:5]
mb, convs = float(mb), int(convs)
floor, one, all_ = ([float(x) for x in arg.split()] for arg in sys.argv[5:8])
# Each figure is the median of the runs, with their spread; ratios are of the medians.
def rate(t, per_conv=True):
    conv = f", {convs / t[1] / 1000:.0f}k conv/s" if per_conv else ""
    cpu = f"; CPU {t[4]:.2f} s" if per_conv else ""
    return f"{t[1]:.2f} s ({t[0]:.2f}-{t[2]:.2f}; {mb / t[1]:.0f} MB/s{conv}{cpu})"
print(f"| {kind} | {size} | {convs:,} | {rate(floor, False)} | {rate(one)} | {rate(all_)} "
      f"| {one[1] / all_[1]:.2f}x | {all_[1] / floor[1]:.2f}x | {int(one[3]) // 1024} / {int(all_[3]) // 1024} MB |")
PY
  tail -1 "$results"
done
done

# BENCH_EXTRAS=0 leaves out what follows (start-up, macro libraries, threads), for a second run
# of the script at larger sizes.
if [ "${BENCH_EXTRAS:-1}" != 0 ]; then
need_hyperfine
runs=${BENCH_RUNS:-5}
{
  echo
  echo "Start-up: \`hyperfine -N --warmup 10 --runs 100 '$tact check examples/chat.txt --format jsonl --fail-on never --no-config'\`,"
  echo "with the user's cache; with \`--no-cache\`; and as a first run (an empty cache folder before each run, as on a CI runner)"
  echo
  startup="$tact check examples/chat.txt --format jsonl --fail-on never --no-config"
  hyperfine -N --style none --warmup 10 --runs 100 --export-json "$dir/startup.json" \
    "$startup" "$startup --no-cache" > /dev/null
  hyperfine -N --style none --runs 30 --export-json "$dir/startup-first.json" \
    --prepare "rm -rf $dir/startup-cache" "env XDG_CACHE_HOME=$dir/startup-cache $startup" > /dev/null
  python3 - "$dir/startup.json" "$dir/startup-first.json" <<'PY'
import json, statistics, sys
results = [r for f in sys.argv[1:] for r in json.load(open(f))["results"]]
for label, r in zip(["cache", "--no-cache", "first run"], results):
    t = [x * 1000 for x in r["times"]]
    print(f"- {label}: median {statistics.median(t):.1f} ms (min {min(t):.1f}, max {max(t):.1f}, {len(t)} runs); "
          f"CPU (user + system, mean) {(r['user'] + r['system']) * 1000:.1f} ms")
PY
  echo
  echo "| macro library | macros | tact, $cores threads | MB/s |"
  echo "| --- | ---: | ---: | ---: |"
} >> "$results"
sed -n '/^Start-up/,$p' "$results"
for size in 1MB 50MB; do
  library="$dir/macros-$size.jsonl"
  [ -s "$library" ] || target/release/examples/gen_corpus --size "$size" --seed 42 --macros \
    --real eval/pool/macros.jsonl --real eval/pool/macros2.jsonl --real eval/pool/macros3.jsonl > "$library"
  cat "$library" > /dev/null
  read -r -a t < <(measure_spread "$tact" check "$library" --format jsonl --fail-on never --no-config)
  python3 - "$size" "$(wc -l < "$library")" "$(stat -c %s "$library")" "${t[*]}" >> "$results" <<'PY'
import sys
size, n, nbytes, t = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [float(x) for x in sys.argv[4].split()]
print(f"| {size} | {n:,} | {t[1]:.2f} s ({t[0]:.2f}-{t[2]:.2f}) | {nbytes / 1048576 / t[1]:.1f} |")
PY
  tail -1 "$results"
done

echo >> "$results"
for kind in "${corpora[@]}"; do
  for size in ${BENCH_CMP_SIZES:-100MB}; do
    if [ "$kind" = generated ]; then corpus="$dir/corpus-$size.jsonl"; else corpus="$dir/$kind-$size.jsonl"; fi
    [ -s "$corpus" ] || continue
    for threads in 1 2 3; do
      RAYON_NUM_THREADS=$threads "$tact" check "$corpus" --format jsonl --fail-on never --no-config > "$dir/verdicts-$threads.jsonl"
    done
    if cmp -s "$dir/verdicts-1.jsonl" "$dir/verdicts-2.jsonl" && cmp -s "$dir/verdicts-1.jsonl" "$dir/verdicts-3.jsonl"; then
      verdict="the same byte for byte"
    else
      verdict="DIFFERENT"
    fi
    echo "Output with 1, 2 and 3 threads on $kind $size ($(wc -c < "$dir/verdicts-1.jsonl") bytes, SHA-256 $(sha256sum < "$dir/verdicts-1.jsonl" | cut -c1-64)): $verdict (cmp)" | tee -a "$results"
    rm -f "$dir"/verdicts-[123].jsonl
  done
done
fi

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "tools: $($tact --version 2>/dev/null | head -1), $(rg --version | head -1)"
echo "runs per figure: ${BENCH_RUNS:-5}, ${BENCH_BIG_RUNS:-1} for sizes in GB (median wall time, min-max, median CPU time; largest peak RSS)"
echo "load average (1, 5, 15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $results"
