"""Batch add from numpy arrays, pandas columns and sequences: zero-copy where the dtype fits,
checked conversion where it does not, every bad row of a batch reported."""
import numpy as np
import pandas as pd
import pytest

import jamstat
from conftest import TEST_KEY


def batch(n=6):
    return {
        "sex": np.array([2, 2, 1, 1, 2, 1], dtype=np.uint8)[:n],
        "intervention": np.array([1, 2, 1, 2, 2, 1], dtype=np.uint8)[:n],
        "in_work": np.array([True, False, True, True, False, False])[:n],
        "hours": np.array([37.5, 120.25, 12.0, 80.5, 60.0, 8.75])[:n],
    }


def cells(agg, by=("intervention",)):
    with agg.rollup(list(by)) as t:
        return t.to_records(codes=True)


def same_state(a, b):
    assert a.serialize() == b.serialize()


def test_native_dtypes_are_passed_zero_copy(small_schema):
    with jamstat.Aggregator(small_schema) as agg:
        r = agg.add_batch(batch())
        assert r.copied_columns == [] and r.accepted == 6 and r.rejected == 0
        data = batch()
        data["sex"] = data["sex"].astype(np.int32)
        data["intervention"] = data["intervention"].astype(np.uint16)
        data["in_work"] = data["in_work"].astype(np.int32)
        data["hours"] = data["hours"].astype(np.float32)
        assert agg.add_batch(data).copied_columns == []
        assert agg.participations == 12


def test_the_buffer_passed_is_the_callers(small_schema, monkeypatch):
    # Zero-copy means the library reads the caller's memory: the address handed to C is the array's own.
    from jamstat import _columns
    seen = []
    real = _columns.prepare

    def spy(role, values, info, field, name):
        c = real(role, values, info, field, name)
        seen.append((name, c.address))
        return c

    monkeypatch.setattr(_columns, "prepare", spy)
    data = batch()
    with jamstat.Aggregator(small_schema) as agg:
        agg.add_batch(data)
    for name, address in seen:
        assert address == data[name].__array_interface__["data"][0], name


def test_int64_codes_and_other_dtypes_give_the_same_state(small_schema):
    with jamstat.Aggregator(small_schema) as ref, jamstat.Aggregator(small_schema) as agg:
        ref.add_batch(batch())
        d = batch()
        d["sex"] = d["sex"].astype(np.int64)                  # numpy's default integer
        d["intervention"] = d["intervention"].astype(np.float64)
        d["in_work"] = d["in_work"].astype(np.int64)
        d["hours"] = d["hours"].astype(np.float64)
        r = agg.add_batch(d)
        assert sorted(r.copied_columns) == ["in_work", "intervention", "sex"]
        same_state(ref, agg)


def test_codes_outside_int32_are_bad_rows_not_wrapped(small_schema):
    d = batch()
    d["intervention"] = d["intervention"].astype(np.int64)
    d["intervention"][3] = 2 ** 32 + 1   # would wrap to 1, a valid code, if truncated
    d["intervention"][5] = -(2 ** 40)
    with jamstat.Aggregator(small_schema) as agg:
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add_batch(d)
        assert agg.participations == 0  # all or nothing
        err = e.value
        assert [(r.row, r.field_name, r.reason_name) for r in err.rows] == [
            (3, "intervention", "code_unknown"), (5, "intervention", "code_unknown")]
        assert err.row == 3 and err.field == 1 and err.field_name == "intervention"
        assert err.reason == jamstat.REJECTED_CODE_UNKNOWN and err.reason_name == "code_unknown"
        assert "4294967297" in err.message and "32 bits" in err.message


def test_tally_counts_the_unrepresentable_values(small_schema):
    d = batch()
    d["sex"] = np.array([2, 2, 1, 2 ** 33, 2, 1], dtype=np.int64)
    with jamstat.Aggregator(small_schema, on_bad_record="tally") as agg:
        r = agg.add_batch(d)
        assert (r.accepted, r.rejected, r.error_count) == (5, 1, 1)
        assert r.rows[0].row == 3 and r.rows[0].reason_name == "sex_not_iso5218"
        assert "8589934592" in r.first_rejected_message
        assert agg.rejected("sex_not_iso5218", "sex") == 1 and agg.rejected() == 1


def test_nan_and_none_are_missing_codes(small_schema):
    d = batch()
    d["intervention"] = np.array([1, np.nan, 1, 2, 2, 1])
    with jamstat.Aggregator(small_schema, on_bad_record="tally") as agg:
        r = agg.add_batch(d)
        assert r.rows[0].row == 1 and r.rows[0].reason_name == "code_missing"
        d["intervention"] = [1, 2, None, 2, 2, 1]
        r = agg.add_batch(d)
        assert [x.row for x in r.rows] == [2] and r.rows[0].reason_name == "code_missing"
        d["intervention"] = [1, 2, 1.5, 2, 2, 1]
        r = agg.add_batch(d)
        assert r.rows[0].reason_name == "code_unknown" and "1.5" in r.first_rejected_message
        assert agg.rejected("code_missing", "intervention") == 2


def test_every_bad_row_of_a_batch_is_reported_at_once(small_schema):
    n = 5000
    rng = np.random.default_rng(5218)
    d = {"sex": rng.choice([1, 2], n).astype(np.uint8), "intervention": rng.choice([1, 2], n).astype(np.int32),
         "in_work": rng.integers(0, 2, n).astype(np.uint8), "hours": rng.uniform(0, 100, n)}
    bad_codes = np.sort(rng.choice(np.arange(100, n), 1500, replace=False))  # one error per row: the first bad field
    d["intervention"][bad_codes] = 7
    d["in_work"][[10, 20]] = 3
    d["hours"][30] = np.inf
    with jamstat.Aggregator(small_schema) as agg:
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add_batch(d)
        rows = e.value.rows
        expected = sorted(set(bad_codes.tolist()) | {10, 20, 30})
        assert len(rows) == e.value.error_count == len(expected)  # more than the first capacity: asked again
        assert sorted({r.row for r in rows}) == expected
        assert all(r.field_name == "intervention" for r in rows if r.row in set(bad_codes.tolist()))
        assert {(r.row, r.field_name, r.reason_name) for r in rows if r.row in (10, 20, 30)} >= {
            (10, "in_work", "outcome_not_binary"), (20, "in_work", "outcome_not_binary"), (30, "hours", "measure_not_finite")}
        assert agg.participations == 0
        cols = rows.arrays()
        assert cols["row"].tolist() == expected and len(cols["field"]) == len(expected)
        assert rows[-1].row == expected[-1] and [r.row for r in rows[:2]] == expected[:2]
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add_batch(d, max_row_errors=5)
        assert len(e.value.rows) == 5 and e.value.error_count > 5


def test_pandas_dataframe_with_nullable_and_categorical_columns(small_schema):
    df = pd.DataFrame(batch())
    with jamstat.Aggregator(small_schema) as ref:
        ref.add_batch(df)
        assert ref.participations == 6
        other = df.copy()
        other["sex"] = pd.Categorical.from_codes([0, 0, 1, 1, 0, 1], ["Kvinnor", "Män"])   # labels
        other["intervention"] = pd.array([1, 2, 1, 2, 2, 1], dtype="Int64")                # nullable
        other["in_work"] = pd.array([True, False, True, True, False, False], dtype="boolean")
        other["extra"] = "ignored"
        with jamstat.Aggregator(small_schema) as agg:
            agg.add_batch(other)
            same_state(ref, agg)
        other["intervention"] = pd.array([1, None, 1, 2, 2, 1], dtype="Int64")
        other["sex"] = pd.Categorical(["Women", "Women", "Men", "Men", None, "Men"])          # English labels
        with jamstat.Aggregator(small_schema, on_bad_record="tally") as agg:
            r = agg.add_batch(other)
            assert [(x.row, x.reason_name) for x in r.rows] == [(1, "code_missing"), (4, "sex_missing")]


def test_labels_are_codes(small_schema):
    d = batch()
    d["intervention"] = np.array(["Coachning", "Praktik", "Coaching", "Placement", "2", "1"])
    with jamstat.Aggregator(small_schema) as ref, jamstat.Aggregator(small_schema) as agg:
        ref.add_batch(batch())
        agg.add_batch(d)
        same_state(ref, agg)
        d["intervention"][4] = "Praktikk"
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add_batch(d)
        assert e.value.row == 4 and "'Praktikk'" in e.value.message and "intervention" in e.value.message


def test_measures_decimal_and_floating():
    with jamstat.SchemaBuilder() as b:
        s = b.outcome("in_work").measure("hours", unit="h", decimals=2, lowest=0, highest=1000).build()
    with s, jamstat.Aggregator(s) as a, jamstat.Aggregator(s) as b2, jamstat.Aggregator(s) as c:
        sex = np.array([2, 1, 2], dtype=np.uint8)
        out = np.array([1, 0, 1], dtype=np.uint8)
        a.add_batch(sex=sex, in_work=out, hours=np.array([265.54, 1.0, 0.25]))                     # float64 hours
        b2.add_batch(sex=sex, in_work=out, hours=jamstat.GridUnits(np.array([26554, 100, 25])))    # grid units
        r = c.add_batch(sex=sex, in_work=out, hours=jamstat.GridUnits([26554, 100, 25]))
        same_state(a, b2)
        same_state(a, c)
        with jamstat.Aggregator(s) as d:  # whole hours as integers: exact grid units
            d.add_batch(sex=sex, in_work=out, hours=np.array([265, 1, 0]))
            with d.total() as t:
                assert t.to_records()[0]["hours_sum"] == 266.0
        with pytest.raises(jamstat.BadRecordError) as e:
            a.add_batch(sex=sex, in_work=out, hours=np.array([1.0, 2.005, 3.0]))
        assert e.value.rows[0].reason_name == "measure_off_resolution" and e.value.row == 1
        with pytest.raises(jamstat.BadRecordError) as e:
            a.add_batch(sex=sex, in_work=out, hours=pd.array([1.0, None, 1001.0], dtype="Float64"))
        assert [(r.row, r.reason_name) for r in e.value.rows] == [(1, "measure_not_finite"), (2, "measure_out_of_range")]
        assert r.copied_columns == ["hours"]


def test_person_ids_hash_the_same_whatever_their_column_type(small_schema):
    ids = np.array([17, 18, 17, 2 ** 40, 18, 5], dtype=np.int64)
    kinds = [ids.astype(np.uint64), ids, pd.array(ids, dtype="Int64"), list(map(int, ids)),
             np.array(list(map(int, ids)), dtype=object)]
    states = []
    for pid in kinds:
        with jamstat.Aggregator(small_schema, person_key=TEST_KEY) as agg:
            agg.add_batch(batch(), person_id=pid)
            states.append(agg.serialize())
            with agg.total() as t:
                assert t.to_records()[0]["persons"] == 4
    assert all(s == states[0] for s in states)
    # u32 ids equal u64 ids of the same value, and a single record with the same int id is the same
    # person: row 5 (a man in Coachning, like row 2) has id 17, as row 2 has.
    small = np.array([17, 18, 17, 19, 18, 17], dtype=np.uint32)
    with jamstat.Aggregator(small_schema, person_key=TEST_KEY) as a, \
            jamstat.Aggregator(small_schema, person_key=TEST_KEY) as b:
        r = a.add_batch(batch(), person_id=small)
        assert r.copied_columns == []
        b.add_batch(batch(5), person_id=small.astype(np.uint64)[:5])
        b.add(sex=1, intervention=1, in_work=0, hours=8.75, person_id=17)
        # (floating sums may differ in their last bits between the batch and record paths: compare counts)
        counts = lambda agg: [(x["sex"], x["intervention"], x["persons"], x["participations"]) for x in cells(agg)]
        assert counts(a) == counts(b)
        assert ("Män", "Coachning", 1, 2) in counts(b)
        with a.total() as ta, b.total() as tb:
            assert ta.to_records()[0]["persons"] == tb.to_records()[0]["persons"] == 3


def test_person_id_text_and_missing(small_schema):
    with jamstat.Aggregator(small_schema, person_key=TEST_KEY, on_bad_record="tally") as a, \
            jamstat.Aggregator(small_schema, person_key=TEST_KEY) as b:
        r = a.add_batch(batch(), person_id=["p-1", "p-2", None, "p-1", "", "Märta"])
        assert [(x.row, x.reason_name) for x in r.rows] == [(2, "person_id_missing"), (4, "person_id_missing")]
        rec = batch()
        for i in (0, 1, 3, 5):
            b.add(sex=int(rec["sex"][i]), intervention=int(rec["intervention"][i]), in_work=bool(rec["in_work"][i]),
                  hours=float(rec["hours"][i]), person_id=["p-1", "p-2", None, "p-1", "", "Märta".encode()][i])
        assert a.participations == b.participations == 4
        with a.total() as ta, b.total() as tb:
            assert ta.to_records()[0]["persons"] == tb.to_records()[0]["persons"] == 3
        # an id column without persons counted, and a bool column, are refused
    with jamstat.Aggregator(small_schema) as c:
        with pytest.raises(ValueError, match="does not count persons"):
            c.add_batch(dict(batch(), person_id=np.arange(6)))
    with jamstat.Aggregator(small_schema, person_key=TEST_KEY) as c:
        with pytest.raises(TypeError):
            c.add_batch(batch(), person_id=np.ones(6, dtype=bool))


def test_shape_errors_are_python_errors(small_schema):
    with jamstat.Aggregator(small_schema) as agg:
        d = batch()
        d["hours"] = d["hours"][:5]
        with pytest.raises(ValueError, match="differ in length"):
            agg.add_batch(d)
        d = batch()
        del d["in_work"]
        with pytest.raises(KeyError, match="in_work"):
            agg.add_batch(d)
        with pytest.raises(ValueError, match="one-dimensional"):
            agg.add_batch(dict(batch(), hours=np.zeros((6, 2))))
        # the C ABI's own length check is the last line of defence
        cols = (jamstat._abi.jamstat_array * 4)()
        arr = np.zeros(3, dtype=np.int32)
        for c in cols:
            c.type, c.data, c.length = jamstat.COLUMN_I32, arr.ctypes.data, 3
        cols[3].type = jamstat.COLUMN_F64
        with pytest.raises(jamstat.InvalidArgumentError) as e:
            jamstat.library().jamstat_aggregator_add_arrays(agg._ptr(), 10, cols, 4, None)
        assert e.value.status == jamstat.ERROR_INVALID_ARGUMENT


def test_non_contiguous_and_byte_swapped_arrays_are_copied(small_schema):
    with jamstat.Aggregator(small_schema) as ref, jamstat.Aggregator(small_schema) as agg:
        ref.add_batch(batch())
        d = batch()
        wide = np.zeros(12, dtype=np.int32)
        wide[::2] = d["intervention"]
        d["intervention"] = wide[::2]
        d["hours"] = d["hours"].astype(">f8")
        r = agg.add_batch(d)
        assert sorted(r.copied_columns) == ["hours", "intervention"]
        same_state(ref, agg)


def test_structured_arrays_and_renamed_columns(small_schema):
    rec = np.zeros(6, dtype=[("kon", "u1"), ("intervention", "i4"), ("in_work", "u1"), ("hours", "f8")])
    for name, src in (("kon", "sex"), ("intervention", "intervention"), ("in_work", "in_work"), ("hours", "hours")):
        rec[name] = batch()[src]
    with jamstat.Aggregator(small_schema) as ref, jamstat.Aggregator(small_schema) as agg:
        ref.add_batch(batch())
        agg.add_batch(rec, rename={"sex": "kon"})
        same_state(ref, agg)


def test_decimal_measure_from_float64_without_outcomes():
    # a schema shape without a scatter of its own (fixed on main in fa410c0: it wrote past its
    # scratch); the same records one at a time are the reference
    with jamstat.SchemaBuilder() as b:
        s = b.measure("hours", decimals=2, lowest=0, highest=1000).measure("cost", decimals=0, lowest=0, highest=1e6).build()
    hours, cost, sex = [265.54, 1.0, 0.25] * 20, [10.0, 2.0, 7.0] * 20, [2, 1, 2] * 20
    with s, jamstat.Aggregator(s) as a, jamstat.Aggregator(s) as ref:
        a.add_batch(sex=np.array(sex, np.uint8), hours=np.array(hours), cost=np.array(cost))
        for x, y, z in zip(sex, hours, cost):
            ref.add(sex=x, hours=y, cost=z)
        same_state(ref, a)
        with a.total() as t:
            assert t.to_records()[0]["hours_sum"] == pytest.approx(20 * 266.79, rel=1e-14)


def test_integer_codes_are_narrowed_to_the_smallest_column_type():
    from jamstat import _columns
    with jamstat.SchemaBuilder() as b:
        s = b.dimension("region", [(0, "a"), (300, "b"), (70000, "c")]).outcome("o").build()
    with s:
        d = s.dimension("region")
        cases = [(np.array([0, 200, 255]), jamstat.COLUMN_U8), (np.array([0, 300, 255]), jamstat.COLUMN_U16),
                 (np.array([0, 300, 70000]), jamstat.COLUMN_I32), (np.array([-1, 300, 0]), jamstat.COLUMN_I32),
                 (np.array([0, 2 ** 40, 70000]), jamstat.COLUMN_I32)]
        for values, ctype in cases:
            c = _columns.prepare("code", values, d, 1, "region")
            assert c.type == ctype and c.copied, values
        assert _columns.prepare("outcome", np.array([0, 1, 1]), None, 2, "o").type == jamstat.COLUMN_U8
        assert _columns.prepare("outcome", np.array([0, 1, 300]), None, 2, "o").type == jamstat.COLUMN_I32
        with jamstat.Aggregator(s, on_bad_record="tally") as agg:
            r = agg.add_batch(sex=np.array([2, 2, 1, 1]), region=np.array([70000, 300, 2 ** 40, -1]),
                              o=np.array([1, 0, 1, 1]))
            assert [(x.row, x.reason_name) for x in r.rows] == [(2, "code_unknown"), (3, "code_missing")]
            with agg.rollup(["region"], keep_sex=False) as t:
                assert [(x["region_code"], x["participations"]) for x in t.to_records(codes=True)] == [(300, 1), (70000, 1)]


def test_a_batch_of_only_bad_rows_lists_them_without_a_python_object_each(small_schema):
    n = 300000
    with jamstat.Aggregator(small_schema) as agg:
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add_batch(sex=np.full(n, 3, np.uint8), intervention=np.ones(n, np.uint8),
                          in_work=np.zeros(n, np.uint8), hours=np.ones(n))
        rows = e.value.rows
        assert len(rows) == e.value.error_count == n
        assert isinstance(rows, jamstat.RowErrors)
        a = rows.arrays()
        assert (a["row"] == np.arange(n)).all() and (a["reason"] == jamstat.REJECTED_SEX_NOT_ISO5218).all()
        assert rows[n - 1] == jamstat.RowError(n - 1, 0, "sex", jamstat.REJECTED_SEX_NOT_ISO5218, "sex_not_iso5218")


def test_narrowing_widens_block_by_block(monkeypatch):
    from jamstat import _columns
    monkeypatch.setattr(_columns, "NARROW_BLOCK", 4)
    values = np.array([1, 2, 3, 4, 5, 6, 7, 300, 9, 10, 11, 70000, 13, 14, 15, 16, 17], dtype=np.int64)
    out, ctype, rows = _columns._narrow_ints(values)
    assert ctype == jamstat.COLUMN_I32 and out.dtype == np.int32 and (out == values).all() and rows.size == 0
    out, ctype, _ = _columns._narrow_ints(values[:8])
    assert ctype == jamstat.COLUMN_U16 and (out == values[:8]).all()
    out, ctype, _ = _columns._narrow_ints(values[:8], allow_u16=False)
    assert ctype == jamstat.COLUMN_I32 and (out == values[:8]).all()
    out, ctype, _ = _columns._narrow_ints(values[:7])
    assert ctype == jamstat.COLUMN_U8 and (out == values[:7]).all()
    big = values.copy()
    big[13] = 2 ** 35
    out, ctype, rows = _columns._narrow_ints(big)
    assert ctype == jamstat.COLUMN_I32 and rows.tolist() == [13] and out[13] == _columns.NO_LEVEL
    assert (np.delete(out, 13) == np.delete(values, 13)).all()
    out, ctype, rows = _columns._narrow_ints(np.zeros(0, np.int64))
    assert len(out) == 0
