#pragma once
// Generates text from a model snapshot on a worker thread: sampling (streamed token by token, batched
// every 50 ms) or beam search (the best hypothesis when it is done). Stop cancels between tokens.

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

#include "model_snapshot.h"
#include "views/generation/generated_token.h"
#include "views/generation/generation_request.h"

namespace cllm::app {

class GenerationController : public QObject {
  Q_OBJECT

 public:
  explicit GenerationController(QObject* parent = nullptr);
  ~GenerationController() override;  // cancels and waits

  // From generate() until just before finished() or failed() is emitted.
  bool isRunning() const { return active_; }
  // request.settings.seed is the seed used (the caller resolves "random").
  void generate(const ModelSnapshotPtr& model, const views::GenerationRequest& request);
  void stop();

  // The engine's tokens as the panel shows them; `text` is the printable text each token released.
  static views::GeneratedToken toView(const SampledToken& token, const std::string& text, const Tokenizer& tokenizer);

 signals:
  void tokensReady(const QList<cllm::views::GeneratedToken>& tokens);
  void finished(const QString& summary);
  void failed(const QString& message);

 private:
  void work(ModelSnapshotPtr model, views::GenerationRequest request);

  std::unique_ptr<QThread> thread_;
  std::atomic<bool> active_{false}, stop_{false};
};

}  // namespace cllm::app
