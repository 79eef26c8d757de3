#include "generation_controller.h"

#include <chrono>

#include "generate/beam_search.h"
#include "generate/generator.h"
#include "text/text_streamer.h"
#include "util/error.h"

namespace cllm::app {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

GenerationController::GenerationController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<QList<views::GeneratedToken>>();
}

GenerationController::~GenerationController() {
  stop();
  if (thread_) thread_->wait();
}

void GenerationController::generate(const ModelSnapshotPtr& model, const views::GenerationRequest& request) {
  require(!isRunning(), "a generation is already running");
  if (thread_) thread_->wait();
  stop_ = false;
  active_ = true;
  thread_.reset(QThread::create([this, model, request] { work(model, request); }));
  thread_->setObjectName("generation");
  thread_->start();
}

void GenerationController::stop() { stop_ = true; }

views::GeneratedToken GenerationController::toView(const SampledToken& token, const std::string& text,
                                                   const Tokenizer& tokenizer) {
  views::GeneratedToken v;
  v.text = QString::fromStdString(text);
  v.probability = token.probability;
  for (const TokenProbability& alt : token.top)
    v.alternatives.append({QString::fromStdString(tokenizer.token_label(alt.id)), alt.probability});
  return v;
}

void GenerationController::work(ModelSnapshotPtr snapshot, views::GenerationRequest request) {
  try {
    const Tokenizer& tokenizer = *snapshot->tokenizer;
    const std::vector<int32_t> prompt = tokenizer.encode(request.prompt.toStdString());
    const auto start = Clock::now();
    if (request.mode == views::GenerationRequest::Beam) {
      const auto beams = beam_search(*snapshot->model, tokenizer, prompt, request.beam, [this](int) { return !stop_; });
      require(!beams.empty(), "beam search produced no hypothesis");
      const BeamHypothesis& best = beams.front();
      QList<views::GeneratedToken> tokens;
      TextStreamer streamer(tokenizer);
      for (const SampledToken& t : best.tokens) tokens.append(toView(t, streamer.push(t.id), tokenizer));
      if (!tokens.isEmpty()) tokens.last().text += QString::fromStdString(streamer.finish());
      emit tokensReady(tokens);
      active_ = false;
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      emit finished(tr("beam search: %1 tokens in %2 s, score %3, log-probability %4%5")
                        .arg(best.tokens.size())
                        .arg(seconds, 0, 'f', 2)
                        .arg(best.score, 0, 'f', 3)
                        .arg(best.log_probability, 0, 'f', 3)
                        .arg(stop_ ? tr(", stopped") : QString()));
      return;
    }
    // The newest token stays pending until the next one arrives: text held back at the end (part of a
    // possible stop string that never completed) is then added to it, so the streamed text always
    // equals the generator's result.
    QList<views::GeneratedToken> pending;
    std::string streamed;
    auto lastFlush = Clock::now();
    const GenerationResult result =
        cllm::generate(*snapshot->model, tokenizer, prompt, request.settings, [&](const SampledToken& t, const std::string& text) {
          pending.append(toView(t, text, tokenizer));
          streamed += text;
          if (pending.size() > 1 && std::chrono::duration<double>(Clock::now() - lastFlush).count() >= 0.05) {
            emit tokensReady(pending.first(pending.size() - 1));
            pending.remove(0, pending.size() - 1);
            lastFlush = Clock::now();
          }
          return !stop_.load();
        });
    if (!pending.isEmpty()) {
      if (result.text.size() > streamed.size() && result.text.compare(0, streamed.size(), streamed) == 0)
        pending.last().text += QString::fromStdString(result.text.substr(streamed.size()));
      emit tokensReady(pending);
    }
    const QString reason = result.stop_reason == "stop_string" ? tr("stop string")
                           : result.stop_reason == "cancelled" ? tr("stopped")
                                                               : tr("max tokens");
    active_ = false;
    emit finished(tr("%1 tokens, %2 tokens/s, ended by %3")
                      .arg(result.tokens.size())
                      .arg(result.seconds > 0 ? result.tokens.size() / result.seconds : 0.0, 0, 'f', 0)
                      .arg(reason));
  } catch (const std::exception& e) {
    active_ = false;
    emit failed(QString::fromStdString(e.what()));
  }
}

}  // namespace cllm::app
