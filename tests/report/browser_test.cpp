// The browser test of issue 14: report.html (Swedish and English) opened in headless Chromium, as a
// coordinator would open it. Saves a screenshot of each and the rendered DOM as test artifacts,
// and checks the rendered page for the expected sections and for numbers counted directly from the
// records. Exit status: 0 passed, 1 failed, 77 skipped (Chromium not installed: ctest's
// SKIP_RETURN_CODE).
//
// Usage: jamstat_report_browser_test ARTIFACT_DIR   (JAMSTAT_CHROMIUM overrides /usr/bin/chromium)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "jamstat/report/number_format.hpp"
#include "jamstat/report/report_folder.hpp"
#include "report_fixture.hpp"

namespace fs = std::filesystem;
using namespace jamstat;
using namespace jamstat::report;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::cerr << "FAILED: " << what << '\n';
  }
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string shell_quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::string find_chromium() {
  if (const char* env = std::getenv("JAMSTAT_CHROMIUM"); env != nullptr && *env != '\0') return env;
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (::access(candidate, X_OK) == 0) return candidate;
  return {};
}

// Runs headless Chromium with the brief's flags and a fresh profile; returns its exit status.
int run_chromium(const std::string& chromium, const std::string& action, const fs::path& page, const fs::path& out) {
  char profile_template[] = "/tmp/jamstat-chromium-XXXXXX";
  const char* profile = ::mkdtemp(profile_template);
  if (profile == nullptr) return -1;
  const std::string command = "timeout 120 " + chromium +
                              " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                              " --disable-background-networking --disable-component-update --disable-sync"
                              " --user-data-dir=" + std::string(profile) + " --window-size=1280,4000 " + action + " " +
                              shell_quoted("file://" + fs::absolute(page).string()) + " > " + shell_quoted(out.string() + ".stdout") +
                              " 2> " + shell_quoted(out.string() + ".stderr");
  const int status = std::system(command.c_str());
  fs::remove_all(profile);
  return status;
}

// The DOM as Chromium serialises it, with its entities (&nbsp;, &lt;, &gt;, &quot;, &amp;) back as text
// (to search for text, e.g. a verdict with "p < 0,001").
std::string text_of(std::string dom) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = dom.find(from); at != std::string::npos; at = dom.find(from, at + to.size())) dom.replace(at, from.size(), to);
  };
  replace_all("&nbsp;", "\u00A0");
  replace_all("&lt;", "<");
  replace_all("&gt;", ">");
  replace_all("&quot;", "\"");
  replace_all("&amp;", "&");
  return dom;
}

struct direct_totals {
  std::uint64_t women_persons = 0, men_persons = 0, women_participations = 0, women_successes = 0;
  double women_hours = 0.0;
};

// Counted from the records themselves, not through the library's roll-ups.
direct_totals count_directly(const synth::participations& p) {
  direct_totals t;
  std::set<std::uint32_t> women, men;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p.sex[i] == 2) {
      women.insert(p.person_id[i]);
      ++t.women_participations;
      t.women_successes += p.outcome[i];
      t.women_hours += p.hours[i];
    } else if (p.sex[i] == 1) {
      men.insert(p.person_id[i]);
    }
  }
  t.women_persons = women.size();
  t.men_persons = men.size();
  return t;
}

void check_page(const std::string& chromium, const fs::path& dir, language lang) {
  const std::string name = lang == language::en ? "en" : "sv";
  const testing::report_data& d = testing::report_data::get();
  const report_model model = build_report(d.input(testing::test_stand_in_suppress_counts_below(), lang));
  const fs::path folder = dir / name;
  write_report_folder(model, folder);
  const fs::path page = folder / "report.html";

  const fs::path screenshot = dir / ("report-" + name + ".png");
  fs::remove(screenshot);
  const int shot = run_chromium(chromium, "--screenshot=" + shell_quoted(screenshot), page, dir / ("screenshot-" + name));
  check(shot == 0, name + ": chromium --screenshot exited with status " + std::to_string(shot));
  const std::string png = fs::exists(screenshot) ? read_file(screenshot) : std::string();
  check(png.size() > 50000 && png.substr(0, 8) == "\x89PNG\r\n\x1a\n",
        name + ": screenshot " + screenshot.string() + " is missing or not a rendered PNG (" + std::to_string(png.size()) + " bytes)");

  const fs::path dom_file = dir / ("report-" + name + ".dom.html");
  const int dumped = run_chromium(chromium, "--dump-dom", page, dom_file);
  check(dumped == 0, name + ": chromium --dump-dom exited with status " + std::to_string(dumped));
  fs::rename(dom_file.string() + ".stdout", dom_file);
  const std::string dom = text_of(read_file(dom_file));
  check(dom.size() > 10000, name + ": the rendered DOM is nearly empty (" + std::to_string(dom.size()) + " bytes)");

  const bool sv = lang == language::sv;
  const std::vector<std::string> sections =
      sv ? std::vector<std::string>{"Jämställdhetsrapport 2025", "Sammanfattning", "Deltagare", "Resultat", "Resurser",
                                    "Skillnader mellan kvinnor och män", "Förändring sedan 2024", "Intersektionellt perspektiv",
                                    "Tabeller", "Datakvalitet", "Skydd av uppgifter"}
         : std::vector<std::string>{"Gender equality report 2025", "Summary", "Participants", "Results", "Resources",
                                    "Differences between women and men", "Change since 2024", "Intersectional perspective",
                                    "Tables", "Data quality", "Protection of the figures"};
  for (const std::string& s : sections) check(dom.find(">" + s + "</h") != std::string::npos, name + ": no heading \"" + s + "\"");

  const direct_totals t = count_directly(d.now_records);
  const std::vector<std::string> numbers{
      format_count(t.women_persons, lang),
      format_count(t.men_persons, lang),
      format_percent(100.0 * double(t.women_successes) / double(t.women_participations), 1, lang),
      format_number(t.women_hours / double(t.women_participations), 1, lang),
  };
  for (const std::string& n : numbers) check(dom.find(">" + n + "<") != std::string::npos, name + ": the number " + n + " is not shown");
  check(dom.find(sv ? "Arbetspraktik" : "Work-experience placement") != std::string::npos, name + ": intervention labels missing");
  check(dom.find(sv ? ">Kvinnor<" : ">Women<") != std::string::npos, name + ": no column of women");
  check(dom.find(">..<") != std::string::npos, name + ": no suppressed cell shown as ..");
  check(dom.find("<svg") != std::string::npos, name + ": no chart rendered");
  check(dom.find("<script") == std::string::npos, name + ": a script in the page");
  check(dom.find(model.findings.front().verdict) != std::string::npos, name + ": the first finding's verdict is not shown");
  check(dom.find(sv ? "Teststand-in" : "Test stand-in") != std::string::npos, name + ": the protection note is not shown");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: jamstat_report_browser_test ARTIFACT_DIR\n";
    return 2;
  }
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    std::cout << "report browser test: SKIPPED: Chromium is not installed (Debian package chromium; or set JAMSTAT_CHROMIUM)\n";
    return 77;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  try {
    check_page(chromium, dir, language::sv);
    check_page(chromium, dir, language::en);
  } catch (const std::exception& e) {
    std::cerr << "FAILED: " << e.what() << '\n';
    ++failures;
  }
  std::cout << "report browser test: artifacts (screenshots, DOM, reports) in " << fs::absolute(dir).string() << '\n';
  if (failures > 0) {
    std::cout << "report browser test: " << failures << " check(s) failed\n";
    return 1;
  }
  std::cout << "report browser test: passed\n";
  return 0;
}
