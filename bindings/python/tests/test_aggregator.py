"""Aggregators: single records, errors as exceptions, policies, anonymous participants, merge,
state I/O, tables and cubes, threads."""
import os
import threading

import numpy as np
import pytest

import jamstat
from conftest import TEST_KEY


def rec(**kw):
    r = dict(sex=2, intervention=1, in_work=1, hours=37.5)
    r.update(kw)
    return r


def test_single_records_and_their_errors(small_schema):
    with jamstat.Aggregator(small_schema) as agg:
        assert agg.add(rec()) is True
        assert agg.add(sex="Män", intervention="Praktik", in_work=False, hours=3) is True  # labels are codes
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add(rec(intervention=3))
        err = e.value
        assert err.status == jamstat.ERROR_BAD_RECORD and err.status_name == "JAMSTAT_ERROR_BAD_RECORD"
        assert err.row == 0 and err.field == 1 and err.field_name == "intervention"
        assert err.reason == jamstat.REJECTED_CODE_UNKNOWN and err.reason_name == "code_unknown"
        assert "code 3 is not a level" in err.message and "expected one of 1, 2" in err.message
        assert str(err).endswith("[JAMSTAT_ERROR_BAD_RECORD]")
        assert isinstance(err, ValueError) and isinstance(err, jamstat.JamstatError)
        assert err.function == "jamstat_aggregator_add"
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add(rec(sex=None))
        assert e.value.reason_name == "sex_missing" and e.value.field_name == "sex"
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add(rec(sex=3))
        assert e.value.reason_name == "sex_not_iso5218"
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add(rec(hours=float("nan")))
        assert e.value.reason_name == "measure_not_finite" and e.value.field_name == "hours"
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add(rec(in_work=2))
        assert e.value.reason_name == "outcome_not_binary" and e.value.field_name == "in_work"
        with pytest.raises(jamstat.InvalidArgumentError, match="does not count persons"):
            agg.add(rec(person_id="p-1"))  # persons are not counted: an id is an error, never ignored
        with pytest.raises(KeyError, match="hours"):
            agg.add(sex=2, intervention=1, in_work=1)
        with pytest.raises(KeyError, match="'hour'"):
            agg.add(rec(hour=2))
        assert agg.participations == 2
        # a successful call clears the thread's last error
        agg.add(rec())
        assert jamstat.library().jamstat_last_error_status() == jamstat.OK


def test_tally_policy_counts_bad_records(small_schema):
    with jamstat.Aggregator(small_schema, on_bad_record="tally") as agg:
        assert agg.add(rec(intervention=3)) is False
        assert agg.add(rec(sex=None)) is False
        assert agg.add(rec()) is True
        agg.add_anonymous(7, 4)  # not ISO/IEC 5218: tallied as 4 rejected records
        assert agg.rejected() == 6
        assert agg.rejected("code_unknown") == 1 and agg.rejected(field="sex") == 5
        assert agg.rejected(jamstat.REJECTED_SEX_NOT_ISO5218, 0) == 4
        assert agg.rejections() == [("sex_missing", "sex", 1), ("sex_not_iso5218", "sex", 4),
                                    ("code_unknown", "intervention", 1)]
        with pytest.raises(ValueError, match="unknown rejection reason"):
            agg.rejected("nope")


def test_anonymous_participants_count_in_the_total(small_schema):
    with jamstat.Aggregator(small_schema) as agg:
        agg.add(rec())
        agg.add_anonymous(jamstat.SEX_FEMALE, 3).add_anonymous("Män", 2)
        with pytest.raises(jamstat.BadRecordError):
            agg.add_anonymous(5, 1)
        with agg.total() as t:
            r = t.to_records()[0]
            assert r["participations"] == 1 and r["anonymous_participants"] == 5
        with agg.rollup(keep_sex=True) as t:  # by sex alone
            got = {r["sex"]: r["anonymous_participants"] for r in t.to_records()}
            assert got["Kvinnor"] == 3 and got["Män"] == 2
        with agg.rollup(["intervention"]) as t:
            assert "anonymous_participants" not in t.to_records()[0]
        with pytest.raises(jamstat.CountOverflowError) as e:
            agg.add_anonymous(2, 2 ** 64 - 1)
        assert isinstance(e.value, OverflowError) and e.value.status == jamstat.ERROR_OVERFLOW


def test_rounded_values_of_a_decimal_measure():
    with jamstat.SchemaBuilder() as b:
        s = b.outcome("o").measure("cost", decimals=0, off_grid="round").build()
    with s, jamstat.Aggregator(s) as agg:
        agg.add_batch(sex=np.array([1, 2, 2], np.uint8), o=np.array([0, 1, 1], np.uint8), cost=np.array([1.4, 2.0, 2.5]))
        assert agg.rounded_values("cost") == 2
        with agg.total() as t:
            assert t.to_records()[0]["cost_sum"] == 1 + 2 + 2  # ties to even


def test_merge_and_state_round_trips(small_schema, tmp_path):
    with jamstat.Aggregator(small_schema, person_key=TEST_KEY) as a, \
            jamstat.Aggregator(small_schema, person_key=TEST_KEY) as b:
        a.add(rec(person_id="p1"))
        b.add(rec(person_id="p1", intervention=2))
        b.add(rec(person_id="p2", sex=1))
        data = b.serialize()
        assert isinstance(data, bytes) and len(data) == b.serialized_size
        a.merge(b)
        assert a.participations == 3
        with a.total() as t:
            assert t.to_records()[0]["persons"] == 2
        # round trip: bytes, file, merge helper
        with jamstat.Aggregator.deserialize(a.serialize()) as c:
            assert c.serialize() == a.serialize() and c.participations == 3
            with pytest.raises(jamstat.JamstatError):  # a state that counts persons needs its key to add
                c.add(rec(person_id="p3"))
        a.save(tmp_path / "a.jamstat")
        with jamstat.load(tmp_path / "a.jamstat", person_key=TEST_KEY) as d:
            d.add(rec(person_id="p3"))
            assert d.participations == 4
        with jamstat.merge(data, b, tmp_path / "a.jamstat") as m:
            assert m.participations == 2 + 2 + 3
        with pytest.raises(ValueError):
            a.merge(a)


def test_merge_refuses_other_schemas_and_keys(small_schema, schema):
    with jamstat.Aggregator(small_schema, person_key=TEST_KEY) as a, \
            jamstat.Aggregator(small_schema, person_key=bytes(16 * [7])) as b, jamstat.Aggregator(schema) as c:
        with pytest.raises(jamstat.SchemaMismatchError):
            a.merge(b)
        with pytest.raises(jamstat.SchemaMismatchError) as e:
            a.merge(c)
        assert e.value.status == jamstat.ERROR_SCHEMA_MISMATCH


def test_bad_states_raise_state_errors(small_schema):
    with jamstat.Aggregator(small_schema) as a:
        a.add(rec())
        data = bytearray(a.serialize())
    with pytest.raises(jamstat.StateFormatError) as e:
        jamstat.Aggregator.deserialize(bytes(data[:-3]))
    assert e.value.status == jamstat.ERROR_STATE_FORMAT and "truncated" in e.value.message
    data[len(data) // 2] ^= 0xFF
    with pytest.raises(jamstat.StateFormatError):
        jamstat.Aggregator.deserialize(bytes(data))
    with pytest.raises(jamstat.StateFormatError):
        jamstat.Aggregator.deserialize(b"")


def test_options_are_checked(small_schema):
    with pytest.raises(ValueError, match="16 bytes"):
        jamstat.Aggregator(small_schema, person_key=b"short")
    with pytest.raises(jamstat.InvalidArgumentError, match="(?i)key"):
        jamstat.Aggregator(small_schema, person_key=bytes(16))  # the all-zero key is refused
    with pytest.raises(ValueError, match="on_bad_record"):
        jamstat.Aggregator(small_schema, on_bad_record="ignore")
    with pytest.raises(TypeError):
        jamstat.Aggregator("schema")


def test_tables_keep_the_callers_order_and_outlive_the_aggregator(small_schema):
    agg = jamstat.Aggregator(small_schema)
    agg.add_batch(sex=np.array([1, 2, 2, 9, 0], np.uint8), intervention=np.array([2, 1, 2, 1, 1], np.uint8),
                  in_work=np.array([1, 0, 1, 1, 0], np.uint8), hours=np.array([1.0, 2, 3, 4, 5]))
    t = agg.rollup(["intervention", "sex"], keep_sex=False)
    cube = agg.cube()
    agg.close()
    with pytest.raises(ValueError, match="closed"):
        agg.participations
    assert [d.name for d in t.dimensions] == ["intervention", "sex"]
    rows = t.to_records(codes=True)  # reporting order: by sex first (Kvinnor, Män, Okänt, Ej tillämpligt)
    assert [(r["intervention_code"], r["sex_code"]) for r in rows] == [(1, 2), (2, 2), (2, 1), (1, 0), (1, 9)]
    table_order = t.to_records(codes=True, order="table")
    assert [(r["intervention_code"], r["sex_code"]) for r in table_order] == [(1, 0), (2, 1), (1, 2), (2, 2), (1, 9)]
    assert t.cell(intervention=2, sex="Kvinnor")["hours_mean"] == 3.0
    with pytest.raises(KeyError):
        t.cell(intervention=2, sex=0)
    with cube.table("intervention") as ti:
        assert [r["participations"] for r in ti.to_records()] == [3, 2]
    cube.close()
    with pytest.raises(ValueError, match="closed"):
        cube.table(0)
    t.close()


def test_statistics_of_a_cell(small_schema):
    with jamstat.Aggregator(small_schema) as agg:
        hours = [12.5, 7.25, 40.0, 3.0]
        for h, o in zip(hours, (1, 0, 1, 1)):
            agg.add(rec(hours=h, in_work=o))
        with agg.rollup(["intervention"]) as t:
            r = t.to_records()[0]
        x = np.array(hours)
        assert r["participations"] == 4 and r["in_work"] == 3 and r["in_work_proportion"] == 0.75
        assert r["hours_count"] == 4 and r["hours_sum"] == x.sum() and r["hours_mean"] == pytest.approx(x.mean(), rel=1e-15)
        assert r["hours_variance"] == pytest.approx(x.var(ddof=1), rel=1e-14)
        assert r["hours_sd"] == pytest.approx(x.std(ddof=1), rel=1e-14)
        assert (r["hours_min"], r["hours_max"], r["hours_second_max"]) == (3.0, 40.0, 12.5)
        assert "persons" not in r


def test_one_aggregator_shared_by_threads(small_schema):
    # ctypes releases the GIL inside the library: without the aggregator's lock these adds would
    # race in C. Every record must be counted exactly once.
    n, threads = 2000, 4
    d = {"sex": np.full(n, 2, np.uint8), "intervention": np.ones(n, np.uint8),
         "in_work": np.ones(n, np.uint8), "hours": np.ones(n)}
    with jamstat.Aggregator(small_schema) as agg, jamstat.Aggregator(small_schema) as other:

        def work(i):
            for _ in range(25):
                agg.add_batch(d)
                agg.add(rec())
                if i == 0:
                    other.merge(agg)
                    agg.serialize()
                    with agg.total():
                        pass

        ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert agg.participations == threads * 25 * (n + 1)


def test_merges_in_both_directions_do_not_deadlock(small_schema):
    # a.merge(b) and b.merge(a) at once lock both aggregators in one fixed order.
    errors = []
    with jamstat.Aggregator(small_schema) as a, jamstat.Aggregator(small_schema) as b:
        a.add(rec())
        b.add(rec())

        def loop(x, y):
            try:
                for _ in range(30):  # counts grow like Fibonacci numbers: 60 merges stay far below 2^64
                    x.merge(y)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        t1 = threading.Thread(target=loop, args=(a, b))
        t2 = threading.Thread(target=loop, args=(b, a))
        t1.start(), t2.start()
        t1.join(20), t2.join(20)
        assert not t1.is_alive() and not t2.is_alive()
        assert errors == []
        assert a.participations > 30 and b.participations > 30


def test_errors_are_per_thread(small_schema):
    # The library's last error is thread-local; each thread's exception carries its own message.
    seen = {}

    def work(code):
        with jamstat.Aggregator(small_schema) as agg:
            for _ in range(200):
                try:
                    agg.add(rec(intervention=code))
                except jamstat.BadRecordError as e:
                    seen.setdefault(code, set()).add(e.message)

    ts = [threading.Thread(target=work, args=(c,)) for c in (5, 6, 7)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for code in (5, 6, 7):
        assert seen[code] == {"row 0: dimension 'intervention': code %d is not a level; expected one of 1, 2" % code}


def test_every_status_has_its_exception_class():
    statuses = jamstat._abi.ENUMS["jamstat_status"]
    for name, value in statuses.items():
        if value == 0:
            continue
        cls = jamstat.ERROR_CLASSES[value]
        assert issubclass(cls, jamstat.JamstatError) and cls.status == value
        assert getattr(jamstat, cls.__name__) is cls
    assert jamstat.ERROR_CLASSES[jamstat.ERROR_BAD_RECORD] is jamstat.BadRecordError
    assert jamstat.ERROR_CLASSES[jamstat.ERROR_OVERFLOW] is jamstat.CountOverflowError
    assert issubclass(jamstat.OutOfMemoryError, MemoryError)
    assert issubclass(jamstat.WrongHandleError, TypeError)


def test_wrong_handles_are_reported_not_crashes(small_schema):
    # A schema handle given where an aggregator is expected: WRONG_HANDLE from the library.
    L = jamstat.library()
    import ctypes
    h = ctypes.cast(small_schema._ptr(), ctypes.POINTER(jamstat._abi.jamstat_aggregator))
    n = ctypes.c_uint64()
    with pytest.raises(jamstat.WrongHandleError) as e:
        L.jamstat_aggregator_participations(h, ctypes.byref(n))
    assert e.value.status == jamstat.ERROR_WRONG_HANDLE
    with pytest.raises(jamstat.NullArgumentError):
        L.jamstat_aggregator_participations(None, ctypes.byref(n))


def test_per_cell_calls_agree_with_the_whole_table_export(synthetic):
    # Table.cell() reads one cell with jamstat_table_find / _cell_level / _cell_counts /
    # _cell_outcome / _cell_numeric; to_records() reads the whole table with jamstat_table_export.
    from conftest import participation_schema
    import math
    s = participation_schema()
    with jamstat.Aggregator(s, person_key=TEST_KEY) as agg:
        agg.add_batch(synthetic, rename={"in_work_or_studies": "outcome"})
        agg.add_anonymous(2, 5)
        for by, keep_sex in ((["intervention", "age_band"], True), ([], True), ([], False), (["education"], False)):
            with agg.rollup(by, keep_sex=keep_sex) as t:
                for lang in ("sv", "en"):
                    for row in t.to_records(language=lang, codes=True):
                        levels = {d.name: row[d.name + "_code"] for d in t.dimensions}
                        got = t.cell(language=lang, **levels)
                        assert set(got) == set(row)
                        for k, v in row.items():
                            assert got[k] == v or (isinstance(v, float) and math.isnan(v) and math.isnan(got[k])), k
        with agg.rollup(["intervention"]) as t:
            with pytest.raises(KeyError, match="no level with code 99"):
                t.cell(sex=2, intervention=99)
    s.close()


def test_handles_cannot_be_copied_or_pickled(small_schema):
    import copy
    import pickle
    with jamstat.Aggregator(small_schema) as agg:
        with pytest.raises(TypeError, match="serialize"):
            pickle.dumps(agg)
        with pytest.raises(TypeError, match="cannot be copied"):
            copy.copy(agg)
    with pytest.raises(TypeError, match="cannot be copied"):
        copy.deepcopy(small_schema)
