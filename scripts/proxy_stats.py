#!/usr/bin/env python3
"""The statistics a synthetic proxy should share with the real data it stands in for, side by side.

For each dataset directory (native format, MovieLens ml-100k, ml-1m or ml-latest(-small), or
CiteULike-a) prints:

  shape      users, items, rows, positives, the share of label-0 rows ("shown, not clicked");
             rows per user (quantiles: is there a floor, how long is the tail); rows per item;
             the share of positives held by the top 1 / 10 / 20 / 50 % of items; items with no
             positive; content per item (genres or tags: median count, share with none,
             vocabulary size) and the user attribute groups.
  protocol   on the project's own split (`dropoutnet data export-split`, the trainer's split:
             10 % of users and of items held out, DESIGN §5 candidates), recall@20 averaged over
             test users of simple rankings, each computed from the training interactions only:
               cold_user  global popularity (the trainer's popularity baseline) vs popularity
                          within the cold user's group (age bucket, gender, … each user column):
                          how much user content tells;
               cold_item  random (popularity cannot rank never-seen items) vs the non-personal
                          "popularity of the item's genres/tags" vs a personal profile (the share
                          of the user's training positives carrying each of the item's
                          genres/tags): how much item content tells;
               warm       global popularity (masked training positives), for reference;
             and the top-10 % share measured on training positives (what a model sees).

Usage:
  scripts/proxy_stats.py DIR [DIR …] [--dropoutnet PATH] [--export DIR …] [--json]

Without --export, each DIR is exported to temporary directories with
`dropoutnet data export-split --data DIR --split-seed S` for S = 1…N (--seeds, default 3; PATH
defaults to .build/release/dropoutnet) and the protocol figures are averaged over the seeds
(± their standard deviation): a cold-user test set of ~90 users moves recall@20 by ±0.01 from
one seed to the next, as much as the effects being measured. The other split options are the
command's defaults, the same as `dropoutnet train`'s (whose own split is seed 1). Columns are printed side by
side, one per DIR, so a real data set and its proxy compare at a glance. Needs numpy only. Not
used by the tests.
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

K = 20
QUANTILES = [0, 10, 25, 50, 75, 90, 99, 100]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def age_bucket(age):
    """The MovieLens loader's age buckets (Dataset+MovieLens.swift)."""
    for limit, name in [(18, "<18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (50, "45-49"), (56, "50-55")]:
        if age < limit:
            return name
    return "56+"


class Raw:
    """Interactions (string ids, labels) plus the user groups and item content words of a layout."""

    def __init__(self, root):
        self.root = root
        self.user_groups = {}   # column → {user id: value}
        self.item_words = {}    # item id → list of genre/tag values
        self.content_name = "content"
        if os.path.exists(os.path.join(root, "u.data")):
            self._movielens()
        elif os.path.exists(os.path.join(root, "ratings.dat")):
            self._ml1m()
        elif os.path.exists(os.path.join(root, "ratings.csv")):
            self._ml_latest()
        elif os.path.exists(os.path.join(root, "users.dat")):
            self._citeulike()
        else:
            self._native()

    def _movielens(self):
        self.layout = "movielens"
        rows = np.loadtxt(os.path.join(self.root, "u.data"), dtype=np.int64, ndmin=2)
        self.users = rows[:, 0].astype(str)
        self.items = rows[:, 1].astype(str)
        self.labels = (rows[:, 2] >= 4).astype(np.int64)
        path = os.path.join(self.root, "u.user")
        if os.path.exists(path):
            cols = {"age": {}, "gender": {}, "occupation": {}}
            with open(path, encoding="latin-1") as f:
                for line in f:
                    p = line.rstrip("\n").split("|")
                    if len(p) < 4:
                        continue
                    cols["age"][p[0]] = age_bucket(int(p[1]))
                    cols["gender"][p[0]] = p[2]
                    cols["occupation"][p[0]] = p[3]
            self.user_groups = cols
        path = os.path.join(self.root, "u.item")
        if os.path.exists(path):
            self.content_name = "genres"
            with open(path, encoding="latin-1") as f:
                for line in f:
                    p = line.rstrip("\n").split("|")
                    flags = p[6:]   # p[5] is "unknown": the loader drops it too
                    self.item_words[p[0]] = [f"g{k}" for k, x in enumerate(flags) if x == "1"]

    def _ml1m(self):
        """ml-1m: `::`-separated ratings, users (gender, age code, occupation code) and movies."""
        self.layout = "movielens"
        users, items, labels = [], [], []
        with open(os.path.join(self.root, "ratings.dat"), encoding="latin-1") as f:
            for line in f:
                p = line.rstrip("\n").split("::")
                if len(p) >= 3:
                    users.append(p[0]); items.append(p[1]); labels.append(int(float(p[2]) >= 4))
        self.users, self.items, self.labels = np.array(users), np.array(items), np.array(labels, np.int64)
        path = os.path.join(self.root, "users.dat")
        if os.path.exists(path):
            cols = {"gender": {}, "age": {}, "occupation": {}}
            with open(path, encoding="latin-1") as f:
                for line in f:
                    p = line.rstrip("\n").split("::")
                    if len(p) >= 4:
                        cols["gender"][p[0]], cols["age"][p[0]], cols["occupation"][p[0]] = p[1], p[2], p[3]
            self.user_groups = cols
        path = os.path.join(self.root, "movies.dat")
        if os.path.exists(path):
            self.content_name = "genres"
            with open(path, encoding="latin-1") as f:
                for line in f:
                    p = line.rstrip("\n").split("::")
                    if len(p) >= 3:
                        self.item_words[p[0]] = [g for g in p[2].split("|") if g]

    def _ml_latest(self):
        """ml-latest(-small): ratings.csv (half stars, ≥ 4 positive) and movies.csv; no user content."""
        self.layout = "movielens"
        users, items, labels = [], [], []
        with open(os.path.join(self.root, "ratings.csv"), newline="") as f:
            r = csv.reader(f)
            next(r)
            for p in r:
                users.append(p[0]); items.append(p[1]); labels.append(int(float(p[2]) >= 4))
        self.users, self.items, self.labels = np.array(users), np.array(items), np.array(labels, np.int64)
        path = os.path.join(self.root, "movies.csv")
        if os.path.exists(path):
            self.content_name = "genres"
            with open(path, newline="", encoding="utf-8") as f:
                r = csv.reader(f)
                next(r)
                for p in r:
                    g = "" if p[2] == "(no genres listed)" else p[2]
                    self.item_words[p[0]] = [w for w in g.split("|") if w]

    def _citeulike(self):
        self.layout = "citeulike"
        users, items = [], []
        with open(os.path.join(self.root, "users.dat")) as f:
            for n, line in enumerate(f, 1):
                ids = line.split()[1:]
                users += [str(n)] * len(ids)
                items += [str(int(i) + 1) for i in ids]
        self.users, self.items = np.array(users), np.array(items)
        self.labels = np.ones(len(users), np.int64)
        path = os.path.join(self.root, "item-tag.dat")
        if os.path.exists(path):
            self.content_name = "tags"
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    self.item_words[str(n)] = line.split()[1:]

    def _native(self):
        self.layout = "native"
        schema = self._schema()
        users, items, labels = [], [], []
        with open(os.path.join(self.root, "interactions.csv"), newline="") as f:
            for n, p in enumerate(csv.reader(f)):
                if not p or (n == 0 and p[0].lower() in ("user", "userid", "user_id", "uid")):
                    continue
                users.append(p[0]); items.append(p[1]); labels.append(int(p[2]))
        self.users, self.items, self.labels = np.array(users), np.array(items), np.array(labels, np.int64)
        for side in ("users", "items"):
            path = os.path.join(self.root, f"{side}.csv")
            if not os.path.exists(path):
                continue
            kinds = schema.get(side, {})
            with open(path, newline="") as f:
                r = csv.reader(f)
                header = next(r)
                rows = list(r)
            if side == "users":
                for c, name in enumerate(header[1:], 1):
                    if kinds.get(name) == "categorical":
                        self.user_groups[name] = {p[0]: p[c] for p in rows}
            else:
                multi = [c for c, name in enumerate(header[1:], 1) if kinds.get(name) == "multi"]
                prefer = [c for c in multi if header[c] in ("genres", "tags")]
                if prefer or multi:
                    c = (prefer or multi)[0]
                    self.content_name = header[c]
                    self.item_words = {p[0]: [w for w in p[c].split("|") if w] for p in rows}

    def _schema(self):
        """Column kinds from dataset.toml (the two tables this script needs; no TOML library)."""
        out, section = {}, None
        path = os.path.join(self.root, "dataset.toml")
        if not os.path.exists(path):
            return out
        with open(path) as f:
            for line in f:
                m = re.match(r"\s*\[(users|items)\.columns\]", line)
                if m:
                    section = out.setdefault(m.group(1), {})
                    continue
                if line.strip().startswith("["):
                    section = None
                    continue
                m = re.match(r'\s*([A-Za-z0-9_]+)\s*=\s*"([a-z]+)"', line)
                if section is not None and m:
                    section[m.group(1)] = m.group(2)
        return out


class Split:
    """The trainer's split as `data export-split` writes it (see scripts/compare_lightfm.py)."""

    def __init__(self, root):
        with open(os.path.join(root, "meta.json")) as f:
            self.meta = json.load(f)
        self.users, self.items = int(self.meta["users"]), int(self.meta["items"])
        t = np.loadtxt(os.path.join(root, "train.csv"), delimiter=",", skiprows=1, ndmin=2)
        pos = t[:, 2] == 1
        self.pos_users, self.pos_items = t[pos, 0].astype(np.int64), t[pos, 1].astype(np.int64)
        self.item_positives = np.bincount(self.pos_items, minlength=self.items)
        self.user_ids = open(os.path.join(root, "user_ids.txt")).read().split("\n")[:self.users]
        self.item_ids = open(os.path.join(root, "item_ids.txt")).read().split("\n")[:self.items]
        self.heldout, self.candidates = {}, {}
        for s in ("warm", "cold_user", "cold_item"):
            path = os.path.join(root, f"heldout_{s}.csv")
            h = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
            lists = {}
            for u, i in h.reshape(-1, 2):
                lists.setdefault(int(u), []).append(int(i))
            self.heldout[s] = lists
            path = os.path.join(root, f"candidates_{s}.txt")
            self.candidates[s] = np.loadtxt(path, dtype=np.int64, ndmin=1) if os.path.getsize(path) else np.zeros(0, np.int64)
        self.train_positives = [[] for _ in range(self.users)]
        for u, i in zip(self.pos_users, self.pos_items):
            self.train_positives[u].append(int(i))


def recall(split, name, score, mask=False):
    """Mean recall@K over the split's users; score(u) gives a score per candidate (higher first)."""
    lists, cands = split.heldout[name], split.candidates[name]
    if not lists or len(cands) == 0:
        return None
    column = {int(i): c for c, i in enumerate(cands)}
    k = min(K, len(cands))
    total = 0.0
    for u, held in lists.items():
        s = np.array(score(u, cands), dtype=np.float64)
        if mask:
            for i in split.train_positives[u]:
                c = column.get(i)
                if c is not None:
                    s[c] = -np.inf
        top = set(cands[np.argpartition(-s, k - 1)[:k]].tolist())
        total += len(top.intersection(held)) / len(held)
    return total / len(lists)


def shape_stats(raw):
    out = {}
    n = len(raw.labels)
    pos = raw.labels == 1
    _, user_rows = np.unique(raw.users, return_counts=True)
    item_ids, item_idx = np.unique(raw.items, return_inverse=True)
    catalogue = set(raw.item_words) | set(item_ids.tolist())
    item_pos = np.bincount(item_idx[pos], minlength=len(item_ids)).astype(np.float64)
    item_pos = np.concatenate([item_pos, np.zeros(len(catalogue) - len(item_ids))])
    out["users"], out["items"], out["rows"], out["positives"] = len(user_rows), len(catalogue), n, int(pos.sum())
    out["label-0 share"] = 1 - pos.mean()
    for q, v in zip(QUANTILES, np.percentile(user_rows, QUANTILES)):
        out[f"rows/user p{q}"] = v
    out["rows/user mean"] = user_rows.mean()
    item_rows = np.concatenate([np.bincount(item_idx), np.zeros(len(catalogue) - len(item_ids))])
    for q, v in zip(QUANTILES, np.percentile(item_rows, QUANTILES)):
        out[f"rows/item p{q}"] = v
    s = np.sort(item_pos)[::-1]
    for f in (0.01, 0.1, 0.2, 0.5):
        out[f"top {int(f * 100)}% items' share of positives"] = s[:int(round(f * len(s)))].sum() / max(s.sum(), 1)
    out["items with no positive"] = (item_pos == 0).mean()
    # Positive rate of items against their popularity: are popular items also liked more?
    rows = item_rows > 0
    if (1 - pos.mean()) > 0 and rows.sum() > 2:
        r = item_rows >= 20
        out["corr(log rows, positive rate) items ≥20 rows"] = np.corrcoef(np.log(item_rows[r]), item_pos[r] / item_rows[r])[0, 1]
        _, uinv = np.unique(raw.users, return_inverse=True)
        rate = np.bincount(uinv, weights=pos) / np.bincount(uinv)
        for q in (10, 50, 90):
            out[f"user positive rate p{q}"] = np.percentile(rate, q)
    if raw.item_words:
        counts = np.array([len(raw.item_words.get(i, [])) for i in catalogue])
        out[f"{raw.content_name}/item median"] = np.median(counts)
        out[f"{raw.content_name}/item median (items with any)"] = np.median(counts[counts > 0]) if (counts > 0).any() else 0
        out[f"items with no {raw.content_name}"] = (counts == 0).mean()
        vocab = {}
        for ws in raw.item_words.values():
            for w in ws:
                vocab[w] = vocab.get(w, 0) + 1
        out[f"{raw.content_name} vocabulary"] = len(vocab)
        freq = np.sort(np.array(list(vocab.values()), np.float64))[::-1]
        out[f"{raw.content_name} used once"] = (freq == 1).mean()
        if len(freq) > 100:
            ranks = np.arange(1, len(freq) + 1)
            lo, hi = 10, min(len(freq), 5000)
            out[f"{raw.content_name} Zipf slope (ranks 10-{hi})"] = np.polyfit(np.log(ranks[lo:hi]), np.log(freq[lo:hi]), 1)[0]
    for name, groups in raw.user_groups.items():
        out[f"user {name} groups"] = len(set(groups.values()))
    return out


def protocol_stats(raw, split):
    out = {}
    s = np.sort(split.item_positives.astype(np.float64))[::-1]
    out["train: top 10% items' share of positives"] = s[:int(round(0.1 * len(s)))].sum() / max(s.sum(), 1)
    rng = np.random.default_rng(0x5EED)
    pop = split.item_positives + 0.5 * rng.random(split.items)   # the trainer's tie-break
    out["warm: popularity"] = recall(split, "warm", lambda u, c: pop[c], mask=True)
    out["cold_user: popularity"] = recall(split, "cold_user", lambda u, c: pop[c])
    for name, groups in raw.user_groups.items():
        values = sorted(set(groups.values()))
        index = {v: k for k, v in enumerate(values)}
        g = np.array([index.get(groups.get(uid), -1) for uid in split.user_ids])
        counts = np.zeros((len(values) + 1, split.items))
        np.add.at(counts, (g[split.pos_users], split.pos_items), 1)
        share = split.item_positives / max(split.item_positives.sum(), 1)
        # Within-group popularity, global popularity breaking ties (a group may be small).
        out[f"cold_user: {name} popularity"] = recall(split, "cold_user", lambda u, c: counts[g[u], c] + 1e-3 * share[c] + 1e-6 * pop[c])
    n_cold = len(split.candidates["cold_item"])
    out["cold_item: random"] = min(K, n_cold) / n_cold if n_cold else None
    if raw.item_words:
        vocab = {}
        words = [[vocab.setdefault(w, len(vocab)) for w in raw.item_words.get(i, [])] for i in split.item_ids]
        W = len(vocab)
        rows = np.array([i for i, ws in enumerate(words) for _ in ws], np.int64)
        cols = np.array([w for ws in words for w in ws], np.int64)
        has = np.bincount(rows, minlength=split.items) > 0
        # Genre/tag popularity: mean training positives per warm item carrying it.
        warm = np.zeros(split.items, bool)
        warm[split.candidates["warm"]] = True
        carried = np.bincount(cols[warm[rows]], minlength=W)
        clicks = np.bincount(cols[warm[rows]], weights=split.item_positives[rows[warm[rows]]], minlength=W)
        per_word = np.where(carried > 0, clicks / np.maximum(carried, 1), 0)
        item_score = np.bincount(rows, weights=per_word[cols], minlength=split.items) / np.maximum(np.bincount(rows, minlength=split.items), 1)
        jitter = 1e-9 * rng.random(split.items)
        out[f"cold_item: {raw.content_name} popularity"] = recall(split, "cold_item", lambda u, c: item_score[c] + jitter[c])
        # Personal profile: share of the user's training positives carrying each word, idf-weighted.
        idf = np.log((split.items + 1) / (np.bincount(cols, minlength=W) + 1))
        item_lists = [np.array(ws, np.int64) for ws in words]
        cands = split.candidates["cold_item"]
        cand_cols = np.concatenate([item_lists[i] for i in cands] + [np.zeros(0, np.int64)])
        cand_len = np.array([len(item_lists[i]) for i in cands], np.int64)
        cand_row = np.repeat(np.arange(len(cands)), cand_len)
        cand_norm = np.maximum(np.sqrt(cand_len), 1)

        def profile_score(u, c):
            prof = np.zeros(W)
            for i in split.train_positives[u]:
                prof[item_lists[i]] += 1
            prof *= idf / max(len(split.train_positives[u]), 1)
            score = np.bincount(cand_row, weights=prof[cand_cols], minlength=len(cands)) / cand_norm
            return score + 1e-6 * item_score[c] + jitter[c]
        out[f"cold_item: {raw.content_name} profile (personal)"] = recall(split, "cold_item", profile_score)
        out[f"cold items with no {raw.content_name}"] = 1 - has[split.candidates["cold_item"]].mean() if n_cold else None
    return out


def export(data, binary, seed):
    out = tempfile.mkdtemp(prefix="proxy-stats-")
    log(f"exporting the split of {data} (split seed {seed}) …")
    subprocess.run([binary, "data", "export-split", "--data", data, "--out", out, "--split-seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def averaged(runs):
    """Mean and standard deviation per key over split seeds (None where a split has no users)."""
    out = {}
    for k in runs[0]:
        v = [r[k] for r in runs if r.get(k) is not None]
        out[k] = (float(np.mean(v)), float(np.std(v)) if len(v) > 1 else None) if v else (None, None)
    return out


def fmt(v):
    if isinstance(v, tuple):
        mean, sd = v
        return fmt(mean) if sd is None else f"{fmt(mean)} ±{sd:.3f}"
    if v is None:
        return "—"
    if isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer() and abs(v) >= 10):
        return f"{int(v):,}"
    return f"{v:.3f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("data", nargs="+", help="dataset directories (native, MovieLens ml-100k / ml-1m / ml-latest, or CiteULike-a layout)")
    p.add_argument("--export", nargs="*", help="export-split directories, one per DIR (default: export each now)")
    p.add_argument("--dropoutnet", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "dropoutnet"))
    p.add_argument("--seeds", type=int, default=3,
                   help="split seeds 1…N to average the protocol figures over (the cold-user test set is small)")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout instead of the table")
    a = p.parse_args()
    if a.export and len(a.export) != len(a.data):
        p.error("--export needs one directory per dataset")
    columns = []
    for n, d in enumerate(a.data):
        log(f"reading {d} …")
        raw = Raw(d)
        stats = shape_stats(raw)
        exports = [a.export[n]] if a.export else [export(d, a.dropoutnet, seed) for seed in range(1, a.seeds + 1)]
        stats.update(averaged([protocol_stats(raw, Split(e)) for e in exports]))
        if not a.export:
            for e in exports:
                shutil.rmtree(e, ignore_errors=True)
        columns.append((os.path.basename(os.path.normpath(d)), stats))
    if a.json:
        def plain(v):
            v = v[0] if isinstance(v, tuple) else v
            return None if v is None else float(v)
        print(json.dumps({name: {k: plain(v) for k, v in s.items()} for name, s in columns}, indent=1))
        return
    keys = []
    for _, s in columns:
        keys += [k for k in s if k not in keys]
    width = max(len(k) for k in keys)
    print(" " * width + "".join(f"{name[:14]:>16}" for name, _ in columns))
    for k in keys:
        print(f"{k:<{width}}" + "".join(f"{fmt(s.get(k)):>16}" for _, s in columns))


if __name__ == "__main__":
    main()
