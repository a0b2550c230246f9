// The report as one self-contained HTML page: inline CSS and SVG charts, no script, no external
// reference (it opens from a USB stick or an e-mail attachment the same as from a web server).
#pragma once

#include <ostream>

#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

/// Writes report.html: the summary, participants, results and resources by sex (charts and
/// tables), the gap findings in plain language, the change since the previous period, the
/// intersectional view (heat map, MAIHDA, decomposition), the tables by every dimension, data
/// quality and the protection note. Accessible: one h1, sections with h2, table captions and
/// header cells, charts with <title> and <desc>, the colour-blind-safe Okabe-Ito palette with
/// marker shapes besides colour. An internal report carries a banner at the top.
void write_html(const report_model& model, std::ostream& out);

}  // namespace jamstat::report
