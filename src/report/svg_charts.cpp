#include "svg_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "presentation.hpp"

namespace jamstat::report::detail {

namespace {

constexpr double chart_width = 860.0;
constexpr double char_width = 7.0;  // average advance of a 13 px sans-serif character

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (const unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string px(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

// A step of 1, 2, 2.5 or 5 times a power of ten giving about `ticks` intervals over `range`.
double nice_step(double range, int ticks) {
  if (!(range > 0.0)) return 1.0;
  const double raw = range / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10.0 * power;
}

std::string value_text(const shown_value& v, const chart_spec& s) {
  return shown_text(v, s.kind, s.decimals, s.lang, s.kind == value_kind::amount ? "" : s.unit,
                    s.kind == value_kind::percentage_points);
}

std::string mark_title(const std::string& category, const chart_series& series, const shown_value& v, const chart_spec& s) {
  std::string out = category;
  if (!series.name.empty()) out += ", " + series.name;
  out += ": " + value_text(v, s);
  const std::string ci = interval_text(v, s.kind == value_kind::percent ? value_kind::amount : s.kind, s.decimals, s.lang);
  if (!ci.empty()) out += " (" + ci + ")";
  return escape(out);
}

std::string marker(char shape, double x, double y, const std::string& colour, const std::string& title) {
  std::string t = "<title>" + title + "</title>";
  if (shape == 's')
    return "<rect x=\"" + px(x - 5) + "\" y=\"" + px(y - 5) + "\" width=\"10\" height=\"10\" fill=\"" + colour +
           "\" stroke=\"#fff\" stroke-width=\"1\">" + t + "</rect>";
  if (shape == 'd')
    return "<path d=\"M" + px(x) + " " + px(y - 6.5) + "L" + px(x + 6.5) + " " + px(y) + "L" + px(x) + " " + px(y + 6.5) +
           "L" + px(x - 6.5) + " " + px(y) + "Z\" fill=\"" + colour + "\" stroke=\"#fff\" stroke-width=\"1\">" + t + "</path>";
  return "<circle cx=\"" + px(x) + "\" cy=\"" + px(y) + "\" r=\"5.5\" fill=\"" + colour +
         "\" stroke=\"#fff\" stroke-width=\"1\">" + t + "</circle>";
}

std::string legend(const std::vector<chart_series>& series, bool dots, double x, double y) {
  std::string out;
  for (const chart_series& s : series) {
    if (dots) out += marker(s.marker, x + 6, y, s.colour, escape(s.name));
    else out += "<rect x=\"" + px(x) + "\" y=\"" + px(y - 6) + "\" width=\"12\" height=\"12\" fill=\"" + s.colour + "\"/>";
    out += "<text x=\"" + px(x + 18) + "\" y=\"" + px(y + 4.5) + "\" class=\"lg\">" + escape(s.name) + "</text>";
    x += 30 + static_cast<double>(code_points(s.name)) * char_width;
  }
  return out;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string horizontal_chart(const chart_spec& s) {
  // The axis: from the data (values and interval bounds) unless given.
  double lo = s.axis_min, hi = s.axis_max;
  double data_lo = 0.0, data_hi = 0.0;
  for (const chart_series& series : s.series)
    for (const shown_value& v : series.values)
      for (const double x : {v.value, v.lower, v.upper})
        if (std::isfinite(x) && !is_suppressed(v.status)) {
          data_lo = std::min(data_lo, x);
          data_hi = std::max(data_hi, x);
        }
  if (std::isnan(lo)) lo = data_lo;
  if (std::isnan(hi)) hi = data_hi;
  if (!(hi > lo)) hi = lo + 1.0;
  const double step = nice_step(hi - lo, 5);
  lo = std::floor(lo / step + 1e-9) * step;
  hi = std::ceil(hi / step - 1e-9) * step;
  if (!(hi > lo)) hi = lo + step;

  std::size_t longest = 0;
  for (const std::string& c : s.categories) longest = std::max(longest, code_points(c));
  const double label_width = std::clamp(12.0 + static_cast<double>(longest) * char_width, 90.0, 330.0);
  const double x0 = label_width + 10.0;
  const double x1 = chart_width - (s.value_labels ? 86.0 : 24.0);
  const auto x_of = [&](double v) { return x0 + (std::clamp(v, lo, hi) - lo) / (hi - lo) * (x1 - x0); };
  const double bar_height = 13.0;
  const double band = s.dots ? 16.0 + 9.0 * static_cast<double>(s.series.size())
                             : 12.0 + (bar_height + 2.0) * static_cast<double>(s.series.size());
  const double top = s.series.size() > 1 ? 34.0 : 10.0;
  const double height = top + band * static_cast<double>(s.categories.size()) + 40.0;

  std::string out = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + px(chart_width) + " " + px(height) + "\" width=\"" +
                    px(chart_width) + "\" height=\"" + px(height) + "\" aria-labelledby=\"" + s.id + "-t " + s.id + "-d\">";
  out += "<title id=\"" + s.id + "-t\">" + escape(s.title) + "</title>";
  out += "<desc id=\"" + s.id + "-d\">" + escape(s.description) + "</desc>";
  if (s.series.size() > 1) out += legend(s.series, s.dots, x0, 14.0);

  // Grid and axis.
  const double axis_y = top + band * static_cast<double>(s.categories.size());
  for (int i = 0;; ++i) {
    const double v = lo + i * step;
    if (v > hi + step * 1e-6) break;
    const double x = x_of(v);
    const bool zero = std::fabs(v) < step * 1e-6;
    out += "<line x1=\"" + px(x) + "\" y1=\"" + px(top - 4) + "\" x2=\"" + px(x) + "\" y2=\"" + px(axis_y) + "\" class=\"" +
           (zero ? "zero" : "grid") + "\"/>";
    std::string tick = format_number(v, step < 1.0 ? (step < 0.1 ? 2 : 1) : 0, s.lang, s.kind == value_kind::percentage_points);
    out += "<text x=\"" + px(x) + "\" y=\"" + px(axis_y + 16) + "\" class=\"tick\">" + escape(tick) + "</text>";
  }
  std::string axis_label = s.axis_label;
  if (axis_label.empty()) axis_label = s.unit;
  if (!axis_label.empty())
    out += "<text x=\"" + px(x1) + "\" y=\"" + px(axis_y + 33) + "\" class=\"axis\">" + escape(axis_label) + "</text>";

  for (std::size_t c = 0; c < s.categories.size(); ++c) {
    const double y0 = top + band * static_cast<double>(c);
    const bool bold = c < s.emphasised.size() && s.emphasised[c];
    if (c % 2 == 1)
      out += "<rect x=\"0\" y=\"" + px(y0) + "\" width=\"" + px(chart_width) + "\" height=\"" + px(band) + "\" class=\"band\"/>";
    out += "<text x=\"" + px(label_width) + "\" y=\"" + px(y0 + band / 2 + 4.5) + "\" class=\"cat" + (bold ? " em" : "") +
           "\">" + escape(s.categories[c]) + "</text>";
    for (std::size_t k = 0; k < s.series.size(); ++k) {
      const chart_series& series = s.series[k];
      if (c >= series.values.size()) continue;
      const shown_value& v = series.values[c];
      const std::string colour = c < s.category_colours.size() ? s.category_colours[c] : series.colour;
      const double y = s.dots ? y0 + 8.0 + 9.0 * static_cast<double>(k) + 4.5
                              : y0 + 6.0 + (bar_height + 2.0) * static_cast<double>(k);
      const std::string title = mark_title(s.categories[c], series, v, s);
      if (is_suppressed(v.status) || std::isnan(v.value)) {
        out += "<text x=\"" + px(x_of(std::max(lo, 0.0)) + 4) + "\" y=\"" + px(s.dots ? y + 4 : y + 10.5) +
               "\" class=\"na\"><title>" + title + "</title>" + (is_suppressed(v.status) ? ".." : "\u2013") + "</text>";
        continue;
      }
      double right = x_of(v.value);
      if (s.dots || s.whiskers) {
        if (std::isfinite(v.lower) && std::isfinite(v.upper)) {
          const double wy = s.dots ? y : y + bar_height / 2;
          out += "<line x1=\"" + px(x_of(v.lower)) + "\" y1=\"" + px(wy) + "\" x2=\"" + px(x_of(v.upper)) + "\" y2=\"" + px(wy) +
                 "\" stroke=\"" + (s.dots ? colour : std::string("#222")) + "\" class=\"ci\"/>";
          for (const double b : {v.lower, v.upper})
            out += "<line x1=\"" + px(x_of(b)) + "\" y1=\"" + px(wy - 4) + "\" x2=\"" + px(x_of(b)) + "\" y2=\"" + px(wy + 4) +
                   "\" stroke=\"" + (s.dots ? colour : std::string("#222")) + "\" class=\"ci\"/>";
          right = std::max(right, x_of(v.upper));
        }
      }
      if (s.dots) {
        out += marker(series.marker, x_of(v.value), y, colour, title);
      } else {
        const double a = x_of(std::max(lo, std::min(0.0, hi))), b = x_of(v.value);
        out += "<rect x=\"" + px(std::min(a, b)) + "\" y=\"" + px(y) + "\" width=\"" + px(std::max(std::fabs(b - a), 1.0)) +
               "\" height=\"" + px(bar_height) + "\" fill=\"" + colour + "\"><title>" + title + "</title></rect>";
      }
      if (s.value_labels)
        out += "<text x=\"" + px(right + 5) + "\" y=\"" + px(s.dots ? y + 4 : y + 10.5) + "\" class=\"val\">" +
               escape(value_text(v, s)) + "</text>";
    }
  }
  out += "</svg>";
  return out;
}

namespace {

std::string mix(const char* to, double t) {
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(to + 1, "%2x%2x%2x", &r, &g, &b);
  const auto channel = [t](unsigned c) { return static_cast<unsigned>(std::lround(255.0 + (static_cast<double>(c) - 255.0) * t)); };
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02X%02X%02X", channel(r) & 0xFF, channel(g) & 0xFF, channel(b) & 0xFF);
  return buffer;
}

std::string gap_colour(double gap, double scale) {
  const double t = std::clamp(gap / scale, -1.0, 1.0);
  return t >= 0 ? mix(palette::women, t) : mix(palette::men, -t);
}

}  // namespace

std::string heat_map_chart(const heat_map& h, const std::vector<sex_column>& sexes, language lang) {
  double largest = 0.0;
  for (const heat_cell& c : h.cells)
    if (c.present && std::isfinite(c.gap.value)) largest = std::max(largest, std::fabs(c.gap.value));
  const double scale = std::max(5.0, std::ceil(largest / 5.0) * 5.0);
  std::size_t row_chars = code_points(h.row_dimension), column_chars = 0;
  for (const std::string& r : h.row_labels) row_chars = std::max(row_chars, code_points(r));
  for (const std::string& c : h.column_labels) column_chars = std::max(column_chars, code_points(c));
  const double label_width = std::clamp(14.0 + static_cast<double>(row_chars) * char_width, 90.0, 360.0);
  const double cell_width = std::clamp(18.0 + static_cast<double>(column_chars) * 6.6, 84.0, 180.0);
  const double cell_height = 32.0;
  const double top = h.column_dimension.empty() ? 30.0 : 50.0;
  const double columns = static_cast<double>(h.column_labels.size());
  const double rows = static_cast<double>(h.row_labels.size());
  const double width = std::max(label_width + cell_width * columns + 20.0, 520.0);
  const double height = top + cell_height * rows + 62.0;
  const std::string id = "heat";

  std::string out = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + px(width) + " " + px(height) + "\" width=\"" +
                    px(width) + "\" height=\"" + px(height) + "\" aria-labelledby=\"" + id + "-t " + id + "-d\">";
  out += "<title id=\"" + id + "-t\">" + escape(h.title) + "</title>";
  out += "<desc id=\"" + id + "-d\">" +
         escape(tr(lang, "Kvinnors andel minus mäns andel i procentenheter per grupp; ",
                   "Women's share minus men's share in percentage points per group; ") +
                h.row_dimension + (h.column_dimension.empty() ? "" : " × " + h.column_dimension)) +
         "</desc>";
  if (!h.column_dimension.empty())
    out += "<text x=\"" + px(label_width + cell_width * columns / 2) + "\" y=\"16\" class=\"hd\">" + escape(h.column_dimension) +
           "</text>";
  out += "<text x=\"" + px(label_width - 8) + "\" y=\"" + px(top - 10) + "\" class=\"cat em\">" + escape(h.row_dimension) + "</text>";
  for (std::size_t c = 0; c < h.column_labels.size(); ++c)
    out += "<text x=\"" + px(label_width + cell_width * (static_cast<double>(c) + 0.5)) + "\" y=\"" + px(top - 10) +
           "\" class=\"colh\">" + escape(h.column_labels[c]) + "</text>";
  for (std::size_t r = 0; r < h.row_labels.size(); ++r) {
    const double y = top + cell_height * static_cast<double>(r);
    out += "<text x=\"" + px(label_width - 8) + "\" y=\"" + px(y + cell_height / 2 + 4.5) + "\" class=\"cat\">" +
           escape(h.row_labels[r]) + "</text>";
    for (std::size_t c = 0; c < h.column_labels.size(); ++c) {
      const heat_cell& cell = h.cells[r * h.column_labels.size() + c];
      const double x = label_width + cell_width * static_cast<double>(c);
      std::string fill = "#F2F2F2", text, title = h.row_labels[r] + (h.column_dimension.empty() ? "" : " · " + h.column_labels[c]) + ": ";
      bool dark = false;
      if (!cell.present) {
        text = "";
        title += tr(lang, "inga deltaganden", "no participations");
      } else if (is_suppressed(cell.gap.status)) {
        text = "..";
        title += tr(lang, "visas inte (skydd)", "not shown (protection)");
      } else if (std::isnan(cell.gap.value)) {
        text = "\u2013";
        title += tr(lang, "kan inte beräknas", "cannot be computed");
      } else {
        fill = gap_colour(cell.gap.value, scale);
        dark = std::fabs(cell.gap.value) / scale > 0.55;
        text = shown_text(cell.gap, value_kind::percentage_points, 1, lang, {}, true);
        title += sexes[0].label + " " + shown_text(cell.women, value_kind::percent, 1, lang) + ", " + sexes[1].label + " " +
                 shown_text(cell.men, value_kind::percent, 1, lang) + "; " + text + " " +
                 tr(lang, "procentenheter", "percentage points") +
                 (cell.clear ? tr(lang, " (tydlig skillnad)", " (clear difference)") : "");
      }
      out += "<rect x=\"" + px(x + 1) + "\" y=\"" + px(y + 1) + "\" width=\"" + px(cell_width - 2) + "\" height=\"" +
             px(cell_height - 2) + "\" fill=\"" + fill + "\"" + (cell.clear ? " stroke=\"#000\" stroke-width=\"2\"" : "") +
             "><title>" + escape(title) + "</title></rect>";
      if (!text.empty())
        out += "<text x=\"" + px(x + cell_width / 2) + "\" y=\"" + px(y + cell_height / 2 + 4.5) + "\" class=\"hv" +
               (cell.clear ? " em" : "") + (dark ? " inv" : "") + "\">" + escape(text) + "</text>";
    }
  }
  // Legend: seven steps of the scale.
  const double ly = top + cell_height * rows + 18.0;
  const double lx = label_width;
  for (int i = -3; i <= 3; ++i) {
    const double gap = scale * i / 3.0;
    out += "<rect x=\"" + px(lx + (i + 3) * 34.0) + "\" y=\"" + px(ly) + "\" width=\"34\" height=\"12\" fill=\"" +
           gap_colour(gap, scale) + "\"/>";
  }
  out += "<text x=\"" + px(lx) + "\" y=\"" + px(ly + 28) + "\" class=\"lgs\">" +
         escape(format_number(-scale, 0, lang) + " " + tr(lang, "(högre för män)", "(higher for men)")) + "</text>";
  out += "<text x=\"" + px(lx + 7 * 34.0) + "\" y=\"" + px(ly + 28) + "\" class=\"lgs end\">" +
         escape(format_number(scale, 0, lang, true) + " " + tr(lang, "(högre för kvinnor)", "(higher for women)")) + "</text>";
  out += "</svg>";
  return out;
}

}  // namespace jamstat::report::detail
