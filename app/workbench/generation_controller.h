#pragma once
// Generates text from a model snapshot on a worker thread: sampling (streamed token by token, batched
// every 50 ms) or beam search (the best hypothesis when it is done). Stop cancels between tokens. The
// worker uses `threads` OpenMP threads, so generating while training runs does not oversubscribe the cores.

#include <QList>
#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

#include "generate/beam_search.h"
#include "generate/generator.h"
#include "generate/streamed_token.h"
#include "model_snapshot.h"

namespace cllm::app {

// One generation, fully resolved (ids, seed): what the worker runs.
struct GenerationJob {
  std::vector<int32_t> prompt;  // the prompt's tokens plus any kept output tokens
  bool beamSearch = false;      // else sampling (greedy is sampling at temperature 0)
  GenerationSettings settings;  // settings.forced_tokens are streamed first, in either mode
  BeamSettings beam;
  int threads = 1;
};

class GenerationController : public QObject {
  Q_OBJECT

 public:
  explicit GenerationController(QObject* parent = nullptr);
  ~GenerationController() override;  // cancels and waits

  // From generate() until just before finished() or failed() is emitted.
  bool isRunning() const { return active_; }
  void generate(const ModelSnapshotPtr& model, const GenerationJob& job);
  void stop();

  // The engine's token as the views show it; `text` is the printable text it released.
  static StreamedToken toStreamed(const SampledToken& token, const std::string& text,
                                  const Tokenizer& tokenizer);

 signals:
  void tokensReady(const QList<cllm::StreamedToken>& tokens);
  void finished(const QString& summary);
  void failed(const QString& message);

 private:
  void work(ModelSnapshotPtr model, GenerationJob job);

  std::unique_ptr<QThread> thread_;
  std::atomic<bool> active_{false}, stop_{false};
};

}  // namespace cllm::app

Q_DECLARE_METATYPE(cllm::StreamedToken)
