// The jamstat command: dispatches to subcommands; every error ends with a message and status 2.
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace jamstat::cli {

unsigned long long parse_count(std::string_view option, std::string_view text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string_view::npos)
    throw std::invalid_argument(std::string(option) + ": expected a non-negative integer, got '" + std::string(text) + "'");
  return std::stoull(std::string(text));
}

}  // namespace jamstat::cli

namespace {

void usage(std::FILE* out) {
  std::fputs(
      "usage: jamstat <command> [options]\n"
      "commands:\n"
      "  demo [--n N] [--seed S] [--lang sv|en]   sex-disaggregated table of the synthetic data\n"
      "  generate N DIR [SEED]                    write the synthetic data set into DIR\n"
      "  help                                     this text\n",
      out);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(stderr);
    return 2;
  }
  const std::string_view command = args.front();
  const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  try {
    if (command == "demo") return jamstat::cli::demo_command(rest);
    if (command == "generate") return jamstat::cli::generate_command(rest);
    if (command == "help" || command == "--help" || command == "-h") {
      usage(stdout);
      return 0;
    }
    std::fprintf(stderr, "jamstat: unknown command '%.*s'\n", static_cast<int>(command.size()), command.data());
    usage(stderr);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jamstat %.*s: %s\n", static_cast<int>(command.size()), command.data(), e.what());
    return 2;
  }
}
