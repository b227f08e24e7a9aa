#!/usr/bin/env python3
"""One training step of a small EasyRec DropoutNet, computed independently in numpy (float64).

The golden-step test (Tests/DropoutNetTests/Training/GoldenStepTests.swift) runs the same step
through the Swift model and loss and compares the loss and every parameter gradient with the
values this script writes. Nothing here is shared with the Swift code: the forward pass, the
loss and the backward pass are written out below from their definitions (DESIGN §4), and the
backward pass is checked against central finite differences of the forward pass before any
value is written. A float32 run of the same step measures what rounding alone costs; fixtures are
drawn so that it stays below 1e-5 (the test allows 1e-4) and every ReLU input and SV-softmax
indicator is well away from its kink, so Float32 takes the same branches as float64.

The step: per side (user, item) a preference sub-network (the WMF-style vector given in the
fixture → Dense → BatchNorm → ReLU) and a content sub-network (dense block and one-/multi-hot
block → two Dense maps summed → BatchNorm → ReLU), concatenated into the tower (Dense →
BatchNorm → ReLU → Dense with bias), L2-normalised; the SV-softmax over in-batch negatives
(stride shifts), with the logQ correction, plus the L2 penalty λ·Σ‖W‖² over the dense kernels.
BatchNorm is in training mode (batch statistics, biased variance, ε = 1e-3); preference dropout
is 0.

  scripts/golden_step.py FIXTURE EXPECTED          compute EXPECTED from FIXTURE
  scripts/golden_step.py --new-fixture FIXTURE     draw a fresh fixture (weights, inputs, batch)

Needs numpy. Run from anywhere; paths are taken as given.
"""
import argparse
import json
import re
import sys

import numpy as np

BN_EPSILON = 1e-3
L2_EPSILON = 1e-12
SIDES = ("user", "item")


# ---------------------------------------------------------------------------------------------
# The network, forward and backward, on float64 arrays.


def dense_fw(x, w, b=None):
    y = x @ w
    return y + b if b is not None else y


def batch_norm_fw(x, gamma, beta):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)  # biased, as Keras in training
    inv = 1.0 / np.sqrt(var + BN_EPSILON)
    xhat = (x - mu) * inv
    return gamma * xhat + beta, (xhat, inv)


def batch_norm_bw(dy, gamma, cache):
    xhat, inv = cache
    n = dy.shape[0]
    dgamma = (dy * xhat).sum(axis=0)
    dbeta = dy.sum(axis=0)
    dx = gamma * inv / n * (n * dy - dy.sum(axis=0) - xhat * (dy * xhat).sum(axis=0))
    return dx, dgamma, dbeta


def l2_normalize_fw(y):
    norm = np.sqrt(np.maximum((y * y).sum(axis=1, keepdims=True), L2_EPSILON))
    return y / norm, norm


def l2_normalize_bw(de, e, norm):
    return (de - e * (e * de).sum(axis=1, keepdims=True)) / norm


def side_forward(p, w, s):
    """One tower on the batch: returns the unit embeddings and what backward needs."""
    c = {}
    # Preference: Dense (no bias: BN's β is the bias) → BN → ReLU.
    c["xp"] = p["preference"]
    hp = dense_fw(c["xp"], w[f"{s}.preference.mlp.0.dense.kernel"])
    bp, c["bnp"] = batch_norm_fw(hp, w[f"{s}.preference.mlp.0.batch_norm.gamma"], w[f"{s}.preference.mlp.0.batch_norm.beta"])
    c["rp"] = np.maximum(bp, 0)
    c["prep"] = bp
    # Content: dense block and sparse block through their own kernels, summed → BN → ReLU.
    c["xd"], c["xs"] = p["dense"], p["sparse"]
    hc = dense_fw(c["xd"], w[f"{s}.content.dense.kernel"]) + dense_fw(c["xs"], w[f"{s}.content.sparse.kernel"])
    bc, c["bnc"] = batch_norm_fw(hc, w[f"{s}.content.0.batch_norm.gamma"], w[f"{s}.content.0.batch_norm.beta"])
    c["rc"] = np.maximum(bc, 0)
    c["prec"] = bc
    # Tower: [preference, content] → Dense → BN → ReLU → Dense + bias → L2 normalisation.
    c["x"] = np.concatenate([c["rp"], c["rc"]], axis=1)
    h0 = dense_fw(c["x"], w[f"{s}.tower.0.dense.kernel"])
    b0, c["bn0"] = batch_norm_fw(h0, w[f"{s}.tower.0.batch_norm.gamma"], w[f"{s}.tower.0.batch_norm.beta"])
    c["r0"] = np.maximum(b0, 0)
    c["pre0"] = b0
    y = dense_fw(c["r0"], w[f"{s}.tower.1.dense.kernel"], w[f"{s}.tower.1.dense.bias"])
    e, c["norm"] = l2_normalize_fw(y)
    c["e"] = e
    return e, c


def side_backward(de, w, s, c):
    g = {}
    dy = l2_normalize_bw(de, c["e"], c["norm"])
    g[f"{s}.tower.1.dense.kernel"] = c["r0"].T @ dy
    g[f"{s}.tower.1.dense.bias"] = dy.sum(axis=0)
    dr0 = dy @ w[f"{s}.tower.1.dense.kernel"].T
    db0 = dr0 * (c["pre0"] > 0)
    dh0, g[f"{s}.tower.0.batch_norm.gamma"], g[f"{s}.tower.0.batch_norm.beta"] = batch_norm_bw(
        db0, w[f"{s}.tower.0.batch_norm.gamma"], c["bn0"])
    g[f"{s}.tower.0.dense.kernel"] = c["x"].T @ dh0
    dx = dh0 @ w[f"{s}.tower.0.dense.kernel"].T
    kp = c["rp"].shape[1]
    drp, drc = dx[:, :kp], dx[:, kp:]
    # Content.
    dbc = drc * (c["prec"] > 0)
    dhc, g[f"{s}.content.0.batch_norm.gamma"], g[f"{s}.content.0.batch_norm.beta"] = batch_norm_bw(
        dbc, w[f"{s}.content.0.batch_norm.gamma"], c["bnc"])
    g[f"{s}.content.dense.kernel"] = c["xd"].T @ dhc
    g[f"{s}.content.sparse.kernel"] = c["xs"].T @ dhc
    # Preference.
    dbp = drp * (c["prep"] > 0)
    dhp, g[f"{s}.preference.mlp.0.batch_norm.gamma"], g[f"{s}.preference.mlp.0.batch_norm.beta"] = batch_norm_bw(
        dbp, w[f"{s}.preference.mlp.0.batch_norm.gamma"], c["bnp"])
    g[f"{s}.preference.mlp.0.dense.kernel"] = c["xp"].T @ dhp
    return g


def kernels(w):
    """The L2 penalty's tensors: dense kernels (the sparse block's kernel is an embedding table)."""
    return [k for k in w if k.endswith(".dense.kernel")]


def sv_softmax(u, v, fx):
    """Mean SV-softmax cross-entropy over the anchors (rows with label > 0), and dL/dU, dL/dV."""
    s = fx["settings"]
    gamma, margin, t = float(s["gamma"]), float(s["margin"]), float(s["t"])
    n, m = int(s["negatives.n"]), int(s["negatives.m"])
    b = u.shape[0]
    labels = fx["batch"]["labels"]
    items = fx["batch"]["items"]
    log_p = item_log_probability(fx).astype(u.dtype)
    shifts = [(k * n) % b for k in range(1, m + 1)]
    anchors = [i for i in range(b) if labels[i] > 0]
    du, dv = np.zeros_like(u), np.zeros_like(v)
    total = 0.0
    details = []
    for i in anchors:
        js = [(i - sk) % b for sk in shifts]
        pos = u[i] @ v[i]
        neg = np.array([u[i] @ v[j] for j in js])
        shifted = pos - margin
        support = neg > shifted
        g = np.where(support, t * neg + t - 1, neg)
        offsets = -np.array([log_p[items[i]]] + [log_p[items[j]] for j in js])
        z = gamma * np.concatenate([[shifted], g]) + offsets
        zmax = z.max()
        q = np.exp(z - zmax)
        q /= q.sum()
        total += zmax + np.log(np.exp(z - zmax).sum()) - z[0]
        dz = q.copy()
        dz[0] -= 1
        dz /= len(anchors)
        dpos = gamma * dz[0]
        dneg = gamma * dz[1:] * np.where(support, t, 1.0)
        du[i] += dpos * v[i]
        dv[i] += dpos * u[i]
        for k, j in enumerate(js):
            du[i] += dneg[k] * v[j]
            dv[j] += dneg[k] * u[i]
        details.append({"row": i, "negatives": js, "margins": (neg - shifted).tolist()})
    return total / len(anchors), du, dv, details


def item_log_probability(fx):
    """log(max(positives, 1) / all positives) per item over the training interactions."""
    counts = np.zeros(len(fx["items"]["ids"]))
    for _, item, label in fx["interactions"]:
        if label > 0:
            counts[item] += 1
    return np.log(np.maximum(counts, 1)) - np.log(max(counts.sum(), 1))


def batch_inputs(fx, side, dtype):
    ids = fx["batch"][side + "s"]
    enc = fx[side + "s"]
    return {
        "preference": np.array(enc["preference"], dtype=dtype)[ids],
        "dense": np.array(enc["encoded"]["dense"], dtype=dtype)[ids],
        "sparse": np.array(enc["encoded"]["sparse"], dtype=dtype)[ids],
    }


def step(fx, w, with_gradients=True):
    """The step in the weights' precision (float64 for the reference, float32 for the check of
    how well-conditioned the fixture is)."""
    dtype = next(iter(w.values())).dtype
    inputs = {s: batch_inputs(fx, s, dtype) for s in SIDES}
    u, cu = side_forward(inputs["user"], w, "user")
    v, cv = side_forward(inputs["item"], w, "item")
    sv, du, dv, details = sv_softmax(u, v, fx)
    lam = float(fx["settings"]["l2"])
    l2 = lam * sum((w[k] ** 2).sum() for k in kernels(w))
    out = {"loss": {"total": sv + l2, "svsoftmax": sv, "l2": l2}, "users": u, "items": v, "details": details,
           "caches": {"user": cu, "item": cv}}
    if with_gradients:
        grads = side_backward(du, w, "user", cu)
        grads.update(side_backward(dv, w, "item", cv))
        for k in kernels(w):
            grads[k] = grads[k] + 2 * lam * w[k]
        out["gradients"] = grads
    return out


# ---------------------------------------------------------------------------------------------
# Checks that make the reference trustworthy.


def check_against_finite_differences(fx, w, grads):
    """Central differences of the float64 forward pass for every parameter entry."""
    worst = 0.0
    h = 1e-6
    for name, value in w.items():
        flat = value.reshape(-1)
        numeric = np.zeros_like(flat)
        for k in range(flat.size):
            saved = flat[k]
            flat[k] = saved + h
            up = step(fx, w, with_gradients=False)["loss"]["total"]
            flat[k] = saved - h
            down = step(fx, w, with_gradients=False)["loss"]["total"]
            flat[k] = saved
            numeric[k] = (up - down) / (2 * h)
        analytic = np.asarray(grads[name]).reshape(-1)
        scale = max(np.abs(numeric).max(), 1e-3)
        worst = max(worst, np.abs(numeric - analytic).max() / scale)
    if worst > 1e-6:
        sys.exit(f"golden_step: analytic gradients disagree with finite differences (worst {worst:.2e})")
    return worst


def kink_distances(out):
    """How far the step is from every kink (ReLU at 0, the SV indicator at n = pos − m): Float32
    must take the same branch as float64 everywhere."""
    d = [abs(m) for a in out["details"] for m in a["margins"]]
    for c in out["caches"].values():
        for key in ("prep", "prec", "pre0"):
            d.append(np.abs(c[key]).min())
    return min(d)


def float32_error(fx, w, reference):
    """The worst error of a float32 run of the same step against the float64 reference, in the
    test's measure (relative to max(|value|, 1% of the tensor's largest)): what rounding alone
    costs, so the fixture can keep it well inside the test's 1e-4."""
    out = step(fx, {k: v.astype(np.float32) for k, v in w.items()})
    pairs = [(out["users"], reference["users"]), (out["items"], reference["items"])]
    pairs += [(np.asarray(out["gradients"][k]), np.asarray(reference["gradients"][k])) for k in reference["gradients"]]
    worst = 0.0
    for got, want in pairs:
        got, want = np.asarray(got, dtype=np.float64).reshape(-1), want.reshape(-1)
        scale = np.maximum(np.abs(want), 0.01 * np.abs(want).max())
        worst = max(worst, (np.abs(got - want) / scale).max())
    return worst


def support_vector_count(out):
    return sum(1 for a in out["details"] for m in a["margins"] if m > 0)


# ---------------------------------------------------------------------------------------------
# Fixture I/O.


def f32(x):
    """The float32 value of x as a Python float (exact in JSON), so Swift reads the same numbers."""
    return np.asarray(x, dtype=np.float32).astype(np.float64).tolist()


def dump(obj, path):
    """JSON with every innermost list of numbers on one line (readable diffs, short files)."""
    text = json.dumps(obj, indent=1)
    text = re.sub(r"\[\s*([-0-9.eE+,\s]+?)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")


def weights_of(fx):
    return {k: np.array(v, dtype=np.float64).reshape(fx["weight_shapes"][k]) for k, v in fx["weights"].items()}


def new_fixture(seed):
    rng = np.random.default_rng(seed)
    users, items = 4, 5
    user_groups = ["a", "b", "c", "a"]
    item_tags = ["x|y", "z", "w|x", "y|z", "w"]
    pref_dim, content_dnn, pref_dnn, tower = 3, 4, 2, [5, 3]
    user_vec = f32(rng.normal(size=(users, 2)))
    item_vec = f32(rng.normal(size=(items, 3)))
    user_vocab = sorted(set(user_groups))
    item_vocab = sorted({t for tags in item_tags for t in tags.split("|")})
    user_sparse = [[1.0 if g == v else 0.0 for v in user_vocab] for g in user_groups]
    item_sparse = [[1.0 if v in tags.split("|") else 0.0 for v in item_vocab] for tags in item_tags]
    shapes = {}
    for s, dd, sc in (("user", 2, len(user_vocab)), ("item", 3, len(item_vocab))):
        p = f"{s}.preference.mlp.0."
        shapes[p + "dense.kernel"] = [pref_dim, pref_dnn]
        shapes[p + "batch_norm.gamma"] = [1, pref_dnn]
        shapes[p + "batch_norm.beta"] = [1, pref_dnn]
        shapes[f"{s}.content.dense.kernel"] = [dd, content_dnn]
        shapes[f"{s}.content.sparse.kernel"] = [sc, content_dnn]
        shapes[f"{s}.content.0.batch_norm.gamma"] = [1, content_dnn]
        shapes[f"{s}.content.0.batch_norm.beta"] = [1, content_dnn]
        shapes[f"{s}.tower.0.dense.kernel"] = [pref_dnn + content_dnn, tower[0]]
        shapes[f"{s}.tower.0.batch_norm.gamma"] = [1, tower[0]]
        shapes[f"{s}.tower.0.batch_norm.beta"] = [1, tower[0]]
        shapes[f"{s}.tower.1.dense.kernel"] = [tower[0], tower[1]]
        shapes[f"{s}.tower.1.dense.bias"] = [1, tower[1]]
    weights = {}
    for k, shape in shapes.items():
        if k.endswith("gamma"):
            w = 1 + 0.3 * rng.normal(size=shape)
        elif k.endswith("beta") or k.endswith("bias"):
            w = 0.2 * rng.normal(size=shape)
        else:
            w = rng.normal(size=shape) * np.sqrt(2.0 / sum(shape))
        weights[k] = f32(w)
    interactions = [[0, 0, 1], [1, 2, 1], [2, 1, 0], [3, 3, 1], [0, 4, 1], [1, 1, 1],
                    [2, 0, 1], [3, 0, 1], [0, 2, 0], [2, 3, 1]]
    return {
        "description": "Inputs of the golden training step (scripts/golden_step.py; GoldenStepTests).",
        "settings": {
            "model": "easyrec", "preference": "wmf", "content_dnn": str(content_dnn), "preference_dnn": str(pref_dnn),
            "user_tower": ",".join(map(str, tower)), "item_tower": ",".join(map(str, tower)),
            "embedding_dim": str(tower[-1]), "activation": "relu", "batch_norm": "true", "batch_size": "6",
            "user_dropout": "0", "item_dropout": "0", "loss": "svsoftmax", "gamma": "5", "margin": "0.1", "t": "1.2",
            "negatives.n": "1", "negatives.m": "2", "negatives.shifts": "stride", "negatives.logq": "true",
            "negatives.mask_false": "false", "l2": "0.01", "optimizer": "adam",
        },
        "users": {
            "ids": [f"u{i}" for i in range(users)],
            "content": {"v": [" ".join(repr(x) for x in row) for row in user_vec], "g": user_groups},
            "encoded": {"dense": user_vec, "sparse": user_sparse, "sparse_names": [f"g={v}" for v in user_vocab]},
            "preference": f32(rng.normal(size=(users, pref_dim))),
        },
        "items": {
            "ids": [f"i{i}" for i in range(items)],
            "content": {"v": [" ".join(repr(x) for x in row) for row in item_vec], "tags": item_tags},
            "encoded": {"dense": item_vec, "sparse": item_sparse, "sparse_names": [f"tags={v}" for v in item_vocab]},
            "preference": f32(rng.normal(size=(items, pref_dim))),
        },
        "interactions": interactions,
        "batch": {"users": [0, 1, 2, 3, 0, 1], "items": [0, 2, 1, 3, 4, 1], "labels": [1, 1, 0, 1, 1, 1]},
        "weight_shapes": shapes,
        "weights": {k: np.array(v).reshape(-1).tolist() for k, v in weights.items()},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--new-fixture", metavar="FIXTURE", help="draw a fixture whose step is far from every kink")
    ap.add_argument("--seed", type=int, default=1, help="first seed tried by --new-fixture")
    ap.add_argument("paths", nargs="*", metavar="FIXTURE EXPECTED")
    a = ap.parse_args()
    if a.new_fixture:
        seed = a.seed
        while True:
            fx = new_fixture(seed)
            out = step(fx, weights_of(fx))
            if kink_distances(out) > 2e-3 and 0 < support_vector_count(out) < 8 and float32_error(fx, weights_of(fx), out) < 1e-5:
                break
            seed += 1
        fx["seed"] = seed
        dump(fx, a.new_fixture)
        print(f"golden_step: wrote {a.new_fixture} (seed {seed})")
        return
    if len(a.paths) != 2:
        ap.error("give FIXTURE and EXPECTED (or --new-fixture FIXTURE)")
    with open(a.paths[0]) as f:
        fx = json.load(f)
    w = weights_of(fx)
    out = step(fx, w)
    distance = kink_distances(out)
    if distance < 1e-3:
        sys.exit(f"golden_step: the step is {distance:.1e} from a kink; Float32 could branch differently")
    worst = check_against_finite_differences(fx, w, out["gradients"])
    rounding = float32_error(fx, w, out)
    expected = {
        "description": "Expected values of the golden training step, written by scripts/golden_step.py from step.json.",
        "loss": out["loss"],
        "users": out["users"].tolist(),
        "items": out["items"].tolist(),
        "support_vectors": support_vector_count(out),
        "gradients": {k: np.asarray(v).reshape(-1).tolist() for k, v in sorted(out["gradients"].items())},
    }
    dump(expected, a.paths[1])
    print(f"golden_step: loss {out['loss']['total']:.10f} ({support_vector_count(out)} support vectors, "
          f"nearest kink {distance:.1e}, finite differences agree to {worst:.1e}, a float32 run to {rounding:.1e}); "
          f"wrote {a.paths[1]}")


if __name__ == "__main__":
    main()
