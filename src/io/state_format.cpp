#include "jamstat/io/state_format.hpp"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

#include <boost/multiprecision/cpp_int.hpp>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/rollup.hpp"

namespace jamstat {

namespace {

constexpr char magic[8] = {'J', 'A', 'M', 'S', 'T', 'A', 'T', 'E'};
constexpr std::size_t header_bytes = 24;   // magic, version, flags, body length
constexpr std::size_t checksum_bytes = 16;  // XXH3-128 of header + body
constexpr std::uint32_t flag_counts_persons = 1;
constexpr std::uint32_t flag_person_free = 2;  // distinct persons frozen per grouping cell; no hashes

// Integers are little-endian in the format; on a little-endian host (every platform jamstat is
// built for today) they are copied as they are, elsewhere byte-swapped.
template <class T>
T to_little_endian(T v) noexcept {
  if constexpr (std::endian::native == std::endian::big) {
    T r = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) r = static_cast<T>((r << 8) | ((v >> (8 * i)) & 0xFF));
    return r;
  }
  return v;
}

// XXH3-128 (xxHash 0.8, seed 0), stored as its low 64 bits then its high 64 bits, little-endian.
// A checksum against corruption in storage or transit, not a signature: it runs at memory speed,
// so reading and writing states is never bound by it.
void checksum(const std::uint8_t* data, std::size_t n, std::uint8_t out[checksum_bytes]) {
  const XXH128_hash_t h = XXH3_128bits(data, n);
  const std::uint64_t low = to_little_endian(static_cast<std::uint64_t>(h.low64));
  const std::uint64_t high = to_little_endian(static_cast<std::uint64_t>(h.high64));
  std::memcpy(out, &low, 8);
  std::memcpy(out + 8, &high, 8);
}

// Writes through a cursor into a buffer the caller sized exactly (layout_of computes the size).
class byte_writer {
 public:
  explicit byte_writer(std::uint8_t* out) : start_(out), cursor_(out) {}
  void u32(std::uint32_t v) { put(to_little_endian(v)); }
  void u64(std::uint64_t v) { put(to_little_endian(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void u128(uint128_t v) {
    u64(static_cast<std::uint64_t>(v));
    u64(static_cast<std::uint64_t>(v >> 64));
  }
  void bytes(const void* p, std::size_t n) {
    if (n) std::memcpy(cursor_, p, n);
    cursor_ += n;
  }
  std::size_t written() const noexcept { return static_cast<std::size_t>(cursor_ - start_); }

 private:
  template <class T>
  void put(T v) {
    std::memcpy(cursor_, &v, sizeof v);
    cursor_ += sizeof v;
  }
  std::uint8_t* start_;
  std::uint8_t* cursor_;
};

class byte_reader {
 public:
  byte_reader(std::span<const std::uint8_t> bytes, std::size_t base) : bytes_(bytes), base_(base) {}
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(get(4, what)); }
  std::uint64_t u64(const char* what) { return get(8, what); }
  double f64(const char* what) { return std::bit_cast<double>(get(8, what)); }
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(get(8, what)); }
  uint128_t u128(const char* what) {
    const std::uint64_t low = get(8, what);
    return (static_cast<uint128_t>(get(8, what)) << 64) | low;
  }
  std::span<const std::uint8_t> bytes(std::size_t n, const char* what) {
    need(n, what);
    auto s = bytes_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  std::size_t offset() const noexcept { return base_ + pos_; }
  [[noreturn]] void invalid(const std::string& what) const { invalid_at(what, offset()); }
  [[noreturn]] static void invalid_at(const std::string& what, std::size_t offset) {
    throw state_format_error(state_format_problem::invalid_content,
                             "state: " + what + " (at byte " + std::to_string(offset) + ")");
  }

 private:
  void need(std::size_t n, const char* what) const {
    if (remaining() < n)
      throw state_format_error(state_format_problem::truncated, std::string("state: truncated in ") + what + " at byte " +
                                                                    std::to_string(offset()));
  }
  std::uint64_t get(int n, const char* what) {
    need(static_cast<std::size_t>(n), what);
    std::uint64_t v = 0;
    if (n == 8) {
      std::memcpy(&v, bytes_.data() + pos_, 8);
      v = to_little_endian(v);
    } else {
      std::uint32_t w = 0;
      std::memcpy(&w, bytes_.data() + pos_, 4);
      v = to_little_endian(w);
    }
    pos_ += static_cast<std::size_t>(n);
    return v;
  }
  std::span<const std::uint8_t> bytes_;
  std::size_t base_;
  std::size_t pos_ = 0;
};


struct state_layout {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;  // (cell, slot), ascending cell
  std::vector<std::span<const std::uint64_t>> persons;         // per cell in order: sorted, distinct
  std::vector<std::vector<std::uint64_t>> compacted;           // copies of sets not yet compact
  std::size_t size = 0;
};

// Bytes of one cell without its persons: index, participations, successes, 64 bytes a measure.
std::size_t cell_bytes(const schema& s) { return 16 + 8 * s.outcomes().size() + 64 * s.numeric_measures().size(); }

// Bytes of one cell's cross-products (the cross-product section holds them for every cell stored):
// an i128 per pair of the schema's cross-product set, none when it keeps none.
std::size_t cross_product_bytes(const schema& s) {
  const std::size_t p = s.cross_product_variables().size();
  return (p * (p + 1) / 2) * 16;
}

// The frozen-persons section of a person-free state: the number of groupings, then per grouping
// its mask, its number of cells and per cell the level index of each kept dimension (u32) and the
// distinct persons (u64).
std::size_t frozen_persons_bytes(const aggregator& a) {
  if (!a.is_person_free()) return 0;
  std::size_t bytes = 8;
  for (const frozen_persons::grouping& g : a.frozen()->groupings()) bytes += 16 + g.cells() * (4 * g.width + 8);
  return bytes;
}

state_layout layout_of(const aggregator& a) {
  state_layout layout;
  const schema& s = a.schema_ref();
  const cell_store& cells = a.cells();
  auto& order = layout.order;
  // Non-empty cells in ascending cell index, so equal states give equal bytes; their person sets
  // sorted and distinct.
  for (std::uint32_t slot = 0; slot < cells.slot_count(); ++slot)
    if (cells.participations(slot) > 0) order.emplace_back(cells.cell_of(slot), slot);
  if (!cells.is_dense()) std::sort(order.begin(), order.end());  // dense slots are in cell order
  std::size_t person_bytes = 0;
  if (a.counts_persons()) {
    layout.compacted.reserve(order.size());  // spans below point into it: no reallocation
    for (const auto& [cell, slot] : order) {
      const person_set& set = cells.persons(slot);
      std::span<const std::uint64_t> sorted = set.hashes();
      if (!set.is_compact()) {
        std::vector<std::uint64_t> copy(sorted.begin(), sorted.end());
        std::sort(copy.begin(), copy.end());
        copy.erase(std::unique(copy.begin(), copy.end()), copy.end());
        layout.compacted.push_back(std::move(copy));
        sorted = layout.compacted.back();
      }
      person_bytes += 8 + 8 * sorted.size();
      layout.persons.push_back(sorted);
    }
  }
  const rejected_tally& tally = a.rejected();
  const std::string& encoded = s.canonical_encoding();
  layout.size = header_bytes + 8 + 4 + encoded.size() + 8 + 8 + 32 + 8 + 8 * rejection_reason_count * tally.field_count() +
                8 * s.numeric_measures().size() + 8 + order.size() * (cell_bytes(s) + cross_product_bytes(s)) + person_bytes +
                frozen_persons_bytes(a) + checksum_bytes;
  return layout;
}

std::size_t write_with_layout(const aggregator& a, const state_layout& layout, std::uint8_t* out) {
  const schema& s = a.schema_ref();
  const cell_store& cells = a.cells();
  const rejected_tally& tally = a.rejected();
  const std::string& encoded = s.canonical_encoding();
  const auto& order = layout.order;
  byte_writer w(out);
  w.bytes(magic, sizeof magic);
  w.u32(state_format_version);
  w.u32(a.counts_persons() ? flag_counts_persons : a.is_person_free() ? flag_person_free : 0);
  w.u64(0);  // body length, patched below

  w.u64(s.fingerprint());
  w.u32(static_cast<std::uint32_t>(encoded.size()));
  w.bytes(encoded.data(), encoded.size());
  w.u64(a.person_key_check().value_or(0));
  w.u64(a.participations());
  for (std::uint64_t n : a.anonymous_participants()) w.u64(n);
  w.u32(static_cast<std::uint32_t>(tally.field_count()));
  w.u32(static_cast<std::uint32_t>(rejection_reason_count));
  for (std::size_t r = 0; r < rejection_reason_count; ++r)
    for (std::size_t f = 0; f < tally.field_count(); ++f) w.u64(tally.at(static_cast<rejection_reason>(r), f));
  for (std::size_t m = 0; m < s.numeric_measures().size(); ++m) w.u64(a.rounded_values(m));

  w.u64(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto [cell, slot] = order[i];
    w.u64(cell);
    w.u64(cells.participations(slot));
    for (std::size_t o = 0; o < s.outcomes().size(); ++o) w.u64(cells.successes(o)[slot]);
    for (std::size_t m = 0; m < s.numeric_measures().size(); ++m) {
      if (const decimal_moments* dm = cells.decimal(m)) {
        const decimal_moments& d = dm[slot];
        w.u64(d.count);
        w.u128(static_cast<uint128_t>(d.sum));
        w.u128(d.sum_of_squares);
        w.i64(d.min);
        w.i64(d.max);
        w.i64(d.second_max);
      } else {
        const floating_moments f = cells.floating(m)[slot].moments();
        w.u64(f.count);
        for (double v : {f.shift, f.offset.hi, f.offset.lo, f.m2, f.min, f.max, f.second_max}) w.f64(v);
      }
    }
    if (a.counts_persons()) {
      w.u64(layout.persons[i].size());
      for (std::uint64_t x : layout.persons[i]) w.u64(x);
    }
  }
  // The cross-product section (only when the schema keeps a cross-product set): each stored cell's
  // packed triangle, in the cells' order.
  if (const std::size_t pairs = cells.cross_product_pairs(); pairs > 0)
    for (const auto& [cell, slot] : order) {
      const int128_t* products = cells.cross_products(slot);
      for (std::size_t k = 0; k < pairs; ++k) w.u128(static_cast<uint128_t>(products[k]));
    }
  if (a.is_person_free()) {
    w.u64(a.frozen()->groupings().size());
    for (const frozen_persons::grouping& g : a.frozen()->groupings()) {
      w.u64(g.mask);
      w.u64(g.cells());
      for (std::size_t c = 0; c < g.cells(); ++c) {
        for (std::size_t k = 0; k < g.width; ++k) w.u32(g.levels[c * g.width + k]);
        w.u64(g.persons[c]);
      }
    }
  }
  const std::uint64_t body = w.written() - header_bytes;
  for (int i = 0; i < 8; ++i) out[16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(body >> (8 * i));
  std::uint8_t sum[checksum_bytes];
  checksum(out, w.written(), sum);
  w.bytes(sum, sizeof sum);
  if (w.written() != layout.size) throw std::logic_error("write_state: the state's size was computed wrongly");
  return layout.size;
}

// --- reading: every rule the format implies ---------------------------------------------------

// Which (reason, field) pairs a record can produce: a tally count anywhere else is impossible.
bool reason_fits_field(rejection_reason reason, std::size_t field, const schema& s, bool counts_persons) {
  const std::size_t dims = s.dimensions().size(), outs = s.outcomes().size(), nums = s.numeric_measures().size();
  const bool is_measure = field >= dims + outs && field < dims + outs + nums;
  switch (reason) {
    case rejection_reason::sex_missing:
    case rejection_reason::sex_not_iso5218: return field == 0;
    case rejection_reason::code_missing:
    case rejection_reason::code_unknown: return field >= 1 && field < dims;
    case rejection_reason::outcome_not_binary: return field >= dims && field < dims + outs;
    case rejection_reason::measure_not_finite:
    case rejection_reason::measure_out_of_range: return is_measure;
    case rejection_reason::measure_off_resolution:
      return is_measure && s.domain(field - dims - outs).kind == measure_kind::decimal;
    case rejection_reason::person_id_missing: return field == dims + outs + nums && counts_persons;
  }
  return false;
}

using boost::multiprecision::uint256_t;
uint256_t wide(uint128_t x) { return (uint256_t(static_cast<std::uint64_t>(x >> 64)) << 64) | static_cast<std::uint64_t>(x); }
uint128_t magnitude(int128_t x) { return x < 0 ? uint128_t(0) - static_cast<uint128_t>(x) : static_cast<uint128_t>(x); }

// A decimal measure's statistics: consistent with each other and with the measure's range.
void check_decimal(const decimal_moments& d, const measure_domain& dom, byte_reader& r) {
  if (d.min < dom.lowest_units || d.max > dom.highest_units || d.min > d.max)
    r.invalid("a decimal measure's min and max are outside its range or in the wrong order");
  const int128_t n = static_cast<int128_t>(d.count);
  if (d.count == 1) {
    if (d.second_max != std::numeric_limits<std::int64_t>::min() || d.min != d.max || d.sum != d.min ||
        d.sum_of_squares != static_cast<uint128_t>(static_cast<std::uint64_t>(d.min * d.min)))
      r.invalid("a decimal measure's statistics of one value contradict each other");
    return;
  }
  if (d.second_max < d.min || d.second_max > d.max) r.invalid("a decimal measure's second largest value is outside [min, max]");
  // Every value lies in [min, max], and all but the largest in [min, second largest].
  const int128_t rest = n - 2;
  if (d.sum < int128_t(d.max) + d.second_max + rest * d.min || d.sum > int128_t(d.max) + d.second_max + rest * d.second_max)
    r.invalid("a decimal measure's sum contradicts its count, min and largest values");
  const std::uint64_t largest_square =
      std::max(static_cast<std::uint64_t>(d.min * d.min), static_cast<std::uint64_t>(d.max * d.max));
  const uint128_t top_two = static_cast<uint128_t>(static_cast<std::uint64_t>(d.max * d.max)) +
                            static_cast<std::uint64_t>(d.second_max * d.second_max);
  if (d.sum_of_squares > static_cast<uint128_t>(largest_square) * d.count || d.sum_of_squares < top_two)
    r.invalid("a decimal measure's sum of squares contradicts its count and extremes");
  if (uint256_t(d.count) * wide(d.sum_of_squares) < wide(magnitude(d.sum)) * wide(magnitude(d.sum)))
    r.invalid("a decimal measure's sum of squares is less than its sum squared over its count (negative variance)");
}

// A floating measure's statistics: finite, consistent with each other and with the range.
void check_floating(const floating_moments& f, const measure_domain& dom, byte_reader& r) {
  for (double v : {f.shift, f.offset.hi, f.offset.lo, f.m2, f.min, f.max})
    if (!std::isfinite(v)) r.invalid("a non-finite value in a floating measure's statistics");
  if (f.min < dom.lowest || f.max > dom.highest || f.min > f.max)
    r.invalid("a floating measure's min and max are outside its range or in the wrong order");
  if (f.shift < f.min || f.shift > f.max) r.invalid("a floating measure's shift is not within [min, max]");
  if (f.offset.hi + f.offset.lo != f.offset.hi) r.invalid("a floating measure's mean offset is not a normalized double-double");
  if (f.m2 < 0) r.invalid("a floating measure's sum of squared deviations is negative");
  const double spread = f.max - f.min;
  // The mean lies in [min, max] (up to its rounding), so |offset| <= max - min; the population
  // variance is at most (max - min)² / 4 (Popoviciu).
  const double slack = 1e-9;
  if (std::fabs(f.offset.hi) > spread * (1 + slack))
    r.invalid("a floating measure's mean is outside [min, max]");
  if (f.m2 > static_cast<double>(f.count) * spread * spread / 4 * (1 + slack))
    r.invalid("a floating measure's sum of squared deviations exceeds what its min and max allow");
  if (f.count == 1) {
    if (f.second_max != -std::numeric_limits<double>::infinity() || f.min != f.max || f.m2 != 0 || f.offset.hi != 0)
      r.invalid("a floating measure's statistics of one value contradict each other");
    return;
  }
  if (!std::isfinite(f.second_max) || f.second_max < f.min || f.second_max > f.max)
    r.invalid("a floating measure's second largest value is outside [min, max]");
}

// The cross-product section: every stored cell's sums of products, in the cells' order, each
// checked against what the cell says of its variables: a sum of squares equals the cell's (an
// outcome's Σy² is its successes, a decimal measure's Σu² its sum of squares), a sum of products
// obeys Cauchy-Schwarz, two outcomes' co-occurrences their Fréchet bounds, and an outcome's Σuy the
// bounds that the measure's smallest and largest values put on it. Each rule holds for any set of
// participations, so every state the library writes passes.
// The frozen-persons section. Every count must be one the state's cells allow: the groupings are
// distinct subsets of the schema's dimensions in ascending order, the finest among them; each
// grouping's cells are exactly the non-empty cells of that grouping's roll-up, in its order; and a
// cell's persons are at least 1 and at most its participations (0 only in the total of an empty
// state).
std::shared_ptr<const frozen_persons> read_frozen_persons(const aggregator& a, byte_reader& r) {
  const schema& s = a.schema_ref();
  const std::size_t d = s.dimensions().size();
  if (d > 63) r.invalid("frozen persons in a schema of more than 63 dimensions (a grouping mask has 64 bits)");
  const std::uint64_t finest = (std::uint64_t{1} << d) - 1;
  const std::uint64_t count = r.u64("the frozen persons");
  if (count == 0 || count > r.remaining() / 16 || (d < 63 && count > finest + 1))
    r.invalid(std::to_string(count) + " groupings of frozen persons announced, more than the schema or the data allow (or none)");
  auto frozen = std::make_shared<frozen_persons>();
  std::uint64_t previous = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    frozen_persons::grouping g;
    g.mask = r.u64("a frozen grouping's mask");
    if (g.mask & ~finest) r.invalid("frozen grouping mask " + std::to_string(g.mask) + " names a dimension the schema does not have");
    if (i > 0 && g.mask <= previous) r.invalid("frozen grouping masks are not strictly increasing");
    previous = g.mask;
    g.width = static_cast<std::size_t>(std::popcount(g.mask));
    const std::uint64_t cells = r.u64("a frozen grouping's cell count");
    if (cells > r.remaining() / (4 * g.width + 8)) r.invalid(std::to_string(cells) + " frozen cells announced, more than the data hold");
    const rollup_table t = rollup(a, grouping_set::from_mask(s, g.mask));
    if (cells != t.cells().size())
      r.invalid("frozen grouping " + std::to_string(g.mask) + " has " + std::to_string(cells) + " cells; the state's cells give " +
                std::to_string(t.cells().size()));
    g.levels.reserve(static_cast<std::size_t>(cells) * g.width);
    g.persons.reserve(static_cast<std::size_t>(cells));
    for (std::uint64_t c = 0; c < cells; ++c) {
      const rollup_cell cell = t.cells()[c];
      for (std::size_t k = 0; k < g.width; ++k) {
        const std::uint32_t level = r.u32("a frozen cell's level index");
        if (level != cell.levels[k]) r.invalid("the frozen cells of grouping " + std::to_string(g.mask) + " are not the state's cells");
        g.levels.push_back(level);
      }
      const std::uint64_t persons = r.u64("a frozen cell's persons");
      if (persons > cell.participations || (persons == 0 && cell.participations > 0))
        r.invalid("a frozen cell's persons (" + std::to_string(persons) + ") are impossible for its " +
                  std::to_string(cell.participations) + " participations");
      g.persons.push_back(persons);
    }
    frozen->add(std::move(g));
  }
  if (!frozen->find(finest)) r.invalid("the frozen persons lack the finest grouping");
  return frozen;
}

void read_cross_products(cell_store& cells, const std::vector<std::uint32_t>& slots, byte_reader& r) {
  const schema& s = cells.schema_ref();
  const auto& variables = s.cross_product_variables();
  const std::size_t p = variables.size(), pairs = cells.cross_product_pairs();
  struct of_variable {
    int128_t sum = 0;
    uint128_t squares = 0;
    std::int64_t min = 0, max = 0;
  };
  std::vector<of_variable> cell_says(p);
  for (const std::uint32_t slot : slots) {
    const std::size_t start = r.offset();
    int128_t* products = cells.cross_products(slot);
    for (std::size_t k = 0; k < pairs; ++k) products[k] = static_cast<int128_t>(r.u128("the cross-products"));
    const std::uint64_t n = cells.participations(slot);
    for (std::size_t v = 0; v < p; ++v) {
      of_variable& c = cell_says[v];
      if (variables[v].from == cross_product_variable::source::outcome) {
        const std::uint64_t k = cells.successes(variables[v].index)[slot];
        c = {k, k, 0, 1};
      } else {
        const decimal_moments& d = cells.decimal(variables[v].index)[slot];
        c = {d.sum, d.sum_of_squares, d.min, d.max};
      }
    }
    for (std::size_t i = 0; i < p; ++i)
      for (std::size_t j = i; j < p; ++j) {
        const std::size_t at = start + 16 * cross_product_pair_index(i, j, p);
        const int128_t value = products[cross_product_pair_index(i, j, p)];
        const of_variable &ci = cell_says[i], &cj = cell_says[j];
        auto fail = [&](const std::string& why) {
          byte_reader::invalid_at("a cell's cross-product of '" + variables[i].name + "' and '" + variables[j].name + "' " + why, at);
        };
        if (i == j) {
          if (value < 0 || static_cast<uint128_t>(value) != ci.squares) fail("differs from the cell's sum of squares");
          continue;
        }
        if (wide(magnitude(value)) * wide(magnitude(value)) > wide(ci.squares) * wide(cj.squares))
          fail("exceeds the Cauchy-Schwarz bound of the sums of squares");
        const bool outcome_i = variables[i].from == cross_product_variable::source::outcome;
        const bool outcome_j = variables[j].from == cross_product_variable::source::outcome;
        if (outcome_i && outcome_j) {
          // Participations with both outcomes: at most either's successes, at least their excess over n.
          if (value < 0 || value > std::min(ci.sum, cj.sum) || value < ci.sum + cj.sum - static_cast<int128_t>(n))
            fail("is not a possible number of participations with both outcomes");
        } else if (outcome_i != outcome_j) {
          // Σuy sums u over the k participations with the outcome; Σu − Σuy over the other n − k.
          const of_variable& y = outcome_i ? ci : cj;
          const of_variable& u = outcome_i ? cj : ci;
          const int128_t k = y.sum, rest = static_cast<int128_t>(n) - k;
          if (value < k * u.min || value > k * u.max || u.sum - value < rest * u.min || u.sum - value > rest * u.max)
            fail("contradicts the measure's smallest and largest values in the cell");
        }
      }
  }
}

}  // namespace

std::size_t state_size(const aggregator& a) { return layout_of(a).size; }

std::vector<std::uint8_t> write_state(const aggregator& a) {
  const state_layout layout = layout_of(a);
  std::vector<std::uint8_t> out(layout.size);
  write_with_layout(a, layout, out.data());
  return out;
}

std::size_t write_state(const aggregator& a, std::span<std::uint8_t> out) {
  const state_layout layout = layout_of(a);
  if (out.size() < layout.size)
    throw usage_error("write_state: the state needs " + std::to_string(layout.size) + " bytes; the buffer has " +
                      std::to_string(out.size()));
  return write_with_layout(a, layout, out.data());
}

aggregator read_state(std::span<const std::uint8_t> bytes, aggregator_options options) {
  // Header.
  if (bytes.size() < sizeof magic || std::memcmp(bytes.data(), magic, sizeof magic) != 0) {
    if (bytes.size() < sizeof magic && (bytes.empty() || std::memcmp(bytes.data(), magic, bytes.size()) == 0))
      throw state_format_error(state_format_problem::truncated, "state: truncated in the header (" + std::to_string(bytes.size()) + " bytes)");
    throw state_format_error(state_format_problem::not_a_state, "state: not a jamstat state (the first 8 bytes are not \"JAMSTATE\")");
  }
  byte_reader header(bytes.subspan(sizeof magic), sizeof magic);
  const std::uint32_t version = header.u32("the header");
  if (version != 1 && version != state_format_version)
    throw state_format_error(state_format_problem::unsupported_version,
                             "state: format version " + std::to_string(version) + " is not supported; this jamstat reads versions 1 to " +
                                 std::to_string(state_format_version));
  const bool v1 = version == 1;
  const std::uint32_t flags = header.u32("the header");
  const std::uint64_t body_length = header.u64("the header");
  const std::uint64_t available = bytes.size() - header_bytes;  // body + checksum present
  if (body_length > available || available - body_length < checksum_bytes) {
    // The size announced, computed without wrapping (a body length near 2^64 announces more than
    // any buffer holds).
    const std::string announced = body_length > std::numeric_limits<std::uint64_t>::max() - header_bytes - checksum_bytes
                                      ? std::to_string(body_length) + " + " + std::to_string(header_bytes + checksum_bytes)
                                      : std::to_string(header_bytes + body_length + checksum_bytes);
    throw state_format_error(state_format_problem::truncated,
                             "state: truncated: " + std::to_string(bytes.size()) + " bytes, but the header announces " + announced);
  }
  if (available - body_length > checksum_bytes)
    throw state_format_error(state_format_problem::invalid_content,
                             "state: " + std::to_string(available - body_length - checksum_bytes) +
                                 " unexpected bytes after the checksum");
  std::uint8_t sum[checksum_bytes];
  checksum(bytes.data(), header_bytes + body_length, sum);
  if (std::memcmp(sum, bytes.data() + header_bytes + body_length, checksum_bytes) != 0)
    throw state_format_error(state_format_problem::checksum_mismatch, "state: checksum mismatch: the bytes were corrupted");
  if (flags & ~(flag_counts_persons | flag_person_free))
    throw state_format_error(state_format_problem::invalid_content, "state: unknown header flags " + std::to_string(flags));
  if ((flags & flag_counts_persons) && (flags & flag_person_free))
    throw state_format_error(state_format_problem::invalid_content, "state: a state cannot both hold person hashes and be person-free");

  // Body.
  byte_reader r(bytes.subspan(header_bytes, body_length), header_bytes);
  const std::uint64_t fingerprint = r.u64("the schema fingerprint");
  const std::uint32_t encoded_length = r.u32("the schema");
  const std::size_t schema_offset = r.offset();
  const auto encoded = r.bytes(encoded_length, "the schema");
  const std::string_view encoded_text(reinterpret_cast<const char*>(encoded.data()), encoded.size());
  std::shared_ptr<const schema> s;
  try {
    s = std::make_shared<const schema>(schema::from_canonical_encoding(encoded_text));
  } catch (const schema_encoding_error& e) {
    byte_reader::invalid_at(std::string("invalid schema: ") + e.what(), schema_offset + e.offset());
  } catch (const schema_error& e) {
    byte_reader::invalid_at(std::string("invalid schema: ") + e.what(), schema_offset);
  }
  if (schema::fingerprint_of_encoding(encoded_text) != fingerprint) r.invalid("the schema does not match its fingerprint");
  const std::uint64_t key_check = r.u64("the person key check");
  const bool counts_persons = flags & flag_counts_persons;
  const bool is_person_free = flags & flag_person_free;
  if (!counts_persons && key_check != 0) r.invalid("a person key check in a state that does not count persons");
  if (options.persons) {
    if (is_person_free) throw usage_error("a person key was given, but this state is person-free (it holds no person hashes)");
    if (!counts_persons) throw usage_error("a person key was given, but this state does not count persons");
    if (options.persons->key_check() != key_check)
      throw schema_mismatch_error("the person key given is not the one this state's person ids were hashed with");
  }
  // The counts before the cells are read into locals first: how the cells are stored depends on
  // how many there are (a state with few cells is read sparse, so that its memory follows the
  // cells present whatever its schema; it becomes dense on its first ingestion).
  const std::uint64_t total_participations = r.u64("the participations");
  std::array<std::uint64_t, 4> anonymous{};
  for (std::uint64_t& n : anonymous) n = r.u64("the anonymous participants");
  const std::uint32_t field_count = r.u32("the rejected tally");
  const std::uint32_t reason_count = r.u32("the rejected tally");
  if (field_count != s->field_count()) r.invalid("the rejected tally has " + std::to_string(field_count) + " fields, the schema " + std::to_string(s->field_count()));
  if (reason_count > rejection_reason_count) r.invalid("the rejected tally has " + std::to_string(reason_count) + " reasons; this version knows " + std::to_string(rejection_reason_count));
  rejected_tally tally(field_count);
  for (std::size_t reason = 0; reason < reason_count; ++reason)
    for (std::size_t f = 0; f < field_count; ++f) {
      const std::uint64_t n = r.u64("the rejected tally");
      if (n == 0) continue;
      if (!reason_fits_field(static_cast<rejection_reason>(reason), f, *s, counts_persons || is_person_free))
        r.invalid("the rejected tally counts " + std::string(to_string(static_cast<rejection_reason>(reason))) +
                  " for field '" + s->field_name(f) + "', which no record can produce");
      try {
        tally.count(static_cast<rejection_reason>(reason), f, n);
      } catch (const overflow_error&) {
        r.invalid("the rejected tally's counts add up to more than 2^64 - 1");
      }
    }
  const std::size_t n_outcomes = s->outcomes().size(), n_numerics = s->numeric_measures().size();
  std::vector<std::uint64_t> rounded(n_numerics, 0);
  if (!v1)
    for (std::size_t m = 0; m < n_numerics; ++m) {
      rounded[m] = r.u64("the rounded values");
      if (rounded[m] > 0 && s->domain(m).off_grid != off_grid_policy::round)
        r.invalid("rounded values counted for measure '" + s->numeric_measures()[m].name + "', which does not round");
      if (rounded[m] > total_participations) r.invalid("more rounded values than participations");
    }

  const std::size_t min_cell_bytes = cell_bytes(*s) + cross_product_bytes(*s) + (counts_persons ? 8 : 0);
  const std::uint64_t n_cells = r.u64("the cell count");
  if (n_cells > s->finest_cell_count() || n_cells > r.remaining() / min_cell_bytes)
    r.invalid(std::to_string(n_cells) + " cells announced, more than the grid or the data can hold");
  const cell_store::layout layout =
      n_cells * 4 < s->finest_cell_count() ? cell_store::layout::sparse : cell_store::layout::automatic;
  aggregator a(aggregator::restoring_tag{}, s, std::move(options),
               counts_persons ? std::optional<std::uint64_t>(key_check) : std::nullopt, layout);
  a.participations_ = total_participations;
  a.anonymous_ = anonymous;
  a.rejected_ = std::move(tally);
  a.rounded_ = std::move(rounded);
  cell_store& cells = a.cells_;
  std::uint64_t previous = 0, participations = 0;
  std::vector<std::uint32_t> slots_read;  // in cell order, for the cross-product section
  if (s->keeps_cross_products()) slots_read.reserve(static_cast<std::size_t>(n_cells));  // bounded above
  for (std::uint64_t i = 0; i < n_cells; ++i) {
    const std::uint64_t cell = r.u64("a cell index");
    if (cell >= s->finest_cell_count()) r.invalid("cell index " + std::to_string(cell) + " is outside the grid");
    if (i > 0 && cell <= previous) r.invalid("cell indices are not strictly increasing");
    previous = cell;
    const std::uint32_t slot = cells.slot_for(cell);
    if (s->keeps_cross_products()) slots_read.push_back(slot);
    const std::uint64_t n = r.u64("a cell's participations");
    if (n == 0) r.invalid("an empty cell is stored");
    if (participations + n < participations) r.invalid("the cells' participations add up to more than 2^64 - 1");
    cells.participations(slot) = n;
    participations += n;
    for (std::size_t o = 0; o < n_outcomes; ++o) {
      const std::uint64_t k = r.u64("a cell's successes");
      if (k > n) r.invalid("more successes than participations in a cell");
      cells.successes(o)[slot] = k;
    }
    for (std::size_t m = 0; m < n_numerics; ++m) {
      const measure_domain& dom = s->domain(m);
      const std::uint64_t count = r.u64("a cell's measure statistics");
      if (count != n) r.invalid("a measure's count differs from the cell's participations");
      if (dom.kind == measure_kind::decimal) {
        decimal_moments& d = cells.decimal(m)[slot];
        d.count = count;
        d.sum = static_cast<int128_t>(r.u128("a cell's measure statistics"));
        d.sum_of_squares = r.u128("a cell's measure statistics");
        d.min = r.i64("a cell's measure statistics");
        d.max = r.i64("a cell's measure statistics");
        d.second_max = r.i64("a cell's measure statistics");
        check_decimal(d, dom, r);
        continue;
      }
      floating_moments f;
      f.count = count;
      f.shift = r.f64("a cell's measure statistics");
      if (v1) {
        // Version 1: shift, mean offset, M2, sum, sum compensation, min, max. The second largest
        // value was not kept: it is taken to be the largest, the conservative choice for the
        // dominance rules of disclosure control (docs/state-format.md).
        f.offset = double_double{r.f64("a cell's moments"), 0.0};
        f.m2 = r.f64("a cell's moments");
        const double total = r.f64("a cell's moments"), compensation = r.f64("a cell's moments");
        if (!std::isfinite(total) || !std::isfinite(compensation)) r.invalid("a non-finite value in a cell's moments");
        f.min = r.f64("a cell's moments");
        f.max = r.f64("a cell's moments");
        f.second_max = count >= 2 ? f.max : -std::numeric_limits<double>::infinity();
        if (count == 1) {  // version 1 kept the value in shift + offset; normalise to this version's form
          if (f.min != f.max) r.invalid("a cell's moments of one value contradict each other");
          f.shift = f.min;
          f.offset = {};
          f.m2 = 0;
        }
      } else {
        f.offset.hi = r.f64("a cell's measure statistics");
        f.offset.lo = r.f64("a cell's measure statistics");
        f.m2 = r.f64("a cell's measure statistics");
        f.min = r.f64("a cell's measure statistics");
        f.max = r.f64("a cell's measure statistics");
        f.second_max = r.f64("a cell's measure statistics");
      }
      check_floating(f, dom, r);
      cells.floating(m)[slot].settled = f;
    }
    if (counts_persons) {
      const std::uint64_t k = r.u64("a cell's person count");
      if (k == 0 || k > n || k > r.remaining() / 8) r.invalid("a cell's person count " + std::to_string(k) + " is impossible");
      person_set& set = cells.persons(slot);
      std::uint64_t last = 0;
      for (std::uint64_t j = 0; j < k; ++j) {
        const std::uint64_t h = r.u64("a person hash");
        if (j > 0 && h <= last) r.invalid("person hashes are not strictly increasing");
        last = h;
        set.insert(h);
      }
      set.compact();
    }
  }
  if (participations != a.participations_) r.invalid("the cells' participations do not add up to the total");
  if (s->keeps_cross_products()) read_cross_products(cells, slots_read, r);
  if (is_person_free) a.frozen_ = read_frozen_persons(a, r);
  if (r.remaining() != 0)
    r.invalid(std::to_string(r.remaining()) + " unexpected bytes after the " +
              (is_person_free ? "frozen persons" : s->keeps_cross_products() ? "cross-products" : "cells"));
  return a;
}

}  // namespace jamstat
