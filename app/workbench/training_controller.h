#pragma once
// Runs one training session on a worker thread and reports to the GUI through queued signals. The GUI
// thread only flips flags (pause, stop, save now, snapshot) that the worker reads between steps, so
// the window never waits for a step to finish. Step records are batched (at most one signal per
// 250 ms) so fast training does not flood the event loop.

#include <QObject>
#include <QThread>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "model_snapshot.h"
#include "session/run_records.h"
#include "session/training_session.h"

namespace cllm::app {

struct TrainingRequest {
  QString runDir;            // metrics and checkpoints go here
  QString corpusPath;        // empty: the built-in corpus
  QString resumeCheckpoint;  // non-empty: continue this run (run below is ignored)
  int resumeTotalSteps = 0;  // with resume: the new total (0 = as saved)
  TrainingSession::NewRun run;
  int threads = 1;
  double wallOffset = 0;  // wall seconds already spent on this run (resume)
};

// What the run turned out to be once the session started (the tokenizer decides the vocabulary).
struct TrainingStart {
  ModelConfig model;
  TrainConfig train;
  TokenizerSpec tokenizer;
  QString corpusName;
  int64_t parameters = 0;
  size_t trainTokens = 0, validationTokens = 0;
  int firstStep = 0;
  // UTF-8 bytes of corpus text per token in each split (for bits per byte); the unknown-token share.
  double trainBytesPerToken = 0, validationBytesPerToken = 0, unknownTokenRate = 0;
};

struct TrainingProgress {
  int step = 0, totalSteps = 0;
  double etaSeconds = -1, stepsPerSecond = 0, tokensPerSecond = 0, loss = 0;
};

class TrainingController : public QObject {
  Q_OBJECT

 public:
  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;  // stops and waits

  // From start() until just before finished() is emitted, so a handler of finished() sees false.
  bool isRunning() const { return active_; }
  bool isPaused() const { return paused_; }

  void start(const TrainingRequest& request);
  void pause();
  void resume();
  void stop();
  void saveNow();
  // snapshotReady follows within one step (immediately while paused).
  void requestSnapshot();

 signals:
  void started(const cllm::app::TrainingStart& start);
  void stepsReady(const QList<cllm::StepRecord>& steps);
  void progressed(const cllm::app::TrainingProgress& progress);
  void evaluated(const cllm::EvalRecord& eval, double bestLoss, bool isBest);
  void saved(const QString& path);
  void snapshotReady(const cllm::app::ModelSnapshotPtr& snapshot);
  // true once the worker has finished its step and sleeps (after pause()); false on resume().
  void pausedChanged(bool paused);
  // reason: "finished" or "stopped"; also after failed().
  void finished(const QString& reason, int stepsDone);
  void failed(const QString& message);

 private:
  void work(TrainingRequest request);  // on the worker thread

  std::unique_ptr<QThread> thread_;
  std::atomic<bool> active_{false}, stop_{false}, paused_{false}, saveNow_{false}, snapshot_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace cllm::app

Q_DECLARE_METATYPE(cllm::app::TrainingStart)
Q_DECLARE_METATYPE(cllm::app::TrainingProgress)
