// The columnar hot path of aggregator::add_batch.
//
// Per block of 1,024 rows:
//   1. scan: one pass per column computes every row's cell index and a bad-row flag. On a dense
//      grid the index is a u32 and dimensions whose codes are their level indices (0..k-1) need
//      no lookup, so those passes are plain vectorizable arithmetic; other 8-bit code columns go
//      through a 256-entry table, wider ones through the dimension's dense code table.
//   2. if a row is bad: under the reject policy the batch was validated first, so this cannot
//      happen; under tally the row is counted and the good rows are gathered into block buffers.
//   3. scatter: one fused loop per row updates the cell's packed scratch record (count and
//      successes in one word, shifted sums, min and max), specialised for the common numbers of
//      outcomes and measures so the inner loops disappear.
// Every 65,536 rows, and at the end of the batch, the scratch of the cells touched is folded into
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

constexpr std::size_t block_rows = 1024;
// Bounds the 32-bit scratch counts and the length of every uncompensated shifted sum.
constexpr std::size_t chunk_rows = std::size_t{1} << 16;
// Person hashes are appended to their cells' sets unsorted and the sets touched are compacted
// (tail radix-sorted, merged, duplicates dropped) every this many rows and at the end of each
// batch: at most 8 bytes a row, 32 MiB, are held unsorted.
constexpr std::size_t person_compaction_rows = std::size_t{1} << 22;
constexpr std::size_t words_per_measure = 5;  // shift, s1, s2, -min, max

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

// Two doubles updated as one vector (GCC/Clang vector extension): one load and one store for a
// pair of running values, where two scalar read-modify-writes cost about 2 ns a row.
typedef double double_pair __attribute__((vector_size(16)));

double_pair load_pair(const double* p) {
  double_pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void store_pair(double* p, double_pair v) { std::memcpy(p, &v, sizeof v); }

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
  std::uint64_t highest = 0;
  for (std::size_t j = 0; j < n; ++j) highest = std::max(highest, static_cast<std::uint64_t>(static_cast<std::int64_t>(v[j])));
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

}  // namespace

// ---------------------------------------------------------------------------------------------

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
  if (options_.on_bad_record == bad_record_policy::reject) {
    // All-or-nothing: validate every row before touching the state (one extra pass).
    for (std::size_t row0 = 0; row0 < b.rows; row0 += block_rows) validate_block(b, row0, std::min(block_rows, b.rows - row0));
  }
  try {
    for (std::size_t row0 = 0; row0 < b.rows; row0 += chunk_rows) {
      const std::size_t chunk_end = std::min(b.rows, row0 + chunk_rows);
      for (std::size_t r = row0; r < chunk_end; r += block_rows) add_block(b, r, std::min(block_rows, chunk_end - r), result);
      fold_scratch();
      if (persons_appended_ >= person_compaction_rows) compact_person_sets();
    }
    compact_person_sets();
  } catch (...) {
    fold_scratch();  // keep what was added consistent (e.g. on std::bad_alloc), then report
    compact_person_sets();
    throw;
  }
  return result;
}

void aggregator::first_touch(std::uint32_t slot, const double* const* numerics, std::size_t k) {
  touched_.push_back(slot);
  const std::size_t outcomes = schema_->outcomes().size();
  std::uint64_t* record = scratch_.data() + std::size_t{slot} * scratch_stride_;
  const bool empty_cell = cells_.participations(slot) == 0;
  for (std::size_t m = 0; m < schema_->numeric_measures().size(); ++m) {
    double* w = measure_words(record, outcomes, m);
    // The shift: the cell's mean so far keeps the shifted sums small; a new cell's first value.
    w[0] = empty_cell ? numerics[m][k] : cells_.numerics(m)[slot].mean();
    w[1] = w[2] = 0.0;
    w[3] = w[4] = -std::numeric_limits<double>::infinity();  // -min and max
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
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t s = slots[k];
    std::uint64_t* record = scratch + std::size_t{s} * stride;
    if (record[0] < (std::uint64_t{1} << 32)) [[unlikely]] first_touch(s, numerics, k);
    std::uint64_t word0 = record[0] + (std::uint64_t{1} << 32);
    if (n_outcomes > 0) word0 += outcome_at(0, k);
    record[0] = word0;
    for (std::size_t o = 1; o < n_outcomes; ++o) record[o] += outcome_at(o, k);
    for (std::size_t m = 0; m < n_measures; ++m) {
      double* w = reinterpret_cast<double*>(record + first_measure_word + words_per_measure * m);
      const double x = value_at(m, k);
      const double d = x - w[0];
      // (s1, s2) += (d, d^2) and (-min, max) = max((-min, max), (-x, x)), each as one vector.
      const double_pair sums = load_pair(w + 1) + double_pair{d, d * d};
      const double_pair extremes = load_pair(w + 3), candidate{-x, x};
      store_pair(w + 1, sums);
      store_pair(w + 3, candidate > extremes ? candidate : extremes);
    }
  }
}

void aggregator::add_block(const column_batch& b, std::size_t row0, std::size_t n, batch_result& result) {
  const bool dense = cells_.is_dense();
  if (dense)
    cell_indices(b, code_plans_, row0, n, block_cell32_.data());
  else
    cell_indices(b, code_plans_, row0, n, block_cell64_.data());
  // Under the reject policy the whole batch was validated before the first block was added.
  const bool any_bad = options_.on_bad_record == bad_record_policy::tally && !block_is_clean(b, code_plans_, row0, n);
  if (any_bad) flag_bad_rows(b, code_plans_, row0, n, block_bad_.data());
  const std::size_t n_outcomes = b.outcomes.size(), n_measures = b.numerics.size();

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
    const person_key& key = *options_.persons;
    std::visit(overloaded{[](std::monostate) {},
                          [&](const auto& ids) {
                            for (std::size_t k = 0; k < good; ++k) {
                              person_set& set = cells_.persons(slots[k]);
                              if (set.is_compact()) persons_to_compact_.push_back(slots[k]);
                              set.append(key.hash(ids[row0 + (rows ? rows[k] : k)]));
                            }
                            persons_appended_ += good;
                          }},
               b.persons);
  }
}

void aggregator::compact_person_sets() {
  for (const std::uint32_t slot : persons_to_compact_) cells_.persons(slot).compact();
  persons_to_compact_.clear();
  persons_appended_ = 0;
}

void aggregator::fold_scratch() {
  const std::size_t n_outcomes = schema_->outcomes().size(), n_measures = schema_->numeric_measures().size();
  for (const std::uint32_t s : touched_) {
    std::uint64_t* record = scratch_.data() + std::size_t{s} * scratch_stride_;
    const std::uint64_t n = record[0] >> 32;
    const double nd = static_cast<double>(n);
    if (n_outcomes > 0) cells_.successes(0)[s] += record[0] & 0xFFFFFFFFu;
    for (std::size_t o = 1; o < n_outcomes; ++o) {
      cells_.successes(o)[s] += record[o];
      record[o] = 0;
    }
    for (std::size_t m = 0; m < n_measures; ++m) {
      const double* w = measure_words(record, n_outcomes, m);
      moments part;
      part.count = n;
      part.shift = w[0];
      part.mean_offset = w[1] / nd;
      part.m2 = std::max(0.0, w[2] - w[1] * (w[1] / nd));
      part.sum = w[0] * nd;
      part.add_to_sum(w[1]);
      part.min = -w[3];
      part.max = w[4];
      cells_.numerics(m)[s].merge(part);
    }
    cells_.participations(s) += n;
    record[0] = 0;
  }
  touched_.clear();
}

}  // namespace jamstat
