"""The Arrow PyCapsule interface (https://arrow.apache.org/docs/format/CDataInterface/PyCapsuleInterface.html)
on the consumer side, for Aggregator.add_arrow: capsules in, the C Data Interface structures out.

The two structures are the Arrow C Data Interface's own (frozen by the specification, declared by
jamstat.h under its guard ARROW_C_DATA_INTERFACE; the ABI description passes them as addresses), so
they are declared here as the specification writes them rather than generated.

Ownership follows the PyCapsule interface: the consumer *moves* each structure out of its capsule
(a bitwise copy, then the capsule's structure is marked released by setting its ``release`` to
NULL, so that the capsule's destructor does nothing) and then owns it: :class:`Moved` releases it,
exactly once, after the library has read it (the library borrows it: no JAMSTAT_ARROW_RELEASE, so
that a batch refused under the reject policy can be read again to list every bad row).
"""
import ctypes


class ArrowSchema(ctypes.Structure):
    pass


class ArrowArray(ctypes.Structure):
    pass


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p),
    ("name", ctypes.c_char_p),
    ("metadata", ctypes.c_void_p),
    ("flags", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowSchema))),
    ("dictionary", ctypes.POINTER(ArrowSchema)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowSchema))),
    ("private_data", ctypes.c_void_p),
]
ArrowArray._fields_ = [
    ("length", ctypes.c_int64),
    ("null_count", ctypes.c_int64),
    ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))),
    ("dictionary", ctypes.POINTER(ArrowArray)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArray))),
    ("private_data", ctypes.c_void_p),
]

SCHEMA_CAPSULE = b"arrow_schema"
ARRAY_CAPSULE = b"arrow_array"

# Private prototypes (ctypes.pythonapi's shared function objects are left as they are): PYFUNCTYPE
# holds the GIL and raises the Python error a failing call sets (a capsule of another name).
_capsule_get_pointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))
_capsule_is_valid = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_IsValid", ctypes.pythonapi))
_capsule_get_name = ctypes.PYFUNCTYPE(ctypes.c_char_p, ctypes.py_object)(("PyCapsule_GetName", ctypes.pythonapi))


def _is_capsule(obj):
    return type(obj).__name__ == "PyCapsule"


def capsule_pointer(capsule, name, what):
    """The address a capsule holds, after checking it is a capsule named `name`."""
    if not _is_capsule(capsule):
        raise TypeError("%s must be a PyCapsule named %r, got %s" % (what, name.decode(), type(capsule).__name__))
    if not _capsule_is_valid(capsule, name):
        got = _capsule_get_name(capsule)
        raise TypeError("%s must be a PyCapsule named %r, got one named %r" % (
            what, name.decode(), got.decode("utf-8", "replace") if got else None))
    address = _capsule_get_pointer(capsule, name)
    if not address:
        raise ValueError("%s holds a NULL pointer" % what)
    return address


def capsules_of(data, requested_schema=None):
    """(schema capsule, array capsule) of an object with __arrow_c_array__ or of a pair of capsules."""
    export = getattr(data, "__arrow_c_array__", None)
    if export is not None:
        pair = export(requested_schema) if requested_schema is not None else export()
    elif isinstance(data, (tuple, list)) and len(data) == 2 and all(_is_capsule(c) for c in data):
        pair = tuple(data)
    else:
        hint = " (it has __arrow_c_stream__: export one record batch, e.g. with to_batches(), or " \
               "iterate over its batches)" if hasattr(data, "__arrow_c_stream__") else ""
        raise TypeError("add_arrow needs an object with __arrow_c_array__ (a record batch of pyarrow, polars, "
                        "nanoarrow, ...) or a pair of PyCapsules ('arrow_schema', 'arrow_array'), got %s%s" % (
                            type(data).__name__, hint))
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise TypeError("__arrow_c_array__ must return (schema capsule, array capsule), got %r" % (type(pair).__name__,))
    return pair


def child_names(schema_address):
    """The names of a struct ArrowSchema's children (None where a child has none), read in place."""
    s = ArrowSchema.from_address(schema_address)
    if not s.release:
        return None  # released: the library says so
    n = int(s.n_children)
    if n < 0 or (n > 0 and not s.children):
        return None  # malformed: the library says so
    out = []
    for i in range(n):
        child = s.children[i]
        out.append(child.contents.name.decode("utf-8", "replace") if child and child.contents.name is not None else None)
    return out


class Moved:
    """An ArrowSchema and an ArrowArray moved out of their capsules (the capsules' structures are
    marked released); ``release()`` calls their release callbacks once (idempotent)."""

    def __init__(self, schema_address, array_address):
        self.schema = ArrowSchema.from_buffer_copy(ctypes.string_at(schema_address, ctypes.sizeof(ArrowSchema)))
        self.array = ArrowArray.from_buffer_copy(ctypes.string_at(array_address, ctypes.sizeof(ArrowArray)))
        # Mark the sources released: the capsules' destructors must not release what moved.
        ArrowSchema.from_address(schema_address).release = ctypes.cast(None, type(self.schema.release))
        ArrowArray.from_address(array_address).release = ctypes.cast(None, type(self.array.release))

    def release(self):
        if self.array.release:
            self.array.release(ctypes.byref(self.array))
            self.array.release = ctypes.cast(None, type(self.array.release))
        if self.schema.release:
            self.schema.release(ctypes.byref(self.schema))
            self.schema.release = ctypes.cast(None, type(self.schema.release))
