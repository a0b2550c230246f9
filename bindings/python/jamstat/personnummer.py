"""Personnummer and samordningsnummer: parsing as the CSV ingest does, and masking for logs.

    pnr = jamstat.Personnummer.parse("811218-9876", datetime.date(2025, 12, 31))
    pnr.birth_date, pnr.sex, pnr.age, pnr.is_samordningsnummer   # 1981-12-18, 1 (man), 44, False
    agg.add(sex=pnr.sex, intervention=1, ..., person_id=pnr)      # hashed as its canonical 12 digits
    repr(pnr)                                                      # 'Personnummer(XXXXXXXX-XXXX)'
    jamstat.mask_personnummer("pnr 811218-9876")                   # 'pnr XXXXXX-XXXX'

The idiom: ``Personnummer.parse`` returns a valid number or raises
:class:`InvalidPersonnummerError` (a ``ValueError``) whose ``problem`` is the library's stable
name ("check_digit", "format", "invalid_date", "born_after_reference", "plus_sign_mismatch") and
whose message is the library's phrase; neither ever contains the number. Bad arguments (a reference
date before 1900) raise the library's :class:`jamstat.InvalidArgumentError`.

The reference date is required: the century of a 10-digit form and the age both come from it
(folkbokföringslagen 18 §), so a statistic about a period passes that period's date, and the result
does not depend on the day the program runs.

A :class:`Personnummer` never shows the number: ``repr``/``str`` are masked. The number itself is
``canonical`` (YYYYMMDDNNNC as str) and ``person_id`` (the same 12 ASCII bytes), what
``jamstat aggregate`` hashes: pass ``person_id`` (or the object itself, which every person id
argument and column accepts) so that the same person is one person whichever form a system wrote.
"""
import ctypes
import datetime

from . import _abi
from ._errors import BufferTooSmallError
from ._library import lib
from .schema import new_struct


def _problem_names():
    prefix = "JAMSTAT_PERSONNUMMER_"
    return {v: k[len(prefix):].lower() for k, v in _abi.CONSTANTS.items() if k.startswith(prefix)}


#: problem value -> stable name ("valid", "format", "check_digit", ...), from the ABI's constants
PROBLEM_NAMES = _problem_names()


def problem_name(problem):
    """The library's stable name of a problem value ("check_digit"; "valid" for 0; "unknown")."""
    return lib().jamstat_personnummer_problem_name(int(problem)).decode("utf-8")


def problem_message(problem):
    """The library's English phrase for a problem value ("" for valid and unknown values)."""
    return lib().jamstat_personnummer_problem_message(int(problem)).decode("utf-8")


class InvalidPersonnummerError(ValueError):
    """The text is not a valid personnummer or samordningsnummer. ``problem`` is the stable name
    ("check_digit", ...), ``problem_code`` its JAMSTAT_PERSONNUMMER_* value; the message is the
    library's phrase. Neither contains the number."""

    def __init__(self, problem_code):
        self.problem_code = int(problem_code)
        self.problem = problem_name(problem_code)
        self.message = problem_message(problem_code) or self.problem
        super().__init__(self.message)

    def __str__(self):
        return "not a valid personnummer: %s [%s]" % (self.message, self.problem)


def _text_bytes(text, what):
    if isinstance(text, str):
        return text.encode("utf-8")
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text)
    raise TypeError("%s must be a str or bytes, not %s" % (what, type(text).__name__))


class Personnummer:
    """A valid personnummer or samordningsnummer (immutable; made by :meth:`parse`).

    ``canonical`` (str, YYYYMMDDNNNC; a samordningsnummer keeps its day + 60), ``person_id`` (the
    same as 12 bytes: the person id to add), ``birth_date`` (datetime.date, the real one),
    ``sex`` (ISO/IEC 5218: 1 man, 2 woman, from the second-to-last digit), ``age`` (completed years
    at ``reference_date``), ``is_samordningsnummer``. Equal when the canonical forms are."""

    __slots__ = ("_canonical", "_birth_date", "_sex", "_age", "_samordningsnummer", "_reference_date")

    def __init__(self, *args, **kwargs):
        raise TypeError("make a Personnummer with Personnummer.parse(text, reference_date)")

    @classmethod
    def parse(cls, text, reference_date):
        """Parses `text` (str, UTF-8-encoded for the call, or bytes): YYMMDD-NNNC, YYMMDD+NNNC,
        YYMMDDNNNC, YYYYMMDD-NNNC, YYYYMMDDNNNC (YYYYMMDD+NNNC at 100 or older), surrounding
        spaces ignored; `reference_date` a datetime.date (year 1900..9999). Raises
        :class:`InvalidPersonnummerError` when the number is not valid."""
        data = _text_bytes(text, "text")
        if not isinstance(reference_date, datetime.date):
            raise TypeError("reference_date must be a datetime.date, not %s" % type(reference_date).__name__)
        out = new_struct("jamstat_personnummer")
        try:
            lib().jamstat_personnummer_parse(data, len(data), reference_date.year, reference_date.month,
                                             reference_date.day, ctypes.byref(out))
            if out.problem != _abi.JAMSTAT_PERSONNUMMER_VALID:
                raise InvalidPersonnummerError(out.problem)
            self = object.__new__(cls)
            setter = object.__setattr__
            setter(self, "_canonical", out.canonical.decode("ascii"))
            setter(self, "_birth_date", datetime.date(out.birth_year, out.birth_month, out.birth_day))
            setter(self, "_sex", int(out.sex))
            setter(self, "_age", int(out.age))
            setter(self, "_samordningsnummer", bool(out.samordningsnummer))
            setter(self, "_reference_date", datetime.date(reference_date.year, reference_date.month, reference_date.day))
            return self
        finally:
            ctypes.memset(ctypes.byref(out), 0, ctypes.sizeof(out))  # the number is personal data: not left about

    @property
    def canonical(self):
        """YYYYMMDDNNNC, 12 digits. The number itself: never log or store it."""
        return self._canonical

    @property
    def person_id(self):
        """The canonical 12 ASCII bytes: the person id ``jamstat aggregate`` hashes for this person."""
        return self._canonical.encode("ascii")

    @property
    def birth_date(self):
        """The real birth date (the day less 60 for a samordningsnummer)."""
        return self._birth_date

    @property
    def sex(self):
        """Legal sex, ISO/IEC 5218: 1 (man, odd second-to-last digit) or 2 (woman, even)."""
        return self._sex

    @property
    def age(self):
        """Completed years at the reference date."""
        return self._age

    @property
    def is_samordningsnummer(self):
        """True for a samordningsnummer (coordination number: day + 60)."""
        return self._samordningsnummer

    @property
    def reference_date(self):
        """The reference date it was parsed at (the century and the age come from it)."""
        return self._reference_date

    def __setattr__(self, name, value):
        raise AttributeError("a Personnummer is immutable")

    def __delattr__(self, name):
        raise AttributeError("a Personnummer is immutable")

    def __eq__(self, other):
        return isinstance(other, Personnummer) and other._canonical == self._canonical

    def __hash__(self):
        return hash((Personnummer, self._canonical))

    def __repr__(self):
        return "Personnummer(XXXXXXXX-XXXX)"

    __str__ = __repr__

    def __format__(self, spec):
        return format(repr(self), spec)

    def __reduce__(self):
        raise TypeError("a Personnummer is not pickled: it is the number itself (store person_id's hash, not the number)")


#: The first buffer tried for a masked text; a longer text is retried with the size the library asks for.
_MASK_BUFFER = 256


def mask_personnummer(text):
    """`text` with every run shaped like a personnummer or samordningsnummer (valid check digit or
    not) masked as X: "pnr 811218-9876" -> "pnr XXXXXX-XXXX". For the caller's own log lines.
    str in, str out (bytes in, bytes out)."""
    data = _text_bytes(text, "text")
    needed = ctypes.c_size_t(0)
    capacity = _MASK_BUFFER
    while True:
        buf = ctypes.create_string_buffer(max(1, capacity))
        try:
            lib().jamstat_mask_personnummer(data, len(data), buf, capacity, ctypes.byref(needed))
        except BufferTooSmallError:
            if needed.value <= capacity:
                raise
            capacity = needed.value
            continue
        masked = buf.raw[:needed.value - 1]
        return masked if isinstance(text, (bytes, bytearray, memoryview)) else masked.decode("utf-8")
