"""The owner of one C handle: deterministic close(), a context manager, a finalizer, a lock.

Each Python object owns exactly one handle (the C rule "one owner per handle"). ``close()`` frees
it through the C ``jamstat_X_free(&h)``, which nulls the object's own pointer, so a use after
close is a Python ``ValueError`` ("... is closed"), never a dangling pointer; ``close()`` twice is a
no-op. A ``weakref.finalize`` frees a handle that was never closed when the object is collected
(or at interpreter exit).

Threads: ctypes releases the GIL during every C call, so two Python threads could otherwise be
inside the library with the same handle at once, which the C ABI forbids when either call modifies
it. Every call on a handle therefore holds the handle's lock (a ``threading.RLock``): an object may
be shared between threads, its calls run one at a time. Calls on different objects run in
parallel (the library is thread-safe on distinct handles), which is how to ingest on several cores:
one Aggregator per thread, then ``merge``.
"""
import ctypes
import threading
import weakref

from ._library import lib


def _free(free_name, handle):
    if handle:
        getattr(lib(), free_name)(ctypes.byref(handle))


class Handle:
    """Base of every object that owns a C handle."""

    _free_name = None  # e.g. "jamstat_schema_free"
    _what = "object"

    def __init__(self, handle):
        self._handle = handle
        self._lock = threading.RLock()
        self._finalizer = weakref.finalize(self, _free, self._free_name, handle)

    @property
    def closed(self):
        """True once close() ran (or the object was handed over)."""
        return not self._handle

    def close(self):
        """Frees the C handle now (idempotent). Objects made from this one stay valid: tables and
        cubes outlive their aggregator, an aggregator holds its own reference to its schema."""
        with self._lock:
            self._finalizer()

    def _ptr(self):
        """The live handle; raises ValueError after close()."""
        if not self._handle:
            raise ValueError("this jamstat %s is closed" % self._what)
        return self._handle

    def __enter__(self):
        self._ptr()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __reduce__(self):
        # A copy would share the handle and free it twice; a pickle cannot carry it.
        raise TypeError("a jamstat %s owns a C handle and cannot be copied or pickled%s" % (
            self._what, "; use serialize() and Aggregator.deserialize()" if self._what == "aggregator" else ""))

    def __repr__(self):
        state = "closed" if self.closed else "open"
        return "<jamstat.%s %s%s>" % (type(self).__name__, state, self._describe() if not self.closed else "")

    def _describe(self):
        return ""
