// Checkpoints through a whole session: round trips, bit-identical resume, and refusal of the wrong corpus.
#include "session/training_session.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "data/corpus.h"
#include "io/checkpoint.h"
#include "util/error.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

Corpus test_corpus(const std::string& seedling = "the cat sat on the mat. ") {
  Corpus c;
  c.name = "test";
  for (int i = 0; i < 400; ++i) c.text += seedling + std::to_string(i % 37) + (i % 7 == 0 ? "\n" : " ");
  return c;
}

TrainingSession::NewRun small_run() {
  TrainingSession::NewRun run;
  run.model = model_preset("tiny");
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

TEST(TrainingSession, ResumeContinuesBitIdentically) {
  const Corpus corpus = test_corpus();
  auto straight = TrainingSession::start(corpus, small_run());
  for (int i = 0; i < 20; ++i) straight->trainer().step();

  auto first = TrainingSession::start(corpus, small_run());
  for (int i = 0; i < 9; ++i) first->trainer().step();
  first->record_evaluation(first->trainer().evaluate());
  const fs::path path = temp_file("resume.safetensors");
  first->save(path);
  first.reset();

  auto resumed = TrainingSession::resume(path, corpus);
  EXPECT_EQ(resumed->trainer().steps_done(), 9);
  for (int i = 9; i < 20; ++i) resumed->trainer().step();
  EXPECT_TRUE(same_bits(straight->model().parameters(), resumed->model().parameters()));
  EXPECT_TRUE(same_bits(straight->trainer().optimizer().first_moment(), resumed->trainer().optimizer().first_moment()));
  EXPECT_TRUE(same_bits(straight->trainer().optimizer().second_moment(), resumed->trainer().optimizer().second_moment()));
  EXPECT_EQ(straight->trainer().data_rng().state(), resumed->trainer().data_rng().state());
  EXPECT_TRUE(std::isfinite(resumed->best_validation_loss()));
  fs::remove(path);
}

TEST(TrainingSession, CheckpointRoundTripsEverything) {
  const Corpus corpus = test_corpus();
  auto s = TrainingSession::start(corpus, small_run());
  s->trainer().step();
  const fs::path path = temp_file("roundtrip.safetensors");
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
  fs::remove(path);
}

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

}  // namespace
}  // namespace cllm
