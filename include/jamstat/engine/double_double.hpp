// Double-double arithmetic: error-free transformations and the few operations on unevaluated
// sums hi + lo that the floating measures need.
//
// Sources: Knuth's TwoSum and Dekker's Fast2Sum / TwoProduct with Veltkamp's split (Dekker 1971,
// "A floating-point technique for extending the available precision"); the double-double
// operations are the "accurate" ones of Joldes, Muller & Popescu 2017, "Tight and rigorous error
// bounds for basic building blocks of double-word arithmetic" (ACM TOMS 44(2)): DWPlusFP (Alg. 4),
// AccurateDWPlusDW (Alg. 6), DWTimesFP1 (Alg. 7 without FMA), DWTimesDW1 (Alg. 10 without FMA),
// DWDivFP3 (Alg. 15 without FMA); relative errors at most 2u^2, 3u^2, 1.5u^2, 7u^2 and 3.5u^2
// (u = 2^-53). No FMA is needed (baseline x86-64 has none), so the library is compiled with
// -ffp-contract=off: a contracted a*b - p would still be exact, but the bits would depend on the
// compiler.
//
// Valid for finite operands whose products stay below about 2^996 (Veltkamp's split multiplies by
// 2^27 + 1); every measure's range keeps them far below that.
#pragma once

namespace jamstat {

/// An unevaluated sum hi + lo with |lo| <= ulp(hi) / 2 (normalized).
struct double_double {
  double hi = 0.0;
  double lo = 0.0;
  friend bool operator==(const double_double&, const double_double&) = default;
};

namespace dd {

/// s + e == a + b exactly, s = fl(a + b) (Knuth).
inline void two_sum(double a, double b, double& s, double& e) noexcept {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

/// s + e == a + b exactly when |a| >= |b| or a == 0 (Dekker).
inline void fast_two_sum(double a, double b, double& s, double& e) noexcept {
  s = a + b;
  e = b - (s - a);
}

/// hi + lo == a with hi holding the upper 26 bits of the significand (Veltkamp).
inline void split(double a, double& hi, double& lo) noexcept {
  const double c = 134217729.0 * a;  // 2^27 + 1
  hi = c - (c - a);
  lo = a - hi;
}

/// p + e == a * b exactly, p = fl(a * b) (Dekker), without FMA.
inline void two_product(double a, double b, double& p, double& e) noexcept {
  p = a * b;
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/// x + y.
inline double_double add(double_double x, double y) noexcept {
  double sh, sl, zh, zl;
  two_sum(x.hi, y, sh, sl);
  fast_two_sum(sh, x.lo + sl, zh, zl);
  return {zh, zl};
}

/// x + y.
inline double_double add(double_double x, double_double y) noexcept {
  double sh, sl, th, tl, vh, vl, zh, zl;
  two_sum(x.hi, y.hi, sh, sl);
  two_sum(x.lo, y.lo, th, tl);
  fast_two_sum(sh, sl + th, vh, vl);
  fast_two_sum(vh, tl + vl, zh, zl);
  return {zh, zl};
}

/// x - y.
inline double_double sub(double_double x, double_double y) noexcept { return add(x, double_double{-y.hi, -y.lo}); }

/// x * y.
inline double_double mul(double_double x, double y) noexcept {
  double ch, cl1, th, tl1, zh, zl;
  two_product(x.hi, y, ch, cl1);
  fast_two_sum(ch, x.lo * y, th, tl1);
  fast_two_sum(th, tl1 + cl1, zh, zl);
  return {zh, zl};
}

/// x * y.
inline double_double mul(double_double x, double_double y) noexcept {
  double ch, cl1, zh, zl;
  two_product(x.hi, y.hi, ch, cl1);
  const double cl2 = x.hi * y.lo + x.lo * y.hi;
  fast_two_sum(ch, cl1 + cl2, zh, zl);
  return {zh, zl};
}

/// x / y (y != 0).
inline double_double div(double_double x, double y) noexcept {
  const double th = x.hi / y;
  double ph, pl, zh, zl;
  two_product(th, y, ph, pl);
  const double delta = ((x.hi - ph) - pl) + x.lo;
  fast_two_sum(th, delta / y, zh, zl);
  return {zh, zl};
}

/// hi + lo rounded to the nearest double.
inline double value(double_double x) noexcept { return x.hi + x.lo; }

}  // namespace dd
}  // namespace jamstat
