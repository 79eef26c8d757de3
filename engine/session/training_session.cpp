#include "session/training_session.h"

#include <cmath>
#include <limits>

#include "data/corpus.h"
#include "data/dataset.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {

void TrainingSession::build_trainer(const TrainConfig& config) {
  trainer_ = std::make_unique<Trainer>(*model_, config, train_, validation_);
}

std::unique_ptr<TrainingSession> TrainingSession::start(const Corpus& corpus, const NewRun& run) {
  run.train.validate();
  std::unique_ptr<TrainingSession> s(new TrainingSession());
  s->corpus_ = identify_corpus(corpus.name, corpus.text);
  s->tokenizer_ = train_tokenizer(run.tokenizer, corpus.text);
  DataSplit split = split_tokens(s->tokenizer_->encode(corpus.text), run.train.validation_fraction);
  s->train_ = std::move(split.train);
  s->validation_ = std::move(split.validation);
  ModelConfig config = run.model;
  config.vocab_size = s->tokenizer_->vocab_size();
  s->model_ = std::make_unique<Gpt>(config);
  Rng init(run.train.seed ^ kInitStream);
  s->model_->initialize(init);
  s->build_trainer(run.train);
  s->best_validation_loss_ = std::numeric_limits<double>::quiet_NaN();
  return s;
}

std::unique_ptr<TrainingSession> TrainingSession::resume(const std::filesystem::path& checkpoint, const Corpus& corpus) {
  Checkpoint ck = load_checkpoint(checkpoint);
  require(ck.training.has_value(), "'" + checkpoint.string() +
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
  s->tokenizer_ = std::move(ck.tokenizer);
  DataSplit split = split_tokens(s->tokenizer_->encode(corpus.text), state.config.validation_fraction);
  s->train_ = std::move(split.train);
  s->validation_ = std::move(split.validation);
  s->model_ = std::make_unique<Gpt>(ck.model_config);
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
