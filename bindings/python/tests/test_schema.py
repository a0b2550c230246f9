"""Schemas: builder, read-back of every definition, errors, handle lifetimes."""
import gc
import threading

import pytest

import jamstat
from conftest import participation_schema


def test_builder_and_read_back(small_schema):
    s = small_schema
    assert [d.name for d in s.dimensions] == ["sex", "intervention"]
    assert s.sex.levels == (jamstat.Level(0, "Okänt", "Not known"), jamstat.Level(1, "Män", "Men"),
                            jamstat.Level(2, "Kvinnor", "Women"), jamstat.Level(9, "Ej tillämpligt", "Not applicable"))
    d = s.dimension("intervention")
    assert d.index == 1 and d.label_sv == "Insats" and d.label_en == "Intervention"
    assert d.levels == (jamstat.Level(1, "Coachning", "Coaching"), jamstat.Level(2, "Praktik", "Placement"))
    assert d.label("en") == "Intervention"
    assert s.outcomes == ("in_work",)
    m = s.measure("hours")
    assert m.kind == "floating" and m.unit == "h" and m.label_sv == "Timmar" and m.label_en == "Hours"
    assert s.field_names == ("sex", "intervention", "in_work", "hours", "person_id")
    assert s.level_index("intervention", 2) == 1
    assert s.dimension("INTERVENTION") is d  # names ignore ASCII case, as in the library
    with pytest.raises(KeyError, match="no level with code 7"):
        s.level_index("intervention", 7)
    with pytest.raises(KeyError, match="no dimension 'region'"):
        s.dimension("region")


def test_sex_labels_are_swedish_first(small_schema):
    labels = {lv.code: (lv.label_sv, lv.label_en) for lv in small_schema.sex.levels}
    assert labels[2] == ("Kvinnor", "Women") and labels[1] == ("Män", "Men")
    assert set(labels) == {0, 1, 2, 9}


def test_decimal_measure_definition_round_trips():
    with jamstat.SchemaBuilder() as b:
        s = b.measure("cost", unit="SEK", label_sv="Kostnad", label_en="Cost", decimals=2, off_grid="round",
                      lowest=0, highest=1e6).build()
    with s:
        m = s.measure("cost")
        assert (m.kind, m.decimals, m.off_grid, m.lowest, m.highest) == ("decimal", 2, "round", 0.0, 1e6)
        assert s.dimensions[0].name == "sex" and len(s.dimensions) == 1


def test_fingerprint_follows_the_definition():
    a, b = participation_schema(), participation_schema()
    c = participation_schema("floating")
    assert a.fingerprint == b.fingerprint and a == b
    assert a.fingerprint != c.fingerprint
    for s in (a, b, c):
        s.close()


def test_invalid_schemas_raise_with_the_library_message():
    with jamstat.SchemaBuilder() as b:
        with pytest.raises(jamstat.InvalidSchemaError) as e:
            b.dimension("region", [(1, "Norr"), (1, "Söder")])  # a code twice
        assert e.value.status == jamstat.ERROR_INVALID_SCHEMA
        assert "region" in e.value.message and e.value.status_name == "JAMSTAT_ERROR_INVALID_SCHEMA"
        assert isinstance(e.value, ValueError)
    with jamstat.SchemaBuilder() as b:
        b.dimension("Sex", [(1, "x")])  # "sex" is built in, and names ignore ASCII case
        with pytest.raises(jamstat.InvalidSchemaError, match="(?i)sex"):
            b.build()
    with jamstat.SchemaBuilder() as b:
        with pytest.raises(jamstat.JamstatError):
            b.measure("x", decimals=12)
        with pytest.raises(ValueError, match="kind"):
            b.measure("x", kind="integer")
        with pytest.raises(TypeError):
            b.outcome(12)


def test_close_is_deterministic_and_idempotent(small_schema):
    b = jamstat.SchemaBuilder()
    b.outcome("x")
    b.close()
    assert b.closed
    b.close()
    with pytest.raises(ValueError, match="closed"):
        b.outcome("y")
    with pytest.raises(ValueError, match="closed"):
        b.build()
    assert "closed" in repr(b)


def test_an_aggregator_outlives_the_schema_it_was_made_from():
    s = participation_schema()
    agg = jamstat.Aggregator(s)
    s.close()
    agg.add(sex=2, age_band=0, birth_region=0, education=1, intervention=3, in_work_or_studies=1, hours=12.5)
    assert agg.participations == 1
    assert agg.schema.field_names[-2] == "hours"
    agg.close()


def test_finalizer_frees_unclosed_handles():
    # Objects dropped without close() are freed by their finalizer: nothing is left alive.
    import weakref
    b = jamstat.SchemaBuilder().outcome("x")
    s = b.build()
    refs = [weakref.ref(b), weakref.ref(s)]
    fin = [b._finalizer, s._finalizer]
    del b, s
    gc.collect()
    assert all(r() is None for r in refs)
    assert not any(f.alive for f in fin)


def test_schemas_are_shared_between_threads():
    s = participation_schema()
    errors = []

    def work():
        try:
            for _ in range(20):
                with jamstat.Aggregator(s) as a:
                    a.add(sex=1, age_band=1, birth_region=1, education=1, intervention=1, in_work_or_studies=0, hours=1)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    s.close()
    assert errors == []
