"""Disclosure control: the tables an aggregator publishes, protected (docs/disclosure.md).

    with agg.protected_tables([["sex", "intervention"], ["intervention"], ["sex"], []]) as p:
        print(p.to_string(0))                 # suppressed values as ".."
        df = p.table(0)                       # a DataFrame: suppressed counts <NA>
        p.summary()                           # information loss, LPs, seconds
        p.audit()                             # the attacker's intervals (publisher only)

All groupings given in one call are protected at once, as linked tables (a cell hidden in one
cannot be recomputed from another or from a marginal). A grouping is a list of dimension names
("sex" included explicitly; [] is the total) or a mask as ``jamstat_cube_table`` takes it.

Columns of a protected table (from ``jamstat_protected_tables_grouping``): one column per grouped
dimension (its level label, or with ``codes=True`` also ``<dimension>_code``), ``status`` (of the
counts: "published", "primary", "secondary" or "perturbed"), ``persons``, ``participations``, per
outcome ``<outcome>_status`` and ``<outcome>`` (successes), per measure ``<measure>_status`` and
``<measure>_sum``. Only publishable values leave the library: a suppressed count is None (pandas:
<NA>), a suppressed sum None/NaN. Under the cell key method counts are perturbed and totals are
perturbed as cells of their own: parts need not add up to totals (``ProtectedTables.note``).
Rows are in reporting order (Kvinnor, Män, Okänt, Ej tillämpligt; then level order).
"""
import ctypes
import math

from . import _abi
from ._handle import Handle
from ._library import lib
from .schema import new_struct, utf8
from .table import level_order

_UINT64_MAX = 2 ** 64 - 1


def _names(prefix):
    return {v: k[len(prefix):].lower() for k, v in _abi.CONSTANTS.items() if k.startswith(prefix)}


#: Status of a statistic: 0 published, 1 primary, 2 secondary, 3 perturbed (JAMSTAT_CELL_*).
CELL_STATUSES = _names("JAMSTAT_CELL_")
#: Quantities of the audit (JAMSTAT_AUDIT_*): persons, participations, successes, failures, measure_sum.
AUDIT_QUANTITIES = _names("JAMSTAT_AUDIT_")
_METHODS = {v: k for k, v in _names("JAMSTAT_DISCLOSURE_").items()}          # "cell_suppression", "cell_key"
_DOMINANCE = {v: k for k, v in _names("JAMSTAT_DOMINANCE_").items()}         # "none", "p_percent", "nk"
_COSTS = {v: k for k, v in _names("JAMSTAT_SUPPRESSION_COST_").items()}      # "persons", "cells"
_PERSONS = {v: k for k, v in _names("JAMSTAT_PERSONS_").items()}             # "from_hashes", "from_counts"
_NAMED = {"method": _METHODS, "dominance": _DOMINANCE, "cost": _COSTS, "persons": _PERSONS}

#: Printed beside every table protected by the cell key method.
CELL_KEY_NOTE = ("Värdena är slumpmässigt störda (cellnyckelmetoden); delar summerar inte nödvändigtvis till totaler. / "
                 "Values are perturbed (cell key method); parts need not add up to totals.")


def _mask_of(schema, grouping):
    if isinstance(grouping, int) and not isinstance(grouping, bool):
        return grouping
    if isinstance(grouping, str):
        grouping = [grouping]
    mask = 0
    for d in grouping:
        bit = 1 << schema.dimension(d).index
        if mask & bit:
            raise ValueError("a dimension is named twice in grouping %r" % (list(grouping),))
        mask |= bit
    return mask


def _options(options):
    o = new_struct("jamstat_disclosure_options")
    keep = []
    fields = dict(_abi.jamstat_disclosure_options._fields_)
    for key, value in options.items():
        if key not in fields or key == "struct_size":
            raise TypeError("protected_tables() got an unknown option %r" % key)
        if value is None:
            continue
        if key in _NAMED and isinstance(value, str):
            table = _NAMED[key]
            if value.lower() not in table:
                raise ValueError("%s must be one of %s, got %r" % (key, ", ".join(sorted(table)), value))
            value = table[value.lower()]
        if key == "cell_key_secret":
            secret = bytes(value)
            if len(secret) != 16:
                raise ValueError("cell_key_secret must be 16 bytes, got %d" % len(secret))
            o.cell_key_secret[:] = list(secret)
            continue
        if key == "ptable_csv":
            value = utf8(value, "ptable_csv")
            keep.append(value)
        setattr(o, key, value)
    return o, keep


def protect(aggregator, groupings, options):
    """Aggregator.protected_tables (see there)."""
    schema = aggregator.schema
    if isinstance(groupings, (str, int)):
        groupings = [groupings]
    masks = [_mask_of(schema, g) for g in groupings]
    o, keep = _options(options)
    arr = (ctypes.c_uint64 * max(1, len(masks)))(*masks)
    h = ctypes.POINTER(_abi.jamstat_protected_tables)()
    with aggregator._lock:
        lib().jamstat_protected_tables_new(aggregator._ptr(), arr, len(masks), ctypes.byref(o), ctypes.byref(h))
    del keep
    return ProtectedTables(h, schema, masks)


class ProtectedTables(Handle):
    """Protected groupings of one state (from ``Aggregator.protected_tables``): ``len(p)``
    groupings; ``table(g)`` a DataFrame, ``records(g)`` a list of dicts; ``summary()``;
    ``audit()`` / ``audit_records()`` (publisher only: true values); ``method``, ``note``."""

    _free_name = "jamstat_protected_tables_free"
    _what = "protected tables"

    def __init__(self, handle, schema, masks):
        super().__init__(handle)
        self.schema = schema
        self.masks = tuple(masks)
        self._cache = {}
        self.method = _names("JAMSTAT_DISCLOSURE_")[self.summary()["method"]]

    def __len__(self):
        return len(self.masks)

    @property
    def note(self):
        """The note every output of the cell key method must carry ("" under cell suppression)."""
        return CELL_KEY_NOTE if self.method == "cell_key" else ""

    def grouping(self, g):
        """The dimension names of grouping g (schema order)."""
        return [d.name for d in self.schema.dimensions if self.masks[g] >> d.index & 1]

    def summary(self):
        """What protection did (jamstat_disclosure_summary as a dict)."""
        s = new_struct("jamstat_disclosure_summary")
        with self._lock:
            lib().jamstat_protected_tables_summary(self._ptr(), ctypes.byref(s))
        return {name: getattr(s, name) for name, _ in _abi.jamstat_disclosure_summary._fields_ if name != "struct_size"}

    def _columns(self, g):
        if g in self._cache:
            return self._cache[g]
        if not 0 <= g < len(self.masks):
            raise IndexError("grouping %d of %d" % (g, len(self.masks)))
        c = new_struct("jamstat_protected_columns")
        with self._lock:
            lib().jamstat_protected_tables_grouping(self._ptr(), g, ctypes.byref(c))
            n = int(c.cell_count)
            dims = [int(c.dimensions[k]) for k in range(int(c.dimension_count))]
            out = {
                "dimensions": dims,
                "level_indices": [[c.level_indices[k][i] for i in range(n)] for k in range(len(dims))],
                "level_codes": [[c.level_codes[k][i] for i in range(n)] for k in range(len(dims))],
                "count_status": [c.count_status[i] for i in range(n)],
                "persons": [c.persons[i] for i in range(n)],
                "participations": [c.participations[i] for i in range(n)],
                "outcome_status": [[c.outcome_status[k][i] for i in range(n)] for k in range(int(c.outcome_count))],
                "successes": [[c.successes[k][i] for i in range(n)] for k in range(int(c.outcome_count))],
                "measure_status": [[c.measure_status[k][i] for i in range(n)] for k in range(int(c.measure_count))],
                "measure_sums": [[c.measure_sums[k][i] for i in range(n)] for k in range(int(c.measure_count))],
                "cell_count": n,
            }
        self._cache[g] = out
        return out

    def records(self, g, language="sv", codes=False, order="reporting", skip_empty=False):
        """Grouping g as a list of dicts (no pandas needed); suppressed values are None. Each
        record also has ``cell`` (the row of the C columns, which the audit's ``cell`` names).
        skip_empty leaves out the cells published as empty (0 participations; e.g. sex not known)."""
        c = self._columns(g)
        dims = [self.schema.dimensions[i] for i in c["dimensions"]]
        rows = list(range(c["cell_count"]))
        if order == "reporting":
            ranks = [{lv: r for r, lv in enumerate(level_order(d))} for d in dims]
            rows.sort(key=lambda i: tuple(ranks[k][c["level_indices"][k][i]] for k in range(len(dims))))
        elif order != "table":
            raise ValueError("order must be 'reporting' or 'table', got %r" % (order,))
        out = []
        for i in rows:
            if skip_empty and c["participations"][i] == 0:
                continue
            r = {}
            for k, d in enumerate(dims):
                r[d.name] = d.level_labels(language)[c["level_indices"][k][i]]
                if codes:
                    r[d.name + "_code"] = c["level_codes"][k][i]
            r["status"] = CELL_STATUSES.get(c["count_status"][i], str(c["count_status"][i]))
            for name in ("persons", "participations"):
                v = c[name][i]
                r[name] = None if v == _UINT64_MAX else v
            for k, name in enumerate(self.schema.outcomes):
                r[name + "_status"] = CELL_STATUSES.get(c["outcome_status"][k][i])
                v = c["successes"][k][i]
                r[name] = None if v == _UINT64_MAX else v
            for k, m in enumerate(self.schema.measures):
                name = m.name if hasattr(m, "name") else m
                r[name + "_status"] = CELL_STATUSES.get(c["measure_status"][k][i])
                v = c["measure_sums"][k][i]
                r[name + "_sum"] = None if math.isnan(v) else v
            r["cell"] = i
            out.append(r)
        return out

    def table(self, g, language="sv", codes=False, order="reporting", skip_empty=False):
        """Grouping g as a pandas DataFrame: counts as nullable UInt64 (<NA> when suppressed),
        sums as float (NaN when suppressed); ``to_string(g)`` prints suppressed values as ".."."""
        import pandas as pd
        recs = self.records(g, language, codes, order, skip_empty)
        names = list(recs[0]) if recs else []
        df = pd.DataFrame.from_records(recs, columns=names)
        counts = ["persons", "participations"] + list(self.schema.outcomes)
        for name in counts:
            if name in df:
                df[name] = df[name].astype("UInt64")
        return df.drop(columns=["cell"]).reset_index(drop=True) if "cell" in df else df

    def to_string(self, g, columns=None, language="sv", skip_empty=True):
        """Grouping g as text to publish: suppressed values shown as "..", and under the cell key
        method the note that parts need not add up to totals. `columns` selects columns (the
        dimensions are always shown)."""
        import pandas as pd
        df = self.table(g, language=language, skip_empty=skip_empty)
        dims = self.grouping(g)
        if columns is not None:
            df = df[dims + [c for c in columns if c not in dims]]
        shown = df.astype(object).where(df.notna(), "..")
        text = shown.to_string(index=False)
        return text + ("\n" + self.note if self.note else "")

    def audit_records(self):
        """The audit (cell suppression): one dict per (suppressed statistic, quantity) with
        quantity ("persons", ...), index, grouping, cell, value (the TRUE figure: publisher only),
        lower, upper (the attacker's interval), required_lower/_upper, protected_enough."""
        a = new_struct("jamstat_disclosure_audit")
        with self._lock:
            lib().jamstat_protected_tables_audit(self._ptr(), ctypes.byref(a))
            n = int(a.count)
            names = [name for name, _ in _abi.jamstat_disclosure_audit._fields_ if name not in ("struct_size", "count")]
            cols = {name: [getattr(a, name)[i] for i in range(n)] for name in names}
        cols["quantity"] = [AUDIT_QUANTITIES.get(q, str(q)) for q in cols["quantity"]]
        cols["protected_enough"] = [bool(v) for v in cols["protected_enough"]]
        return [dict(zip(names, row)) for row in zip(*(cols[k] for k in names))]

    def audit(self):
        """audit_records() as a pandas DataFrame."""
        import pandas as pd
        names = [name for name, _ in _abi.jamstat_disclosure_audit._fields_ if name not in ("struct_size", "count")]
        return pd.DataFrame.from_records(self.audit_records(), columns=names)
