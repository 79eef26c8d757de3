// Runs every charts test suite in one QApplication; the exit status counts the failed test functions.

#include <QApplication>

namespace cllm::views::tests {
int runSmoothingTests(int argc, char** argv);
int runSeriesDataTests(int argc, char** argv);
int runMetricChartTests(int argc, char** argv);
int runChartPanelTests(int argc, char** argv);
}  // namespace cllm::views::tests

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  using namespace cllm::views::tests;
  int failed = 0;
  for (auto* run : {runSmoothingTests, runSeriesDataTests, runMetricChartTests, runChartPanelTests}) {
    failed += run(argc, argv);
  }
  return failed;
}
