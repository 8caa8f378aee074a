# Sourced by the benchmark scripts: how one figure is measured.
# Runs a command BENCH_RUNS times (default 5); prints the best "seconds" and the largest
# "peak_rss_kb". The best of several runs is the one least disturbed by the rest of the machine.
runs=${BENCH_RUNS:-5}
measure() {
  local best="" rss=0 out s kb
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -1 )
    read -r s kb <<< "$out"
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then best=$s; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best $rss"
}
