#pragma once
// A one-line terminal progress display with rate and ETA, rewritten in place on a terminal and printed
// as plain lines (at most one per `plain_interval_seconds`) when stderr is a file or a pipe (CI logs).

#include <chrono>
#include <string>

namespace cllm::cli {

class ProgressLine {
 public:
  explicit ProgressLine(double plain_interval_seconds = 5.0);
  // done of total units; `detail` is shown after the counts. Rate and ETA come from the wall clock.
  void update(long done, long total, const std::string& detail);
  // Prints a full line (e.g. an evaluation) without breaking the progress display.
  void message(const std::string& text);
  // Ends the in-place line.
  void finish();

  // "1h02m", "3m05s", "12s".
  static std::string format_duration(double seconds);

 private:
  bool tty_;
  double plain_interval_;
  bool line_open_ = false;
  std::chrono::steady_clock::time_point start_, last_print_;
  long first_done_ = -1;
};

}  // namespace cllm::cli
