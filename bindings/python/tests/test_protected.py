"""Disclosure control through the binding: protected tables, their summary and audit.

The values checked here are not reference values of a method (those are tested in C++ against
SciPy's linprog, tests/disclosure); they are the binding's contract: what the C columns hold reaches
Python unchanged, suppressed values never appear, published values equal the unprotected
roll-up (cell suppression publishes true values), the audit's intervals hold the true values, and
the cell key method's noise does not depend on the order in which partners' states were merged.
"""
import pytest

import jamstat
from conftest import TEST_KEY

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

SECRET = bytes(range(100, 116))
GROUPINGS = [["sex", "intervention"], ["intervention"], ["sex"], []]


def small_state(schema, first_person=0, sizes=((2, 1, 12), (2, 2, 9), (1, 1, 10), (1, 2, 3))):
    """An aggregator with (sex, intervention, persons) cells: Män x Praktik has 3 persons."""
    agg = jamstat.Aggregator(schema, person_key=TEST_KEY)
    sex, iv, pid = [], [], []
    p = first_person
    for s, i, n in sizes:
        sex += [s] * n
        iv += [i] * n
        pid += list(range(p, p + n))
        p += n
    n = len(sex)
    agg.add_batch({"sex": np.array(sex, dtype=np.uint8), "intervention": np.array(iv, dtype=np.int32),
                   "in_work": (np.arange(n) % 3 == 0), "hours": 10.0 + np.arange(n, dtype=np.float64),
                   "person_id": np.array(pid, dtype=np.uint32)})
    return agg


@pytest.fixture
def agg(small_schema):
    a = small_state(small_schema)
    yield a
    a.close()


def true_cells(agg, by):
    """The unprotected roll-up, keyed by level labels (internal use)."""
    with agg.rollup(by, keep_sex=False) as t:
        return {tuple(r[d] for d in by): r for r in t.to_records()}


def test_small_cells_suppressed_and_published_values_true(agg):
    with agg.protected_tables(GROUPINGS) as p:
        assert len(p) == 4 and p.method == "cell_suppression" and p.note == ""
        assert p.grouping(0) == ["sex", "intervention"] and p.grouping(3) == []
        recs = {(r["sex"], r["intervention"]): r for r in p.records(0, skip_empty=True)}
        assert list(recs) == [("Kvinnor", "Coachning"), ("Kvinnor", "Praktik"), ("Män", "Coachning"), ("Män", "Praktik")]
        small = recs[("Män", "Praktik")]
        assert small["status"] == "primary"
        assert small["persons"] is None and small["participations"] is None and small["in_work"] is None
        assert small["hours_sum"] is None
        # one suppressed cell in a row of a published marginal would be recomputable: secondary ones
        secondary = [k for k, r in recs.items() if r["status"] == "secondary"]
        assert secondary, "primary suppression alone leaks through the marginals"
        truth = true_cells(agg, ["sex", "intervention"])
        for key, r in recs.items():
            if r["status"] == "published":
                assert r["persons"] == truth[key]["persons"]
                assert r["participations"] == truth[key]["participations"]
                assert r["in_work"] == truth[key]["in_work"]
                assert r["hours_sum"] == pytest.approx(truth[key]["hours_sum"])
            else:
                assert r["persons"] is None and r["in_work"] is None
        s = p.summary()
        assert s["primary_cells"] == 1 and s["primary_persons"] == 3
        assert s["secondary_cells"] == len(secondary) and s["under_protected"] == 0
        assert s["grouping_count"] == 4 and s["persons_counted"] == 1


def test_totals_equal_the_rollup(agg):
    with agg.protected_tables(GROUPINGS) as p, agg.total() as total:
        (t,) = p.records(3)
        assert t["status"] == "published"
        truth = total.to_records()[0]
        assert t["persons"] == truth["persons"] == 34
        assert t["participations"] == truth["participations"]
        assert t["in_work"] == truth["in_work"]
        assert t["hours_sum"] == pytest.approx(truth["hours_sum"])
        by_sex = true_cells(agg, ["sex"])
        for r in p.records(2, skip_empty=True):
            if r["status"] == "published":
                assert r["persons"] == by_sex[(r["sex"],)]["persons"]


def test_dataframe_matches_records_and_prints_dots(agg):
    with agg.protected_tables(GROUPINGS) as p:
        df = p.table(0, skip_empty=True)
        recs = p.records(0, skip_empty=True)
        assert list(df["sex"]) == [r["sex"] for r in recs]
        assert str(df["persons"].dtype) == "UInt64"
        for value, r in zip(df["persons"], recs):
            assert (value is pd.NA) == (r["persons"] is None)
            if r["persons"] is not None:
                assert value == r["persons"]
        text = p.to_string(0, ["status", "persons"])
        assert ".." in text and "primary" in text
        en = p.records(0, language="en", codes=True, skip_empty=True)
        assert en[0]["sex"] == "Women" and en[0]["sex_code"] == 2 and en[0]["intervention_code"] == 1
        # all cells by default, empty ones (sex not known, not applicable) published as 0
        all_cells = p.records(0)
        assert len(all_cells) == 8
        assert all(r["persons"] == 0 for r in all_cells[4:])


def test_audit_intervals_contain_true_values(agg):
    with agg.protected_tables(GROUPINGS) as p:
        rows = p.audit_records()
        assert rows and len(rows) == p.summary()["audit_rows"]
        truth = true_cells(agg, ["sex", "intervention"])
        suppressed = {r["cell"] for r in p.records(0) if r["status"] in ("primary", "secondary")}
        audited = set()
        for a in rows:
            assert a["lower"] <= a["value"] + 1e-9 and a["value"] <= a["upper"] + 1e-9
            assert a["protected_enough"] is True
            assert a["quantity"] in jamstat.AUDIT_QUANTITIES.values()
            if a["grouping"] == 0:
                audited.add(a["cell"])
                rec = next(r for r in p.records(0) if r["cell"] == a["cell"])
                key = (rec["sex"], rec["intervention"])
                if a["quantity"] == "persons":
                    assert a["value"] == truth[key]["persons"]
                    if rec["status"] == "primary":  # the attacker cannot pin it to within 1..4
                        assert a["upper"] - a["lower"] >= 2
        assert suppressed <= audited
        df = p.audit()
        assert len(df) == len(rows) and list(df["value"]) == [a["value"] for a in rows]


def test_cell_key_identical_for_merges_in_either_order(small_schema):
    a = small_state(small_schema, 0, ((2, 1, 7), (1, 2, 2), (2, 2, 4)))
    b = small_state(small_schema, 5, ((2, 1, 6), (1, 1, 8), (1, 2, 3)))  # persons 5, 6 in both
    ab = jamstat.Aggregator.deserialize(a.serialize(), person_key=TEST_KEY)
    ab.merge(b)
    ba = jamstat.Aggregator.deserialize(b.serialize(), person_key=TEST_KEY)
    ba.merge(a)
    options = dict(method="cell_key", cell_key_secret=SECRET)
    with ab.protected_tables(GROUPINGS, **options) as p, ba.protected_tables(GROUPINGS, **options) as q:
        assert p.method == "cell_key" and "parts need not add up" in p.note
        for g in range(len(GROUPINGS)):
            assert p.records(g) == q.records(g)
        statuses = {r["status"] for r in p.records(0, skip_empty=True)}
        assert statuses == {"perturbed"}
        assert p.summary()["keys_from_persons"] == 1
        assert p.audit_records() == []
        assert "parts need not add up" in p.to_string(3)
    # another secret gives other noise somewhere (the keys depend on it)
    with ab.protected_tables(GROUPINGS, method="cell_key", cell_key_secret=bytes(16 * [7])) as r, \
            ab.protected_tables(GROUPINGS, **options) as p:
        assert any(r.records(g) != p.records(g) for g in range(len(GROUPINGS)))
    for x in (a, b, ab, ba):
        x.close()


def test_options_are_passed(agg):
    with agg.protected_tables(GROUPINGS, frequency_threshold=2) as p:
        assert p.summary()["primary_cells"] == 0  # no cell has 1 person
    with agg.protected_tables([["sex", "intervention"]], frequency_threshold=11, group_threshold=0) as p:
        recs = {(r["sex"], r["intervention"]): r for r in p.records(0, skip_empty=True)}
        assert recs[("Kvinnor", "Praktik")]["status"] == "primary"    # 9 persons < 11
        assert recs[("Kvinnor", "Coachning")]["persons"] is None or recs[("Kvinnor", "Coachning")]["persons"] == 12
    with agg.protected_tables([3, 0], cost="cells", dominance="nk", nk_n=1, nk_k=90.0) as p:
        assert p.grouping(0) == ["sex", "intervention"] and p.grouping(1) == []


def test_bad_options_raise_with_the_c_message(agg):
    with pytest.raises(jamstat.InvalidArgumentError) as e:
        agg.protected_tables(GROUPINGS, frequency_threshold=0)
    assert "frequency_threshold" in e.value.message and e.value.status == jamstat.ERROR_INVALID_ARGUMENT
    assert str(e.value.message) in str(e.value)
    with pytest.raises(jamstat.InvalidArgumentError) as e:
        agg.protected_tables(GROUPINGS, method="cell_key")  # no secret: all zero is refused
    assert "secret" in e.value.message
    with pytest.raises(jamstat.InvalidArgumentError) as e:
        agg.protected_tables(GROUPINGS, method="cell_key", cell_key_secret=SECRET, ptable_variance=100.0)
    assert "variance" in e.value.message  # the C message says "ptable_parameters.variance (V)"
    with pytest.raises(jamstat.InvalidArgumentError) as e:
        agg.protected_tables([1 << 10])  # no dimension 10
    assert e.value.message
    with pytest.raises(ValueError):
        agg.protected_tables(GROUPINGS, method="noise")
    with pytest.raises(ValueError):
        agg.protected_tables(GROUPINGS, cell_key_secret=b"short")
    with pytest.raises(TypeError):
        agg.protected_tables(GROUPINGS, threshold=3)
    with pytest.raises(KeyError):
        agg.protected_tables([["region"]])


def test_outlives_aggregator_and_closes(small_schema):
    a = small_state(small_schema)
    p = a.protected_tables(GROUPINGS)
    a.close()
    assert p.records(3)[0]["persons"] == 34
    p.close()
    p.close()
    with pytest.raises(ValueError, match="closed"):
        p.summary()
    with pytest.raises(TypeError):
        import copy
        copy.copy(p)
