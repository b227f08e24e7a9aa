#!/usr/bin/env bash
# The concurrency-heavy tests under ThreadSanitizer and AddressSanitizer: the training session
# (trainer thread, snapshots, live settings), the worker pool behind every parallel kernel, and
# the run store (background recorder, crash and write-fault tests).
#
# Each sanitizer builds into its own directory (.build-tsan, .build-asan) so the normal .build
# is untouched; a first build of each takes several minutes, which is why this is a script and
# not part of CI. Usage:
#   scripts/sanitize.sh            # both sanitizers
#   scripts/sanitize.sh thread     # or: address
# Extra arguments after the sanitizer name go to `swift test` (e.g. --filter WriteFaultTests).
# Exit status: 0 when every selected run passed with no sanitizer report.
set -uo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
shift || true
filters=(
  "NumericsTests.Parallel"               # WorkerPool: Parallel.forEach / forRanges, nested calls
  "NumericsTests.TopKScorer"             # evaluation's scoring blocks on the pool
  "NeuralNetTests.ThreadInvariance"      # layers on 1…N threads of the pool
  "DropoutNetTests.TrainingSessionTests" # trainer thread, snapshots, commands, restart
  "DropoutNetTests.LiveSettingsTests"    # settings changed from the UI thread while training
  "DropoutNetTests.SessionRecorderTests" # restarts recorded while the old run's thread ends
  "DropoutNetTests.RunRecordingTests"
  "DropoutNetTests.RunStoreTests"
  "DropoutNetTests.CrashSafetyTests"     # writers killed mid-write
  "DropoutNetTests.WriteFaultTests"      # full store, failing checkpoint writes
  "WorkbenchTests.RestartRecordingTests" # the workbench's `r` with a recorder
)
if [ $# -gt 0 ]; then filter_args=("$@"); else filter_args=(); for f in "${filters[@]}"; do filter_args+=(--filter "$f"); done; fi

# Reports go to the log; a run with any report fails (exitcode 66 is TSan's, 1 ASan's).
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0 second_deadlock_stack=1 history_size=4}"
# Leak checking stays off: the worker pool's threads and the process-wide caches live until exit by design.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0 halt_on_error=1 detect_stack_use_after_return=1}"

status=0
run() {
  local sanitizer=$1 dir=$2
  local log="$dir/sanitize-$sanitizer.log"
  mkdir -p "$dir"
  echo "== $sanitizer: building into $dir"
  if ! nice -n 10 swift build --build-tests --sanitize="$sanitizer" --build-path "$dir" >"$log" 2>&1; then
    tail -40 "$log"; echo "== $sanitizer: BUILD FAILED (log: $log)"; status=1; return
  fi
  echo "== $sanitizer: testing"
  local start=$SECONDS
  nice -n 10 swift test --skip-build --sanitize="$sanitizer" --build-path "$dir" "${filter_args[@]}" >>"$log" 2>&1
  local rc=$?
  local reports
  reports=$(grep -c -E "^(WARNING: ThreadSanitizer|==[0-9]+==ERROR: AddressSanitizer|SUMMARY: (Thread|Address)Sanitizer)" "$log")
  grep -E "Executed [0-9]+ tests" "$log" | tail -1
  echo "== $sanitizer: exit $rc, $reports sanitizer report lines, $((SECONDS - start)) s (log: $log)"
  if [ "$rc" -ne 0 ] || [ "$reports" -ne 0 ]; then status=1; fi
}

case "$which" in
  thread) run thread .build-tsan ;;
  address) run address .build-asan ;;
  all) run thread .build-tsan; run address .build-asan ;;
  *) echo "usage: $0 [thread|address|all] [swift test arguments]" >&2; exit 2 ;;
esac
exit $status
