#!/usr/bin/env python3
"""numpy float32 matmul GFLOP/s on the shapes of `dropoutnet bench gemm`, for comparison.

Runs each thread count in a fresh subprocess with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set
(numpy's BLAS reads them once at import; threadpoolctl is used instead when installed) and
with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed, so numpy's own OpenBLAS picks its kernel
for this CPU. Timing matches the Swift bench: one warm-up, then the best of --repeats batches
of at least 50 ms.

    python3 scripts/bench_gemm_numpy.py [--json] [--threads 1,2] [--repeats 5]
"""
import argparse
import json
import os
import subprocess
import sys
import time

SHAPES = [(512, 256, 256), (512, 128, 512), (1024, 128, 1024), (2048, 2048, 2048)]


def measure(threads, repeats):
    """Runs in the child: GFLOP/s per shape with the thread count fixed."""
    import numpy as np
    limiter = None
    try:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(limits=threads, user_api="blas")
    except ImportError:
        pass
    rng = np.random.default_rng(1)
    out = []
    for m, n, k in SHAPES:
        a = (rng.random((m, k), dtype=np.float32) - 0.5)
        b = (rng.random((k, n), dtype=np.float32) - 0.5)
        c = np.empty((m, n), dtype=np.float32)
        np.matmul(a, b, out=c)
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        once = max(time.perf_counter() - t0, 1e-9)
        per_batch = max(1, int(0.05 / once))
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for _ in range(per_batch):
                np.matmul(a, b, out=c)
            best = min(best, (time.perf_counter() - t0) / per_batch)
        out.append({"backend": "numpy", "threads": threads, "m": m, "n": n, "k": k,
                    "gflops": 2.0 * m * n * k / best / 1e9})
    del limiter  # kept alive until here so the limit holds for every shape
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--threads", default="1,%d" % (os.cpu_count() or 1),
                        help="comma-separated thread counts (default: 1 and all cores)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        print(json.dumps(measure(args.child, args.repeats)))
        return

    counts = sorted({int(t) for t in args.threads.split(",") if t.strip()})
    results = []
    for t in counts:
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(t)
        child = subprocess.run([sys.executable, __file__, "--child", str(t), "--repeats", str(args.repeats)],
                               env=env, check=True, capture_output=True, text=True)
        results.extend(json.loads(child.stdout))

    if args.json:
        print(json.dumps({"results": results}))
    else:
        print("backend   threads      m      n      k   GFLOP/s")
        for r in results:
            print("%-9s %7d %6d %6d %6d %9.1f" % (r["backend"], r["threads"], r["m"], r["n"], r["k"], r["gflops"]))


if __name__ == "__main__":
    main()
