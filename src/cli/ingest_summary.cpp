#include "ingest_summary.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "state_files.hpp"

namespace jamstat::cli {

namespace {
constexpr const char* summary_format = "jamstat-ingest-summary-1";
}

void ingest_summary::add(const ingest_summary& other) {
  rows_accepted += other.rows_accepted;
  rows_rejected += other.rows_rejected;
  blank_lines += other.blank_lines;
  for (const rejection& r : other.rejections) {
    auto it = std::find_if(rejections.begin(), rejections.end(),
                           [&](const rejection& x) { return x.reason == r.reason && x.column == r.column; });
    if (it == rejections.end()) rejections.push_back(r);
    else it->rows += r.rows;
  }
  sources.insert(sources.end(), other.sources.begin(), other.sources.end());
  participations += other.participations;
}

bool ingest_summary::describes(const aggregator& state) const noexcept {
  return schema_fingerprint == state.schema_ref().fingerprint() && participations == state.participations();
}

ingest_summary summarize(const io::ingest_result& result, const aggregator& state) {
  ingest_summary s;
  s.rows_accepted = result.rows_accepted;
  s.rows_rejected = result.rows_rejected;
  s.blank_lines = result.blank_lines;
  for (const io::rejection_count& r : result.rejections)
    s.rejections.push_back({std::string(io::to_string(r.problem)), r.column, r.rows});
  for (const io::input_report& in : result.inputs) s.sources.push_back({in.name, in.rows_accepted, in.rows_rejected});
  s.schema_fingerprint = state.schema_ref().fingerprint();
  s.participations = state.participations();
  return s;
}

std::filesystem::path summary_path(const std::filesystem::path& state_path) {
  std::filesystem::path p = state_path;
  p += ".ingest.json";
  return p;
}

void write_summary(const ingest_summary& s, const std::filesystem::path& path) {
  nlohmann::ordered_json j;
  j["format"] = summary_format;
  j["rows_read"] = s.rows_read();
  j["rows_accepted"] = s.rows_accepted;
  j["rows_rejected"] = s.rows_rejected;
  j["blank_lines"] = s.blank_lines;
  j["rejected"] = nlohmann::ordered_json::array();
  for (const auto& r : s.rejections) j["rejected"].push_back({{"reason", r.reason}, {"column", r.column}, {"rows", r.rows}});
  j["sources"] = nlohmann::ordered_json::array();
  for (const auto& in : s.sources)
    j["sources"].push_back({{"name", in.name}, {"rows_accepted", in.rows_accepted}, {"rows_rejected", in.rows_rejected}});
  // The fingerprint as text: JSON readers (JavaScript) lose integers above 2^53.
  j["state"] = {{"schema_fingerprint", std::to_string(s.schema_fingerprint)}, {"participations", s.participations}};
  atomic_file out(path);
  out.write(j.dump(2) + "\n");
  out.commit();
}

std::optional<ingest_summary> read_summary(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.at("format") != summary_format) return std::nullopt;
    ingest_summary s;
    s.rows_accepted = j.at("rows_accepted").get<std::uint64_t>();
    s.rows_rejected = j.at("rows_rejected").get<std::uint64_t>();
    s.blank_lines = j.at("blank_lines").get<std::uint64_t>();
    for (const auto& r : j.at("rejected"))
      s.rejections.push_back({r.at("reason").get<std::string>(), r.at("column").get<std::string>(), r.at("rows").get<std::uint64_t>()});
    for (const auto& x : j.at("sources"))
      s.sources.push_back({x.at("name").get<std::string>(), x.at("rows_accepted").get<std::uint64_t>(),
                           x.at("rows_rejected").get<std::uint64_t>()});
    s.schema_fingerprint = std::stoull(j.at("state").at("schema_fingerprint").get<std::string>());
    s.participations = j.at("state").at("participations").get<std::uint64_t>();
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace jamstat::cli
