#!/usr/bin/python3
"""Reference rows of the maximum-entropy count ptable (D = 5, V = 3, js = 2), independently of
jamstat: for each row, scipy.optimize.minimize (SLSQP) maximizes the entropy -sum p log p over
the allowed perturbed values subject to sum p = 1, sum p d = 0, sum p d^2 = V (d = j - i).
Prints the probabilities that tests/disclosure/cell_key_test.cpp records.

Run: /usr/bin/python3 tests/reference/disclosure/ptable_reference.py
"""
import numpy as np
from scipy.optimize import minimize

D, V, JS = 5, 3.0, 2


def row(i):
    values = [j for j in range(max(0, i - D), i + D + 1) if j == 0 or j > JS]
    d = np.array(values, dtype=float) - i
    n = len(d)
    cons = [{"type": "eq", "fun": lambda p: p.sum() - 1},
            {"type": "eq", "fun": lambda p: p @ d},
            {"type": "eq", "fun": lambda p: p @ (d * d) - V}]
    res = minimize(lambda p: np.sum(p * np.log(np.maximum(p, 1e-300))), np.full(n, 1.0 / n),
                   constraints=cons, bounds=[(1e-12, 1)] * n, method="SLSQP",
                   options={"ftol": 1e-15, "maxiter": 1000})
    assert res.success, res.message
    return values, res.x


for i in (1, 3, 8):
    values, p = row(i)
    print("row %d: " % i + ", ".join("{%d, %.10f}" % (j, q) for j, q in zip(values, p)))
