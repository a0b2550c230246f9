#include "jamstat/engine/measure_stats.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>
#include <limits>

#include "jamstat/engine/errors.hpp"

namespace jamstat {

namespace {

using boost::multiprecision::uint256_t;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

unsigned bit_length(uint128_t x) noexcept {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  if (high) return 128u - static_cast<unsigned>(__builtin_clzll(high));
  const auto low = static_cast<std::uint64_t>(x);
  return low ? 64u - static_cast<unsigned>(__builtin_clzll(low)) : 0u;
}
unsigned bit_length(const uint256_t& x) { return x == 0 ? 0u : static_cast<unsigned>(boost::multiprecision::msb(x)) + 1u; }
bool top_bit(uint128_t x) noexcept { return (x >> 127) != 0; }
bool top_bit(const uint256_t& x) { return boost::multiprecision::bit_test(x, 255); }
std::uint64_t low_bits(uint128_t x) noexcept { return static_cast<std::uint64_t>(x); }
std::uint64_t low_bits(const uint256_t& x) { return static_cast<std::uint64_t>(x & std::numeric_limits<std::uint64_t>::max()); }

// The double nearest to a / b (ties to even), b > 0: the integer quotient and then the fraction
// one bit at a time (restoring division) until 55 bits are known, the rest summarised in a sticky
// bit; the two extra bits and the sticky bit decide the rounding. Exact integer arithmetic
// throughout, so the result is correctly rounded (no double rounding).
template <class U>
double nearest_quotient(U a, U b, bool negative) {
  if (a == 0) return negative ? -0.0 : 0.0;
  U q = a / b;
  U r = a % b;
  int exponent = 0;
  while (bit_length(q) < 55) {
    // r < b: 2r may exceed the type when b has its top bit set; then 2r >= b certainly.
    const bool carry = top_bit(r);
    r <<= 1;
    q <<= 1;
    if (carry || r >= b) {
      r -= b;
      q |= 1;
    }
    --exponent;
  }
  bool sticky = r != 0;
  const unsigned extra = bit_length(q) - 55;
  if (extra > 0) {
    const U mask = (U(1) << extra) - 1;
    sticky = sticky || (q & mask) != 0;
    q >>= extra;
    exponent += static_cast<int>(extra);
  }
  std::uint64_t m = low_bits(q);  // 55 bits
  const std::uint64_t dropped = m & 3;
  m >>= 2;
  exponent += 2;
  if (dropped > 2 || (dropped == 2 && (sticky || (m & 1)))) ++m;
  if (m == (std::uint64_t{1} << 53)) {
    m >>= 1;
    ++exponent;
  }
  const double magnitude = std::ldexp(static_cast<double>(m), exponent);
  return negative ? -magnitude : magnitude;
}

uint128_t magnitude(int128_t x) noexcept { return x < 0 ? uint128_t(0) - static_cast<uint128_t>(x) : static_cast<uint128_t>(x); }

constexpr std::uint64_t power_of_ten(unsigned k) noexcept {
  std::uint64_t p = 1;
  for (unsigned i = 0; i < k; ++i) p *= 10;
  return p;
}

// a / b for a non-negative numerator and a positive denominator given as 256-bit integers:
// 128-bit arithmetic when both fit (almost always), 256-bit otherwise.
double nearest_quotient_wide(const uint256_t& a, const uint256_t& b, bool negative) {
  if (bit_length(a) <= 128 && bit_length(b) <= 128) {
    const uint128_t a128 = (static_cast<uint128_t>(low_bits(a >> 64)) << 64) | low_bits(a);
    const uint128_t b128 = (static_cast<uint128_t>(low_bits(b >> 64)) << 64) | low_bits(b);
    return nearest_quotient(a128, b128, negative);
  }
  return nearest_quotient(a, b, negative);
}

uint256_t wide(uint128_t x) { return (uint256_t(static_cast<std::uint64_t>(x >> 64)) << 64) | static_cast<std::uint64_t>(x); }

// n Σu² - (Σu)², exactly (>= 0 by Cauchy-Schwarz; the state reader checks it).
uint256_t centred_numerator(const decimal_moments& d) {
  const uint256_t s = wide(magnitude(d.sum));
  const uint256_t n_q = uint256_t(d.count) * wide(d.sum_of_squares);
  const uint256_t s2 = s * s;
  return n_q >= s2 ? n_q - s2 : uint256_t(0);
}

}  // namespace

double rounded_quotient(int128_t a, uint128_t b) noexcept {
  if (b == 0) return nan;
  return nearest_quotient(magnitude(a), b, a < 0);
}

double rounded_centred_cross_product(std::uint64_t n, int128_t sum_a, int128_t sum_b, int128_t sum_ab,
                                     unsigned decimals) noexcept {
  if (n == 0) return nan;
  // n·s_ab and s_a·s_b as magnitudes and signs: each below 2^254, their difference below 2^255.
  const uint256_t n_ab = uint256_t(n) * wide(magnitude(sum_ab));
  const bool n_ab_negative = sum_ab < 0;
  const uint256_t a_b = wide(magnitude(sum_a)) * wide(magnitude(sum_b));
  const bool a_b_negative = (sum_a < 0) != (sum_b < 0);
  // numerator = n_ab (signed) − a_b (signed)
  uint256_t numerator;
  bool negative;
  if (n_ab_negative != a_b_negative) {  // opposite signs: the magnitudes add
    numerator = n_ab + a_b;
    negative = n_ab_negative;
  } else if (n_ab >= a_b) {
    numerator = n_ab - a_b;
    negative = n_ab_negative;
  } else {
    numerator = a_b - n_ab;
    negative = !n_ab_negative;
  }
  uint256_t denominator = n;
  for (unsigned k = 0; k < decimals; ++k) denominator *= 10u;
  return nearest_quotient_wide(numerator, denominator, negative && numerator != 0);
}

double measure_stats::mean() const {
  if (count() == 0) return nan;
  if (kind_ == measure_kind::floating) return floating_.mean();
  // Σu / (n 10^k): both operands exact doubles below 2^53 in the usual case, where one IEEE
  // division is the correctly rounded quotient.
  const uint128_t den = static_cast<uint128_t>(decimal_.count) * power_of_ten(decimals_);
  const uint128_t num = magnitude(decimal_.sum);
  if (num < (uint128_t(1) << 53) && den < (uint128_t(1) << 53))
    return static_cast<double>(decimal_.sum) / static_cast<double>(static_cast<std::uint64_t>(den));
  return nearest_quotient(num, den, decimal_.sum < 0);
}

double measure_stats::total() const {
  if (count() == 0) return 0.0;
  if (kind_ == measure_kind::floating) return floating_.total();
  return rounded_quotient(decimal_.sum, power_of_ten(decimals_));
}

double measure_stats::sum_of_squares() const {
  if (count() < 2) return 0.0;
  if (kind_ == measure_kind::floating) return floating_.m2;
  const std::uint64_t p = power_of_ten(decimals_);
  return nearest_quotient_wide(centred_numerator(decimal_), uint256_t(decimal_.count) * p * p, false);
}

double measure_stats::sample_variance() const {
  if (count() < 2) return nan;
  if (kind_ == measure_kind::floating) return floating_.m2 / static_cast<double>(floating_.count - 1);
  const std::uint64_t p = power_of_ten(decimals_);
  return nearest_quotient_wide(centred_numerator(decimal_), uint256_t(decimal_.count) * (decimal_.count - 1) * p * p,
                               false);
}

double measure_stats::population_variance() const {
  if (count() == 0) return nan;
  if (kind_ == measure_kind::floating) return floating_.m2 / static_cast<double>(floating_.count);
  const std::uint64_t p = power_of_ten(decimals_);
  return nearest_quotient_wide(centred_numerator(decimal_), uint256_t(decimal_.count) * decimal_.count * p * p, false);
}

double measure_stats::sample_sd() const { return std::sqrt(sample_variance()); }

double measure_stats::min() const {
  if (count() == 0) return nan;
  if (kind_ == measure_kind::floating) return floating_.min;
  return rounded_quotient(decimal_.min, power_of_ten(decimals_));
}

double measure_stats::max() const {
  if (count() == 0) return nan;
  if (kind_ == measure_kind::floating) return floating_.max;
  return rounded_quotient(decimal_.max, power_of_ten(decimals_));
}

double measure_stats::second_max() const {
  if (count() < 2) return nan;
  if (kind_ == measure_kind::floating) return floating_.second_max;
  return rounded_quotient(decimal_.second_max, power_of_ten(decimals_));
}

const decimal_moments& measure_stats::decimal() const {
  if (kind_ != measure_kind::decimal) throw usage_error("measure_stats::decimal: this measure is floating, not decimal");
  return decimal_;
}

const floating_moments& measure_stats::floating() const {
  if (kind_ != measure_kind::floating) throw usage_error("measure_stats::floating: this measure is decimal, not floating");
  return floating_;
}

void measure_stats::merge(const measure_stats& other) {
  if (other.kind_ != kind_ || other.decimals_ != decimals_)
    throw usage_error("measure_stats::merge: statistics of measures of different kinds or resolutions");
  if (kind_ == measure_kind::decimal)
    decimal_.merge(other.decimal_);
  else
    floating_.merge(other.floating_);
}

}  // namespace jamstat
