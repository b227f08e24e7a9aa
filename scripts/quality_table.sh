#!/usr/bin/env bash
# One quality table: both DropoutNet models trained with their defaults on every data set present,
# beside LightFM, popularity and the trained content-only model on the same splits, as markdown.
#
#   scripts/quality_table.sh [--data-root DIR] [--only NAME]… [--no-lightfm] [--keep DIR] [--seeds "S…"]
#
# Data sets (each skipped, with a line saying so, when absent):
#   sample-data        the bundled sample (recall@20)
#   proxy-movielens    `data generate --preset movielens` (recall@20), generated here
#   ml-latest-small    DIR/ml-latest-small (recall@20)
#   citeulike-warm     DIR/citeulike-a with the DropoutNet paper's warm split (recall@100)
#   citeulike-cold     DIR/citeulike-a with the paper's cold-item split (recall@100)
# DIR (--data-root) defaults to ../shared/data beside the project when it exists. LightFM runs
# through scripts/compare_lightfm.py (its virtualenv as in compare_lightfm.sh) on the EasyRec
# run's exported split; on CiteULike with the README's settings (200 components, 30 epochs,
# L1-normalised rows). CiteULike's classic runs take ~10 minutes each on 2 cores and the whole
# table about an hour and a half. Not used by the tests.
#
# --seeds "2 3" also trains the EasyRec model with each of those training seeds (same split) and
# prints a second table: its range and mean over the default seed and these, beside the trained
# content-only model's mean, since on small test sets one seed moves a figure by up to 0.03.
#
# Environment: DROPOUTNET (a built binary; default: the release build, built if missing),
# COMPARE_VENV (LightFM's virtualenv, as in compare_lightfm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

root="" only=() lightfm=1 keep="" seeds=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-root) root=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --no-lightfm) lightfm=0; shift ;;
    --keep) keep=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$root" ] && [ -d ../shared/data ]; then root=../shared/data; fi

bin=${DROPOUTNET:-.build/release/dropoutnet}
if [ ! -x "$bin" ]; then swift build -c release --product dropoutnet >&2; fi
if [ -n "$keep" ]; then work=$keep; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

venv=${COMPARE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dropoutnet-compare-venv}
if [ "$lightfm" = 1 ] && ! "$venv/bin/python" -c "import lightfm, numpy, scipy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy scipy setuptools wheel >&2
  "$venv/bin/pip" install -q lightfm >&2 2>/dev/null || "$venv/bin/pip" install -q --no-use-pep517 lightfm >&2
fi

wanted() { [ ${#only[@]} -eq 0 ] && return 0; local n; for n in "${only[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }

# run NAME K LIGHTFM_ARGS -- TRAIN_ARGS…: trains both models, exports the EasyRec run, runs LightFM.
run() {
  local name=$1 k=$2 lfm_args=$3; shift 4
  local dir="$work/$name"; mkdir -p "$dir"
  for model in easyrec classic; do
    echo "[$name] training $model …" >&2
    "$bin" train "$@" --set model=$model --runs "$dir/runs" --json --quiet > "$dir/$model.json"
  done
  local seed
  for seed in $seeds; do
    echo "[$name] training easyrec, seed $seed …" >&2
    "$bin" train "$@" --set seed="$seed" --runs "$dir/runs" --json --quiet > "$dir/easyrec-seed$seed.json"
  done
  if [ "$lightfm" = 1 ]; then
    local ckpt
    ckpt=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['checkpoint'])" "$dir/easyrec.json")
    "$bin" data export-split --checkpoint "$ckpt" --out "$dir/export" --json > /dev/null
    ckpt=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['checkpoint'])" "$dir/classic.json")
    "$bin" data export-split --checkpoint "$ckpt" --out "$dir/export-classic" --json > /dev/null
    echo "[$name] LightFM …" >&2
    # shellcheck disable=SC2086
    "$venv/bin/python" scripts/compare_lightfm.py "$dir/export" $lfm_args \
      --paired-name easyrec --paired-with classic="$dir/export-classic" > "$dir/lightfm.json"
  fi
  echo "$name $k" >> "$work/done.txt"
}

: > "$work/done.txt"
if wanted sample-data; then run sample-data 20 "" -- --data sample-data; fi
if wanted proxy-movielens; then
  if "$bin" data generate --help 2>&1 | grep -q -- --preset; then
    "$bin" data generate --preset movielens --out "$work/proxy-data" > /dev/null
    run proxy-movielens 20 "" -- --data "$work/proxy-data"
  else
    echo "proxy-movielens: this build has no data generate --preset; skipped" >&2
  fi
fi
if wanted ml-latest-small; then
  if [ -n "$root" ] && [ -f "$root/ml-latest-small/ratings.csv" ]; then
    run ml-latest-small 20 "" -- --data "$root/ml-latest-small"
  else
    echo "ml-latest-small: not found under the data root; skipped" >&2
  fi
fi
for split in warm cold; do
  if wanted "citeulike-$split"; then
    c="$root/citeulike-a"
    if [ -n "$root" ] && [ -f "$c/users.dat" ]; then
      # The README's reference-protocol flags (the paper's WMF teacher) for both models.
      run "citeulike-$split" 100 "--components 200 --epochs 30 --normalize --paired-k 100" -- --data "$c" --format citeulike --split-dir "$c/$split" \
        --set preference=wmf --set wmf.rank=200 --set wmf.reg=1 --set wmf.alpha=10 --set wmf.iterations=10
    else
      echo "citeulike-$split: citeulike-a not found under the data root; skipped" >&2
    fi
  fi
done

python3 - "$work" "$seeds" <<'PY'
import json, os, sys
w, seeds = sys.argv[1], sys.argv[2].split()
def load(*p):
    f = os.path.join(w, *p)
    return json.load(open(f)) if os.path.exists(f) else None
def value(m, split, k):
    return ((m or {}).get(split) or {}).get(f"recall@{k}")
def cell(m, split, k, se=False):
    v = value(m, split, k)
    e = ((m or {}).get(split) or {}).get(f"recall_se@{k}") if se else None
    return "–" if v is None else f"{v:.3f}" + (f" ±{e:.3f}" if e is not None else "")
print("| data | split | K | DropoutNet (EasyRec) | DropoutNet (classic) | LightFM | popularity | content-only | WMF |")
print("|---|---|---|---|---|---|---|---|---|")
for line in open(os.path.join(w, "done.txt")):
    name, k = line.split()
    e, c, l = load(name, "easyrec.json"), load(name, "classic.json"), load(name, "lightfm.json")
    for split in ["warm", "cold_user", "cold_item"]:
        if not (e["metrics"].get(split) or {}):
            continue
        b = e["baselines"]
        print(f"| {name} | {split} | {k} | {cell(e['metrics'], split, k, se=True)} | {cell(c['metrics'], split, k)} | "
              f"{cell(l and l['metrics'], split, k)} | {cell(b.get('popularity'), split, k)} | "
              f"{cell(b.get('content_only'), split, k)} | {cell(b.get('wmf'), split, k)} |")
print()
print("± is the standard error of the EasyRec model's recall over the split's test users: how far another draw "
      "of as many users would move it.")
paired = []
for line in open(os.path.join(w, "done.txt")):
    name, k = line.split()
    l = load(name, "lightfm.json")
    by_model = (l or {}).get("paired") or {}
    for split in ["warm", "cold_user", "cold_item"]:
        e, c = (by_model.get("easyrec") or {}).get(split), (by_model.get("classic") or {}).get(split)
        if e or c:
            paired.append((name, split, e, c))
if paired:
    def diff(p, key):
        return "–" if not p else f"{p[key]:+.3f} ±{p[key + '_se']:.3f}"
    print()
    print("DropoutNet against LightFM user by user (recall@K as above, the same users; ± the standard error of "
          "the mean per-user difference):")
    print()
    print("| data | split | K | users | EasyRec − LightFM | EasyRec − 1.1 × LightFM | classic − LightFM | classic − 1.1 × LightFM |")
    print("|---|---|---|---|---|---|---|---|")
    for name, split, e, c in paired:
        p = e or c
        print(f"| {name} | {split} | {p['k']} | {p['users']} | {diff(e, 'difference')} | {diff(e, 'over_lightfm_plus_10pct')} | "
              f"{diff(c, 'difference')} | {diff(c, 'over_lightfm_plus_10pct')} |")
if seeds:
    print()
    print(f"EasyRec over the default seed and {', '.join(seeds)}:")
    print()
    print("| data | split | K | DropoutNet, range | DropoutNet, mean | content-only, mean |")
    print("|---|---|---|---|---|---|")
    for line in open(os.path.join(w, "done.txt")):
        name, k = line.split()
        runs = [load(name, "easyrec.json")] + [load(name, f"easyrec-seed{s}.json") for s in seeds]
        for split in ["warm", "cold_user", "cold_item"]:
            ours = [v for r in runs if (v := value(r["metrics"], split, k)) is not None]
            if not ours:
                continue
            co = [v for r in runs if (v := value(r["baselines"].get("content_only"), split, k)) is not None]
            mean = lambda v: "–" if not v else f"{sum(v) / len(v):.3f}"
            print(f"| {name} | {split} | {k} | {min(ours):.3f}–{max(ours):.3f} | {mean(ours)} | {mean(co)} |")
PY
