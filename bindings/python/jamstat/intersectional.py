"""The intersectional analyses (docs/methods-intersectional.md) through the C ABI:

- ``agg.strata_report(["age_band", "birth_region"])``: the gap report over the strata of those
  dimensions crossed with sex (a :class:`jamstat.GapReport` whose ``strata()`` lists the strata);
- ``agg.maihda(["age_band", "birth_region"], outcome="in_work")``: MAIHDA, the null and the
  additive multilevel models with a random intercept per stratum (:class:`Maihda`);
- ``agg.oaxaca(["age_band", "education"], outcome="in_work")``: the Oaxaca-Blinder decomposition of
  the gap between women and men (women minus men) into an explained and an unexplained part
  (:class:`Decomposition`);
- ``agg.oaxaca_numeric(["hours", "cost"], measure="income")``: the same decomposition with numeric
  characteristics, from the exact cross-product sums of a schema that declares a cross-product set
  (docs/methods-intersectional.md, §2.5).

Results are copied out of the library when the object is made, and read generically from the
generated struct declarations: a field named ``count`` or ``<what>_count`` gives the length of the
array fields that follow it, so fields appended to these structs later show up here after the
declarations are regenerated.
"""
import ctypes

from . import _abi
from ._errors import JamstatError
from ._handle import Handle
from ._library import lib
from .schema import language_code, new_struct, utf8, ENGLISH

try:
    import numpy as np
except ImportError:
    np = None

_POINTER_TYPE = type(ctypes.POINTER(ctypes.c_int))
_REFERENCES = {name[len("JAMSTAT_OAXACA_"):].lower(): value for name, value in _abi.CONSTANTS.items()
               if name.startswith("JAMSTAT_OAXACA_")}
_CRITERIA = {"reml": _abi.JAMSTAT_REML, "ml": _abi.JAMSTAT_ML}


def _is_pointer(ctype):
    return isinstance(ctype, _POINTER_TYPE) or ctype is ctypes.c_char_p


def _is_2d(ctype):
    return isinstance(ctype, _POINTER_TYPE) and (isinstance(ctype._type_, _POINTER_TYPE) and ctype._type_ is not ctypes.c_char_p)


def _array(ptr, ctype, n):
    """n values behind a pointer field, copied; strings decoded."""
    if not ptr:
        return None
    if ctype._type_ is ctypes.c_char_p:
        return [(ptr[i] or b"").decode("utf-8") for i in range(n)]
    if np is not None:
        if n == 0:
            return np.zeros(0, dtype=np.ctypeslib.as_array(ctypes.pointer(ctype._type_())).dtype)
        return np.ctypeslib.as_array(ptr, shape=(n,)).copy()
    return [ptr[i] for i in range(n)]


def read_columns(value, outer=None):
    """A column-wise result struct -> (scalars, {count field: {array field: values}}).
    `outer` gives the outer length of 2-D fields ([outer][count]) by field name."""
    scalars, groups = {}, {}
    current, length = None, 0
    for name, ctype in type(value)._fields_:
        if name == "struct_size":
            continue
        v = getattr(value, name)
        if not _is_pointer(ctype):
            scalars[name] = v
            if name == "count" or name.endswith("_count"):
                current, length = name, int(v)
                groups[current] = {}
            continue
        if current is None:
            continue
        if _is_2d(ctype):
            rows = (outer or {}).get(name)
            if rows is None or not v:
                continue
            groups[current][name] = [_array(v[k], ctypes.POINTER(ctype._type_._type_), length) for k in range(rows)]
        else:
            groups[current][name] = _array(v, ctype, length)
    return scalars, groups


def _frame(columns):
    import pandas as pd
    return pd.DataFrame(columns)


def _records(columns):
    names = list(columns)
    lists = [v.tolist() if hasattr(v, "tolist") else list(v) for v in columns.values()]
    return [dict(zip(names, row)) for row in zip(*lists)]


def _names(values, what):
    if isinstance(values, str):
        values = [values]
    enc = [utf8(v, what) for v in values]
    return (ctypes.c_char_p * max(1, len(enc)))(*enc), len(enc)


def _subject(schema, outcome, measure):
    if (outcome is None) == (measure is None):
        raise ValueError("give exactly one of outcome= (a binary outcome) or measure= (a numeric measure)")
    if outcome is not None:
        index = outcome if isinstance(outcome, int) else schema.outcome_index(outcome)
        return _abi.JAMSTAT_SUBJECT_OUTCOME, index
    index = measure if isinstance(measure, int) else schema.measure(measure).index
    return _abi.JAMSTAT_SUBJECT_MEASURE, index


class MaihdaModel:
    """One fitted MAIHDA model (copied): the scalars of jamstat_maihda_model as attributes
    (``theta``, ``between_variance``, ``residual_variance``, ``vpc``, ``deviance``, ``boundary``),
    ``fixed_effects`` and ``strata`` as dicts of columns; ``fixed_effects_frame()``,
    ``strata_frame()`` (pandas) and ``strata_records()``. Strata columns: ``label``, one level
    index column per dimension (``sex`` first), ``participations``, ``observed``,
    ``random_effect`` (+ ``_sd``, ``_lower``, ``_upper``), ``predicted`` (+ bounds),
    ``clearly_nonzero``."""

    def __init__(self, value, dimensions):
        scalars, groups = read_columns(value, outer={"levels": len(dimensions)})
        for k, v in scalars.items():
            setattr(self, k, v)
        self.scalars = scalars
        self.fixed_effects = groups.get("fixed_effect_count", {})
        strata = dict(groups.get("stratum_count", {}))
        levels = strata.pop("levels", None) or []
        self.strata = {}
        if "label" in strata:
            self.strata["label"] = strata.pop("label")
        for d, values in zip(dimensions, levels):
            self.strata[d.name] = values
        self.strata.update(strata)

    def fixed_effects_frame(self):
        return _frame(self.fixed_effects)

    def strata_frame(self):
        return _frame(self.strata)

    def strata_records(self):
        return _records(self.strata)


class Maihda(Handle):
    """MAIHDA of an aggregator: ``null`` and ``additive`` (:class:`MaihdaModel`), ``pcv`` (the
    proportional change in the between-strata variance), ``auc_null`` / ``auc_additive``
    (logistic models; NaN for linear ones), ``interactions`` (indices of the additive model's
    strata whose interaction is clearly non-zero, largest first) and ``interaction_strata()``."""

    _free_name = "jamstat_maihda_free"
    _what = "MAIHDA"

    def __init__(self, handle, schema, dimensions):
        super().__init__(handle)
        L = lib()
        self.dimensions = (schema.sex,) + tuple(dimensions)
        models = {}
        for name, which in (("null", _abi.JAMSTAT_MAIHDA_NULL), ("additive", _abi.JAMSTAT_MAIHDA_ADDITIVE)):
            m = new_struct("jamstat_maihda_model")
            L.jamstat_maihda_model_get(handle, which, ctypes.byref(m))
            models[name] = MaihdaModel(m, self.dimensions)
        self.null, self.additive = models["null"], models["additive"]
        pcv, auc0, auc1 = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        L.jamstat_maihda_summary(handle, ctypes.byref(pcv), ctypes.byref(auc0), ctypes.byref(auc1))
        self.pcv, self.auc_null, self.auc_additive = pcv.value, auc0.value, auc1.value
        strata, count = ctypes.POINTER(ctypes.c_uint64)(), ctypes.c_size_t()
        L.jamstat_maihda_interactions(handle, ctypes.byref(strata), ctypes.byref(count))
        self.interactions = [int(strata[i]) for i in range(count.value)]

    def model(self, which):
        """"null" or "additive"."""
        if which not in ("null", "additive"):
            raise ValueError("which must be 'null' or 'additive'")
        return self.null if which == "null" else self.additive

    def interaction_strata(self):
        """The additive model's strata with a clearly non-zero interaction, as records."""
        rows = self.additive.strata_records()
        return [rows[i] for i in self.interactions]


class Decomposition(Handle):
    """An Oaxaca-Blinder decomposition (women minus men): ``summary`` (women_participations,
    men_participations, other_sex_participations, women_mean, men_mean, gap, explained,
    unexplained, endowments, coefficients, interaction, each with ``_se``), also as attributes;
    ``terms`` (columns: characteristic, level, is_total, explained_term(_se),
    unexplained_term(_se)); ``terms_frame()`` and ``terms_records()``."""

    _free_name = "jamstat_decomposition_free"
    _what = "decomposition"

    def __init__(self, handle):
        super().__init__(handle)
        r = new_struct("jamstat_decomposition_result")
        lib().jamstat_decomposition_result_get(handle, ctypes.byref(r))
        scalars, groups = read_columns(r)
        self.summary = {k: v for k, v in scalars.items() if not k.endswith("_count")}
        for k, v in self.summary.items():
            setattr(self, k, v)
        self.terms = groups.get("term_count", {})

    def terms_frame(self):
        return _frame(self.terms)

    def terms_records(self):
        return _records(self.terms)


def strata_of(report):
    """jamstat_gap_report_strata of a strata report: a dict of columns (stratum, per dimension its
    level index, code, and label_sv / label_en of the stratum)."""
    s = new_struct("jamstat_strata")
    with report._lock:
        lib().jamstat_gap_report_strata(report._ptr(), ctypes.byref(s))
        dims = [report.schema.dimensions[int(s.dimensions[k])] for k in range(int(s.dimension_count))]
        scalars, groups = read_columns(s, outer={"level_indices": len(dims)})
    cols = dict(groups.get("count", {}))
    n = int(scalars["count"])
    out = {"stratum": list(range(n))}
    for d, idx in zip(dims, cols.pop("level_indices", [])):
        idx_list = idx.tolist() if hasattr(idx, "tolist") else list(idx)
        out[d.name] = idx_list
        out[d.name + "_code"] = [d.levels[i].code for i in idx_list]
    out.update(cols)
    return out, dims


def strata_report(aggregator, dimensions, options):
    from .gap import _options, GapReport
    offered = options.pop("offered_outcomes", ())
    current = options.pop("current_period", None)
    o, keep = _options(aggregator, (), (), offered, None, None, current, None, options)
    names, count = _names(dimensions, "a dimension name")
    h = ctypes.POINTER(_abi.jamstat_gap_report)()
    with aggregator._lock:
        try:
            lib().jamstat_strata_report_new(aggregator._ptr(), names, count, ctypes.byref(o), ctypes.byref(h))
        except JamstatError as e:
            e._locate(aggregator.schema)
            raise
    del keep
    return GapReport(h, aggregator.schema, strata=True)


def maihda(aggregator, dimensions, outcome, measure, criterion, quadrature_nodes, interval_level, language):
    schema = aggregator.schema
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    dims = [schema.dimension(d) for d in dimensions]
    kind, index = _subject(schema, outcome, measure)
    if criterion not in _CRITERIA:
        raise ValueError("criterion must be 'reml' or 'ml', got %r" % (criterion,))
    names, count = _names([d.name for d in dims], "a dimension name")
    o = new_struct("jamstat_maihda_options", dimensions=names, dimension_count=count, subject_kind=kind,
                   subject=index, criterion=_CRITERIA[criterion], quadrature_nodes=int(quadrature_nodes),
                   interval_level=float(interval_level), english=1 if language_code(language) == ENGLISH else 0)
    h = ctypes.POINTER(_abi.jamstat_maihda)()
    with aggregator._lock:
        lib().jamstat_maihda_new(aggregator._ptr(), ctypes.byref(o), ctypes.byref(h))
    try:
        return Maihda(h, schema, dims)
    except BaseException:
        lib().jamstat_maihda_free(ctypes.byref(h))
        raise


def oaxaca(aggregator, characteristics, outcome, measure, reference, women_weight, nonlinear, language):
    schema = aggregator.schema
    if isinstance(characteristics, str):
        characteristics = [characteristics]
    kind, index = _subject(schema, outcome, measure)
    if reference not in _REFERENCES:
        raise ValueError("reference must be one of %s" % ", ".join(_REFERENCES))
    names, count = _names([schema.dimension(c).name for c in characteristics], "a characteristic")
    o = new_struct("jamstat_oaxaca_options", characteristics=names, characteristic_count=count, subject_kind=kind,
                   subject=index, reference=_REFERENCES[reference], women_weight=float(women_weight),
                   nonlinear=1 if nonlinear else 0, english=1 if language_code(language) == ENGLISH else 0)
    h = ctypes.POINTER(_abi.jamstat_decomposition)()
    with aggregator._lock:
        lib().jamstat_oaxaca_new(aggregator._ptr(), ctypes.byref(o), ctypes.byref(h))
    try:
        return Decomposition(h)
    except BaseException:
        lib().jamstat_decomposition_free(ctypes.byref(h))
        raise


def oaxaca_numeric(aggregator, numeric, characteristics, outcome, measure, reference, women_weight, language):
    schema = aggregator.schema
    if isinstance(numeric, str):
        numeric = [numeric]
    if isinstance(characteristics, str):
        characteristics = [characteristics]
    kind, index = _subject(schema, outcome, measure)
    if reference not in _REFERENCES:
        raise ValueError("reference must be one of %s" % ", ".join(_REFERENCES))
    numeric_names, numeric_count = _names(list(numeric), "a numeric characteristic")
    names, count = _names([schema.dimension(c).name for c in characteristics], "a characteristic")
    o = new_struct("jamstat_oaxaca_options", characteristics=names, characteristic_count=count, subject_kind=kind,
                   subject=index, reference=_REFERENCES[reference], women_weight=float(women_weight),
                   nonlinear=0, english=1 if language_code(language) == ENGLISH else 0)
    h = ctypes.POINTER(_abi.jamstat_decomposition)()
    with aggregator._lock:
        lib().jamstat_oaxaca_numeric_new(aggregator._ptr(), ctypes.byref(o), numeric_names, numeric_count, ctypes.byref(h))
    try:
        return Decomposition(h)
    except BaseException:
        lib().jamstat_decomposition_free(ctypes.byref(h))
        raise
