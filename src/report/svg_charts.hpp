// Inline SVG charts of the HTML report (internal): horizontal bar and dot-with-interval charts,
// the strata heat map. Plain SVG 1.1 elements inside HTML5 (no namespace declaration, no script,
// no external reference); each chart has a <title> and a <desc> for screen readers, and every
// mark a <title> with its value.
#pragma once

#include <string>
#include <vector>

#include "jamstat/report/report_model.hpp"

namespace jamstat::report::detail {

/// The colour-blind-safe palette (Okabe and Ito 2008, "Color universal design").
namespace palette {
inline constexpr const char* women = "#D55E00";      // vermillion
inline constexpr const char* men = "#0072B2";        // blue
inline constexpr const char* other = "#7F7F7F";      // grey: the other sex codes
inline constexpr const char* total = "#333333";
inline constexpr const char* explained = "#009E73";  // bluish green
inline constexpr const char* unexplained = "#CC79A7";  // reddish purple
inline constexpr const char* flagged = "#E69F00";    // orange
}  // namespace palette

/// One series of a chart: a sex, or the one series of a single-series chart.
struct chart_series {
  std::string name;
  std::string colour;
  char marker = 'o';  ///< dot charts: 'o' circle, 's' square, 'd' diamond
  std::vector<shown_value> values;  ///< one per category
};

/// A horizontal chart: one band per category, one bar or dot per series.
struct chart_spec {
  std::string id;           ///< unique in the page (ids of the title and desc elements)
  std::string title;
  std::string description;  ///< what the chart shows, for screen readers
  std::vector<std::string> categories;
  std::vector<bool> emphasised;  ///< categories drawn in bold (e.g. flagged strata, the total)
  std::vector<std::string> category_colours;  ///< single-series bar charts: a colour per category
  std::vector<chart_series> series;
  bool dots = false;       ///< dots with interval whiskers instead of bars
  bool whiskers = false;   ///< bars: draw the intervals too
  bool value_labels = true;
  value_kind kind = value_kind::count;
  int decimals = 0;
  std::string unit;        ///< axis unit ("%", "h")
  language lang = language::sv;
  double axis_min = 0.0;   ///< NaN: from the data
  double axis_max = std::numeric_limits<double>::quiet_NaN();  ///< NaN: from the data
  std::string axis_label;
};

/// The chart as an <svg> element.
std::string horizontal_chart(const chart_spec& spec);

/// The strata heat map as an <svg> element: a diverging scale from men's colour (men's share
/// higher) through white to women's colour (women's share higher); clear differences in bold; `..`
/// where suppressed.
std::string heat_map_chart(const heat_map& map, const std::vector<sex_column>& sexes, language lang);

/// Text escaped for XML and HTML (&, <, >, ").
std::string escape(std::string_view text);

}  // namespace jamstat::report::detail
