#!/usr/bin/env bash
# Loads the real MovieLens ml-latest-small and compares what `dropoutnet data inspect` counts
# with the data set's published figures (610 users, 9742 movies, 100836 ratings; 48580 of
# them 4.0 or more). The loader's handling of the layout is tested on a small fixture
# (Tests/Fixtures/ml-latest-small); this is the check on the real files, which are not part of
# the project.
#
#   scripts/check_ml_latest_small.sh DIR        (DIR holds ratings.csv, movies.csv, tags.csv)
#
# Environment: DROPOUTNET (a built binary; default: the release build, built if missing).
# Needs python3. Exit 0 when every count matches.
set -euo pipefail
dir=${1:?usage: scripts/check_ml_latest_small.sh DIR}
cd "$(dirname "$0")/.."

bin=${DROPOUTNET:-.build/release/dropoutnet}
if [ ! -x "$bin" ]; then swift build -c release --product dropoutnet >&2; fi

"$bin" data inspect --data "$dir" --json | python3 -c '
import json, sys
got = json.load(sys.stdin)
want = {"users": 610, "items": 9742, "interactions": 100836, "positives": 48580}
bad = {k: (got[k], v) for k, v in want.items() if got[k] != v}
for k, v in want.items():
    print(f"{k:13} {got[k]:>7}  (published {v})")
if bad:
    sys.exit("mismatch: " + ", ".join(f"{k} {g} != {w}" for k, (g, w) in bad.items()))
print("ml-latest-small: all counts match")
'
