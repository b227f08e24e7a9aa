"""How much of the collaborative signal an item-content encoding keeps: kernel ridge regression
from the encoded content of the training items to their WMF factors, scored as cold-item
recall@100 on a predefined split (the CiteULike reference split's `cold/`).

A fast proxy for "information kept" when choosing an encoding (full vocabulary vs hashed,
min-df, SVD rank): no network is trained, so differences come from the content alone.

    dropoutnet pretrain wmf --data DIR --format citeulike --split-dir DIR/cold --out wmf.factors --no-eval
    python3 scripts/content_signal_krr.py DIR wmf.factors [--lam 1] [--min-df 1] [--hash 4096] [--svd 300]

Encoding: tf = log(1 + count), idf = log(N / (1 + df)) over the N training items (terms with
idf <= 0 dropped), rows L2-normalised; --hash maps tags to buckets first (multi-hot, no
weighting: the encoder's old scheme); --svd projects onto the top singular vectors of the
training rows and z-scores the columns (clipped to +-5).
"""
import argparse
import struct
import sys
import zlib

import numpy as np
import scipy.sparse as sp


def read_factors(path):
    raw = open(path, "rb").read()
    if raw[:8] != b"DNWMFAC\0":
        sys.exit(f"{path}: not a factors file written by `dropoutnet pretrain wmf`")
    off = 12
    users, items, rank = struct.unpack_from("<QQQ", raw, off); off += 24
    off += 8 + 8 + 8 + 4 + 4 + 8 + 8
    (n,) = struct.unpack_from("<I", raw, off); off += 4 + n
    u = np.frombuffer(raw, dtype="<f4", count=users * rank, offset=off).reshape(users, rank); off += 4 * users * rank
    v = np.frombuffer(raw, dtype="<f4", count=items * rank, offset=off).reshape(items, rank)
    return u.astype(np.float64), v.astype(np.float64)


def fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def read_pairs(path):
    a = np.loadtxt(path, delimiter=",", dtype=np.int64, usecols=(0, 1))
    return a[:, 0] - 1, a[:, 1] - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("factors")
    ap.add_argument("--split", default="cold")
    ap.add_argument("--lam", type=float, nargs="+", default=[1.0])
    ap.add_argument("--min-df", type=int, default=1)
    ap.add_argument("--hash", type=int, default=0)
    ap.add_argument("--svd", type=int, default=0)
    args = ap.parse_args()

    tags = [line.split()[1:] for line in open(f"{args.data}/item-tag.dat")]
    names = [line.strip() for line in open(f"{args.data}/tags.dat")]
    items = len(tags)
    tu, ti = read_pairs(f"{args.data}/{args.split}/train.csv")
    su, si = read_pairs(f"{args.data}/{args.split}/test.csv")
    cand = np.loadtxt(f"{args.data}/{args.split}/test_item_ids.csv", dtype=np.int64) - 1
    train_items = np.zeros(items, bool)
    train_items[ti] = True

    # Terms: tag names (the loader's column values), or hash buckets of them.
    rows, cols = [], []
    for i, t in enumerate(tags):
        for x in t:
            rows.append(i)
            cols.append(fnv1a(names[int(x)]) % args.hash if args.hash else int(x))
    width = args.hash or len(names)
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(items, width))
    counts.sum_duplicates()
    if args.hash:
        x = counts.copy()
        x.data[:] = 1.0
    else:
        fit = counts[train_items]
        df = np.asarray((fit > 0).sum(axis=0)).ravel()
        n = train_items.sum()
        idf = np.log(n / (1.0 + df))
        keep = (df >= args.min_df) & (idf > 0)
        x = counts.copy()
        x.data = np.log1p(x.data)
        x = x @ sp.diags(np.where(keep, idf, 0.0))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = sp.diags(np.where(norms > 0, 1 / np.maximum(norms, 1e-300), 0.0)) @ x
        print(f"vocabulary kept: {int(keep.sum())} of {int((df > 0).sum())} training terms", file=sys.stderr)
    x = sp.csr_matrix(x)
    if args.svd:
        from scipy.sparse.linalg import svds
        _, _, vt = svds(x[train_items], k=args.svd)
        z = x @ vt.T
        mu, sd = z[train_items].mean(0), z[train_items].std(0)
        z = np.clip((z - mu) / np.where(sd > 0, sd, 1), -5, 5)
        x = z
    u, v = read_factors(args.factors)
    xt = x[train_items]
    k = xt @ xt.T
    k = k.toarray() if sp.issparse(k) else k
    kc = x[cand] @ xt.T
    kc = kc.toarray() if sp.issparse(kc) else kc

    # Held-out positives on the candidates, per user.
    cset = set(cand.tolist())
    held = {}
    for a, b in zip(su, si):
        if b in cset:
            held.setdefault(a, set()).add(b)
    for lam in args.lam:
        alpha = np.linalg.solve(k + lam * np.eye(k.shape[0]), v[train_items])
        vhat = kc @ alpha
        users = np.array(sorted(held))
        scores = u[users] @ vhat.T
        top = np.argsort(-scores, axis=1, kind="stable")[:, :100]
        recall = np.mean([len(held[a] & set(cand[top[r]].tolist())) / len(held[a]) for r, a in enumerate(users)])
        print(f"lambda {lam:g}: cold-item recall@100 {recall:.4f} ({len(users)} users, {len(cand)} candidates)")


if __name__ == "__main__":
    main()
