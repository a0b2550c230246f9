// The columnar hot path of aggregator::add_batch.
//
// Per block of 2,048 rows:
//   1. cell indices: for a dense grid with 8-bit codes one fused loop over all code columns
//      (fused_indices_are_clean_at); otherwise one vectorizable pass per column, with a 256-entry
//      table for 8-bit codes that are not their level indices and the dimension's code table for
//      wider ones.
//   2. values: vectorizable reductions check outcomes and floating values (finite, in range);
//      decimal values are converted to grid units in the same pass (checked on the grid and in
//      range). Per-row flags only for a block that failed: under the reject policy a bad row
//      rolls the batch back from the undo log and throws; under tally it is counted and the good
//      rows are gathered into block buffers. The common shape under the reject policy (one u8
//      outcome, one f64 decimal measure) checks its outcomes and values after step 3 instead
//      (check_after_scatter_), from cache.
//   3. scatter: one loop per row updates the cell's packed scratch record (count and successes
//      in one word; floating measures: double-double sums of exact deviations from a shift, min,
//      max and second largest; decimal measures: integer sums, min, max and second largest),
//      specialised for the common shapes so the inner loops disappear.
// Every 2^18 rows each touched cell's floating sums are folded into the cell (Chan's formula:
// this bounds the length of every double-double sum, see floating_moments.hpp); at the end of
// the batch (and every 2^29 rows) everything else is folded in. Integer sums need no chunk folds:
// |u| < 2^31, so 2^29 rows of Σu fit in 63 bits and Σu² is kept in 128. No allocation, virtual
// call or hash lookup per record on a dense grid; a sparse grid looks each row's cell up once.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/errors.hpp"
#include "measure_values.hpp"
#include "overloaded.hpp"

namespace jamstat {

namespace {

constexpr std::size_t block_rows = 2048;
// Bounds the length of every double-double sum of a floating measure: a cell's sums have at most
// 2^18 terms before they are folded into the cell, which keeps their error below about 6 L^3 u^2
// relative to M2, i.e. 12 u (see docs/engine.md).
constexpr std::size_t chunk_rows = std::size_t{1} << 18;
// Bounds the scratch counts between folds into the cells: 32 bits of count, 30 of successes.
constexpr std::size_t fold_rows = std::size_t{1} << 29;
// Word 0 of a scratch record: count << 32 | armed | saved | successes of outcome 0 (30 bits).
// armed: the slot's scratch is initialised for this batch (see scatter); saved: the cell's state
// before the batch is in the undo log (see add_batch).
constexpr std::uint64_t armed = std::uint64_t{1} << 31;
constexpr std::uint64_t saved = std::uint64_t{1} << 30;
static_assert(fold_rows < saved && fold_rows % chunk_rows == 0);
// Person hashes are appended to their cells' sets unsorted and the sets touched are compacted
// (tail radix-sorted, merged, duplicates dropped) every this many rows and at the end of each
// batch: at most 8 bytes a row, 32 MiB, are held unsorted.
constexpr std::size_t person_compaction_rows = std::size_t{1} << 22;
// Scratch words per measure. Floating: shift, s1 (hi, lo), s2 (hi, lo), -min, max, second
// largest, rows folded. Decimal: Σu, Σu² (low, high word), min, max, second largest.
constexpr std::size_t floating_words = 9;
constexpr std::size_t decimal_words = 6;
// Scatter specialisations: all measures of one kind.
// decimal_inline: all decimal, converted to grid units inside the scatter from f64 columns (a
// clean block without rounding: no units buffer written and read back).
constexpr int all_floating = 0, all_decimal = 1, decimal_inline = 2, mixed_kinds = -1;

// The integer in the low bits of y = p + detail::rounding_magic (p rounded to an integer by the
// magic addition). Unsigned difference: defined for any y, also one from a value outside the
// range (a block checked after its scatter, or one that failed its check); exact for one in range.
inline std::int64_t units_of_magic_sum(double y) {
  return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(y) - std::bit_cast<std::uint64_t>(detail::rounding_magic));
}

// p = x * 10^decimals rounded to an integer.
inline std::int64_t magic_units(double x, double scale) { return units_of_magic_sum(x * scale + detail::rounding_magic); }

// A decimal measure's scratch words with no value yet: Σu, Σu² (two words), min, max, second largest.
inline void clear_decimal_words(std::uint64_t* w) {
  w[0] = w[1] = w[2] = 0;
  w[3] = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  w[4] = w[5] = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min());
}

bool has_floating_measure(const schema& s) {
  for (std::size_t m = 0; m < s.numeric_measures().size(); ++m)
    if (s.domain(m).kind == measure_kind::floating) return true;
  return false;
}

std::size_t column_size(const auto& column) {
  return std::visit(overloaded{[](std::monostate) -> std::size_t { return 0; },
                               [](const auto& span) -> std::size_t { return span.size(); }},
                    column);
}

std::size_t outcome_words(std::size_t outcomes) { return outcomes == 0 ? 1 : outcomes; }

// Scratch records are whole cache lines (8 words; the scratch is line-aligned): a record that
// straddled two lines cost a second L2 access per row (measured: 56-byte records of one outcome
// and one decimal measure made the pass 30% slower than 64-byte ones).
constexpr std::size_t padded_stride(std::size_t words) { return (words + 7) / 8 * 8; }

static_assert(sizeof(double) == sizeof(std::uint64_t));

// One floating value into its scratch words: the exact deviation from the shift (TwoSum), its
// exact square (TwoProduct), both added to double-double sums; -min, max and second largest.
inline void add_floating(double* w, double x) {
  double dh, dl, t, e, p, pe;
  dd::two_sum(x, -w[0], dh, dl);
  dd::two_sum(w[1], dh, t, e);
  w[1] = t;
  w[2] += e + dl;
  dd::two_product(dh, dh, p, pe);
  dd::two_sum(w[3], p, t, e);
  w[3] = t;
  w[4] += e + (pe + 2.0 * dh * dl);
  w[5] = -x > w[5] ? -x : w[5];
  const double lesser = x < w[6] ? x : w[6];
  w[7] = lesser > w[7] ? lesser : w[7];
  w[6] = x > w[6] ? x : w[6];
}

// One decimal value (grid units) into its scratch words. The extremes change rarely (about ln n
// times in a cell of n values drawn in random order), so they are updated behind branches that
// predict well: stores, not compares, bound this loop (branchless updates stored three words a row
// and made Job A's decimal pass about 20% slower). For the same reason the carry into the high
// word of Σu² is a branch, taken once per 2^64 / u² rows at most: an add-with-carry into memory
// stored a fourth word every row (about 15% of the pass). Unsigned arithmetic throughout: a block
// checked after its scatter (see add_block) may bring values outside the range here before it is
// rolled back, and those must not overflow a signed integer.
inline void add_decimal(std::uint64_t* w, std::int64_t u) {
  const auto bits = static_cast<std::uint64_t>(u);
  const std::uint64_t square = bits * bits;  // |u| < 2^31 for a value in range: exact
  const std::uint64_t low = w[1] + square;
  w[1] = low;
  if (low < square) [[unlikely]] ++w[2];
  w[0] += bits;
  std::int64_t lo, second;
  std::memcpy(&lo, w + 3, 8);
  std::memcpy(&second, w + 5, 8);
  if (u < lo) [[unlikely]] std::memcpy(w + 3, &u, 8);
  if (u > second) [[unlikely]] {
    // u is among the two largest: the old largest or u becomes the second largest.
    std::int64_t hi;
    std::memcpy(&hi, w + 4, 8);
    const std::int64_t new_second = u < hi ? u : hi;
    const std::int64_t new_hi = u > hi ? u : hi;
    std::memcpy(w + 4, &new_hi, 8);
    std::memcpy(w + 5, &new_second, 8);
  }
}

// --- scanning -------------------------------------------------------------------------------
// Three kinds of pass, so that the common case (a clean block) runs only loops the compiler can
// vectorize: the checks are reductions (no per-row stores, except the decimal units, which the
// scatter reads), cell_indices() is pure arithmetic, and flag_bad_rows() (per-row flags) runs
// only for a block that was not clean.

using code_plan = detail::code_plan;

template <class T>
bool codes_are_clean(const T* v, std::size_t n, const code_plan& p) {
  if (p.identity) {
    if constexpr (std::is_unsigned_v<T>) {
      T highest = 0;  // max of the column's own type: pmaxub / pmaxuw even on baseline x86-64
      for (std::size_t j = 0; j < n; ++j) highest = v[j] > highest ? v[j] : highest;
      return n == 0 || highest < p.dim->cardinality();
    } else {
      T lowest = 0, highest = 0;
      for (std::size_t j = 0; j < n; ++j) {
        lowest = v[j] < lowest ? v[j] : lowest;
        highest = v[j] > highest ? v[j] : highest;
      }
      return n == 0 || (lowest >= 0 && static_cast<std::size_t>(highest) < p.dim->cardinality());
    }
  }
  if constexpr (sizeof(T) == 1) {
    T highest = 0;
    for (std::size_t j = 0; j < n; ++j) highest = v[j] > highest ? v[j] : highest;
    if (highest < p.identity_prefix) return true;  // e.g. sex codes 0, 1, 2 only
    std::uint32_t any = 0;  // dimension::no_level has every bit set
    for (std::size_t j = 0; j < n; ++j) any |= (*p.lut8)[v[j]] & 0x80000000u;
    return any == 0;
  } else {
    for (std::size_t j = 0; j < n; ++j)
      if (!p.dim->index_of(v[j])) return false;
    return true;
  }
}

template <class T>
bool outcomes_are_clean(const T* v, std::size_t n) {
  // In the column's own width (a negative value becomes a large unsigned one), so that the
  // reduction vectorizes 64 bytes at a time for u8.
  using U = std::make_unsigned_t<T>;
  U highest = 0;
  for (std::size_t j = 0; j < n; ++j) highest = static_cast<U>(v[j]) > highest ? static_cast<U>(v[j]) : highest;
  return highest <= 1;
}

// Every value within [lowest, highest]: NaN and +-infinity fail the comparisons (the widest
// floating range is finite), so this is also the finiteness check. Written as a count of
// failures so that it vectorizes.
template <class T>
bool floats_in_range(const T* v, std::size_t n, double lowest, double highest) {
  std::uint32_t failures = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double x = static_cast<double>(v[j]);
    failures += static_cast<std::uint32_t>(!(x >= lowest) | !(x <= highest));
  }
  return failures == 0;
}

// A decimal measure's block of values in grid units: p = x * 10^decimals, rounded by the magic
// addition (ties to even, as nearbyint); a value is good when the rounded p is within the range
// (which also excludes NaN, infinities and |p| >= 2^51, where the magic would not round) and p is
// within the representation tolerance of it. Off-grid values are counted into *off_grid; the
// block is clean when no value is out of range and, under the reject policy, none is off grid.
// The same rules as detail::to_grid_units, without a branch.
template <class T>
bool to_units(const T* v, std::size_t n, const measure_domain& d, std::int64_t* units, std::uint64_t& off_grid) {
  const double tolerance = sizeof(T) == 4 ? detail::grid_tolerance_f32 : detail::grid_tolerance_f64;
  const double scale = d.scale, lo = static_cast<double>(d.lowest_units), hi = static_cast<double>(d.highest_units);
  const double magic = detail::rounding_magic;
  std::uint32_t outside = 0, off = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double p = static_cast<double>(v[j]) * scale;
    const double y = p + magic;
    const double r = y - magic;
    units[j] = units_of_magic_sum(y);
    outside += static_cast<std::uint32_t>(!(r >= lo) | !(r <= hi));
    off += static_cast<std::uint32_t>(!(std::fabs(p - r) <= tolerance * std::fabs(r)));
  }
  off_grid = off;
  if (off > 0 && outside == 0 && d.off_grid == off_grid_policy::round) {
    // Values rounded to the grid: the nearest point to each one's exact value (the scalar rule),
    // which the magic rounding of the already rounded product can miss next to a tie.
    off = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const detail::grid_value g = detail::to_grid_units(static_cast<double>(v[j]), d, tolerance);
      if (g.status == detail::value_status::out_of_range) return false;
      units[j] = g.units;
      off += g.status == detail::value_status::rounded;
    }
    off_grid = off;
  }
  return outside == 0 && (off == 0 || d.off_grid == off_grid_policy::round);
}

// The same checks without writing the units (the scatter converts a clean block's f64 values
// itself): a reduction that only reads the column.
template <class T>
bool units_are_clean(const T* v, std::size_t n, const measure_domain& d, std::uint64_t& off_grid) {
  const double tolerance = sizeof(T) == 4 ? detail::grid_tolerance_f32 : detail::grid_tolerance_f64;
  const double scale = d.scale, lo = static_cast<double>(d.lowest_units), hi = static_cast<double>(d.highest_units);
  const double magic = detail::rounding_magic;
  std::uint32_t outside = 0, off = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double p = static_cast<double>(v[j]) * scale;
    const double r = (p + magic) - magic;
    outside += static_cast<std::uint32_t>(!(r >= lo) | !(r <= hi));
    off += static_cast<std::uint32_t>(!(std::fabs(p - r) <= tolerance * std::fabs(r)));
  }
  off_grid = off;
  return outside == 0 && off == 0;
}

// Grid units given directly: a range check and a copy.
bool to_units(const std::int64_t* v, std::size_t n, const measure_domain& d, std::int64_t* units, std::uint64_t& off_grid) {
  std::uint32_t outside = 0;
  for (std::size_t j = 0; j < n; ++j) {
    units[j] = v[j];
    outside += static_cast<std::uint32_t>((v[j] < d.lowest_units) | (v[j] > d.highest_units));
  }
  off_grid = 0;
  return outside == 0;
}

// One row's value of a measure: its status, and its grid units for a decimal measure.
detail::grid_value value_at_row(const numeric_column& c, std::size_t row, const measure_domain& d) {
  return std::visit(overloaded{[&](std::span<const std::int64_t> col) { return detail::check_grid_units(col[row], d); },
                               [&](const auto& col) {
                                 using T = typename std::decay_t<decltype(col)>::element_type;
                                 const double x = static_cast<double>(col[row]);
                                 if (d.kind == measure_kind::floating) return detail::grid_value{detail::check_floating(x, d), 0};
                                 return detail::to_grid_units(x, d, sizeof(T) == 4 ? detail::grid_tolerance_f32
                                                                                   : detail::grid_tolerance_f64);
                               }},
                    c);
}

bool value_is_good(detail::value_status s) { return s == detail::value_status::ok || s == detail::value_status::rounded; }

bool codes_of_block_are_clean(const column_batch& b, const std::vector<code_plan>& plans, std::size_t row0, std::size_t n) {
  for (std::size_t d = 0; d < b.codes.size(); ++d)
    if (!std::visit([&](const auto& col) { return codes_are_clean(col.data() + row0, n, plans[d]); }, b.codes[d])) return false;
  return true;
}

// Mixed-radix cell index of every row; rows with an invalid code get a meaningless index (they
// are flagged and never used).
template <class Cell, class T>
void add_code_to_cells(const T* v, std::size_t n, const code_plan& p, Cell* cell) {
  const Cell card = static_cast<Cell>(p.dim->cardinality());
  bool identity = p.identity;
  if constexpr (sizeof(T) == 1) {
    if (!identity && p.identity_prefix > 0) {
      T highest = 0;
      for (std::size_t j = 0; j < n; ++j) highest = v[j] > highest ? v[j] : highest;
      identity = highest < p.identity_prefix;
    }
  }
  if (identity) {
    for (std::size_t j = 0; j < n; ++j) cell[j] = cell[j] * card + static_cast<Cell>(static_cast<std::uint32_t>(v[j]));
  } else if constexpr (sizeof(T) == 1) {
    for (std::size_t j = 0; j < n; ++j) cell[j] = cell[j] * card + static_cast<Cell>((*p.lut8)[v[j]]);
  } else {
    const auto& lut = p.dim->code_lookup();
    if (lut.empty()) {  // codes too sparse for a table: binary search
      for (std::size_t j = 0; j < n; ++j)
        cell[j] = cell[j] * card + static_cast<Cell>(p.dim->index_of(v[j]).value_or(0));
      return;
    }
    const std::int64_t lo = p.dim->min_code(), size = static_cast<std::int64_t>(lut.size());
    for (std::size_t j = 0; j < n; ++j) {
      const std::int64_t offset = static_cast<std::int64_t>(v[j]) - lo;
      const std::uint32_t index = offset >= 0 && offset < size ? lut[static_cast<std::size_t>(offset)] : 0;
      cell[j] = cell[j] * card + static_cast<Cell>(index);
    }
  }
}

template <class Cell>
void cell_indices(const column_batch& b, const std::vector<code_plan>& plans, std::size_t row0, std::size_t n, Cell* cell) {
  std::fill_n(cell, n, Cell{0});
  for (std::size_t d = 0; d < b.codes.size(); ++d)
    std::visit([&](const auto& col) { add_code_to_cells(col.data() + row0, n, plans[d], cell); }, b.codes[d]);
}

// Per-row bad flags (slow path: only for blocks that are not clean).
void flag_bad_rows(const column_batch& b, const schema& s, const std::vector<code_plan>& plans, std::size_t row0,
                   std::size_t n, std::uint8_t* bad) {
  std::fill_n(bad, n, std::uint8_t{0});
  for (std::size_t d = 0; d < b.codes.size(); ++d)
    std::visit([&](const auto& col) {
      for (std::size_t j = 0; j < n; ++j) bad[j] |= static_cast<std::uint8_t>(!plans[d].dim->index_of(col[row0 + j]));
    }, b.codes[d]);
  for (const outcome_column& c : b.outcomes)
    std::visit([&](const auto& col) {
      for (std::size_t j = 0; j < n; ++j) bad[j] |= static_cast<std::uint8_t>(col[row0 + j] != 0 && col[row0 + j] != 1);
    }, c);
  for (std::size_t m = 0; m < b.numerics.size(); ++m)
    for (std::size_t j = 0; j < n; ++j)
      bad[j] |= static_cast<std::uint8_t>(!value_is_good(value_at_row(b.numerics[m], row0 + j, s.domain(m)).status));
  if (const auto* ids = std::get_if<std::span<const std::string_view>>(&b.persons))
    for (std::size_t j = 0; j < n; ++j) bad[j] |= static_cast<std::uint8_t>((*ids)[row0 + j].empty());
}

// The fused pass of the common shape: a dense grid whose code columns are all 8-bit, with u8
// outcomes and f64 measures. One loop per block computes every row's cell index from all code
// columns at once and each column's largest code; two more reduce the outcomes and measures.
// The block is clean when every code is below its dimension's identity limit (codes are their
// level indices there) and every outcome and value is valid; anything else (a bad row, or a code
// that needs the lookup table, such as sex 9) goes the general way.
template <int D>
bool fused_indices_are_clean(const std::uint8_t* const* codes, const std::uint32_t* cards, const std::uint32_t* limits,
                             std::size_t row0, std::size_t n, std::uint32_t* cell) {
  const std::uint8_t* c[D];
  std::uint32_t card[D];
  for (int d = 0; d < D; ++d) {
    c[d] = codes[d] + row0;
    card[d] = cards[d];
  }
  std::uint8_t highest[D] = {};
  for (std::size_t j = 0; j < n; ++j) {
    std::uint32_t index = 0;
    for (int d = 0; d < D; ++d) {
      index = index * card[d] + c[d][j];
      highest[d] = c[d][j] > highest[d] ? c[d][j] : highest[d];
    }
    cell[j] = index;
  }
  bool clean = true;
  for (int d = 0; d < D; ++d) clean &= highest[d] < limits[d];
  return clean;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

bool aggregator::fused_indices_are_clean_at(std::size_t row0, std::size_t n) {
  const fused_shape& f = fused_;
  bool clean;
  std::uint32_t* cell = block_cell32_.data();
  switch (f.dimensions) {
    case 1: clean = fused_indices_are_clean<1>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    case 2: clean = fused_indices_are_clean<2>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    case 3: clean = fused_indices_are_clean<3>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    case 4: clean = fused_indices_are_clean<4>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    case 5: clean = fused_indices_are_clean<5>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    case 6: clean = fused_indices_are_clean<6>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    case 7: clean = fused_indices_are_clean<7>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
    default: clean = fused_indices_are_clean<8>(f.codes.data(), f.cardinalities.data(), f.limits.data(), row0, n, cell); break;
  }
  return clean;
}

void aggregator::prepare_fused_shape(const column_batch& b) {
  fused_ = {};
  if (!cells_.is_dense() || b.codes.size() > fused_shape::max_columns || b.codes.empty()) return;
  for (std::size_t d = 0; d < b.codes.size(); ++d) {
    const auto* u8 = std::get_if<std::span<const std::uint8_t>>(&b.codes[d]);
    const std::uint32_t limit = code_plans_[d].identity ? static_cast<std::uint32_t>(code_plans_[d].dim->cardinality())
                                                        : code_plans_[d].identity_prefix;
    if (!u8 || limit == 0) return;
    fused_.codes[d] = u8->data();
    fused_.cardinalities[d] = static_cast<std::uint32_t>(code_plans_[d].dim->cardinality());
    fused_.limits[d] = limit;
  }
  fused_.dimensions = b.codes.size();
  fused_.usable = true;
}

void aggregator::prepare_columnar_scratch() {
  lut8_.reserve(schema_->dimensions().size());  // code_plans_ point into it
  for (const dimension& d : schema_->dimensions()) {
    std::array<std::uint32_t, 256> lut;
    for (int code = 0; code < 256; ++code) {
      const auto index = d.index_of(code);
      lut[static_cast<std::size_t>(code)] = index ? static_cast<std::uint32_t>(*index) : dimension::no_level;
    }
    lut8_.push_back(lut);
    std::uint32_t prefix = 0;  // leading levels whose code is their index
    while (prefix < d.cardinality() && d.levels()[prefix].code == static_cast<std::int32_t>(prefix)) ++prefix;
    code_plans_.push_back({&d, prefix == d.cardinality(), prefix, &lut8_.back()});
    cardinalities_.push_back(static_cast<std::uint32_t>(d.cardinality()));
  }
  const std::size_t outcomes = schema_->outcomes().size(), measures = schema_->numeric_measures().size();
  std::size_t word = outcome_words(outcomes);
  for (std::size_t m = 0; m < measures; ++m) {
    measure_word_.push_back(word);
    word += schema_->domain(m).kind == measure_kind::decimal ? decimal_words : floating_words;
  }
  scratch_stride_ = padded_stride(word);
  block_bad_.resize(block_rows);
  block_rows_.resize(block_rows);
  block_slots_.resize(block_rows);
  block_armed_.resize(block_rows);
  if (counts_persons()) block_hashes_.resize(block_rows);
  if (cells_.is_dense())
    block_cell32_.resize(block_rows);
  else
    block_cell64_.resize(block_rows);
  block_outcomes_.resize(outcomes * block_rows);
  block_numerics_.resize(measures * block_rows);
  block_units_.resize(measures * block_rows);
  block_units_ready_.resize(measures);
  block_off_grid_.resize(measures);
}

std::optional<rejected_row> aggregator::find_bad_field_in_batch(const column_batch& b, std::size_t row, bool with_message) const {
  // The slow path, reached only for rows the block scan flagged: gather the row into a record.
  // Values good by their column's own rules (a float's grid tolerance, grid units given as
  // integers) enter as their grid value, so that the record's checks agree with the column's.
  std::vector<std::int32_t> codes, outcomes;
  std::vector<double> numerics;
  for (const code_column& c : b.codes)
    codes.push_back(std::visit([&](const auto& span) { return static_cast<std::int32_t>(span[row]); }, c));
  for (const outcome_column& c : b.outcomes)
    outcomes.push_back(std::visit([&](const auto& span) { return static_cast<std::int32_t>(span[row]); }, c));
  for (std::size_t m = 0; m < b.numerics.size(); ++m) {
    const measure_domain& d = schema_->domain(m);
    const detail::grid_value v = value_at_row(b.numerics[m], row, d);
    double x = std::visit(overloaded{[&](std::span<const std::int64_t> col) { return static_cast<double>(col[row]) / d.scale; },
                                     [&](const auto& col) { return static_cast<double>(col[row]); }},
                          b.numerics[m]);
    if (d.kind == measure_kind::decimal && value_is_good(v.status)) x = static_cast<double>(v.units) / d.scale;
    numerics.push_back(x);
  }
  person_id person = std::visit(overloaded{[](std::monostate) -> person_id { return std::monostate{}; },
                                           [&](std::span<const std::string_view> ids) -> person_id { return ids[row]; },
                                           [&](const auto& ids) -> person_id { return static_cast<std::uint64_t>(ids[row]); }},
                                b.persons);
  if (!counts_persons()) person = std::monostate{};
  return find_bad_field(record{codes, outcomes, numerics, person}, row, with_message);
}

void aggregator::check_batch_shape(const column_batch& b) const {
  const schema& s = *schema_;
  auto expect = [&](std::size_t got, std::size_t want, const char* what) {
    if (got != want)
      throw usage_error("batch has " + std::to_string(got) + " " + what + " columns; the schema needs " + std::to_string(want));
  };
  expect(b.codes.size(), s.dimensions().size(), "code");
  expect(b.outcomes.size(), s.outcomes().size(), "outcome");
  expect(b.numerics.size(), s.numeric_measures().size(), "numeric");
  auto length = [&](std::size_t got, std::size_t field) {
    if (got != b.rows)
      throw usage_error("batch column '" + s.field_name(field) + "' has " + std::to_string(got) + " values; the batch has " +
                        std::to_string(b.rows) + " rows");
  };
  for (std::size_t d = 0; d < b.codes.size(); ++d) length(column_size(b.codes[d]), d);
  for (std::size_t o = 0; o < b.outcomes.size(); ++o) length(column_size(b.outcomes[o]), s.outcome_field(o));
  for (std::size_t m = 0; m < b.numerics.size(); ++m) {
    length(column_size(b.numerics[m]), s.numeric_field(m));
    if (std::holds_alternative<std::span<const std::int64_t>>(b.numerics[m]) && s.domain(m).kind != measure_kind::decimal)
      throw usage_error("batch column '" + s.field_name(s.numeric_field(m)) +
                        "' holds grid units (64-bit integers), but the measure is floating, not decimal");
  }
  if (counts_persons()) {
    if (std::holds_alternative<std::monostate>(b.persons))
      throw usage_error("batch has no person_id column, but this aggregator counts distinct persons");
    length(column_size(b.persons), s.person_id_field());
  } else if (!std::holds_alternative<std::monostate>(b.persons)) {
    throw usage_error("batch has a person_id column, but this aggregator does not count persons (create it with a person "
                      "key to count distinct persons, or leave the column out)");
  }
}

bool aggregator::values_are_clean(const column_batch& b, std::size_t row0, std::size_t n) {
  bool clean = true;
  for (const outcome_column& c : b.outcomes)
    clean &= std::visit([&](const auto& col) { return outcomes_are_clean(col.data() + row0, n); }, c);
  for (std::size_t m = 0; m < b.numerics.size(); ++m) {
    const measure_domain& d = schema_->domain(m);
    if (d.kind == measure_kind::decimal) {
      // An f64 block that is clean and on the grid is converted inside the scatter; anything else
      // (f32, grid units given, values to round, bad rows) goes through the units buffer.
      const auto* f64 = std::get_if<std::span<const double>>(&b.numerics[m]);
      block_units_ready_[m] = !(f64 && units_are_clean(f64->data() + row0, n, d, block_off_grid_[m]));
      if (!block_units_ready_[m]) continue;
      std::int64_t* units = block_units_.data() + m * block_rows;
      clean &= std::visit([&](const auto& col) { return to_units(col.data() + row0, n, d, units, block_off_grid_[m]); },
                          b.numerics[m]);
    } else {
      clean &= std::visit(overloaded{[](std::span<const std::int64_t>) { return false; },  // refused by check_batch_shape
                                     [&](const auto& col) { return floats_in_range(col.data() + row0, n, d.lowest, d.highest); }},
                          b.numerics[m]);
    }
  }
  if (const auto* ids = std::get_if<std::span<const std::string_view>>(&b.persons))
    for (std::size_t j = 0; j < n; ++j) clean &= !(*ids)[row0 + j].empty();
  return clean;
}

std::uint64_t aggregator::find_bad_rows(
    const column_batch& b, const std::function<void(std::uint64_t, std::size_t, rejection_reason)>& found) const {
  check_batch_shape(b);
  std::vector<std::uint8_t> bad(block_rows);
  std::uint64_t count = 0;
  for (std::size_t row0 = 0; row0 < b.rows; row0 += block_rows) {
    const std::size_t n = std::min(block_rows, b.rows - row0);
    flag_bad_rows(b, *schema_, code_plans_, row0, n, bad.data());
    for (std::size_t j = 0; j < n; ++j) {
      if (!bad[j]) continue;
      const std::optional<rejected_row> r = find_bad_field_in_batch(b, row0 + j, false);
      if (!r) continue;
      ++count;
      found(r->row, r->field, r->reason);
    }
  }
  return count;
}

void aggregator::validate_block(const column_batch& b, std::size_t row0, std::size_t n) {
  if (codes_of_block_are_clean(b, code_plans_, row0, n) && values_are_clean(b, row0, n)) return;
  flag_bad_rows(b, *schema_, code_plans_, row0, n, block_bad_.data());
  for (std::size_t j = 0; j < n; ++j)
    if (block_bad_[j]) reject_or_throw(*find_bad_field_in_batch(b, row0 + j));
}

batch_result aggregator::add_batch(const column_batch& b) {
  require_key_for_adding();
  check_batch_shape(b);
  densify_for_ingestion();
  if (participations_ + b.rows < participations_)
    throw overflow_error("add_batch: the state holds " + std::to_string(participations_) + " participations; " +
                         std::to_string(b.rows) + " more would exceed 2^64 - 1 (nothing was added)");
  batch_result result;
  // The scratch is allocated on the first batch, so aggregators that only merge or are read from a
  // state never pay for it.
  if (scratch_.size() < cells_.slot_count() * scratch_stride_) scratch_.resize(cells_.slot_count() * scratch_stride_, 0);
  touched_.reserve(cells_.slot_count());  // room for every slot: see slots_armed
  // All-or-nothing under the reject policy. Each block is validated just before it is added, while
  // it is in cache (reading the batch from memory once, not twice), and an undo log keeps every
  // touched cell's state before the batch (about 100 bytes per cell) so that a bad row restores the
  // state exactly. Batches of one block, sparse grids (whose new slots would have to be removed
  // again) and batches with person ids (whose sets are compacted along the way) are validated in
  // full first instead.
  const bool reject = options_.on_bad_record == bad_record_policy::reject;
  undo_active_ = reject && b.rows > block_rows && cells_.is_dense() && !counts_persons();
  batch_validated_ = reject && !undo_active_;
  if (batch_validated_)
    for (std::size_t row0 = 0; row0 < b.rows; row0 += block_rows) validate_block(b, row0, std::min(block_rows, b.rows - row0));
  undo_participations_ = participations_;
  undo_rounded_ = rounded_;
  prepare_fused_shape(b);
  check_after_scatter_ = undo_active_ && values_checkable_after_scatter(b);
  // Arming every slot up front pays when the batch has several rows per slot (a dense grid only,
  // and no floating measure: its shift is the slot's first value).
  const bool arm_up_front = cells_.is_dense() && !has_floating_measure(*schema_) && b.rows > block_rows && b.rows / 4 >= cells_.slot_count();
  if (counts_persons() && cells_.is_dense() && b.rows >= block_rows) reserve_person_sets(b);
  try {
    if (arm_up_front) arm_every_slot();
    for (std::size_t row0 = 0; row0 < b.rows; row0 += chunk_rows) {
      const std::size_t chunk_end = std::min(b.rows, row0 + chunk_rows);
      for (std::size_t r = row0; r < chunk_end; r += block_rows) add_block(b, r, std::min(block_rows, chunk_end - r), result);
      if (chunk_end == b.rows || chunk_end % fold_rows == 0) {
        fold_scratch();
        if (arm_up_front && chunk_end != b.rows) arm_every_slot();
      } else {
        fold_chunk_sums();
      }
      if (persons_appended_ >= person_compaction_rows && !persons_reserved_) compact_person_sets();
    }
    compact_person_sets();
  } catch (...) {
    // A bad row was rolled back already. Anything else (std::bad_alloc): restore the state before
    // the batch when the undo log allows, else keep what was added consistent; then report.
    if (undo_active_) roll_back_batch();
    fold_scratch();
    compact_person_sets();
    forget_undo_log();
    throw;
  }
  forget_undo_log();
  return result;
}

bool aggregator::values_checkable_after_scatter(const column_batch& b) const {
  // The shape whose scatter converts decimal values inline (one u8 outcome, one f64 decimal measure
  // that rejects off-grid values, no cross-products): any value, good or bad, only moves scratch
  // words there (unsigned arithmetic, see add_decimal), and a bad block rolls the batch back.
  if (b.outcomes.size() != 1 || b.numerics.size() != 1 || cells_.cross_product_pairs() != 0) return false;
  const measure_domain& d = schema_->domain(0);
  return d.kind == measure_kind::decimal && d.off_grid == off_grid_policy::reject &&
         std::holds_alternative<std::span<const std::uint8_t>>(b.outcomes[0]) &&
         std::holds_alternative<std::span<const double>>(b.numerics[0]);
}

void aggregator::reserve_person_sets(const column_batch& b) {
  // One cheap pass over the code columns counts the batch's rows per cell, so that every cell's
  // set grows once, to its final size, instead of doubling its way there (each doubling copies
  // the set and touches fresh memory, which costs more than the pass on a VM with slow faults).
  // Blocks with a bad code are left out; their cells grow as usual.
  std::vector<std::uint32_t> rows_per_slot(cells_.slot_count(), 0);
  std::uint32_t* cell = block_cell32_.data();
  for (std::size_t row0 = 0; row0 < b.rows; row0 += block_rows) {
    const std::size_t n = std::min(block_rows, b.rows - row0);
    bool indexed = false;
    if (fused_.usable) indexed = fused_indices_are_clean_at(row0, n);
    if (!indexed && codes_of_block_are_clean(b, code_plans_, row0, n)) {
      cell_indices(b, code_plans_, row0, n, cell);
      indexed = true;
    }
    if (!indexed) continue;
    for (std::size_t j = 0; j < n; ++j) ++rows_per_slot[cell[j]];
  }
  for (std::uint32_t slot = 0; slot < rows_per_slot.size(); ++slot) {
    if (rows_per_slot[slot] == 0) continue;
    cells_.persons(slot).reserve_more(rows_per_slot[slot]);
    cells_.persons(slot).prefault();
  }
  persons_reserved_ = true;
}

void aggregator::save_for_undo(std::uint32_t slot) {
  // An empty cell is restored by emptying it, so only cells with data are copied: a batch into a
  // fresh aggregator (the usual case) logs 4 bytes per cell instead of about 100, which saves
  // the log's page faults.
  if (cells_.participations(slot) == 0) {
    undo_emptied_.push_back(slot);
    return;
  }
  // Room first, so that a std::bad_alloc leaves the log as it was (roll_back_batch reads it in step).
  const std::size_t n_outcomes = schema_->outcomes().size(), n_measures = schema_->numeric_measures().size();
  auto make_room = [](auto& log, std::size_t more) {
    if (log.capacity() - log.size() < more) log.reserve(std::max(2 * log.capacity(), log.size() + more));
  };
  make_room(undo_slots_, 1);
  make_room(undo_counts_, 1 + n_outcomes);
  make_room(undo_decimal_, n_measures);
  make_room(undo_floating_, n_measures);
  make_room(undo_cross_, cells_.cross_product_pairs());
  undo_slots_.push_back(slot);
  undo_counts_.push_back(cells_.participations(slot));
  for (std::size_t o = 0; o < schema_->outcomes().size(); ++o) undo_counts_.push_back(cells_.successes(o)[slot]);
  for (std::size_t m = 0; m < schema_->numeric_measures().size(); ++m) {
    if (const decimal_moments* d = cells_.decimal(m))
      undo_decimal_.push_back(d[slot]);
    else
      undo_floating_.push_back(cells_.floating(m)[slot]);
  }
  if (const int128_t* products = cells_.cross_products(slot))
    undo_cross_.insert(undo_cross_.end(), products, products + cells_.cross_product_pairs());
}

void aggregator::roll_back_batch() {
  const std::size_t n_outcomes = schema_->outcomes().size(), n_measures = schema_->numeric_measures().size();
  for (const std::uint32_t s : touched_) std::fill_n(scratch_.data() + std::size_t{s} * scratch_stride_, scratch_stride_, 0);
  touched_.clear();
  all_armed_ = false;
  const std::uint64_t* counts = undo_counts_.data();
  const floating_accumulator* floating = undo_floating_.data();
  const decimal_moments* decimal = undo_decimal_.data();
  const int128_t* cross = undo_cross_.data();
  const std::size_t pairs = cells_.cross_product_pairs();
  for (const std::uint32_t s : undo_slots_) {
    if (int128_t* products = cells_.cross_products(s)) {
      std::copy_n(cross, pairs, products);
      cross += pairs;
    }
    cells_.participations(s) = *counts++;
    for (std::size_t o = 0; o < n_outcomes; ++o) cells_.successes(o)[s] = *counts++;
    for (std::size_t m = 0; m < n_measures; ++m) {
      if (decimal_moments* d = cells_.decimal(m))
        d[s] = *decimal++;
      else
        cells_.floating(m)[s] = *floating++;
    }
  }
  for (const std::uint32_t s : undo_emptied_) cells_.clear_slot(s);
  participations_ = undo_participations_;
  rounded_ = undo_rounded_;
  forget_undo_log();
}

void aggregator::forget_undo_log() {
  for (const std::uint32_t s : undo_slots_) scratch_[std::size_t{s} * scratch_stride_] &= ~saved;
  for (const std::uint32_t s : undo_emptied_) scratch_[std::size_t{s} * scratch_stride_] &= ~saved;
  undo_slots_.clear();
  undo_emptied_.clear();
  undo_counts_.clear();
  undo_floating_.clear();
  undo_decimal_.clear();
  undo_cross_.clear();
  undo_active_ = false;
}

void aggregator::slots_armed(const std::uint32_t* slots, std::size_t n) {
  // touched_ has room for every slot (reserved with the scratch), so the slots are recorded before
  // anything can throw: a slot armed but not in touched_ would keep its rows out of every fold.
  touched_.insert(touched_.end(), slots, slots + n);
  save_armed_for_undo(slots, n);
}

void aggregator::save_armed_for_undo(const std::uint32_t* slots, std::size_t n) {
  if (!undo_active_) return;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t& word0 = scratch_[std::size_t{slots[i]} * scratch_stride_];
    if (word0 & saved) continue;
    save_for_undo(slots[i]);  // the cell itself is untouched by this batch until the slot's first fold
    word0 |= saved;
  }
}

void aggregator::arm_every_slot() {
  // Every slot of a dense grid, before a batch with many rows per slot: the scatter then skips the
  // armed test. Only for schemas without floating measures, whose shift is the slot's first value.
  // Slots that get no row fold to nothing (fold_scratch skips a count of 0).
  const std::size_t first = touched_.size();
  for (std::uint32_t s = 0; s < cells_.slot_count(); ++s) {
    std::uint64_t* record = scratch_.data() + std::size_t{s} * scratch_stride_;
    if (record[0] & armed) continue;
    for (std::size_t m = 0; m < schema_->numeric_measures().size(); ++m) clear_decimal_words(record + measure_word_[m]);
    record[0] |= armed;
    touched_.push_back(s);  // cannot throw: room for every slot
  }
  save_armed_for_undo(touched_.data() + first, touched_.size() - first);
  all_armed_ = true;
}

// Not inlined into add_rows: there GCC ran out of registers and reloaded the column pointers from
// the stack every row.
template <int Outcomes, int Measures, int Kind, bool PreArmed>
[[gnu::noinline]] void aggregator::scatter(std::size_t n, const std::uint32_t* slots, const std::uint8_t* const* outcomes,
                         const double* const* numerics, const std::int64_t* const* units) {
  // Compile-time counts and kinds when given (>= 0), the schema's otherwise.
  constexpr bool fixed = Outcomes >= 0 && Measures >= 0 && Kind >= 0;
  const std::size_t n_outcomes = Outcomes >= 0 ? static_cast<std::size_t>(Outcomes) : schema_->outcomes().size();
  const std::size_t n_measures = Measures >= 0 ? static_cast<std::size_t>(Measures) : schema_->numeric_measures().size();
  constexpr std::size_t words_each = Kind == all_decimal || Kind == decimal_inline ? decimal_words : floating_words;
  const std::size_t first_measure_word = outcome_words(n_outcomes);
  const std::size_t stride = fixed ? padded_stride(first_measure_word + words_each * n_measures) : scratch_stride_;
  auto word_of = [&](std::size_t m) { return fixed ? first_measure_word + words_each * m : measure_word_[m]; };
  auto is_decimal = [&](std::size_t m) {
    if constexpr (Kind >= 0) return Kind == all_decimal || Kind == decimal_inline;
    else return schema_->domain(m).kind == measure_kind::decimal;
  };

  std::uint64_t* scratch = scratch_.data();
  // Local copies of the column pointers: the compiler cannot tell that the scratch stores below
  // leave the pointer arrays alone, and would reload them every row.
  constexpr std::size_t fixed_outcomes = Outcomes > 0 ? static_cast<std::size_t>(Outcomes) : 1;
  constexpr std::size_t fixed_measures = Measures > 0 ? static_cast<std::size_t>(Measures) : 1;
  double scales[fixed_measures] = {};
  if constexpr (Kind == decimal_inline)
    for (std::size_t m = 0; m < n_measures; ++m) scales[m] = schema_->domain(m).scale;
  const std::uint8_t* out[fixed_outcomes] = {};
  const double* val[fixed_measures] = {};
  const std::int64_t* grid[fixed_measures] = {};
  if constexpr (fixed) {
    for (std::size_t o = 0; o < static_cast<std::size_t>(Outcomes); ++o) out[o] = outcomes[o];
    for (std::size_t m = 0; m < static_cast<std::size_t>(Measures); ++m) {
      val[m] = numerics[m];
      grid[m] = units[m];
    }
  }
  auto outcome_at = [&](std::size_t o, std::size_t k) {
    if constexpr (fixed) return out[o][k];
    else return outcomes[o][k];
  };
  auto value_at = [&](std::size_t m, std::size_t k) {
    if constexpr (fixed) return val[m][k];
    else return numerics[m][k];
  };
  auto units_at = [&](std::size_t m, std::size_t k) {
    if constexpr (Kind == decimal_inline) return magic_units(val[m][k], scales[m]);
    else if constexpr (fixed) return grid[m][k];
    else return units[m][k];
  };
  // A slot's first row in this batch arms it: its scratch words are initialised, and a floating
  // measure's value becomes the shift, which stays for the whole batch (chunk folds keep it; any
  // value of the cell keeps the deviations within max - min). Done inline, with the bookkeeping
  // after the loop: a call in the loop made GCC keep its running values on the stack, and a
  // separate arming loop cost more than the branch. PreArmed: every slot was armed before the
  // batch (arm_every_slot), and the test is left out (about 15% of Job A's pass).
  std::uint32_t* armed_now = block_armed_.data();
  std::size_t n_armed = 0;
  // Unrolled: about 24 instructions a row, and the loop's own three cost about 5% (measured on
  // Job A's decimal pass).
#pragma GCC unroll 4
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t s = slots[k];
    std::uint64_t* record = scratch + std::size_t{s} * stride;
    if (!PreArmed && !(record[0] & armed)) [[unlikely]] {
      for (std::size_t m = 0; m < n_measures; ++m) {
        std::uint64_t* w = record + word_of(m);
        if (is_decimal(m)) {
          clear_decimal_words(w);
        } else {
          double* f = reinterpret_cast<double*>(w);
          f[0] = value_at(m, k);
          f[1] = f[2] = f[3] = f[4] = 0.0;
          f[5] = f[6] = f[7] = -std::numeric_limits<double>::infinity();  // -min, max, second largest
          w[8] = 0;  // rows folded
        }
      }
      record[0] |= armed;
      armed_now[n_armed++] = s;
    }
    std::uint64_t word0 = record[0] + (std::uint64_t{1} << 32);
    if (n_outcomes > 0) word0 += outcome_at(0, k);
    record[0] = word0;
    for (std::size_t o = 1; o < n_outcomes; ++o) record[o] += outcome_at(o, k);
    for (std::size_t m = 0; m < n_measures; ++m) {
      if (is_decimal(m))
        add_decimal(record + word_of(m), units_at(m, k));
      else
        add_floating(reinterpret_cast<double*>(record + word_of(m)), value_at(m, k));
    }
  }
  slots_armed(armed_now, n_armed);
}

void aggregator::add_block(const column_batch& b, std::size_t row0, std::size_t n, batch_result& result) {
  const bool dense = cells_.is_dense();
  bool codes_clean = fused_.usable && fused_indices_are_clean_at(row0, n);
  if (!codes_clean) {
    if (dense)
      cell_indices(b, code_plans_, row0, n, block_cell32_.data());
    else
      cell_indices(b, code_plans_, row0, n, block_cell64_.data());
    codes_clean = codes_of_block_are_clean(b, code_plans_, row0, n);
  }
  // Values are checked before the scatter (which also converts decimal values to grid units), or,
  // check_after_scatter_, after it: the check then reads the block from cache instead of being the
  // first to wait for it from memory (about 15% of Job A's pass).
  if (check_after_scatter_) block_units_ready_[0] = false;
  const bool values_clean = check_after_scatter_ || values_are_clean(b, row0, n);
  const bool any_bad = !(codes_clean && values_clean);
  if (any_bad && options_.on_bad_record == bad_record_policy::reject) {
    roll_back_batch();
    validate_block(b, row0, n);  // throws input_error for the first bad row
  }
  if (any_bad) flag_bad_rows(b, *schema_, code_plans_, row0, n, block_bad_.data());

  // Rows kept: all of them, or (tally policy) the good ones.
  std::size_t good = n;
  const std::uint32_t* rows = nullptr;  // nullptr = identity
  if (any_bad) {
    good = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (block_bad_[j]) {
        // The message only for the first rejected row (or the one thrown): building one per row of
        // a file full of bad rows would cost more than the rows.
        const bool with_message = !result.first_rejected || options_.on_bad_record == bad_record_policy::reject;
        rejected_row bad = *find_bad_field_in_batch(b, row0 + j, with_message);
        if (!result.first_rejected) result.first_rejected = bad;
        ++result.rejected;
        reject_or_throw(std::move(bad));
        continue;
      }
      block_rows_[good++] = static_cast<std::uint32_t>(j);
    }
    rows = block_rows_.data();
  }
  // Values rounded to their grid (off_grid_policy::round), counted over the rows kept.
  for (std::size_t m = 0; m < b.numerics.size(); ++m) {
    if (schema_->domain(m).off_grid != off_grid_policy::round) continue;
    if (!rows) {
      rounded_[m] += block_off_grid_[m];
      continue;
    }
    for (std::size_t k = 0; k < good; ++k)
      rounded_[m] += value_at_row(b.numerics[m], row0 + rows[k], schema_->domain(m)).status == detail::value_status::rounded;
  }

  // Slots: on a dense grid the cell index is the slot; a sparse grid looks each cell up once.
  const std::uint32_t* slots;
  if (dense && !rows) {
    slots = block_cell32_.data();
  } else {
    for (std::size_t k = 0; k < good; ++k) {
      const std::size_t j = rows ? rows[k] : k;
      block_slots_[k] = dense ? block_cell32_[j] : cells_.slot_for(block_cell64_[j]);
    }
    slots = block_slots_.data();
    if (scratch_.size() < cells_.slot_count() * scratch_stride_) scratch_.resize(cells_.slot_count() * scratch_stride_, 0);
    touched_.reserve(cells_.slot_count());  // room for every slot: see slots_armed
  }
  current_block_rows_ = n;
  add_rows(b, row0, good, rows, slots, result);
  if (check_after_scatter_ &&
      !(outcomes_are_clean(std::get<std::span<const std::uint8_t>>(b.outcomes[0]).data() + row0, n) &&
        units_are_clean(std::get<std::span<const double>>(b.numerics[0]).data() + row0, n, schema_->domain(0), block_off_grid_[0]))) {
    roll_back_batch();
    validate_block(b, row0, n);  // throws input_error for the first bad row
  }
}

void aggregator::add_rows(const column_batch& b, std::size_t row0, std::size_t good, const std::uint32_t* rows,
                          const std::uint32_t* slots, batch_result& result) {
  const std::size_t n_outcomes = b.outcomes.size(), n_measures = b.numerics.size();
  result.accepted += good;
  participations_ += good;

  // Outcome and floating values of the rows kept: the columns themselves when they are u8 / f64
  // and every row is kept, gathered into the block buffers otherwise. Decimal values are in the
  // block's grid units (compacted to the rows kept).
  constexpr std::size_t on_stack = 8;
  const std::uint8_t* outcome_ptrs[on_stack];
  const double* numeric_ptrs[on_stack];
  const std::int64_t* unit_ptrs[on_stack];
  std::vector<const std::uint8_t*> outcome_many;
  std::vector<const double*> numeric_many;
  std::vector<const std::int64_t*> unit_many;
  const std::uint8_t** outcomes = n_outcomes <= on_stack ? outcome_ptrs : (outcome_many.resize(n_outcomes), outcome_many.data());
  const double** numerics = n_measures <= on_stack ? numeric_ptrs : (numeric_many.resize(n_measures), numeric_many.data());
  const std::int64_t** units = n_measures <= on_stack ? unit_ptrs : (unit_many.resize(n_measures), unit_many.data());
  for (std::size_t o = 0; o < n_outcomes; ++o) {
    const auto* u8 = std::get_if<std::span<const std::uint8_t>>(&b.outcomes[o]);
    if (u8 && !rows) {
      outcomes[o] = u8->data() + row0;
      continue;
    }
    std::uint8_t* out = block_outcomes_.data() + o * block_rows;
    std::visit([&](const auto& col) {
      for (std::size_t k = 0; k < good; ++k) out[k] = static_cast<std::uint8_t>(col[row0 + (rows ? rows[k] : k)]);
    }, b.outcomes[o]);
    outcomes[o] = out;
  }
  for (std::size_t m = 0; m < n_measures; ++m) {
    numerics[m] = nullptr;
    units[m] = nullptr;
    if (schema_->domain(m).kind == measure_kind::decimal) {
      std::int64_t* u = block_units_.data() + m * block_rows;
      if (!block_units_ready_[m]) {
        if (!rows) {  // a clean f64 block: converted in the scatter
          numerics[m] = std::get<std::span<const double>>(b.numerics[m]).data() + row0;
          continue;
        }
        std::int64_t* all = u;  // a block with bad rows: the kept rows' units
        std::visit([&](const auto& col) { (void)to_units(col.data() + row0, current_block_rows_, schema_->domain(m), all, block_off_grid_[m]); },
                   b.numerics[m]);
      }
      if (rows)
        for (std::size_t k = 0; k < good; ++k) u[k] = u[rows[k]];  // rows[k] >= k: in place
      units[m] = u;
      continue;
    }
    const auto* f64 = std::get_if<std::span<const double>>(&b.numerics[m]);
    if (f64 && !rows) {
      numerics[m] = f64->data() + row0;
      continue;
    }
    double* out = block_numerics_.data() + m * block_rows;
    std::visit(overloaded{[](std::span<const std::int64_t>) {},  // decimal only
                          [&](const auto& col) {
                            for (std::size_t k = 0; k < good; ++k) out[k] = static_cast<double>(col[row0 + (rows ? rows[k] : k)]);
                          }},
               b.numerics[m]);
    numerics[m] = out;
  }

  bool all_decimal_measures = true, all_floating_measures = true;
  for (std::size_t m = 0; m < n_measures; ++m) {
    const bool decimal = schema_->domain(m).kind == measure_kind::decimal;
    all_decimal_measures = all_decimal_measures && decimal;
    all_floating_measures = all_floating_measures && !decimal;
  }
  // (A schema with cross-products needs every decimal measure's units in the buffer, for them too.)
  // Only scatter<1, 1, decimal_inline> converts inline: every other shape needs the units in the
  // buffer (the generic scatter reads them from there; a 0-outcome, 2-decimal schema crashed here).
  bool inline_units = all_decimal_measures && cells_.cross_product_pairs() == 0 && n_outcomes == 1 && n_measures == 1;
  for (std::size_t m = 0; m < n_measures; ++m) inline_units = inline_units && units[m] == nullptr;
  if (!inline_units)  // the scatter converts inline only when every measure does: the others' units into the buffer
    for (std::size_t m = 0; m < n_measures; ++m) {
      if (schema_->domain(m).kind != measure_kind::decimal || units[m]) continue;
      std::int64_t* u = block_units_.data() + m * block_rows;
      std::uint64_t off = 0;
      (void)to_units(numerics[m], good, schema_->domain(m), u, off);  // a clean block: every row kept
      units[m] = u;
    }
  const int kind = inline_units ? decimal_inline : all_decimal_measures ? all_decimal : all_floating_measures ? all_floating : mixed_kinds;
  auto scatter_as = [&]<bool PreArmed>() {
    if (n_outcomes == 1 && n_measures == 1 && kind == decimal_inline) scatter<1, 1, decimal_inline, PreArmed>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 1 && n_measures == 1 && kind == all_decimal) scatter<1, 1, all_decimal, PreArmed>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 1 && n_measures == 1 && !PreArmed) scatter<1, 1, all_floating, false>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 0 && n_measures == 1 && kind == all_decimal) scatter<0, 1, all_decimal, PreArmed>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 0 && n_measures == 1 && !PreArmed) scatter<0, 1, all_floating, false>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 1 && n_measures == 0) scatter<1, 0, all_floating, PreArmed>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 0 && n_measures == 0) scatter<0, 0, all_floating, PreArmed>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 1 && n_measures == 2 && kind == all_decimal) scatter<1, 2, all_decimal, PreArmed>(good, slots, outcomes, numerics, units);
    else if (n_outcomes == 2 && n_measures == 1 && kind == all_decimal) scatter<2, 1, all_decimal, PreArmed>(good, slots, outcomes, numerics, units);
    else scatter<-1, -1, mixed_kinds, PreArmed>(good, slots, outcomes, numerics, units);
  };
  if (all_armed_)
    scatter_as.template operator()<true>();
  else
    scatter_as.template operator()<false>();
  if (cells_.cross_product_pairs() != 0) add_block_cross_products(good, slots, outcomes, units);

  if (counts_persons()) {
    // Keyed hashes of the block's ids: integer ids of a block with every row kept in vector lanes,
    // others one at a time.
    const person_key& key = *options_.persons;
    std::uint64_t* hashes = block_hashes_.data();
    std::visit(overloaded{[](std::monostate) {},
                          [&](const auto& ids) {
                            using id_type = typename std::decay_t<decltype(ids)>::element_type;
                            if constexpr (std::is_integral_v<id_type>) {
                              if (!rows) {
                                key.hash_many(ids.subspan(row0, good), hashes);
                                return;
                              }
                            }
                            for (std::size_t k = 0; k < good; ++k) hashes[k] = key.hash(ids[row0 + (rows ? rows[k] : k)]);
                          }},
               b.persons);
    for (std::size_t k = 0; k < good; ++k) {
      person_set& set = cells_.persons(slots[k]);
      if (set.is_compact()) persons_to_compact_.push_back(slots[k]);
      set.append(hashes[k]);
    }
    persons_appended_ += good;
  }
}

void aggregator::add_block_cross_products(std::size_t good, const std::uint32_t* slots, const std::uint8_t* const* outcomes,
                                    const std::int64_t* const* units) {
  // Each variable's values of the rows kept: an outcome's 0 / 1 or a decimal measure's grid units
  // (add_rows put every decimal measure's units in a buffer when the schema keeps cross-products).
  const auto& variables = schema_->cross_product_variables();
  const std::size_t p = variables.size();
  const std::uint8_t* outcome_values[schema::max_cross_product_variables];
  const std::int64_t* unit_values[schema::max_cross_product_variables];
  for (std::size_t v = 0; v < p; ++v) {
    const bool outcome = variables[v].from == cross_product_variable::source::outcome;
    outcome_values[v] = outcome ? outcomes[variables[v].index] : nullptr;
    unit_values[v] = outcome ? nullptr : units[variables[v].index];
  }
  std::int64_t z[schema::max_cross_product_variables];
  for (std::size_t k = 0; k < good; ++k) {
    for (std::size_t v = 0; v < p; ++v) z[v] = outcome_values[v] ? outcome_values[v][k] : unit_values[v][k];
    jamstat::add_cross_products(cells_.cross_products(slots[k]), z, p);  // the slot was armed (saved for undo) by the scatter
  }
}

void aggregator::compact_person_sets() {
  for (const std::uint32_t slot : persons_to_compact_) cells_.persons(slot).compact();
  persons_to_compact_.clear();
  persons_appended_ = 0;
  persons_reserved_ = false;
}

namespace {

// A floating measure's chunk in the scratch as statistics (extremes left neutral).
floating_moments chunk_moments(const double* w, std::uint64_t rows) {
  double s1h, s1l, s2h, s2l;
  dd::two_sum(w[1], w[2], s1h, s1l);
  dd::two_sum(w[3], w[4], s2h, s2l);
  return floating_moments::from_shifted_sums(rows, w[0], {s1h, s1l}, {s2h, s2l});
}

}  // namespace

void aggregator::fold_chunk_sums() {
  // Every chunk: each touched cell's floating sums into the cell (Chan's formula), so that no
  // double-double sum has more than chunk_rows terms. Counts, successes, extremes and decimal sums
  // stay in the scratch until fold_scratch.
  const std::size_t n_measures = schema_->numeric_measures().size();
  if (!has_floating_measure(*schema_)) return;
  for (const std::uint32_t s : touched_) {
    std::uint64_t* record = scratch_.data() + std::size_t{s} * scratch_stride_;
    const std::uint64_t n = record[0] >> 32;
    for (std::size_t m = 0; m < n_measures; ++m) {
      if (schema_->domain(m).kind != measure_kind::floating) continue;
      std::uint64_t* words = record + measure_word_[m];
      double* w = reinterpret_cast<double*>(words);
      const std::uint64_t rows = n - words[8];
      if (rows == 0) continue;
      cells_.floating(m)[s].settled.merge(chunk_moments(w, rows));
      w[1] = w[2] = w[3] = w[4] = 0.0;
      words[8] = n;
    }
  }
}

void aggregator::fold_scratch() {
  // Folds each touched slot's scratch into its cell and disarms the slot.
  const std::size_t n_outcomes = schema_->outcomes().size(), n_measures = schema_->numeric_measures().size();
  for (const std::uint32_t s : touched_) {
    std::uint64_t* record = scratch_.data() + std::size_t{s} * scratch_stride_;
    const std::uint64_t word0 = record[0], n = word0 >> 32;
    record[0] = word0 & saved;  // disarmed; the count and successes of outcome 0 cleared
    if (n == 0) continue;
    if (n_outcomes > 0) cells_.successes(0)[s] += word0 & (saved - 1);
    for (std::size_t o = 1; o < n_outcomes; ++o) {
      cells_.successes(o)[s] += record[o];
      record[o] = 0;
    }
    for (std::size_t m = 0; m < n_measures; ++m) {
      std::uint64_t* words = record + measure_word_[m];
      if (decimal_moments* cell = cells_.decimal(m)) {
        decimal_moments part;
        part.count = n;
        std::int64_t sum;
        std::memcpy(&sum, words, 8);
        part.sum = sum;
        std::memcpy(&part.sum_of_squares, words + 1, 16);
        std::memcpy(&part.min, words + 3, 8);
        std::memcpy(&part.max, words + 4, 8);
        std::memcpy(&part.second_max, words + 5, 8);
        cell[s].merge(part);
        continue;
      }
      const double* w = reinterpret_cast<const double*>(words);
      floating_moments& cell = cells_.floating(m)[s].settled;
      const std::uint64_t rows = n - words[8];
      if (rows > 0) cell.merge(chunk_moments(w, rows));
      // The batch's extremes: min, and the two largest of the cell's and the batch's.
      cell.min = -w[5] < cell.min ? -w[5] : cell.min;
      const double lesser_max = cell.max < w[6] ? cell.max : w[6];
      double second = cell.second_max > w[7] ? cell.second_max : w[7];
      cell.second_max = lesser_max > second ? lesser_max : second;
      cell.max = w[6] > cell.max ? w[6] : cell.max;
    }
    cells_.participations(s) += n;
  }
  touched_.clear();
  all_armed_ = false;
}

}  // namespace jamstat
