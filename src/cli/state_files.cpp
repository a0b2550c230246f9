#include "state_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "exit_status.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/state_format.hpp"

namespace jamstat::cli {

namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string system_reason() { return std::strerror(errno); }

}  // namespace

std::string read_whole_file(const fs::path& path) {
  if (path == "-") {
    std::ostringstream all;
    all << std::cin.rdbuf();
    if (std::cin.bad()) throw failure(exit_status::io_error, "cannot read standard input");
    return std::move(all).str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw failure(exit_status::io_error, path.string() + ": cannot open: " + system_reason());
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw failure(exit_status::io_error, path.string() + ": is a folder, not a file");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw failure(exit_status::io_error, path.string() + ": cannot read: " + system_reason());
  return bytes;
}

aggregator read_state_file(const fs::path& path) {
  const std::string bytes = read_whole_file(path);
  const std::string name = path == "-" ? "<stdin>" : path.string();
  try {
    return read_state(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  } catch (const state_format_error& e) {
    throw failure(exit_status::bad_input, name + ": not a valid jamstat state: " + e.what());
  } catch (const schema_error& e) {
    throw failure(exit_status::bad_input, name + ": not a valid jamstat state: " + e.what());
  }
}

atomic_file::atomic_file(fs::path destination) : destination_(std::move(destination)) {
  if (destination_ == "-") {
    if (::isatty(STDOUT_FILENO))
      throw failure(exit_status::usage, "will not write a binary state to a terminal; give -o FILE or redirect standard output");
    to_stdout_ = true;
    file_ = stdout;
    return;
  }
  if (destination_.empty()) throw failure(exit_status::usage, "an output file name is empty");
  std::error_code ec;
  if (fs::is_directory(destination_, ec))
    throw failure(exit_status::io_error, destination_.string() + ": is a folder; give a file name");
  temporary_ = destination_;
  temporary_ += ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (!file_) throw failure(exit_status::io_error, destination_.string() + ": cannot write: " + system_reason());
}

atomic_file::~atomic_file() { discard(); }

void atomic_file::write(std::span<const std::uint8_t> bytes) {
  if (!file_) throw failure(exit_status::io_error, destination_.string() + ": already closed");
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw failure(exit_status::io_error, destination_.string() + ": cannot write: " + system_reason());
}

void atomic_file::write(const std::string& text) {
  write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void atomic_file::commit() {
  if (!file_) throw failure(exit_status::io_error, destination_.string() + ": already closed");
  if (to_stdout_) {
    if (std::fflush(stdout) != 0) throw failure(exit_status::io_error, "cannot write standard output: " + system_reason());
    file_ = nullptr;
    return;
  }
  const bool flushed = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (!flushed || closed != 0) {
    const std::string why = system_reason();
    discard();
    throw failure(exit_status::io_error, destination_.string() + ": cannot write: " + why);
  }
  std::error_code ec;
  fs::rename(temporary_, destination_, ec);
  if (ec) {
    discard();
    throw failure(exit_status::io_error, destination_.string() + ": cannot write: " + ec.message());
  }
  temporary_.clear();
}

void atomic_file::discard() noexcept {
  if (to_stdout_) return;
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temporary_.empty()) {
    std::error_code ec;
    fs::remove(temporary_, ec);
    temporary_.clear();
  }
}

void write_state_file(const aggregator& state, const fs::path& path) {
  atomic_file out(path);
  out.write(write_state(state));
  out.commit();
}

namespace {

std::string describe_range(double lowest, double highest) {
  std::ostringstream s;
  s.precision(17);
  s << lowest << " to " << highest;
  return s.str();
}

// The first difference between two measure definitions, or empty.
std::string measure_difference(const numeric_measure& a, const numeric_measure& b, const std::string& na,
                               const std::string& nb) {
  const std::string m = "measure " + quoted(a.name);
  if (a.kind != b.kind)
    return m + " is " + to_string(a.kind) + " in " + na + " but " + to_string(b.kind) + " in " + nb;
  if (a.decimals != b.decimals)
    return m + " has " + std::to_string(a.decimals) + " decimals in " + na + " but " + std::to_string(b.decimals) +
           " in " + nb;
  if (a.unit != b.unit) return m + " has the unit " + quoted(a.unit) + " in " + na + " but " + quoted(b.unit) + " in " + nb;
  if (a.off_grid != b.off_grid)
    return m + " " + (a.off_grid == off_grid_policy::round ? "rounds" : "rejects") + " values off its grid in " + na +
           " but " + (b.off_grid == off_grid_policy::round ? "rounds" : "rejects") + " them in " + nb;
  const bool same_low = a.lowest == b.lowest || (std::isnan(a.lowest) && std::isnan(b.lowest));
  const bool same_high = a.highest == b.highest || (std::isnan(a.highest) && std::isnan(b.highest));
  if (!same_low || !same_high)
    return m + " has the range " + describe_range(a.lowest, a.highest) + " in " + na + " but " +
           describe_range(b.lowest, b.highest) + " in " + nb;
  if (a.label_sv != b.label_sv)
    return m + " is labelled " + quoted(a.label_sv) + " in " + na + " but " + quoted(b.label_sv) + " in " + nb;
  if (a.label_en != b.label_en)
    return m + " is labelled " + quoted(a.label_en) + " (English) in " + na + " but " + quoted(b.label_en) + " in " + nb;
  return {};
}

std::string dimension_difference(const dimension& a, const dimension& b, const std::string& na, const std::string& nb) {
  const std::string d = "dimension " + quoted(a.name());
  if (a.label_sv() != b.label_sv())
    return d + " is labelled " + quoted(a.label_sv()) + " in " + na + " but " + quoted(b.label_sv()) + " in " + nb;
  if (a.label_en() != b.label_en())
    return d + " is labelled " + quoted(a.label_en()) + " (English) in " + na + " but " + quoted(b.label_en()) + " in " + nb;
  for (const level& l : a.levels())
    if (!b.index_of(l.code))
      return "level " + std::to_string(l.code) + " " + quoted(l.label_sv) + " of " + d + " is in " + na + " but not in " + nb;
  for (const level& l : b.levels())
    if (!a.index_of(l.code))
      return "level " + std::to_string(l.code) + " " + quoted(l.label_sv) + " of " + d + " is in " + nb + " but not in " + na;
  for (std::size_t i = 0; i < a.levels().size(); ++i) {
    const level& la = a.levels()[i];
    const level& lb = b.levels()[i];
    if (la.code != lb.code)
      return "the levels of " + d + " are in a different order: level " + std::to_string(i + 1) + " is code " +
             std::to_string(la.code) + " in " + na + " but code " + std::to_string(lb.code) + " in " + nb;
    if (la.label_sv != lb.label_sv)
      return "level " + std::to_string(la.code) + " of " + d + " is labelled " + quoted(la.label_sv) + " in " + na +
             " but " + quoted(lb.label_sv) + " in " + nb;
    if (la.label_en != lb.label_en)
      return "level " + std::to_string(la.code) + " of " + d + " is labelled " + quoted(la.label_en) + " (English) in " +
             na + " but " + quoted(lb.label_en) + " in " + nb;
  }
  return {};
}

template <class T, class Name>
std::string list_difference(const char* what, const std::vector<T>& a, const std::vector<T>& b, const std::string& na,
                            const std::string& nb, Name name) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (name(a[i]) != name(b[i]))
      return std::string(what) + " " + std::to_string(i + 1) + " is " + quoted(name(a[i])) + " in " + na + " but " +
             quoted(name(b[i])) + " in " + nb;
  if (a.size() != b.size()) {
    const bool a_longer = a.size() > b.size();
    return std::string(what) + " " + quoted(name(a_longer ? a[n] : b[n])) + " is in " + (a_longer ? na : nb) +
           " but not in " + (a_longer ? nb : na) + " (" + std::to_string(a.size()) + " " + what + "s in " + na + ", " +
           std::to_string(b.size()) + " in " + nb + ")";
  }
  return {};
}

}  // namespace

std::string merge_obstacle(const aggregator& a, const std::string& na, const aggregator& b, const std::string& nb) {
  const schema& sa = a.schema_ref();
  const schema& sb = b.schema_ref();
  if (!(sa == sb)) {
    // Dimensions after sex (sex is built in and always the same).
    std::string why = list_difference("dimension", sa.dimensions(), sb.dimensions(), na, nb,
                                      [](const dimension& d) { return d.name(); });
    for (std::size_t i = 0; why.empty() && i < sa.dimensions().size(); ++i)
      why = dimension_difference(sa.dimensions()[i], sb.dimensions()[i], na, nb);
    if (why.empty())
      why = list_difference("outcome", sa.outcomes(), sb.outcomes(), na, nb, [](const outcome& o) { return o.name; });
    for (std::size_t i = 0; why.empty() && i < sa.outcomes().size(); ++i) {
      const outcome& oa = sa.outcomes()[i];
      const outcome& ob = sb.outcomes()[i];
      if (oa.label_sv != ob.label_sv || oa.label_en != ob.label_en)
        why = "outcome " + quoted(oa.name) + " is labelled " + quoted(oa.label_sv) + " / " + quoted(oa.label_en) + " in " +
              na + " but " + quoted(ob.label_sv) + " / " + quoted(ob.label_en) + " in " + nb;
    }
    if (why.empty())
      why = list_difference("measure", sa.numeric_measures(), sb.numeric_measures(), na, nb,
                            [](const numeric_measure& m) { return m.name; });
    for (std::size_t i = 0; why.empty() && i < sa.numeric_measures().size(); ++i)
      why = measure_difference(sa.numeric_measures()[i], sb.numeric_measures()[i], na, nb);
    if (why.empty()) why = "their schemas' fingerprints differ";
    return why;
  }
  if (a.is_person_free() || b.is_person_free())
    return std::string(a.is_person_free() ? na : nb) +
           " is a person-free state (distinct persons frozen as counts, no person hashes): distinct persons do not add up "
           "across states, so person-free states cannot be merged; merge the states with person hashes (whoever holds "
           "the person key), then run jamstat person-free on the result";
  if (a.counts_persons() != b.counts_persons())
    return std::string(a.counts_persons() ? na : nb) + " counts persons but " + (a.counts_persons() ? nb : na) +
           " does not (one schema file names a person id, the other does not)";
  if (a.counts_persons() && a.person_key_check() != b.person_key_check())
    return "the person ids of " + na + " and " + nb +
           " were hashed with different keys (partners who merge states must share one person key)";
  return {};
}

std::string describe_form(const aggregator& state) {
  if (state.is_person_free())
    return "person-free (distinct persons frozen for " + std::to_string(state.frozen()->groupings().size()) +
           " groupings; no person hashes)";
  if (state.counts_persons())
    return "pseudonymised (keyed hashes of person ids: personal data for whoever holds the person key; "
           "jamstat person-free makes a copy without them)";
  return "participations only (no person data)";
}

}  // namespace jamstat::cli
