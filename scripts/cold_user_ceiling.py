#!/usr/bin/env python3
"""How far user content alone can carry a cold user of a generated world: a near-ceiling.

A cold user brings only the fields of `users.csv`; both generators draw part of a user's taste
from a hidden vector that only behaviour reveals. The best any model can do for such a user is
to rank items by how likely a user *with the same fields* clicks them. This script estimates
that from a world `--scale` times larger: the same generator and seed give the same items and
the same field taste vectors whatever the number of users, so the big world's positives per
group of users estimate the true conditional rates with about `--scale` times the data a model
trained on the small world has. The big world's first users are the small world's own (same
seed), so they are left out of the rates. Those rates then rank the small world's cold-user
test (the trainer's split, `data export-split`), and recall@20 is computed as the trainer does
(hits in the top 20 of the cold-user candidates over the user's held-out positives, averaged
over users).

Worlds:
  movielens  the MovieLens proxy (`data generate --preset movielens`): age bucket, gender,
             occupation.
  sample     the bundled sample-data (`data generate --users 4000 --items 2500
             --interactions 150000 --seed 7`): interests, age bucket, region. Its taste is the
             normalised sum of the interests' genre vectors and the age and region vectors, so
             only the full cell (interests × age × region) holds all the user content knows;
             its cells are small, so their rates are the noisiest.

Rankings printed: global popularity; the popularity within each field; within two fields;
within the full cell; and an additive model (the global rate plus each field's deviation from
it), which is what a linear map from one-hot fields can express.

Usage:
  scripts/cold_user_ceiling.py [--world movielens|sample] [--scale N] [--seed 7]
                               [--split-seed 1] [--dropoutnet PATH]

Needs python3 with numpy; generates two worlds in a temporary directory (the big one is about
150 MB for the proxy at scale 100, 700 MB for sample at 250). Not used by the tests.
"""
import argparse, collections, csv, os, subprocess, sys, tempfile

import numpy as np

WORLDS = {
    # name: (generator arguments, user fields, the pairs of fields tried together, default scale)
    "movielens": (["--preset", "movielens"], ("age", "gender", "occupation"), [("age", "occupation")], 100),
    "sample": (["--users", "4000", "--items", "2500", "--interactions", "150000"],
               ("interests", "age", "region"), [("interests", "age")], 250),
}


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def count_rows(path):
    """Data rows of a CSV file: its lines less the header, if the first line is one — a header's
    last field is a name, a row's last field here a number (the sample world's interactions.csv
    has no header)."""
    with open(path) as f:
        first = f.readline()
        try:
            float(first.rstrip("\n").split(",")[-1])
            header = False
        except ValueError:
            header = True
        return (0 if header else 1) + sum(1 for _ in f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--world", choices=sorted(WORLDS), default="movielens")
    ap.add_argument("--scale", type=int)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split-seed", type=int, default=1)
    ap.add_argument("--dropoutnet", default=".build/release/dropoutnet")
    a = ap.parse_args()
    generator, fields, pairs, default_scale = WORLDS[a.world]
    scale = a.scale or default_scale
    with tempfile.TemporaryDirectory() as tmp:
        small, big, split = (os.path.join(tmp, n) for n in ("small", "big", "split"))
        run([a.dropoutnet, "data", "generate", *generator, "--seed", str(a.seed), "--out", small])
        run([a.dropoutnet, "data", "export-split", "--data", small, "--split-seed", str(a.split_seed), "--out", split])
        users, items = count_rows(os.path.join(small, "users.csv")), count_rows(os.path.join(small, "items.csv"))
        rows = count_rows(os.path.join(small, "interactions.csv"))
        big_generator = [x for n, x in enumerate(generator)
                         if x not in ("--users", "--items", "--interactions") and generator[n - 1] not in ("--users", "--items", "--interactions")]
        run([a.dropoutnet, "data", "generate", *big_generator, "--seed", str(a.seed), "--users", str(users * scale),
             "--items", str(items), "--interactions", str(rows * scale), "--out", big])
        report(small, big, split, fields, pairs, scale)


def user_fields(path, fields):
    with open(path) as f:
        return {r["user"]: {k: r[k] for k in fields} for r in csv.DictReader(f)}


def report(small, big, split, fields, pairs, scale):
    item_ids = [l.strip() for l in open(os.path.join(split, "item_ids.txt"))]
    user_ids = [l.strip() for l in open(os.path.join(split, "user_ids.txt"))]
    with open(os.path.join(big, "items.csv")) as f:
        if [r["item"] for r in csv.DictReader(f)] != item_ids:
            sys.exit("the big world's items differ from the small one's: the generator no longer keeps them")
    index = {x: n for n, x in enumerate(item_ids)}
    big_users, small_users = user_fields(os.path.join(big, "users.csv"), fields), user_fields(os.path.join(small, "users.csv"), fields)

    def groups(d):  # every group a user belongs to, by (kind, key)
        g = {("all", ())}
        g |= {(f, (d[f],)) for f in fields}
        g |= {(" × ".join(p), tuple(d[f] for f in p)) for p in pairs}
        g.add(("cell", tuple(d[f] for f in fields)))
        return g

    positives = collections.defaultdict(lambda: np.zeros(len(item_ids)))
    members = collections.Counter()
    for u, d in big_users.items():
        if u in small_users: continue
        for g in groups(d): members[g] += 1
    with open(os.path.join(big, "interactions.csv")) as f:
        for r in csv.reader(f):
            if r[2] != "1" or r[0] in small_users: continue
            for g in groups(big_users[r[0]]): positives[g][index[r[1]]] += 1

    def rate(kind, d):
        key = {g[0]: g for g in groups(d)}[kind]
        return positives[key] / max(members[key], 1)

    held = collections.defaultdict(list)
    with open(os.path.join(split, "heldout_cold_user.csv")) as f:
        for r in csv.DictReader(f): held[int(r["user"])].append(int(r["item"]))
    candidates = np.array([int(l) for l in open(os.path.join(split, "candidates_cold_user.txt"))])

    def recall(score, k=20):
        total = 0.0
        for u, pos in held.items():
            s = score(small_users[user_ids[u]])[candidates]
            top = candidates[np.argsort(-s, kind="stable")[:k]]
            total += len(set(top.tolist()) & set(pos)) / len(pos)
        return total / len(held)

    kinds = ["all", *fields, *(" × ".join(p) for p in pairs), "cell"]
    smallest = min(members[g] for u in held for g in groups(small_users[user_ids[u]]) if g[0] == "cell")
    print(f"cold-user test: {len(held)} users; rates from a world {scale}× the small one's users; "
          f"the smallest test user's cell has {smallest} users")
    print("| ranking | recall@20 |\n|---|---|")
    for kind in kinds:
        print(f"| {'global popularity' if kind == 'all' else 'within ' + kind} | {recall(lambda d: rate(kind, d)):.4f} |")
    additive = lambda d: rate("all", d) + sum(rate(f, d) - rate("all", d) for f in fields)
    print(f"| additive ({' + '.join(fields)}) | {recall(additive):.4f} |")


if __name__ == "__main__":
    main()
