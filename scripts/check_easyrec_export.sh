#!/usr/bin/env bash
# Exports EasyRec pipeline.configs from `dropoutnet export easyrec` on the bundled sample-data
# (the default settings, plain softmax with random shifts and ID preference, and a loss mix
# with step decay) and checks each against EasyRec's own .proto files with
# scripts/check_easyrec_config.py. EasyRec's protos are not part of the project, so this is a
# script rather than a unit test; the export's contents are unit-tested without them
# (Tests/DropoutNetTests/Export).
#
#   scripts/check_easyrec_export.sh --protos DIR     (a checkout holding easy_rec/python/protos)
#   scripts/check_easyrec_export.sh --wheel FILE     (a pai-easy-rec wheel)
#
# Environment: DROPOUTNET (a built binary; default: the release build, built if missing),
# EASYREC_PYTHON (default python3, with protobuf installed). Exit 0 when every config parses.
set -euo pipefail
[ $# -eq 2 ] && { [ "$1" = --protos ] || [ "$1" = --wheel ]; } || {
  echo "usage: scripts/check_easyrec_export.sh (--protos DIR | --wheel FILE)" >&2; exit 2; }
source=("$1" "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
cd "$(dirname "$0")/.."

bin=${DROPOUTNET:-.build/release/dropoutnet}
if [ ! -x "$bin" ]; then swift build -c release --product dropoutnet >&2; fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '# the default settings\n' > "$out/defaults.toml"

"$bin" export easyrec --config "$out/defaults.toml" --data sample-data --out "$out/defaults.config"
"$bin" export easyrec --config "$out/defaults.toml" --data sample-data --set loss=softmax --set negatives.shifts=random \
  --set preference=id --out "$out/softmax.config"
"$bin" export easyrec --config "$out/defaults.toml" --data sample-data --set loss=svsoftmax,pairwise \
  --set loss_weights=1,0.5 --set lr_decay=0.5 --set lr_decay_every=1000 --out "$out/mix.config"

"${EASYREC_PYTHON:-python3}" scripts/check_easyrec_config.py "${source[@]}" \
  "$out/defaults.config" "$out/softmax.config" "$out/mix.config"
