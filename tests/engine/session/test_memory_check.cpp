// The memory check before a run: what it counts, its three verdicts, and its messages.
#include "session/memory_check.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kernels/threading.h"
#include "model/gpt.h"
#include "train/batch_shards.h"
#include "util/error.h"
#include "util/system_memory.h"

namespace cllm {
namespace {

ModelConfig small_model() {
  ModelConfig c = model_preset("small");
  c.vocab_size = 65;
  return c;
}

TEST(MemoryCheck, CountsModelActivationsAndTokens) {
  const ModelConfig c = small_model();
  const MemoryCheck m = check_training_memory(c, 12, 1'000'000, std::nullopt);
  const auto P = static_cast<uint64_t>(c.parameter_count());
  EXPECT_EQ(m.parameters, c.parameter_count());
  EXPECT_EQ(m.model_bytes, 4 * P * sizeof(float) + P);  // weights, gradients, two moments, decay mask
  EXPECT_EQ(m.model_bytes - P + m.activation_bytes,
            Gpt::training_memory_bytes(c, 12, c.block_size) +
                BatchShards::extra_memory_bytes(c, 12, c.block_size, kernels::num_threads()));
  EXPECT_EQ(m.token_bytes, 8u * 1'000'000 + 8u * 12 * 64);
  EXPECT_EQ(m.needed_bytes, m.model_bytes + m.activation_bytes + m.token_bytes);
  EXPECT_EQ(m.batch_size, 12);
  EXPECT_EQ(m.block_size, 64);
}

TEST(MemoryCheck, VerdictsAgainstTheAvailableMemory) {
  const ModelConfig c = small_model();
  const uint64_t needed = check_training_memory(c, 12, 1000, std::nullopt).needed_bytes;
  EXPECT_EQ(check_training_memory(c, 12, 1000, 2 * needed).verdict, MemoryVerdict::Fits);
  EXPECT_EQ(check_training_memory(c, 12, 1000, needed * 10 / 9).verdict, MemoryVerdict::Tight);  // 90%
  EXPECT_EQ(check_training_memory(c, 12, 1000, needed).verdict, MemoryVerdict::Tight);  // exactly all
  EXPECT_EQ(check_training_memory(c, 12, 1000, needed - 1).verdict, MemoryVerdict::TooLarge);
  // Unknown available memory never blocks a run.
  const MemoryCheck unknown = check_training_memory(c, 12, 1000, std::nullopt);
  EXPECT_EQ(unknown.verdict, MemoryVerdict::Fits);
  EXPECT_TRUE(std::isnan(unknown.share()));
  EXPECT_NE(unknown.message().find("could not be read"), std::string::npos) << unknown.message();
  EXPECT_NEAR(check_training_memory(c, 12, 1000, 2 * needed).share(), 0.5, 1e-9);
}

TEST(MemoryCheck, MessagesNameBothSizesAndWhatToChange) {
  const ModelConfig c = small_model();
  const uint64_t needed = check_training_memory(c, 12, 1000, std::nullopt).needed_bytes;
  const MemoryCheck too_large = check_training_memory(c, 12, 1000, needed / 2);
  const std::string m = too_large.message();
  EXPECT_NE(m.find("needs " + format_gib(needed)), std::string::npos) << m;
  EXPECT_NE(m.find("only " + format_gib(needed / 2) + " is available"), std::string::npos) << m;
  EXPECT_NE(m.find("batch 12 x block 64"), std::string::npos) << m;
  EXPECT_NE(m.find("smaller model"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  try {
    require_memory(too_large);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), m);
  }
  const MemoryCheck tight = check_training_memory(c, 12, 1000, needed * 10 / 9);
  EXPECT_NE(tight.message().find("90% of the " + format_gib(needed * 10 / 9) + " available"),
            std::string::npos)
      << tight.message();
  EXPECT_NO_THROW(require_memory(tight));
}

TEST(MemoryCheck, ImpossibleInputsAreErrors) {
  ModelConfig c = small_model();
  EXPECT_THROW(check_training_memory(c, 0, 1000, std::nullopt), Error);
  c.vocab_size = 0;  // a BPE run must ask default_vocab_size first
  EXPECT_THROW(check_training_memory(c, 12, 1000, std::nullopt), Error);
}

}  // namespace
}  // namespace cllm
