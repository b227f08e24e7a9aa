"""Times the `implicit` library's CPU ALS on the matrix `dropoutnet bench wmf` uses.

Run through scripts/bench_wmf_implicit.sh, which sets up the virtual environment. Reads the
binary CSR written by `dropoutnet bench wmf --export-matrix FILE`, fits implicit's
AlternatingLeastSquares with the same rank, λ, confidence 1 + α·r, iterations and threads,
and prints one JSON object per rank: seconds per iteration and the final training loss
(our definition: Σ c (p − x·y)² over all cells + λ(‖X‖² + ‖Y‖²)).
"""
import argparse
import json
import sys
import time

import numpy as np
import scipy.sparse as sp


def read_csr(path):
    raw = open(path, "rb").read()
    if raw[:8] != b"DNCSR\0\0\0":
        sys.exit(f"{path}: not a matrix written by `dropoutnet bench wmf --export-matrix`")
    rows, cols, nnz = np.frombuffer(raw, dtype="<i8", count=3, offset=8)
    off = 32
    indptr = np.frombuffer(raw, dtype="<i8", count=rows + 1, offset=off); off += 8 * (rows + 1)
    indices = np.frombuffer(raw, dtype="<i4", count=nnz, offset=off); off += 4 * nnz
    data = np.frombuffer(raw, dtype="<f4", count=nnz, offset=off)
    return sp.csr_matrix((data, indices, indptr), shape=(rows, cols))


def training_loss(r, x, y, reg, alpha):
    """The same efficient expansion dropoutnet reports (no dense user × item product)."""
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    gram = y.T @ y
    total = float(np.einsum("ij,jk,ik->", x, gram, x))
    coo = r.tocoo()
    for lo in range(0, coo.nnz, 200_000):
        hi = min(coo.nnz, lo + 200_000)
        s = np.einsum("ij,ij->i", x[coo.row[lo:hi]], y[coo.col[lo:hi]])
        c = 1 + alpha * coo.data[lo:hi].astype(np.float64)
        total += float(np.sum(c * (1 - s) ** 2 - s ** 2))
    return total + reg * (float(np.sum(x * x)) + float(np.sum(y * y)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("matrix")
    ap.add_argument("--ranks", default="64,200")
    ap.add_argument("--reg", type=float, default=1.0)
    ap.add_argument("--alpha", type=float, default=10.0)
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--solver", default="cg", help="cg (implicit's default, 3 steps) or cholesky")
    args = ap.parse_args()

    import implicit
    from implicit.cpu.als import AlternatingLeastSquares

    r = read_csr(args.matrix)
    # implicit's confidence is the stored value itself (times its `alpha`); store 1 + α·r so
    # the objective is exactly dropoutnet's.
    conf = r.copy()
    conf.data = (1 + args.alpha * r.data).astype(np.float32)
    for rank in [int(k) for k in args.ranks.split(",")]:
        model = AlternatingLeastSquares(
            factors=rank, regularization=args.reg, alpha=1.0, iterations=args.iterations,
            use_cg=args.solver == "cg", num_threads=args.threads, random_state=1,
            calculate_training_loss=False)
        times, cpu = [], [time.process_time()]

        def on_iteration(iteration, elapsed, loss):
            times.append(elapsed)
            cpu.append(time.process_time())

        # CPU time between consecutive iterations' ends (the first iteration's share would
        # include the transpose and initialisation), as `dropoutnet bench wmf` measures it.
        model.fit(conf, show_progress=False, callback=on_iteration)
        cpu_per_iteration = (cpu[-1] - cpu[1]) / (len(cpu) - 2)
        loss = training_loss(r, model.user_factors, model.item_factors, args.reg, args.alpha)
        print(json.dumps({"implementation": f"implicit {implicit.__version__}", "rank": rank,
                          "users": r.shape[0], "items": r.shape[1], "nnz": int(r.nnz),
                          "seconds_per_iteration": round(sum(times) / len(times), 4),
                          "cpu_seconds_per_iteration": round(cpu_per_iteration, 4),
                          "final_loss": round(loss, 1)}), flush=True)


if __name__ == "__main__":
    main()
