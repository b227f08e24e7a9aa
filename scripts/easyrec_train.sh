#!/usr/bin/env bash
# Trains EasyRec's DropoutNet on a directory written by `dropoutnet export easyrec --out DIR`,
# prints EasyRec's loss curve and in-graph AUC, then writes the trained user and item embeddings
# (DIR/embeddings/{user,item}_embeddings.csv) for `dropoutnet eval --checkpoint F --embeddings
# DIR/embeddings`, which scores them with the workbench's evaluator beside the workbench model.
# Needs a TensorFlow install (made once below), so it is a script, not part of `swift test`.
#
#   scripts/easyrec_train.sh DIR [--steps N]
#
# --steps N overrides train_config.num_steps (and raises data_config.num_epochs so the input
# lasts that long). The virtualenv is made once in the user's cache directory with a Python
# EasyRec 0.7.1 supports (3.9: it uses collections.Iterator, removed in 3.10) and pinned
# pai-easy-rec 0.7.1, tensorflow-cpu 2.12.0, protobuf 3.20.3, numpy 1.23.5, pyarrow 14.0.2.
#
# Environment: EASYREC_VENV (default: dropoutnet-easyrec-venv in the user's cache directory),
# EASYREC_PYTHON (a Python 3.9 to make it with; default: pyenv's 3.9, else python3.9 on PATH).
set -euo pipefail
[ $# -ge 1 ] && [ -f "$1/pipeline.config" ] || {
  echo "usage: scripts/easyrec_train.sh DIR [--steps N]   (DIR from dropoutnet export easyrec --out DIR)" >&2; exit 2; }
dir=$(cd "$1" && pwd); shift
steps=""
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)

venv=${EASYREC_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dropoutnet-easyrec-venv}
if [ ! -x "$venv/bin/python" ]; then
  py=${EASYREC_PYTHON:-}
  if [ -z "$py" ] && command -v pyenv >/dev/null; then
    v=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.9(\.[0-9]+)?$' | sort -V | tail -1 || true)
    [ -n "$v" ] && py="$(pyenv root)/versions/$v/bin/python"
  fi
  [ -z "$py" ] && command -v python3.9 >/dev/null && py=$(command -v python3.9)
  if [ -z "$py" ]; then
    echo "no Python 3.9 found (EasyRec 0.7.1 needs ≤ 3.9): install one (e.g. pyenv install 3.9) or set EASYREC_PYTHON" >&2
    exit 2
  fi
  echo "making $venv with $py …" >&2
  "$py" -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import easy_rec, tensorflow" 2>/dev/null; then
  "$venv/bin/pip" install -q "pai-easy-rec==0.7.1" "tensorflow-cpu==2.12.0" "protobuf==3.20.3" \
    "numpy==1.23.5" "pyarrow==14.0.2" >&2
fi
py="$venv/bin/python"

# A fresh model directory each run (EasyRec refuses a non-empty one); its path is the config's.
model_dir=$(sed -n 's/^model_dir: "\(.*\)"$/\1/p' "$dir/pipeline.config")
[ -n "$model_dir" ] || { echo "$dir/pipeline.config names no model_dir" >&2; exit 2; }
rm -rf "$model_dir"
edit="{}"
if [ -n "$steps" ]; then
  edit=$("$py" - "$dir" "$steps" <<'PY'
import json, math, re, sys
d, steps = sys.argv[1], int(sys.argv[2])
config = open(d + "/pipeline.config").read()
batch = int(re.search(r"\n\s*batch_size: (\d+)", config).group(1))
rows = sum(1 for _ in open(d + "/train.csv"))
epochs = max(1, math.ceil(steps * batch / max(rows, 1)))
save = min(int((re.search(r"save_checkpoints_steps: (\d+)", config) or [0, max(1, steps // 4)])[1]), max(1, steps // 4))
print(json.dumps({"train_config.num_steps": steps, "data_config.num_epochs": epochs,
                  "train_config.save_checkpoints_steps": save}))
PY
)
fi
echo "training EasyRec on $dir (edits: $edit) …" >&2
cd "$dir"
PYTHONWARNINGS=ignore TF_CPP_MIN_LOG_LEVEL=2 "$py" -m easy_rec.python.train_eval \
  --pipeline_config_path "$dir/pipeline.config" --edit_config_json "$edit" > "$dir/easyrec_train.log" 2>&1 || {
  tail -40 "$dir/easyrec_train.log" >&2; echo "EasyRec training failed; the log is $dir/easyrec_train.log" >&2; exit 1; }

"$py" "$here/easyrec_embeddings.py" "$dir" "$model_dir"
