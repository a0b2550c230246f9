// The target-group file of `jamstat report`: population counts by sex and dimensions (report_run.hpp).
#include <charconv>
#include <optional>

#include "exit_status.hpp"
#include "jamstat/io/csv_reader.hpp"
#include "jamstat/io/input_errors.hpp"
#include "report_run.hpp"

namespace jamstat::cli {

namespace {
std::optional<std::int64_t> whole_number(std::string_view t) {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return v;
}
}  // namespace

analysis::target_group read_target_group(const std::filesystem::path& path, const schema& s) {
  const std::string name = path.string();
  try {
    io::csv_reader reader = io::csv_reader::open(path);
    const std::vector<std::string>& header = reader.header();
    std::optional<std::size_t> sex_column, population_column;
    std::vector<std::size_t> columns, dims;  // CSV column and schema dimension of every listed dimension
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == "sex") sex_column = c;
      else if (header[c] == "population") population_column = c;
      else if (const auto d = s.dimension_index(header[c]); d && *d > 0) {
        columns.push_back(c);
        dims.push_back(*d - 1);  // the gap report numbers dimensions after sex
      } else {
        throw failure(exit_status::bad_input, name + ":1:" + std::to_string(c + 1) + ": column '" + header[c] +
                                                  "' is neither sex, population nor a dimension of the state");
      }
    }
    if (!sex_column || !population_column)
      throw failure(exit_status::bad_input, name + ":1: the header needs the columns sex and population");
    analysis::target_group tg(dims);
    io::csv_record rec;
    std::vector<std::uint32_t> levels(columns.size());
    while (reader.next(rec)) {
      const auto where = [&](std::size_t c) { return name + ":" + std::to_string(rec.line()) + ":" + std::to_string(c + 1) + ": "; };
      if (rec.size() != header.size())
        throw failure(exit_status::bad_input, name + ":" + std::to_string(rec.line()) + ": expected " +
                                                  std::to_string(header.size()) + " fields");
      const auto sex = whole_number(rec[*sex_column].text);
      if (!sex || (*sex != 0 && *sex != 1 && *sex != 2 && *sex != 9))
        throw failure(exit_status::bad_input, where(*sex_column) + "sex: expected an ISO/IEC 5218 code 0, 1, 2 or 9");
      const auto population = whole_number(rec[*population_column].text);
      if (!population || *population < 0)
        throw failure(exit_status::bad_input, where(*population_column) + "population: expected a whole number >= 0");
      for (std::size_t k = 0; k < columns.size(); ++k) {
        const dimension& d = s.dimensions()[dims[k] + 1];
        const auto code = whole_number(rec[columns[k]].text);
        const auto index = code ? d.index_of(*code) : std::nullopt;
        if (!index)
          throw failure(exit_status::bad_input, where(columns[k]) + d.name() + ": expected a level code: " + d.codes_list());
        levels[k] = static_cast<std::uint32_t>(*index);
      }
      tg.add(levels, static_cast<std::int32_t>(*sex), static_cast<std::uint64_t>(*population));
    }
    return tg;
  } catch (const io::input_file_error& e) {
    throw failure(exit_status::io_error, e.what());
  } catch (const io::csv_layout_error& e) {
    throw failure(exit_status::bad_input, e.what());
  }
}

}  // namespace jamstat::cli
