#!/usr/bin/python3
"""Independent check of jamstat's disclosure audit with SciPy's linprog (HiGHS).

Usage: audit_linprog.py JAMSTAT_DISCLOSURE_TESTS WORK_DIR

Runs the test executable's IndependentCheck.* test with JAMSTAT_DISCLOSURE_EXPORT_DIR=WORK_DIR,
which writes table sets, their suppression patterns and jamstat's audit (one JSON file each);
then, for every suppressed statistic in the audit, recomputes the interval an attacker derives
from everything the pattern publishes, with none of jamstat's code: one variable per finest
cell (every finest cell of the grid, empty ones included), non-negative, one equality per
published value, scipy.optimize.linprog(method="highs") for the minimum and the maximum.
An outcome has two variables per finest cell, successes s and participations n, with s <= n.
Checks that every interval agrees with jamstat's (to 1e-6 relative), that every sensitive
statistic's interval reaches its protection level, and that every suppressed count is audited.
Prints "independent LP check: N intervals agree in M files" and exits 0 on success.
"""
import glob
import json
import os
import subprocess
import sys

import numpy as np
from scipy.optimize import linprog


def grid(levels):
    """Finest cells as level tuples, dimension 0 most significant."""
    cells = [()]
    for n in levels:
        cells = [c + (l,) for c in cells for l in range(n)]
    return cells


def cell_index(levels, mask, lv):
    idx = 0
    for d, n in enumerate(levels):
        if mask >> d & 1:
            idx = idx * n + lv[d]
    return idx


def cell_count(levels, mask):
    n = 1
    for d, k in enumerate(levels):
        if mask >> d & 1:
            n *= k
    return n


def check(data):
    levels, groupings = data["levels"], data["groupings"]
    finest = grid(levels)
    nf = len(finest)
    position = {c: i for i, c in enumerate(finest)}
    persons = np.zeros(nf)
    participations = np.zeros(nf)
    successes = np.zeros((data["outcomes"], nf))
    sums = np.zeros((data["measures"], nf))
    for c in data["finest"]:
        i = position[tuple(c["levels"])]
        persons[i], participations[i] = c["persons"], c["participations"]
        for o, s in enumerate(c["successes"]):
            successes[o][i] = s
        for m, s in enumerate(c["sums"]):
            sums[m][i] = s
    # published cells: global number -> membership row over the finest cells
    members, offsets = [], [0]
    for mask in groupings:
        rows = np.zeros((cell_count(levels, mask), nf))
        for i, lv in enumerate(finest):
            rows[cell_index(levels, mask, lv)][i] = 1.0
        members.extend(rows)
        offsets.append(offsets[-1] + len(rows))
    members = np.array(members)
    pattern = data["pattern"]
    shown = lambda status: status == 0

    def interval(objective, a_eq, b_eq, a_ub=None, b_ub=None):
        out = []
        for sign in (1.0, -1.0):
            res = linprog(sign * objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq if len(a_eq) else None,
                          b_eq=b_eq if len(b_eq) else None, bounds=(0, None), method="highs")
            if res.status == 3:
                out.append(float("inf"))
                continue
            assert res.status == 0, res.message
            out.append(sign * res.fun)
        return out[0], out[1]

    checked = 0
    audited = set()
    for row in data["audit"]:
        q, k, cell = row["quantity"], row["index"], offsets[row["grouping"]] + row["cell"]
        audited.add((q, k, cell))
        if q in ("persons", "participations"):
            values = persons if q == "persons" else participations
            known = [c for c in range(len(members)) if shown(pattern["counts"][c])]
            a_eq = members[known]
            b_eq = a_eq @ values
            lo, hi = interval(members[cell], a_eq, b_eq)
            value = members[cell] @ values
        elif q in ("successes", "failures"):
            # variables: s (nf) then n (nf); s - n <= 0
            s, n = successes[k], participations
            eq_rows, eq_vals = [], []
            for c in range(len(members)):
                if shown(pattern["counts"][c]):
                    eq_rows.append(np.concatenate([np.zeros(nf), members[c]]))
                    eq_vals.append(members[c] @ n)
                if shown(pattern["outcomes"][k][c]):
                    eq_rows.append(np.concatenate([members[c], np.zeros(nf)]))
                    eq_vals.append(members[c] @ s)
            a_ub = np.hstack([np.eye(nf), -np.eye(nf)])
            b_ub = np.zeros(nf)
            if q == "successes":
                objective = np.concatenate([members[cell], np.zeros(nf)])
                value = members[cell] @ s
            else:
                objective = np.concatenate([-members[cell], members[cell]])
                value = members[cell] @ (n - s)
            lo, hi = interval(objective, np.array(eq_rows) if eq_rows else np.zeros((0, 2 * nf)), np.array(eq_vals), a_ub, b_ub)
        elif q == "measure_sum":
            values = sums[k]
            known = [c for c in range(len(members)) if shown(pattern["measures"][k][c])]
            a_eq = members[known]
            lo, hi = interval(members[cell], a_eq, a_eq @ values)
            value = members[cell] @ values
        else:
            raise SystemExit("unknown quantity " + q)
        tol = 1e-6 * max(1.0, abs(value))
        problems = []
        if abs(value - row["value"]) > tol:
            problems.append("value %r, jamstat %r" % (value, row["value"]))
        if abs(lo - row["lower"]) > tol or (abs(hi - row["upper"]) > tol and not (hi > 1e300 and row["upper"] > 1e300)):
            problems.append("interval [%r, %r], jamstat [%r, %r]" % (lo, hi, row["lower"], row["upper"]))
        integer = q != "measure_sum"
        lo_r = np.ceil(lo - 1e-6) if integer else lo
        hi_r = np.floor(hi + 1e-6) if integer else hi
        ok = True
        if row["required_lower"] is not None and lo_r > row["required_lower"] + tol:
            ok = False
        if row["required_upper"] is not None and hi_r < row["required_upper"] - tol:
            ok = False
        if ok != bool(row["protected"]):
            problems.append("the independent interval [%r, %r] %s the required [%r, %r], jamstat says protected=%d"
                            % (lo, hi, "reaches" if ok else "does not reach", row["required_lower"], row["required_upper"], row["protected"]))
        if problems:
            raise SystemExit("%s %s cell %d (grouping %d): %s" % (data["name"], q, row["cell"], row["grouping"], "; ".join(problems)))
        checked += 1
    # every suppressed count is audited in both count quantities
    for c, status in enumerate(pattern["counts"]):
        if not shown(status):
            for q in ("persons", "participations") if data["persons_counted"] else ("participations",):
                if (q, 0, c) not in audited:
                    raise SystemExit("%s: suppressed count of cell %d has no %s row in the audit" % (data["name"], c, q))
    return checked


def main():
    exe, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    for old in glob.glob(os.path.join(work, "*.json")):
        os.remove(old)
    env = dict(os.environ, JAMSTAT_DISCLOSURE_EXPORT_DIR=work)
    subprocess.run([exe, "--gtest_filter=IndependentCheck.*"], env=env, check=True, stdout=subprocess.DEVNULL)
    files = sorted(glob.glob(os.path.join(work, "*.json")))
    if not files:
        raise SystemExit("no exported table sets in " + work)
    total = 0
    for path in files:
        with open(path) as f:
            data = json.load(f)
        data["name"] = os.path.basename(path)
        n = check(data)
        expect_leak = "primary" in data["name"]
        leaks = sum(1 for r in data["audit"] if not r["protected"])
        if expect_leak != (leaks > 0):
            raise SystemExit("%s: %d under-protected statistics, expected %s" % (data["name"], leaks, "some" if expect_leak else "none"))
        print("%s: %d intervals agree, %d under-protected" % (data["name"], n, leaks))
        total += n
    print("independent LP check: %d intervals agree in %d files" % (total, len(files)))


if __name__ == "__main__":
    main()
