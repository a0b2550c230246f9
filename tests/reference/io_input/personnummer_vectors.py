#!/usr/bin/env python3
"""Reference values for tests/io_input/personnummer_test.cpp, computed independently of jamstat.

Luhn check digit over YYMMDDNNN (weights 2,1,2,... from the left, digit sums of products), as
Skatteverket describes it (SKV 704, "Personnummer"); sex from the second-to-last digit (odd: man,
ISO/IEC 5218 code 1; even: woman, 2); age in completed years at a reference date with Python's
datetime. Run: python3 tests/reference/io_input/personnummer_vectors.py
"""
from datetime import date

def luhn(nine):
    s = 0
    for i, ch in enumerate(nine):
        v = int(ch) * (2 if i % 2 == 0 else 1)
        s += v // 10 + v % 10
    return (10 - s % 10) % 10

def age(born, at):
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))

# Skatteverket's published test personnummer (open data "Testpersonnummer"), as quoted in the
# test data of github.com/ullenius/pnummer (test.sh), plus the classic documentation example.
numbers = ["202508242381", "202510022383", "202503312387", "202509012387", "202512232386",
           "202504182391", "189506299818", "189002099811", "189103179801", "190006129803",
           "190704019801", "190108219817", "200306062381", "200802122390", "200607092384",
           "198112189876"]
ref = date(2025, 12, 31)
for n in numbers:
    ten = n[2:]
    ok = luhn(ten[:9]) == int(ten[9])
    d = int(n[6:8]); sam = d > 60
    born = date(int(n[:4]), int(n[4:6]), d - 60 if sam else d)
    sex = 1 if int(n[10]) % 2 else 2
    print(f'{{"{n}", {str(ok).lower()}, {sex}, {age(born, ref)}}},  // born {born}')
# Samordningsnummer: Skatteverket's example 701063-2391 (born 1970-10-03).
print("samordningsnummer 701063-239?: check digit", luhn("701063239"))
print("811218-987?: check digit", luhn("811218987"))
print("age of 2000-02-29 at 2023-02-28:", age(date(2000, 2, 29), date(2023, 2, 28)),
      "at 2023-03-01:", age(date(2000, 2, 29), date(2023, 3, 1)), "at 2024-02-29:", age(date(2000, 2, 29), date(2024, 2, 29)))
# A Feb 29 personnummer: 20000229-NNN? with a valid check digit.
print("000229-238?: check digit", luhn("000229238"))
print("19121212121?: check digit", luhn("121212121"))
