#!/usr/bin/env python3
"""Independent re-implementation of jamstat's schema fingerprint (see schema.hpp): a canonical
encoding (length-prefixed UTF-8 strings, u32 little-endian integers, tag "jamstat-schema-v1")
hashed with BLAKE2b-128; the fingerprint is the first 8 bytes, little-endian. Prints the
fingerprints that tests/engine/schema_test.cpp expects."""
import hashlib
import struct

SEX = ("sex", [(0, "Okänt", "Not known"), (1, "Män", "Men"), (2, "Kvinnor", "Women"),
               (9, "Ej tillämpligt", "Not applicable")])


def fingerprint(dims, outcomes, numerics):
    out = bytearray()
    u32 = lambda v: out.extend(struct.pack("<I", v))
    def text(s):
        b = s.encode("utf-8")
        u32(len(b))
        out.extend(b)
    text("jamstat-schema-v1")
    dims = [SEX] + dims
    u32(len(dims))
    for name, levels in dims:
        text(name)
        u32(len(levels))
        for code, sv, en in levels:
            u32(code); text(sv); text(en)
    u32(len(outcomes))
    for o in outcomes:
        for s in o: text(s)
    u32(len(numerics))
    for m in numerics:
        for s in m: text(s)
    return struct.unpack("<Q", hashlib.blake2b(bytes(out), digest_size=16).digest()[:8])[0]


small = fingerprint([("region", [(1, "Norr", "North"), (2, "Söder", "South")])],
                    [("work", "I arbete", "In work")],
                    [("hours", "h", "Timmar", "Hours"), ("cost", "SEK", "Kostnad", "Cost")])
synth = fingerprint(
    [("age_band", [(0, "16–19 år", "16–19 years"), (1, "20–24 år", "20–24 years"), (2, "25–29 år", "25–29 years"),
                   (3, "30–39 år", "30–39 years"), (4, "40–49 år", "40–49 years"), (5, "50–64 år", "50–64 years")]),
     ("birth_region", [(0, "Sverige", "Sweden"), (1, "Europa utom Sverige", "Europe except Sweden"),
                       (2, "Utanför Europa", "Outside Europe")]),
     ("education", [(0, "Förgymnasial", "Compulsory"), (1, "Gymnasial", "Upper secondary"),
                    (2, "Eftergymnasial", "Post-secondary"), (3, "Uppgift saknas", "Unknown")]),
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
                       (11, "Vägledning / studie- och yrkesvägledning", "Guidance / career counselling")])],
    [("in_work_or_studies", "I arbete eller studier", "In work or studies")],
    [("hours", "h", "Timmar", "Hours")])
print(f"SMALL_FP 0x{small:016x}")
print(f"SYNTH_FP 0x{synth:016x}")
