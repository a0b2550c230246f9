#!/usr/bin/env python3
"""Reference values of tests/c_api/arrow_test.c, computed exactly with Python's decimal and
fractions modules (no jamstat code involved). Run: python3 arrow_reference.py"""
from decimal import Decimal, ROUND_HALF_EVEN, getcontext
from fractions import Fraction

getcontext().prec = 80  # exact for every value below

# test_same_as_add_arrays: the sum of the hours column (grid units of 0.01 h), rounded once.
hours_units = [3750, 26554, 0, 12, 9999999, 500, 125, 2000, 4000, 1]
print("same_as_add_arrays: sum of hours =", float(Fraction(sum(hours_units), 100)))

# test_decimals, scale 1 < 2 decimals: the units/10 values at scale 1, then a -2 scale batch.
tenths = [u // 10 for u in [3750, 26554, 0, 1, 0, 999999]]
scale1 = sum(Fraction(t, 10) for t in tenths)
print("decimals: scale-1 sum =", float(scale1), "; plus 0..5 hundreds =", float(scale1 + sum(Fraction(i * 100) for i in range(6))))

# test_decimals, finer than the grid, rounded to 2 decimals with ties to even on the exact value.
scaled = [2950, 2850, 123449, 2951, 100, 5000]
rounded = [Decimal(v).scaleb(-4).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) for v in scaled]
print("decimals: rounded =", [str(r) for r in rounded], "; off the grid:",
      sum(1 for v in scaled if v % 100 != 0), "; sum =", float(sum(Fraction(r) for r in rounded)))
print("decimals: the double 0.295 rounds to", Decimal(0.295).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN),
      "(its exact value is", Decimal(0.295), ")")
print("decimals: 2^100 at scale 4 =", Decimal(2**100).scaleb(-4))

# test_decimals, a floating measure from decimal128: the double nearest to the exact value.
x = float(Fraction(1234567890123456789, 10**13))
print("decimals: 1234567890123456789e-13 ->", repr(x), "==", x == 123456.78901234568)
