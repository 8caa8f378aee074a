#!/usr/bin/env bash
# Fuzzes every target for a bounded time, seeded from the repository's examples and fixtures.
#
#   fuzz/run.sh              # each target for 10 seconds
#   fuzz/run.sh 300          # each target for 5 minutes
#
# With cargo-fuzz installed (`cargo install cargo-fuzz`) this is libFuzzer, coverage-guided, on
# stable Rust (`-s none`: no sanitizer, which would need nightly); it needs a C++ compiler.
# Without it, or with FUZZ_SMOKE=1, the stable smoke runner (src/bin/smoke.rs) runs the same
# bodies on the seeds and deterministic mutations of them instead. Crashes land in
# fuzz/artifacts/TARGET/; new inputs worth keeping in fuzz/corpus/TARGET/ (neither is committed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}

# Each target and the folders of the repository that seed it.
targets=(
  "policy rules tests/fixtures/policies"
  "input_json tests/fixtures/batch examples/formats tests/fixtures/fuzz-regressions"
  "input_jsonl examples tests/fixtures/batch tests/fixtures/walk examples/formats"
  "input_csv examples/formats"
  "input_yaml tests/fixtures/batch"
  "input_transcript examples tests/fixtures/batch"
  "macro_locate examples/macros"
  "macro_fix examples/macros"
)

if [ "${FUZZ_SMOKE:-0}" != 1 ] && cargo fuzz --version >/dev/null 2>&1; then
  cargo fuzz build -s none
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  for entry in "${targets[@]}"; do
    read -r target seeds <<< "$entry"
    mkdir -p "fuzz/corpus/$target"
    # shellcheck disable=SC2086 # the seed folders are words
    if ! cargo fuzz run -s none "$target" "fuzz/corpus/$target" $seeds -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 >"$log" 2>&1; then
      tail -n 40 "$log"
      echo "$target: failed; the input is in fuzz/artifacts/$target/" >&2
      exit 1
    fi
    echo "$target: $(grep -E '^Done' "$log" || echo done)"
  done
else
  # About as many inputs as libFuzzer runs in the same time, without its coverage feedback.
  runs=$(( seconds * 100 ))
  cargo build --release --manifest-path fuzz/Cargo.toml --features smoke --bin smoke
  for entry in "${targets[@]}"; do
    read -r target seeds <<< "$entry"
    # shellcheck disable=SC2086 # the seed folders are words
    fuzz/target/release/smoke "$target" --runs "$runs" $seeds
  done
fi
