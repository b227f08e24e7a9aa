#!/usr/bin/env bash
# Side-by-side seconds per ALS iteration: `dropoutnet bench wmf` against the `implicit`
# library's CPU ALS on the same synthetic matrix, rank, λ, confidence 1 + α·r, iterations and
# threads. Needs network access once (pip). Not used by the tests. Both sides report wall and
# CPU seconds per iteration; the matrix is written by `dropoutnet bench wmf --export-matrix`.
#
#   scripts/bench_wmf_implicit.sh [--ranks 64,200] [--iterations 5] [--threads N] [--solver cg|cholesky]
#
# Environment: BENCH_VENV (default .venv-bench, gitignored), DROPOUTNET (a built binary;
# default: `swift build` then the debug binary, whose numeric modules are optimised).
set -euo pipefail
cd "$(dirname "$0")/.."

ranks=64,200 iterations=5 threads=$(getconf _NPROCESSORS_ONLN) solver=cg
while [ $# -gt 0 ]; do
  case "$1" in
    --ranks) ranks=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --solver) solver=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

venv=${BENCH_VENV:-.venv-bench}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import implicit" 2>/dev/null || "$venv/bin/pip" install -q implicit numpy scipy >&2

if [ -z "${DROPOUTNET:-}" ]; then
  swift build >&2
  DROPOUTNET="$(swift build --show-bin-path)/dropoutnet"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
matrix="$tmp/matrix.csr"

# implicit warns (and slows down) when BLAS runs its own threads inside its parallel loop.
export OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

ours=$("$DROPOUTNET" bench wmf --ranks "$ranks" --iterations "$iterations" --threads "$threads" \
         --solver "$solver" --export-matrix "$matrix" --json)
theirs=$("$venv/bin/python" scripts/bench_wmf_implicit.py "$matrix" --ranks "$ranks" \
         --iterations "$iterations" --threads "$threads" --solver "$solver")

"$venv/bin/python" - "$ours" "$theirs" "$solver" "$threads" <<'PY'
import json, sys
ours = {r["rank"]: r for r in json.loads(sys.argv[1])["results"]}
theirs = {r["rank"]: r for r in map(json.loads, sys.argv[2].splitlines())}
any_row = next(iter(ours.values()))
print(f"WMF {any_row['users']} users x {any_row['items']} items x {any_row['nnz']} nnz, "
      f"solver {sys.argv[3]}, {sys.argv[4]} threads, {next(iter(theirs.values()))['implementation']}")
print(f"{'':>5} {'wall s/iteration':^30} {'CPU s/iteration':^30} {'final training loss':^26}")
print(f"{'rank':>5} {'dropoutnet':>10} {'implicit':>10} {'ratio':>8} {'dropoutnet':>10} {'implicit':>10} {'ratio':>8} "
      f"{'dropoutnet':>12} {'implicit':>12}")
for rank in sorted(ours):
    o, t = ours[rank], theirs[rank]
    ow, tw = o['seconds_per_iteration'], t['seconds_per_iteration']
    oc, tc = o['cpu_seconds_per_iteration'], t['cpu_seconds_per_iteration']
    print(f"{rank:>5} {ow:>10.3f} {tw:>10.3f} {tw / ow:>8.2f} {oc:>10.3f} {tc:>10.3f} {tc / oc:>8.2f} "
          f"{o['final_loss']:>12.6g} {t['final_loss']:>12.6g}")
print("ratio = implicit / dropoutnet (> 1: dropoutnet is faster). CPU time is the fairer figure on a busy machine.")
PY
