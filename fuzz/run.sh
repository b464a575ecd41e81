#!/usr/bin/env bash
# Runs fuzz targets, two at a time, each for SECONDS (default 300), under `nice -n 19`, then
# prints per target the executions, the corpus size and the findings (files in artifacts/).
#
#   fuzz/run.sh [seconds] [target...]      # default: every target
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain. Set SANITIZER=none when
# the address sanitizer's runtime is missing, JOBS=N to build with N jobs (default 1).
# Logs: fuzz/logs/<target>.log; findings: fuzz/artifacts/<target>/.
set -uo pipefail
cd "$(dirname "$0")"

seconds=300
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
sanitizer=${SANITIZER:-address}
mkdir -p logs artifacts

echo "building ${targets[*]} (sanitizer: $sanitizer)"
export CARGO_BUILD_JOBS=${JOBS:-1}
for target in "${targets[@]}"; do
    nice -n 19 cargo +nightly fuzz build --sanitizer "$sanitizer" "$target" >"logs/build-$target.log" 2>&1 || {
        echo "cannot build $target: see fuzz/logs/build-$target.log" >&2
        exit 1
    }
done

run_one() {
    local target=$1
    mkdir -p "corpus/$target" "artifacts/$target"
    # -max_total_time ends the run; -timeout makes a hang (10 s for one input) a finding;
    # -rss_limit_mb a leak or a runaway allocation.
    nice -n 19 cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"logs/$target.log" 2>&1
    echo "$target finished (exit $?)"
}

# Two at a time: the machine has two cores and others build on it.
running=0
for target in "${targets[@]}"; do
    run_one "$target" &
    running=$((running + 1))
    if [[ $running -ge 2 ]]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

printf '\n%-12s %14s %10s %8s %s\n' target execs exec/s corpus findings
for target in "${targets[@]}"; do
    log="logs/$target.log"
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    corpus=$(find "corpus/$target" -type f | wc -l)
    findings=$(find "artifacts/$target" -type f | wc -l)
    printf '%-12s %14s %10s %8s %s\n' "$target" "${execs:-?}" "${rate:-?}" "$corpus" "$findings"
    find "artifacts/$target" -type f -printf '    %p\n'
done
