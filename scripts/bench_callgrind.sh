#!/usr/bin/env bash
# Instructions per training step and per WMF fit, counted by callgrind: a figure that does not
# move with the load of a shared machine, for before/after comparisons of kernel changes
# (wall-clock medians of `dropoutnet bench train` / `bench wmf` are the other half).
#
# Only the instructions inside `Trainer.trainStep` (bench train) and the ALS half-steps' solves
# and loss (bench wmf; callgrind toggles per thread, so the toggle is on the functions each
# thread runs) are counted, so the synthetic data set-up and the GEMM-rate probe do not dilute
# the figure.
#
#   scripts/bench_callgrind.sh [--steps 10] [--wmf-rank 64] [--only train|wmf]
#
# Environment: DROPOUTNET (a built binary; default: the release build, built if missing).
# Needs valgrind. One thread, so the count is one core's work.
set -euo pipefail
cd "$(dirname "$0")/.."

steps=10 rank=64 only=
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --wmf-rank) rank=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bin=${DROPOUTNET:-.build/release/dropoutnet}
if [ ! -x "$bin" ]; then swift build -c release --product dropoutnet >&2; fi
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Valgrind 3.19 cannot read the DWARF 5 debug info swiftc writes ("unhandled dwarf2 abbrev
# form"): profile a copy without it (the symbol table, which the counts need, stays).
objcopy --strip-debug "$bin" "$out/dropoutnet"
bin="$out/dropoutnet"

# Total instructions (Ir) a callgrind output file recorded.
instructions() { grep -m1 '^totals:' "$1" | awk '{print $2}'; }

if [ "$only" != wmf ]; then
  valgrind --tool=callgrind --callgrind-out-file="$out/train" \
    --toggle-collect='$s10DropoutNet7TrainerC9trainStep*' \
    "$bin" bench train --threads 1 --warmup 1 --steps "$steps" >/dev/null 2>"$out/train.log"
  train=$(instructions "$out/train")
  # trainStep runs warm-up + timed steps.
  echo "bench train: $train instructions in $((steps + 1)) steps = $((train / (steps + 1))) per step"
fi
[ "$only" = train ] && exit 0

valgrind --tool=callgrind --callgrind-out-file="$out/wmf" \
  --toggle-collect='$s10DropoutNet11WMFHalfStepV3run*' --toggle-collect='$s10DropoutNet11WMFHalfStepV4loss*' \
  "$bin" bench wmf --threads 1 --users 5000 --items 2000 --nnz 100000 --ranks "$rank" --iterations 2 \
  >/dev/null 2>"$out/wmf.log"
wmf=$(instructions "$out/wmf")
echo "bench wmf (5000 x 2000 x 100k, rank $rank, 2 iterations): $wmf instructions in the half-steps"
