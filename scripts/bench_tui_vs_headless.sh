#!/usr/bin/env bash
# Training throughput with the workbench open against headless `dropoutnet train` on the same
# settings (issue: "within 5%"). Alternates headless and TUI runs on the bundled sample-data,
# each a fixed number of epochs, the TUI in a private tmux server at 120×40 (left to finish,
# then quit with q). Each run's samples/s is read back from the run store (`runs show --json`,
# field throughput.samples_per_s: samples over the seconds spent inside training steps, the
# figure the progress line and the workbench header show; throughput.wall_seconds includes
# evaluations). Prints every run, both medians and the ratio TUI / headless.
#
# With --against BIN each repeat also runs the workbench of another build (say main's) right
# after this one's, and prints its median and ratio to the same headless runs: an A/B of a
# change to the workbench alone (the headless runs are this build's), alternated so that the
# load of a shared machine falls on both alike.
#
#   scripts/bench_tui_vs_headless.sh [--repeats 3] [--epochs 10] [--set KEY=VALUE]... [--against BIN]
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

# samples/s and wall seconds of the last run in the store.
last_run() {
  "$bin" runs show last --runs "$runs" --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["throughput"]
if t is None: sys.exit("the last run recorded no throughput")
print("%.0f %.2f %d" % (t["samples_per_s"], t["wall_seconds"], t["steps"]))'
}

headless() {
  "$bin" train --data sample-data --runs "$runs" --quiet "${sets[@]}" >/dev/null
  last_run
}

screen() { tmux -L "$socket" capture-pane -p -t bench 2>/dev/null || true; }
pane_dead() { [ "$(tmux -L "$socket" display-message -p -t bench '#{pane_dead}' 2>/dev/null)" = 1 ]; }

tui() {
  local cmd deadline tuibin=${1:-$bin}
  cmd=$(printf '%q ' "$tuibin" tui --data sample-data --runs "$runs" "${sets[@]}")
  tmux -L "$socket" -f /dev/null new-session -d -s bench -x 120 -y 40 "$cmd"
  tmux -L "$socket" set-option -t bench remain-on-exit on >/dev/null
  tmux -L "$socket" set-option -s escape-time 0 >/dev/null
  deadline=$((SECONDS + 600))
  until screen | grep -q "■ finished"; do
    if pane_dead || [ $SECONDS -gt $deadline ]; then echo "the workbench did not finish:" >&2; screen >&2; exit 1; fi
    sleep 0.2
  done
  tmux -L "$socket" send-keys -t bench q
  sleep 0.3
  if screen | grep -q "press q or y"; then tmux -L "$socket" send-keys -t bench y; fi
  deadline=$((SECONDS + 60))
  until pane_dead; do
    if [ $SECONDS -gt $deadline ]; then echo "the workbench did not quit:" >&2; screen >&2; exit 1; fi
    sleep 0.2
  done
  tmux -L "$socket" kill-server 2>/dev/null || true
  last_run
}

echo "sample-data, ${sets[*]}, threads ${DROPOUTNET_THREADS:-all}; load: $(uptime | sed 's/.*load average: //')"
h=() t=() a=()
for i in $(seq "$repeats"); do
  sps=""
  read -r sps wall steps < <(headless) || true; [ -n "${sps:-}" ] || exit 1; h+=("$sps")
  printf 'headless %d: %8s samples/s  (%s steps, %s s wall)\n' "$i" "$sps" "$steps" "$wall"
  sps=""; read -r sps wall steps < <(tui) || true; [ -n "$sps" ] || exit 1; t+=("$sps")
  printf 'tui      %d: %8s samples/s  (%s steps, %s s wall)\n' "$i" "$sps" "$steps" "$wall"
  if [ -n "$against" ]; then
    sps=""; read -r sps wall steps < <(tui "$against") || true; [ -n "$sps" ] || exit 1; a+=("$sps")
    printf 'against  %d: %8s samples/s  (%s steps, %s s wall)\n' "$i" "$sps" "$steps" "$wall"
  fi
done
python3 - "${h[*]}" "${t[*]}" "${a[*]:-}" <<'EOF'
import statistics, sys
h = [float(x) for x in sys.argv[1].split()]
t = [float(x) for x in sys.argv[2].split()]
mh, mt = statistics.median(h), statistics.median(t)
print(f"median headless {mh:.0f} samples/s, median tui {mt:.0f} samples/s, tui/headless {mt / mh:.3f}")
if sys.argv[3].strip():
    ma = statistics.median(float(x) for x in sys.argv[3].split())
    print(f"median tui of --against {ma:.0f} samples/s, its tui/headless {ma / mh:.3f}")
EOF
echo "load at the end: $(uptime | sed 's/.*load average: //')"
