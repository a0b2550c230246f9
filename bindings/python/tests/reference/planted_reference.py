#!/usr/bin/env python3
"""Reference values of bindings/python/tests/test_intersectional.py, on the planted MAIHDA data
(tests/c_api/analysis_test.c, 54 strata) and its measure `hours` (drawn in the test, seed 5218):
the Oaxaca-Blinder decomposition of the gap in work between women and men (women - men), and the
linear MAIHDA of hours (lme4 through Rscript), computed on the microdata:

    /usr/bin/python3 bindings/python/tests/reference/planted_reference.py

Python 3.11, numpy 1.24, statsmodels 0.13.5. Linear probability model, characteristics age,
birth and education (dummies, first level omitted): statsmodels' OaxacaBlinder with
two_fold_type='pooled' (pooled OLS with the group column, Jann 2008) and three_fold() (the second
group's coefficients, here men's as the first group is women), plus numpy OLS for the same
twofold by hand. statsmodels orders groups by the group column's codes: the column is
`male` (women 0, men 1), so its gaps are women - men as jamstat's are.
"""
import os
import sys
import types

import numpy as np
import pandas as pd
from statsmodels.stats.oaxaca import OaxacaBlinder

# The planted table and measure come from the test module itself (imported with a stand-in for
# jamstat, which this script does not need).
sys.modules.setdefault("jamstat", types.ModuleType("jamstat"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from test_intersectional import PLANTED, planted_columns  # noqa: E402


def microdata():
    rows = []
    for sex, age, birth, edu, n, work in PLANTED:
        rows += [(sex, age, birth, edu, 1 if i < work else 0) for i in range(n)]
    return pd.DataFrame(rows, columns=["male", "age", "birth", "education", "in_work"])


def design(d):
    cols = {"const": np.ones(len(d))}
    for c in ("age", "birth", "education"):
        for level in (1, 2):
            cols["%s_%d" % (c, level)] = (d[c] == level).astype(float)
    return pd.DataFrame(cols)


d = microdata()
X = design(d)
X["male"] = d["male"].astype(float)
y = d["in_work"].astype(float)
ob = OaxacaBlinder(y.to_numpy(), X.to_numpy(), bifurcate=X.columns.get_loc("male"), hasconst=True, swap=False)
two = ob.two_fold(two_fold_type="pooled")
three = ob.three_fold()
print("statsmodels two_fold(pooled): unexplained %r explained %r gap %r" % (two.params[0], two.params[1], two.params[2]))
print("statsmodels three_fold(): endowments %r coefficients %r interaction %r gap %r" % tuple(three.params))

# The same twofold by hand: OLS per group and pooled with the group indicator (its coefficient left out).
Xn = design(d).to_numpy()
w, m = (d["male"] == 0).to_numpy(), (d["male"] == 1).to_numpy()
bw = np.linalg.lstsq(Xn[w], y[w], rcond=None)[0]
bm = np.linalg.lstsq(Xn[m], y[m], rcond=None)[0]
bp = np.linalg.lstsq(np.column_stack([Xn, w.astype(float)]), y, rcond=None)[0][:-1]
xw, xm = Xn[w].mean(axis=0), Xn[m].mean(axis=0)
print("numpy: gap %r explained %r unexplained %r" % (y[w].mean() - y[m].mean(), (xw - xm) @ bp,
                                                     xw @ (bw - bp) + xm @ (bp - bm)))


# The same decomposition of the gap in mean hours.
yh = pd.Series(planted_columns()["hours"])
obh = OaxacaBlinder(yh.to_numpy(), X.to_numpy(), bifurcate=X.columns.get_loc("male"), hasconst=True, swap=False)
two = obh.two_fold(two_fold_type="pooled")
print("hours: statsmodels two_fold(pooled): unexplained %r explained %r gap %r" % (two.params[0], two.params[1], two.params[2]))

# Linear MAIHDA of hours (strata: sex x age x birth x education) with lme4, as jamstat follows it:
# the microdata written to a CSV, then R 4.2.2 / lme4 1.1.31 lmer with its defaults (REML) and ML.
import subprocess
import tempfile

c = planted_columns()
m = pd.DataFrame({k: c[k] for k in ("sex", "age", "birth", "education", "hours")})
m["stratum"] = m["sex"].astype(str) + m["age"].astype(str) + m["birth"].astype(str) + m["education"].astype(str)
csv = os.path.join(tempfile.mkdtemp(), "planted.csv")
m.to_csv(csv, index=False)
R = """
suppressMessages(library(lme4))
d <- read.csv("%s")
for (v in c("stratum", "sex", "age", "birth", "education")) d[[v]] <- factor(d[[v]])
for (reml in c(TRUE, FALSE)) {
  for (f in list(hours ~ 1 + (1 | stratum), hours ~ sex + age + birth + education + (1 | stratum))) {
    m <- lmer(f, data = d, REML = reml)
    vc <- as.data.frame(VarCorr(m))
    cat(sprintf("lmer(%%s, REML = %%s): theta %%.17g between %%.17g residual %%.17g criterion %%.17g\\n",
                deparse(f), reml, getME(m, "theta"), vc$vcov[1], sigma(m)^2, if (reml) REMLcrit(m) else deviance(m)))
  }
}
""" % csv
print(subprocess.run(["Rscript", "-e", R], check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout, end="")
