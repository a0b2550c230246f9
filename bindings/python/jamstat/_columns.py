"""Columns for jamstat_aggregator_add_arrays, from numpy arrays, pandas columns or sequences.

No per-row Python loop for numeric data: a column whose dtype the C ABI takes is passed
**zero-copy** (its buffer's address, aligned and contiguous); any other dtype is converted with
vectorised numpy operations and **checked**, never wrapped or truncated silently:

=============  =====================================  ===========================================
field          zero-copy dtypes                        converted
=============  =====================================  ===========================================
dimension      uint8, uint16, int32, bool (as uint8)   other integers (numpy's default int64, ...)
(sex incl.)                                            -> the narrowest of uint8/uint16/int32 that
                                                       holds their min and max; values outside
                                                       int32 become -2 (no level: the record is
                                                       bad, CODE_UNKNOWN / SEX_NOT_ISO5218, never
                                                       wrapped to a valid code); floats: NaN -> -1
                                                       (missing), non-integers -> -2; pandas NA /
                                                       None -> -1; labels (str, Categorical of
                                                       labels) -> their code (sv, en or the code as
                                                       text), unknown labels -> -2
outcome        bool (as uint8), uint8, int32           other ints -> uint8 or int32 as above;
                                                       floats -> int32 (NaN/NA -> -1: not binary)
measure        float64, float32; int64 in              ints -> float64 (floating measure) or grid
               GridUnits(...) (decimal measure)        units, exact (decimal measure); NA -> NaN
                                                       (MEASURE_NOT_FINITE); a decimal measure's
                                                       float64 goes zero-copy: the library puts it
                                                       on the grid and checks it
person_id      uint32, uint64, int64 (as uint64)       other ints -> uint64 (two's complement, as a
                                                       Python int id is hashed); str/bytes/objects
                                                       -> byte strings (UTF-8); a Personnummer ->
                                                       its canonical 12 digits; NA/None -> missing
=============  =====================================  ===========================================

Integer ids are hashed as their 8 little-endian bytes whatever the column type, so an id given as
uint32, int64, a Python int or inside a column with missing values counts as the same person.
A value replaced by -2 is reported by the library as a bad record of its row and field (under
either policy), and the exception's message then names the original value.
"""
import array
import ctypes
import math
import sys

from . import _abi

try:
    import numpy as np
except ImportError:  # numpy is optional: sequences then go through the array module
    np = None

U8, U16, I32, U32, U64 = _abi.JAMSTAT_COLUMN_U8, _abi.JAMSTAT_COLUMN_U16, _abi.JAMSTAT_COLUMN_I32, _abi.JAMSTAT_COLUMN_U32, _abi.JAMSTAT_COLUMN_U64
F32, F64, BYTES, I64 = _abi.JAMSTAT_COLUMN_F32, _abi.JAMSTAT_COLUMN_F64, _abi.JAMSTAT_COLUMN_BYTES, _abi.JAMSTAT_COLUMN_I64
MISSING = _abi.JAMSTAT_MISSING_CODE
#: What a value that cannot be a code becomes: codes are non-negative and -1 means missing, so the
#: library rejects -2 as an unknown code (or, for sex, as not ISO/IEC 5218) at its row and field.
NO_LEVEL = -2
INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
LITTLE = sys.byteorder == "little"


class GridUnits:
    """Marks integer values of a decimal measure as grid units (26554 for 265.54 h at 2 decimals),
    passed to the library as they are (zero-copy for int64)."""

    def __init__(self, values):
        self.values = values


class Column:
    """One prepared column: C type, data address, length, and what keeps the memory alive."""

    __slots__ = ("field", "name", "type", "address", "length", "keep", "copied", "replaced", "originals", "why")

    def __init__(self, field, name, ctype, address, length, keep, copied, replaced=None, originals=None, why=None):
        self.field, self.name, self.type, self.address, self.length = field, name, ctype, address, length
        self.keep, self.copied = keep, copied
        self.replaced = replaced    # sorted rows whose value was replaced by NO_LEVEL (numpy array / list)
        self.originals = originals  # the original values of those rows
        self.why = why              # why they were replaced

    def explain(self, row):
        """A sentence about a replaced row, or None when the row's value was not replaced."""
        if self.replaced is None or len(self.replaced) == 0:
            return None
        if np is not None and isinstance(self.replaced, np.ndarray):
            i = int(np.searchsorted(self.replaced, row))
        else:
            import bisect
            i = bisect.bisect_left(self.replaced, row)
        if i < len(self.replaced) and int(self.replaced[i]) == row:
            value = self.originals[i]
            if hasattr(value, "item"):
                value = value.item()
            return "row %d: %s %r %s" % (row, self.name, value, self.why)
        return None


# ------------------------------------------------------------------------------ normalisation

def _is_pandas(values):
    mod = type(values).__module__
    return mod.startswith("pandas")


def _numpy_of_pandas(values):
    """pandas Series / Index / ExtensionArray -> ("categorical", categories, codes) or
    ("array", ndarray, missing mask or None)."""
    import pandas as pd
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cat = values.cat if isinstance(values, pd.Series) else pd.Categorical(values)
        codes = cat.codes
        return "categorical", cat.categories, np.asarray(codes)
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and numpy_dtype is not None and numpy_dtype.kind in "biuf":
        series = pd.Series(values) if not isinstance(values, pd.Series) else values
        missing = series.isna().to_numpy()
        fill = False if numpy_dtype.kind == "b" else 0
        data = series.to_numpy(dtype=numpy_dtype, na_value=fill)
        return "array", data, (missing if missing.any() else None)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        series = pd.Series(values) if not isinstance(values, pd.Series) else values
        return "array", series.to_numpy(dtype=object), None
    return "array", values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values), None


def normalise(values):
    """-> (kind, data, extra): ("array", ndarray, missing mask or None) or
    ("categorical", categories, codes)."""
    if _is_pandas(values):
        return _numpy_of_pandas(values)
    if isinstance(values, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(values)
        return "array", np.ma.getdata(values), (mask if mask.any() else None)
    if isinstance(values, np.ndarray):
        return "array", values, None
    arr = np.asarray(values)
    if arr.dtype.kind == "O" and arr.ndim == 1:
        # A list with None: numbers stay numbers, None becomes missing.
        none = np.fromiter((v is None for v in values), dtype=bool, count=len(arr))
        if none.any():
            rest = [v for v in values if v is not None]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rest):
                kind = float if any(isinstance(v, float) for v in rest) else int
                dense = np.array([kind(0) if v is None else v for v in values],
                                 dtype=np.float64 if kind is float else np.int64)
                return "array", dense, none
    return "array", arr, None


def _object_kind(arr):
    """Classifies an object array: "int" (Python ints / None), "float", "text" or "mixed"."""
    kinds = set()
    for v in arr:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if isinstance(v, (bool, np.bool_)):
            kinds.add("int")
        elif isinstance(v, (int, np.integer)):
            kinds.add("int")
        elif isinstance(v, (float, np.floating)):
            kinds.add("float")
        elif isinstance(v, (str, bytes)):
            kinds.add("text")
        else:
            kinds.add("other")
        if len(kinds) > 1:
            return "mixed"
    return kinds.pop() if kinds else "float"


def _missing_of_object(arr):
    return np.fromiter((v is None or (isinstance(v, float) and math.isnan(v)) for v in arr), dtype=bool, count=len(arr))


def _contiguous(arr, dtype=None):
    """A native-order, aligned, C-contiguous array (a copy only when `arr` is not one)."""
    if dtype is not None and arr.dtype != dtype:
        return np.ascontiguousarray(arr, dtype=dtype), True
    if not arr.dtype.isnative:
        return np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("=")), True
    if arr.flags.c_contiguous and arr.flags.aligned:
        return arr, False
    return np.ascontiguousarray(arr), True


def _address(arr):
    return arr.__array_interface__["data"][0] if arr.size else 0


# ------------------------------------------------------------------------------------ codes

def _int_to_int32(arr):
    """Integer array -> int32 with values outside int32 replaced by NO_LEVEL; (out, replaced rows)."""
    if arr.dtype.kind == "u":
        bad = arr > INT32_MAX
    else:
        bad = (arr < INT32_MIN) | (arr > INT32_MAX)
    out = arr.astype(np.int32)  # wraps out-of-range values; they are overwritten next
    rows = np.flatnonzero(bad)
    if rows.size:
        out[rows] = NO_LEVEL
    return out, rows


#: Rows per block when integers are narrowed: a block's min, max and cast run while it is in
#: cache, so a column is read from memory once (about twice as fast as whole-array passes).
NARROW_BLOCK = 32768


def _narrow_ints(arr, allow_u16=True):
    """Integer array -> the narrowest column type the C ABI takes for it: uint8 while every value
    is in 0..255, uint16 (codes only) in 0..65535, int32 in int32; an array holding values outside
    int32 takes the masked path (those values become NO_LEVEL). Block by block: each block's min
    and max decide whether the output must widen (what was written is then widened once).
    -> (out, C type, replaced rows)."""
    kinds = [(0, 255, np.uint8, U8)] + ([(0, 65535, np.uint16, U16)] if allow_u16 else []) + \
        [(INT32_MIN, INT32_MAX, np.int32, I32)]
    n = len(arr)
    level = 0
    out = np.empty(n, dtype=kinds[0][2])
    for i in range(0, n, NARROW_BLOCK):
        block = arr[i:i + NARROW_BLOCK]
        lo, hi = int(block.min()), int(block.max())
        while not (kinds[level][0] <= lo and hi <= kinds[level][1]):
            level += 1
            if level == len(kinds):
                out, rows = _int_to_int32(arr)
                return out, I32, rows
            out = out.astype(kinds[level][2])
        out[i:i + NARROW_BLOCK] = block
    return out, kinds[level][3], np.empty(0, np.int64)


def _float_to_int32(arr):
    """Float array -> int32: NaN -> MISSING, non-integers / out of int32 -> NO_LEVEL."""
    nan = np.isnan(arr)
    with np.errstate(invalid="ignore"):
        bad = ~nan & ((arr != np.floor(arr)) | (arr < INT32_MIN) | (arr > INT32_MAX))
    clean = np.where(nan | bad, 0, arr)
    out = clean.astype(np.int32)
    out[nan] = MISSING
    rows = np.flatnonzero(bad)
    out[rows] = NO_LEVEL
    return out, rows


def _label_table(dimension):
    """label (sv, en, or the code as text) -> code; Swedish labels win over English ones."""
    table = {}
    for lv in dimension.levels:
        table.setdefault(str(lv.code), lv.code)
    for lv in dimension.levels:
        if lv.label_en:
            table[lv.label_en] = lv.code
    for lv in dimension.levels:
        if lv.label_sv:
            table[lv.label_sv] = lv.code
    return table


def _labels_to_codes(arr, dimension):
    """Array of labels (str/bytes/None) -> int32 codes; unknown labels -> NO_LEVEL."""
    table = _label_table(dimension)
    missing = _missing_of_object(arr) if arr.dtype.kind == "O" else np.zeros(arr.shape, dtype=bool)
    keys = np.where(missing, "", arr).astype(str) if arr.dtype.kind == "O" else arr.astype(str)
    uniques, inverse = np.unique(keys, return_inverse=True)
    lut = np.array([table.get(u, NO_LEVEL) for u in uniques.tolist()], dtype=np.int32)
    out = lut[inverse].astype(np.int32)
    out[missing] = MISSING
    rows = np.flatnonzero(out == NO_LEVEL)
    return out, rows


def code_array(values, dimension):
    """-> (int32/uint8/uint16 array, C type, copied, replaced rows, originals, why)."""
    kind, data, extra = normalise(values)
    if kind == "categorical":
        cats, codes = data, extra
        lut, _, _, _, _, why = code_array(np.asarray(cats), dimension)
        lut = lut.astype(np.int32)
        out = np.where(codes < 0, MISSING, lut[np.where(codes < 0, 0, codes)] if len(lut) else MISSING).astype(np.int32)
        rows = np.flatnonzero(out == NO_LEVEL) if len(lut) and (lut == NO_LEVEL).any() else np.empty(0, np.int64)
        originals = np.asarray(cats)[codes[rows]] if rows.size else None
        return out, I32, True, rows, originals, why
    arr, missing = data, extra
    if arr.ndim != 1:
        raise ValueError("a column must be one-dimensional, got shape %r" % (arr.shape,))
    k = arr.dtype.kind
    rows, why = np.empty(0, np.int64), None
    if missing is None:
        if arr.dtype == np.uint8:
            out, copied = _contiguous(arr)
            return out, U8, copied, rows, None, None
        if arr.dtype == np.uint16:
            out, copied = _contiguous(arr)
            return out, U16, copied, rows, None, None
        if arr.dtype == np.int32:
            out, copied = _contiguous(arr)
            return out, I32, copied, rows, None, None
        if k == "b":
            out, copied = _contiguous(arr)
            return out.view(np.uint8), U8, copied, rows, None, None
    if k in "iu" and missing is None:
        out, ctype, rows = _narrow_ints(arr)
        return out, ctype, True, rows, (arr[rows] if rows.size else None), "does not fit in 32 bits, so no level has it"
    if k in "iu":
        out, rows = _int_to_int32(arr)
        why = "does not fit in 32 bits, so no level has it"
    elif k == "b":
        out = arr.astype(np.int32)
    elif k == "f":
        out, rows = _float_to_int32(arr.astype(np.float64, copy=False))
        why = "is not an integer code"
    elif k in "US" or (k == "O" and _object_kind(arr) == "text"):
        out, rows = _labels_to_codes(arr, dimension)
        why = "is not a code or label of %s" % dimension.name
    elif k == "O":
        okind = _object_kind(arr)
        if okind in ("int", "float"):
            miss = _missing_of_object(arr)
            dense = np.array([0 if m else v for v, m in zip(arr.tolist(), miss.tolist())],
                             dtype=np.int64 if okind == "int" else np.float64)
            sub, _, _, rows, _, why = code_array(dense, dimension)
            out = sub.astype(np.int32)
            missing = miss if missing is None else (missing | miss)
        else:
            raise TypeError("column %s holds %s values; codes are integers or labels" % (dimension.name, okind))
    else:
        raise TypeError("column %s has dtype %s; codes are integers or labels" % (dimension.name, arr.dtype))
    if missing is not None:
        out[missing] = MISSING
        if rows.size:
            rows = rows[~missing[rows]]
    originals = arr[rows] if rows.size else None
    return np.ascontiguousarray(out, dtype=np.int32), I32, True, rows, originals, why


def outcome_array(values, name):
    kind, data, extra = normalise(values)
    if kind == "categorical":
        cats, codes = np.asarray(data), extra
        dense = cats[np.where(codes < 0, 0, codes)] if len(cats) else np.zeros(len(codes))
        if dense.dtype.kind in "iub":
            dense = dense.astype(np.float64)
        dense = np.where(codes < 0, np.nan, dense)
        return outcome_array(dense, name)
    arr, missing = data, extra
    if arr.ndim != 1:
        raise ValueError("a column must be one-dimensional, got shape %r" % (arr.shape,))
    k = arr.dtype.kind
    rows = np.empty(0, np.int64)
    if missing is None:
        if k == "b" or arr.dtype == np.uint8:
            out, copied = _contiguous(arr)
            return out.view(np.uint8), U8, copied, rows, None, None
        if arr.dtype == np.int32:
            out, copied = _contiguous(arr)
            return out, I32, copied, rows, None, None
    why = "is not 0 or 1"
    if k in "iu" and missing is None:
        out, ctype, rows = _narrow_ints(arr, allow_u16=False)
        return out, ctype, True, rows, (arr[rows] if rows.size else None), why
    if k in "iu":
        out, rows = _int_to_int32(arr)
    elif k == "b":
        out = arr.astype(np.int32)
    elif k == "f":
        out, rows = _float_to_int32(arr.astype(np.float64, copy=False))
    elif k == "O" and _object_kind(arr) in ("int", "float"):
        miss = _missing_of_object(arr)
        dense = np.array([0 if m else v for v, m in zip(arr.tolist(), miss.tolist())], dtype=np.float64)
        dense[miss] = np.nan
        return outcome_array(dense if missing is None else np.where(missing, np.nan, dense), name)
    else:
        raise TypeError("outcome %s has dtype %s; outcomes are 0/1, bool or integers" % (name, arr.dtype))
    if missing is not None:
        out[missing] = MISSING
        if rows.size:
            rows = rows[~missing[rows]]
    originals = arr[rows] if rows.size else None
    return np.ascontiguousarray(out, dtype=np.int32), I32, True, rows, originals, why


def measure_array(values, measure):
    """-> (array, C type, copied). Decimal measures take float64 (put on the grid by the library)
    or int64 grid units; floating ones float64/float32."""
    units = isinstance(values, GridUnits)
    if units:
        if measure.kind != "decimal":
            raise TypeError("GridUnits given for %s, which is a floating measure (grid units are for decimal measures)" % measure.name)
        values = values.values
    kind, data, extra = normalise(values)
    if kind == "categorical":
        cats, codes = np.asarray(data, dtype=np.float64), extra
        dense = np.where(codes < 0, np.nan, cats[np.where(codes < 0, 0, codes)] if len(cats) else np.nan)
        return measure_array(GridUnits(dense) if units else dense, measure)
    arr, missing = data, extra
    if arr.ndim != 1:
        raise ValueError("a column must be one-dimensional, got shape %r" % (arr.shape,))
    k = arr.dtype.kind
    if k == "O":
        okind = _object_kind(arr)
        if okind not in ("int", "float"):
            raise TypeError("measure %s holds %s values; measures are numbers" % (measure.name, okind))
        miss = _missing_of_object(arr)
        arr = np.array([0 if m else v for v, m in zip(arr.tolist(), miss.tolist())],
                       dtype=np.int64 if okind == "int" and not units else np.float64)
        missing = miss if missing is None else (missing | miss)
        k = arr.dtype.kind
        if not missing.any():
            missing = None
    if units:
        if k not in "iu" and k != "b":
            raise TypeError("GridUnits of %s must be integers, got dtype %s" % (measure.name, arr.dtype))
        if missing is not None:  # no missing grid unit: go through float64 with NaN instead
            scale = 10.0 ** measure.decimals
            dense = arr.astype(np.float64) / scale
            dense[missing] = np.nan
            return measure_array(dense, measure)
        if arr.dtype == np.int64:
            out, copied = _contiguous(arr)
            return out, I64, copied
        if arr.dtype == np.uint64:
            return np.minimum(arr, INT64_MAX).astype(np.int64), I64, True
        return arr.astype(np.int64), I64, True
    if missing is None:
        if arr.dtype == np.float64:
            out, copied = _contiguous(arr)
            return out, F64, copied
        if arr.dtype == np.float32:
            out, copied = _contiguous(arr)
            return out, F32, copied
    if k == "f":
        out = arr.astype(np.float64)
    elif k in "iub":
        if measure.kind == "decimal" and missing is None:
            # Whole values in the measure's unit -> grid units, exactly (no float rounding);
            # values too large for int64 grid units become the int64 extreme: out of range.
            scale = 10 ** measure.decimals
            limit = INT64_MAX // scale
            wide = arr.astype(np.int64) if k != "u" else np.minimum(arr, limit + 1).astype(np.int64)
            out = np.clip(wide, -limit - 1, limit + 1) * scale
            return out, I64, True
        out = arr.astype(np.float64)
    else:
        raise TypeError("measure %s has dtype %s; measures are numbers" % (measure.name, arr.dtype))
    if missing is not None:
        out[missing] = np.nan
    return np.ascontiguousarray(out), F64, True


# ------------------------------------------------------------------------------- person ids

def _bytes_table(blob, offsets, lengths):
    """jamstat_bytes[] over one buffer: (numpy structured array, buffer kept alive)."""
    assert ctypes.sizeof(_abi.jamstat_bytes) == 2 * ctypes.sizeof(ctypes.c_void_p)
    base = _address(blob) if isinstance(blob, np.ndarray) else ctypes.addressof(blob)
    table = np.empty(len(offsets), dtype=np.dtype([("data", np.uintp), ("length", np.uintp)]))
    table["data"] = base + offsets.astype(np.uintp)
    table["length"] = lengths
    return table


def _integer_ids_with_missing(ids, missing):
    """uint64 ids with some missing -> BYTES column of their 8 little-endian bytes (empty = missing),
    which the library hashes exactly as it hashes the integers."""
    le = np.ascontiguousarray(ids, dtype="<u8")
    blob = le.view(np.uint8)
    n = len(le)
    offsets = np.arange(n, dtype=np.uint64) * 8
    lengths = np.where(missing, 0, 8).astype(np.uintp)
    return _bytes_table(blob, offsets, lengths), blob


def _object_ids(arr):
    """Object/str/bytes ids -> BYTES column: str as UTF-8, bytes as given, ints as 8 LE bytes, a
    Personnummer as its canonical 12 digits."""
    from .personnummer import Personnummer
    parts = []
    for v in arr.tolist():
        if isinstance(v, Personnummer):
            parts.append(v.person_id)
        elif v is None or (isinstance(v, float) and math.isnan(v)):
            parts.append(b"")
        elif isinstance(v, str):
            parts.append(v.encode("utf-8"))
        elif isinstance(v, (bytes, bytearray, memoryview)):
            parts.append(bytes(v))
        elif isinstance(v, bool):
            raise TypeError("a person id is an integer, str or bytes, not a bool")
        elif isinstance(v, int):
            parts.append((v & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little"))
        elif isinstance(v, float) and v == int(v):
            parts.append((int(v) & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little"))
        else:
            raise TypeError("a person id is an integer, str or bytes, got %r" % (v,))
    lengths = np.fromiter(map(len, parts), dtype=np.uint64, count=len(parts))
    offsets = np.zeros(len(parts), dtype=np.uint64)
    if len(parts) > 1:
        np.cumsum(lengths[:-1], out=offsets[1:])
    blob = np.frombuffer(b"".join(parts) or b"\0", dtype=np.uint8)
    return _bytes_table(blob, offsets, lengths.astype(np.uintp)), blob


def person_array(values):
    """-> (array, C type, copied, keep-alive)."""
    kind, data, extra = normalise(values)
    if kind == "categorical":
        cats, codes = np.asarray(data), extra
        dense = np.empty(len(codes), dtype=object)
        dense[:] = [None if c < 0 else cats[c] for c in codes.tolist()] if len(codes) else []
        return person_array(dense)
    arr, missing = data, extra
    if arr.ndim != 1:
        raise ValueError("a column must be one-dimensional, got shape %r" % (arr.shape,))
    k = arr.dtype.kind
    if k == "b":
        raise TypeError("person ids are integers or strings, not bools")
    if k in "iu":
        if missing is None:
            if arr.dtype == np.uint32:
                out, copied = _contiguous(arr)
                return out, U32, copied, None
            if arr.dtype == np.uint64:
                out, copied = _contiguous(arr)
                return out, U64, copied, None
            if arr.dtype == np.int64:
                out, copied = _contiguous(arr)
                return out.view(np.uint64), U64, copied, None
        wide = arr.astype(np.int64).view(np.uint64) if k == "i" else arr.astype(np.uint64)
        if missing is None:
            return wide, U64, True, None
        table, blob = _integer_ids_with_missing(wide, missing)
        return table, BYTES, True, blob
    if k == "f":
        nan = np.isnan(arr) if missing is None else (np.isnan(arr) | missing)
        with np.errstate(invalid="ignore"):
            fractional = ~nan & (arr != np.floor(arr))
        if fractional.any():
            row = int(np.flatnonzero(fractional)[0])
            raise TypeError("person ids must be integers or strings; row %d holds %r" % (row, arr[row].item()))
        clean = np.where(nan, 0, arr)
        wide = np.where(clean < 0, clean.astype(np.int64).view(np.uint64) if clean.size else clean, clean.astype(np.uint64))
        wide = wide.astype(np.uint64)
        if not nan.any():
            return wide, U64, True, None
        table, blob = _integer_ids_with_missing(wide, nan)
        return table, BYTES, True, blob
    if k in "USO":
        table, blob = _object_ids(arr.astype(object) if k != "O" else arr)
        if missing is not None:
            table["length"][missing] = 0
        return table, BYTES, True, blob
    raise TypeError("person ids have dtype %s; they are integers or strings" % arr.dtype)


# ------------------------------------------------------------------------ without numpy

def _plain_codes(values, dimension):
    table = _label_table(dimension)
    out, replaced, originals = array.array("i"), [], []
    for row, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(MISSING)
            continue
        if isinstance(v, (str, bytes)):
            code = table.get(v.decode("utf-8") if isinstance(v, bytes) else v, NO_LEVEL)
        elif isinstance(v, float) and v != int(v):
            code = NO_LEVEL
        else:
            code = int(v)
            if not INT32_MIN <= code <= INT32_MAX:
                code = NO_LEVEL
        if code == NO_LEVEL:
            replaced.append(row)
            originals.append(v)
        out.append(code)
    return out, replaced, originals


def plain_column(role, values, info, field, name):
    """The same conversions for Python sequences, with the array module (one loop per column)."""
    values = list(values)
    if role == "code":
        out, replaced, originals = _plain_codes(values, info)
        return Column(field, name, I32, out.buffer_info()[0], len(out), out, True, replaced, originals,
                      "is not a code or label of %s" % info.name)
    if role == "outcome":
        out = array.array("i", [MISSING if v is None else (int(v) if v in (0, 1, True, False) else NO_LEVEL) for v in values])
        return Column(field, name, I32, out.buffer_info()[0], len(out), out, True)
    if role == "measure":
        if isinstance(values, GridUnits):
            raise TypeError("GridUnits needs numpy")
        out = array.array("d", [math.nan if v is None else float(v) for v in values])
        return Column(field, name, F64, out.buffer_info()[0], len(out), out, True)
    # person ids
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        out = array.array("Q", [v & 0xFFFFFFFFFFFFFFFF for v in values])
        return Column(field, name, U64, out.buffer_info()[0], len(out), out, True)
    from .personnummer import Personnummer
    parts = []
    for v in values:
        if isinstance(v, Personnummer):
            parts.append(v.person_id)
        elif v is None:
            parts.append(b"")
        elif isinstance(v, str):
            parts.append(v.encode("utf-8"))
        elif isinstance(v, bytes):
            parts.append(v)
        elif isinstance(v, int) and not isinstance(v, bool):
            parts.append((v & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little"))
        else:
            raise TypeError("a person id is an integer, str or bytes, got %r" % (v,))
    blob = ctypes.create_string_buffer(b"".join(parts) or b"\0")
    table = (_abi.jamstat_bytes * max(1, len(parts)))()
    base, offset = ctypes.addressof(blob), 0
    for i, p in enumerate(parts):
        table[i].data = ctypes.cast(base + offset, ctypes.POINTER(ctypes.c_uint8))
        table[i].length = len(p)
        offset += len(p)
    return Column(field, name, BYTES, ctypes.addressof(table), len(parts), (table, blob), True)


# --------------------------------------------------------------------------------- entry point

def prepare(role, values, info, field, name):
    """A Column for `values` of a schema field (role: "code", "outcome", "measure", "person")."""
    if np is None:
        return plain_column(role, values, info, field, name)
    column = _prepare(role, values, info, field, name)
    inner = values.values if isinstance(values, GridUnits) else values
    if not (isinstance(inner, np.ndarray) or _is_pandas(inner)):
        column.copied = True  # a sequence was made into an array
    return column


def _prepare(role, values, info, field, name):
    if role == "code":
        arr, ctype, copied, rows, originals, why = code_array(values, info)
        return Column(field, name, ctype, _address(arr), len(arr), arr, copied, rows if rows.size else None, originals, why)
    if role == "outcome":
        arr, ctype, copied, rows, originals, why = outcome_array(values, name)
        return Column(field, name, ctype, _address(arr), len(arr), arr, copied, rows if rows.size else None, originals, why)
    if role == "measure":
        arr, ctype, copied = measure_array(values, info)
        return Column(field, name, ctype, _address(arr), len(arr), arr, copied)
    arr, ctype, copied, blob = person_array(values)
    return Column(field, name, ctype, _address(arr), len(arr), (arr, blob), copied)
