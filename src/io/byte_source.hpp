// Where CSV bytes come from (internal): a file (read or pread from an offset), a FILE*, a stream.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <istream>
#include <optional>
#include <string>

namespace jamstat::io::detail {

/// A sequential source of bytes.
class byte_source {
 public:
  virtual ~byte_source() = default;
  /// Reads up to `n` bytes into `out`; returns 0 only at the end. Throws input_file_error.
  virtual std::size_t read(char* out, std::size_t n) = 0;
};

/// A file opened by path, read with read(2) (or pread(2) from `offset` on).
class file_source final : public byte_source {
 public:
  /// Opens `path` (throws input_file_error naming it) and reads from byte `offset` on.
  explicit file_source(const std::filesystem::path& path, std::uint64_t offset = 0);
  ~file_source() override;
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;
  std::size_t read(char* out, std::size_t n) override;
  /// The file's size when it is a regular file.
  std::optional<std::uint64_t> size() const noexcept { return size_; }

 private:
  int fd_ = -1;
  std::uint64_t offset_;
  std::optional<std::uint64_t> size_;
  std::string name_;
};

/// A FILE* the caller owns (standard input: stdin).
class stdio_source final : public byte_source {
 public:
  stdio_source(std::FILE* file, std::string name) : file_(file), name_(std::move(name)) {}
  std::size_t read(char* out, std::size_t n) override;

 private:
  std::FILE* file_;
  std::string name_;
};

/// A std::istream the caller owns.
class stream_source final : public byte_source {
 public:
  stream_source(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}
  std::size_t read(char* out, std::size_t n) override;

 private:
  std::istream& in_;
  std::string name_;
};

}  // namespace jamstat::io::detail
