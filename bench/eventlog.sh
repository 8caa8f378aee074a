#!/usr/bin/env bash
# The timing workload: the real help-desk event log (tests/fixtures/helpdesk-eventlog: 4,580
# tickets, 21,348 rows, one activity per row, Italian local times, no text) read as CSV with its
# column mapping, checked against a service-level rule on the clock and in business hours, and
# scored with service levels per agent and week.
#
#   bench/eventlog.sh            # 5 runs of each, the best time and the largest peak memory
#
# Prints a Markdown table (also saved to target/bench/eventlog.md).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-target/bench}/eventlog
mkdir -p "$dir"
cargo build --release -q --bin tact
tact=$(pwd)/target/release/tact
gzip -dc tests/fixtures/helpdesk-eventlog/finale.csv.gz > "$dir/finale.csv"
cat > "$dir/sla.policy" <<'EOF'
rule take-in-charge
  title    "Take a ticket in charge within a day"
  severity warning
  require  first event take_in_charge_ticket within 24 hours of event any
EOF
mapping='csv:
  conversation: Case ID
  time: Complete Timestamp
  type: Activity
  agent: Resource
  time_zone: Europe/Rome
'
calendar='calendar:
  time_zone: Europe/Rome
  hours: {monday-friday: "09:00-18:00"}
'
source bench/measure.sh
results="$(pwd)/${BENCH_DIR:-target/bench}/eventlog.md"
{
  echo "| command | best of $runs | peak RSS |"
  echo "| --- | ---: | ---: |"
} > "$results"
cd "$dir"
for clock in wall business; do
  if [ "$clock" = business ]; then printf '%s%s' "$mapping" "$calendar" > tact.yaml; else printf '%s' "$mapping" > tact.yaml; fi
  read -r s kb <<< "$(measure "$tact" check finale.csv --policy sla.policy --format jsonl --fail-on never)"
  echo "| check, $clock clock | ${s} s | $((kb / 1024)) MB |" >> "$results"
  read -r s kb <<< "$(measure "$tact" score finale.csv --policy sla.policy --format json)"
  echo "| score (service levels per agent and week), $clock clock | ${s} s | $((kb / 1024)) MB |" >> "$results"
done
cat "$results"
