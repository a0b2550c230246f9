#include "jamstat/engine/schema.hpp"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"
#include "message_text.hpp"
#include "utf8.hpp"

namespace jamstat {

using detail::text_for_message;

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = detail::utf8_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

namespace {

void check_text(std::string_view what, std::string_view text, bool may_be_empty) {
  if (!may_be_empty && text.empty()) throw schema_error(std::string(what) + " is empty");
  if (!is_valid_utf8(text))
    throw schema_error(std::string(what) + " is not valid UTF-8: \"" + detail::text_for_message(text) + "\"");
}

}  // namespace

dimension::dimension(std::string name, std::vector<level> levels, std::string label_sv, std::string label_en)
    : name_(std::move(name)), levels_(std::move(levels)), label_sv_(std::move(label_sv)), label_en_(std::move(label_en)) {
  check_text("dimension name", name_, false);
  const std::string where = "dimension '" + text_for_message(name_) + "'";
  check_text(where + ": Swedish label", label_sv_, true);
  check_text(where + ": English label", label_en_, true);
  if (levels_.empty()) throw schema_error(where + " has no levels");
  if (levels_.size() > max_levels)
    throw schema_error(where + " has " + std::to_string(levels_.size()) + " levels; at most " +
                       std::to_string(max_levels) + " are allowed");
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = -1;
  for (const level& l : levels_) {
    const std::string at = where + ", level code " + std::to_string(l.code);
    if (l.code < 0) throw schema_error(at + ": codes must be non-negative (-1 means missing)");
    check_text(at + ": Swedish label", l.label_sv, false);
    check_text(at + ": English label", l.label_en, false);
    lo = std::min<std::int64_t>(lo, l.code);
    hi = std::max<std::int64_t>(hi, l.code);
  }
  if (hi - lo + 1 > max_code_span)
    throw schema_error(where + ": codes span " + std::to_string(lo) + ".." + std::to_string(hi) +
                       ", wider than the " + std::to_string(max_code_span) + " codes allowed");
  min_code_ = static_cast<std::int32_t>(lo);
  sorted_.reserve(levels_.size());
  for (std::size_t i = 0; i < levels_.size(); ++i) sorted_.emplace_back(levels_[i].code, static_cast<std::uint32_t>(i));
  std::sort(sorted_.begin(), sorted_.end());
  for (std::size_t i = 1; i < sorted_.size(); ++i)
    if (sorted_[i].first == sorted_[i - 1].first)
      throw schema_error(where + ": level code " + std::to_string(sorted_[i].first) + " appears twice");
  const std::int64_t span = hi - lo + 1;
  if (span <= dense_span_per_level * static_cast<std::int64_t>(levels_.size()) + 4096) {
    index_by_offset_.assign(static_cast<std::size_t>(span), no_level);
    for (const auto& [code, index] : sorted_) index_by_offset_[static_cast<std::size_t>(code - lo)] = index;
    sorted_.clear();
    sorted_.shrink_to_fit();
  }
}

std::optional<std::size_t> dimension::sparse_index_of(std::int64_t code) const noexcept {
  const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), code,
                                   [](const std::pair<std::int32_t, std::uint32_t>& e, std::int64_t c) { return e.first < c; });
  if (it == sorted_.end() || it->first != code) return std::nullopt;
  return it->second;
}

std::string dimension::codes_list(std::size_t shown) const {
  std::string out;
  const std::size_t n = std::min(shown, levels_.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!out.empty()) out += ", ";
    out += std::to_string(levels_[i].code);
  }
  if (levels_.size() > n) out += ", ... and " + std::to_string(levels_.size() - n) + " more";
  return out;
}

namespace {

// Canonical encoding for the fingerprint: every string length-prefixed, every integer fixed
// width little-endian, a leading tag so a future encoding change cannot collide silently.
class canonical_writer {
 public:
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void text(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes_.append(s);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// Optional sections after the numeric measures, each introduced by its u32 number, in increasing
// order. A schema without any ends after its measures, exactly as before sections existed.
constexpr std::uint32_t cross_product_section = 1;

std::string canonical_encoding_of(const std::vector<dimension>& dims, const std::vector<outcome>& outs,
                                  const std::vector<numeric_measure>& nums,
                                  const std::vector<cross_product_variable>& cross_products) {
  canonical_writer w;
  w.text("jamstat-schema-v2");
  w.u32(static_cast<std::uint32_t>(dims.size()));
  for (const dimension& d : dims) {
    w.text(d.name());
    w.text(d.label_sv());
    w.text(d.label_en());
    w.u32(static_cast<std::uint32_t>(d.levels().size()));
    for (const level& l : d.levels()) {
      w.u32(static_cast<std::uint32_t>(l.code));
      w.text(l.label_sv);
      w.text(l.label_en);
    }
  }
  w.u32(static_cast<std::uint32_t>(outs.size()));
  for (const outcome& o : outs) {
    w.text(o.name);
    w.text(o.label_sv);
    w.text(o.label_en);
  }
  w.u32(static_cast<std::uint32_t>(nums.size()));
  for (const numeric_measure& m : nums) {
    w.text(m.name);
    w.text(m.unit);
    w.text(m.label_sv);
    w.text(m.label_en);
    w.u32(static_cast<std::uint32_t>(m.kind));
    w.u32(m.decimals);
    w.u32(static_cast<std::uint32_t>(m.off_grid));
    if (m.kind == measure_kind::decimal) {
      const double scale = std::pow(10.0, m.decimals);
      w.u64(static_cast<std::uint64_t>(std::llround(m.lowest * scale)));
      w.u64(static_cast<std::uint64_t>(std::llround(m.highest * scale)));
    } else {
      w.u64(std::bit_cast<std::uint64_t>(m.lowest));
      w.u64(std::bit_cast<std::uint64_t>(m.highest));
    }
  }
  if (!cross_products.empty()) {
    // Section 1, the cross-product set: its size, then per variable its source (0 outcome,
    // 1 measure) and index, in schema field order.
    w.u32(cross_product_section);
    w.u32(static_cast<std::uint32_t>(cross_products.size()));
    for (const cross_product_variable& v : cross_products) {
      w.u32(static_cast<std::uint32_t>(v.from));
      w.u32(static_cast<std::uint32_t>(v.index));
    }
  }
  return w.bytes();
}

std::string text_of(double x) {
  std::ostringstream out;
  out.precision(17);
  out << x;
  return out.str();
}

// Units of `value` on a grid of 10^-decimals when it is on the grid (within a double's
// representation error) and within the decimal limit, else nullopt.
std::optional<std::int64_t> grid_units(double value, double scale) {
  const double p = value * scale;
  if (!(std::fabs(p) <= static_cast<double>(numeric_measure::decimal_unit_limit))) return std::nullopt;
  const double r = std::nearbyint(p);
  if (std::fabs(p - r) > 4.0 * std::numeric_limits<double>::epsilon() * std::fabs(r)) return std::nullopt;
  return static_cast<std::int64_t>(r);
}

// Fills in the kind's widest range where a bound is NaN, checks the definition, and returns how
// the measure's values are checked.
measure_domain resolve(numeric_measure& m) {
  const std::string where = "numeric measure '" + m.name + "'";
  measure_domain d;
  d.kind = m.kind;
  d.off_grid = m.off_grid;
  if (m.kind != measure_kind::floating && m.kind != measure_kind::decimal)
    throw schema_error(where + ": unknown kind " + std::to_string(static_cast<int>(m.kind)));
  if (m.off_grid != off_grid_policy::reject && m.off_grid != off_grid_policy::round)
    throw schema_error(where + ": unknown off-grid policy " + std::to_string(static_cast<int>(m.off_grid)));
  if (m.kind == measure_kind::floating) {
    if (m.decimals != 0) throw schema_error(where + ": decimals are given, but the measure is floating (declare it decimal)");
    if (m.off_grid != off_grid_policy::reject) throw schema_error(where + ": an off-grid policy is given, but the measure is floating");
    const double limit = numeric_measure::floating_limit;
    if (std::isnan(m.lowest)) m.lowest = -limit;
    if (std::isnan(m.highest)) m.highest = limit;
    if (!(m.lowest >= -limit && m.highest <= limit))
      throw schema_error(where + ": range [" + text_of(m.lowest) + ", " + text_of(m.highest) +
                         "] is wider than a floating measure allows (|x| <= 1e140)");
    if (!(m.lowest <= m.highest))
      throw schema_error(where + ": range [" + text_of(m.lowest) + ", " + text_of(m.highest) + "] is empty");
    d.lowest = m.lowest;
    d.highest = m.highest;
    return d;
  }
  if (m.decimals > numeric_measure::max_decimals)
    throw schema_error(where + ": " + std::to_string(m.decimals) + " decimals; at most " +
                       std::to_string(numeric_measure::max_decimals) + " are allowed");
  d.decimals = m.decimals;
  d.scale = std::pow(10.0, m.decimals);  // exact for 0..9 decimals
  const std::int64_t limit = numeric_measure::decimal_unit_limit;
  if (std::isnan(m.lowest)) m.lowest = static_cast<double>(-limit) / d.scale;
  if (std::isnan(m.highest)) m.highest = static_cast<double>(limit) / d.scale;
  const auto lo = grid_units(m.lowest, d.scale), hi = grid_units(m.highest, d.scale);
  for (const auto& [bound, units] : {std::pair{m.lowest, lo}, std::pair{m.highest, hi}})
    if (!units)
      throw schema_error(where + ": range bound " + text_of(bound) + " is not on the grid of " +
                         std::to_string(m.decimals) + " decimals or exceeds the decimal limit of " +
                         std::to_string(limit) + " grid units");
  if (*lo > *hi) throw schema_error(where + ": range [" + text_of(m.lowest) + ", " + text_of(m.highest) + "] is empty");
  d.lowest_units = *lo;
  d.highest_units = *hi;
  // The bounds as the doubles nearest to their grid values, so that a schema read back from its
  // encoding (which stores grid units) compares equal.
  m.lowest = static_cast<double>(*lo) / d.scale;
  m.highest = static_cast<double>(*hi) / d.scale;
  d.lowest = m.lowest;
  d.highest = m.highest;
  return d;
}

std::uint64_t fingerprint_of(const std::string& b) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                     nullptr, 0);
  std::uint64_t fp = 0;
  for (int i = 7; i >= 0; --i) fp = (fp << 8) | digest[i];
  return fp;
}

// The cross-product set named by `names`, resolved against the schema's outcomes and measures and
// put in schema field order (see schema::schema).
std::vector<cross_product_variable> resolve_cross_products(const std::vector<std::string>& names,
                                                           const std::vector<dimension>& dims,
                                                           const std::vector<outcome>& outs,
                                                           const std::vector<numeric_measure>& nums,
                                                           const std::vector<measure_domain>& domains) {
  std::vector<cross_product_variable> out;
  if (names.empty()) return out;
  const std::string what = "cross-product set: ";
  if (names.size() < 2)
    throw schema_error(what + "it names only '" + text_for_message(names[0]) +
                       "'; name at least two variables (one variable's sum of squares is in the cells already)");
  if (names.size() > schema::max_cross_product_variables)
    throw schema_error(what + std::to_string(names.size()) + " variables; at most " +
                       std::to_string(schema::max_cross_product_variables) + " are allowed");
  for (const std::string& name : names) {
    const std::string quoted = "'" + text_for_message(name) + "'";
    cross_product_variable v;
    v.name = name;
    bool found = false;
    for (std::size_t o = 0; o < outs.size() && !found; ++o)
      if (outs[o].name == name) {
        v.from = cross_product_variable::source::outcome;
        v.index = o;
        found = true;
      }
    for (std::size_t m = 0; m < nums.size() && !found; ++m)
      if (nums[m].name == name) {
        if (domains[m].kind != measure_kind::decimal)
          throw schema_error(what + quoted +
                             " is a floating measure; cross-products are kept only for outcomes and decimal measures, "
                             "whose values are integers (in grid units), so that every sum of products is exact and "
                             "states merge byte-identically in any order. Declare it decimal (numeric_measure::decimal) "
                             "with its natural resolution");
        v.from = cross_product_variable::source::measure;
        v.index = m;
        v.decimals = domains[m].decimals;
        v.largest_magnitude = std::max(domains[m].lowest_units < 0 ? -domains[m].lowest_units : domains[m].lowest_units,
                                       domains[m].highest_units < 0 ? -domains[m].highest_units : domains[m].highest_units);
        found = true;
      }
    if (!found) {
      for (const dimension& d : dims)
        if (d.name() == name)
          throw schema_error(what + quoted +
                             " is a dimension; dimensions enter regressions as dummies computed from the cells, so name "
                             "only outcomes and decimal measures");
      throw schema_error(what + quoted + " is not an outcome or numeric measure of this schema");
    }
    for (const cross_product_variable& seen : out)
      if (seen.from == v.from && seen.index == v.index) throw schema_error(what + quoted + " is named twice");
    out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const cross_product_variable& a, const cross_product_variable& b) {
    return a.from != b.from ? a.from < b.from : a.index < b.index;
  });
  return out;
}

}  // namespace

schema::schema(std::vector<dimension> dimensions, std::vector<outcome> outcomes,
               std::vector<numeric_measure> numeric_measures, std::vector<std::string> cross_products)
    : outcomes_(std::move(outcomes)), numeric_measures_(std::move(numeric_measures)) {
  dimensions_.reserve(dimensions.size() + 1);
  dimensions_.push_back(iso5218::sex_dimension());
  // Names are unique ignoring ASCII case ("Sex" beside the built-in "sex", or "Region" beside
  // "region", would be told apart only by case in reports, CSV headers and bindings).
  auto folded = [](std::string name) {
    for (char& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return name;
  };
  std::set<std::string> names{iso5218::dimension_name, "person_id"};
  auto claim = [&](const std::string& kind, const std::string& name) {
    check_text(kind + " name", name, false);
    if (!names.insert(folded(name)).second)
      throw schema_error(kind + " name '" + text_for_message(name) +
                         "' is already used, ignoring case (\"sex\" and \"person_id\" are built in)");
  };
  for (dimension& d : dimensions) {
    claim("dimension", d.name());
    dimensions_.push_back(std::move(d));
  }
  for (const outcome& o : outcomes_) {
    claim("outcome", o.name);
    check_text("outcome '" + o.name + "' Swedish label", o.label_sv, true);
    check_text("outcome '" + o.name + "' English label", o.label_en, true);
  }
  for (numeric_measure& m : numeric_measures_) {
    claim("numeric measure", m.name);
    check_text("numeric measure '" + m.name + "' unit", m.unit, true);
    check_text("numeric measure '" + m.name + "' Swedish label", m.label_sv, true);
    check_text("numeric measure '" + m.name + "' English label", m.label_en, true);
    domains_.push_back(resolve(m));
  }
  constexpr std::uint64_t limit = std::uint64_t{1} << 63;
  for (const dimension& d : dimensions_) {
    if (finest_cell_count_ > limit / d.cardinality())
      throw schema_error("the finest grid of these dimensions has more than 2^63 cells");
    finest_cell_count_ *= d.cardinality();
  }
  cross_products_ = resolve_cross_products(cross_products, dimensions_, outcomes_, numeric_measures_, domains_);
  canonical_ = canonical_encoding_of(dimensions_, outcomes_, numeric_measures_, cross_products_);
  fingerprint_ = fingerprint_of(canonical_);
}

std::optional<std::size_t> schema::cross_product_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < cross_products_.size(); ++i)
    if (cross_products_[i].name == name) return i;
  return std::nullopt;
}

namespace {

class canonical_reader {
 public:
  explicit canonical_reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint32_t u32(const char* what) {
    if (bytes_.size() - pos_ < 4) fail(std::string("schema encoding truncated in ") + what);
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_ + static_cast<std::size_t>(i)]);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64(const char* what) {
    const std::uint64_t low = u32(what);
    return low | (std::uint64_t{u32(what)} << 32);
  }
  std::string text(const char* what) {
    const std::uint32_t n = u32(what);
    if (bytes_.size() - pos_ < n) fail(std::string("schema encoding truncated in ") + what);
    std::string out(bytes_.substr(pos_, n));
    pos_ += n;
    return out;
  }
  // A count of items each at least `min_item_bytes` long cannot exceed what is left.
  std::uint32_t count(const char* what, std::size_t min_item_bytes) {
    const std::uint32_t n = u32(what);
    if (n > (bytes_.size() - pos_) / min_item_bytes) {
      pos_ -= 4;
      fail(std::string("schema encoding: ") + what + " count " + std::to_string(n) + " exceeds the data");
    }
    return n;
  }
  bool at_end() const noexcept { return pos_ == bytes_.size(); }
  std::size_t position() const noexcept { return pos_; }
  /// Throws a schema_encoding_error at the current position (or `at`).
  [[noreturn]] void fail(const std::string& what) const { throw schema_encoding_error(what, pos_); }
  [[noreturn]] void fail_at(const std::string& what, std::size_t at) const { throw schema_encoding_error(what, at); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

schema schema::from_canonical_encoding(std::string_view bytes) {
  canonical_reader r(bytes);
  const std::string tag = r.text("tag");
  if (tag != "jamstat-schema-v1" && tag != "jamstat-schema-v2") r.fail_at("schema encoding: unknown tag", 4);
  const bool v1 = tag == "jamstat-schema-v1";
  const std::uint32_t n_dims = r.count("dimension", v1 ? 8 : 16);
  if (n_dims == 0) r.fail("schema encoding: no dimensions (sex must be the first)");
  std::vector<dimension> dims;
  for (std::uint32_t d = 0; d < n_dims; ++d) {
    const std::size_t dimension_start = r.position();
    std::string name = r.text("dimension name");
    std::string label_sv, label_en;
    if (!v1) {  // version 2 labels dimensions
      label_sv = r.text("dimension label");
      label_en = r.text("dimension label");
    }
    const std::uint32_t n_levels = r.count("level", 12);
    std::vector<level> levels;
    for (std::uint32_t l = 0; l < n_levels; ++l) {
      const std::uint32_t code = r.u32("level code");
      if (code > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
        r.fail_at("schema encoding: level code " + std::to_string(code) + " out of range", r.position() - 4);
      std::string sv = r.text("Swedish label");
      std::string en = r.text("English label");
      levels.push_back({static_cast<std::int32_t>(code), std::move(sv), std::move(en)});
    }
    std::optional<dimension> dim;
    try {
      dim.emplace(std::move(name), std::move(levels), std::move(label_sv), std::move(label_en));
    } catch (const schema_error& e) {
      r.fail_at(std::string("schema encoding: ") + e.what(), dimension_start);
    }
    if (d == 0) {
      // Version 1 had no dimension labels: its sex is the built-in one without them.
      const dimension& sex = iso5218::sex_dimension();
      if (v1 && dim->name() == sex.name() && dim->levels() == sex.levels()) continue;
      if (!(*dim == sex))
        r.fail_at("schema encoding: the first dimension is not the built-in ISO/IEC 5218 sex", dimension_start);
      continue;
    }
    dims.push_back(std::move(*dim));
  }
  std::vector<outcome> outs(r.count("outcome", 12));
  for (outcome& o : outs) {
    o.name = r.text("outcome name");
    o.label_sv = r.text("outcome label");
    o.label_en = r.text("outcome label");
  }
  std::vector<numeric_measure> nums(r.count("numeric measure", v1 ? 16 : 44));
  for (numeric_measure& m : nums) {
    const std::size_t measure_start = r.position();
    m.name = r.text("measure name");
    m.unit = r.text("measure unit");
    m.label_sv = r.text("measure label");
    m.label_en = r.text("measure label");
    if (v1) continue;  // version 1: floating, widest range (the defaults)
    const std::uint32_t kind = r.u32("measure kind"), decimals = r.u32("measure decimals");
    const std::uint32_t off_grid = r.u32("measure off-grid policy");
    const std::string what = "schema encoding: measure '" + text_for_message(m.name) + "' ";
    if (kind > 1) r.fail_at(what + "has unknown kind " + std::to_string(kind), r.position() - 12);
    if (decimals > numeric_measure::max_decimals) r.fail_at(what + "has " + std::to_string(decimals) + " decimals", r.position() - 8);
    if (off_grid > 1) r.fail_at(what + "has unknown off-grid policy " + std::to_string(off_grid), r.position() - 4);
    m.kind = static_cast<measure_kind>(kind);
    m.decimals = static_cast<std::uint8_t>(decimals);
    m.off_grid = static_cast<off_grid_policy>(off_grid);
    const std::uint64_t lo = r.u64("measure range"), hi = r.u64("measure range");
    if (m.kind == measure_kind::decimal) {
      const auto lo_units = static_cast<std::int64_t>(lo), hi_units = static_cast<std::int64_t>(hi);
      const std::int64_t limit = numeric_measure::decimal_unit_limit;
      if (lo_units < -limit || lo_units > limit || hi_units < -limit || hi_units > limit)
        r.fail_at(what + "has a range beyond the decimal limit", r.position() - 16);
      const double scale = std::pow(10.0, m.decimals);
      m.lowest = static_cast<double>(lo_units) / scale;
      m.highest = static_cast<double>(hi_units) / scale;
    } else {
      m.lowest = std::bit_cast<double>(lo);
      m.highest = std::bit_cast<double>(hi);
      if (std::isnan(m.lowest) || std::isnan(m.highest)) r.fail_at(what + "has a NaN range bound", r.position() - 16);
    }
    (void)measure_start;
  }
  // Optional sections (version 2 only): this version knows section 1, the cross-product set.
  std::vector<std::string> cross_products;
  if (!v1 && !r.at_end()) {
    const std::size_t section_start = r.position();
    const std::uint32_t section = r.u32("section number");
    if (section != cross_product_section)
      r.fail_at("schema encoding: unknown section " + std::to_string(section) +
                    " (this version knows section 1, the cross-product set)",
                section_start);
    const std::size_t set_start = r.position();
    const std::uint32_t n = r.count("cross-product variable", 8);
    if (n < 2 || n > max_cross_product_variables)
      r.fail_at("schema encoding: a cross-product set of " + std::to_string(n) + " variables (2 to " +
                    std::to_string(max_cross_product_variables) + " are allowed)",
                set_start);
    std::uint64_t previous = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::size_t variable_start = r.position();
      const std::uint32_t source = r.u32("cross-product variable"), index = r.u32("cross-product variable");
      if (source > 1)
        r.fail_at("schema encoding: cross-product variable of unknown source " + std::to_string(source), variable_start);
      const std::uint64_t key = (std::uint64_t{source} << 32) | index;
      if (i > 0 && key <= previous)
        r.fail_at("schema encoding: the cross-product set is not in schema field order (outcomes, then measures, each "
                  "named once)",
                  variable_start);
      previous = key;
      const std::size_t available = source == 0 ? outs.size() : nums.size();
      if (index >= available)
        r.fail_at(std::string("schema encoding: cross-product variable: ") + (source == 0 ? "outcome " : "measure ") +
                      std::to_string(index) + " does not exist (the schema has " + std::to_string(available) + ")",
                  variable_start);
      cross_products.push_back(source == 0 ? outs[index].name : nums[index].name);
    }
  }
  if (!r.at_end()) r.fail("schema encoding: trailing bytes");
  try {
    return schema(std::move(dims), std::move(outs), std::move(nums), std::move(cross_products));
  } catch (const schema_encoding_error&) {
    throw;
  } catch (const schema_error& e) {  // a definition that does not hold as a whole (names, ranges, grid)
    r.fail_at(std::string("schema encoding: ") + e.what(), 0);
  }
}

std::uint64_t schema::fingerprint_of_encoding(std::string_view bytes) noexcept { return fingerprint_of(std::string(bytes)); }

std::optional<std::size_t> schema::dimension_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < dimensions_.size(); ++i)
    if (dimensions_[i].name() == name) return i;
  return std::nullopt;
}

const std::string& schema::field_name(std::size_t f) const {
  static const std::string person_id = "person_id";
  if (f < dimensions_.size()) return dimensions_[f].name();
  f -= dimensions_.size();
  if (f < outcomes_.size()) return outcomes_[f].name;
  f -= outcomes_.size();
  if (f < numeric_measures_.size()) return numeric_measures_[f].name;
  if (f == numeric_measures_.size()) return person_id;
  throw usage_error("field index " + std::to_string(f) + " is out of range");
}

}  // namespace jamstat
