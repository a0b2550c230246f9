// The columnar hot path of aggregator::add_batch.
//
// Per block of 2,048 rows:
//   1. cell indices: for the common shape (dense grid, u8 codes, u8 outcomes, f64 measures) one
//      fused loop over all code columns (fused_block_is_clean); otherwise one vectorizable pass
//      per column, with a 256-entry table for 8-bit codes that are not their level indices and
//      the dimension's code table for wider ones.
//   2. validation: vectorizable reductions; per-row flags only for a block that failed. Under the
//      reject policy a bad row rolls the batch back from the undo log and throws; under tally it
//      is counted and the good rows are gathered into block buffers.
//   3. scatter: one loop per row updates the cell's packed scratch record (count and successes
//      in one word, shifted sums, min and max as one 4-wide vector), specialised for the common
//      numbers of outcomes and measures so the inner loops disappear.
// Every 2^18 rows each touched cell's shifted sums are added to its batch sums (two additions);
// at the end of the batch (and every 2^29 rows) the scratch of the cells touched is folded into
// the cells' moments with Chan's formula (see moments.hpp). No allocation, virtual call or hash
// lookup per record on a dense grid; a sparse grid looks each row's cell up once.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/errors.hpp"
#include "overloaded.hpp"

namespace jamstat {

namespace {

constexpr std::size_t block_rows = 2048;
// Bounds the length of every uncompensated shifted sum: a cell's chunk sums have at most 2^18
// terms before they are added to its batch sums, which get at most 2^11 such terms before a fold
// (fold_rows), so their rounding error is at most (2^18 + 2^11) eps (6e-11) relative, and about
// sqrt(2^18) eps in practice.
constexpr std::size_t chunk_rows = std::size_t{1} << 18;
// Bounds the scratch counts between folds into the cells: 32 bits of count, 30 of successes.
constexpr std::size_t fold_rows = std::size_t{1} << 29;
// Word 0 of a scratch record: count << 32 | armed | saved | successes of outcome 0 (30 bits).
// armed: the slot's shift is set for this batch (see scatter); saved: the cell's state before
// the batch is in the undo log (see add_batch).
constexpr std::uint64_t armed = std::uint64_t{1} << 31;
constexpr std::uint64_t saved = std::uint64_t{1} << 30;
static_assert(fold_rows < saved && fold_rows % chunk_rows == 0);
// Person hashes are appended to their cells' sets unsorted and the sets touched are compacted
// (tail radix-sorted, merged, duplicates dropped) every this many rows and at the end of each
// batch: at most 8 bytes a row, 32 MiB, are held unsorted.
constexpr std::size_t person_compaction_rows = std::size_t{1} << 22;
// Per measure: shift, chunk sums s1 and s2, -min, max, batch sums of s1 and s2. With one outcome
// and one measure a record is 64 bytes, one cache line (the scratch is line-aligned).
constexpr std::size_t words_per_measure = 7;

std::size_t column_size(const auto& column) {
  return std::visit(overloaded{[](std::monostate) -> std::size_t { return 0; },
                               [](const auto& span) -> std::size_t { return span.size(); }},
                    column);
}

std::size_t outcome_words(std::size_t outcomes) { return outcomes == 0 ? 1 : outcomes; }

double* measure_words(std::uint64_t* record, std::size_t outcomes, std::size_t m) {
  return reinterpret_cast<double*>(record + outcome_words(outcomes) + words_per_measure * m);
}

static_assert(sizeof(double) == sizeof(std::uint64_t));

// A measure's running values {s1, s2, -min, max} updated as one 4-wide vector (GCC/Clang vector
// extension): one load, an add, a max, a blend and one store per row. Measured against the
// alternatives on the canonical workload: two 2-wide read-modify-writes cost 1.2 ns a row more,
// and branching on min/max (rarely taken, but six extra instructions) 0.5 ns more.
typedef double double_quad __attribute__((vector_size(32)));
typedef std::int64_t lane_mask __attribute__((vector_size(32)));

void update_running(double* w, double x, double shift) {
  const double d = x - shift;
  double_quad v;
  std::memcpy(&v, w, sizeof v);
  const double_quad sums = v + double_quad{d, d * d, 0.0, 0.0};
  const double_quad candidate{0.0, 0.0, -x, x};
  const double_quad extremes = candidate > v ? candidate : v;
  const lane_mask sum_lanes{-1, -1, 0, 0};
  const double_quad updated = sum_lanes ? sums : extremes;
  std::memcpy(w, &updated, sizeof updated);
}

// --- scanning -------------------------------------------------------------------------------
// Three kinds of pass, so that the common case (a clean block) runs only loops the compiler can
// vectorize: block_is_clean() is made of reductions (no per-row stores), cell_indices() is pure
// arithmetic, and flag_bad_rows() (per-row flags) runs only for a block that was not clean.

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

// x is finite iff its exponent field is not all ones, i.e. iff exponent + 1 does not carry into
// the bit above the field. Shifts, ands, adds and ors vectorize even on baseline x86-64, where
// isfinite() and floating-point or 64-bit compares in a reduction do not.
bool numerics_are_clean(const double* v, std::size_t n) {
  std::uint64_t carry = 0;
  for (std::size_t j = 0; j < n; ++j) carry |= ((std::bit_cast<std::uint64_t>(v[j]) >> 52) & 0x7FF) + 1;
  return (carry & 0x800) == 0;
}

bool numerics_are_clean(const float* v, std::size_t n) {
  std::uint32_t carry = 0;
  for (std::size_t j = 0; j < n; ++j) carry |= ((std::bit_cast<std::uint32_t>(v[j]) >> 23) & 0xFF) + 1;
  return (carry & 0x100) == 0;
}

bool block_is_clean(const column_batch& b, const std::vector<code_plan>& plans, std::size_t row0, std::size_t n) {
  for (std::size_t d = 0; d < b.codes.size(); ++d)
    if (!std::visit([&](const auto& col) { return codes_are_clean(col.data() + row0, n, plans[d]); }, b.codes[d])) return false;
  for (const outcome_column& c : b.outcomes)
    if (!std::visit([&](const auto& col) { return outcomes_are_clean(col.data() + row0, n); }, c)) return false;
  for (const numeric_column& c : b.numerics)
    if (!std::visit([&](const auto& col) { return numerics_are_clean(col.data() + row0, n); }, c)) return false;
  if (const auto* ids = std::get_if<std::span<const std::string_view>>(&b.persons))
    for (std::size_t j = 0; j < n; ++j)
      if ((*ids)[row0 + j].empty()) return false;
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
void flag_bad_rows(const column_batch& b, const std::vector<code_plan>& plans, std::size_t row0, std::size_t n, std::uint8_t* bad) {
  std::fill_n(bad, n, std::uint8_t{0});
  for (std::size_t d = 0; d < b.codes.size(); ++d)
    std::visit([&](const auto& col) {
      for (std::size_t j = 0; j < n; ++j) bad[j] |= static_cast<std::uint8_t>(!plans[d].dim->index_of(col[row0 + j]));
    }, b.codes[d]);
  for (const outcome_column& c : b.outcomes)
    std::visit([&](const auto& col) {
      for (std::size_t j = 0; j < n; ++j) bad[j] |= static_cast<std::uint8_t>(col[row0 + j] != 0 && col[row0 + j] != 1);
    }, c);
  for (const numeric_column& c : b.numerics)
    std::visit([&](const auto& col) {
      for (std::size_t j = 0; j < n; ++j) bad[j] |= static_cast<std::uint8_t>(!std::isfinite(col[row0 + j]));
    }, c);
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

bool aggregator::fused_block_is_clean(std::size_t row0, std::size_t n) {
  bool clean = fused_indices_are_clean_at(row0, n);
  // Outcomes and values are checked here only when a bad one can not be undone (tally policy).
  // Under the reject policy they are checked after the block is added (fused_values_are_clean),
  // when its values are in cache: before, the check would wait for memory, and inside the
  // scatter it cost five instructions a row; a bad one rolls the batch back.
  if (!clean || batch_validated_ || undo_active_) return clean;
  return fused_values_are_clean(row0, n);
}

bool aggregator::fused_values_are_clean(std::size_t row0, std::size_t n) const {
  const fused_shape& f = fused_;
  bool clean = true;
  for (std::size_t o = 0; o < f.outcomes; ++o) clean &= outcomes_are_clean(f.outcome_columns[o] + row0, n);
  for (std::size_t m = 0; m < f.measures; ++m) clean &= numerics_are_clean(f.numeric_columns[m] + row0, n);
  return clean;
}

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
  if (!cells_.is_dense() || b.codes.size() > fused_shape::max_columns || b.outcomes.size() > fused_shape::max_columns ||
      b.numerics.size() > fused_shape::max_columns || b.codes.empty())
    return;
  for (std::size_t d = 0; d < b.codes.size(); ++d) {
    const auto* u8 = std::get_if<std::span<const std::uint8_t>>(&b.codes[d]);
    const std::uint32_t limit = code_plans_[d].identity ? static_cast<std::uint32_t>(code_plans_[d].dim->cardinality())
                                                        : code_plans_[d].identity_prefix;
    if (!u8 || limit == 0) return;
    fused_.codes[d] = u8->data();
    fused_.cardinalities[d] = static_cast<std::uint32_t>(code_plans_[d].dim->cardinality());
    fused_.limits[d] = limit;
  }
  for (std::size_t o = 0; o < b.outcomes.size(); ++o) {
    const auto* u8 = std::get_if<std::span<const std::uint8_t>>(&b.outcomes[o]);
    if (!u8) return;
    fused_.outcome_columns[o] = u8->data();
  }
  for (std::size_t m = 0; m < b.numerics.size(); ++m) {
    const auto* f64 = std::get_if<std::span<const double>>(&b.numerics[m]);
    if (!f64) return;
    fused_.numeric_columns[m] = f64->data();
  }
  fused_.dimensions = b.codes.size();
  fused_.outcomes = b.outcomes.size();
  fused_.measures = b.numerics.size();
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
  }
  const std::size_t outcomes = schema_->outcomes().size(), measures = schema_->numeric_measures().size();
  scratch_stride_ = outcome_words(outcomes) + words_per_measure * measures;
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
}

std::optional<rejected_row> aggregator::find_bad_field_in_batch(const column_batch& b, std::size_t row) const {
  // The slow path, reached only for rows the block scan flagged: gather the row into a record.
  std::vector<std::int32_t> codes, outcomes;
  std::vector<double> numerics;
  for (const code_column& c : b.codes)
    codes.push_back(std::visit([&](const auto& span) { return static_cast<std::int32_t>(span[row]); }, c));
  for (const outcome_column& c : b.outcomes)
    outcomes.push_back(std::visit([&](const auto& span) { return static_cast<std::int32_t>(span[row]); }, c));
  for (const numeric_column& c : b.numerics)
    numerics.push_back(std::visit([&](const auto& span) { return static_cast<double>(span[row]); }, c));
  person_id person = std::visit(overloaded{[](std::monostate) -> person_id { return std::monostate{}; },
                                           [&](std::span<const std::string_view> ids) -> person_id { return ids[row]; },
                                           [&](const auto& ids) -> person_id { return static_cast<std::uint64_t>(ids[row]); }},
                                b.persons);
  return find_bad_field(record{codes, outcomes, numerics, person}, row);
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
  for (std::size_t m = 0; m < b.numerics.size(); ++m) length(column_size(b.numerics[m]), s.numeric_field(m));
  if (counts_persons()) {
    if (std::holds_alternative<std::monostate>(b.persons))
      throw usage_error("batch has no person_id column, but this aggregator counts distinct persons");
    length(column_size(b.persons), s.person_id_field());
  }
}

void aggregator::validate_block(const column_batch& b, std::size_t row0, std::size_t n) {
  if (block_is_clean(b, code_plans_, row0, n)) return;
  flag_bad_rows(b, code_plans_, row0, n, block_bad_.data());
  for (std::size_t j = 0; j < n; ++j)
    if (block_bad_[j]) reject_or_throw(*find_bad_field_in_batch(b, row0 + j));
}

batch_result aggregator::add_batch(const column_batch& b) {
  require_key_for_adding();
  check_batch_shape(b);
  batch_result result;
  // The scratch is allocated on the first batch, so aggregators that only merge or are read from a
  // state never pay for it.
  if (scratch_.size() < cells_.slot_count() * scratch_stride_) scratch_.resize(cells_.slot_count() * scratch_stride_, 0);
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
  prepare_fused_shape(b);
  if (counts_persons() && cells_.is_dense() && b.rows >= block_rows) reserve_person_sets(b);
  try {
    for (std::size_t row0 = 0; row0 < b.rows; row0 += chunk_rows) {
      const std::size_t chunk_end = std::min(b.rows, row0 + chunk_rows);
      for (std::size_t r = row0; r < chunk_end; r += block_rows) add_block(b, r, std::min(block_rows, chunk_end - r), result);
      if (chunk_end == b.rows || chunk_end % fold_rows == 0)
        fold_scratch();
      else
        fold_chunk_sums();
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
    if (!indexed && block_is_clean(b, code_plans_, row0, n)) {
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
  undo_slots_.push_back(slot);
  undo_counts_.push_back(cells_.participations(slot));
  for (std::size_t o = 0; o < schema_->outcomes().size(); ++o) undo_counts_.push_back(cells_.successes(o)[slot]);
  for (std::size_t m = 0; m < schema_->numeric_measures().size(); ++m) undo_moments_.push_back(cells_.numerics(m)[slot]);
}

void aggregator::roll_back_batch() {
  const std::size_t n_outcomes = schema_->outcomes().size(), n_measures = schema_->numeric_measures().size();
  for (const std::uint32_t s : touched_) std::fill_n(scratch_.data() + std::size_t{s} * scratch_stride_, scratch_stride_, 0);
  touched_.clear();
  const std::uint64_t* counts = undo_counts_.data();
  const moments* numerics = undo_moments_.data();
  for (const std::uint32_t s : undo_slots_) {
    cells_.participations(s) = *counts++;
    for (std::size_t o = 0; o < n_outcomes; ++o) cells_.successes(o)[s] = *counts++;
    for (std::size_t m = 0; m < n_measures; ++m) cells_.numerics(m)[s] = *numerics++;
  }
  for (const std::uint32_t s : undo_emptied_) {
    cells_.participations(s) = 0;
    for (std::size_t o = 0; o < n_outcomes; ++o) cells_.successes(o)[s] = 0;
    for (std::size_t m = 0; m < n_measures; ++m) cells_.numerics(m)[s] = moments{};
  }
  participations_ = undo_participations_;
  forget_undo_log();
}

void aggregator::forget_undo_log() {
  for (const std::uint32_t s : undo_slots_) scratch_[std::size_t{s} * scratch_stride_] &= ~saved;
  for (const std::uint32_t s : undo_emptied_) scratch_[std::size_t{s} * scratch_stride_] &= ~saved;
  undo_slots_.clear();
  undo_emptied_.clear();
  undo_counts_.clear();
  undo_moments_.clear();
  undo_active_ = false;
}

void aggregator::slot_armed(std::uint32_t slot) {
  touched_.push_back(slot);
  std::uint64_t& word0 = scratch_[std::size_t{slot} * scratch_stride_];
  if (undo_active_ && !(word0 & saved)) {
    save_for_undo(slot);  // the cell itself is untouched by this batch until the slot's first fold
    word0 |= saved;
  }
}

template <int Outcomes, int Measures>
void aggregator::scatter(std::size_t n, const std::uint32_t* slots, const std::uint8_t* const* outcomes,
                         const double* const* numerics) {
  // Compile-time counts when given (>= 0), the schema's otherwise.
  const std::size_t n_outcomes = Outcomes >= 0 ? static_cast<std::size_t>(Outcomes) : schema_->outcomes().size();
  const std::size_t n_measures = Measures >= 0 ? static_cast<std::size_t>(Measures) : schema_->numeric_measures().size();
  const std::size_t stride = Outcomes >= 0 && Measures >= 0
                                 ? outcome_words(n_outcomes) + words_per_measure * n_measures
                                 : scratch_stride_;
  const std::size_t first_measure_word = outcome_words(n_outcomes);
  std::uint64_t* scratch = scratch_.data();
  // Local copies of the column pointers: the compiler cannot tell that the scratch stores below
  // leave the pointer arrays alone, and would reload them every row.
  constexpr std::size_t fixed_outcomes = Outcomes > 0 ? static_cast<std::size_t>(Outcomes) : 1;
  constexpr std::size_t fixed_measures = Measures > 0 ? static_cast<std::size_t>(Measures) : 1;
  const std::uint8_t* out[fixed_outcomes] = {};
  const double* val[fixed_measures] = {};
  if constexpr (Outcomes >= 0 && Measures >= 0) {
    for (std::size_t o = 0; o < static_cast<std::size_t>(Outcomes); ++o) out[o] = outcomes[o];
    for (std::size_t m = 0; m < static_cast<std::size_t>(Measures); ++m) val[m] = numerics[m];
  }
  auto outcome_at = [&](std::size_t o, std::size_t k) {
    if constexpr (Outcomes >= 0 && Measures >= 0) return out[o][k];
    else return outcomes[o][k];
  };
  auto value_at = [&](std::size_t m, std::size_t k) {
    if constexpr (Outcomes >= 0 && Measures >= 0) return val[m][k];
    else return numerics[m][k];
  };
  // A slot's first row in this batch arms it: the row's values become the shifts, which stay for
  // the whole batch (chunk folds keep them). Values within a few standard deviations of the shift
  // keep the shifted sums well conditioned, and a value of the cell is such a shift. Done inline,
  // with the bookkeeping after the loop: a call in the loop made GCC keep its running values on
  // the stack, and a separate arming loop cost more than the branch.
  std::uint32_t* armed_now = block_armed_.data();
  std::size_t n_armed = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t s = slots[k];
    std::uint64_t* record = scratch + std::size_t{s} * stride;
    if (!(record[0] & armed)) [[unlikely]] {
      for (std::size_t m = 0; m < n_measures; ++m) {
        double* w = reinterpret_cast<double*>(record + first_measure_word + words_per_measure * m);
        w[0] = value_at(m, k);
        w[1] = w[2] = 0.0;
        w[3] = w[4] = -std::numeric_limits<double>::infinity();  // -min and max
      }
      record[0] |= armed;
      armed_now[n_armed++] = s;
    }
    std::uint64_t word0 = record[0] + (std::uint64_t{1} << 32);
    if (n_outcomes > 0) word0 += outcome_at(0, k);
    record[0] = word0;
    for (std::size_t o = 1; o < n_outcomes; ++o) record[o] += outcome_at(o, k);
    for (std::size_t m = 0; m < n_measures; ++m) {
      double* w = reinterpret_cast<double*>(record + first_measure_word + words_per_measure * m);
      update_running(w + 1, value_at(m, k), w[0]);
    }
  }
  for (std::size_t i = 0; i < n_armed; ++i) slot_armed(armed_now[i]);
}

void aggregator::add_block(const column_batch& b, std::size_t row0, std::size_t n, batch_result& result) {
  if (fused_.usable && fused_block_is_clean(row0, n)) {
    add_rows(b, row0, n, nullptr, block_cell32_.data(), result);
    if (undo_active_ && !fused_values_are_clean(row0, n)) {
      // A bad outcome or value, found after adding (see fused_block_is_clean): undo the batch.
      roll_back_batch();
      validate_block(b, row0, n);  // throws input_error for the first bad row
    }
    return;
  }
  const bool dense = cells_.is_dense();
  if (dense)
    cell_indices(b, code_plans_, row0, n, block_cell32_.data());
  else
    cell_indices(b, code_plans_, row0, n, block_cell64_.data());
  const bool any_bad = !batch_validated_ && !block_is_clean(b, code_plans_, row0, n);
  if (any_bad && options_.on_bad_record == bad_record_policy::reject) {
    roll_back_batch();
    validate_block(b, row0, n);  // throws input_error for the first bad row
  }
  if (any_bad) flag_bad_rows(b, code_plans_, row0, n, block_bad_.data());

  // Rows kept: all of them, or (tally policy) the good ones.
  std::size_t good = n;
  const std::uint32_t* rows = nullptr;  // nullptr = identity
  if (any_bad) {
    good = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (block_bad_[j]) {
        rejected_row bad = *find_bad_field_in_batch(b, row0 + j);
        if (!result.first_rejected) result.first_rejected = bad;
        ++result.rejected;
        reject_or_throw(std::move(bad));
        continue;
      }
      block_rows_[good++] = static_cast<std::uint32_t>(j);
    }
    rows = block_rows_.data();
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
  }
  add_rows(b, row0, good, rows, slots, result);
}

void aggregator::add_rows(const column_batch& b, std::size_t row0, std::size_t good, const std::uint32_t* rows,
                          const std::uint32_t* slots, batch_result& result) {
  const std::size_t n_outcomes = b.outcomes.size(), n_measures = b.numerics.size();
  result.accepted += good;
  participations_ += good;

  // Outcome and measure values of the rows kept: the columns themselves when they are u8 / f64
  // and every row is kept, gathered into the block buffers otherwise.
  const std::uint8_t* outcome_ptrs[8];
  const double* numeric_ptrs[8];
  std::vector<const std::uint8_t*> outcome_many;
  std::vector<const double*> numeric_many;
  const std::uint8_t** outcomes = n_outcomes <= 8 ? outcome_ptrs : (outcome_many.resize(n_outcomes), outcome_many.data());
  const double** numerics = n_measures <= 8 ? numeric_ptrs : (numeric_many.resize(n_measures), numeric_many.data());
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
    const auto* f64 = std::get_if<std::span<const double>>(&b.numerics[m]);
    if (f64 && !rows) {
      numerics[m] = f64->data() + row0;
      continue;
    }
    double* out = block_numerics_.data() + m * block_rows;
    std::visit([&](const auto& col) {
      for (std::size_t k = 0; k < good; ++k) out[k] = static_cast<double>(col[row0 + (rows ? rows[k] : k)]);
    }, b.numerics[m]);
    numerics[m] = out;
  }

  if (n_outcomes == 1 && n_measures == 1) scatter<1, 1>(good, slots, outcomes, numerics);
  else if (n_outcomes == 0 && n_measures == 1) scatter<0, 1>(good, slots, outcomes, numerics);
  else if (n_outcomes == 1 && n_measures == 0) scatter<1, 0>(good, slots, outcomes, numerics);
  else if (n_outcomes == 1 && n_measures == 2) scatter<1, 2>(good, slots, outcomes, numerics);
  else if (n_outcomes == 2 && n_measures == 1) scatter<2, 1>(good, slots, outcomes, numerics);
  else if (n_outcomes == 0 && n_measures == 0) scatter<0, 0>(good, slots, outcomes, numerics);
  else scatter<-1, -1>(good, slots, outcomes, numerics);

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

void aggregator::compact_person_sets() {
  for (const std::uint32_t slot : persons_to_compact_) cells_.persons(slot).compact();
  persons_to_compact_.clear();
  persons_appended_ = 0;
  persons_reserved_ = false;
}

void aggregator::fold_chunk_sums() {
  // Two additions per touched cell and measure; counts, successes and extremes stay in the
  // scratch until fold_scratch.
  const std::size_t first_measure_word = outcome_words(schema_->outcomes().size());
  const std::size_t n_measures = schema_->numeric_measures().size();
  for (const std::uint32_t s : touched_) {
    double* w = reinterpret_cast<double*>(scratch_.data() + std::size_t{s} * scratch_stride_ + first_measure_word);
    for (std::size_t m = 0; m < n_measures; ++m, w += words_per_measure) {
      w[5] += w[1];
      w[6] += w[2];
      w[1] = w[2] = 0.0;
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
    const double nd = static_cast<double>(n);
    if (n_outcomes > 0) cells_.successes(0)[s] += word0 & (saved - 1);
    for (std::size_t o = 1; o < n_outcomes; ++o) {
      cells_.successes(o)[s] += record[o];
      record[o] = 0;
    }
    for (std::size_t m = 0; m < n_measures; ++m) {
      double* w = measure_words(record, n_outcomes, m);
      const double s1 = w[5] + w[1], s2 = w[6] + w[2];
      moments part;
      part.count = n;
      part.shift = w[0];
      part.mean_offset = s1 / nd;
      part.m2 = std::max(0.0, s2 - s1 * (s1 / nd));
      part.sum = w[0] * nd;
      part.add_to_sum(s1);
      part.min = -w[3];
      part.max = w[4];
      cells_.numerics(m)[s].merge(part);
      w[1] = w[2] = w[5] = w[6] = 0.0;
      w[3] = w[4] = -std::numeric_limits<double>::infinity();
    }
    cells_.participations(s) += n;
  }
  touched_.clear();
}

}  // namespace jamstat
