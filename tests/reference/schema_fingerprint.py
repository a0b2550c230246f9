#!/usr/bin/env python3
"""Independent re-implementation of jamstat's schema fingerprint (see schema.hpp): a canonical
encoding (length-prefixed UTF-8 strings, u32 / u64 little-endian integers, tag "jamstat-schema-v2",
per numeric measure its kind, decimals, off-grid policy and range: f64 bits for a floating measure,
grid units as i64 for a decimal one) hashed with BLAKE2b-128; the fingerprint is the first 8 bytes,
little-endian. Prints the fingerprints that tests/engine/schema_test.cpp expects (and, for the
version-1 encoding, those of states written before version 2)."""
import hashlib
import struct

SEX = ("sex", [(0, "Okänt", "Not known"), (1, "Män", "Men"), (2, "Kvinnor", "Women"),
               (9, "Ej tillämpligt", "Not applicable")], "Kön", "Sex")


FLOATING, DECIMAL = 0, 1
WIDEST = 1e140  # a floating measure's widest range


def fingerprint(dims, outcomes, numerics, version=2):
    """numerics: (name, unit, sv, en) for a floating measure with the widest range, or
    (name, unit, sv, en, kind, decimals, off_grid, lowest, highest) with the range in values."""
    out = bytearray()
    u32 = lambda v: out.extend(struct.pack("<I", v))
    u64 = lambda v: out.extend(struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF))
    def text(s):
        b = s.encode("utf-8")
        u32(len(b))
        out.extend(b)
    text(f"jamstat-schema-v{version}")
    dims = [SEX] + dims
    u32(len(dims))
    for dim in dims:
        name, levels = dim[0], dim[1]
        text(name)
        if version == 2:  # (name, levels, label_sv, label_en); labels default to ""
            text(dim[2] if len(dim) > 2 else ""); text(dim[3] if len(dim) > 3 else "")
        u32(len(levels))
        for code, sv, en in levels:
            u32(code); text(sv); text(en)
    u32(len(outcomes))
    for o in outcomes:
        for s in o: text(s)
    u32(len(numerics))
    for m in numerics:
        for s in m[:4]: text(s)
        if version == 1:
            continue
        kind, decimals, off_grid, lo, hi = m[4:] if len(m) > 4 else (FLOATING, 0, 0, -WIDEST, WIDEST)
        u32(kind); u32(decimals); u32(off_grid)
        if kind == DECIMAL:
            u64(round(lo * 10 ** decimals)); u64(round(hi * 10 ** decimals))
        else:
            u64(struct.unpack("<Q", struct.pack("<d", lo))[0]); u64(struct.unpack("<Q", struct.pack("<d", hi))[0])
    return struct.unpack("<Q", hashlib.blake2b(bytes(out), digest_size=16).digest()[:8])[0]


small = lambda version: fingerprint([("region", [(1, "Norr", "North"), (2, "Söder", "South")])],
                    [("work", "I arbete", "In work")],
                    [("hours", "h", "Timmar", "Hours"), ("cost", "SEK", "Kostnad", "Cost")], version)
synth = lambda hours, version: fingerprint(
    [("age_band", [(0, "16–19 år", "16–19 years"), (1, "20–24 år", "20–24 years"), (2, "25–29 år", "25–29 years"),
                   (3, "30–39 år", "30–39 years"), (4, "40–49 år", "40–49 years"), (5, "50–64 år", "50–64 years")],
      "Åldersgrupp", "Age band"),
     ("birth_region", [(0, "Sverige", "Sweden"), (1, "Europa utom Sverige", "Europe except Sweden"),
                       (2, "Utanför Europa", "Outside Europe")], "Födelseregion", "Region of birth"),
     ("education", [(0, "Förgymnasial", "Compulsory"), (1, "Gymnasial", "Upper secondary"),
                    (2, "Eftergymnasial", "Post-secondary"), (3, "Uppgift saknas", "Unknown")], "Utbildningsnivå", "Education"),
     ("intervention", [(0, "Jobbsökarstöd / coachning", "Job-search assistance / coaching"),
                       (1, "Arbetsmarknadsutbildning", "Labour-market training"),
                       (2, "Arbetspraktik", "Work-experience placement"),
                       (3, "Förberedande utbildning", "Preparatory education"),
                       (4, "Studiemotiverande kurs", "Study-motivation course"),
                       (5, "Lönebidragsanställning", "Wage-subsidy employment"),
                       (6, "Nystartsjobb / introduktionsjobb", "New-start / introduction job"),
                       (7, "Stöd till start av näringsverksamhet", "Start-up support"),
                       (8, "Rehabilitering / arbetsförmågebedömning", "Rehabilitation / work-capacity assessment"),
                       (9, "Jobb- och utvecklingsgarantin", "Job and development guarantee"),
                       (10, "Jobbgarantin för ungdomar", "Youth job guarantee"),
                       (11, "Vägledning / studie- och yrkesvägledning", "Guidance / career counselling")],
      "Insats", "Intervention")],
    [("in_work_or_studies", "I arbete eller studier", "In work or studies")],
    [hours], version)
decimal_hours = ("hours", "h", "Timmar", "Hours", DECIMAL, 2, 0, 0.0, 99999.99)
print(f"SMALL_FP 0x{small(2):016x}")
print(f"SYNTH_FP 0x{synth(decimal_hours, 2):016x}")
print(f"SMALL_FP_V1 0x{small(1):016x}")
print(f"SYNTH_FP_V1 0x{synth(('hours', 'h', 'Timmar', 'Hours'), 1):016x}")
