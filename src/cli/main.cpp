// The jamstat command: CLI11 parses the command line, one subcommand runs, and every error ends
// with one message on standard error and a documented exit status (exit_status.hpp, docs/cli.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_status.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/input_errors.hpp"
#include "jamstat/io/state_format.hpp"

#ifndef JAMSTAT_VERSION_STRING
#define JAMSTAT_VERSION_STRING "unknown"
#endif

namespace {

using jamstat::cli::exit_status;

constexpr const char* overview = R"(Typical nightly job:
  jamstat aggregate -s export.schema.json -o nightly/2025-03-14.jst export-2025-03-14.csv
  jamstat merge -o 2025.jst nightly/2025-*.jst
  jamstat report 2025.jst --previous 2024.jst -s export.schema.json -o rapport-2025
  jamstat person-free 2025.jst -o 2025.person-free.jst   (for anyone without the person key)

`jamstat COMMAND --help` shows a command's options and examples.

A state that counts persons holds keyed hashes of person ids: pseudonymised personal data for
whoever holds the person key. `jamstat person-free` copies it without them (frozen counts).

Exit status: 0 ok; 1 input rows were rejected (or --strict stopped at one); 2 usage;
3 bad schema file, person key, or states of different schemas; 4 an input file that cannot
be read as CSV of the schema or as a state; 5 a file cannot be read or written;
10 internal error. Manual: docs/cli.md.)";

int report_error(const std::string& command, const std::string& message, exit_status status) {
  std::fprintf(stderr, "jamstat%s%s: %s\n", command.empty() ? "" : " ", command.c_str(), message.c_str());
  return jamstat::cli::code(status);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("jamstat: sex-disaggregated, intersectional statistics from case-system exports", "jamstat");
  app.set_version_flag("--version", std::string("jamstat ") + JAMSTAT_VERSION_STRING);
  app.require_subcommand(0, 1);
  app.footer(overview);
  std::vector<jamstat::cli::command> commands;
  commands.push_back(jamstat::cli::add_aggregate_command(app));
  commands.push_back(jamstat::cli::add_merge_command(app));
  commands.push_back(jamstat::cli::add_person_free_command(app));
  commands.push_back(jamstat::cli::add_report_command(app));
  commands.push_back(jamstat::cli::add_demo_command(app));
  commands.push_back(jamstat::cli::add_generate_command(app));
  CLI::App* help = app.add_subcommand("help", "Show this text");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with status 0; anything else is a usage error (2).
    const int status = app.exit(e);
    return status == 0 ? 0 : jamstat::cli::code(exit_status::usage);
  }
  if (help->parsed()) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  for (const jamstat::cli::command& c : commands) {
    if (!c.app->parsed()) continue;
    const std::string name = c.app->get_name();
    try {
      return c.run();
    } catch (const jamstat::cli::failure& e) {
      return report_error(name, e.what(), e.status());
    } catch (const jamstat::io::schema_file_error& e) {
      return report_error(name, e.what(), exit_status::bad_schema);
    } catch (const jamstat::schema_mismatch_error& e) {
      return report_error(name, e.what(), exit_status::bad_schema);
    } catch (const jamstat::io::csv_layout_error& e) {
      return report_error(name, e.what(), exit_status::bad_input);
    } catch (const jamstat::state_format_error& e) {
      return report_error(name, e.what(), exit_status::bad_input);
    } catch (const jamstat::io::input_file_error& e) {
      return report_error(name, e.what(), exit_status::io_error);
    } catch (const std::filesystem::filesystem_error& e) {
      return report_error(name, e.what(), exit_status::io_error);
    } catch (const std::bad_alloc&) {
      return report_error(name, "out of memory", exit_status::internal);
    } catch (const std::exception& e) {
      return report_error(name, std::string("internal error (please report it): ") + e.what(), exit_status::internal);
    }
  }
  std::fputs(app.help().c_str(), stderr);
  return jamstat::cli::code(exit_status::usage);
}
