"""Aggregator.add_arrow: record batches through the Arrow PyCapsule interface.

pyarrow is not installed here (and the binding must not need it), so the producer is written in
this file from the specifications, independently of the binding's own declarations:
  - the C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html): ArrowSchema /
    ArrowArray, a struct ("+s") parent whose release callback releases its children, children
    with validity bitmaps, bit-packed booleans;
  - the PyCapsule interface (.../CDataInterface/PyCapsuleInterface.html): capsules named
    "arrow_schema" / "arrow_array" whose destructor calls the structure's release callback unless
    a consumer moved it out (release set to NULL).
Every release is counted, so the tests check who released what, and how often.
The reference for each result is the same data through add_batch (numpy arrays, the binding's
other ingestion path): the serialized states must be byte-identical.
"""
import collections
import ctypes

import numpy as np
import pytest

import jamstat


# ---------------------------------------------------------------- a producer, from the specification

class CSchema(ctypes.Structure):
    pass


class CArray(ctypes.Structure):
    pass


SCHEMA_RELEASE = ctypes.CFUNCTYPE(None, ctypes.POINTER(CSchema))
ARRAY_RELEASE = ctypes.CFUNCTYPE(None, ctypes.POINTER(CArray))
CSchema._fields_ = [("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p),
                    ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64),
                    ("children", ctypes.POINTER(ctypes.POINTER(CSchema))), ("dictionary", ctypes.POINTER(CSchema)),
                    ("release", SCHEMA_RELEASE), ("private_data", ctypes.c_void_p)]
CArray._fields_ = [("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
                   ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64),
                   ("buffers", ctypes.POINTER(ctypes.c_void_p)), ("children", ctypes.POINTER(ctypes.POINTER(CArray))),
                   ("dictionary", ctypes.POINTER(CArray)), ("release", ARRAY_RELEASE), ("private_data", ctypes.c_void_p)]
ARROW_FLAG_NULLABLE = 2

RELEASED = collections.Counter()  # "schema", "array" (parents), "child_schema", "child_array", "capsule_*"
_ALIVE = {}     # private_data -> what a parent structure keeps alive (its children, buffers, names)
_STRUCTS = {}   # address of a parent structure -> the ctypes object (freed by its capsule's destructor)
_NULL_SCHEMA_RELEASE = ctypes.cast(None, SCHEMA_RELEASE)
_NULL_ARRAY_RELEASE = ctypes.cast(None, ARRAY_RELEASE)


@SCHEMA_RELEASE
def _release_child_schema(s):
    RELEASED["child_schema"] += 1
    s.contents.release = _NULL_SCHEMA_RELEASE


@ARRAY_RELEASE
def _release_child_array(a):
    RELEASED["child_array"] += 1
    a.contents.release = _NULL_ARRAY_RELEASE


@SCHEMA_RELEASE
def _release_schema(s):
    # The parent releases its children (the specification's rule for producers), then its own data;
    # it reads everything through the pointer it is given: a consumer may have moved the structure.
    for i in range(s.contents.n_children):
        child = s.contents.children[i]
        if child.contents.release:
            child.contents.release(child)
    RELEASED["schema"] += 1
    _ALIVE.pop(s.contents.private_data, None)
    s.contents.release = _NULL_SCHEMA_RELEASE


@ARRAY_RELEASE
def _release_array(a):
    for i in range(a.contents.n_children):
        child = a.contents.children[i]
        if child.contents.release:
            child.contents.release(child)
    RELEASED["array"] += 1
    _ALIVE.pop(a.contents.private_data, None)
    a.contents.release = _NULL_ARRAY_RELEASE


_CAPSULE_DESTRUCTOR = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_capsule_new = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_char_p, _CAPSULE_DESTRUCTOR)(
    ("PyCapsule_New", ctypes.pythonapi))
_capsule_pointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))
SCHEMA_NAME, ARRAY_NAME = b"arrow_schema", b"arrow_array"  # module constants: they outlive the capsules


@_CAPSULE_DESTRUCTOR
def _destroy_schema_capsule(capsule):
    address = _capsule_pointer(capsule, SCHEMA_NAME)
    s = CSchema.from_address(address)
    if s.release:
        RELEASED["capsule_schema"] += 1
        s.release(ctypes.pointer(s))
    _STRUCTS.pop(address, None)


@_CAPSULE_DESTRUCTOR
def _destroy_array_capsule(capsule):
    address = _capsule_pointer(capsule, ARRAY_NAME)
    a = CArray.from_address(address)
    if a.release:
        RELEASED["capsule_array"] += 1
        a.release(ctypes.pointer(a))
    _STRUCTS.pop(address, None)


Column = collections.namedtuple("Column", "name format values validity")


def column(name, values, dtype=None, validity=None):
    """A child: numpy values (bool -> bit-packed "b"), an optional validity list (False = null)."""
    values = np.asarray(values, dtype=dtype)
    if values.dtype == np.bool_:
        fmt, data = "b", np.packbits(values, bitorder="little")
    else:
        fmt = {np.dtype(np.uint8): "C", np.dtype(np.int32): "i", np.dtype(np.float64): "g", np.dtype(np.int64): "l",
               np.dtype(np.float32): "f", np.dtype(np.uint16): "S"}[values.dtype]
        data = np.ascontiguousarray(values)
    bitmap = None if validity is None else np.packbits(np.asarray(validity, dtype=bool), bitorder="little")
    return Column(name, fmt, data, bitmap)


def utf8_column(name, texts):
    raw = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(raw) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(r) for r in raw])
    return Column(name, "u", (offsets, np.frombuffer(b"".join(raw) or b"\0", dtype=np.uint8)), None)


class Batch:
    """A record batch exporting itself with __arrow_c_array__, as pyarrow's does (fresh
    structures and capsules on every call)."""

    def __init__(self, columns, length):
        self.columns, self.length = columns, length

    def __arrow_c_array__(self, requested_schema=None):
        assert requested_schema is None
        return export(self.columns, self.length)


def export(columns, length):
    n = len(columns)
    keep = []
    child_schemas = [CSchema() for _ in columns]
    child_arrays = [CArray() for _ in columns]
    for cs, ca, c in zip(child_schemas, child_arrays, columns):
        name, fmt = c.name.encode("utf-8"), c.format.encode("ascii")
        keep += [name, fmt]
        cs.format, cs.name, cs.flags, cs.release = fmt, name, ARROW_FLAG_NULLABLE, _release_child_schema
        if c.format == "u":
            offsets, data = c.values
            buffers = (ctypes.c_void_p * 3)(c.validity.ctypes.data if c.validity is not None else None,
                                            offsets.ctypes.data, data.ctypes.data)
            keep += [offsets, data]
        else:
            buffers = (ctypes.c_void_p * 2)(c.validity.ctypes.data if c.validity is not None else None, c.values.ctypes.data)
            keep.append(c.values)
        keep += [buffers, c.validity]
        ca.length, ca.offset, ca.n_buffers, ca.buffers = length, 0, len(buffers), buffers
        ca.null_count = 0 if c.validity is None else -1  # -1: "not computed", the consumer counts
        ca.release = _release_child_array
    schema_children = (ctypes.POINTER(CSchema) * n)(*[ctypes.pointer(s) for s in child_schemas])
    array_children = (ctypes.POINTER(CArray) * n)(*[ctypes.pointer(a) for a in child_arrays])
    top_buffers = (ctypes.c_void_p * 1)(None)
    keep += [child_schemas, child_arrays, schema_children, array_children, top_buffers]
    key = id(keep)
    _ALIVE[key] = keep
    s, a = CSchema(), CArray()
    s.format, s.name, s.n_children, s.children = b"+s", b"", n, schema_children
    s.release, s.private_data = _release_schema, key
    a.length, a.null_count, a.offset, a.n_buffers, a.buffers = length, 0, 0, 1, top_buffers
    a.n_children, a.children, a.release, a.private_data = n, array_children, _release_array, key
    _STRUCTS[ctypes.addressof(s)] = s
    _STRUCTS[ctypes.addressof(a)] = a
    return (_capsule_new(ctypes.addressof(s), SCHEMA_NAME, _destroy_schema_capsule),
            _capsule_new(ctypes.addressof(a), ARRAY_NAME, _destroy_array_capsule))


# ------------------------------------------------------------------------------------- the data

N = 240


def schema():
    return (jamstat.SchemaBuilder()
            .dimension("region", {1: ("Norr", "North"), 2: ("Söder", "South")})
            .dimension("age", [(0, "16–29"), (1, "30–49"), (2, "50–64")])
            .outcome("in_work", "I arbete", "In work")
            .numeric("hours", "h", "Timmar", "Hours")
            .build())


def data():
    i = np.arange(N)
    return {
        "sex": np.where(i % 37 == 36, 9, np.where(i % 2 == 0, 2, 1)).astype(np.uint8),  # ISO/IEC 5218, 9 kept
        "region": (i % 2 + 1).astype(np.int32),
        "age": (i * 7 % 3).astype(np.uint8),
        "in_work": (i * 13 % 5) < 2,
        "hours": np.round(10.0 + (i * 7919 % 400) / 8.0, 3),
    }


def arrow_batch(d, validity=None, rename=None):
    validity = validity or {}
    rename = rename or {}
    return Batch([column(rename.get(k, k), v, validity=validity.get(k)) for k, v in d.items()], N)


@pytest.fixture(autouse=True)
def counts():
    RELEASED.clear()
    yield RELEASED


def released_once(counts, children=5):
    """Each parent released exactly once (by the consumer, not by a capsule destructor), every
    child once through its parent."""
    assert counts["schema"] == 1 and counts["array"] == 1, dict(counts)
    assert counts["child_schema"] == children and counts["child_array"] == children, dict(counts)
    assert counts["capsule_schema"] == 0 and counts["capsule_array"] == 0, dict(counts)


# ------------------------------------------------------------------------------------------- tests

def test_a_batch_equals_the_same_columns_through_add_batch(counts):
    s = schema()
    with jamstat.Aggregator(s) as by_arrow, jamstat.Aggregator(s) as by_arrays:
        r = by_arrow.add_arrow(arrow_batch(data()))
        assert (r.accepted, r.rejected, len(r.rows)) == (N, 0, 0)
        released_once(counts)
        by_arrays.add_batch(data())
        assert by_arrow.serialize() == by_arrays.serialize()
        with by_arrow.rollup(["region"]) as t:  # and what it holds is what was sent
            women_north = [x for x in t.to_records(codes=True) if x["sex_code"] == 2 and x["region_code"] == 1][0]
        d = data()
        mask = (d["sex"] == 2) & (d["region"] == 1)
        assert women_north["participations"] == mask.sum()
        assert women_north["in_work"] == d["in_work"][mask].sum()


def test_the_capsules_are_moved_and_left_released(counts):
    s = schema()
    with jamstat.Aggregator(s) as agg:
        pair = arrow_batch(data()).__arrow_c_array__()
        agg.add_arrow(pair)  # a pair of raw capsules
        released_once(counts)
        assert agg.participations == N
        # The capsules are spent (their structures released): a second add is refused, not a double release.
        with pytest.raises(jamstat.InvalidArgumentError, match="released"):
            agg.add_arrow(pair)
        assert agg.participations == N
        del pair
        released_once(counts)  # the destructors found nothing to release


def test_capsules_not_consumed_are_released_by_their_destructors(counts):
    pair = arrow_batch(data()).__arrow_c_array__()
    with jamstat.Aggregator(schema()) as agg:
        with pytest.raises(TypeError, match="arrow_array"):
            agg.add_arrow((pair[0], pair[0]))  # checked before anything moves
    assert counts["schema"] == 0
    del pair
    assert counts["capsule_schema"] == 1 and counts["capsule_array"] == 1 and counts["schema"] == 1


def test_a_null_is_a_missing_value(counts):
    d = data()
    validity = np.ones(N, dtype=bool)
    validity[[5, 17]] = False
    with jamstat.Aggregator(schema()) as agg:
        with pytest.raises(jamstat.BadRecordError) as e:
            agg.add_arrow(arrow_batch(d, validity={"region": validity}))
        released_once(counts)
        err = e.value
        assert (err.row, err.field_name, err.reason_name) == (5, "region", "code_missing")
        assert "null" in err.message
        assert [(x.row, x.field_name) for x in err.rows] == [(5, "region"), (17, "region")]
        assert agg.participations == 0  # reject: the batch is all-or-nothing
    counts.clear()
    with jamstat.Aggregator(schema(), on_bad_record="tally") as by_arrow, \
            jamstat.Aggregator(schema(), on_bad_record="tally") as by_arrays:
        r = by_arrow.add_arrow(arrow_batch(d, validity={"region": validity}))
        released_once(counts)
        assert (r.accepted, r.rejected, [x.row for x in r.rows]) == (N - 2, 2, [5, 17])
        assert by_arrow.rejected("code_missing", "region") == 2
        regions = [None if not validity[k] else int(d["region"][k]) for k in range(N)]  # None: missing
        by_arrays.add_batch(dict(d, region=regions))
        assert by_arrow.serialize() == by_arrays.serialize()


def test_a_type_the_field_does_not_take_is_a_clear_error(counts):
    d = data()
    columns = [column(k, v) for k, v in d.items() if k != "hours"]
    columns.append(utf8_column("hours", ["%.1f" % h for h in d["hours"]]))
    with jamstat.Aggregator(schema()) as agg:
        with pytest.raises(jamstat.InvalidArgumentError) as e:
            agg.add_arrow(Batch(columns, N))
        released_once(counts)  # released on the error path too
        assert "hours" in e.value.message and e.value.field_name == "hours"
        assert agg.participations == 0
        # A dimension given as float64 is not read either (codes are integers or labels).
        counts.clear()
        with pytest.raises(jamstat.InvalidArgumentError, match="region"):
            agg.add_arrow(Batch([column(k, v.astype(np.float64) if k == "region" else v) for k, v in d.items()], N))
        released_once(counts)
        assert agg.participations == 0


def test_field_names_by_position_and_unknown_children(counts):
    d = data()
    s = schema()
    with jamstat.Aggregator(s) as reference:
        reference.add_batch(d)
        expected = reference.serialize()
    renamed = {"sex": "kön", "region": "län"}
    with jamstat.Aggregator(s) as agg:  # a mapping from the producer's names
        agg.add_arrow(arrow_batch(d, rename=renamed), field_names={"kön": "sex", "län": "region"})
        released_once(counts)
        assert agg.serialize() == expected
    with jamstat.Aggregator(s) as agg:  # one entry per child, as the C options take them
        agg.add_arrow(arrow_batch(d, rename=renamed), field_names=["sex", "region", "age", "in_work", "hours"])
        assert agg.serialize() == expected
    with jamstat.Aggregator(s) as agg:  # schema field order, names not read
        agg.add_arrow(arrow_batch(d, rename={k: "c%d" % n for n, k in enumerate(d)}), by_position=True)
        assert agg.serialize() == expected
    extra = dict(d, note=np.zeros(N, dtype=np.int32))
    with jamstat.Aggregator(s) as agg:
        with pytest.raises(jamstat.InvalidArgumentError, match="note"):
            agg.add_arrow(arrow_batch(extra))
        agg.add_arrow(arrow_batch(extra), skip_unknown=True)
        assert agg.serialize() == expected
    with jamstat.Aggregator(s) as agg:
        with pytest.raises(KeyError, match="nope"):
            agg.add_arrow(arrow_batch(d), field_names={"nope": "sex"})


def test_what_is_not_an_arrow_batch_is_refused(counts):
    with jamstat.Aggregator(schema()) as agg:
        with pytest.raises(TypeError, match="__arrow_c_array__"):
            agg.add_arrow(data())
        agg.close()
        pair = arrow_batch(data()).__arrow_c_array__()
        with pytest.raises(ValueError, match="closed"):
            agg.add_arrow(pair)
        assert counts["schema"] == 0  # nothing moved out of the capsules
        del pair
        assert counts["capsule_schema"] == 1 and counts["capsule_array"] == 1
