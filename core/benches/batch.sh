#!/usr/bin/env bash
# End-to-end speed of the guestissuer binary: batch throughput and peak memory over a generated
# 1,000,000-row CSV, and one-shot `create` wall time against /bin/true (and jwt-cli's `jwt encode`
# when it is installed), and on x86_64 Linux the statically linked build's one-shot `create` too
# (the one `cargo xtask dist` ships). Run from anywhere: bash core/benches/batch.sh [rows]
# Uses hyperfine when installed (apt-get install hyperfine), else a timed shell loop.
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --locked --quiet
bin="$target/release/guestissuer"
static_bin=""
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  # As cargo xtask dist builds it: an explicit --target keeps build scripts and proc-macros dynamic.
  RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
    cargo build --release --locked --quiet --bin guestissuer --target x86_64-unknown-linux-gnu
  static_bin="$target/x86_64-unknown-linux-gnu/release/guestissuer"
fi
iss="Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mYWtlLW9yZy0wMDAx"
secret="c2VjcmV0LWtleS1mb3ItZXhhbXBsZXM="

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "binary:  $("$bin" --version), $(stat -c %s "$bin") bytes"
[ -z "$static_bin" ] || echo "static:  $("$static_bin" --version), $(stat -c %s "$static_bin") bytes"

echo
echo "== batch: $rows rows, CSV file in, JSON lines file out, one core"
awk -v n="$rows" 'BEGIN { print "user_id,user_name"; for (i = 1; i <= n; i++) printf "user-%d,Guest Number %d\n", i, i }' > "$work/rows.csv"
best=""
for run in 1 2 3; do
  /usr/bin/time -f "%e %M" -o "$work/time" taskset -c 0 "$bin" create --batch "$work/rows.csv" -i "$iss" -s "$secret" \
    > "$work/out.jsonl" 2>/dev/null
  read -r secs rss < "$work/time"
  echo "run $run: ${secs} s, peak RSS ${rss} KiB"
  if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$secs"; best_rss="$rss"; fi
done
lines=$(wc -l < "$work/out.jsonl")
[ "$lines" -eq "$rows" ] || { echo "expected $rows lines, got $lines" >&2; exit 1; }
awk -v n="$rows" -v s="$best" -v r="$best_rss" 'BEGIN { printf "best: %.0f tokens/s, peak RSS %.1f MiB\n", n / s, r / 1024 }'

echo
echo "== one-shot create vs /bin/true"
create=("$bin" create 123 "Stève" -i "$iss" -s "$secret")
if command -v hyperfine > /dev/null; then
  cmds=("/bin/true" "$bin create 123 Steve -i $iss -s $secret")
  [ -z "$static_bin" ] || cmds+=("$static_bin create 123 Steve -i $iss -s $secret")
  if command -v jwt > /dev/null; then
    cmds+=("jwt encode --secret b64:$secret --alg HS256 --no-iat --exp=+5400s --sub 123 --iss $iss '{\"name\":\"Steve\"}'")
  else
    echo "(jwt-cli not installed: cargo install jwt-cli, to compare with it)"
  fi
  hyperfine -N --warmup 100 --runs 2000 --export-markdown "$work/oneshot.md" "${cmds[@]}" > /dev/null 2>&1
  sed "s|${static_bin:-/nonexistent}|guestissuer (static)|; s|$bin|guestissuer|; s|$secret|SECRET|g; s|$iss|ISSUER|g" "$work/oneshot.md"
else
  n=2000
  time_loop() { local start end; start=$(date +%s%N); for ((i = 0; i < n; i++)); do "$@" > /dev/null 2>&1; done; end=$(date +%s%N); echo $(( (end - start) / n / 1000 )); }
  t_true=$(time_loop /bin/true)
  t_create=$(time_loop "${create[@]}")
  echo "/bin/true: ${t_true} µs per run; guestissuer create: ${t_create} µs per run (shell loop of $n, fork+exec included)"
  awk -v a="$t_create" -v b="$t_true" 'BEGIN { printf "ratio: %.2fx\n", a / b }'
  if [ -n "$static_bin" ]; then
    t_static=$(time_loop "$static_bin" create 123 "Stève" -i "$iss" -s "$secret")
    echo "guestissuer create, static build: ${t_static} µs per run"
  fi
  if command -v jwt > /dev/null; then
    t_jwt=$(time_loop jwt encode --secret "b64:$secret" --alg HS256 --sub 123 --iss "$iss" '{"name":"Steve"}')
    echo "jwt encode: ${t_jwt} µs per run"
  else
    echo "jwt-cli not installed (cargo install jwt-cli): skipped"
  fi
fi
