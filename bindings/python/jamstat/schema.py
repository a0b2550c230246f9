"""Schemas: what a record holds (sex and the dimensions, outcomes, numeric measures).

    schema = (jamstat.SchemaBuilder()
              .dimension("intervention", {1: ("Coachning", "Coaching"), 2: ("Praktik", "Placement")},
                         label=("Insats", "Intervention"))
              .outcome("in_work", "I arbete", "In work")
              .measure("hours", unit="h", label_sv="Timmar", label_en="Hours", decimals=2)
              .build())

Sex (ISO/IEC 5218: 0 not known, 1 male, 2 female, 9 not applicable) is built in as dimension 0.
A schema's fields, in the order the C ABI numbers them (``jamstat_last_error_field``): the
dimensions (sex first), the outcomes, the numeric measures, then ``person_id``.
"""
import collections
import ctypes

from . import _abi
from ._handle import Handle
from ._library import lib

SWEDISH = _abi.JAMSTAT_SWEDISH
ENGLISH = _abi.JAMSTAT_ENGLISH


def language_code(language):
    """"sv"/"en" (or the JAMSTAT_SWEDISH / JAMSTAT_ENGLISH values) -> the C value."""
    if language in (SWEDISH, ENGLISH) and not isinstance(language, bool):
        return int(language)
    text = str(language).lower()
    if text in ("sv", "swedish", "svenska", "sv-se", "sv_se"):
        return SWEDISH
    if text in ("en", "english", "engelska", "en-gb", "en-us", "en_gb", "en_us"):
        return ENGLISH
    raise ValueError("language must be 'sv' or 'en', got %r" % (language,))


def utf8(text, what="text"):
    """str -> UTF-8 bytes for the C ABI (bytes pass as given; None stays None)."""
    if text is None or isinstance(text, bytes):
        return text
    if not isinstance(text, str):
        raise TypeError("%s must be a str, got %s" % (what, type(text).__name__))
    return text.encode("utf-8")


def text_of(ptr):
    """A `const char *` the library returned -> str (always valid UTF-8; None -> "")."""
    return ptr.decode("utf-8") if ptr else ""


#: A level of a dimension: the code found in the data and its two labels.
Level = collections.namedtuple("Level", "code label_sv label_en")


class Dimension(collections.namedtuple("Dimension", "index name label_sv label_en levels")):
    """A dimension of a schema: its index (sex is 0), name, labels ("" when none) and levels
    (a tuple of :class:`Level`, in level-index order)."""

    __slots__ = ()

    def label(self, language="sv"):
        """The dimension's label in a language, or its name when it has none."""
        text = self.label_en if language_code(language) == ENGLISH else self.label_sv
        return text or self.name

    def level_labels(self, language="sv"):
        """The levels' labels in level-index order."""
        english = language_code(language) == ENGLISH
        return [lv.label_en if english else lv.label_sv for lv in self.levels]

    @property
    def codes(self):
        return [lv.code for lv in self.levels]


#: A numeric measure's definition as the schema holds it (its range resolved).
Measure = collections.namedtuple("Measure", "index name unit label_sv label_en kind decimals off_grid lowest highest")

_KINDS = {"floating": _abi.JAMSTAT_MEASURE_FLOATING, "decimal": _abi.JAMSTAT_MEASURE_DECIMAL}
_OFF_GRID = {"reject": _abi.JAMSTAT_OFF_GRID_REJECT, "round": _abi.JAMSTAT_OFF_GRID_ROUND}


def new_struct(struct_name, **fields):
    """A C struct initialised like its _INIT macro (struct_size included), then `fields` set."""
    cls = _abi.STRUCTS[struct_name]
    value = cls()
    for field, default in _abi.INIT.get(struct_name, {}).items():
        if default is None or default == 0:
            continue  # ctypes zero-initialises
        if isinstance(default, list):
            getattr(value, field)[:] = default
        elif isinstance(default, str):
            setattr(value, field, default.encode("utf-8"))
        else:
            setattr(value, field, default)
    for field, v in fields.items():
        setattr(value, field, v)
    return value


def _text_array(texts):
    arr = (ctypes.c_char_p * max(1, len(texts)))()
    for i, t in enumerate(texts):
        arr[i] = t
    return arr


def _levels_of(levels):
    """Accepts {code: (sv, en)}, {code: label}, [(code, sv, en)], [(code, label)] or [Level]."""
    if isinstance(levels, dict):
        items = list(levels.items())
        out = []
        for code, labels in items:
            if isinstance(labels, str):
                out.append((code, labels, labels))
            else:
                sv, en = labels
                out.append((code, sv, en))
        return out
    out = []
    for item in levels:
        if len(item) == 3:
            out.append(tuple(item))
        elif len(item) == 2:
            out.append((item[0], item[1], item[1]))
        else:
            raise ValueError("a level is (code, label) or (code, label_sv, label_en), got %r" % (item,))
    return out


class SchemaBuilder(Handle):
    """Builds a :class:`Schema`: add dimensions, outcomes and measures (each method returns the
    builder, so calls chain), then ``build()``. The builder stays usable after build()."""

    _free_name = "jamstat_schema_builder_free"
    _what = "schema builder"

    def __init__(self):
        h = ctypes.POINTER(_abi.jamstat_schema_builder)()
        lib().jamstat_schema_builder_new(ctypes.byref(h))
        super().__init__(h)

    def dimension(self, name, levels, label_sv=None, label_en=None, label=None):
        """Adds a dimension. `levels`: {code: (label_sv, label_en)}, {code: label}, or a list of
        (code, label_sv, label_en) / (code, label). Codes are non-negative int32 values. The
        dimension's own label: label_sv/label_en, or label=(sv, en)."""
        rows = _levels_of(levels)
        n = len(rows)
        codes = (ctypes.c_int32 * max(1, n))(*[int(r[0]) for r in rows])
        sv = _text_array([utf8(r[1], "a level label") for r in rows])
        en = _text_array([utf8(r[2], "a level label") for r in rows])
        with self._lock:
            lib().jamstat_schema_builder_add_dimension(self._ptr(), utf8(name, "name"), n, codes, sv, en)
        if label is not None:
            label_sv, label_en = label
        if label_sv is not None or label_en is not None:
            self.dimension_labels(name, label_sv or "", label_en or "")
        return self

    def dimension_labels(self, name, label_sv, label_en):
        """Sets a dimension's Swedish and English labels ("Åldersgrupp" / "Age band")."""
        with self._lock:
            lib().jamstat_schema_builder_set_dimension_labels(self._ptr(), utf8(name, "name"), utf8(label_sv), utf8(label_en))
        return self

    def outcome(self, name, label_sv="", label_en=""):
        """Adds a binary outcome (0/1 per record)."""
        with self._lock:
            lib().jamstat_schema_builder_add_outcome(self._ptr(), utf8(name, "name"), utf8(label_sv), utf8(label_en))
        return self

    def numeric(self, name, unit="", label_sv="", label_en=""):
        """Adds a floating numeric measure with the widest range (jamstat_schema_builder_add_numeric)."""
        with self._lock:
            lib().jamstat_schema_builder_add_numeric(self._ptr(), utf8(name, "name"), utf8(unit), utf8(label_sv), utf8(label_en))
        return self

    def measure(self, name, unit="", label_sv="", label_en="", kind=None, decimals=None, off_grid="reject",
                lowest=None, highest=None):
        """Adds a numeric measure of either kind. `kind` is "decimal" (values on a grid of
        10^-decimals, exact; the default when `decimals` is given) or "floating"; `off_grid`
        ("reject" or "round") says what happens to a decimal value off its grid; `lowest` and
        `highest` give the valid range (both or neither)."""
        if kind is None:
            kind = "decimal" if decimals is not None else "floating"
        if kind not in _KINDS:
            raise ValueError("kind must be 'decimal' or 'floating', got %r" % (kind,))
        if off_grid not in _OFF_GRID:
            raise ValueError("off_grid must be 'reject' or 'round', got %r" % (off_grid,))
        if (lowest is None) != (highest is None):
            raise ValueError("give both lowest and highest, or neither")
        strings = [utf8(name, "name"), utf8(unit), utf8(label_sv), utf8(label_en)]
        d = new_struct("jamstat_measure_definition", name=strings[0], unit=strings[1], label_sv=strings[2],
                       label_en=strings[3], kind=_KINDS[kind], decimals=int(decimals or 0),
                       off_grid=_OFF_GRID[off_grid], has_range=0 if lowest is None else 1,
                       lowest=float(lowest or 0.0), highest=float(highest or 0.0))
        with self._lock:
            lib().jamstat_schema_builder_add_measure(self._ptr(), ctypes.byref(d))
        return self

    def cross_products(self, *names):
        """Declares the cross-product set (jamstat_schema_builder_set_cross_products; docs/engine.md,
        "Cross-products"): outcomes and decimal measures, 2 to 16 names (given as arguments or as
        one list), whose exact sums of products Σ z_i z_j every cell keeps, so that they can be the
        numeric characteristics of ``Aggregator.oaxaca_numeric``. The schema keeps them in field
        order; a later call replaces the set, ``cross_products()`` (no names) clears it. Names are
        checked by build() (InvalidSchemaError for a floating measure, a dimension, an unknown or
        repeated name)."""
        if len(names) == 1 and not isinstance(names[0], (str, bytes)):
            names = tuple(names[0])
        enc = [utf8(n, "a cross-product variable") for n in names]
        arr = (ctypes.c_char_p * max(1, len(enc)))(*enc)
        with self._lock:
            lib().jamstat_schema_builder_set_cross_products(self._ptr(), arr, len(enc))
        return self

    def build(self):
        """The immutable :class:`Schema` of what was added so far."""
        h = ctypes.POINTER(_abi.jamstat_schema)()
        with self._lock:
            lib().jamstat_schema_build(self._ptr(), ctypes.byref(h))
        return Schema(h)


class Schema(Handle):
    """An immutable schema. Its description is read once, on creation:

    - ``dimensions``: tuple of :class:`Dimension` (sex first), ``dimension(name_or_index)``
    - ``outcomes``: tuple of outcome names; ``measures``: tuple of :class:`Measure`
    - ``field_names``: every field in C order (dimensions, outcomes, measures, "person_id")
    - ``cross_products``: tuple of the cross-product set's names in field order (empty: none)
    - ``fingerprint``: the stable 64-bit fingerprint of the whole definition

    Schemas are shared: aggregators hold their own reference, so closing a schema never
    invalidates them."""

    _free_name = "jamstat_schema_free"
    _what = "schema"

    def __init__(self, handle):
        super().__init__(handle)
        try:
            self._read()
        except BaseException:
            self.close()
            raise

    def _read(self):
        L, h = lib(), self._handle
        n = ctypes.c_size_t()
        L.jamstat_schema_dimension_count(h, ctypes.byref(n))
        dims = []
        for d in range(n.value):
            name, sv, en = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
            L.jamstat_schema_dimension_name(h, d, ctypes.byref(name))
            L.jamstat_schema_dimension_labels(h, d, ctypes.byref(sv), ctypes.byref(en))
            count = ctypes.c_size_t()
            L.jamstat_schema_level_count(h, d, ctypes.byref(count))
            levels = []
            for i in range(count.value):
                code, lsv, len_ = ctypes.c_int32(), ctypes.c_char_p(), ctypes.c_char_p()
                L.jamstat_schema_level(h, d, i, ctypes.byref(code), ctypes.byref(lsv), ctypes.byref(len_))
                levels.append(Level(code.value, text_of(lsv.value), text_of(len_.value)))
            dims.append(Dimension(d, text_of(name.value), text_of(sv.value), text_of(en.value), tuple(levels)))
        outcome_count, measure_count = ctypes.c_size_t(), ctypes.c_size_t()
        L.jamstat_schema_outcome_count(h, ctypes.byref(outcome_count))
        L.jamstat_schema_numeric_count(h, ctypes.byref(measure_count))
        fields = []
        for f in range(len(dims) + outcome_count.value + measure_count.value + 1):
            name = ctypes.c_char_p()
            L.jamstat_schema_field_name(h, f, ctypes.byref(name))
            fields.append(text_of(name.value))
        measures = []
        for m in range(measure_count.value):
            d = new_struct("jamstat_measure_definition")
            L.jamstat_schema_measure(h, m, ctypes.byref(d))
            kind = "decimal" if d.kind == _abi.JAMSTAT_MEASURE_DECIMAL else "floating"
            off_grid = "round" if d.off_grid == _abi.JAMSTAT_OFF_GRID_ROUND else "reject"
            measures.append(Measure(m, text_of(d.name), text_of(d.unit), text_of(d.label_sv), text_of(d.label_en),
                                    kind, int(d.decimals), off_grid, d.lowest, d.highest))
        cross_count = ctypes.c_size_t()
        if "jamstat_schema_cross_product_count" not in L.missing:  # an older library keeps no set
            L.jamstat_schema_cross_product_count(h, ctypes.byref(cross_count))
        cross = []
        for i in range(cross_count.value):
            name = ctypes.c_char_p()
            L.jamstat_schema_cross_product_name(h, i, ctypes.byref(name))
            cross.append(text_of(name.value))
        fp = ctypes.c_uint64()
        L.jamstat_schema_fingerprint(h, ctypes.byref(fp))
        self.dimensions = tuple(dims)
        self.outcomes = tuple(fields[len(dims):len(dims) + outcome_count.value])
        self.measures = tuple(measures)
        self.field_names = tuple(fields)
        self.cross_products = tuple(cross)
        self.fingerprint = fp.value
        self._dimension_by_name = {d.name.lower(): d for d in dims}

    def _describe(self):
        return " %s" % ", ".join(self.field_names)

    @property
    def sex(self):
        """The built-in sex dimension (index 0)."""
        return self.dimensions[0]

    def dimension(self, key):
        """A dimension by name (ASCII case ignored, as the library does) or index."""
        if isinstance(key, Dimension):
            return key
        if isinstance(key, int) and not isinstance(key, bool):
            if 0 <= key < len(self.dimensions):
                return self.dimensions[key]
            raise IndexError("the schema has %d dimensions; there is no dimension %d" % (len(self.dimensions), key))
        index = self._dimension_by_name.get(str(key).lower())
        if index is None and not self.closed:  # the library's own lookup (names ignore ASCII case)
            out = ctypes.c_size_t()
            from ._errors import JamstatError
            try:
                with self._lock:
                    lib().jamstat_schema_dimension_index(self._ptr(), utf8(str(key)), ctypes.byref(out))
                index = self.dimensions[out.value]
            except JamstatError:
                index = None
        if index is None:
            raise KeyError("the schema has no dimension %r (it has %s)" % (
                key, ", ".join(d.name for d in self.dimensions)))
        return index

    def level_index(self, dimension, code):
        """The level index of `code` in a dimension (jamstat_schema_level_index; KeyError when no
        level has it)."""
        d = self.dimension(dimension)
        out = ctypes.c_size_t()
        from ._errors import InvalidArgumentError
        try:
            with self._lock:
                lib().jamstat_schema_level_index(self._ptr(), d.index, int(code), ctypes.byref(out))
        except (InvalidArgumentError, OverflowError, ctypes.ArgumentError):
            raise KeyError("dimension %r has no level with code %r (codes: %s)" % (
                d.name, code, ", ".join(str(c) for c in d.codes[:12]))) from None
        return out.value

    def measure(self, key):
        """A numeric measure by name or index."""
        if isinstance(key, int) and not isinstance(key, bool):
            return self.measures[key]
        for m in self.measures:
            if m.name.lower() == str(key).lower():
                return m
        raise KeyError("the schema has no numeric measure %r" % (key,))

    def outcome_index(self, name):
        for i, o in enumerate(self.outcomes):
            if o.lower() == str(name).lower():
                return i
        raise KeyError("the schema has no outcome %r (it has %s)" % (name, ", ".join(self.outcomes)))

    def field_index(self, name):
        """The C field index of a dimension, outcome, measure or "person_id"."""
        for i, f in enumerate(self.field_names):
            if f.lower() == str(name).lower():
                return i
        raise KeyError("the schema has no field %r" % (name,))

    def __eq__(self, other):
        return isinstance(other, Schema) and other.fingerprint == self.fingerprint

    def __hash__(self):
        return hash(self.fingerprint)


def total_label(language="sv"):
    """The label of the total: "Totalt" (sv) or "Total" (en)."""
    return text_of(lib().jamstat_total_label(language_code(language)))
