"""The gap report (docs/methods-gap.md) and its target groups.

    target = jamstat.TargetGroup(schema, ["age_band"])
    target.add(sex=2, population=5000, age_band=0)
    ...
    with agg.gap_report(adjust_for=["age_band"], target=target) as report:
        findings = report.findings(language="sv")   # a DataFrame, one row per finding

The findings table is read column-wise from ``jamstat_gap_report_findings``; its columns follow the
generated declaration of ``jamstat_findings`` (a field added to the C struct appears here when
the declarations are regenerated). Sex columns are prefixed ``women_``, ``men_``, ``not_known_``
and ``not_applicable_``; kinds, periods, statuses, effects and tests are given by name
("outcome", "current", "ok", "proportion_difference", "chi_square"); persons not known
(UINT64_MAX in C) are None (pandas: <NA>); text columns in one language lose their suffix
(``what``, ``grouping``, ``adjusted_for_label``, ``verdict``), or keep both with language=None.
"""
import ctypes

from . import _abi
from ._errors import JamstatError
from ._handle import Handle
from ._library import lib
from .schema import Schema, language_code, new_struct, utf8, ENGLISH

try:
    import numpy as np
except ImportError:
    np = None

_UINT64_MAX = 2 ** 64 - 1
#: The finding statuses among the JAMSTAT_FINDING_* constants (the others are kinds).
_FINDING_STATUSES = ("OK", "TOO_FEW_PERSONS", "NO_COMPARISON", "NOT_A_RATE")


def _names(prefix, exclude=(), only=None):
    out = {}
    for name, value in _abi.CONSTANTS.items():
        if not name.startswith(prefix):
            continue
        short = name[len(prefix):]
        if short in exclude or (only is not None and short not in only):
            continue
        out[value] = short.lower()
    return out


FINDING_KINDS = _names("JAMSTAT_FINDING_", exclude=_FINDING_STATUSES)
FINDING_STATUSES = _names("JAMSTAT_FINDING_", only=_FINDING_STATUSES)
PERIODS = _names("JAMSTAT_PERIOD_")
EFFECTS = _names("JAMSTAT_EFFECT_")
TESTS = _names("JAMSTAT_TEST_")
EXACT_RULES = {v: k for k, v in _names("JAMSTAT_EXACT_").items()}  # name -> value
_CODED = {"kind": FINDING_KINDS, "status": FINDING_STATUSES, "period": PERIODS, "effect": EFFECTS, "method": TESTS}


class TargetGroup(Handle):
    """A target group for the participation findings: population counts per sex and per cell of
    `dimensions` (names; none for sex alone), e.g. the registered population by sex and age band."""

    _free_name = "jamstat_target_group_free"
    _what = "target group"

    def __init__(self, schema, dimensions=()):
        if not isinstance(schema, Schema):
            raise TypeError("TargetGroup needs a jamstat.Schema (e.g. aggregator.schema)")
        if isinstance(dimensions, str):
            dimensions = [dimensions]
        dims = [schema.dimension(d) for d in dimensions]
        arr = (ctypes.c_size_t * max(1, len(dims)))(*[d.index for d in dims])
        h = ctypes.POINTER(_abi.jamstat_target_group)()
        with schema._lock:
            lib().jamstat_target_group_new(schema._ptr(), arr, len(dims), ctypes.byref(h))
        super().__init__(h)
        self.schema = schema
        self.dimensions = tuple(dims)

    def add(self, sex, population, **levels):
        """Adds one cell: a sex code (or label), its population, and the level (code or label)
        of each of the target group's dimensions as keywords. Returns self."""
        from .aggregator import _code_of
        missing = [d.name for d in self.dimensions if d.name not in levels]
        extra = set(levels) - {d.name for d in self.dimensions}
        if missing or extra:
            raise KeyError("give exactly the target group's dimensions (%s) as keywords" % ", ".join(d.name for d in self.dimensions))
        idx = []
        for d in self.dimensions:
            code = _code_of(levels[d.name], d)
            idx.append(self.schema.level_index(d, code))
        arr = (ctypes.c_uint32 * max(1, len(idx)))(*idx)
        with self._lock:
            lib().jamstat_target_group_add(self._ptr(), arr, len(idx), _code_of(sex, self.schema.sex), int(population))
        return self

    @classmethod
    def from_records(cls, schema, records, dimensions=(), population="population", sex="sex"):
        """A target group from rows (dicts, or a DataFrame's rows) holding sex, the dimensions
        and the population."""
        target = cls(schema, dimensions)
        try:
            rows = records.to_dict("records") if hasattr(records, "to_dict") else records
            for r in rows:
                target.add(r[sex], r[population], **{d.name: r[d.name] for d in target.dimensions})
        except BaseException:
            target.close()
            raise
        return target


def _options(aggregator, compare_across, adjust_for, offered_outcomes, target, previous, current, prev_label, extra):
    keep = []

    def names(values):
        if isinstance(values, str):
            values = [values]
        enc = [utf8(v, "a name") for v in values]
        arr = (ctypes.c_char_p * max(1, len(enc)))(*enc)
        keep.append(arr)
        return arr, len(enc)

    o = new_struct("jamstat_gap_options")
    o.compare_across, o.compare_across_count = names(compare_across)
    o.adjust_for, o.adjust_for_count = names(adjust_for)
    o.offered_outcomes, o.offered_outcome_count = names(offered_outcomes)
    if target is not None:
        if not isinstance(target, TargetGroup):
            raise TypeError("target must be a jamstat.TargetGroup")
        o.target = target._ptr()
    if previous is not None:
        o.previous = previous._ptr()
    for field, value in (("current_period", current), ("previous_period", prev_label)):
        if value is not None:
            enc = utf8(str(value))
            keep.append(enc)
            setattr(o, field, enc)
    for key, value in extra.items():
        if key == "exact_rule" and isinstance(value, str):
            if value.lower() not in EXACT_RULES:
                raise ValueError("exact_rule must be one of %s" % ", ".join(EXACT_RULES))
            value = EXACT_RULES[value.lower()]
        if key == "continuity_correction":
            value = 1 if value else 0
        if key not in dict(_abi.jamstat_gap_options._fields_) or key in ("struct_size",) or key.endswith("_count"):
            raise TypeError("gap_report() got an unknown option %r" % key)
        setattr(o, key, value)
    return o, keep


def gap_report(aggregator, compare_across, adjust_for, offered_outcomes, target, previous, current, prev_label, extra):
    o, keep = _options(aggregator, compare_across, adjust_for, offered_outcomes, target, previous, current, prev_label, extra)
    h = ctypes.POINTER(_abi.jamstat_gap_report)()
    locks = [aggregator._lock] + ([previous._lock] if previous is not None and previous is not aggregator else [])
    locks.sort(key=id)
    for l in locks:
        l.acquire()
    try:
        lib().jamstat_gap_report_new(aggregator._ptr(), ctypes.byref(o), ctypes.byref(h))
    except JamstatError as e:
        e._locate(aggregator.schema)
        raise
    finally:
        for l in reversed(locks):
            l.release()
    del keep
    return GapReport(h, aggregator.schema)


def _read_column(ptr, ctype, n):
    if not ptr:
        return None
    if ctype is ctypes.POINTER(ctypes.c_char_p):
        return [(ptr[i] or b"").decode("utf-8") for i in range(n)]
    if np is not None:
        return np.ctypeslib.as_array(ptr, shape=(n,)).copy() if n else np.array([], dtype=np.ctypeslib.as_array(ptr, shape=(1,)).dtype)
    return [ptr[i] for i in range(n)]


class GapReport(Handle):
    """A built gap report: ``tests`` (the number of tests, the family of the q-values),
    ``significance_level``, ``findings(language)`` (a DataFrame), ``findings_records(language)``,
    ``columns()`` (the raw findings table); for a strata report also ``strata()``."""

    _free_name = "jamstat_gap_report_free"
    _what = "gap report"

    def __init__(self, handle, schema, strata=False):
        super().__init__(handle)
        self.schema = schema
        self.is_strata_report = strata
        tests, alpha = ctypes.c_uint64(), ctypes.c_double()
        lib().jamstat_gap_report_tests(handle, ctypes.byref(tests), ctypes.byref(alpha))
        self.tests, self.significance_level = tests.value, alpha.value
        self._columns = None

    def __len__(self):
        return len(self.columns()["kind"])

    def columns(self):
        """The findings table as the C struct holds it (copied): {field: array}; sex columns
        under "women_...", "men_...", "not_known_...", "not_applicable_..."."""
        if self._columns is not None:
            return self._columns
        f = new_struct("jamstat_findings")
        out = {}
        with self._lock:
            lib().jamstat_gap_report_findings(self._ptr(), ctypes.byref(f))
            n = int(f.count)
            for name, ctype in _abi.jamstat_findings._fields_:
                if name in ("struct_size", "count"):
                    continue
                value = getattr(f, name)
                if isinstance(value, _abi.jamstat_sex_columns):
                    for sub, subtype in _abi.jamstat_sex_columns._fields_:
                        out["%s_%s" % (name, sub)] = _read_column(getattr(value, sub), subtype, n)
                else:
                    out[name] = _read_column(value, ctype, n)
        self._columns = out
        return out

    def _flat(self, language):
        cols = self.columns()
        out = {}
        lang = None if language is None else language_code(language)
        for name, values in cols.items():
            if values is None:
                continue
            if name in _CODED:
                table = _CODED[name]
                out[name] = [table.get(int(v), str(int(v))) for v in values]
                continue
            if lang is not None and (name.endswith("_sv") or name.endswith("_en")):
                if name.endswith("_en") != (lang == ENGLISH):
                    continue
                base = name[:-3]
                out[base + "_label" if base in cols else base] = values
                continue
            if np is not None and isinstance(values, np.ndarray) and values.dtype == np.uint64 and (
                    name.endswith("persons") or name == "smallest_cell_persons"):
                out[name] = [None if v == _UINT64_MAX else int(v) for v in values.tolist()]
                continue
            if name.endswith("persons") and isinstance(values, list):
                out[name] = [None if v == _UINT64_MAX else v for v in values]
                continue
            out[name] = values
        return out

    def _strata(self, language):
        if not self.is_strata_report:
            raise ValueError("strata() is for strata reports (Aggregator.strata_report)")
        from .intersectional import strata_of
        cols, dims = strata_of(self)
        lang = None if language is None else language_code(language)
        out = {}
        for name, values in cols.items():
            if lang is not None and name in ("label_sv", "label_en"):
                if name.endswith("_en") == (lang == ENGLISH):
                    out["label"] = values
                continue
            out[name] = values
        return out

    def strata(self, language="sv"):
        """The strata of a strata report (the findings' grouping_level indexes them): a DataFrame
        with the stratum index, each dimension's level index and code, and the stratum's label."""
        import pandas as pd
        return pd.DataFrame(self._strata(language))

    def strata_records(self, language="sv"):
        """strata() as a list of dicts (no pandas needed)."""
        cols = self._strata(language)
        names = list(cols)
        lists = [v.tolist() if hasattr(v, "tolist") else list(v) for v in cols.values()]
        return [dict(zip(names, row)) for row in zip(*lists)]

    def findings_records(self, language="sv"):
        """The findings as a list of dicts (no pandas needed)."""
        flat = self._flat(language)
        names = list(flat)
        lists = [v.tolist() if hasattr(v, "tolist") else list(v) for v in flat.values()]
        return [dict(zip(names, row)) for row in zip(*lists)]

    def findings(self, language="sv"):
        """The findings as a pandas DataFrame (one row per finding, in the report's order)."""
        import pandas as pd
        flat = self._flat(language)
        df = pd.DataFrame(flat)
        for name in df.columns:
            if name.endswith("persons") and df[name].dtype == object:
                df[name] = df[name].astype("UInt64")
        return df
