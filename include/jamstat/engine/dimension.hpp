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

/// A categorical dimension. Codes are non-negative, unique and span at most `max_code_span`
/// values from the smallest to the largest. A code is looked up in a dense table when the span is
/// small next to the number of levels (at most `dense_span_per_level` x levels + 4,096), and by
/// binary search over the sorted codes otherwise, so a dimension's memory is proportional to its
/// levels, never to its span (two levels coded 0 and 1,048,575 cost a few bytes, not 4 MiB).
/// Levels keep the order they were given in: a level's *index* is its position, used by roll-up
/// results.
class dimension {
 public:
  /// Largest allowed (max code - min code + 1).
  static constexpr std::int64_t max_code_span = std::int64_t{1} << 20;
  /// Largest number of levels of one dimension.
  static constexpr std::size_t max_levels = 65535;
  /// Sentinel: "this value is missing" in record and column input.
  static constexpr std::int32_t missing_code = -1;
  /// A dense code table is used while span <= dense_span_per_level x levels + 4,096.
  static constexpr std::int64_t dense_span_per_level = 16;

  /// Builds a dimension; throws jamstat::schema_error naming the dimension and the level when
  /// the name or a label is empty or not valid UTF-8, a code is negative or repeated, the
  /// level list is empty or too long, or the codes span too wide a range. `label_sv` and
  /// `label_en` name the dimension in reports ("Åldersgrupp" / "Age band"); empty means "use the
  /// name".
  dimension(std::string name, std::vector<level> levels, std::string label_sv = {}, std::string label_en = {});

  const std::string& name() const noexcept { return name_; }
  /// The dimension's Swedish / English label as given (possibly empty).
  const std::string& label_sv() const noexcept { return label_sv_; }
  const std::string& label_en() const noexcept { return label_en_; }
  /// The label to show: the Swedish or English label, or the name when that label is empty.
  const std::string& display_label(bool english) const noexcept {
    const std::string& l = english ? label_en_ : label_sv_;
    return l.empty() ? name_ : l;
  }
  const std::vector<level>& levels() const noexcept { return levels_; }
  std::size_t cardinality() const noexcept { return levels_.size(); }

  /// Level index of `code`, or nullopt when `code` is not one of the levels.
  std::optional<std::size_t> index_of(std::int64_t code) const noexcept {
    if (!index_by_offset_.empty()) {
      const std::int64_t offset = code - min_code_;
      if (offset < 0 || offset >= static_cast<std::int64_t>(index_by_offset_.size())) return std::nullopt;
      const std::uint32_t index = index_by_offset_[static_cast<std::size_t>(offset)];
      if (index == no_level) return std::nullopt;
      return index;
    }
    return sparse_index_of(code);
  }

  /// Smallest code; together with code_lookup() this is the dense table the hot path uses.
  std::int32_t min_code() const noexcept { return min_code_; }
  /// code_lookup()[code - min_code()] = level index, or no_level; empty when the codes are too
  /// sparse for a dense table (then use index_of).
  const std::vector<std::uint32_t>& code_lookup() const noexcept { return index_by_offset_; }
  static constexpr std::uint32_t no_level = 0xFFFFFFFFu;

  /// The codes as a readable list for error messages, at most `shown` of them ("0, 1, 2, 9";
  /// "0, 1, 2, 3, 4, ... and 65,530 more").
  std::string codes_list(std::size_t shown = 12) const;

  friend bool operator==(const dimension& a, const dimension& b) {
    return a.name_ == b.name_ && a.levels_ == b.levels_ && a.label_sv_ == b.label_sv_ && a.label_en_ == b.label_en_;
  }

 private:
  std::optional<std::size_t> sparse_index_of(std::int64_t code) const noexcept;

  std::string name_;
  std::vector<level> levels_;
  std::string label_sv_, label_en_;
  std::int32_t min_code_ = 0;
  std::vector<std::uint32_t> index_by_offset_;                   // dense table, or empty
  std::vector<std::pair<std::int32_t, std::uint32_t>> sorted_;  // (code, level index) by code, when sparse
};

}  // namespace jamstat
