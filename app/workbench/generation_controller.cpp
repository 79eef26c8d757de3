#include "generation_controller.h"

#include <chrono>

#include "kernels/threading.h"
#include "text/text_streamer.h"
#include "util/error.h"

namespace cllm::app {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

GenerationController::GenerationController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<QList<StreamedToken>>();
}

GenerationController::~GenerationController() {
  stop();
  if (thread_) thread_->wait();
}

void GenerationController::generate(const ModelSnapshotPtr& model, const GenerationJob& job) {
  require(!isRunning(), "a generation is already running");
  if (thread_) thread_->wait();
  stop_ = false;
  active_ = true;
  thread_.reset(QThread::create([this, model, job] { work(model, job); }));
  thread_->setObjectName("generation");
  thread_->start();
}

void GenerationController::stop() {
  stop_ = true;
}

StreamedToken GenerationController::toStreamed(const SampledToken& token, const std::string& text,
                                               const Tokenizer& tokenizer) {
  StreamedToken s;
  s.id = token.id;
  s.text = text;
  s.probability = token.probability;
  for (const TokenProbability& alt : token.top)
    s.alternatives.push_back({alt.id, tokenizer.token_label(alt.id), alt.probability});
  return s;
}

void GenerationController::work(ModelSnapshotPtr snapshot, GenerationJob job) {
  try {
    kernels::set_num_threads(job.threads);
    const Tokenizer& tokenizer = *snapshot->tokenizer;
    const auto start = Clock::now();
    // The newest token stays pending until the next one arrives: text held back at the end (part of a
    // possible stop string that never completed) is then added to it, so the streamed text always
    // equals the generator's result.
    QList<StreamedToken> pending;
    std::string streamed;
    auto lastFlush = Clock::now();
    auto stream = [&](const SampledToken& t, const std::string& text) {
      pending.append(toStreamed(t, text, tokenizer));
      streamed += text;
      if (pending.size() > 1 && secondsSince(lastFlush) >= 0.05) {
        emit tokensReady(pending.first(pending.size() - 1));
        pending.remove(0, pending.size() - 1);
        lastFlush = Clock::now();
      }
      return !stop_.load();
    };
    std::vector<int32_t> prompt = job.prompt;
    if (job.beamSearch) {
      // A chosen alternative comes first, with the model's probability of it; the beams start after it.
      if (!job.settings.forced_tokens.empty()) {
        GenerationSettings forced = job.settings;
        forced.max_tokens = static_cast<int>(forced.forced_tokens.size());
        forced.stop_strings.clear();
        for (const SampledToken& t :
             cllm::generate(*snapshot->model, tokenizer, prompt, forced, stream).tokens)
          prompt.push_back(t.id);
        emit tokensReady(pending);
        pending.clear();
      }
      const auto beams =
          beam_search(*snapshot->model, tokenizer, prompt, job.beam, [this](int) { return !stop_; });
      require(!beams.empty(), "beam search produced no hypothesis");
      const BeamHypothesis& best = beams.front();
      QList<StreamedToken> tokens;
      TextStreamer streamer(tokenizer);
      if (prompt.size() > job.prompt.size()) streamer.push(prompt.back());  // the text after the forced token
      for (const SampledToken& t : best.tokens) tokens.append(toStreamed(t, streamer.push(t.id), tokenizer));
      if (!tokens.isEmpty()) tokens.last().text += streamer.finish();
      emit tokensReady(tokens);
      active_ = false;
      emit finished(tr("beam search: %1 tokens in %2 s, score %3, log-probability %4%5")
                        .arg(best.tokens.size())
                        .arg(secondsSince(start), 0, 'f', 2)
                        .arg(best.score, 0, 'f', 3)
                        .arg(best.log_probability, 0, 'f', 3)
                        .arg(stop_ ? tr(", stopped") : QString()));
      return;
    }
    const GenerationResult result = cllm::generate(*snapshot->model, tokenizer, prompt, job.settings, stream);
    if (!pending.isEmpty()) {
      if (result.text.size() > streamed.size() && result.text.compare(0, streamed.size(), streamed) == 0)
        pending.last().text += result.text.substr(streamed.size());
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
