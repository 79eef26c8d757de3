// The JSON lines of a run's metrics: bits per byte in evaluation records, and lines written before it
// existed still read.
#include "session/metrics_records.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cllm {
namespace {

TEST(MetricsRecords, EvaluationCarriesBitsPerByteWhenKnown) {
  EvalResult r;
  r.step = 250, r.loss = 2.01, r.perplexity = std::exp(2.01), r.bits_per_byte = 2.9, r.tokens = 15360;
  const auto j = nlohmann::json::parse(eval_record(r, true, 9.8).dump());
  EXPECT_EQ(j["event"], "eval");
  EXPECT_DOUBLE_EQ(j["validation_loss"].get<double>(), 2.01);
  EXPECT_DOUBLE_EQ(j["bits_per_byte"].get<double>(), 2.9);
  // Unknown: left out rather than written as null (a reader asking for a number would throw on null).
  r.bits_per_byte = NAN;
  const std::string line = eval_record(r, false, 1.0).dump();
  EXPECT_EQ(line.find("bits_per_byte"), std::string::npos) << line;
  EXPECT_EQ(line.find("null"), std::string::npos) << line;
}

TEST(MetricsRecords, LinesWithoutBitsPerByteStillRead) {
  // A line from a metrics.jsonl written before bits_per_byte existed, read the way the workbench reads.
  const auto old = nlohmann::json::parse(
      R"({"best":true,"elapsed_seconds":9.8,"event":"eval","perplexity":7.46,"seconds":0.2,"step":250,"tokens":15360,"validation_loss":2.01})");
  EXPECT_DOUBLE_EQ(old.value("validation_loss", double(NAN)), 2.01);
  EXPECT_TRUE(std::isnan(old.value("bits_per_byte", double(NAN))));
  EvalResult r;
  r.loss = 1.0, r.bits_per_byte = 1.5;
  EXPECT_DOUBLE_EQ(eval_record(r, true, 0).value("bits_per_byte", double(NAN)), 1.5);
}

}  // namespace
}  // namespace cllm
