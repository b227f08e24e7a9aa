#!/usr/bin/env python3
"""LightFM (WARP / BPR) side by side with DropoutNet on the same split, features and protocol.

Reads a directory written by `dropoutnet data export-split --out DIR [--checkpoint FILE]`:
training interactions, held-out positives and candidates per split, and the encoded content
features (the input of our content towers). Trains a LightFM hybrid on the training positives
with, per side, an identity feature for every entity that has training interactions plus its
content features (cold entities have content only: an identity never seen in training would be
a random vector), and evaluates it with DESIGN §5's protocol, exactly as `dropoutnet` does:

  warm:      candidates = training items, the user's training positives masked;
  cold_user: candidates = the warm items;        cold_item: candidates = the cold items;
  recall@K = |top-K ∩ held-out| / |held-out|, averaged over users with a held-out item.

Epochs are chosen on the validation splits (mean validation recall@20 over the splits that have
users, as our trainer selects its checkpoint); test numbers are reported for the chosen epoch.

`--embeddings` scores the exported DropoutNet embeddings instead of training (the cross-check:
the numbers must match `dropoutnet eval --checkpoint FILE --json`); when the export has them, a
LightFM run also reports `paired`: for those embeddings (`--paired-name`) and any other export's
of the same split (`--paired-with NAME=DIR`), per test split, DropoutNet's recall@K
(`--paired-k`, 20) minus LightFM's (and minus 1.1 × LightFM's), user by user, with the standard
error of that mean difference. `--popularity` scores the training-positive popularity ranking. Prints one JSON
object on stdout; progress on stderr.

Needs numpy and scipy, and lightfm unless only --embeddings/--popularity is asked for; see
scripts/compare_lightfm.sh, which makes a virtualenv. Not used by the tests.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

TEST_SPLITS = ["warm", "cold_user", "cold_item"]
VALIDATION_SPLITS = ["validation_warm", "validation_cold_user", "validation_cold_item"]
MASKED = {"warm", "validation_warm"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Export:
    """The exported split: training positives, per-split held-out lists and candidates, features."""

    def __init__(self, root):
        self.root = root
        with open(os.path.join(root, "meta.json")) as f:
            self.meta = json.load(f)
        self.users, self.items = int(self.meta["users"]), int(self.meta["items"])
        t = self._csv("train.csv", 4)
        self.train_users = t[:, 0].astype(np.int64)
        self.train_items = t[:, 1].astype(np.int64)
        self.train_labels = t[:, 2].astype(np.int64)
        self.known_users = np.zeros(self.users, bool)
        self.known_users[self.train_users] = True
        self.known_items = np.zeros(self.items, bool)
        self.known_items[self.train_items] = True
        pos = self.train_labels == 1
        self.pos_users, self.pos_items = self.train_users[pos], self.train_items[pos]
        self.train_positives = [set() for _ in range(self.users)]
        for u, i in zip(self.pos_users, self.pos_items):
            self.train_positives[u].add(int(i))
        self.heldout, self.candidates = {}, {}
        for s in TEST_SPLITS + VALIDATION_SPLITS:
            h = self._csv(f"heldout_{s}.csv", 2).astype(np.int64)
            lists = {}
            for u, i in h:
                lists.setdefault(int(u), set()).add(int(i))
            self.heldout[s] = lists
            path = os.path.join(root, f"candidates_{s}.txt")
            self.candidates[s] = np.loadtxt(path, dtype=np.int64, ndmin=1) if os.path.getsize(path) else np.zeros(0, np.int64)

    def masked(self, split, u):
        """The items masked for user u in a warm split: the training positives, and in the warm
        test the validation pairs too when meta.json says so (`warm_masks_validation`: a reference
        split directory whose validation was carved from train.csv, masked as the evaluator does)."""
        items = self.train_positives[u]
        if split == "warm" and self.meta.get("warm_masks_validation"):
            items = items | self.heldout["validation_warm"].get(u, set())
        return items

    def _csv(self, name, cols):
        path = os.path.join(self.root, name)
        with open(path) as f:
            f.readline()
            if not f.readline():  # header only (e.g. a side without content features)
                return np.zeros((0, cols))
        return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2).reshape(-1, cols)

    def features(self, side):
        """Content features of one side as a CSR matrix (rows = entities)."""
        import scipy.sparse as sp
        n = self.users if side == "user" else self.items
        width = int(self.meta[f"{side}_feature_dim"])
        a = self._csv(f"{side}_features.csv", 3)
        return sp.csr_matrix((a[:, 2].astype(np.float32), (a[:, 0].astype(np.int64), a[:, 1].astype(np.int64))),
                             shape=(n, width))

    def embeddings(self):
        d = int(self.meta["embedding_dim"])
        u = np.fromfile(os.path.join(self.root, "user_embeddings.f32"), dtype="<f4").reshape(self.users, d)
        v = np.fromfile(os.path.join(self.root, "item_embeddings.f32"), dtype="<f4").reshape(self.items, d)
        return u, v


def evaluate(exp, score_fn, splits, ks=(10, 20, 50, 100), block=256, per_user=None, per_user_k=20):
    """recall@K per split, with recall_se@K its standard error over the split's users;
    score_fn(user_ids, candidate_items) -> scores (len(users) × len(candidates)). `per_user`, a
    dict, receives each split's {user: recall@per_user_k}."""
    out = {}
    for s in splits:
        lists = exp.heldout[s]
        cands = exp.candidates[s]
        users = sorted(lists)
        if not users or len(cands) == 0:
            out[s] = None
            continue
        column = {int(i): c for c, i in enumerate(cands)}
        kmax = min(max(ks), len(cands))
        sums = np.zeros(len(ks))
        squares = np.zeros(len(ks))
        mine = {}
        for lo in range(0, len(users), block):
            bu = np.array(users[lo:lo + block], dtype=np.int64)
            scores = np.asarray(score_fn(bu, cands), dtype=np.float64)
            for r, u in enumerate(bu):
                row = scores[r]
                if s in MASKED:
                    for i in exp.masked(s, int(u)):
                        c = column.get(i)
                        if c is not None:
                            row[c] = -np.inf
                top = np.argpartition(-row, kmax - 1)[:kmax]
                top = top[np.argsort(-row[top], kind="stable")]
                held = lists[int(u)]
                hits = np.array([int(cands[c]) in held for c in top])
                for j, k in enumerate(ks):
                    r = hits[:k].sum() / len(held)
                    sums[j] += r
                    squares[j] += r * r
                mine[int(u)] = hits[:per_user_k].sum() / len(held)
        n = len(users)
        out[s] = {f"recall@{k}": float(sums[j] / n) for j, k in enumerate(ks)}
        for j, k in enumerate(ks):
            mean = sums[j] / n
            var = max(squares[j] / n - mean * mean, 0) * n / (n - 1) if n > 1 else 0
            out[s][f"recall_se@{k}"] = float(np.sqrt(var / n))
        out[s]["users"] = n
        if per_user is not None:
            per_user[s] = mine
    return out


def selection_score(report):
    vals = [m["recall@20"] for m in report.values() if m is not None]
    return sum(vals) / len(vals) if vals else None


def hybrid_features(exp, side, identity, normalize):
    """[identity of known entities | content], optionally L1-normalised per row."""
    import scipy.sparse as sp
    n = exp.users if side == "user" else exp.items
    known = exp.known_users if side == "user" else exp.known_items
    blocks = []
    if identity:
        ident = sp.diags(known.astype(np.float32), format="csr")
        blocks.append(ident)
    content = exp.features(side)
    if content.shape[1] > 0:
        blocks.append(content)
    if not blocks:
        return None
    m = sp.hstack(blocks, format="csr").astype(np.float32)
    if normalize:
        sums = np.asarray(abs(m).sum(axis=1)).ravel()
        sums[sums == 0] = 1
        m = sp.diags(1 / sums) @ m
    # LightFM needs at least one column; zero rows are fine (a cold entity with no content).
    return sp.csr_matrix(m, dtype=np.float32)


def run_lightfm(exp, a):
    import scipy.sparse as sp
    from lightfm import LightFM
    uf = hybrid_features(exp, "user", not a.no_identity, a.normalize)
    itf = hybrid_features(exp, "item", not a.no_identity, a.normalize)
    if uf is None:
        uf = sp.csr_matrix((exp.users, 1), dtype=np.float32)
    if itf is None:
        itf = sp.csr_matrix((exp.items, 1), dtype=np.float32)
    inter = sp.coo_matrix((np.ones(len(exp.pos_users), np.float32), (exp.pos_users, exp.pos_items)),
                          shape=(exp.users, exp.items))
    inter.sum_duplicates()
    inter.data[:] = 1
    model = LightFM(no_components=a.components, loss=a.loss, learning_rate=a.lr, item_alpha=a.item_alpha,
                    user_alpha=a.user_alpha, max_sampled=a.max_sampled, random_state=a.seed)
    log(f"lightfm {a.loss}: {exp.users} users × {uf.shape[1]} features, {exp.items} items × {itf.shape[1]} features, "
        f"{inter.nnz} positives")

    def scorer():
        ub, ue = model.get_user_representations(uf)
        ib, ie = model.get_item_representations(itf)
        return lambda users, cands: ue[users] @ ie[cands].T + ib[cands][None, :] + ub[users][:, None]

    best, best_epoch, best_state, history = None, 0, None, []
    start = time.time()
    done = 0
    for target in range(a.eval_every, a.epochs + a.eval_every, a.eval_every):
        target = min(target, a.epochs)
        model.fit_partial(inter, user_features=uf, item_features=itf, epochs=target - done, num_threads=a.threads)
        done = target
        val = evaluate(exp, scorer(), VALIDATION_SPLITS)
        score = selection_score(val)
        history.append({"epoch": done, "validation_recall@20": score})
        log(f"  epoch {done}: validation mean recall@20 {score:.4f}")
        if best is None or score > best:
            best, best_epoch = score, done
            best_state = [x.copy() for x in (model.user_embeddings, model.user_biases, model.item_embeddings, model.item_biases)]
        if done >= a.epochs:
            break
    seconds = time.time() - start
    model.user_embeddings, model.user_biases, model.item_embeddings, model.item_biases = best_state
    lightfm_users = {}
    test = evaluate(exp, scorer(), TEST_SPLITS, per_user=lightfm_users, per_user_k=a.paired_k)
    paired = {}
    for name, root in [(a.paired_name, exp.root)] + [tuple(x.split("=", 1)) for x in a.paired_with]:
        result = paired_with_dropoutnet(exp, root, lightfm_users, a.paired_k)
        if result is not None:
            paired[name] = result
    settings = {k: getattr(a, k) for k in ("loss", "components", "lr", "epochs", "item_alpha", "user_alpha",
                                           "max_sampled", "no_identity", "normalize", "seed")}
    return {"model": f"lightfm-{a.loss}", "settings": settings, "best_epoch": best_epoch,
            "validation_recall@20": best, "history": history, "metrics": test, "paired": paired,
            "seconds": round(seconds, 2)}


def paired_with_dropoutnet(exp, root, lightfm_users, k):
    """Per test split, DropoutNet's recall@k (the embeddings exported to `root`, an export of
    `exp`'s split) against LightFM's and against LightFM + 10%, user by user: the mean
    difference and its standard error. Both models rank the same users, so the noise of a
    comparison is that of the per-user differences, smaller than either figure's own standard
    error. None when `root` has no embeddings."""
    if not os.path.exists(os.path.join(root, "user_embeddings.f32")):
        return None
    other = exp if root == exp.root else Export(root)
    if (other.users, other.items) != (exp.users, exp.items):
        raise SystemExit(f"{root}: {other.users} users × {other.items} items, not the split's {exp.users} × {exp.items}")
    u, v = other.embeddings()
    ours = {}
    evaluate(exp, lambda us, cs: u[us] @ v[cs].T, TEST_SPLITS, per_user=ours, per_user_k=k)
    out = {}
    for s in TEST_SPLITS:
        if s not in ours or s not in lightfm_users:
            out[s] = None
            continue
        users = sorted(ours[s])
        d = np.array([ours[s][x] for x in users]), np.array([lightfm_users[s][x] for x in users])

        def mean_se(x):
            return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0
        diff, diff_se = mean_se(d[0] - d[1])
        margin, margin_se = mean_se(d[0] - 1.1 * d[1])
        out[s] = {"users": len(users), "k": k, "dropoutnet_recall": float(d[0].mean()), "lightfm_recall": float(d[1].mean()),
                  "difference": diff, "difference_se": diff_se,
                  "over_lightfm_plus_10pct": margin, "over_lightfm_plus_10pct_se": margin_se}
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("export", help="directory written by `dropoutnet data export-split`")
    p.add_argument("--embeddings", action="store_true", help="score the exported DropoutNet embeddings (cross-check)")
    p.add_argument("--popularity", action="store_true", help="score the popularity ranking")
    p.add_argument("--loss", default="warp", choices=["warp", "bpr", "warp-kos", "logistic"])
    p.add_argument("--components", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--eval-every", type=int, default=5, help="epochs between validation evaluations")
    p.add_argument("--item-alpha", type=float, default=0.0)
    p.add_argument("--user-alpha", type=float, default=0.0)
    p.add_argument("--max-sampled", type=int, default=10)
    p.add_argument("--no-identity", action="store_true", help="content features only (no per-entity identity features)")
    p.add_argument("--normalize", action="store_true", help="L1-normalise each feature row")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--paired-k", type=int, default=20, help="K of the user-by-user comparison with DropoutNet")
    p.add_argument("--paired-name", default="dropoutnet", help="name of the export's own embeddings in `paired`")
    p.add_argument("--paired-with", action="append", default=[], metavar="NAME=DIR",
                   help="also compare user by user with the embeddings of another export of the same split")
    a = p.parse_args()

    exp = Export(a.export)
    if a.embeddings:
        u, v = exp.embeddings()
        result = {"model": "dropoutnet-embeddings", "metrics": evaluate(exp, lambda us, cs: u[us] @ v[cs].T, TEST_SPLITS)}
    elif a.popularity:
        counts = np.bincount(exp.pos_items, minlength=exp.items).astype(np.float64)
        # Ties (all cold items have count 0) broken by seeded jitter below one count, as ours.
        jitter = 0.5 * np.random.default_rng(a.seed).random(exp.items)
        pop = counts + jitter
        result = {"model": "popularity", "metrics": evaluate(exp, lambda us, cs: np.tile(pop[cs], (len(us), 1)), TEST_SPLITS)}
    else:
        result = run_lightfm(exp, a)
    result["dataset"] = exp.meta.get("dataset")
    result["split_origin"] = exp.meta.get("split_origin")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
