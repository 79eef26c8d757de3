#include "session/training_session.h"

#include <cmath>
#include <limits>
#include <new>

#include "data/corpus.h"
#include "data/dataset.h"
#include "text/word_roots.h"
#include "util/error.h"
#include "util/rng.h"
#include "util/system_memory.h"

namespace cllm {

void TrainingSession::load_tokens(const std::string& text, double validation_fraction) {
  std::vector<int32_t> tokens = tokenizer_->encode(text);
  unknown_token_rate_ = cllm::unknown_token_rate(*tokenizer_, tokens);
  DataSplit split = split_tokens(std::move(tokens), validation_fraction);
  const SplitBytes bytes = split_text_bytes(*tokenizer_, text, split);
  train_bytes_ = bytes.train;
  validation_bytes_ = bytes.validation;
  train_ = std::move(split.train);
  validation_ = std::move(split.validation);
}

void TrainingSession::allocate_model(const ModelConfig& config, const TrainConfig& train) {
  memory_ = check_training_memory(config, train.batch_size, train_.size() + validation_.size(),
                                  available_memory_bytes(), train.shards);
  require_memory(memory_);
  try {
    model_ = std::make_unique<Gpt>(config);
  } catch (const std::bad_alloc&) {
    const uint64_t bytes = 2 * static_cast<uint64_t>(memory_.parameters) * sizeof(float);
    throw Error("out of memory allocating the model (" + format_gib(bytes) +
                " of weights and gradients for " + std::to_string(memory_.parameters) +
                " parameters); use a smaller model");
  }
}

void TrainingSession::build_trainer(const TrainConfig& config) {
  try {
    trainer_ = std::make_unique<Trainer>(*model_, config, train_, validation_, validation_bytes_per_token());
  } catch (const std::bad_alloc&) {
    // AdamW's two moments and decay mask, plus at most the validation split twice (inputs and targets).
    const uint64_t bytes = static_cast<uint64_t>(memory_.parameters) * (2 * sizeof(float) + 1) +
                           2 * validation_.size() * sizeof(int32_t);
    throw Error("out of memory allocating the AdamW moments and evaluation batches (" + format_gib(bytes) +
                "); use a smaller model");
  }
}

double TrainingSession::train_bytes_per_token() const {
  return train_.empty() ? std::numeric_limits<double>::quiet_NaN()
                        : static_cast<double>(train_bytes_) / static_cast<double>(train_.size());
}

double TrainingSession::validation_bytes_per_token() const {
  return validation_.empty()
             ? std::numeric_limits<double>::quiet_NaN()
             : static_cast<double>(validation_bytes_) / static_cast<double>(validation_.size());
}

namespace {

// The root and affix of every word of a word tokenizer's vocabulary (text/word_roots.h).
layers::WordRootTables word_root_tables(const Tokenizer& tokenizer) {
  require(tokenizer.kind() == "word",
          "word roots (--roots on) need the word tokenizer (--tokenizer word); this run's "
          "tokenizer is " +
              tokenizer.kind());
  const WordRoots split = split_word_roots(tokenizer);
  return {split.root_of, split.affix_of, static_cast<int>(split.roots.size()),
          static_cast<int>(split.affixes.size())};
}

}  // namespace

std::unique_ptr<TrainingSession> TrainingSession::start(const Corpus& corpus, const NewRun& run) {
  run.train.validate();
  std::unique_ptr<TrainingSession> s(new TrainingSession());
  s->corpus_ = identify_corpus(corpus.name, corpus.text);
  s->tokenizer_ = train_tokenizer(run.tokenizer, corpus.text);
  s->load_tokens(corpus.text, run.train.validation_fraction);
  ModelConfig config = run.model;
  config.vocab_size = s->tokenizer_->vocab_size();
  if (config.roots == "on") config.word_roots = word_root_tables(*s->tokenizer_);
  s->allocate_model(config, run.train);
  Rng init(run.train.seed ^ kInitStream);
  s->model_->initialize(init);
  s->build_trainer(run.train);
  s->best_validation_loss_ = std::numeric_limits<double>::quiet_NaN();
  return s;
}

std::unique_ptr<TrainingSession> TrainingSession::resume(const std::filesystem::path& checkpoint,
                                                         const Corpus& corpus, Verification verification) {
  Checkpoint ck = load_checkpoint(checkpoint, verification);
  require(ck.training.has_value(),
          "'" + checkpoint.string() +
              "' holds weights only (no training state); it can be used for generation, "
              "not resumed");
  TrainingState& state = *ck.training;
  const CorpusIdentity identity = identify_corpus(corpus.name, corpus.text);
  require(identity.bytes == state.corpus.bytes && identity.xxh3 == state.corpus.xxh3,
          "'" + checkpoint.string() + "' was trained on '" + state.corpus.name + "' (" +
              std::to_string(state.corpus.bytes) + " bytes), not on '" + corpus.name + "' (" +
              std::to_string(identity.bytes) + " bytes, different content); resume with the same corpus");
  std::unique_ptr<TrainingSession> s(new TrainingSession());
  s->corpus_ = state.corpus;
  s->resumed_unverified_ = ck.unverified;
  s->tokenizer_ = std::move(ck.tokenizer);
  s->load_tokens(corpus.text, state.config.validation_fraction);
  // The checkpoint's weights and moments are already in memory here, so the check sees them as used.
  s->allocate_model(ck.model_config, state.config);
  std::copy(ck.parameters.begin(), ck.parameters.end(), s->model_->parameters().begin());
  s->build_trainer(state.config);
  Trainer& t = *s->trainer_;
  t.set_steps_done(state.steps_done);
  t.data_rng().set_state(state.data_rng);
  std::copy(state.adam_m.begin(), state.adam_m.end(), t.optimizer().first_moment().begin());
  std::copy(state.adam_v.begin(), state.adam_v.end(), t.optimizer().second_moment().begin());
  s->best_validation_loss_ = state.best_validation_loss;
  return s;
}

bool TrainingSession::record_evaluation(const EvalResult& result) {
  if (!std::isnan(best_validation_loss_) && !(result.loss < best_validation_loss_)) return false;
  best_validation_loss_ = result.loss;
  return true;
}

void TrainingSession::save(const std::filesystem::path& path) const {
  TrainingState state;
  state.config = trainer_->config();
  state.steps_done = trainer_->steps_done();
  state.data_rng = trainer_->data_rng().state();
  const AdamW& opt = trainer_->optimizer();
  state.adam_m.assign(opt.first_moment().begin(), opt.first_moment().end());
  state.adam_v.assign(opt.second_moment().begin(), opt.second_moment().end());
  state.best_validation_loss = best_validation_loss_;
  state.corpus = corpus_;
  save_checkpoint(path, model_->config(), model_->parameters(), *tokenizer_, &state);
}

}  // namespace cllm
