# Sourced by the benchmark scripts: installs the Debian tools they need when missing (never in CI).

# Runs apt-get install for the packages given, as root or through sudo.
apt_install() {
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { $sudo_cmd apt-get update -qq >/dev/null 2>&1 && $sudo_cmd apt-get install -y -qq "$@" >/dev/null 2>&1; }
}

# ripgrep, the floor: the benchmark needs it (its patterns use ripgrep's syntax).
need_ripgrep() {
  command -v rg >/dev/null || apt_install ripgrep || true
  command -v rg >/dev/null || { echo "bench: ripgrep is needed (apt-get install ripgrep)" >&2; exit 2; }
}

# hyperfine, for start-up: many short runs of one command.
need_hyperfine() {
  command -v hyperfine >/dev/null || apt_install hyperfine || true
  command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
}

# The realistic corpus' sources: the repo's real Twitter support threads (eval/README.md).
real_threads=(--real eval/pool/twitter.jsonl --real eval/pool/twitter2.jsonl --real eval/pool/twitter3.jsonl)

# Writes corpus KIND (generated | realistic) of SIZE to FILE, once (seed 42).
make_corpus() {
  local kind=$1 size=$2 file=$3
  [ -s "$file" ] && return
  if [ "$kind" = realistic ]; then
    target/release/examples/gen_corpus --size "$size" --seed 42 "${real_threads[@]}" > "$file.tmp"
  else
    target/release/examples/gen_corpus --size "$size" --seed 42 > "$file.tmp"
  fi
  mv "$file.tmp" "$file"
}
