#!/usr/bin/env bash
# Key-to-screen latency of the workbench while it trains: the time from a key reaching the
# workbench's terminal until the workbench writes the frame that answers it. The workbench runs
# on the bundled sample-data in a private tmux server; a tmux control client sends the key
# (`?`, which opens the help overlay, then `?` again, which closes it) and reads the pane's
# output as tmux receives it (`%output` lines, timestamped on arrival), so the figure has no
# polling in it: open = until output carrying the help's text, close = until the next output.
# Prints each sample and the median, 90th percentile and maximum.
#
#   scripts/bench_key_latency.sh [--presses 20] [--size 120x40] [--data DIR] [--wait SECONDS]
#
# --data trains on another data set (say a generated world of MovieLens-25M's size, to see the
# workbench stay responsive at scale); --wait is how long loading and set-up may take before
# training starts (default 300 s).
#
# Environment: DROPOUTNET (a built binary; default: the release build). Needs tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
presses=20 size=120x40 data=sample-data wait=300
while [ $# -gt 0 ]; do
  case "$1" in
    --presses) presses=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin=${DROPOUTNET:-.build/release/dropoutnet}
[ -x "$bin" ] || { echo "no binary at $bin: build it first (swift build -c release)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
runs=$(mktemp -d) socket="dnkeys-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$runs"' EXIT
screen() { tmux -L "$socket" capture-pane -p -t keys 2>/dev/null || true; }

cmd=$(printf '%q ' env TERM=xterm-256color LANG=C.UTF-8 "$bin" tui --data "$data" --runs "$runs" --set epochs=1000 --set seed=7)
tmux -L "$socket" -f /dev/null new-session -d -s keys -x "${size%x*}" -y "${size#*x}" "$cmd"
# The control client must not resize the window.
tmux -L "$socket" set-option -g window-size manual >/dev/null
tmux -L "$socket" set-option -s escape-time 0 >/dev/null
deadline=$((SECONDS + wait))
until screen | grep -Eq "step [0-9]{3,}/"; do
  [ $SECONDS -gt $deadline ] && { echo "the workbench did not start training:" >&2; screen >&2; exit 1; }
  sleep 0.2
done

python3 - "$socket" "$presses" "$size" <<'EOF'
import queue, subprocess, sys, threading, time

socket, presses, size = sys.argv[1], int(sys.argv[2]), sys.argv[3]
client = subprocess.Popen(["tmux", "-L", socket, "-C", "attach", "-t", "keys"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
outputs = queue.Queue()  # (arrival time, pane output) for every %output line

def read():
    for line in client.stdout:
        if line.startswith(b"%output "):
            outputs.put((time.perf_counter(), line))
threading.Thread(target=read, daemon=True).start()

def drain():
    while not outputs.empty():
        outputs.get_nowait()

def press(marker):
    """Milliseconds from sending `?` until output (containing `marker`, if given) arrives."""
    drain()
    t0 = time.perf_counter()
    client.stdin.write(b"send-keys -t keys ?\n")
    deadline = t0 + 5
    while True:
        t, line = outputs.get(timeout=max(0.01, deadline - time.perf_counter()))
        if marker is None or marker in line:
            return (t - t0) * 1000

time.sleep(1)
samples = []
for _ in range(presses):
    samples.append(press(b"this help")); time.sleep(0.3)
    samples.append(press(None)); time.sleep(0.3)
client.stdin.write(b"detach-client\n")
with open("/proc/loadavg") as f:
    load = " ".join(f.read().split()[:3])
print(f"key-to-screen ms (open, close) x {presses} at {size}, load {load}: " + " ".join(f"{s:.1f}" for s in samples))
s = sorted(samples)
print(f"median {s[len(s) // 2]:.1f} ms, 90th percentile {s[int(len(s) * 0.9)]:.1f} ms, max {s[-1]:.1f} ms over {len(s)} key presses")
EOF
