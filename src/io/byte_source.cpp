#include "byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "jamstat/io/input_errors.hpp"

namespace jamstat::io::detail {

namespace {
std::string system_message(int error) { return std::strerror(error); }
}  // namespace

file_source::file_source(const std::filesystem::path& path, std::uint64_t offset)
    : offset_(offset), name_(path.string()) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw input_file_error("cannot open '" + name_ + "': " + system_message(errno));
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw input_file_error("cannot read '" + name_ + "': it is a directory");
    }
    if (S_ISREG(st.st_mode)) size_ = static_cast<std::uint64_t>(st.st_size);
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd_, static_cast<off_t>(offset), 0, POSIX_FADV_SEQUENTIAL);
#endif
}

file_source::~file_source() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t file_source::read(char* out, std::size_t n) {
  for (;;) {
    const ssize_t got = size_ ? ::pread(fd_, out, n, static_cast<off_t>(offset_)) : ::read(fd_, out, n);
    if (got >= 0) {
      offset_ += static_cast<std::uint64_t>(got);
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) throw input_file_error("cannot read '" + name_ + "': " + system_message(errno));
  }
}

std::size_t stdio_source::read(char* out, std::size_t n) {
  const std::size_t got = std::fread(out, 1, n, file_);
  if (got == 0 && std::ferror(file_)) throw input_file_error("cannot read " + name_ + ": " + system_message(errno));
  return got;
}

std::size_t stream_source::read(char* out, std::size_t n) {
  if (!in_) return 0;
  in_.read(out, static_cast<std::streamsize>(n));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (got == 0 && in_.bad()) throw input_file_error("cannot read " + name_);
  return got;
}

}  // namespace jamstat::io::detail
