#include "progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "text_format.hpp"

namespace jamstat::cli {

namespace {

unsigned terminal_width(std::FILE* out) {
  winsize w{};
  if (ioctl(fileno(out), TIOCGWINSZ, &w) == 0 && w.ws_col >= 20) return w.ws_col;
  return 80;
}

std::string duration(double seconds) {
  if (!(seconds >= 0) || seconds > 99 * 3600) return "--:--";
  const auto s = static_cast<unsigned long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%llu:%02llu", s / 60, s % 60);
  return buf;
}

}  // namespace

progress_bar::progress_bar(std::FILE* out, progress_mode mode) : out_(out) {
  terminal_ = isatty(fileno(out)) != 0;
  enabled_ = mode == progress_mode::always || (mode == progress_mode::automatic && terminal_);
  start_ = last_ = std::chrono::steady_clock::now();
}

progress_bar::~progress_bar() { finish(); }

void progress_bar::update(const io::ingest_progress& p) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (now - last_ < interval) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(p.rows) / elapsed : 0.0;
  std::string tail = format_bytes(p.bytes_done);
  if (p.bytes_total > 0) tail += " of " + format_bytes(p.bytes_total);
  tail += ", " + format_count(p.rows) + " rows, " + format_rate(rate) + " rows/s";
  std::string head;
  if (p.bytes_total > 0) {
    const double fraction = std::min(1.0, static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total));
    const double left = fraction > 0 ? elapsed * (1 - fraction) / fraction : -1;
    tail += ", " + duration(left) + " left";
    char percent[8];
    std::snprintf(percent, sizeof percent, "%3d%% ", static_cast<int>(fraction * 100));
    head = percent;
    if (terminal_) {
      const unsigned width = terminal_width(out_);
      const std::size_t room = width > head.size() + tail.size() + 4 ? width - head.size() - tail.size() - 4 : 0;
      const std::size_t bar = std::min<std::size_t>(room, 40);
      if (bar >= 10) {
        const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar));
        head += "[" + std::string(filled, '#') + std::string(bar - filled, '.') + "] ";
      }
    }
  }
  std::string line = head + tail;
  if (terminal_) {
    const unsigned width = terminal_width(out_);
    if (line.size() >= width) line.resize(width - 1);
    std::fprintf(out_, "\r%s\033[K", line.c_str());
    drawn_ = true;
  } else {
    std::fprintf(out_, "progress: %s\n", line.c_str());
  }
  std::fflush(out_);
}

void progress_bar::clear() {
  if (drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
    drawn_ = false;
  }
}

void progress_bar::finish() { clear(); }

}  // namespace jamstat::cli
