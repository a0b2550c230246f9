// The schema: which dimensions and measures a state aggregates, with a stable fingerprint.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jamstat/engine/dimension.hpp"
#include "jamstat/engine/measure.hpp"

namespace jamstat {

/// How the values of one numeric measure are checked and accumulated: its definition resolved
/// (default range filled in, decimal range in grid units).
struct measure_domain {
  measure_kind kind = measure_kind::floating;
  unsigned decimals = 0;                            ///< decimal: grid 10^-decimals
  double scale = 1.0;                               ///< 10^decimals (exact)
  off_grid_policy off_grid = off_grid_policy::reject;
  double lowest = -numeric_measure::floating_limit;  ///< valid range, values
  double highest = numeric_measure::floating_limit;
  std::int64_t lowest_units = 0;   ///< decimal: the range in grid units
  std::int64_t highest_units = 0;
};

/// One variable of a schema's cross-product set (see schema, "cross-product set"): an outcome
/// (values 0 / 1) or a decimal numeric measure (values in grid units), so that every product of two
/// values is an integer and every sum of products exact.
struct cross_product_variable {
  enum class source : std::uint8_t { outcome = 0, measure = 1 };
  source from = source::outcome;
  std::size_t index = 0;  ///< the outcome's or the numeric measure's index in the schema
  std::string name;       ///< the outcome's or measure's name
  unsigned decimals = 0;  ///< a measure's decimals (its grid is 10^-decimals); 0 for an outcome
  /// The largest |value| in grid units the variable can take: 1 for an outcome, max(|lowest|,
  /// |highest|) of a measure's range (at most 2^31 - 1). Bounds every product: see docs/engine.md.
  std::int64_t largest_magnitude = 1;
  friend bool operator==(const cross_product_variable&, const cross_product_variable&) = default;
};

/// An immutable schema. Dimension 0 is always the built-in ISO/IEC 5218 `sex`; the caller's
/// dimensions follow in the order given. The *fields* of a schema, used to name where bad input
/// was found, are numbered: dimensions, then outcomes, then numeric measures, then person_id.
class schema {
 public:
  /// Builds a schema; throws schema_error when a name is empty, repeated (across dimensions,
  /// outcomes and measures), is "sex" for a caller's dimension, or is not valid UTF-8, when
  /// the finest grid would have more than 2^63 cells, and when a numeric measure's definition is
  /// invalid (decimals above numeric_measure::max_decimals, a range that is empty, not finite,
  /// wider than the kind allows or, for a decimal measure, not on its grid). A measure's NaN
  /// range bounds are replaced by the kind's widest: numeric_measures() holds resolved ranges.
  ///
  /// `cross_products` names the schema's *cross-product set* (regression variables): outcomes and
  /// decimal measures whose exact sums of products Σ z_i z_j (i <= j) the aggregator keeps per sex,
  /// so that regressions on numeric characteristics (age in years, days in support) can be fitted
  /// from the state (docs/engine.md, "Cross-products"). Empty (the default): none are kept, and
  /// the schema encodes exactly as a schema without the feature. A set is a set: the variables are
  /// kept in schema field order (outcomes, then measures) whatever order they are named in. Throws
  /// schema_error when a name is not an outcome or measure of this schema (dimensions enter
  /// regressions as dummies from the cells), is named twice, or is a floating measure (only
  /// integer-valued variables keep every sum exact and states byte-identical), and when the set
  /// has fewer than 2 or more than max_cross_product_variables variables.
  schema(std::vector<dimension> dimensions, std::vector<outcome> outcomes,
         std::vector<numeric_measure> numeric_measures, std::vector<std::string> cross_products = {});

  /// Most variables a cross-product set may have: 16 (136 sums per sex; each participation costs
  /// one multiply-add per pair).
  static constexpr std::size_t max_cross_product_variables = 16;

  /// All dimensions, sex first.
  const std::vector<dimension>& dimensions() const noexcept { return dimensions_; }
  const std::vector<outcome>& outcomes() const noexcept { return outcomes_; }
  const std::vector<numeric_measure>& numeric_measures() const noexcept { return numeric_measures_; }

  /// How numeric measure `m`'s values are checked and accumulated.
  const measure_domain& domain(std::size_t m) const noexcept { return domains_[m]; }

  /// The cross-product set in schema field order (outcomes, then measures); empty when none is kept.
  const std::vector<cross_product_variable>& cross_product_variables() const noexcept { return cross_products_; }
  /// True when the schema keeps cross-products.
  bool keeps_cross_products() const noexcept { return !cross_products_.empty(); }
  /// Position of the outcome or measure called `name` in the cross-product set, or nullopt.
  std::optional<std::size_t> cross_product_index(std::string_view name) const noexcept;

  /// Index of the dimension called `name`, or nullopt.
  std::optional<std::size_t> dimension_index(std::string_view name) const noexcept;

  /// Number of cells of the finest grid (product of all cardinalities).
  std::uint64_t finest_cell_count() const noexcept { return finest_cell_count_; }

  /// 64-bit fingerprint of the full definition (names, codes, labels, units, order): the first
  /// 8 bytes (little-endian) of BLAKE2b-128 over a canonical encoding. Equal schemas, and only
  /// those (up to hash collisions), have equal fingerprints, on every platform and version.
  std::uint64_t fingerprint() const noexcept { return fingerprint_; }

  /// The canonical encoding of the full definition that the fingerprint hashes and the state
  /// format embeds (see docs/state-format.md): tag "jamstat-schema-v2", then u32 little-endian
  /// counts and codes, u32-length-prefixed UTF-8 strings, and per numeric measure its kind,
  /// resolution, off-grid policy and range; then, only when the schema keeps cross-products, the
  /// cross-product set as section 1 (a schema without one encodes exactly as before it existed).
  const std::string& canonical_encoding() const noexcept { return canonical_; }
  /// Rebuilds a schema from canonical encoding bytes: "jamstat-schema-v2", or the
  /// "jamstat-schema-v1" of version-1 states (whose numeric measures were all floating with the
  /// widest range). Throws schema_error saying what is wrong (truncated, wrong tag, sex not the
  /// built-in dimension, any invalid definition).
  static schema from_canonical_encoding(std::string_view bytes);
  /// The fingerprint of canonical encoding bytes (of either version).
  static std::uint64_t fingerprint_of_encoding(std::string_view bytes) noexcept;

  /// Number of fields: dimensions + outcomes + numeric measures + 1 (person_id).
  std::size_t field_count() const noexcept {
    return dimensions_.size() + outcomes_.size() + numeric_measures_.size() + 1;
  }
  std::size_t outcome_field(std::size_t o) const noexcept { return dimensions_.size() + o; }
  std::size_t numeric_field(std::size_t m) const noexcept {
    return dimensions_.size() + outcomes_.size() + m;
  }
  std::size_t person_id_field() const noexcept { return field_count() - 1; }
  /// Name of field `f` ("sex", "education", "hours", "person_id").
  const std::string& field_name(std::size_t f) const;

  friend bool operator==(const schema& a, const schema& b) noexcept {
    return a.fingerprint_ == b.fingerprint_ && a.dimensions_ == b.dimensions_ &&
           a.outcomes_ == b.outcomes_ && a.numeric_measures_ == b.numeric_measures_ &&
           a.cross_products_ == b.cross_products_;
  }

 private:
  std::vector<dimension> dimensions_;
  std::vector<outcome> outcomes_;
  std::vector<numeric_measure> numeric_measures_;
  std::vector<measure_domain> domains_;
  std::vector<cross_product_variable> cross_products_;
  std::uint64_t finest_cell_count_ = 1;
  std::uint64_t fingerprint_ = 0;
  std::string canonical_;
};

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace jamstat
