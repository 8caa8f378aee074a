# Sourced by the benchmark scripts: how one figure is measured.
# Each command runs BENCH_RUNS times (default 5) with its output thrown away; the wall time and
# peak RSS of every run are taken with GNU time. The machine is shared and noisy, so the spread
# is reported with the figure, and the least disturbed (fastest) run stands for it in ratios.
runs=${BENCH_RUNS:-5}

# Prints "min median max peak_rss_kb cpu_median" over the runs: wall seconds, the largest peak
# RSS, and the median CPU seconds (user + system), which other tenants' load disturbs less.
measure_spread() {
  local times=() cpus=() rss=0 out s kb user sys
  for _ in $(seq "$runs"); do
    # A linter's exit code says what it found, not whether it ran: it does not stop the script.
    out=$( { /usr/bin/time -f "%e %M %U %S" "$@" > /dev/null; } 2>&1 | tail -1 ) || true
    read -r s kb user sys <<< "$out"
    times+=("$s")
    cpus+=("$(python3 -c "print($user + $sys)")")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  python3 -c 'import statistics, sys; n = (len(sys.argv) - 2) // 2
t, cpu = sorted(map(float, sys.argv[2:2 + n])), list(map(float, sys.argv[2 + n:]))
print(min(t), statistics.median(t), max(t), sys.argv[1], round(statistics.median(cpu), 2))' \
    "$rss" "${times[@]}" "${cpus[@]}"
}

# Prints "best_seconds peak_rss_kb" over the runs.
measure() {
  local min median max rss cpu
  read -r min median max rss cpu < <(measure_spread "$@")
  echo "$min $rss"
}
