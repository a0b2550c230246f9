"""Person-free states: Aggregator.state_form and Aggregator.person_free (docs/state-format.md,
"Person-free states").

What is checked is the binding's contract over the C calls: the form of each kind of state; the
distinct persons of a person-free copy's frozen groupings equal the original's (exact distinct counts
from the hashes, the truth here by construction: persons visit several interventions, so persons by
sex are not the sum over interventions); a grouping not frozen has no persons (None); the form
survives serialize/deserialize; adds and merges are refused with the library's InvalidArgumentError;
and protected tables of the copy equal the original's for the same groupings.
"""
import pytest

import jamstat
from conftest import TEST_KEY

np = pytest.importorskip("numpy")

GROUPINGS = [["sex", "intervention"], ["intervention"], ["sex"], []]


def records():
    """60 participations of 30 persons: person p has sex 2 for even p, 1 for odd p (p % 7 == 6: 9,
    not applicable), and takes part in intervention 1, and in 2 when p % 3 != 0."""
    sex, iv, pid, work, hours = [], [], [], [], []
    for p in range(30):
        s = 9 if p % 7 == 6 else (2 if p % 2 == 0 else 1)
        for i in ([1, 2] if p % 3 else [1]):
            sex.append(s)
            iv.append(i)
            pid.append(1000 + p)
            work.append(int((p + i) % 4 == 0))
            hours.append(1.5 * p + i)
    return {"sex": np.array(sex, dtype=np.uint8), "intervention": np.array(iv, dtype=np.int32),
            "in_work": np.array(work, dtype=np.uint8), "hours": np.array(hours), "person_id": np.array(pid, dtype=np.uint32)}


@pytest.fixture
def agg(small_schema):
    a = jamstat.Aggregator(small_schema, person_key=TEST_KEY)
    a.add_batch(records())
    yield a
    a.close()


def persons_by(agg, by):
    with agg.rollup(by, keep_sex=False) as t:
        return {tuple(r[d] for d in by): r.get("persons") for r in t.to_records()}


def test_the_form_of_each_kind(small_schema, agg):
    with jamstat.Aggregator(small_schema) as plain:
        assert plain.state_form == jamstat.StateForm.PARTICIPATIONS_ONLY
    assert agg.state_form is jamstat.StateForm.PSEUDONYMISED
    with agg.person_free() as pf:
        assert pf.state_form == jamstat.StateForm.PERSON_FREE == jamstat.STATE_PERSON_FREE
        assert isinstance(pf, jamstat.Aggregator) and pf is not agg
    assert agg.state_form == jamstat.StateForm.PSEUDONYMISED  # the original is left as it was
    assert [f.name for f in jamstat.StateForm] == ["PARTICIPATIONS_ONLY", "PSEUDONYMISED", "PERSON_FREE"]


def test_persons_of_frozen_groupings_equal_the_originals(agg):
    by_sex = persons_by(agg, ["sex"])
    # the truth by construction: 30 persons, 13 women (even, not p % 7 == 6), 13 men, 4 not applicable
    assert by_sex == {("Kvinnor",): 13, ("Män",): 13, ("Ej tillämpligt",): 4}
    by_cell = persons_by(agg, ["sex", "intervention"])
    assert sum(by_cell.values()) > sum(by_sex.values())  # persons do not add up across interventions
    with agg.person_free() as pf:  # every grouping frozen
        for by in (["sex"], ["sex", "intervention"], ["intervention"], []):
            assert persons_by(pf, by) == persons_by(agg, by), by
        with pf.total() as t, agg.total() as u:
            assert t.to_records() == u.to_records()
        with pf.rollup(["intervention"]) as t, agg.rollup(["intervention"]) as u:
            assert t.to_records() == u.to_records()  # counts, outcomes, measures too
    with agg.person_free([["sex"]]) as pf:
        assert persons_by(pf, ["sex"]) == by_sex
        assert persons_by(pf, ["sex", "intervention"]) == by_cell  # the finest is always frozen
    with agg.person_free(["sex"]) as pf:  # one grouping given alone, as protected_tables takes it
        assert persons_by(pf, ["sex"]) == by_sex


def test_a_grouping_not_frozen_has_no_persons(agg):
    with agg.person_free([["sex", "intervention"]]) as pf:
        with pf.rollup([]) as t:  # by sex: not frozen
            cols = t.columns()
            assert cols["persons"] is None
            assert all("persons" not in r for r in t.to_records())
            assert [r["participations"] for r in t.to_records()] == [r["participations"] for r in agg.rollup([]).to_records()]
        assert persons_by(pf, []) == {(): None}
        assert persons_by(pf, ["sex", "intervention"]) == persons_by(agg, ["sex", "intervention"])
    with agg.person_free([]) as pf:  # [] freezes only the finest (None freezes all)
        assert persons_by(pf, ["sex"]) == {("Kvinnor",): None, ("Män",): None, ("Ej tillämpligt",): None}
        assert persons_by(pf, ["sex", "intervention"]) == persons_by(agg, ["sex", "intervention"])


def test_groupings_by_mask_and_bad_groupings(agg):
    with agg.person_free([1, 0]) as pf:  # masks: sex, the total
        assert persons_by(pf, ["sex"]) == persons_by(agg, ["sex"])
        assert persons_by(pf, ["intervention"]) == {("Coachning",): None, ("Praktik",): None}
    with pytest.raises(jamstat.InvalidArgumentError, match="twice"):
        agg.person_free([["intervention"], 2])
    with pytest.raises(jamstat.InvalidArgumentError):
        agg.person_free([1 << 5])  # no dimension 5
    with pytest.raises(KeyError):
        agg.person_free([["region"]])
    with pytest.raises(ValueError, match="twice"):
        agg.person_free([["sex", "sex"]])


def test_only_a_pseudonymised_state_has_a_person_free_copy(small_schema, agg):
    with jamstat.Aggregator(small_schema) as plain:
        with pytest.raises(jamstat.InvalidArgumentError, match="does not count persons"):
            plain.person_free()
    with agg.person_free() as pf:
        with pytest.raises(jamstat.InvalidArgumentError, match="person-free already"):
            pf.person_free()


def test_serialize_and_deserialize_keep_the_form(agg):
    with agg.person_free([["sex"], ["intervention"]]) as pf:
        state = pf.serialize()
        assert len(state) == pf.serialized_size
        assert len(state) < len(agg.serialize())  # no person hashes
        with jamstat.Aggregator.deserialize(state) as back:
            assert back.state_form == jamstat.StateForm.PERSON_FREE
            assert back.serialize() == state
            for by in (["sex"], ["intervention"], ["sex", "intervention"], []):
                assert persons_by(back, by) == persons_by(pf, by)
        with pytest.raises(jamstat.InvalidArgumentError, match="person-free"):
            jamstat.Aggregator.deserialize(state, person_key=TEST_KEY)  # no hashes to add to


def test_adding_and_merging_are_refused(small_schema, agg):
    with agg.person_free() as pf:
        before = pf.serialize()
        with pytest.raises(jamstat.InvalidArgumentError, match="person-free"):
            pf.add(sex=2, intervention=1, in_work=1, hours=1.0)
        with pytest.raises(jamstat.InvalidArgumentError, match="person-free"):
            pf.add(sex=2, intervention=1, in_work=1, hours=1.0, person_id=7)
        with pytest.raises(jamstat.InvalidArgumentError, match="person-free"):
            pf.add_batch({k: v for k, v in records().items() if k != "person_id"})
        with pytest.raises(jamstat.InvalidArgumentError, match="person-free"):
            pf.add_anonymous(2, 3)
        with pytest.raises(jamstat.InvalidArgumentError, match="merge"):
            agg.merge(pf)
        with pytest.raises(jamstat.InvalidArgumentError, match="merge"):
            pf.merge(agg)
        with jamstat.Aggregator.deserialize(pf.serialize()) as other:
            with pytest.raises(jamstat.InvalidArgumentError, match="merge"):
                pf.merge(other)
        with pytest.raises(jamstat.InvalidArgumentError):
            jamstat.merge(pf, agg)
        assert pf.serialize() == before  # unchanged


def test_protected_tables_equal_the_originals(agg):
    with agg.person_free(GROUPINGS) as pf:
        for options in ({}, {"frequency_threshold": 3}, {"cost": "cells"}):
            with agg.protected_tables(GROUPINGS, **options) as p, pf.protected_tables(GROUPINGS, **options) as q:
                assert p.summary()["primary_cells"] > 0  # something to protect
                for g in range(len(GROUPINGS)):
                    assert q.records(g) == p.records(g), (options, g)
                assert q.summary()["primary_cells"] == p.summary()["primary_cells"]
                assert q.summary()["secondary_cells"] == p.summary()["secondary_cells"]
        # The cell key method keys a cell by its persons' hashes when the state has them; a
        # person-free state has none, so its noise is that of the original protected from counts.
        cell_key = {"method": "cell_key", "cell_key_secret": bytes(range(100, 116))}
        with agg.protected_tables(GROUPINGS, persons="from_counts", **cell_key) as p, \
                pf.protected_tables(GROUPINGS, **cell_key) as q:
            for g in range(len(GROUPINGS)):
                assert q.records(g) == p.records(g), g
    with agg.person_free([["sex", "intervention"]]) as pf:
        with pytest.raises(jamstat.InvalidArgumentError, match="did not freeze"):
            pf.protected_tables([["sex"]])
