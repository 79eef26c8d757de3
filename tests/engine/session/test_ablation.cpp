// Ablations: variants from the option table, runs that are exactly training sessions, honest summaries.
#include "session/ablation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/corpus.h"
#include "session/training_session.h"
#include "util/error.h"

namespace cllm {
namespace {

Corpus test_corpus() {
  Corpus c;
  c.name = "test";
  for (int i = 0; i < 300; ++i) c.text += "the cat sat on the mat " + std::to_string(i % 23) + ".\n";
  return c;
}

ModelConfig tiny() {
  ModelConfig c = model_preset("tiny");
  c.block_size = 16;
  return c;
}

TrainConfig quick() {
  TrainConfig t;
  t.steps = 6;
  t.batch_size = 2;
  t.warmup_steps = 1;
  t.eval_batches = 2;
  return t;
}

TEST(Ablation, VariantsComeFromTheOptionTable) {
  const auto variants = default_variants(tiny(), "char");
  ASSERT_FALSE(variants.empty());
  EXPECT_EQ(variants[0].name, "baseline");
  size_t values = 0;
  for (const ModelOption& o : model_options()) values += o.values.size() - 1;
  EXPECT_EQ(variants.size(), values);  // all but roots=on, which needs the word tokenizer
  EXPECT_EQ(default_variants(tiny(), "word").size(), 1 + values);
  EXPECT_EQ(default_variants(tiny(), "word").back().name, "roots=on");
  for (size_t i = 1; i < variants.size(); ++i) EXPECT_NE(variants[i].model, tiny()) << variants[i].name;
  const AblationVariant v = parse_variant(tiny(), "positional=rope,mixer=alternate");
  EXPECT_EQ(v.model.positional, "rope");
  EXPECT_EQ(v.model.mixer, "alternate");
  EXPECT_EQ(v.model.n_embd, tiny().n_embd);
  EXPECT_THROW(parse_variant(tiny(), "colour=red"), Error);
  EXPECT_THROW(parse_variant(tiny(), "positional=helix"), Error);
  EXPECT_THROW(parse_variant(tiny(), "positional"), Error);
}

// A run of an ablation is the training session the same settings give: same seed, same loss.
TEST(Ablation, RunsAreTrainingSessionsWithTheSameDataAndSeeds) {
  const Corpus corpus = test_corpus();
  AblationSettings s;
  s.train = quick();
  s.seeds = {4, 5};
  s.variants = {parse_variant(tiny(), "baseline"), parse_variant(tiny(), "positional=rope")};
  int started = 0, ended = 0;
  AblationObserver observer;
  observer.on_run_start = [&](int index, int total, const AblationVariant&, uint64_t) {
    EXPECT_EQ(index, started++);
    EXPECT_EQ(total, 4);
  };
  observer.on_run_end = [&](const AblationRun&) { ++ended; };
  const auto runs = run_ablation(corpus, s, observer);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(ended, 4);
  EXPECT_EQ(runs[0].variant, "baseline");
  EXPECT_EQ(runs[1].seed, 5u);
  EXPECT_EQ(runs[2].variant, "positional=rope");

  TrainingSession::NewRun direct{s.tokenizer, tiny(), s.train};
  direct.train.seed = 5;
  auto session = TrainingSession::start(corpus, direct);
  const EvalResult last = run_training(session->trainer(), {});
  EXPECT_EQ(runs[1].validation_loss, last.loss);
  EXPECT_EQ(runs[1].parameters, session->model().config().parameter_count());
  EXPECT_EQ(runs[1].steps, 6);
  EXPECT_GT(runs[1].tokens_per_second, 0);
  EXPECT_NE(runs[2].validation_loss, runs[0].validation_loss);
}

TEST(Ablation, ABadVariantFailsBeforeAnyTraining) {
  AblationSettings s;
  s.train = quick();
  s.seeds = {1};
  ModelConfig odd = tiny();
  odd.n_embd = 12, odd.n_head = 4;  // head size 3: rope impossible
  s.variants = {AblationVariant{"baseline", tiny()}, AblationVariant{"positional=rope", odd}};
  s.variants[1].model.positional = "rope";
  int started = 0;
  AblationObserver observer;
  observer.on_run_start = [&](int, int, const AblationVariant&, uint64_t) { ++started; };
  try {
    run_ablation(test_corpus(), s, observer);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ablation variant 'positional=rope'"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(started, 0);
}

TEST(Ablation, SummaryIsMeanAndSampleStandardDeviationPerVariant) {
  std::vector<AblationRun> runs = {{"a", 1, 10, 2.0, 3.0, 100, 1000, 1},
                                   {"a", 2, 10, 3.0, 4.0, 100, 3000, 3},
                                   {"b", 1, 10, 1.5, 2.0, 90, 500, 2}};
  const auto rows = summarize_ablation(runs);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].variant, "a");
  EXPECT_EQ(rows[0].runs, 2);
  EXPECT_DOUBLE_EQ(rows[0].loss_mean, 2.5);
  EXPECT_DOUBLE_EQ(rows[0].loss_std, std::sqrt(0.5));
  EXPECT_DOUBLE_EQ(rows[0].loss_min, 2.0);
  EXPECT_DOUBLE_EQ(rows[0].loss_max, 3.0);
  EXPECT_DOUBLE_EQ(rows[0].tokens_per_second_mean, 2000);
  EXPECT_DOUBLE_EQ(rows[1].loss_std, 0.0);
  const std::string md = ablation_markdown(rows);
  EXPECT_NE(md.find("| a | 2.5000 ± 0.7071 (2) | 3.500 | 100 | 2000 | 2.0 |"), std::string::npos) << md;
  const std::string csv = ablation_csv(rows);
  EXPECT_NE(csv.find("\nb,1,1.500000,0.000000,1.500000,1.500000,2.000000,90,500.0,2.00\n"), std::string::npos)
      << csv;
  EXPECT_EQ(ablation_json(runs, rows)["variants"].size(), 2u);
}

// Step records give tokens/s per step; the run's rate is total tokens over total step time.
TEST(Ablation, RunFromRecordsTakesTheLastEvaluationAndTotalTokensOverTotalTime) {
  const std::vector<StepRecord> steps = {{1, 0.1, 3.0, 1e-3, 1.0, 1000}, {2, 0.2, 2.9, 1e-3, 1.0, 3000}};
  const std::vector<EvalRecord> evals = {{1, 0.15, 3.1, 4.0}, {2, 0.3, 2.8, 3.5}};
  const AblationRun r = ablation_run_from_records("positional=rope", 7, 1234, steps, evals, 9.5);
  EXPECT_EQ(r.variant, "positional=rope");
  EXPECT_EQ(r.seed, 7u);
  EXPECT_EQ(r.steps, 2);
  EXPECT_DOUBLE_EQ(r.validation_loss, 2.8);
  EXPECT_DOUBLE_EQ(r.bits_per_byte, 3.5);
  EXPECT_EQ(r.parameters, 1234);
  // 1000 tokens a step: 1 s + 1/3 s for 2000 tokens.
  EXPECT_DOUBLE_EQ(r.tokens_per_second, 2000 / (1.0 + 1.0 / 3));
  EXPECT_DOUBLE_EQ(r.wall_seconds, 9.5);
  EXPECT_THROW(ablation_run_from_records("baseline", 1, 1, steps, {}, 1), Error);
}

TEST(Ablation, SavesTheTableAsCsvMarkdownAndJson) {
  const std::vector<AblationRun> runs = {{"a", 1, 10, 2.0, 3.0, 100, 1000, 1},
                                         {"b", 1, 10, 1.5, 2.0, 90, 500, 2}};
  const std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "saved-ablation" / "nested";
  std::filesystem::remove_all(dir);
  const auto rows = save_ablation(dir, runs);
  ASSERT_EQ(rows.size(), 2u);
  auto read = [&](const char* name) {
    std::ifstream in(dir / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  EXPECT_EQ(read("ablation.csv"), ablation_csv(rows));
  EXPECT_EQ(read("ablation.md"), ablation_markdown(rows));
  EXPECT_EQ(nlohmann::json::parse(read("ablation.json")), ablation_json(runs, rows));
}

TEST(Ablation, CheckRefusesNoSeedsNoVariantsAndImpossibleModels) {
  AblationSettings s;
  s.variants = {parse_variant(tiny(), "baseline")};
  EXPECT_THROW(check_ablation(s), Error);  // no seed
  s.seeds = {1};
  EXPECT_NO_THROW(check_ablation(s));
  AblationVariant bad = s.variants[0];
  bad.name = "wide";
  bad.model.n_head = 5;  // does not divide the width
  s.variants.push_back(bad);
  try {
    check_ablation(s);
    ADD_FAILURE() << "an impossible variant was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ablation variant 'wide'"), std::string::npos) << e.what();
  }
  s.variants.clear();
  EXPECT_THROW(check_ablation(s), Error);
}

}  // namespace
}  // namespace cllm
