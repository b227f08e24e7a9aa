#!/usr/bin/env bash
# Training throughput with the workbench open against headless `dropoutnet train` on the same
# settings (issue: "within 5%"). Alternates headless and TUI runs on the bundled sample-data,
# each a fixed number of epochs, both in a private tmux server at 120×40 (the TUI left to
# finish, then quit with q). Each run's samples/s is read back from the run store (`runs show --json`,
# field throughput.samples_per_s: samples over the seconds spent inside training steps, the
# figure the progress line and the workbench header show; throughput.wall_seconds includes
# evaluations). Prints every run, both medians and the ratio TUI / headless.
#
# With --against BIN each repeat also runs the workbench of another build (say main's) next to
# this one's, and prints its median and ratio to the same headless runs: an A/B of a
# change to the workbench alone (the headless runs are this build's), alternated so that the
# load of a shared machine falls on both alike.
#
#   scripts/bench_tui_vs_headless.sh [--repeats 3] [--epochs 10] [--set KEY=VALUE]... [--against BIN]
#
# Both kinds of run go through the same harness, so that what it costs falls on both alike: each
# runs in a pane of a private tmux server, and the script looks at the pane once a second (one
# tmux client call: the screen and whether the pane has ended) until the headless run has ended
# or the workbench shows "■ finished". The harness is not free on a 2-core machine: this script
# once watched the workbench alone, five times a second, with a tmux call, a grep and a second
# tmux call, which took 4.6% of a core in short-lived processes (0.45% now, both timed over 20 s);
# and each time such a process preempts a training thread, the other waits for it at the next
# parallel loop. At load 3–4 (3 alternating repeats, sample-data, 8 epochs) headless runs
# with that loop running beside them made 36.5 k samples/s against 37.9 k without it.
#
# Single runs move by ±10% even on an idle machine (and by 2× when other jobs start or stop),
# so one set of 3–5 repeats does not resolve a 5% difference: the median of the repeats' own
# ratios is printed beside the ratio of the medians; run the script more than once.
#
# Environment: DROPOUTNET (a built binary; default: the release build, built if missing),
# DROPOUTNET_THREADS (training threads, default all cores). Needs tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

repeats=3 epochs=10 sets=() against=""
while [ $# -gt 0 ]; do
  case "$1" in
    --against) against=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --set) sets+=(--set "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# Training throughput only: no content-only baseline (a second training after the run).
sets+=(--set "epochs=$epochs" --set "seed=7" --set "baselines.content_only=off")

bin=${DROPOUTNET:-.build/release/dropoutnet}
if [ ! -x "$bin" ]; then swift build -c release --product dropoutnet >&2; fi
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }

runs=$(mktemp -d)
socket="dnbench-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$runs"; }
trap cleanup EXIT

# samples/s, wall seconds and steps of the last run in the store.
last_run() {
  "$bin" runs show last --runs "$runs" --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["throughput"]
if t is None: sys.exit("the last run recorded no throughput")
print("%.0f %.2f %d" % (t["samples_per_s"], t["wall_seconds"], t["steps"]))'
}

# One look at the pane: its screen, then a last line "dead=0" or "dead=1" (one tmux call).
look() { tmux -L "$socket" capture-pane -p -t bench \; display-message -p -t bench 'dead=#{pane_dead}' 2>/dev/null || true; }
pane_dead() { look | tail -n 1 | grep -q "dead=1"; }

# Starts `$@` in the pane (120×40), kept after it exits so its end can be seen.
in_pane() {
  tmux -L "$socket" -f /dev/null new-session -d -s bench -x 120 -y 40 "$(printf '%q ' "$@")"
  tmux -L "$socket" set-option -t bench remain-on-exit on >/dev/null
  tmux -L "$socket" set-option -s escape-time 0 >/dev/null
}

# Looks once a second (matching in bash: no process but the one tmux call) until the screen
# matches the glob `pattern`; fails when the pane has ended otherwise.
wait_for() {
  local pattern=$1 what=$2 deadline=$((SECONDS + 600)) screen
  while true; do
    screen=$(look)
    # shellcheck disable=SC2053  # a glob on purpose
    if [[ $screen == $pattern ]]; then return; fi
    if [[ $screen == *dead=1 ]] || [ $SECONDS -gt $deadline ]; then
      echo "$what:" >&2; echo "$screen" >&2; exit 1
    fi
    sleep 1
  done
}

# The headless run says how it ended on its pane (tmux's own #{pane_dead_status} is not always
# filled in: the server does not always reap the pane's process).
headless() {
  in_pane sh -c '"$@"; echo "train exited with $?"' sh "$bin" train --data sample-data --runs "$runs" --quiet "${sets[@]}"
  wait_for '*train exited with 0*' "the headless run failed"
  tmux -L "$socket" kill-server 2>/dev/null || true
  last_run
}

tui() {
  local tuibin=${1:-$bin}
  in_pane "$tuibin" tui --data sample-data --runs "$runs" "${sets[@]}"
  wait_for '*■ finished*' "the workbench did not finish"
  tmux -L "$socket" send-keys -t bench q
  sleep 0.3
  if look | grep -q "press q or y"; then tmux -L "$socket" send-keys -t bench y; fi
  local deadline=$((SECONDS + 60))
  until pane_dead; do
    if [ $SECONDS -gt $deadline ]; then echo "the workbench did not quit:" >&2; look >&2; exit 1; fi
    sleep 0.2
  done
  tmux -L "$socket" kill-server 2>/dev/null || true
  last_run
}

echo "sample-data, ${sets[*]}, threads ${DROPOUTNET_THREADS:-all}; load: $(uptime | sed 's/.*load average: //')"
h=() t=() a=()
run_headless() {
  sps=""; read -r sps wall steps < <(headless) || true; [ -n "${sps:-}" ] || exit 1; h+=("$sps")
  printf 'headless %d: %8s samples/s  (%s steps, %s s wall)\n' "$i" "$sps" "$steps" "$wall"
}
run_tui() {
  sps=""; read -r sps wall steps < <(tui) || true; [ -n "$sps" ] || exit 1; t+=("$sps")
  printf 'tui      %d: %8s samples/s  (%s steps, %s s wall)\n' "$i" "$sps" "$steps" "$wall"
}
run_against() {
  [ -n "$against" ] || return 0
  sps=""; read -r sps wall steps < <(tui "$against") || true; [ -n "$sps" ] || exit 1; a+=("$sps")
  printf 'against  %d: %8s samples/s  (%s steps, %s s wall)\n' "$i" "$sps" "$steps" "$wall"
}
# Odd repeats run headless first, even ones last, so that a load rising or falling through a
# repeat does not favour one side.
for i in $(seq "$repeats"); do
  if [ $((i % 2)) = 1 ]; then run_headless; run_tui; run_against
  else run_against; run_tui; run_headless; fi
done
python3 - "${h[*]}" "${t[*]}" "${a[*]:-}" <<'EOF'
import statistics, sys
h = [float(x) for x in sys.argv[1].split()]
t = [float(x) for x in sys.argv[2].split()]
mh, mt = statistics.median(h), statistics.median(t)
# A repeat's runs come within a minute or two of each other, so their ratio sees less of the
# machine's drifting load than the ratio of the medians does.
pairs = statistics.median(b / a for a, b in zip(h, t))
print(f"median headless {mh:.0f} samples/s, median tui {mt:.0f} samples/s, tui/headless {mt / mh:.3f}"
      f" (median of the repeats' own ratios {pairs:.3f})")
if sys.argv[3].strip():
    a = [float(x) for x in sys.argv[3].split()]
    ma = statistics.median(a)
    print(f"median tui of --against {ma:.0f} samples/s, its tui/headless {ma / mh:.3f}"
          f" (median of the repeats' own ratios {statistics.median(y / x for x, y in zip(h, a)):.3f})")
EOF
echo "load at the end: $(uptime | sed 's/.*load average: //')"
