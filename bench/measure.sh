# Sourced by the benchmark scripts: how one figure is measured.
# Each command runs BENCH_RUNS times (default 5) with its output thrown away; the wall time and
# peak RSS of every run are taken with GNU time. The machine is shared and noisy, so the spread
# is reported with the figure, and the least disturbed (fastest) run stands for it in ratios.
runs=${BENCH_RUNS:-5}

# Prints "min median max peak_rss_kb" over the runs: seconds, and the largest peak RSS.
measure_spread() {
  local times=() rss=0 out s kb
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -1 )
    read -r s kb <<< "$out"
    times+=("$s")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  python3 -c 'import statistics, sys; t = sorted(map(float, sys.argv[2:]))
print(min(t), statistics.median(t), max(t), sys.argv[1])' "$rss" "${times[@]}"
}

# Prints "best_seconds peak_rss_kb" over the runs.
measure() {
  local min median max rss
  read -r min median max rss < <(measure_spread "$@")
  echo "$min $rss"
}
