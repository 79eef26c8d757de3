#include "progress_line.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace cllm::cli {

ProgressLine::ProgressLine(double plain_interval_seconds)
    : tty_(::isatty(STDERR_FILENO) != 0), plain_interval_(plain_interval_seconds) {
  start_ = last_print_ = std::chrono::steady_clock::now();
}

std::string ProgressLine::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

void ProgressLine::update(long done, long total, const std::string& detail) {
  const auto now = std::chrono::steady_clock::now();
  if (first_done_ < 0) {
    first_done_ = done;
    start_ = now;
  }
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const bool last = done >= total;
  if (!tty_ && !last && std::chrono::duration<double>(now - last_print_).count() < plain_interval_) return;
  last_print_ = now;
  const long progressed = done - first_done_;
  const double eta = progressed > 0 ? elapsed / progressed * (total - done) : NAN;
  const int percent = total > 0 ? static_cast<int>(100.0 * done / total) : 100;
  std::fprintf(stderr, "%s[%3d%%] %ld/%ld  %s  elapsed %s  ETA %s%s", tty_ ? "\r\033[K" : "", percent, done,
               total, detail.c_str(), format_duration(elapsed).c_str(), format_duration(eta).c_str(),
               tty_ ? "" : "\n");
  std::fflush(stderr);
  line_open_ = tty_;
}

void ProgressLine::message(const std::string& text) {
  std::fprintf(stderr, "%s%s\n", line_open_ ? "\r\033[K" : "", text.c_str());
  std::fflush(stderr);
  line_open_ = false;
}

void ProgressLine::finish() {
  if (line_open_) std::fputc('\n', stderr);
  line_open_ = false;
}

}  // namespace cllm::cli
