#!/usr/bin/env python3
"""How far demographics alone can carry a cold user of the MovieLens proxy: a near-ceiling.

A cold user brings only age bucket, gender and occupation, and the proxy draws three quarters of
a user's taste from a hidden vector (`MovieLensProxy`). The best any model can do for such a
user is to rank films by how likely a user *with those demographics* likes them. This script
estimates that from a world `--scale` times larger: the same generator and seed give the same
films and the same demographic taste vectors whatever the number of users, so the big world's
positives per demographic group estimate the true conditional rates with about `--scale` times
the data a model trained on the proxy has. Those rates then rank the proxy's own cold-user test
(the trainer's split, `data export-split`), and recall@20 is computed as the trainer does
(hits in the top 20 of the cold-user candidates over the user's held-out positives, averaged
over users).

Rankings printed: global popularity; the popularity within the user's age bucket; within
age × occupation; within the full age × gender × occupation cell; and an additive model (the
global rate plus each field's deviation from it), which is what a linear map from one-hot
fields can express.

Usage:
  scripts/proxy_ceiling.py [--scale 100] [--seed 7] [--split-seed 1] [--dropoutnet PATH]

Needs python3 with numpy; generates two worlds in a temporary directory (the big one is about
150 MB at scale 100). Not used by the tests.
"""
import argparse, collections, csv, os, subprocess, sys, tempfile

import numpy as np

FIELDS = ("age", "gender", "occupation")


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split-seed", type=int, default=1)
    ap.add_argument("--dropoutnet", default=".build/release/dropoutnet")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, big, split = (os.path.join(tmp, n) for n in ("proxy", "big", "split"))
        run([a.dropoutnet, "data", "generate", "--preset", "movielens", "--seed", str(a.seed), "--out", small])
        run([a.dropoutnet, "data", "export-split", "--data", small, "--split-seed", str(a.split_seed), "--out", split])
        users = sum(1 for _ in open(os.path.join(small, "users.csv"))) - 1
        items = sum(1 for _ in open(os.path.join(small, "items.csv"))) - 1
        rows = sum(1 for _ in open(os.path.join(small, "interactions.csv"))) - 1
        run([a.dropoutnet, "data", "generate", "--preset", "movielens", "--seed", str(a.seed), "--users", str(users * a.scale),
             "--items", str(items), "--interactions", str(rows * a.scale), "--out", big])
        report(small, big, split, a.scale)


def demographics(path):
    return {r["user"]: tuple(r[f] for f in FIELDS) for r in csv.DictReader(open(path))}


def report(small, big, split, scale):
    item_ids = [l.strip() for l in open(os.path.join(split, "item_ids.txt"))]
    user_ids = [l.strip() for l in open(os.path.join(split, "user_ids.txt"))]
    if [r["item"] for r in csv.DictReader(open(os.path.join(big, "items.csv")))] != item_ids:
        sys.exit("the big world's films differ from the proxy's: the generator no longer keeps them")
    index = {x: n for n, x in enumerate(item_ids)}
    big_demo, small_demo = demographics(os.path.join(big, "users.csv")), demographics(os.path.join(small, "users.csv"))

    def groups(d):  # every group a user belongs to, by name
        age, gender, occupation = d
        return {"all": (), "age": (age,), "gender": (gender,), "occupation": (occupation,),
                "age×occupation": (age, occupation), "cell": d}

    positives = collections.defaultdict(lambda: np.zeros(len(item_ids)))
    members = collections.Counter()
    for d in big_demo.values():
        for g in groups(d).items(): members[g] += 1
    for r in csv.DictReader(open(os.path.join(big, "interactions.csv"))):
        if r["label"] != "1": continue
        for g in groups(big_demo[r["user"]]).items(): positives[g][index[r["item"]]] += 1

    def rate(g):
        return positives[g] / max(members[g], 1)

    held = collections.defaultdict(list)
    for r in csv.DictReader(open(os.path.join(split, "heldout_cold_user.csv"))):
        held[int(r["user"])].append(int(r["item"]))
    candidates = np.array([int(l) for l in open(os.path.join(split, "candidates_cold_user.txt"))])

    def recall(score, k=20):
        total = 0.0
        for u, pos in held.items():
            s = score(groups(small_demo[user_ids[u]]))[candidates]
            top = candidates[np.argsort(-s, kind="stable")[:k]]
            total += len(set(top.tolist()) & set(pos)) / len(pos)
        return total / len(held)

    base = rate(("all", ()))
    rankings = [
        ("global popularity", lambda g: base),
        ("age bucket", lambda g: rate(("age", g["age"]))),
        ("age × occupation", lambda g: rate(("age×occupation", g["age×occupation"]))),
        ("age × gender × occupation", lambda g: rate(("cell", g["cell"]))),
        ("additive (age + gender + occupation)",
         lambda g: base + sum(rate((f, g[f])) - base for f in ("age", "gender", "occupation"))),
    ]
    print(f"cold-user test: {len(held)} users; rates from a world {scale}× the proxy's users")
    print("| ranking | recall@20 |\n|---|---|")
    for name, score in rankings:
        print(f"| {name} | {recall(score):.4f} |")


if __name__ == "__main__":
    main()
