#include "jamstat/engine/aggregator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"

namespace jamstat {

namespace {

// Rows handled together by the columnar path: their cell slots fit in L1 next to the columns.
constexpr std::size_t block_rows = 1024;
// The shifted sums are folded into the cells' moments after this many rows (and at the end of
// every batch): bounds the scratch counts and the length of every uncompensated sum.
constexpr std::size_t chunk_rows = std::size_t{1} << 16;

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

std::size_t column_size(const auto& column) {
  return std::visit(overloaded{[](std::monostate) -> std::size_t { return 0; },
                               [](const auto& span) -> std::size_t { return span.size(); }},
                    column);
}

std::string describe_value(double x) {
  if (std::isnan(x)) return "NaN";
  return x > 0 ? "+infinity" : "-infinity";
}

}  // namespace

aggregator::aggregator(std::shared_ptr<const schema> s, aggregator_options options)
    : aggregator(restoring_tag{}, std::move(s), options,
                 options.persons ? std::optional<std::uint64_t>(options.persons->key_check()) : std::nullopt) {}

aggregator::aggregator(restoring_tag, std::shared_ptr<const schema> s, aggregator_options options,
                       std::optional<std::uint64_t> key_check)
    : schema_(s ? std::move(s) : throw usage_error("aggregator: the schema is null")),
      options_(std::move(options)),
      counts_persons_(key_check.has_value()),
      key_check_(key_check),
      cells_(schema_, key_check.has_value()),
      rejected_(schema_->field_count()),
      shifted_(schema_->numeric_measures().size()) {
  for (const dimension& d : schema_->dimensions()) {
    std::array<std::uint32_t, 256> lut;
    for (int code = 0; code < 256; ++code) {
      const auto index = d.index_of(code);
      lut[static_cast<std::size_t>(code)] = index ? static_cast<std::uint32_t>(*index) : dimension::no_level;
    }
    lut8_.push_back(lut);
  }
}

void aggregator::require_key_for_adding() const {
  if (counts_persons_ && !options_.persons)
    throw usage_error("this state counts distinct persons but was read without its person key: it can be merged and "
                      "queried, but records can only be added when the key is given");
}

// ---------------------------------------------------------------------------------------------
// Validation. Fields are checked in schema field order; the first bad one names the record.

std::optional<rejected_row> aggregator::find_bad_field(const record& r, std::uint64_t row) const {
  const schema& s = *schema_;
  const auto& dims = s.dimensions();
  const std::string at = "row " + std::to_string(row) + ": ";
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const std::int32_t code = r.codes[d];
    if (dims[d].index_of(code)) continue;
    const bool is_sex = d == 0;
    const bool missing = code == dimension::missing_code;
    const rejection_reason reason = is_sex ? (missing ? rejection_reason::sex_missing : rejection_reason::sex_not_iso5218)
                                           : (missing ? rejection_reason::code_missing : rejection_reason::code_unknown);
    std::string message = at + "dimension '" + dims[d].name() + "': ";
    message += missing ? "code is missing (-1)" : "code " + std::to_string(code) + " is not a level";
    message += "; expected one of " + dims[d].codes_list();
    if (is_sex) message += " (ISO/IEC 5218)";
    return rejected_row{row, d, reason, message};
  }
  for (std::size_t o = 0; o < r.outcomes.size(); ++o) {
    const std::int32_t v = r.outcomes[o];
    if (v == 0 || v == 1) continue;
    return rejected_row{row, s.outcome_field(o), rejection_reason::outcome_not_binary,
                        at + "outcome '" + s.outcomes()[o].name + "': value " + std::to_string(v) +
                            " is not 0 or 1"};
  }
  for (std::size_t m = 0; m < r.numerics.size(); ++m) {
    const double x = r.numerics[m];
    if (std::isfinite(x)) continue;
    return rejected_row{row, s.numeric_field(m), rejection_reason::measure_not_finite,
                        at + "numeric measure '" + s.numeric_measures()[m].name + "': value " + describe_value(x) +
                            " is not a finite number"};
  }
  if (counts_persons()) {
    const bool missing = std::holds_alternative<std::monostate>(r.person) ||
                         (std::holds_alternative<std::string_view>(r.person) && std::get<std::string_view>(r.person).empty());
    if (missing)
      return rejected_row{row, s.person_id_field(), rejection_reason::person_id_missing,
                          at + "person_id is missing, but this aggregator counts distinct persons"};
  }
  return std::nullopt;
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
  person_id person = std::visit(
      overloaded{[](std::monostate) -> person_id { return std::monostate{}; },
                 [&](std::span<const std::string_view> ids) -> person_id { return ids[row]; },
                 [&](const auto& ids) -> person_id { return static_cast<std::uint64_t>(ids[row]); }},
      b.persons);
  return find_bad_field(record{codes, outcomes, numerics, person}, row);
}

void aggregator::reject_or_throw(rejected_row bad) {
  if (options_.on_bad_record == bad_record_policy::reject)
    throw input_error(bad.message, bad.row, bad.field, bad.reason);
  rejected_.count(bad.reason, bad.field);
}

// ---------------------------------------------------------------------------------------------
// One record: Welford's update straight into the cell.

bool aggregator::add(const record& r) {
  require_key_for_adding();
  const schema& s = *schema_;
  if (r.codes.size() != s.dimensions().size() || r.outcomes.size() != s.outcomes().size() ||
      r.numerics.size() != s.numeric_measures().size())
    throw usage_error("record has " + std::to_string(r.codes.size()) + " codes, " + std::to_string(r.outcomes.size()) +
                      " outcomes and " + std::to_string(r.numerics.size()) + " numeric values; the schema has " +
                      std::to_string(s.dimensions().size()) + " dimensions (sex first), " +
                      std::to_string(s.outcomes().size()) + " outcomes and " +
                      std::to_string(s.numeric_measures().size()) + " numeric measures");
  std::uint64_t cell = 0;
  bool ok = true;
  for (std::size_t d = 0; d < r.codes.size(); ++d) {
    const auto index = s.dimensions()[d].index_of(r.codes[d]);
    if (!index) {
      ok = false;
      break;
    }
    cell = cell * s.dimensions()[d].cardinality() + *index;
  }
  for (std::int32_t v : r.outcomes) ok = ok && (v == 0 || v == 1);
  for (double x : r.numerics) ok = ok && std::isfinite(x);
  if (counts_persons()) {
    ok = ok && !std::holds_alternative<std::monostate>(r.person) &&
         !(std::holds_alternative<std::string_view>(r.person) && std::get<std::string_view>(r.person).empty());
  }
  if (!ok) {
    reject_or_throw(*find_bad_field(r, 0));
    return false;
  }
  const std::uint32_t slot = cells_.slot_for(cell);
  ++cells_.participations(slot);
  for (std::size_t o = 0; o < r.outcomes.size(); ++o)
    cells_.successes(o)[slot] += static_cast<std::uint64_t>(r.outcomes[o]);
  for (std::size_t m = 0; m < r.numerics.size(); ++m) cells_.numerics(m)[slot].add(r.numerics[m]);
  if (counts_persons()) {
    const std::uint64_t h = std::visit(overloaded{[](std::monostate) -> std::uint64_t { return 0; },
                                                  [&](auto id) -> std::uint64_t { return options_.persons->hash(id); }},
                                       r.person);
    cells_.persons(slot).insert(h);
  }
  ++participations_;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Columnar batches.

void aggregator::check_batch_shape(const column_batch& b) const {
  const schema& s = *schema_;
  auto expect = [&](std::size_t got, std::size_t want, const char* what) {
    if (got != want)
      throw usage_error("batch has " + std::to_string(got) + " " + what + " columns; the schema needs " +
                        std::to_string(want));
  };
  expect(b.codes.size(), s.dimensions().size(), "code");
  expect(b.outcomes.size(), s.outcomes().size(), "outcome");
  expect(b.numerics.size(), s.numeric_measures().size(), "numeric");
  auto length = [&](std::size_t got, std::size_t field) {
    if (got != b.rows)
      throw usage_error("batch column '" + s.field_name(field) + "' has " + std::to_string(got) +
                        " values; the batch has " + std::to_string(b.rows) + " rows");
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

namespace {

// Cell indices and a bad-row flag for rows [row0, row0 + n) of one block.
struct block_scan {
  std::uint64_t cell[block_rows];
  std::uint8_t bad[block_rows];
};

template <class T>
void scan_codes(std::span<const T> column, std::size_t row0, std::size_t n, const dimension& d,
                const std::array<std::uint32_t, 256>& lut8, block_scan& scan) {
  const std::uint64_t card = d.cardinality();
  const T* v = column.data() + row0;
  if constexpr (sizeof(T) == 1) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint32_t index = lut8[v[j]];
      scan.bad[j] |= static_cast<std::uint8_t>(index == dimension::no_level);
      scan.cell[j] = scan.cell[j] * card + index;
    }
  } else {
    const auto& lut = d.code_lookup();
    const std::int64_t lo = d.min_code(), size = static_cast<std::int64_t>(lut.size());
    for (std::size_t j = 0; j < n; ++j) {
      const std::int64_t offset = static_cast<std::int64_t>(v[j]) - lo;
      const std::uint32_t index =
          offset >= 0 && offset < size ? lut[static_cast<std::size_t>(offset)] : dimension::no_level;
      scan.bad[j] |= static_cast<std::uint8_t>(index == dimension::no_level);
      scan.cell[j] = scan.cell[j] * card + index;
    }
  }
}

template <class T>
void scan_outcome(std::span<const T> column, std::size_t row0, std::size_t n, block_scan& scan) {
  const T* v = column.data() + row0;
  for (std::size_t j = 0; j < n; ++j)
    scan.bad[j] |= static_cast<std::uint8_t>(static_cast<std::uint64_t>(static_cast<std::int64_t>(v[j])) > 1);
}

template <class T>
void scan_numeric(std::span<const T> column, std::size_t row0, std::size_t n, block_scan& scan) {
  const T* v = column.data() + row0;
  for (std::size_t j = 0; j < n; ++j) scan.bad[j] |= static_cast<std::uint8_t>(!std::isfinite(v[j]));
}

void scan_person_ids(std::span<const std::string_view> ids, std::size_t row0, std::size_t n, block_scan& scan) {
  for (std::size_t j = 0; j < n; ++j) scan.bad[j] |= static_cast<std::uint8_t>(ids[row0 + j].empty());
}

void scan_block(const column_batch& b, const schema& s, const std::vector<std::array<std::uint32_t, 256>>& lut8,
                std::size_t row0, std::size_t n, block_scan& scan) {
  std::fill_n(scan.cell, n, 0);
  std::fill_n(scan.bad, n, 0);
  for (std::size_t d = 0; d < b.codes.size(); ++d)
    std::visit([&](const auto& col) { scan_codes(col, row0, n, s.dimensions()[d], lut8[d], scan); }, b.codes[d]);
  for (const outcome_column& c : b.outcomes) std::visit([&](const auto& col) { scan_outcome(col, row0, n, scan); }, c);
  for (const numeric_column& c : b.numerics) std::visit([&](const auto& col) { scan_numeric(col, row0, n, scan); }, c);
  if (const auto* ids = std::get_if<std::span<const std::string_view>>(&b.persons)) scan_person_ids(*ids, row0, n, scan);
}

}  // namespace

batch_result aggregator::add_batch(const column_batch& b) {
  require_key_for_adding();
  check_batch_shape(b);
  batch_result result;
  static thread_local block_scan scan;
  if (options_.on_bad_record == bad_record_policy::reject) {
    // All-or-nothing: validate every row before touching the state.
    for (std::size_t row0 = 0; row0 < b.rows; row0 += block_rows) {
      const std::size_t n = std::min(block_rows, b.rows - row0);
      scan_block(b, *schema_, lut8_, row0, n, scan);
      for (std::size_t j = 0; j < n; ++j)
        if (scan.bad[j]) reject_or_throw(*find_bad_field_in_batch(b, row0 + j));
    }
  }
  try {
    for (std::size_t row0 = 0; row0 < b.rows; row0 += chunk_rows) {
      const std::size_t chunk_end = std::min(b.rows, row0 + chunk_rows);
      for (std::size_t r = row0; r < chunk_end; r += block_rows)
        add_block(b, r, std::min(block_rows, chunk_end - r), result);
      fold_scratch();
    }
  } catch (...) {
    fold_scratch();  // keep what was added consistent (e.g. on std::bad_alloc), then report
    throw;
  }
  return result;
}

void aggregator::add_block(const column_batch& b, std::size_t row0, std::size_t n, batch_result& result) {
  static thread_local block_scan scan;
  static thread_local std::uint32_t slot[block_rows];
  static thread_local std::uint32_t rows[block_rows];  // block-relative rows to add
  scan_block(b, *schema_, lut8_, row0, n, scan);

  std::size_t good = 0;
  for (std::size_t j = 0; j < n; ++j) {
    if (scan.bad[j]) {
      rejected_row bad = *find_bad_field_in_batch(b, row0 + j);
      if (!result.first_rejected) result.first_rejected = bad;
      ++result.rejected;
      reject_or_throw(std::move(bad));
      continue;
    }
    rows[good++] = static_cast<std::uint32_t>(j);
  }

  // Slots: on a dense grid the cell index is the slot; a sparse grid looks cells up once here.
  if (cells_.is_dense()) {
    for (std::size_t k = 0; k < good; ++k) slot[k] = static_cast<std::uint32_t>(scan.cell[rows[k]]);
  } else {
    for (std::size_t k = 0; k < good; ++k) slot[k] = cells_.slot_for(scan.cell[rows[k]]);
  }
  result.accepted += good;
  participations_ += good;
  const std::size_t slots = cells_.slot_count();
  if (chunk_count_.size() < slots) {
    chunk_count_.resize(slots, 0);
    for (auto& m : shifted_) m.resize(slots);
  }

  // Record counts; the first record of a cell in this chunk sets the cell's shifts.
  const auto& numerics = b.numerics;
  for (std::size_t k = 0; k < good; ++k) {
    const std::uint32_t s = slot[k];
    if (chunk_count_[s]++ != 0) continue;
    touched_.push_back(s);
    const bool empty_cell = cells_.participations(s) == 0;
    for (std::size_t m = 0; m < numerics.size(); ++m) {
      const double first = std::visit([&](const auto& col) { return static_cast<double>(col[row0 + rows[k]]); }, numerics[m]);
      shifted_[m][s] = {empty_cell ? first : cells_.numerics(m)[s].mean(), 0.0, 0.0,
                        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    }
  }
  for (std::size_t o = 0; o < b.outcomes.size(); ++o) {
    std::uint64_t* successes = cells_.successes(o);
    std::visit(
        [&](const auto& col) {
          const auto* v = col.data() + row0;
          for (std::size_t k = 0; k < good; ++k) successes[slot[k]] += static_cast<std::uint64_t>(v[rows[k]]);
        },
        b.outcomes[o]);
  }
  for (std::size_t m = 0; m < numerics.size(); ++m) {
    shifted_sums* sums = shifted_[m].data();
    std::visit(
        [&](const auto& col) {
          const auto* v = col.data() + row0;
          for (std::size_t k = 0; k < good; ++k) {
            shifted_sums& c = sums[slot[k]];
            const double x = static_cast<double>(v[rows[k]]);
            const double d = x - c.shift;
            c.s1 += d;
            c.s2 += d * d;
            c.min = x < c.min ? x : c.min;
            c.max = x > c.max ? x : c.max;
          }
        },
        numerics[m]);
  }
  if (counts_persons()) {
    const person_key& key = *options_.persons;
    std::visit(overloaded{[](std::monostate) {},
                          [&](const auto& ids) {
                            for (std::size_t k = 0; k < good; ++k)
                              cells_.persons(slot[k]).insert(key.hash(ids[row0 + rows[k]]));
                          }},
               b.persons);
  }
}

void aggregator::fold_scratch() {
  for (const std::uint32_t s : touched_) {
    const std::uint64_t n = chunk_count_[s];
    const double nd = static_cast<double>(n);
    for (std::size_t m = 0; m < shifted_.size(); ++m) {
      const shifted_sums& c = shifted_[m][s];
      moments part;
      part.count = n;
      part.shift = c.shift;
      part.mean_offset = c.s1 / nd;
      part.m2 = std::max(0.0, c.s2 - c.s1 * (c.s1 / nd));
      part.sum = c.shift * nd;
      part.add_to_sum(c.s1);
      part.min = c.min;
      part.max = c.max;
      cells_.numerics(m)[s].merge(part);
    }
    cells_.participations(s) += n;
    chunk_count_[s] = 0;
  }
  touched_.clear();
}

// ---------------------------------------------------------------------------------------------

void aggregator::add_anonymous(std::int32_t sex_code, std::uint64_t participants) {
  const auto index = iso5218::sex_dimension().index_of(sex_code);
  if (!index)
    throw input_error("anonymous participants: sex code " + std::to_string(sex_code) +
                          " is not an ISO/IEC 5218 code; expected one of 0, 1, 2, 9",
                      0, 0, sex_code == dimension::missing_code ? rejection_reason::sex_missing
                                                                : rejection_reason::sex_not_iso5218);
  anonymous_[*index] += participants;
}

void aggregator::merge(const aggregator& other) {
  if (this == &other) throw usage_error("an aggregator cannot be merged with itself");
  if (!(*schema_ == *other.schema_))
    throw schema_mismatch_error("cannot merge states of different schemas (fingerprints " +
                                std::to_string(schema_->fingerprint()) + " and " +
                                std::to_string(other.schema_->fingerprint()) + ")");
  if (counts_persons() != other.counts_persons())
    throw schema_mismatch_error("cannot merge a state that counts persons with one that does not");
  if (counts_persons() && key_check_ != other.key_check_)
    throw schema_mismatch_error("cannot merge states whose person ids were hashed with different keys");
  cells_.merge(other.cells_);
  rejected_.merge(other.rejected_);
  participations_ += other.participations_;
  for (std::size_t i = 0; i < anonymous_.size(); ++i) anonymous_[i] += other.anonymous_[i];
}

}  // namespace jamstat
