"""Exceptions: one class per jamstat_status, generated from the ABI description's enum.

Every failing C call raises the class of its status (``JAMSTAT_ERROR_BAD_RECORD`` ->
:class:`BadRecordError`, ...), all subclasses of :class:`JamstatError`, carrying what the library's
thread-local error said right after the call: ``status``, ``status_name``, ``message``, ``row``,
``field``, ``field_name``, ``reason``, ``reason_name``; a batch's :class:`BadRecordError` also has
``rows``, every bad row of the batch (:class:`RowErrors`, a sequence of :class:`RowError`). Classes also derive from the built-in
exception a Python user would expect (``ValueError`` for bad input, ``MemoryError``,
``OverflowError``, ``TypeError`` for a wrong handle). A status added to the ABI later gets a class
named after it when the declarations are regenerated.
"""
import collections

from . import _abi

_STATUS = _abi.ENUMS["jamstat_status"]
_REASONS = _abi.ENUMS["jamstat_rejection_reason"]
#: rejection reason value -> stable name ("code_unknown"), as jamstat_rejection_reason_name gives it
REASON_NAMES = {v: k[len("JAMSTAT_REJECTED_"):].lower() for k, v in _REASONS.items()}


class RowError(collections.namedtuple("RowError", "row field field_name reason reason_name")):
    """One bad row of a batch: its row index within the batch, the schema field (index and name)
    and the rejection reason (value and stable name, e.g. ``"code_unknown"``)."""

    __slots__ = ()

    def __str__(self):
        return "row %d, field %s: %s" % (self.row, self.field_name if self.field_name else self.field, self.reason_name)


class RowErrors:
    """The bad rows of a batch, in row order: a read-only sequence of :class:`RowError` made on
    access from the library's own array (24 bytes per bad row, not a Python object each), so that
    a file whose every row is bad does not cost gigabytes. ``arrays()`` gives the columns (row,
    field, reason) as numpy arrays (or lists without numpy)."""

    __slots__ = ("_buffer", "_count", "_names")

    def __init__(self, buffer, count, names):
        self._buffer, self._count, self._names = buffer, count, names

    def __len__(self):
        return self._count

    def _make(self, i):
        e = self._buffer[i]
        field, reason = int(e.field), int(e.reason)
        name = self._names[field] if 0 <= field < len(self._names) else None
        return RowError(int(e.row), field, name, reason, REASON_NAMES.get(reason, str(reason)))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError("bad row %d of %d" % (i, self._count))
        return self._make(i)

    def __iter__(self):
        for i in range(self._count):
            yield self._make(i)

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self):
        head = ", ".join(str(r) for r in self[:3])
        return "<%d bad rows: %s%s>" % (self._count, head, ", ..." if self._count > 3 else "")

    def arrays(self):
        """{"row": ..., "field": ..., "reason": ...} over every bad row."""
        try:
            import numpy as np
        except ImportError:
            return {"row": [r.row for r in self], "field": [r.field for r in self], "reason": [r.reason for r in self]}
        a = np.ctypeslib.as_array(self._buffer)[:self._count] if self._count else None
        if a is None:
            return {"row": np.zeros(0, np.uint64), "field": np.zeros(0, np.int64), "reason": np.zeros(0, np.int32)}
        return {"row": a["row"].copy(), "field": a["field"].copy(), "reason": a["reason"].copy()}


class JamstatError(Exception):
    """A jamstat call failed. Attributes: ``status`` (the jamstat_status value), ``status_name``
    ("JAMSTAT_ERROR_BAD_RECORD"), ``message`` (the library's message), ``row`` / ``field`` (the
    record the error is about, None when it is not about a record), ``field_name``, ``reason`` /
    ``reason_name`` (the rejection reason of a bad record), ``rows`` (every bad row of a batch,
    a list of :class:`RowError`; empty otherwise), ``error_count`` (bad rows found, which may be
    more than ``rows`` holds when a caller limited them), ``function`` (the C function)."""

    status = None

    def __init__(self, status, message, row=None, field=None, reason=None, function=None):
        super().__init__(message)
        self.status = int(status)
        self.message = message
        self.row = row
        self.field = field
        self.field_name = None
        self.reason = reason
        self.function = function
        self.rows = []
        self.error_count = 0

    @property
    def status_name(self):
        for name, value in _STATUS.items():
            if value == self.status:
                return name
        return "JAMSTAT_UNKNOWN_STATUS"

    @property
    def reason_name(self):
        return None if self.reason is None else REASON_NAMES.get(self.reason, str(self.reason))

    def __str__(self):
        return "%s [%s]" % (self.message, self.status_name)

    def _locate(self, schema):
        """Fills field names from a schema (the C error only has the field index)."""
        if schema is None:
            return self
        names = schema.field_names
        if self.field is not None and 0 <= self.field < len(names):
            self.field_name = names[self.field]
        return self


#: Extra built-in bases, so that ``except ValueError`` catches bad input as Python users expect.
_BUILTIN_BASES = {
    "JAMSTAT_ERROR_NULL_ARGUMENT": (ValueError,),
    "JAMSTAT_ERROR_INVALID_ARGUMENT": (ValueError,),
    "JAMSTAT_ERROR_WRONG_HANDLE": (TypeError,),
    "JAMSTAT_ERROR_INVALID_SCHEMA": (ValueError,),
    "JAMSTAT_ERROR_BAD_RECORD": (ValueError,),
    "JAMSTAT_ERROR_SCHEMA_MISMATCH": (ValueError,),
    "JAMSTAT_ERROR_OUT_OF_MEMORY": (MemoryError,),
    "JAMSTAT_ERROR_STATE_FORMAT": (ValueError,),
    "JAMSTAT_ERROR_STATE_VERSION": (ValueError,),
    "JAMSTAT_ERROR_OVERFLOW": (OverflowError,),
}
#: Names that would shadow a built-in otherwise.
_CLASS_NAMES = {"JAMSTAT_ERROR_OVERFLOW": "CountOverflowError"}


def class_name(status_name):
    """JAMSTAT_ERROR_BAD_RECORD -> BadRecordError."""
    if status_name in _CLASS_NAMES:
        return _CLASS_NAMES[status_name]
    words = status_name[len("JAMSTAT_ERROR_"):].split("_") if status_name.startswith("JAMSTAT_ERROR_") else status_name.split("_")
    return "".join(w.capitalize() for w in words) + "Error"


#: status value -> exception class
ERROR_CLASSES = {}
for _name, _value in _STATUS.items():
    if _value == _abi.JAMSTAT_OK:
        continue
    _cls = type(class_name(_name), (JamstatError,) + _BUILTIN_BASES.get(_name, ()),
                {"__doc__": "Raised for %s." % _name, "status": _value, "__module__": "jamstat"})
    ERROR_CLASSES[_value] = _cls
    globals()[_cls.__name__] = _cls
del _name, _value, _cls

__all__ = ["JamstatError", "RowError", "RowErrors", "REASON_NAMES", "ERROR_CLASSES"] + [c.__name__ for c in ERROR_CLASSES.values()]


def make_error(status, message, row=None, field=None, reason=None, function=None):
    """The exception of a status (JamstatError for a status this package does not know)."""
    cls = ERROR_CLASSES.get(int(status), JamstatError)
    return cls(status, message, row, field, reason, function)


def last_error(status, function=None):
    """The exception for the last failed call on this thread (read before any other call)."""
    from ._library import lib
    L = lib()
    message = L.jamstat_last_error_message()
    message = message.decode("utf-8", errors="replace") if message else ""
    row = int(L.jamstat_last_error_row())
    field = int(L.jamstat_last_error_field())
    reason = int(L.jamstat_last_error_reason())
    if not message:
        text = L.jamstat_status_message(int(status))
        message = text.decode("utf-8", errors="replace") if text else "jamstat status %d" % status
    return make_error(status, message, row if row >= 0 else None, field if field >= 0 else None,
                      reason if reason >= 0 else None, function)


def check_status(result, func, args):
    """ctypes errcheck of every function returning jamstat_status: raise on failure."""
    if result != _abi.JAMSTAT_OK:
        raise last_error(result, getattr(func, "__name__", None))
    return result
