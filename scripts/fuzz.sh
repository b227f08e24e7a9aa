#!/usr/bin/env bash
# libFuzzer over every file the program reads from a user: the CSV loaders (native,
# MovieLens, CiteULike), dataset.toml, settings and theme TOML, checkpoint files and split
# directories. The harness is the separate package Fuzz/ (never built by `swift build` or
# `swift test`), built here with -sanitize=fuzzer,address into .build-fuzz.
#
#   scripts/fuzz.sh                      # every target, 1,000,000 executions each
#   FUZZ_RUNS=200000 scripts/fuzz.sh native checkpoint
#   FUZZ_MAX_SECONDS=600 scripts/fuzz.sh # cap each target's time (0: no cap)
#   FUZZ_SKIP_BUILD=1 scripts/fuzz.sh …   # run the harness as last built
#
# Seeds: Tests/FuzzCorpus/<target>/ (read only); inputs libFuzzer finds are kept in
# .build-fuzz/corpus/<target>/ for the next run. A crash, leak-free OOM or timeout leaves its
# input in .build-fuzz/findings/<target>/; turn each into a regression test with the input in
# the test (Tests/DropoutNetTests/Data/FuzzRegressionTests.swift). Exit status: 0 when no
# target found anything. Runs under `nice`; one target at a time (the machine is shared).
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${FUZZ_RUNS:-1000000}
max_seconds=${FUZZ_MAX_SECONDS:-0}
all=(native movielens citeulike dataset-toml settings-toml theme-toml checkpoint split-dir)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
build=.build-fuzz

if [ "${FUZZ_SKIP_BUILD:-0}" = 1 ]; then :; else
echo "== building the harness (release, -sanitize=fuzzer,address) into $build"
# SwiftPM passes `-sanitize=fuzzer -sanitize=address` in that order, and swiftc then leaves Swift
# code without coverage instrumentation (libFuzzer would see only TOMLKit's C++): a last
# `-sanitize=fuzzer,address` turns it back on.
if ! nice -n 10 swift build --package-path Fuzz -c release --sanitize=fuzzer --sanitize=address \
     -Xswiftc -sanitize=fuzzer,address --build-path "$build" --product dropoutnet-fuzz >"$build.log" 2>&1; then
  tail -40 "$build.log"; echo "== build failed (log: $build.log)"; exit 1
fi
mv "$build.log" "$build/build.log"
fi
binary=$build/release/dropoutnet-fuzz

status=0
printf '%-14s %12s %10s %8s %s\n' target executions exec/s seconds findings
for t in "${targets[@]}"; do
  seeds=Tests/FuzzCorpus/$t
  [ -d "$seeds" ] || { echo "unknown target '$t' (no $seeds)"; status=2; continue; }
  corpus=$build/corpus/$t findings=$build/findings/$t log=$build/fuzz-$t.log
  mkdir -p "$corpus" "$findings"
  start=$SECONDS
  # The Swift runtime's backtracer would race ASan's report of a crash: libFuzzer reports it.
  DROPOUTNET_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no nice -n 10 "$binary" "$corpus" "$seeds" \
    -runs="$runs" -max_total_time="$max_seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  executed=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  found=$(find "$findings" -type f | wc -l)
  printf '%-14s %12s %10s %8d %s\n' "$t" "${executed:-?}" "${rate:-?}" $((SECONDS - start)) \
    "$found$( [ "$rc" -ne 0 ] && echo " (exit $rc, log: $log)")"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then status=1; fi
done
exit $status
