"""jamstat for Python: sex-disaggregated, intersectional, mergeable statistics.

A thin binding over the C ABI of libjamstat (ctypes, no compiled extension): any CPython 3 and any
build of the library with the same ABI version. See bindings/python/README.md.

    import jamstat
    schema = (jamstat.SchemaBuilder()
              .dimension("intervention", {1: ("Coachning", "Coaching"), 2: ("Praktik", "Placement")})
              .outcome("in_work", "I arbete", "In work")
              .numeric("hours", "h", "Timmar", "Hours")
              .build())
    with jamstat.Aggregator(schema, person_key=my_key) as agg:
        agg.add_batch(df)
        print(agg.rollup(["intervention"]).to_pandas())

The library is loaded on first use (see jamstat._library for where it is looked for;
``JAMSTAT_LIBRARY`` overrides); ``jamstat.library()`` loads it now and tells which file it is.
"""
from . import _abi
from ._errors import *  # noqa: F401,F403  (JamstatError, BadRecordError, ... one class per status)
from ._errors import JamstatError, RowError, RowErrors, ERROR_CLASSES, REASON_NAMES
from ._library import LibraryNotFoundError, AbiMismatchError, load as load_library, lib as _lib
from ._columns import GridUnits
from .schema import SchemaBuilder, Schema, Dimension, Level, Measure, total_label, SWEDISH, ENGLISH
from .aggregator import Aggregator, BatchResult, StateForm, load, save, merge
from .personnummer import Personnummer, InvalidPersonnummerError, mask_personnummer
from .table import Table, Cube, SEX_REPORTING_ORDER
from .gap import TargetGroup, GapReport
from .intersectional import Maihda, MaihdaModel, Decomposition
from .protected import ProtectedTables, CELL_STATUSES, AUDIT_QUANTITIES

__version__ = _abi.JAMSTAT_VERSION_STRING  # the ABI description these declarations come from

# The ABI's constants without their prefix: jamstat.SEX_FEMALE, jamstat.COLUMN_U8, ...
for _name, _value in _abi.CONSTANTS.items():
    globals()[_name[len("JAMSTAT_"):]] = _value
for _enum in _abi.ENUMS.values():
    for _name, _value in _enum.items():
        globals()[_name[len("JAMSTAT_"):]] = _value
del _name, _value, _enum


def library():
    """The loaded library (loading it now): ``.path``, ``.origin`` (where it was found),
    ``.version``, ``.version_number``, ``.abi_version``, ``.missing`` (functions it lacks)."""
    return _lib()


def version():
    """Version string of the library actually loaded."""
    return _lib().version


def status_name(status):
    """Stable name of a status value ("JAMSTAT_ERROR_BAD_RECORD")."""
    return _lib().jamstat_status_name(int(status)).decode("utf-8")


def status_message(status):
    """What a status means, in a sentence."""
    return _lib().jamstat_status_message(int(status)).decode("utf-8")


def rejection_reason_name(reason):
    """Stable name of a rejection reason value ("code_unknown")."""
    return _lib().jamstat_rejection_reason_name(int(reason)).decode("utf-8")
