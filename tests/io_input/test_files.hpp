// Test helpers: a fresh temporary folder per test, files written byte for byte, the example
// schema files, and a person key in the environment.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace jamstat::io::testing {

/// A folder removed at the end of the test.
class temp_folder {
 public:
  temp_folder() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("jamstat-input-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~temp_folder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  /// Writes `bytes` exactly (no newline translation) to `name`; returns the path.
  std::filesystem::path write(const std::string& name, const std::string& bytes) const {
    const auto p = path_ / name;
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::filesystem::path example(const std::string& name) {
  return std::filesystem::path(JAMSTAT_SOURCE_DIR) / "docs" / "examples" / name;
}

/// A fixed test key (never a real secret) in JAMSTAT_PERSON_KEY.
inline constexpr const char* test_key_hex = "000102030405060708090a0b0c0d0e0f";
inline void set_test_key() { ::setenv("JAMSTAT_PERSON_KEY", test_key_hex, 1); }

}  // namespace jamstat::io::testing
