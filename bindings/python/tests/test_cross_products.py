"""Cross-product sets (SchemaBuilder.cross_products, Schema.cross_products) and the Oaxaca-Blinder
decomposition with numeric characteristics (Aggregator.oaxaca_numeric).

The microdata are those of tests/c_api/cross_products_test.c (the same integer formulas). The
reference is computed here, independently of jamstat, by ordinary least squares on the microdata
(numpy.linalg.lstsq): each group's coefficients and the pooled regression with a group indicator
(Jann 2008's default reference, jamstat's JAMSTAT_OAXACA_POOLED_WITH_GROUP), then

  gap          = ȳ_W − ȳ_M
  explained    = (x̄_W − x̄_M)' β*            unexplained = gap − explained
  endowments   = (x̄_W − x̄_M)' β_M           coefficients = x̄_M' (β_W − β_M)
  interaction  = (x̄_W − x̄_M)' (β_W − β_M)  (the threefold parts from the men's point of view)

with sex code 9 (not applicable) left out of the regressions and counted beside them. The C test
checks the same quantities against R 4.2.2 lm (tests/reference/analysis/oaxaca_cross_products.R);
those values are checked here too.
"""
import numpy as np
import pytest

import jamstat

ROWS = 3000


def microdata():
    """tests/c_api/cross_products_test.c, row_of(i), vectorised (all values are non-negative, so
    C's integer division is numpy's floor division)."""
    i = np.arange(ROWS, dtype=np.int64)
    sex = np.where(i % 61 == 60, 9, np.where(i % 2 == 0, 2, 1))
    region = i % 3 + 1
    hours_units = (i * 7919) % 4001 + 500
    cost = (i * 104729) % 3001 + 200
    noise = (i * 6007) % 501 - 250
    female = sex == 2
    income = (hours_units * np.where(female, 17, 23)) // 10 + cost // 4 + 150 * region + noise + np.where(female, 0, 800)
    work = ((i * 31) % 7 < 3 + (hours_units > 2500)).astype(np.uint8)
    return {"sex": sex.astype(np.uint8), "region": region.astype(np.int32), "work": work,
            "hours": hours_units / 100.0, "cost": cost.astype(np.float64), "income": income.astype(np.float64)}


def make_schema(cross_products=("income", "work", "cost", "hours")):
    b = (jamstat.SchemaBuilder()
         .dimension("region", {1: ("Norr", "North"), 2: ("Mitt", "Middle"), 3: ("Söder", "South")})
         .outcome("work", "I arbete", "In work")
         .measure("hours", unit="h", decimals=2, lowest=0, highest=100)
         .measure("cost", unit="SEK", decimals=0, lowest=0, highest=10000)
         .measure("income", unit="SEK", decimals=0, lowest=0, highest=100000))
    if cross_products is not None:
        b.cross_products(list(cross_products))
    with b:
        return b.build()


def aggregate(schema, reverse=False):
    """The microdata as one batch."""
    d = microdata()
    if reverse:
        d = {k: v[::-1].copy() for k, v in d.items()}
    agg = jamstat.Aggregator(schema)
    agg.add_batch(d)
    return agg


def ols_decomposition(y, numeric, dummies=()):
    """The reference (module docstring) on the microdata: y and the regressors by name."""
    d = microdata()
    keep = d["sex"] != 9
    female = (d["sex"][keep] == 2).astype(float)
    columns = [np.ones(keep.sum())] + [d[n][keep].astype(float) for n in numeric]
    for name, level in dummies:
        columns.append((d[name][keep] == level).astype(float))
    X = np.column_stack(columns)
    yy = d[y][keep].astype(float)
    w, m = female == 1, female == 0
    beta_w = np.linalg.lstsq(X[w], yy[w], rcond=None)[0]
    beta_m = np.linalg.lstsq(X[m], yy[m], rcond=None)[0]
    beta_pooled = np.linalg.lstsq(np.column_stack([X, female]), yy, rcond=None)[0][:-1]
    xw, xm = X[w].mean(axis=0), X[m].mean(axis=0)
    gap = yy[w].mean() - yy[m].mean()
    explained_terms = (xw - xm) * beta_pooled
    return {"gap": gap, "explained": explained_terms.sum(), "unexplained": gap - explained_terms.sum(),
            "endowments": (xw - xm) @ beta_m, "coefficients": xm @ (beta_w - beta_m),
            "interaction": (xw - xm) @ (beta_w - beta_m), "explained_terms": explained_terms,
            "women": int(w.sum()), "men": int(m.sum()), "other": int((d["sex"] == 9).sum())}


def test_the_set_round_trips_its_names():
    with make_schema() as s:
        assert s.cross_products == ("work", "hours", "cost", "income")  # field order, whatever order given
    with make_schema(None) as s:
        assert s.cross_products == ()
    with make_schema() as a, make_schema(("hours", "income", "cost", "work")) as b, make_schema(None) as plain:
        assert a.fingerprint == b.fingerprint and a.fingerprint != plain.fingerprint  # part of the fingerprint
    with make_schema(("hours", "cost")) as s:
        assert s.cross_products == ("hours", "cost")


def test_a_set_the_schema_cannot_keep_is_refused():
    b = jamstat.SchemaBuilder().dimension("region", {1: "Norr"}).numeric("hours").measure("cost", decimals=0)
    b.cross_products("hours", "cost")  # a floating measure: refused when built, named
    with pytest.raises(jamstat.InvalidSchemaError, match="hours"):
        b.build()
    b.cross_products(["region", "cost"])  # a dimension
    with pytest.raises(jamstat.InvalidSchemaError, match="region"):
        b.build()
    with pytest.raises(jamstat.InvalidArgumentError, match="at most 16"):
        b.cross_products(["cost"] * 17)
    b.cross_products()  # cleared
    with b.build() as s:
        assert s.cross_products == ()
    b.close()


@pytest.mark.parametrize("cross_products", [None, ("income", "work", "cost", "hours")])
def test_a_batch_equals_the_same_records_one_at_a_time(cross_products):
    # with and without a set: the columnar path of two or more decimal measures and no set is the
    # one fixed on main in fa410c0 (it crashed); each record on its own is the reference
    d = microdata()
    with make_schema(cross_products) as s, aggregate(s) as batch, jamstat.Aggregator(s) as one_by_one:
        for i in range(ROWS):
            one_by_one.add({k: v[i].item() for k, v in d.items()})
        assert batch.serialize() == one_by_one.serialize()
        with batch.rollup(["region"]) as t:
            assert sum(r["income_sum"] for r in t.to_records()) == pytest.approx(float(d["income"].sum()), rel=1e-15)


def test_states_serialize_and_deserialize_with_their_sums():
    with make_schema() as s, aggregate(s) as a, aggregate(s, reverse=True) as backwards:
        state = a.serialize()
        assert state == backwards.serialize()  # exact sums: independent of the order of the records
        with jamstat.Aggregator.deserialize(state) as back:
            assert back.schema.cross_products == ("work", "hours", "cost", "income")
            assert back.serialize() == state
            with back.oaxaca_numeric(["hours", "cost"], measure="income") as d1, \
                    a.oaxaca_numeric(["hours", "cost"], measure="income") as d2:
                assert d1.summary == d2.summary
        with make_schema(None) as plain, aggregate(plain) as without:
            assert len(without.serialize()) < len(state)  # the sums are a section of their own


@pytest.mark.parametrize("subject,numeric,dummies", [
    (("measure", "income"), ["hours", "cost"], []),
    (("measure", "income"), ["hours"], [("region", 2), ("region", 3)]),
    (("outcome", "work"), ["hours", "cost"], []),     # the linear probability model
    (("measure", "hours"), ["cost", "income"], []),
])
def test_the_decomposition_equals_least_squares_on_the_microdata(subject, numeric, dummies):
    kind, name = subject
    ref = ols_decomposition(name, numeric, dummies)
    characteristics = sorted({n for n, _ in dummies})
    with make_schema() as s, aggregate(s) as agg, \
            agg.oaxaca_numeric(numeric, characteristics, **{kind: name}) as d:
        assert isinstance(d, jamstat.Decomposition)
        assert (d.women_participations, d.men_participations, d.other_sex_participations) == (
            ref["women"], ref["men"], ref["other"])
        scale = max(1.0, abs(ref["gap"]))
        for part in ("gap", "explained", "unexplained", "endowments", "coefficients", "interaction"):
            assert getattr(d, part) == pytest.approx(ref[part], rel=1e-8, abs=1e-10 * scale), part
        assert d.gap_se > 0 and d.explained_se > 0
        terms = d.terms
        assert terms["characteristic"][0] == "(Intercept)" and list(terms["characteristic"][1:1 + len(numeric)]) == numeric
        if not dummies:  # one term per numeric characteristic: each against its own reference
            for k in range(1, 1 + len(numeric)):
                assert terms["explained_term"][k] == pytest.approx(ref["explained_terms"][k], rel=1e-8, abs=1e-12)


def test_the_values_r_gives():
    # tests/c_api/cross_products_test.c (R 4.2.2: lm(income ~ hours + cost) per group and the pooled
    # lm(income ~ hours + cost + female); tests/reference/analysis/oaxaca_cross_products.R)
    with make_schema() as s, aggregate(s) as agg, agg.oaxaca_numeric(["hours", "cost"], measure="income") as d:
        assert d.gap == pytest.approx(-2298.4490106104449, rel=1e-12)
        assert d.explained == pytest.approx(3.1904975264796742, rel=1e-9)
        assert d.unexplained == pytest.approx(-2301.6395081369246, rel=1e-9)
        assert d.endowments == pytest.approx(3.3793748680356561, rel=1e-9)
        assert d.coefficients == pytest.approx(-2301.4951746797528, rel=1e-9)
        assert d.interaction == pytest.approx(-0.33321079873025328, rel=1e-9)
        assert d.terms_records()[1]["explained_term"] == pytest.approx(1.265499413001878, rel=1e-9)


def test_bad_requests_say_what():
    with make_schema(None) as plain, aggregate(plain) as without:
        with pytest.raises(jamstat.InvalidArgumentError, match="cross-product"):
            without.oaxaca_numeric(["hours"], measure="income")
    with make_schema() as s, aggregate(s) as agg:
        with pytest.raises(jamstat.InvalidArgumentError, match="days"):
            agg.oaxaca_numeric(["days"], measure="income")
        with pytest.raises(ValueError, match="exactly one"):
            agg.oaxaca_numeric(["hours"])
        with pytest.raises(ValueError, match="reference must be one of"):
            agg.oaxaca_numeric(["hours"], measure="income", reference="neumark")
        with agg.oaxaca_numeric("hours", "region", measure="income", reference="men") as d:
            assert d.explained + d.unexplained == pytest.approx(d.gap, rel=1e-12)
