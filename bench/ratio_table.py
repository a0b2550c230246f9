#!/usr/bin/env python3
"""Prints bench/compare_peers.sh's table: jamstat's times beside the peers', as ratios.

Usage: ratio_table.py OUTDIR N [N ...]
Reads OUTDIR/summary_N.txt (lines "peer phase N median_seconds peak_rss_mb" from the harness's
summarize.py) and OUTDIR/chunked_N.txt. A ratio "x3.2" means the peer took 3.2 times as long as
jamstat; "x0.4" means jamstat took 2.5 times as long as the peer.
"""
import os
import sys


def load(path):
    times, rss = {}, {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 5 or parts[3] == "-":
                continue
            peer, phase, _, secs, mb = parts
            times[(peer, phase)] = float(secs)
            rss[(peer, phase)] = float(mb)
    return times, rss


def main():
    outdir, ns = sys.argv[1], sys.argv[2:]
    rows = [
        ("Job A, 1 thread", ("jamstat", "cube"), [("c_baseline", "cube"), ("duckdb", "cube"), ("duckdb", "cube_rollup"),
                                                  ("polars", "cube"), ("polars", "cube_rollup"), ("pandas", "cube"),
                                                  ("pandas", "cube_rollup")]),
        ("Job A, pass only", ("jamstat", "cube_pass"), [("c_baseline", "cube_pass"), ("c_baseline", "membw")]),
        ("Job A, roll-up only", ("jamstat", "cube_rollup"), [("c_baseline", "cube_rollup")]),
        ("Job A, 2 threads", ("jamstat", "cube_2t"), [("c_baseline", "cube_2t"), ("duckdb", "cube")]),
        ("Job B, 1 thread", ("jamstat", "distinct"), [("c_baseline", "distinct"), ("duckdb", "distinct"),
                                                      ("polars", "distinct"), ("pandas", "distinct")]),
        ("Job B, 2 threads", ("jamstat", "distinct_2t"), [("c_baseline", "distinct_2t"), ("duckdb", "distinct"),
                                                          ("polars", "distinct")]),
    ]
    for n in ns:
        times, _ = load(os.path.join(outdir, f"summary_{n}.txt"))
        print(f"\nN = {int(n):,}: median seconds over separate processes; ratio = peer time / jamstat time")
        print("| job | jamstat | " + " | ".join(["vs"] * 1) + " |")
        print("| --- | --- | --- |")
        for label, ours, peers in rows:
            if ours not in times:
                continue
            t = times[ours]
            cells = []
            for peer in peers:
                if peer in times:
                    cells.append(f"{peer[0]} {peer[1]} {times[peer]:.4f} s (x{times[peer] / t:.2f})")
            print(f"| {label} | {t:.4f} s | " + "; ".join(cells) + " |")
        for phase in ("serialize", "deserialize", "merge"):
            if ("jamstat", phase) in times:
                print(f"| state {phase} | {times[('jamstat', phase)] * 1e6:.0f} us | |")
        chunked = os.path.join(outdir, f"chunked_{n}.txt")
        if os.path.exists(chunked):
            print(f"| Job A memory, chunked from the column files | {open(chunked).read().strip()} | |")


if __name__ == "__main__":
    main()
