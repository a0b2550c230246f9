"""Finding, loading and checking libjamstat.

Where the shared library comes from, first match wins:

1. ``JAMSTAT_LIBRARY``: the path of ``libjamstat.so[.1]``, or a directory holding it.
2. The installed prefix: beside this package when it is installed under a prefix
   (``<prefix>/lib/python3*/…/jamstat`` → ``<prefix>/lib[/<multiarch>]``), ``sys.prefix``,
   ``/usr/local``, ``/usr``, then the dynamic linker's search (``ctypes.util.find_library``, which
   knows ``ldconfig``'s cache).
3. The build tree, when the package is used from a source checkout (``bindings/python`` of the
   repository): ``build/*/libjamstat.so.1``, newest first. A tree built with sanitizers cannot be
   loaded into Python; its plain twin ``build/<tree>/plain/libjamstat.so`` is used instead.

On load the ABI version of the library must equal the one the declarations were generated for
(``JAMSTAT_ABI_VERSION``), and on LP64 platforms every struct's layout under ctypes is checked
against the one the ABI description records. Functions that an older library does not export are
left unbound: calling one raises :class:`jamstat.NotAvailableError` naming it.
"""
import ctypes
import ctypes.util
import glob
import os
import platform
import struct
import sys
import threading

from . import _abi

#: The file names tried in a directory, in order.
LIBRARY_NAMES = ("libjamstat.so.%d" % _abi.JAMSTAT_ABI_VERSION, "libjamstat.so", "libjamstat.dylib", "jamstat.dll")


class LibraryNotFoundError(ImportError):
    """libjamstat could not be found or loaded (the message lists every place tried)."""


class AbiMismatchError(ImportError):
    """The library found has another ABI version (or struct layouts) than these declarations."""


def _in_dir(directory):
    for name in LIBRARY_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def _multiarch_dirs(prefix):
    dirs = [os.path.join(prefix, "lib"), os.path.join(prefix, "lib64")]
    dirs += sorted(glob.glob(os.path.join(prefix, "lib", "*-linux-gnu*")))
    return dirs


def _installed_candidates():
    here = os.path.dirname(os.path.abspath(__file__))
    prefixes = []
    # <prefix>/lib/python3.X/site-packages/jamstat, <prefix>/lib/python3/dist-packages/jamstat, or
    # Debian's <prefix>/local/lib/python3.X/dist-packages/jamstat (pip --prefix)
    parts = here.split(os.sep)
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] in ("lib", "lib64"):
            prefix = os.sep.join(parts[:i]) or os.sep
            prefixes.append(prefix)
            if os.path.basename(prefix) == "local":
                prefixes.append(os.path.dirname(prefix))
            break
    prefixes += [sys.prefix, "/usr/local", "/usr"]
    seen = []
    for p in prefixes:
        for d in _multiarch_dirs(p):
            if d not in seen:
                seen.append(d)
    return seen


def _sanitized(tree):
    cache = os.path.join(tree, "CMakeCache.txt")
    try:
        with open(cache, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("JAMSTAT_SANITIZE:") and line.strip().split("=", 1)[1].upper() in ("ON", "1", "TRUE", "YES"):
                    return True
    except OSError:
        pass
    return False


def _build_tree_candidates():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", "..", ".."))
    if not os.path.isfile(os.path.join(root, "include", "jamstat", "jamstat.h")):
        return []
    found = []
    for tree in glob.glob(os.path.join(root, "build", "*")) + glob.glob(os.path.join(root, "build")):
        if not os.path.isdir(tree):
            continue
        path = _in_dir(os.path.join(tree, "plain")) if _sanitized(tree) else _in_dir(tree)
        if path:
            found.append(path)
    found.sort(key=lambda p: os.path.getmtime(p), reverse=True)
    return found


def candidates():
    """Every path that would be tried, in order, with where it came from: [(origin, path)]."""
    out = []
    env = os.environ.get("JAMSTAT_LIBRARY")
    if env:
        path = (_in_dir(env) or env) if os.path.isdir(env) else env
        out.append(("JAMSTAT_LIBRARY", path))
        return out  # an explicit choice is never second-guessed
    for d in _installed_candidates():
        path = _in_dir(d)
        if path:
            out.append(("installed prefix", path))
    name = ctypes.util.find_library("jamstat")
    if name:
        out.append(("dynamic linker", name))
    for path in _build_tree_candidates():
        out.append(("build tree", path))
    return out


def _check_layouts():
    """On LP64 platforms, each ctypes struct must have the size, alignment and field offsets of
    the description (which the compiler measured). Elsewhere ctypes' native layout is trusted."""
    if struct.calcsize("P") != 8 or struct.calcsize("l") != 8 or sys.platform == "win32":
        return
    problems = []
    for name, (size, align, fields) in _abi.LAYOUTS.items():
        cls = _abi.STRUCTS[name]
        if ctypes.sizeof(cls) != size or ctypes.alignment(cls) != align:
            problems.append("%s: size %d alignment %d, expected %d and %d" % (
                name, ctypes.sizeof(cls), ctypes.alignment(cls), size, align))
        for field, (offset, fsize) in fields.items():
            desc = getattr(cls, field)
            if desc.offset != offset or desc.size != fsize:
                problems.append("%s.%s: offset %d size %d, expected %d and %d" % (
                    name, field, desc.offset, desc.size, offset, fsize))
    if problems:
        raise AbiMismatchError("jamstat: ctypes struct layouts differ from abi/jamstat-abi.json: " + "; ".join(problems))


class Library:
    """The loaded library: every C function as an attribute, with its prototype."""

    def __init__(self, path, origin):
        self.path = path
        self.origin = origin
        self._cdll = ctypes.CDLL(path)
        self.missing = []
        from ._errors import check_status  # late: _errors needs the library for messages
        for name, restype, params, c_return in _abi.FUNCTIONS:
            try:
                fn = getattr(self._cdll, name)
            except AttributeError:
                self.missing.append(name)
                continue
            fn.restype = restype
            fn.argtypes = [t for _, t in params]
            if c_return == "jamstat_status":
                fn.errcheck = check_status
            setattr(self, name, fn)
        self.abi_version = int(self.jamstat_abi_version())
        self.version_number = int(self.jamstat_version_number())
        self.version = self.jamstat_version_string().decode("utf-8")

    def __getattr__(self, name):
        # Only reached for attributes not set in __init__: functions this library lacks.
        if name.startswith("jamstat_") and name in getattr(self, "missing", ()):
            from ._errors import NotAvailableError
            raise NotAvailableError(_abi.JAMSTAT_ERROR_NOT_AVAILABLE,
                                    "%s is not exported by %s (version %s); it needs jamstat %s or newer" % (
                                        name, self.path, self.version, _abi.JAMSTAT_VERSION_STRING))
        raise AttributeError(name)


_lock = threading.Lock()
_library = None


def load(path=None):
    """The library (loaded once per process). `path` forces a file (as JAMSTAT_LIBRARY does)."""
    global _library
    with _lock:
        if _library is not None and path is None:
            return _library
        _check_layouts()
        tried = [("argument", path)] if path else candidates()
        errors = []
        for origin, candidate in tried:
            try:
                lib = Library(candidate, origin)
            except OSError as e:
                errors.append("%s (%s): %s" % (candidate, origin, e))
                continue
            if lib.abi_version != _abi.JAMSTAT_ABI_VERSION:
                raise AbiMismatchError(
                    "jamstat: %s (from %s) has ABI version %d, but this package was generated for ABI %d; "
                    "install a matching libjamstat.so.%d or set JAMSTAT_LIBRARY" % (
                        candidate, origin, lib.abi_version, _abi.JAMSTAT_ABI_VERSION, _abi.JAMSTAT_ABI_VERSION))
            _library = lib
            return lib
        where = "; ".join(errors) if errors else "nothing found"
        raise LibraryNotFoundError(
            "jamstat: cannot load libjamstat (%s). Set JAMSTAT_LIBRARY to the path of libjamstat.so.%d, "
            "install jamstat (cmake --install) into a prefix the dynamic linker searches, or build it "
            "in the repository's build/ directory. Platform: %s %s" % (
                where, _abi.JAMSTAT_ABI_VERSION, platform.system(), platform.machine()))


def lib():
    """The loaded library, loading it on first use."""
    return _library if _library is not None else load()
