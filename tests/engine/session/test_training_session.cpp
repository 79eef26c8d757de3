// Checkpoints through a whole session: round trips, bit-identical resume, and refusal of the wrong corpus.
#include "session/training_session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "../model_variants.h"
#include "data/corpus.h"
#include "io/checkpoint.h"
#include "util/error.h"
#include "util/system_memory.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

Corpus test_corpus(const std::string& seedling = "the cat sat on the mat. ") {
  Corpus c;
  c.name = "test";
  for (int i = 0; i < 400; ++i) c.text += seedling + std::to_string(i % 37) + (i % 7 == 0 ? "\n" : " ");
  return c;
}

TrainingSession::NewRun small_run(const std::string& variant = "learned") {
  TrainingSession::NewRun run;
  run.model = test::with_variant(model_preset("tiny"), variant);
  if (variant == "roots") run.tokenizer.kind = "word";
  run.model.block_size = 32;
  run.train.batch_size = 4;
  run.train.steps = 20;
  run.train.warmup_steps = 3;
  run.train.eval_batches = 2;
  run.train.grad_accum = 2;
  return run;
}

fs::path temp_file(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cllm-session-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class EveryVariant : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryVariant, ResumeContinuesBitIdentically) {
  const Corpus corpus = test_corpus();
  auto straight = TrainingSession::start(corpus, small_run(GetParam()));
  for (int i = 0; i < 20; ++i) straight->trainer().step();

  auto first = TrainingSession::start(corpus, small_run(GetParam()));
  for (int i = 0; i < 9; ++i) first->trainer().step();
  first->record_evaluation(first->trainer().evaluate());
  const fs::path path = temp_file("resume-" + GetParam() + ".safetensors");
  first->save(path);
  first.reset();

  auto resumed = TrainingSession::resume(path, corpus);
  EXPECT_EQ(resumed->trainer().steps_done(), 9);
  for (int i = 9; i < 20; ++i) resumed->trainer().step();
  EXPECT_TRUE(same_bits(straight->model().parameters(), resumed->model().parameters()));
  EXPECT_TRUE(same_bits(straight->trainer().optimizer().first_moment(),
                        resumed->trainer().optimizer().first_moment()));
  EXPECT_TRUE(same_bits(straight->trainer().optimizer().second_moment(),
                        resumed->trainer().optimizer().second_moment()));
  EXPECT_EQ(straight->trainer().data_rng().state(), resumed->trainer().data_rng().state());
  EXPECT_TRUE(std::isfinite(resumed->best_validation_loss()));
  fs::remove(path);
}

TEST_P(EveryVariant, CheckpointRoundTripsEverything) {
  const Corpus corpus = test_corpus();
  auto s = TrainingSession::start(corpus, small_run(GetParam()));
  s->trainer().step();
  const fs::path path = temp_file("roundtrip-" + GetParam() + ".safetensors");
  s->save(path);
  const Checkpoint ck = load_checkpoint(path);
  EXPECT_EQ(ck.model_config, s->model().config());
  EXPECT_TRUE(same_bits(ck.parameters, s->model().parameters()));
  EXPECT_EQ(ck.tokenizer->to_json(), s->tokenizer().to_json());
  ASSERT_TRUE(ck.training.has_value());
  EXPECT_EQ(ck.training->steps_done, 1);
  EXPECT_EQ(ck.training->config, s->trainer().config());
  EXPECT_EQ(ck.training->corpus, s->corpus());
  EXPECT_TRUE(std::isnan(ck.training->best_validation_loss));
  EXPECT_EQ(ck.created_by, "cllm 0.1.0");
  const auto model = make_model(ck);
  EXPECT_TRUE(same_bits(model->parameters(), s->model().parameters()));
  // The loaded model computes what the saved one did (constants such as fixed tables are rebuilt).
  const std::vector<int32_t> x = {1, 2, 3, 4, 5, 6};
  s->model().forward(x.data(), nullptr, 1, 6);
  model->forward(x.data(), nullptr, 1, 6);
  EXPECT_TRUE(same_bits(model->logits(), s->model().logits()));
  fs::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Variants, EveryVariant, ::testing::ValuesIn(test::model_variant_names()));

TEST(TrainingSession, ResumeRefusesADifferentCorpus) {
  auto s = TrainingSession::start(test_corpus(), small_run());
  const fs::path path = temp_file("other.safetensors");
  s->save(path);
  try {
    TrainingSession::resume(path, test_corpus("a dog ran in the fog. "));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("resume with the same corpus"), std::string::npos) << e.what();
  }
  fs::remove(path);
}

TEST(TrainingSession, WeightsOnlyCheckpointCannotBeResumed) {
  auto s = TrainingSession::start(test_corpus(), small_run());
  const fs::path path = temp_file("weights.safetensors");
  save_checkpoint(path, s->model().config(), s->model().parameters(), s->tokenizer(), nullptr);
  EXPECT_FALSE(load_checkpoint(path).training.has_value());
  EXPECT_THROW(TrainingSession::resume(path, test_corpus()), Error);
  fs::remove(path);
}

// Issue 13, defect 5: a run whose weights had gone to -inf saved them over the latest checkpoint, which
// then could not be loaded. Non-finite parameters or optimizer state are refused and the file is kept.
TEST(TrainingSession, NanWeightsNeverOverwriteTheCheckpoint) {
  auto s = TrainingSession::start(test_corpus(), small_run());
  s->trainer().step();
  const fs::path path = temp_file("diverged.safetensors");
  s->save(path);
  const std::vector<float> good(s->model().parameters().begin(), s->model().parameters().end());
  for (const float bad : {-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()}) {
    s->model().parameters()[7] = bad;
    try {
      s->save(path);
      FAIL() << "saved a non-finite weight";
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("not saving '" + path.string() + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("at index 7"), std::string::npos) << message;
      EXPECT_NE(message.find("training diverged"), std::string::npos) << message;
    }
    const Checkpoint kept = load_checkpoint(path);
    EXPECT_TRUE(same_bits(kept.parameters, good));
    EXPECT_EQ(kept.training->steps_done, 1);
  }
  fs::remove(path);
}

// Issue 13, defect 4, in training: an evaluation of overflowing weights is an error, not a NaN loss.
TEST(TrainingSession, HugeWeightsMakeTheEvaluationAnError) {
  auto s = TrainingSession::start(test_corpus(), small_run());
  for (auto& p : s->model().parameters()) p = std::copysign(3e38f, p);
  try {
    s->trainer().evaluate();
    FAIL() << "evaluated overflowing weights without an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the validation loss at step 0 is NaN"), std::string::npos)
        << e.what();
  }
}

TEST(TrainingSession, ImpossibleConfigsAreClearErrors) {
  auto run = small_run();
  run.model.n_head = 3;
  EXPECT_THROW(TrainingSession::start(test_corpus(), run), Error);
  run = small_run();
  run.model.block_size = 100000;  // larger than the corpus
  EXPECT_THROW(TrainingSession::start(test_corpus(), run), Error);
  run = small_run();
  run.tokenizer.kind = "morse";
  EXPECT_THROW(TrainingSession::start(test_corpus(), run), Error);
}

// --- bits per byte: losses of different tokenizers made comparable ---

TrainingSession::NewRun run_with(const std::string& kind, int vocab_size = 0) {
  TrainingSession::NewRun run = small_run();
  run.tokenizer.kind = kind;
  run.tokenizer.vocab_size = vocab_size;
  return run;
}

TEST(TrainingSession, ByteTokensGiveBitsPerByteOfLossOverLn2Exactly) {
  auto s = TrainingSession::start(test_corpus(), run_with("byte"));
  EXPECT_EQ(s->validation_bytes_per_token(), 1.0);
  EXPECT_EQ(s->train_bytes_per_token(), 1.0);
  const EvalResult r = s->trainer().evaluate();
  EXPECT_EQ(r.bits_per_byte, r.loss / std::log(2.0));
}

TEST(TrainingSession, CharTokensOnAsciiGiveBitsPerByteOfLossOverLn2Exactly) {
  auto s = TrainingSession::start(test_corpus(), run_with("char"));
  EXPECT_EQ(s->validation_bytes_per_token(), 1.0);
  const EvalResult r = s->trainer().evaluate();
  EXPECT_EQ(r.bits_per_byte, r.loss / std::log(2.0));
}

TEST(TrainingSession, CharTokensOnMultiByteTextGiveFewerBitsPerByte) {
  // é is 2 bytes, € 3, 日本 6: a character covers more than a byte, so each byte costs fewer bits.
  Corpus corpus = test_corpus("caf\xC3\xA9 \xE2\x82\xAC\xE6\x97\xA5\xE6\x9C\xAC sat. ");
  auto s = TrainingSession::start(corpus, run_with("char"));
  // Independently of the tokenizer: the UTF-8 bytes of the last validation_token_count() code points.
  size_t bytes = 0, chars = 0;
  for (size_t i = corpus.text.size(); i-- > 0 && chars < s->validation_token_count();) {
    ++bytes;
    if ((static_cast<unsigned char>(corpus.text[i]) & 0xC0) != 0x80) ++chars;  // a lead byte ends a char
  }
  const double ratio = static_cast<double>(bytes) / static_cast<double>(s->validation_token_count());
  EXPECT_GT(ratio, 1.1);
  EXPECT_DOUBLE_EQ(s->validation_bytes_per_token(), ratio);
  const EvalResult r = s->trainer().evaluate();
  EXPECT_DOUBLE_EQ(r.bits_per_byte, r.loss / std::log(2.0) / ratio);
  EXPECT_LT(r.bits_per_byte, r.loss / std::log(2.0));
}

TEST(TrainingSession, WordTokensCountTheTextRegionTheSplitCovers) {
  // 400 lines of 5 tokens (the, cat, sat, ".", "\n") in 16 bytes; decoded tokens would be 13 bytes a line.
  Corpus corpus;
  corpus.name = "words";
  for (int i = 0; i < 400; ++i) corpus.text += "the  cat   sat.\n";
  auto s = TrainingSession::start(corpus, run_with("word"));
  ASSERT_EQ(s->validation_token_count(), 200u);  // the last 40 lines
  EXPECT_DOUBLE_EQ(s->validation_bytes_per_token(), 40.0 * 16 / 200);
  EXPECT_DOUBLE_EQ(s->train_bytes_per_token(), 360.0 * 16 / 1800);
  const EvalResult r = s->trainer().evaluate();
  EXPECT_DOUBLE_EQ(r.bits_per_byte, r.loss / std::log(2.0) / 3.2);
}

// --- unknown tokens ---

TEST(TrainingSession, UnknownTokenRateOfWordRuns) {
  Corpus corpus;
  corpus.name = "words";
  for (int i = 0; i < 400; ++i) corpus.text += "the  cat   sat.\n";
  // Vocabulary 3 = <unk> + "the" + "cat" (all five tokens are equally frequent; ties go to the first seen).
  EXPECT_DOUBLE_EQ(TrainingSession::start(corpus, run_with("word", 3))->unknown_token_rate(), 0.6);
  EXPECT_EQ(TrainingSession::start(corpus, run_with("word"))->unknown_token_rate(), 0.0);
  EXPECT_EQ(TrainingSession::start(corpus, run_with("char"))->unknown_token_rate(), 0.0);
}

// --- memory ---

TEST(TrainingSession, ARunTooLargeForMemoryIsRefusedBeforeItAllocates) {
  if (!available_memory_bytes()) GTEST_SKIP() << "the available memory cannot be read here";
  // 1.8 billion parameters with batch 512 x block 1024: over a terabyte, more than any test machine has.
  TrainingSession::NewRun run = small_run();
  run.model.n_embd = 4096;
  run.model.n_layer = 9;
  run.model.block_size = 1024;
  run.train.batch_size = 512;
  const Corpus corpus = test_corpus();
  ModelConfig expected = run.model;
  expected.vocab_size = train_tokenizer(run.tokenizer, corpus.text)->vocab_size();
  const uint64_t needed = check_training_memory(expected, 512, corpus.text.size(), std::nullopt).needed_bytes;
  const auto begin = std::chrono::steady_clock::now();
  try {
    TrainingSession::start(corpus, run);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("needs " + format_gib(needed) + " of memory"), std::string::npos) << m;
    EXPECT_NE(m.find(" GiB is available"), std::string::npos) << m;
  }
  // Touching even the 7 GB of weights would take seconds: the refusal came before any big allocation.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count(), 1.0);
}

TEST(TrainingSession, ASmallRunFitsAndKeepsItsMemoryCheck) {
  auto s = TrainingSession::start(test_corpus(), small_run());
  const MemoryCheck& m = s->memory();
  EXPECT_NE(m.verdict, MemoryVerdict::TooLarge);
  EXPECT_EQ(m.parameters, s->model().config().parameter_count());
  EXPECT_GT(m.needed_bytes, 0u);
  EXPECT_LT(m.needed_bytes, uint64_t{64} << 20);
  const fs::path path = temp_file("memory.safetensors");
  s->save(path);
  EXPECT_EQ(TrainingSession::resume(path, test_corpus())->memory().needed_bytes, m.needed_bytes);
  fs::remove(path);
}

}  // namespace
}  // namespace cllm
