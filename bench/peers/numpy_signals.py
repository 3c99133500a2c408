#!/usr/bin/env python3
"""Peer benchmark: the book signals of `microstructure`, vectorized with numpy over a whole day.

Reads a LOBSTER order-book file (plain or .gz; N rows x 4L integer columns: ask price, ask size, bid
price, bid size per level, prices x 10000), and computes, for every row, with numpy array operations:

    spread     = ask1 - bid1                                      (dollars)
    mid        = (ask1 + bid1) / 2
    microprice = (bid1 * askSz1 + ask1 * bidSz1) / (bidSz1 + askSz1)
    obi        = (bidSz1 - askSz1) / (bidSz1 + askSz1)
    wobi       = (B - A) / (B + A),  B = sum_i w_i bidSz_i,  A = sum_i w_i askSz_i,  w_i = exp(-0.5 (i-1))
    ofi        = Cont-Kukanov-Stoikov e_n of row n against row n-1 (e_0 = 0)

the same definitions as the library's operators and ../shared/data/reference/README.md. Empty levels
(LOBSTER sentinels +-9999999999) become price NaN, size 0, as in the library.

Prints one JSON object on stdout (run.js parses it):
    read:    gunzipSec (decompress), parseSec (numpy.loadtxt into an int64 array), prepSec (columns to
             float64 dollars and sizes, sentinels to NaN): the cost of getting the arrays.
    compute: seconds per signal and for all six together (the median of --reps runs over the arrays
             in memory, after one warm-up run).
    pandas:  when pandas is importable, readCsvSec (pandas.read_csv of the same file) and
             computeSec (the same numpy batch on the DataFrame's values); else {"skipped": reason}.
    sums:    the sum of each signal over the rows (NaN-free rows), to check both sides computed the same.
If numpy is not importable it prints {"skipped": "<reason>"} and exits 0.

Usage: python3 numpy_signals.py --orderbook FILE [--levels 10] [--reps 7] [--rows N]

With --rows N only the first N rows are parsed (the file is still decompressed whole).
"""

import argparse
import gzip
import io
import json
import platform
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orderbook", required=True)
    ap.add_argument("--levels", type=int, default=10)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--rows", type=int, default=None, help="read only the first ROWS rows")
    args = ap.parse_args()
    try:
        import numpy as np
    except ImportError as e:  # the runner reports the skip
        print(json.dumps({"skipped": f"numpy not importable: {e}"}))
        return 0

    L = args.levels
    clock = time.perf_counter

    t0 = clock()
    if args.orderbook.endswith(".gz"):
        with gzip.open(args.orderbook, "rb") as f:
            raw = f.read()
    else:
        with open(args.orderbook, "rb") as f:
            raw = f.read()
    t1 = clock()
    a = np.loadtxt(io.BytesIO(raw), delimiter=",", dtype=np.int64, ndmin=2, max_rows=args.rows)
    t2 = clock()

    def prep(a):
        ask_px = a[:, 0 : 4 * L : 4].astype(np.float64)
        ask_sz = np.ascontiguousarray(a[:, 1 : 4 * L : 4], dtype=np.float64)
        bid_px = a[:, 2 : 4 * L : 4].astype(np.float64)
        bid_sz = np.ascontiguousarray(a[:, 3 : 4 * L : 4], dtype=np.float64)
        ask_empty = a[:, 0 : 4 * L : 4] == 9999999999
        bid_empty = a[:, 2 : 4 * L : 4] == -9999999999
        ask_px[ask_empty] = np.nan
        bid_px[bid_empty] = np.nan
        ask_sz[ask_empty] = 0.0
        bid_sz[bid_empty] = 0.0
        ask_px /= 10000.0
        bid_px /= 10000.0
        return bid_px, bid_sz, ask_px, ask_sz

    bid_px, bid_sz, ask_px, ask_sz = prep(a)
    t3 = clock()
    n = a.shape[0]
    w = np.exp(-0.5 * np.arange(L))
    b1, a1 = np.ascontiguousarray(bid_px[:, 0]), np.ascontiguousarray(ask_px[:, 0])
    bs1, as1 = np.ascontiguousarray(bid_sz[:, 0]), np.ascontiguousarray(ask_sz[:, 0])

    def spread():
        return a1 - b1

    def mid():
        return (a1 + b1) / 2

    def microprice():
        return (b1 * as1 + a1 * bs1) / (bs1 + as1)

    def obi():
        return (bs1 - as1) / (bs1 + as1)

    def wobi():
        B = bid_sz @ w
        A = ask_sz @ w
        return (B - A) / (B + A)

    def ofi():
        e = np.zeros(n)
        if n > 1:
            pb, qb, pa, qa = b1[:-1], bs1[:-1], a1[:-1], as1[:-1]
            cb, cqb, ca, cqa = b1[1:], bs1[1:], a1[1:], as1[1:]
            e[1:] = (cb >= pb) * cqb - (cb <= pb) * qb - (ca <= pa) * cqa + (ca >= pa) * qa
        return e

    signals = {"spread": spread, "mid": mid, "microprice": microprice, "obi": obi, "wobi": wobi, "ofi": ofi}

    def all_six():
        return [f() for f in signals.values()]

    def timed(fn):
        fn()
        ts = []
        for _ in range(max(1, args.reps)):
            s = clock()
            fn()
            ts.append(clock() - s)
        ts.sort()
        return ts[len(ts) // 2]

    compute = {name: timed(fn) for name, fn in signals.items()}
    compute["all"] = timed(all_six)
    sums = {name: float(np.nansum(fn())) for name, fn in signals.items()}

    pandas = None
    try:
        import pandas as pd  # noqa: F401

        s = clock()
        df = pd.read_csv(args.orderbook, header=None, dtype=np.int64, nrows=args.rows)
        s2 = clock()
        arr = df.to_numpy()
        bid_px, bid_sz, ask_px, ask_sz = prep(arr)
        b1, a1 = np.ascontiguousarray(bid_px[:, 0]), np.ascontiguousarray(ask_px[:, 0])
        bs1, as1 = np.ascontiguousarray(bid_sz[:, 0]), np.ascontiguousarray(ask_sz[:, 0])
        pandas = {"version": pd.__version__, "readCsvSec": s2 - s, "computeSec": timed(all_six)}
    except ImportError as e:
        pandas = {"skipped": f"pandas not importable: {e}"}

    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "numpy": np.__version__,
                "rows": int(n),
                "levels": L,
                "reps": args.reps,
                "read": {"gunzipSec": t1 - t0, "parseSec": t2 - t1, "prepSec": t3 - t2},
                "compute": compute,
                "pandas": pandas,
                "sums": sums,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
