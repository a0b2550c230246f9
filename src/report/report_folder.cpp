#include "jamstat/report/report_folder.hpp"

#include <fstream>
#include <functional>
#include <stdexcept>

#include "jamstat/report/html_writer.hpp"
#include "jamstat/report/json_writer.hpp"
#include "jamstat/report/markdown_writer.hpp"

namespace jamstat::report {

namespace {

void write_file(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
  std::filesystem::path temporary = path;
  temporary += ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
    write(out);
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace

std::vector<std::filesystem::path> write_report_folder(const report_model& model, const std::filesystem::path& folder,
                                                       const folder_options& options) {
  std::filesystem::create_directories(folder);
  std::vector<std::filesystem::path> written;
  auto emit = [&](const char* name, const std::function<void(std::ostream&)>& write) {
    const std::filesystem::path path = folder / name;
    write_file(path, write);
    written.push_back(path);
  };
  emit("report.csv", [&](std::ostream& o) { write_csv(model, o, options.csv); });
  emit("findings.csv", [&](std::ostream& o) { write_findings_csv(model, o, options.csv); });
  emit("report.json", [&](std::ostream& o) { write_json(model, o); });
  emit("report.md", [&](std::ostream& o) { write_markdown(model, o); });
  emit("report.html", [&](std::ostream& o) { write_html(model, o); });
  return written;
}

}  // namespace jamstat::report
