#!/usr/bin/env bash
# The throughput benchmark: tact against the floor (ripgrep searching the same phrases) over a
# generated corpus at several sizes, with one thread and with all cores.
#
#   bench/run.sh                 # 10MB 100MB 1GB
#   bench/run.sh 10MB 100MB      # chosen sizes
#
# Prints a Markdown table (also saved to target/bench/results.md). The floor is ripgrep counting
# every match of the policy's phrases (as regexes, case-insensitive) in the same file: the least
# work that finds the same phrases, without anything tact does besides (JSON, rules, reports). The corpora are made by
# `cargo run --release --example gen_corpus` with seed 42, so every machine measures the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10MB 100MB 1GB)
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"

if ! command -v rg >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -qq ripgrep >/dev/null 2>&1 || true
fi
if command -v rg >/dev/null; then floor_tool=rg; else floor_tool="grep -E"; fi

cargo build --release -q --bin tact --example gen_corpus --example floor_patterns
tact=target/release/tact
target/release/examples/floor_patterns > "$dir/patterns.txt"
cores=$(nproc)

source bench/measure.sh

results="$dir/results.md"
{
  echo "| size | conversations | floor ($floor_tool) | tact, 1 thread | tact, $cores threads | speed-up | ratio to floor | peak RSS (1 / $cores threads) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$results"
for size in "${sizes[@]}"; do
  corpus="$dir/corpus-$size.jsonl"
  [ -s "$corpus" ] || target/release/examples/gen_corpus --size "$size" --seed 42 > "$corpus"
  bytes=$(stat -c %s "$corpus")
  mb=$(python3 -c "print($bytes / 1048576)")
  convs=$(wc -l < "$corpus")
  cat "$corpus" > /dev/null   # warm the page cache for every contender alike
  if [ "$floor_tool" = rg ]; then
    # Every match counted (not just matching lines): the same work as finding each phrase.
    read -r floor_s _ < <(measure rg --no-config --count-matches -i -f "$dir/patterns.txt" "$corpus")
  else
    read -r floor_s _ < <(measure bash -c 'grep -o -i -E -f "$1" "$2" | wc -l' _ "$dir/patterns.txt" "$corpus")
  fi
  read -r one_s one_kb < <(RAYON_NUM_THREADS=1 measure "$tact" check "$corpus" --format jsonl --fail-on never --no-config)
  read -r all_s all_kb < <(RAYON_NUM_THREADS=$cores measure "$tact" check "$corpus" --format jsonl --fail-on never --no-config)
  python3 - "$size" "$mb" "$convs" "$floor_s" "$one_s" "$all_s" "$one_kb" "$all_kb" >> "$results" <<'PY'
import sys
size, mb, convs, floor, one, all_, one_kb, all_kb = sys.argv[1:]
mb, convs, floor, one, all_ = float(mb), int(convs), float(floor), float(one), float(all_)
rate = lambda s: f"{s:.2f} s ({mb / s:.0f} MB/s, {convs / s / 1000:.0f}k conv/s)"
print(f"| {size} | {convs:,} | {floor:.2f} s ({mb / floor:.0f} MB/s) | {rate(one)} | {rate(all_)} "
      f"| {one / all_:.2f}x | {all_ / floor:.2f}x | {int(one_kb) // 1024} / {int(all_kb) // 1024} MB |")
PY
  tail -1 "$results"
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "tools: $($tact --version), $($floor_tool --version 2>&1 | head -1)"
echo "runs per figure: $runs (best time, largest peak RSS)"
echo "results: $results"
