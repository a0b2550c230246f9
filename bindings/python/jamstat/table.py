"""Roll-up tables and cubes, as pandas DataFrames or lists of records.

A :class:`Table` is one roll-up (a grouping of the schema's dimensions). It is read in one call
(``jamstat_table_export``) and copied into Python, so what you get outlives the table. Rows come
in the order Swedish tables use (``order="reporting"``, the default): women first (Kvinnor, Män,
Okänt, Ej tillämpligt), then the other dimensions' levels in their schema order; ``order="table"``
keeps the library's order (level indices). Columns:

- one per grouped dimension, holding its level labels in `language` ("sv" or "en"; in pandas an
  ordered Categorical in reporting order), and with ``codes=True`` also ``<dimension>_code``
- ``participations``; ``persons`` (when the aggregator counts persons);
  ``anonymous_participants`` (tables grouped by at most sex)
- per outcome: ``<outcome>`` (successes) and ``<outcome>_proportion``
- per numeric measure: ``<measure>_count``, ``_sum``, ``_mean``, ``_variance`` (sample, n - 1),
  ``_sd``, ``_min``, ``_max``, ``_second_max`` (NaN where undefined: no value, or fewer than two)
"""
import ctypes

from . import _abi
from ._handle import Handle
from ._library import lib
from .schema import ENGLISH, language_code, total_label

try:
    import numpy as np
except ImportError:
    np = None

#: Sex codes in the order Swedish tables show them: Kvinnor, Män, Okänt, Ej tillämpligt.
SEX_REPORTING_ORDER = (_abi.JAMSTAT_SEX_FEMALE, _abi.JAMSTAT_SEX_MALE, _abi.JAMSTAT_SEX_NOT_KNOWN,
                       _abi.JAMSTAT_SEX_NOT_APPLICABLE)


def _read(ptr, n, numpy=True):
    """n values behind a C pointer, copied (numpy array when available, else a list)."""
    if not ptr:
        return None
    if numpy and np is not None:
        if n == 0:
            return np.ctypeslib.as_array((ptr._type_ * 1).from_address(ctypes.addressof(ptr.contents)))[:0].copy()
        return np.ctypeslib.as_array(ptr, shape=(n,)).copy()
    return [ptr[i] for i in range(n)]


def _measure_fields():
    """The statistics of jamstat_measure_columns, from the generated declaration."""
    return [name for name, _ in _abi.jamstat_measure_columns._fields_]


def level_order(dimension):
    """Level indices of a dimension in reporting order (sex: Kvinnor, Män, Okänt, Ej tillämpligt)."""
    if dimension.index != 0:
        return list(range(len(dimension.levels)))
    codes = dimension.codes
    first = [codes.index(c) for c in SEX_REPORTING_ORDER if c in codes]
    return first + [i for i in range(len(codes)) if i not in first]


class Table(Handle):
    """A roll-up table (from ``Aggregator.rollup``, ``total`` or a :class:`Cube`). ``len(table)``
    is its number of cells; ``dimensions`` the grouped dimensions in the caller's order."""

    _free_name = "jamstat_table_free"
    _what = "table"

    def __init__(self, handle, schema):
        super().__init__(handle)
        self.schema = schema
        L = lib()
        n, k = ctypes.c_size_t(), ctypes.c_size_t()
        L.jamstat_table_cell_count(handle, ctypes.byref(n))
        L.jamstat_table_dimension_count(handle, ctypes.byref(k))
        dims = []
        for i in range(k.value):
            d = ctypes.c_size_t()
            L.jamstat_table_dimension(handle, i, ctypes.byref(d))
            dims.append(schema.dimensions[d.value])
        self.dimensions = tuple(dims)
        self._cell_count = n.value
        self._exports = {}

    def __len__(self):
        return self._cell_count

    def _describe(self):
        return " by %s, %d cells" % (" x ".join(d.name for d in self.dimensions) or "nothing (total)", self._cell_count)

    def columns(self, order="reporting"):
        """The whole table column-wise, copied: a dict with ``dimensions`` (schema indices),
        ``level_indices`` / ``level_codes`` (one array per grouped dimension), ``participations``,
        ``persons`` (None when not counted), ``anonymous_participants`` (None unless grouped by at
        most sex), ``successes`` (one array per outcome), ``measures`` (one dict per measure:
        count, sum, mean, variance, sd, min, max, second_max). numpy arrays, or lists without numpy."""
        if order not in ("reporting", "table"):
            raise ValueError("order must be 'reporting' or 'table', got %r" % (order,))
        flags = _abi.JAMSTAT_EXPORT_REPORTING_ORDER if order == "reporting" else 0
        if flags in self._exports:
            return self._exports[flags]
        from .schema import new_struct
        c = new_struct("jamstat_table_columns")
        with self._lock:
            lib().jamstat_table_export(self._ptr(), flags, ctypes.byref(c))
            n, k = int(c.cell_count), int(c.dimension_count)
            out = {
                "cell_count": n,
                "dimensions": [int(c.dimensions[i]) for i in range(k)],
                "level_indices": [_read(c.level_indices[i], n) for i in range(k)],
                "level_codes": [_read(c.level_codes[i], n) for i in range(k)],
                "participations": _read(c.participations, n),
                "persons": _read(c.persons, n),
                "anonymous_participants": _read(c.anonymous_participants, n),
                "successes": [_read(c.successes[o], n) for o in range(int(c.outcome_count))],
                "measures": [{f: _read(getattr(c.measures[m], f), n) for f in _measure_fields()}
                             for m in range(int(c.measure_count))],
            }
        self._exports[flags] = out
        return out

    def _label_lists(self, cols, language):
        english = language_code(language) == ENGLISH
        labels = []
        for d, idx in zip(self.dimensions, cols["level_indices"]):
            names = [lv.label_en if english else lv.label_sv for lv in d.levels]
            labels.append([names[i] for i in (idx.tolist() if hasattr(idx, "tolist") else idx)])
        return labels

    def _flat(self, order, language, codes):
        """(column names, list of column value lists or arrays) of the flat table."""
        cols = self.columns(order)
        names, values = [], []
        for d, labels in zip(self.dimensions, self._label_lists(cols, language)):
            names.append(d.name)
            values.append(labels)
        if codes:
            for d, c in zip(self.dimensions, cols["level_codes"]):
                names.append(d.name + "_code")
                values.append(c)
        names.append("participations")
        values.append(cols["participations"])
        if cols["persons"] is not None:
            names.append("persons")
            values.append(cols["persons"])
        if cols["anonymous_participants"] is not None:
            names.append("anonymous_participants")
            values.append(cols["anonymous_participants"])
        part = cols["participations"]
        for name, s in zip(self.schema.outcomes, cols["successes"]):
            names.append(name)
            values.append(s)
            names.append(name + "_proportion")
            if np is not None:
                with np.errstate(invalid="ignore", divide="ignore"):
                    values.append(np.where(part > 0, s / np.maximum(part, 1), np.nan))
            else:
                values.append([x / p if p else float("nan") for x, p in zip(s, part)])
        for m, stats in zip(self.schema.measures, cols["measures"]):
            for stat, v in stats.items():
                names.append("%s_%s" % (m.name, stat))
                values.append(v)
        return names, values

    def to_records(self, language="sv", codes=False, order="reporting"):
        """The table as a list of dicts (one per cell), without pandas."""
        names, values = self._flat(order, language, codes)
        lists = [v.tolist() if hasattr(v, "tolist") else list(v) for v in values]
        return [dict(zip(names, row)) for row in zip(*lists)] if lists else []

    def to_pandas(self, language="sv", codes=False, order="reporting"):
        """The table as a pandas DataFrame (dimension columns are ordered Categoricals)."""
        import pandas as pd
        names, values = self._flat(order, language, codes)
        data = {}
        for name, v in zip(names, values):
            data[name] = v
        df = pd.DataFrame(data, columns=names)
        english = language_code(language) == ENGLISH
        for d in self.dimensions:
            labels = [(d.levels[i].label_en if english else d.levels[i].label_sv) for i in level_order(d)]
            df[d.name] = pd.Categorical(df[d.name], categories=_unique(labels), ordered=True)
        return df

    def cell(self, language="sv", **levels):
        """One cell, found by the library (jamstat_table_find) from each grouped dimension's code
        or label, read with the per-cell calls: a dict like a row of to_records(codes=True).
        KeyError when the cell is empty or a level is unknown."""
        names = [d.name for d in self.dimensions]
        if set(levels) != set(names):
            raise KeyError("give exactly the table's dimensions as keywords: %s" % ", ".join(names))
        from .aggregator import _code_of
        idx = [self.schema.level_index(d, _code_of(levels[d.name], d)) for d in self.dimensions]
        L = lib()
        arr = (ctypes.c_uint32 * max(1, len(idx)))(*idx)
        cell = ctypes.c_size_t()
        from ._errors import InvalidArgumentError
        from .schema import new_struct, text_of
        with self._lock:
            h = self._ptr()
            try:
                L.jamstat_table_find(h, arr, len(idx), ctypes.byref(cell))
            except InvalidArgumentError:
                raise KeyError("the cell %s is empty" % ", ".join("%s=%r" % kv for kv in levels.items())) from None
            out = {}
            lang = language_code(language)
            for k, d in enumerate(self.dimensions):
                index, code, label = ctypes.c_uint32(), ctypes.c_int32(), ctypes.c_char_p()
                L.jamstat_table_cell_level(h, cell.value, k, ctypes.byref(index), ctypes.byref(code), lang, ctypes.byref(label))
                out[d.name] = text_of(label.value)
                out[d.name + "_code"] = code.value
            counts = new_struct("jamstat_cell_counts")
            L.jamstat_table_cell_counts(h, cell.value, ctypes.byref(counts))
            out["participations"] = counts.participations
            if counts.has_persons:
                out["persons"] = counts.persons
            if len(self.dimensions) == 0 or (len(self.dimensions) == 1 and self.dimensions[0].index == 0):
                out["anonymous_participants"] = counts.anonymous_participants
            for o, name in enumerate(self.schema.outcomes):
                successes, proportion = ctypes.c_uint64(), ctypes.c_double()
                L.jamstat_table_cell_outcome(h, cell.value, o, ctypes.byref(successes), ctypes.byref(proportion))
                out[name], out[name + "_proportion"] = successes.value, proportion.value
            for m in self.schema.measures:
                st = new_struct("jamstat_numeric_stats")
                L.jamstat_table_cell_numeric(h, cell.value, m.index, ctypes.byref(st))
                for stat in _measure_fields():
                    out["%s_%s" % (m.name, stat)] = getattr(st, stat)
        return out


def _unique(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


class Cube(Handle):
    """Every roll-up at once: the 2^d tables of all subsets of the d dimensions (sex included).
    ``cube.table("sex", "intervention")`` or ``cube.table(mask)``; iterate for (names, Table)."""

    _free_name = "jamstat_cube_free"
    _what = "cube"

    def __init__(self, handle, schema):
        super().__init__(handle)
        self.schema = schema
        n = ctypes.c_size_t()
        lib().jamstat_cube_table_count(handle, ctypes.byref(n))
        self._count = n.value

    def __len__(self):
        return self._count

    def table(self, *dimensions):
        """The table of some dimensions (names or indices, any order) or of a bit mask (an int:
        bit k = schema dimension k; 0 = the total). A new Table: it outlives the cube."""
        if len(dimensions) == 1 and isinstance(dimensions[0], int) and not isinstance(dimensions[0], bool):
            mask = dimensions[0]
        else:
            if len(dimensions) == 1 and isinstance(dimensions[0], (list, tuple)):
                dimensions = tuple(dimensions[0])
            mask = 0
            for d in dimensions:
                mask |= 1 << self.schema.dimension(d).index
        h = ctypes.POINTER(_abi.jamstat_table)()
        with self._lock:
            lib().jamstat_cube_table(self._ptr(), mask, ctypes.byref(h))
        return Table(h, self.schema)

    def __iter__(self):
        for mask in range(self._count):
            names = tuple(d.name for d in self.schema.dimensions if mask >> d.index & 1)
            yield names, self.table(mask)


def totals_frame(aggregator, by, language, margins, codes):
    """Aggregator.summary: sex x `by` with Totalt rows (and margins over `by` when asked)."""
    import itertools
    schema = aggregator.schema
    dims = [schema.dimension(d) for d in by]
    if any(d.index == 0 for d in dims):
        raise ValueError("summary() always shows sex; leave it out of `by`")
    total = total_label(language)
    subsets = [tuple(dims)]
    if margins:
        subsets = [tuple(c) for r in range(len(dims), -1, -1) for c in itertools.combinations(dims, r)]
    records = []
    for subset in subsets:
        for keep_sex in (True, False):
            with aggregator.rollup([d.name for d in subset], keep_sex=keep_sex) as t:
                for rec in t.to_records(language=language, codes=True):
                    if not keep_sex:
                        rec["sex"], rec["sex_code"] = total, None
                    for d in dims:
                        if d not in subset:
                            rec[d.name], rec[d.name + "_code"] = total, None
                    records.append(rec)
    english = language_code(language) == ENGLISH
    order = {}
    for d in [schema.sex] + dims:
        labels = [(d.levels[i].label_en if english else d.levels[i].label_sv) for i in level_order(d)]
        order[d.name] = {label: i for i, label in enumerate(_unique(labels) + [total])}
    keys = [d.name for d in dims] + ["sex"]
    records.sort(key=lambda r: tuple(order[k][r[k]] for k in keys))
    if not codes:
        for r in records:
            for k in keys:
                r.pop(k + "_code", None)
    return records, keys, order
