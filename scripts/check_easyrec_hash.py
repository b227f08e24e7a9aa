#!/usr/bin/env python3
"""Cross-checks the export's EasyRec hashing against TensorFlow itself.

EasyRec's hashed IdFeature/TagFeature columns put a value in bucket
tf.strings.to_hash_bucket_fast(value, hash_bucket_size) (FarmHash Fingerprint64 mod buckets).
The export (Sources/DropoutNet/Export/FarmHash.swift) picks bucket counts where no two written
values collide; this script recomputes that with TensorFlow.

  check_easyrec_hash.py --vectors           print TensorFlow's buckets for strings of every length
                                            class of farmhash (the values the unit tests pin)
  check_easyrec_hash.py EXPORT_DIR          for each feature of EXPORT_DIR/pipeline.config, read
                                            train.csv and eval.csv and check: hashed columns have
                                            no two written values in one bucket, vocab_list
                                            columns hold only listed values (or empty)

Needs TensorFlow (e.g. the virtualenv scripts/easyrec_train.sh makes). Exit 0 when all hold.
"""
import csv
import json
import os
import re
import sys

import tensorflow as tf

BIG = 2**63 - 1


def buckets(values, n):
    return [int(b) for b in tf.strings.to_hash_bucket_fast(tf.constant(values, dtype=tf.string), n).numpy()]


def vectors():
    lengths = [0, 1, 2, 3, 4, 7, 8, 12, 16, 17, 24, 32, 33, 48, 64, 65, 100, 128, 129, 300]
    strings = ["Hello", "TensorFlow", "2.x", "galaxy", "Sci-Fi", "école"]
    strings += ["".join(chr(97 + (i * 7 + n) % 26) for i in range(n)) for n in lengths]
    out = {"strings": strings, "mod_3": buckets(strings, 3), "mod_1000": buckets(strings, 1000),
           "mod_2^63-1": buckets(strings, BIG)}
    print(json.dumps(out, ensure_ascii=False, indent=1))


def parse_features(config):
    """(input_name, feature_type, separator, hash_bucket_size, vocab_list, kv_separator) per feature_configs block."""
    feats = []
    for block in re.findall(r"feature_configs \{(.*?)\n\}", config, re.S):
        get = lambda key: (re.findall(r'\n\s*%s: "?([^"\n#]*?)"?\s*(?:#.*)?\n' % key, block + "\n") or [None])[0]
        sep = get("separator")
        feats.append((get("input_names"), get("feature_type"), sep if sep is not None else "|",
                      int(get("hash_bucket_size")) if get("hash_bucket_size") else None,
                      re.findall(r'\n\s*vocab_list: "([^"]*)"', block), get("kv_separator")))
    return feats


def check_export(d):
    config = open(os.path.join(d, "pipeline.config")).read()
    fields = re.findall(r'input_fields \{\s*input_name: "([^"]+)"', config)
    ok = True
    for name, ftype, sep, hashed, vocab, kv in parse_features(config):
        if ftype not in ("IdFeature", "TagFeature") or (hashed is None and not vocab):
            continue
        col = fields.index(name)
        written = set()
        for f in ("train.csv", "eval.csv"):
            with open(os.path.join(d, f), newline="") as fh:
                for row in csv.reader(fh):
                    v = row[col]
                    parts = [v] if ftype == "IdFeature" else v.split(sep)
                    if kv:
                        parts = [p.rsplit(kv, 1)[0] for p in parts]
                    written.update(p for p in parts if p)
        if hashed is not None:
            b = buckets(sorted(written), hashed)
            clashes = len(b) - len(set(b))
            print(f"{name}: {len(written)} values in {hashed} buckets (TensorFlow): {clashes} collisions")
            ok &= clashes == 0
        else:
            unknown = written - set(vocab[1:])
            print(f"{name}: {len(written)} values, vocab_list of {len(vocab) - 1} + placeholder '{vocab[0]}': "
                  f"{len(unknown)} written values not in it")
            ok &= not unknown
    return ok


if __name__ == "__main__":
    if sys.argv[1:] == ["--vectors"]:
        vectors()
    elif len(sys.argv) == 2:
        sys.exit(0 if check_export(sys.argv[1]) else 1)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
