#!/usr/bin/env bash
# tact beside the tools users would pick instead, on the same 5 MB of support text, plus `check`
# of a 4,514-macro library and `score --format html` on 100 MB. One run gives the whole table.
#
#   bench/peers.sh             # installs what is missing, measures, prints a Markdown table
#   bench/peers.sh --dry-run   # prints the commands it would time, installs and runs nothing
#
# Installs, each only when missing and outside the system: ripgrep and hyperfine from Debian
# (apt), proselint from PyPI into a virtualenv and textlint with textlint-rule-prh from npm, both
# under $BENCH_DIR/peers (target/bench/peers by default). Versions are pinned below. Each figure
# is hyperfine's min / median / max over BENCH_RUNS runs (default 10) after a warm-up run; peak
# RSS is GNU time's over one more run. Results: $BENCH_DIR/peers.md.
#
# Every tool runs one rule that looks for the same phrase ("more research is needed", which is
# proselint's misc.apologizing check) over the same text, so what is timed is reading the text
# and scanning it once, plus start-up. ripgrep runs the floor instead (bench/floor-patterns.txt).
# Vale cannot run here: its npm and PyPI packages download the binary at first use.
set -euo pipefail
cd "$(dirname "$0")/.."

PROSELINT_VERSION=0.16.0
TEXTLINT_VERSION=15.8.0
TEXTLINT_PRH_VERSION=6.1.0

dry_run=false
[ "${1:-}" = --dry-run ] && dry_run=true
dir=$(realpath -m "${BENCH_DIR:-target/bench}")
peers=$dir/peers
runs=${BENCH_RUNS:-10}
tact=target/release/tact
text=$dir/support-5MB.txt
jsonl=$dir/support-5MB.jsonl
one_policy=$peers/one-rule.policy
macros=$dir/macros-4514.jsonl
big=$dir/realistic-100MB.jsonl

# name | input | runs | command (run by hyperfine through bash; its output thrown away)
slow_runs=${BENCH_SLOW_RUNS:-3}
contenders=(
  "ripgrep, the floor (176 phrases)|$text|$runs|rg --no-config --count-matches -i -f bench/floor-patterns.txt $text"
  "proselint $PROSELINT_VERSION, one phrase rule|$text|$runs|cd $peers/proselint && $peers/venv/bin/proselint check $text"
  "textlint $TEXTLINT_VERSION + prh $TEXTLINT_PRH_VERSION, one phrase rule|$text|$runs|$peers/node/node_modules/.bin/textlint --config $peers/textlintrc.json $text"
  "tact, one phrase rule|$text|$runs|$tact check $text --policy $one_policy --format jsonl --fail-on never --no-config"
  "tact, the built-in policy|$text|$runs|$tact check $text --format jsonl --fail-on never --no-config"
  "tact, the built-in policy, the same conversations as JSONL|$jsonl|$runs|$tact check $jsonl --format jsonl --fail-on never --no-config"
  "tact check, 4,514-macro library|$macros|$runs|$tact check $macros --format jsonl --fail-on never --no-config"
  "tact score --format html, realistic corpus|$big|$slow_runs|$tact score $big --format html --output $dir/score-100MB.html --no-config"
)

if $dry_run; then
  for c in "${contenders[@]}"; do echo "${c##*|}"; done
  exit 0
fi

source bench/tools.sh
source bench/measure.sh
need_ripgrep
need_hyperfine
mkdir -p "$peers"

if [ ! -x "$peers/venv/bin/proselint" ]; then
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install -q "proselint==$PROSELINT_VERSION"
fi
if [ ! -x "$peers/node/node_modules/.bin/textlint" ]; then
  mkdir -p "$peers/node"
  (cd "$peers/node" && npm init -y >/dev/null &&
    npm install --no-audit --no-fund --silent "textlint@$TEXTLINT_VERSION" "textlint-rule-prh@$TEXTLINT_PRH_VERSION")
fi

# The one rule, for each tool. proselint: every check off but misc.apologizing, and no cap on
# how many errors it reports (its default stops after 1,000); read from .proselintrc.json in the
# folder it runs in (its --config option is not applied by this version).
mkdir -p "$peers/proselint"
"$peers/venv/bin/python" - "$peers/proselint/.proselintrc.json" <<'PY'
import json, sys
from proselint.config import DEFAULT
checks = {name: False for name in DEFAULT["checks"]}
checks["misc.apologizing"] = True
json.dump({"checks": checks, "max_errors": 10**9}, open(sys.argv[1], "w"), indent=2)
PY
cat > "$peers/prh.yml" <<'EOF'
version: 1
rules:
  - expected: further research would help
    pattern: /more research is needed/i
EOF
cat > "$peers/textlintrc.json" <<EOF
{"rules": {"prh": {"rulePaths": ["$(realpath "$peers/prh.yml")"]}}}
EOF
cat > "$one_policy" <<'EOF'
phrases research
  "more research is needed"

rule no-research-excuse
  title    "Say what will be done"
  severity warning
  message  "Apologetic hedging."
  forbid   agent says research
EOF

cargo build --release -q --bin tact --example gen_corpus
make_corpus realistic 100MB "$big"
make_corpus realistic 8MB "$dir/realistic-8MB.jsonl"
[ -s "$macros" ] || target/release/examples/gen_corpus --conversations 4514 --seed 42 --macros \
  --real eval/pool/macros.jsonl --real eval/pool/macros2.jsonl --real eval/pool/macros3.jsonl > "$macros"
# The 5 MB text: whole conversations of the realistic corpus until their messages reach 5 MiB,
# one `Speaker: text` line per message (a tact transcript, and plain prose to the others); the
# same conversations as JSONL, tact's usual input.
python3 - "$dir/realistic-8MB.jsonl" "$text" "$jsonl" <<'PY'
import json, sys
source, text_path, jsonl_path = sys.argv[1:]
written = 0
with open(source, encoding="utf-8") as src, open(text_path, "w", encoding="utf-8") as text, \
        open(jsonl_path, "w", encoding="utf-8") as jsonl:
    for line in src:
        if written >= 5 << 20:
            break
        jsonl.write(line)
        for event in json.loads(line)["events"]:
            if event.get("type") == "message" and event.get("text"):
                speaker = "Agent" if event["from"] == "agent" else "Customer"
                row = f"{speaker}: {' '.join(event['text'].split())}\n"
                text.write(row)
                written += len(row.encode())
PY

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mb() { python3 -c "print(round($(stat -c %s "$1") / 1048576, 2))"; }
results=$dir/peers.md
{
  echo "| tool | input | wall: median (min-max, runs) | MB/s (median) | CPU, mean | peak RSS |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
} > "$results"
for c in "${contenders[@]}"; do
  IFS='|' read -r name input n cmd <<< "$c"
  cat "$input" > /dev/null   # warm the page cache
  hyperfine --style none --warmup 1 --runs "$n" -i --export-json "$peers/last.json" "$cmd" > /dev/null
  read -r _ _ _ rss _ < <(BENCH_RUNS=1 measure_spread bash -c "$cmd")
  python3 - "$peers/last.json" "$name" "${input#"$PWD"/}" "$(mb "$input")" "$rss" "$n" >> "$results" <<'PY'
import json, statistics, sys
path, name, input_path, mb, rss, n = sys.argv[1:]
result = json.load(open(path))["results"][0]
times = result["times"]
median = statistics.median(times)
print(f"| {name} | `{input_path}` ({mb} MB) | {median:.3f} s ({min(times):.3f}-{max(times):.3f}, {n} runs) "
      f"| {float(mb) / median:.1f} | {result['user'] + result['system']:.3f} s | {int(rss) // 1024} MB |")
PY
  tail -1 "$results"
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
echo "tools: $($tact --version 2>/dev/null | head -1), $(rg --version | head -1), $(hyperfine --version), node $(node --version)"
echo "load average (1, 5, 15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $results"
