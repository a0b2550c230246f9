// A categorical dimension: a name and a fixed list of levels (code + Swedish and English label).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jamstat {

/// One level of a dimension: the integer code found in the data and its two labels.
struct level {
  std::int32_t code = 0;
  std::string label_sv;  ///< Swedish label, shown by default (e.g. "Kvinnor")
  std::string label_en;  ///< English label (e.g. "Women")
  friend bool operator==(const level&, const level&) = default;
};

/// A categorical dimension. Codes are non-negative, unique and span at most
/// `max_code_span` values from the smallest to the largest (so a code is looked up in a
/// dense table, never in a hash map). Levels keep the order they were given in: a level's
/// *index* is its position, used by roll-up results.
class dimension {
 public:
  /// Largest allowed (max code - min code + 1).
  static constexpr std::int64_t max_code_span = std::int64_t{1} << 20;
  /// Largest number of levels of one dimension.
  static constexpr std::size_t max_levels = 65535;
  /// Sentinel: "this value is missing" in record and column input.
  static constexpr std::int32_t missing_code = -1;

  /// Builds a dimension; throws jamstat::schema_error naming the dimension and the level when
  /// the name or a label is empty or not valid UTF-8, a code is negative or repeated, the
  /// level list is empty or too long, or the codes span too wide a range.
  dimension(std::string name, std::vector<level> levels);

  const std::string& name() const noexcept { return name_; }
  const std::vector<level>& levels() const noexcept { return levels_; }
  std::size_t cardinality() const noexcept { return levels_.size(); }

  /// Level index of `code`, or nullopt when `code` is not one of the levels.
  std::optional<std::size_t> index_of(std::int64_t code) const noexcept {
    const std::int64_t offset = code - min_code_;
    if (offset < 0 || offset >= static_cast<std::int64_t>(index_by_offset_.size())) return std::nullopt;
    const std::uint32_t index = index_by_offset_[static_cast<std::size_t>(offset)];
    if (index == no_level) return std::nullopt;
    return index;
  }

  /// Smallest code; together with code_lookup() this is the dense table the hot path uses.
  std::int32_t min_code() const noexcept { return min_code_; }
  /// code_lookup()[code - min_code()] = level index, or no_level.
  const std::vector<std::uint32_t>& code_lookup() const noexcept { return index_by_offset_; }
  static constexpr std::uint32_t no_level = 0xFFFFFFFFu;

  /// The codes as a readable list ("0, 1, 2, 9"), for error messages.
  std::string codes_list() const;

  friend bool operator==(const dimension& a, const dimension& b) {
    return a.name_ == b.name_ && a.levels_ == b.levels_;
  }

 private:
  std::string name_;
  std::vector<level> levels_;
  std::int32_t min_code_ = 0;
  std::vector<std::uint32_t> index_by_offset_;
};

}  // namespace jamstat
