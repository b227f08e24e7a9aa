#!/usr/bin/env bash
# DropoutNet against LightFM hybrids on the same split, the same content features and the same
# evaluation protocol (DESIGN §5). Trains DropoutNet (or takes --checkpoint), exports its split,
# features and embeddings with `dropoutnet data export-split`, re-scores our embeddings with the
# Python evaluator (a cross-check: it must print our numbers), scores popularity, trains LightFM,
# and prints recall@20 per split side by side. Needs network access once (pip). Not used by the tests.
#
#   scripts/compare_lightfm.sh [--data DIR] [--checkpoint FILE] [--set KEY=VALUE]… [--epochs N]
#                              [-- LIGHTFM OPTIONS…]   (see scripts/compare_lightfm.py --help)
#
# Environment: COMPARE_VENV (default: a virtualenv under the user's cache directory),
# DROPOUTNET (a built binary; default: `swift build -c release` then the release binary),
# KEEP (a directory to keep the run and the export in; default: a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

data=sample-data checkpoint="" train_args=() lightfm_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --checkpoint) checkpoint=$2; shift 2 ;;
    --set) train_args+=(--set "$2"); shift 2 ;;
    --epochs) train_args+=(--epochs "$2"); shift 2 ;;
    --) shift; lightfm_args=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

venv=${COMPARE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dropoutnet-compare-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import lightfm, numpy, scipy" 2>/dev/null; then
  "$venv/bin/pip" install -q numpy scipy setuptools wheel >&2
  # lightfm 1.17's setup.py fails under PEP 517 build isolation with recent setuptools.
  "$venv/bin/pip" install -q lightfm >&2 2>/dev/null || "$venv/bin/pip" install -q --no-use-pep517 lightfm >&2
fi

if [ -z "${DROPOUTNET:-}" ]; then
  swift build -c release --product dropoutnet >&2
  DROPOUTNET="$(swift build -c release --show-bin-path)/dropoutnet"
fi

if [ -n "${KEEP:-}" ]; then work=$KEEP; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

if [ -z "$checkpoint" ]; then
  echo "training DropoutNet on $data …" >&2
  "$DROPOUTNET" train --data "$data" --runs "$work/runs" --json --quiet ${train_args[@]+"${train_args[@]}"} > "$work/ours.json"
  checkpoint=$("$venv/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['checkpoint'])" "$work/ours.json")
else
  "$DROPOUTNET" eval --checkpoint "$checkpoint" --json --quiet > "$work/ours.json"
fi
"$DROPOUTNET" data export-split --checkpoint "$checkpoint" --out "$work/export" --json > /dev/null

py="$venv/bin/python scripts/compare_lightfm.py"
$py "$work/export" --embeddings > "$work/embeddings.json"
$py "$work/export" --popularity > "$work/popularity.json"
$py "$work/export" ${lightfm_args[@]+"${lightfm_args[@]}"} > "$work/lightfm.json"

"$venv/bin/python" - "$work" <<'PY'
import json, os, sys
w = sys.argv[1]
load = lambda n: json.load(open(os.path.join(w, n)))
ours, emb, pop, lfm = load("ours.json"), load("embeddings.json"), load("popularity.json"), load("lightfm.json")
splits = ["warm", "cold_user", "cold_item"]
def r(m, s):
    v = (m or {}).get(s)
    return "–" if v is None else f"{v['recall@20']:.4f}"
print(f"{emb['dataset']}: recall@20 on the test splits ({emb['split_origin']})")
print(f"{'model':<44} {'warm':>8} {'cold_user':>10} {'cold_item':>10}")
rows = [("dropoutnet (its own evaluator)", ours["metrics"]),
        ("dropoutnet embeddings, Python evaluator", emb["metrics"]),
        ("popularity (dropoutnet)", ours["baselines"]["popularity"]),
        ("popularity (Python; random order on ties)", pop["metrics"]),
        (f"{lfm['model']} (best epoch {lfm['best_epoch']})", lfm["metrics"])]
for name, m in rows:
    print(f"{name:<44} {r(m, 'warm'):>8} {r(m, 'cold_user'):>10} {r(m, 'cold_item'):>10}")
diff = max(abs(ours["metrics"][s]["recall@20"] - emb["metrics"][s]["recall@20"])
           for s in splits if ours["metrics"].get(s) and emb["metrics"].get(s))
print(f"cross-check: largest difference between the two evaluators on our embeddings {diff:.2e}")
print(f"lightfm settings: {json.dumps(lfm['settings'])}")
PY
