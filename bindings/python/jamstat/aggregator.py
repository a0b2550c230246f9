"""Aggregators: records in (one at a time or as columns), statistics out.

    with jamstat.Aggregator(schema, person_key=key) as agg:
        agg.add_batch(df)                          # a DataFrame, a dict of arrays, ...
        print(agg.summary(["intervention"]))      # Kvinnor, Män, Totalt by intervention

Bad records follow the aggregator's policy: ``on_bad_record="reject"`` (the default: a bad record
raises :class:`jamstat.BadRecordError`, a batch is all-or-nothing and its exception lists every bad
row in ``.rows``) or ``"tally"`` (bad records are skipped and counted; ``rejected()`` reads the
tally, and the batch result lists the bad rows).

Threads: an Aggregator may be shared between threads; its calls hold its lock and run one at a
time (ctypes releases the GIL inside the library). To use several cores, give each thread its own
Aggregator and ``merge`` them.
"""
import ctypes
import enum
import os

from . import _abi, _columns
from ._errors import JamstatError, RowErrors, REASON_NAMES
from ._handle import Handle
from ._library import lib
from .personnummer import Personnummer
from .schema import Schema, new_struct, utf8, language_code
from .table import Table, Cube, totals_frame

try:
    import numpy as np
except ImportError:
    np = None

_POLICIES = {"reject": _abi.JAMSTAT_REJECT, "tally": _abi.JAMSTAT_TALLY}
_MASK64 = 0xFFFFFFFFFFFFFFFF
#: Bad rows a batch reports at most by default under the tally policy (all of them under reject).
DEFAULT_ROW_ERRORS = 65536


#: What a state holds about persons (Aggregator.state_form), from the ABI's JAMSTAT_STATE_* constants:
#: PARTICIPATIONS_ONLY (persons not counted), PSEUDONYMISED (keyed hashes of person ids: personal
#: data for whoever holds the key), PERSON_FREE (distinct persons frozen per grouping cell, no hashes).
StateForm = enum.IntEnum("StateForm", sorted(((k[len("JAMSTAT_STATE_"):], v) for k, v in _abi.CONSTANTS.items()
                                              if k.startswith("JAMSTAT_STATE_")), key=lambda kv: kv[1]), module=__name__)


class BatchResult:
    """What a batch did: ``accepted`` and ``rejected`` rows, ``rows`` (the bad rows, a sequence of
    :class:`jamstat.RowError`), ``error_count`` (bad rows found; more than ``len(rows)`` when the
    list was capped), ``first_rejected_message``, and ``copied_columns`` (the fields whose data
    had to be converted; the others were passed zero-copy)."""

    __slots__ = ("accepted", "rejected", "rows", "error_count", "first_rejected_message", "copied_columns")

    def __init__(self, accepted, rejected, rows, error_count, first_rejected_message, copied_columns):
        self.accepted, self.rejected, self.rows = accepted, rejected, rows
        self.error_count, self.first_rejected_message, self.copied_columns = error_count, first_rejected_message, copied_columns

    def __repr__(self):
        return "BatchResult(accepted=%d, rejected=%d, error_count=%d)" % (self.accepted, self.rejected, self.error_count)


def _person_key(key):
    if key is None:
        return None
    if isinstance(key, str):
        raise TypeError("person_key must be 16 bytes (e.g. bytes.fromhex(...)), not a str")
    key = bytes(key)
    if len(key) != 16:
        raise ValueError("person_key must be exactly 16 bytes, got %d" % len(key))
    return key


def _options(on_bad_record, person_key):
    if on_bad_record not in _POLICIES:
        raise ValueError("on_bad_record must be 'reject' or 'tally', got %r" % (on_bad_record,))
    key = _person_key(person_key)
    opt = new_struct("jamstat_aggregator_options", on_bad_record=_POLICIES[on_bad_record],
                     count_persons=1 if key is not None else 0)
    if key is not None:
        opt.person_key[:] = list(key)
    return opt


def _person_id(value):
    """A Python id -> jamstat_person_id (ints hashed as 8 little-endian bytes, str as UTF-8, a
    Personnummer as its canonical 12 digits)."""
    pid = _abi.jamstat_person_id()
    keep = None
    if isinstance(value, Personnummer):
        value = value.person_id
    if value is None:
        pid.kind = _abi.JAMSTAT_PERSON_ID_NONE
    elif isinstance(value, bool):
        raise TypeError("a person id is an integer, str or bytes, not a bool")
    elif isinstance(value, int) or (np is not None and isinstance(value, np.integer)):
        pid.kind = _abi.JAMSTAT_PERSON_ID_INTEGER
        pid.integer = int(value) & _MASK64
    else:
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        keep = ctypes.create_string_buffer(data, len(data) or 1)
        pid.kind = _abi.JAMSTAT_PERSON_ID_BYTES
        pid.bytes = ctypes.cast(keep, ctypes.POINTER(ctypes.c_uint8))
        pid.length = len(data)
    return pid, keep


def _code_of(value, dimension):
    """One record's code: an int, a label, or None (missing)."""
    if value is None or (isinstance(value, float) and value != value):
        return _columns.MISSING
    if isinstance(value, (str, bytes)):
        label = value.decode("utf-8") if isinstance(value, bytes) else value
        return _columns._label_table(dimension).get(label, _columns.NO_LEVEL)
    if isinstance(value, float) and value != int(value):
        return _columns.NO_LEVEL
    code = int(value)
    return code if _columns.INT32_MIN <= code <= _columns.INT32_MAX else _columns.NO_LEVEL


def _outcome_of(value):
    if value is None or (isinstance(value, float) and value != value):
        return _columns.MISSING
    if isinstance(value, float) and value != int(value):
        return _columns.NO_LEVEL
    v = int(value)
    return v if _columns.INT32_MIN <= v <= _columns.INT32_MAX else _columns.NO_LEVEL


def _lookup(data, name, rename):
    """Column `name` of a mapping / DataFrame / structured array (case as in the schema)."""
    key = rename.get(name, name) if rename else name
    try:
        return data[key]
    except (KeyError, ValueError, IndexError):
        pass
    keys = list(data.keys()) if hasattr(data, "keys") else list(getattr(getattr(data, "dtype", None), "names", None) or [])
    for k in keys:
        if isinstance(k, str) and k.lower() == str(key).lower():
            return data[k]
    raise KeyError(key)


class Aggregator(Handle):
    """Streaming, sex-stratified aggregation into the finest cells of a schema.

    ``Aggregator(schema, on_bad_record="reject", person_key=None)``: with a 16-byte
    ``person_key`` (the caller's secret, the same for every partner whose states are merged),
    distinct persons are counted and every record needs a ``person_id``."""

    _free_name = "jamstat_aggregator_free"
    _what = "aggregator"

    def __init__(self, schema, on_bad_record="reject", person_key=None):
        if not isinstance(schema, Schema):
            raise TypeError("Aggregator needs a jamstat.Schema, got %s" % type(schema).__name__)
        opt = _options(on_bad_record, person_key)
        h = ctypes.POINTER(_abi.jamstat_aggregator)()
        with schema._lock:
            lib().jamstat_aggregator_new(schema._ptr(), ctypes.byref(opt), ctypes.byref(h))
        self._init(h, on_bad_record, person_key is not None)

    def _init(self, handle, on_bad_record, counts_persons):
        Handle.__init__(self, handle)
        self.on_bad_record = on_bad_record
        self.counts_persons = counts_persons
        s = ctypes.POINTER(_abi.jamstat_schema)()
        try:
            lib().jamstat_aggregator_schema(handle, ctypes.byref(s))
        except BaseException:
            self.close()
            raise
        self.schema = Schema(s)  # the aggregator's own reference: independent of the caller's

    @classmethod
    def deserialize(cls, data, on_bad_record="reject", person_key=None):
        """An aggregator from serialized state bytes. To add records to a state that counts
        persons, give the same person_key (checked); without it the state can be merged and read."""
        data = bytes(data) if not isinstance(data, bytes) else data
        opt = _options(on_bad_record, person_key)
        h = ctypes.POINTER(_abi.jamstat_aggregator)()
        buf = (ctypes.c_uint8 * max(1, len(data))).from_buffer_copy(data or b"\0")
        lib().jamstat_aggregator_deserialize(buf, len(data), ctypes.byref(opt), ctypes.byref(h))
        self = cls.__new__(cls)
        self._init(h, on_bad_record, person_key is not None)
        return self

    @classmethod
    def load(cls, path, on_bad_record="reject", person_key=None):
        """An aggregator from a state file written by save()."""
        with open(path, "rb") as fh:
            return cls.deserialize(fh.read(), on_bad_record=on_bad_record, person_key=person_key)

    def _describe(self):
        return " %s, %d participations" % (", ".join(self.schema.field_names[:-1]), self.participations)

    # ------------------------------------------------------------------------ errors

    def _raise(self, exc, columns=None):
        exc._locate(self.schema)
        if columns and exc.row is not None:
            for c in columns:
                if c.field == exc.field:
                    note = c.explain(exc.row)
                    if note:
                        exc.message = note
                        exc.args = (note,)
        raise exc

    # ------------------------------------------------------------------------ ingestion

    def add(self, record=None, **fields):
        """Adds one record given as a mapping and/or keywords: every dimension (``sex`` first;
        a code, a label, or None for missing), outcome (0/1/bool), numeric measure (a number) and,
        when persons are counted, ``person_id`` (int, str, bytes or a :class:`jamstat.Personnummer`). Returns True if it was added,
        False if it was tallied as rejected (tally policy); raises BadRecordError under reject."""
        values = dict(record or {})
        values.update(fields)
        schema = self.schema
        lower = {str(k).lower(): v for k, v in values.items()}
        known = {f.lower() for f in schema.field_names}
        unknown = [k for k in values if str(k).lower() not in known]
        if unknown:
            raise KeyError("the schema has no field %s (fields: %s)" % (", ".join(map(repr, unknown)), ", ".join(schema.field_names)))
        nd, no, nm = len(schema.dimensions), len(schema.outcomes), len(schema.measures)
        codes = (ctypes.c_int32 * max(1, nd))()
        for d in schema.dimensions:
            if d.name.lower() not in lower:
                raise KeyError("the record has no %r (a dimension; give None for a missing value)" % d.name)
            codes[d.index] = _code_of(lower[d.name.lower()], d)
        outcomes = (ctypes.c_int32 * max(1, no))()
        for i, o in enumerate(schema.outcomes):
            if o.lower() not in lower:
                raise KeyError("the record has no %r (an outcome)" % o)
            outcomes[i] = _outcome_of(lower[o.lower()])
        numerics = (ctypes.c_double * max(1, nm))()
        for m in schema.measures:
            if m.name.lower() not in lower:
                raise KeyError("the record has no %r (a numeric measure)" % m.name)
            v = lower[m.name.lower()]
            numerics[m.index] = float("nan") if v is None else float(v)
        pid_value = lower.get("person_id")
        person, keep = (None, None)
        if pid_value is not None or self.counts_persons:
            person, keep = _person_id(pid_value)
        accepted = ctypes.c_int(0)
        with self._lock:
            try:
                lib().jamstat_aggregator_add(self._ptr(), codes, nd, outcomes, no, numerics, nm,
                                             ctypes.byref(person) if person is not None else None,
                                             ctypes.byref(accepted))
            except JamstatError as e:
                self._raise(e)
        del keep
        return bool(accepted.value)

    def _prepare(self, data, rename, arrays):
        schema = self.schema
        fields = []
        for d in schema.dimensions:
            fields.append(("code", d, d.name))
        for o in schema.outcomes:
            fields.append(("outcome", o, o))
        for m in schema.measures:
            fields.append(("measure", m, m.name))
        if self.counts_persons:
            fields.append(("person", None, "person_id"))
        if not self.counts_persons and data is not None and "person_id" not in arrays:
            try:
                _lookup(data, "person_id", rename)
            except KeyError:
                pass
            else:
                raise ValueError("the batch has a person_id column, but this aggregator does not count persons "
                                 "(give person_key to count them, or drop the column)")
        if not self.counts_persons and "person_id" in arrays:
            raise ValueError("person_id given, but this aggregator does not count persons (give person_key to count them)")
        columns, missing = [], []
        for index, (role, info, name) in enumerate(fields):
            if name in arrays:
                values = arrays[name]
            elif data is not None:
                try:
                    values = _lookup(data, name, rename)
                except KeyError:
                    missing.append(name)
                    continue
            else:
                missing.append(name)
                continue
            field = index if role != "person" else len(schema.field_names) - 1
            columns.append(_columns.prepare(role, values, info, field, name))
        if missing:
            raise KeyError("the batch has no column for %s (the schema's fields: %s)" % (
                ", ".join(repr(m) for m in missing), ", ".join(schema.field_names if self.counts_persons else schema.field_names[:-1])))
        lengths = {c.name: c.length for c in columns}
        if len(set(lengths.values())) > 1:
            raise ValueError("the batch's columns differ in length: %s" % ", ".join("%s %d" % kv for kv in lengths.items()))
        return columns

    def add_batch(self, data=None, rename=None, max_row_errors=None, **arrays):
        """Adds a columnar batch: `data` is a pandas DataFrame, a dict of arrays or sequences, or
        a numpy structured array, and/or the columns as keywords; `rename` maps a field to the
        column holding it. Every schema field needs a column (extra columns are ignored). Column
        types are passed zero-copy where the C ABI takes them and converted, checked, otherwise
        (see jamstat._columns). Under reject, a bad row raises BadRecordError with every bad row
        in ``.rows`` and nothing is added; under tally, bad rows are skipped and counted, and the
        result lists them (at most `max_row_errors`, default 65,536; ``error_count`` has them all).
        Returns a :class:`BatchResult`."""
        columns = self._prepare(data, rename or {}, arrays)
        rows = columns[0].length if columns else 0
        arr = (_abi.jamstat_array * max(1, len(columns)))()
        for i, c in enumerate(columns):
            arr[i].type = c.type
            arr[i].flags = 0
            arr[i].data = c.address or None
            arr[i].length = c.length

        def call(result):
            lib().jamstat_aggregator_add_arrays(self._ptr(), rows, arr, len(columns), result)

        accepted, rejected, bad, error_count, message = self._batch_call(call, rows, max_row_errors, columns)
        copied = [c.name for c in columns if c.copied]
        del columns  # the data had to live until the call returned
        return BatchResult(accepted, rejected, bad, error_count, message, copied)

    def _batch_call(self, call, rows, max_row_errors, columns=None):
        """Runs call(byref(jamstat_batch_result)) under the lock with room for the bad rows; under
        reject (nothing added) asks again with room for every bad row. Raises the error with
        ``rows`` set; returns (accepted, rejected, RowErrors, error count, first message)."""
        reject = self.on_bad_record == "reject"
        capacity = max_row_errors if max_row_errors is not None else (min(rows, 1024) if reject else min(rows, DEFAULT_ROW_ERRORS))
        while True:
            errors = (_abi.jamstat_row_error * max(1, capacity))()
            result = new_struct("jamstat_batch_result")
            result.errors = errors
            result.error_capacity = capacity
            failure = None
            with self._lock:
                try:
                    call(ctypes.byref(result))
                except JamstatError as e:
                    failure = e
            # Under reject nothing was added: ask again with room for every bad row.
            if failure is not None and reject and max_row_errors is None and result.error_count > capacity:
                capacity = int(result.error_count)
                continue
            break
        bad = RowErrors(errors, min(capacity, int(result.error_count)), self.schema.field_names)
        if failure is not None:
            failure.rows = bad
            failure.error_count = int(result.error_count)
            self._raise(failure, columns)
        message = result.first_rejected_message.decode("utf-8", errors="replace")
        if bad and columns:
            for c in columns:
                if c.field == bad[0].field:
                    message = c.explain(bad[0].row) or message
        return int(result.accepted), int(result.rejected), bad, int(result.error_count), message

    def add_arrow(self, data, field_names=None, by_position=False, skip_unknown=False, grid_units=False,
                  max_row_errors=None, requested_schema=None):
        """Adds a record batch given through the Arrow PyCapsule interface
        (jamstat_aggregator_add_arrow; docs/c-abi.md, "Arrow"): any object with
        ``__arrow_c_array__`` (a pyarrow RecordBatch, a polars or nanoarrow batch, ...; a struct
        array, as record batches are exported), or a pair of PyCapsules ("arrow_schema",
        "arrow_array"). No Arrow library is needed here, and columns whose buffers fit are read in
        place.

        Children feed schema fields by name (exact, case-sensitive), or in schema field order
        with ``by_position=True``. ``field_names`` renames: a mapping {Arrow child name: schema
        field, or None to skip the child} (children not in it keep their own name), or a list with
        one entry per child, as options.field_names of the C call. ``skip_unknown``: children
        that name no field are skipped (default: an error). ``grid_units``: integer columns of
        decimal measures hold grid units. A null is a missing value and follows the bad-record
        policy, as in add_batch; a batch the library cannot read (a type a field does not take,
        bad buffers) raises InvalidArgumentError naming the child, before anything is added.

        Ownership (the PyCapsule interface): the structures are moved out of the capsules (which
        are left released, so they cannot be added twice) and released once the library has read
        them, whatever the outcome. Returns a :class:`BatchResult` (``copied_columns`` is empty:
        the library decides per column, see docs/c-abi.md)."""
        from . import _arrow
        schema_capsule, array_capsule = _arrow.capsules_of(data, requested_schema)
        schema_address = _arrow.capsule_pointer(schema_capsule, _arrow.SCHEMA_CAPSULE, "the schema capsule")
        array_address = _arrow.capsule_pointer(array_capsule, _arrow.ARRAY_CAPSULE, "the array capsule")
        flags = ((_abi.JAMSTAT_ARROW_BY_POSITION if by_position else 0) |
                 (_abi.JAMSTAT_ARROW_SKIP_UNKNOWN if skip_unknown else 0) |
                 (_abi.JAMSTAT_ARROW_GRID_UNITS if grid_units else 0))
        names = None
        if field_names is not None:
            children = _arrow.child_names(schema_address)
            if hasattr(field_names, "keys"):
                if children is None:
                    raise ValueError("field_names as a mapping needs the batch's child names, and its ArrowSchema "
                                     "is released or malformed")
                unknown = [k for k in field_names if k not in children]
                if unknown:
                    raise KeyError("field_names names %s, which the batch does not have (its children: %s)" % (
                        ", ".join(map(repr, unknown)), ", ".join(map(repr, children))))
                mapped = [field_names.get(c, c) for c in children]
                if skip_unknown:
                    known = set(self.schema.field_names)
                    mapped = [m if m in known else None for m in mapped]
                names = mapped
            else:
                names = list(field_names)
        options = new_struct("jamstat_arrow_options", flags=flags)
        keep = None
        if names is not None:
            keep = (ctypes.c_char_p * max(1, len(names)))(*[utf8(n, "a field name") for n in names])
            options.field_names = keep
            options.field_name_count = len(names)
        self._ptr()  # before the move: a closed aggregator leaves the capsules as they were
        moved = _arrow.Moved(schema_address, array_address)
        try:
            rows = max(0, int(moved.array.length))

            def call(result):
                lib().jamstat_aggregator_add_arrow(self._ptr(), ctypes.addressof(moved.schema), ctypes.addressof(moved.array),
                                                   ctypes.byref(options), result)

            accepted, rejected, bad, error_count, message = self._batch_call(call, rows, max_row_errors)
        finally:
            moved.release()
        del keep
        return BatchResult(accepted, rejected, bad, error_count, message, [])

    def add_anonymous(self, sex, participants):
        """Adds participants known only by sex (ISO/IEC 5218 code); they count in the total and
        in tables grouped by at most sex."""
        code = _code_of(sex, self.schema.sex)
        with self._lock:
            try:
                lib().jamstat_aggregator_add_anonymous(self._ptr(), code, int(participants))
            except JamstatError as e:
                self._raise(e)
        return self

    def merge(self, *others):
        """Adds everything each of `others` holds (aggregators of the same schema and person key,
        or serialized states, or paths of state files). Returns self."""
        for other in others:
            if isinstance(other, (bytes, bytearray, memoryview)):
                with Aggregator.deserialize(other) as o:
                    self.merge(o)
                continue
            if isinstance(other, (str, os.PathLike)):
                with Aggregator.load(other) as o:
                    self.merge(o)
                continue
            if other is self:
                raise ValueError("an aggregator cannot be merged into itself")
            first, second = (self, other) if id(self) < id(other) else (other, self)
            with first._lock, second._lock:  # a fixed order: no deadlock with a.merge(b) || b.merge(a)
                lib().jamstat_aggregator_merge(self._ptr(), other._ptr())
        return self

    # ------------------------------------------------------------------------ counts

    @property
    def participations(self):
        """Records added (rejected ones excluded)."""
        n = ctypes.c_uint64()
        with self._lock:
            lib().jamstat_aggregator_participations(self._ptr(), ctypes.byref(n))
        return n.value

    def rejected(self, reason=None, field=None):
        """Rejected records tallied for a reason (name like "code_unknown" or value) and a field
        (name or index); None sums over all."""
        r = _abi.JAMSTAT_ANY
        if reason is not None:
            if isinstance(reason, str):
                names = {v: k for k, v in REASON_NAMES.items()}
                if reason not in names:
                    raise ValueError("unknown rejection reason %r (reasons: %s)" % (reason, ", ".join(sorted(names))))
                r = names[reason]
            else:
                r = int(reason)
        f = _abi.JAMSTAT_ANY
        if field is not None:
            f = self.schema.field_index(field) if isinstance(field, str) else int(field)
        n = ctypes.c_uint64()
        with self._lock:
            lib().jamstat_aggregator_rejected(self._ptr(), r, f, ctypes.byref(n))
        return n.value

    def rejections(self):
        """The rejected-records tally, non-zero entries: [(reason name, field name, count)]."""
        out = []
        for reason, rname in sorted(REASON_NAMES.items()):
            if self.rejected(reason) == 0:
                continue
            for f, fname in enumerate(self.schema.field_names):
                n = self.rejected(reason, f)
                if n:
                    out.append((rname, fname, n))
        return out

    def rounded_values(self, measure):
        """Values of a decimal measure (name or index) that were off its grid and rounded."""
        m = self.schema.measure(measure)
        n = ctypes.c_uint64()
        with self._lock:
            lib().jamstat_aggregator_rounded_values(self._ptr(), m.index, ctypes.byref(n))
        return n.value

    # ------------------------------------------------------------------------ results

    def rollup(self, by=(), keep_sex=True):
        """The roll-up by the dimensions `by` (names or indices, in the order the table keeps);
        sex comes first unless keep_sex is False or `by` names it itself. A :class:`Table`."""
        if isinstance(by, (str, int)):
            by = [by]
        dims = [self.schema.dimension(d).index for d in by]
        if keep_sex and 0 not in dims:
            dims = [0] + dims
        if len(set(dims)) != len(dims):
            raise ValueError("a dimension is named twice in %r" % (list(by),))
        arr = (ctypes.c_size_t * max(1, len(dims)))(*dims)
        h = ctypes.POINTER(_abi.jamstat_table)()
        with self._lock:
            lib().jamstat_rollup(self._ptr(), arr, len(dims), ctypes.byref(h))
        return Table(h, self.schema)

    def total(self):
        """The total ("Totalt"): one cell, anonymous participants included."""
        h = ctypes.POINTER(_abi.jamstat_table)()
        with self._lock:
            lib().jamstat_total(self._ptr(), ctypes.byref(h))
        return Table(h, self.schema)

    def cube(self):
        """Every roll-up at once (:class:`Cube`)."""
        h = ctypes.POINTER(_abi.jamstat_cube)()
        with self._lock:
            lib().jamstat_cube_new(self._ptr(), ctypes.byref(h))
        return Cube(h, self.schema)

    def summary(self, by=(), language="sv", margins=True, codes=False, as_records=False):
        """Sex (Kvinnor, Män, the other codes, Totalt) by the dimensions `by`, with "Totalt" rows
        for every dimension of `by` too when `margins`; a DataFrame (or records without pandas).
        Every row is a roll-up of its own, so persons are exact distinct counts everywhere."""
        if isinstance(by, (str, int)):
            by = [by]
        records, keys, order = totals_frame(self, by, language, margins, codes)
        if as_records:
            return records
        try:
            import pandas as pd
        except ImportError:
            return records
        first = ["sex"] + [k for k in keys if k != "sex"]
        rest = []
        for r in records:
            for k in r:
                if k not in first and k not in rest:
                    rest.append(k)
        df = pd.DataFrame.from_records(records, columns=first + rest)
        for k in keys:
            df[k] = pd.Categorical(df[k], categories=list(order[k]), ordered=True)
        if "anonymous_participants" in df and not (df["anonymous_participants"].fillna(0) > 0).any():
            df = df.drop(columns=["anonymous_participants"])  # none were added: no column of zeros and gaps
        for k in ("participations", "persons", "anonymous_participants") + tuple(self.schema.outcomes):
            if k in df and not df[k].isna().any():
                df[k] = df[k].astype("uint64")
        return df

    def protected_tables(self, groupings, method="cell_suppression", **options):
        """The groupings to publish, protected at once as linked tables (a
        :class:`jamstat.ProtectedTables`). `groupings`: lists of dimension names ("sex" named
        explicitly; [] = the total) or masks as jamstat_cube_table takes them. method:
        "cell_suppression" (the default: primary and secondary suppression, audited) or
        "cell_key" (needs cell_key_secret=16 bytes). Further options, as
        jamstat_disclosure_options names them: frequency_threshold (5), group_threshold (10),
        dominance ("none", "p_percent", "nk"), p_percent, nk_n, nk_k,
        frequency_protection_fraction, frequency_protection_minimum, group_protection,
        dominance_protection_minimum_fraction, cost ("persons", "cells"), persons
        ("from_hashes", "from_counts"), ptable_max_deviation, ptable_small_count_threshold,
        ptable_variance, ptable_csv."""
        from .protected import protect
        return protect(self, groupings, dict(options, method=method))

    def gap_report(self, compare_across=(), adjust_for=(), offered_outcomes=(), target=None, previous=None,
                   current_period=None, previous_period=None, **options):
        """The gap report (:class:`jamstat.GapReport`): women and men compared in participation
        (given a :class:`jamstat.TargetGroup`), offered sub-interventions, results and resources,
        raw and adjusted for `adjust_for`, in one period or against `previous` (an Aggregator of
        the same schema). Further options: confidence_level (0.95), minimum_persons (10),
        continuity_correction (False), exact_rule ("any_expected_below_5", "cochran", "always",
        "never"), max_exact_steps, monte_carlo_replicates, seed."""
        from .gap import gap_report
        return gap_report(self, compare_across, adjust_for, offered_outcomes, target, previous,
                          current_period, previous_period, options)

    def strata_report(self, dimensions, offered_outcomes=(), current_period=None, **options):
        """The gap report over the strata of `dimensions` (names besides sex) crossed with sex:
        women against men in every stratum (a GapReport; its findings' grouping_level is the
        stratum, listed by ``report.strata()``). Options as for gap_report (confidence_level,
        minimum_persons, exact_rule, ...)."""
        from .intersectional import strata_report
        options = dict(options, offered_outcomes=offered_outcomes, current_period=current_period)
        return strata_report(self, dimensions, options)

    def maihda(self, dimensions, outcome=None, measure=None, criterion="reml", quadrature_nodes=1,
               interval_level=0.95, language="sv"):
        """MAIHDA over the strata of sex x `dimensions` for a binary outcome (logistic models;
        quadrature_nodes 1 = Laplace as glmer's default, 2..25 adaptive Gauss-Hermite) or a numeric
        measure (linear models, criterion "reml" as lmer's default, or "ml"): a :class:`Maihda`."""
        from .intersectional import maihda
        return maihda(self, dimensions, outcome, measure, criterion, quadrature_nodes, interval_level, language)

    def oaxaca(self, characteristics, outcome=None, measure=None, reference="pooled_with_group", women_weight=0.5,
               nonlinear=False, language="sv"):
        """The Oaxaca-Blinder decomposition of the gap between women and men (women minus men) in
        an outcome's proportion or a measure's mean, explained by `characteristics` (dimensions):
        a :class:`Decomposition`. reference: "pooled_with_group" (the default), "pooled", "women",
        "men" or "weighted" (women_weight); nonlinear: Yun's logit decomposition (outcomes)."""
        from .intersectional import oaxaca
        return oaxaca(self, characteristics, outcome, measure, reference, women_weight, nonlinear, language)

    def oaxaca_numeric(self, numeric, characteristics=(), outcome=None, measure=None, reference="pooled_with_group",
                       women_weight=0.5, language="sv"):
        """The Oaxaca-Blinder decomposition (women minus men) with numeric characteristics
        (jamstat_oaxaca_numeric_new; docs/methods-intersectional.md §2.5): the subject (an
        outcome, or a decimal measure of the schema's cross-product set) regressed on `numeric`
        (names in the set, one column each, in this order) and on `characteristics` (dimensions
        besides sex, dummy coded; may be empty), X'X and X'y summed exactly from the cells'
        cross-products. The linear decomposition only. A :class:`Decomposition`, as oaxaca()
        returns; reference as for oaxaca()."""
        from .intersectional import oaxaca_numeric
        return oaxaca_numeric(self, numeric, characteristics, outcome, measure, reference, women_weight, language)

    # ------------------------------------------------------------------------ state

    @property
    def state_form(self):
        """What the state holds about persons: a :class:`jamstat.StateForm` (PARTICIPATIONS_ONLY,
        PSEUDONYMISED or PERSON_FREE)."""
        out = ctypes.c_int32()
        with self._lock:
            lib().jamstat_aggregator_state_form(self._ptr(), ctypes.byref(out))
        return StateForm(out.value)

    def person_free(self, groupings=None):
        """A person-free copy of this state, as a new Aggregator (docs/state-format.md,
        "Person-free states"): the same cells, counts, outcomes, measures and tallies, but instead of
        the keyed hashes of person ids only the distinct persons of every cell of `groupings`, for
        exchange with anyone who should not hold the person key. `groupings` as
        protected_tables() takes them (lists of dimension names, "sex" named explicitly, [] = the
        total; or masks); None freezes every grouping of the cube; the finest grouping is always
        frozen (so ``[]`` freezes just that one). Its roll-ups have persons for the frozen groupings
        only (None elsewhere); its protected tables must publish frozen groupings. It serializes
        and reads back like any state, but takes no records and cannot be merged (both raise
        :class:`jamstat.InvalidArgumentError`). Raises InvalidArgumentError for a state that does
        not count persons or is person-free already."""
        from .protected import _mask_of
        schema = self.schema
        if groupings is None:
            masks = []
        else:
            if isinstance(groupings, (str, int)):
                groupings = [groupings]
            masks = [_mask_of(schema, g) for g in groupings]
            if not masks:  # not count 0, which would freeze every grouping: just the finest
                masks = [(1 << len(schema.dimensions)) - 1]
        arr = (ctypes.c_uint64 * max(1, len(masks)))(*masks)
        h = ctypes.POINTER(_abi.jamstat_aggregator)()
        with self._lock:
            lib().jamstat_aggregator_person_free(self._ptr(), arr if masks else None, len(masks), ctypes.byref(h))
        out = Aggregator.__new__(Aggregator)
        out._init(h, self.on_bad_record, False)
        return out

    @property
    def serialized_size(self):
        """Bytes serialize() returns now."""
        n = ctypes.c_size_t()
        with self._lock:
            lib().jamstat_aggregator_serialized_size(self._ptr(), ctypes.byref(n))
        return n.value

    def serialize(self):
        """The aggregator's state (docs/state-format.md) as bytes. A state that counts persons
        holds keyed hashes of person ids: pseudonymised personal data for whoever holds the key."""
        with self._lock:
            n = ctypes.c_size_t()
            lib().jamstat_aggregator_serialized_size(self._ptr(), ctypes.byref(n))
            buf = (ctypes.c_uint8 * max(1, n.value))()
            size = ctypes.c_size_t()
            lib().jamstat_aggregator_serialize(self._ptr(), buf, n.value, ctypes.byref(size))
        return bytes(memoryview(buf)[:size.value])

    def save(self, path):
        """Writes the state to a file (atomically: a temporary file renamed into place)."""
        data = self.serialize()
        tmp = "%s.tmp-%d" % (os.fspath(path), os.getpid())
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return len(data)


def load(path, on_bad_record="reject", person_key=None):
    """An Aggregator from a state file (Aggregator.load)."""
    return Aggregator.load(path, on_bad_record=on_bad_record, person_key=person_key)


def save(aggregator, path):
    """Writes an aggregator's state to a file (Aggregator.save)."""
    return aggregator.save(path)


def merge(*states, on_bad_record="reject", person_key=None):
    """A new Aggregator holding the union of `states` (Aggregators, serialized bytes or paths of
    state files; same schema and person key). The inputs are left as they were."""
    if not states:
        raise ValueError("merge() needs at least one state")
    first, rest = states[0], states[1:]
    if isinstance(first, Aggregator):
        first = first.serialize()
    if isinstance(first, (str, os.PathLike)):
        out = Aggregator.load(first, on_bad_record=on_bad_record, person_key=person_key)
    else:
        out = Aggregator.deserialize(first, on_bad_record=on_bad_record, person_key=person_key)
    try:
        out.merge(*rest)
    except BaseException:
        out.close()
        raise
    return out
