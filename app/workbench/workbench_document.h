#pragma once
// The workbench's document (Tiled's MapDocument is the model): it owns the state every view follows —
// the runs folder, the active training run and its worker, the generation worker, the models to
// generate from, weight snapshots and the selected token — and announces every change with a signal.
// Views never hold this state; they send requests that carry their data (token ids, not labels) and
// redraw from the signals. The main window only wires views to the document.
//
// Snapshots: a copy of the weights being trained, taken by the worker between two steps (training never
// waits for a consumer). Any number of consumers may ask for periodic snapshots (the 3-D view's live
// PCA) or one snapshot (generation from the model being trained); every snapshot is broadcast by
// snapshotReady().
//
// GUI thread only.

#include <QHash>
#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>

#include "generation_controller.h"
#include "run_store.h"
#include "session/ablation.h"
#include "training_controller.h"
#include "views/generation/generation_request.h"

namespace cllm::app {

// What the training panel asks for: everything a new run needs.
struct TrainingSetup {
  QString corpusPath;  // empty: the built-in corpus
  TrainingSession::NewRun run;
  int threads = 1;
};

// What "Start ablation" asks for: the training panel's setup is the baseline; each variant
// ("baseline", "positional=rope", "mixer=fourier,positional=rope", ...) trains once per seed.
struct AblationSetup {
  TrainingSetup base;
  QStringList variants;
  QList<quint64> seeds;
};

class WorkbenchDocument : public QObject {
  Q_OBJECT

 public:
  enum class TrainingState { Idle, Preparing, Running, Pausing, Paused, Stopping };
  Q_ENUM(TrainingState)

  // `runsRoot` empty: RunStore::defaultRoot(). Runs left "running" by a process that died are marked
  // interrupted here.
  explicit WorkbenchDocument(const QString& runsRoot = {}, QObject* parent = nullptr);
  ~WorkbenchDocument() override;

  RunStore& store() { return *store_; }
  TrainingController& training() { return training_; }
  GenerationController& generation() { return generation_; }

  // --- Training ---
  TrainingState trainingState() const { return state_; }
  bool isTraining() const { return training_.isRunning(); }
  QString activeRun() const { return activeRun_; }
  // The active run's optimizer steps so far (run.json is updated at evaluations only; progressed() says it
  // as it changes).
  int activeSteps() const { return activeSteps_; }
  const TrainingStart& activeStart() const { return activeStart_; }
  // Throws nothing: failures are reported by errorOccurred(). Returns false when nothing started.
  bool startTraining(const TrainingSetup& setup);
  // Continues the run saved in `checkpoint`; `totalSteps` > its step count extends it.
  bool resumeTraining(const QString& checkpoint, int totalSteps, int threads);
  void pauseTraining();
  void continueTraining();
  void stopTraining();
  void saveCheckpointNow();

  // --- Models to generate from: 0 is the model being (or last) trained, then loaded checkpoints ---
  QStringList sourceLabels() const;
  int currentSource() const { return currentSource_; }
  void setCurrentSource(int index);
  // The current source's model, or null (e.g. training has not produced weights yet).
  ModelSnapshotPtr currentModel() const;
  enum class LoadResult { Loaded, Failed, Unverified };
  // Adds the checkpoint as a source and makes it current. Failed: unreadable (errorOccurred, and the
  // loader's message in *error). Unverified: the file is readable but has no whole-file checksum, which
  // `verification` required; nothing is reported, so the caller can ask the user and load it again with
  // kAllowUnverified. An unverified import's label says so.
  LoadResult loadCheckpoint(const QString& path, Verification verification = Verification::kRequired,
                            QString* error = nullptr);

  // --- Generation ---
  // From the current source. The prompt is encoded with its tokenizer and request.kept appended; a
  // random seed is drawn here and reported by generationStarted. While training runs, generation uses
  // the cores training leaves (at least one thread).
  void generate(const views::GenerationRequest& request);
  void stopGeneration() { generation_.stop(); }
  // Also while waiting for the snapshot to generate from.
  bool isGenerating() const { return generation_.isRunning() || waitingForSnapshot_.has_value(); }

  // --- Snapshots ---
  // Asks for a snapshot every `periodMs` while training runs, until removed or `consumer` is destroyed.
  void addSnapshotConsumer(QObject* consumer, int periodMs);
  void removeSnapshotConsumer(QObject* consumer);
  // One snapshot soon (immediately when not training and a trained model exists).
  void requestSnapshot();
  ModelSnapshotPtr latestSnapshot() const { return trainedSnapshot_; }

  // --- Selection: a token of the current model's vocabulary, or -1 ---
  int32_t selectedToken() const { return selectedToken_; }
  void selectToken(int32_t id);

  // --- Ablation: every (variant, seed) trained one after another as an ordinary run of the runs folder
  // (variant-major, as `cllm ablate`), named "<ablation> · <variant> · seed <n>", one colour per variant.
  // When the last run finishes (or one is stopped or fails) the finished runs are summarised and saved as
  // ablation.csv, .md and .json in the ablation's folder (RunStore::ablationsRoot()).
  // Returns false, with errorOccurred, when a variant is unknown or cannot be built, or training runs.
  bool startAblation(const AblationSetup& setup);
  bool isAblating() const { return ablation_.has_value(); }

  // Closing during training: stops, which evaluates and saves. Returns at once; trainingFinished follows.
  void shutDown();

 signals:
  void trainingStateChanged(cllm::app::WorkbenchDocument::TrainingState state);
  void trainingStarted(const QString& runId, const cllm::app::TrainingStart& start);
  void stepsAppended(const QString& runId, const QList<cllm::StepRecord>& steps);
  void progressed(const cllm::app::TrainingProgress& progress);
  void evaluated(const QString& runId, const cllm::EvalRecord& eval, double best, bool isBest);
  void checkpointSaved(const QString& path);
  // reason: "finished", "stopped" or "failed".
  void trainingFinished(const QString& runId, const QString& reason, int stepsDone);
  void runsChanged();

  void snapshotReady(const cllm::app::ModelSnapshotPtr& snapshot);
  void sourcesChanged(const QStringList& labels, int current);
  void currentModelChanged(const cllm::app::ModelSnapshotPtr& model);

  // A generation waits for a copy of the weights being trained (a step or less).
  void generationQueued();
  // A generation began: the view clears (continueFrom < 0) or keeps tokens [0, continueFrom).
  void generationStarted(quint64 seed, int continueFrom, int vocabularySize);
  void tokensGenerated(const QList<cllm::StreamedToken>& tokens);
  void generationFinished(const QString& summary);
  void generationFailed(const QString& message);

  // Run `index` (from 0) of `total` starts: `variant` with `seed`.
  void ablationRunStarted(const QString& ablation, int index, int total, const QString& variant,
                          quint64 seed);
  // complete: every run trained its whole budget; otherwise `rows` hold the runs that did.
  void ablationFinished(const QString& ablation, const QString& folder,
                        const std::vector<cllm::AblationRow>& rows, bool complete);

  void tokenSelected(int32_t id);
  void errorOccurred(const QString& title, const QString& message);
  void statusMessage(const QString& message, int timeoutMs);

 private:
  void markInterruptedRuns();
  // Creates the run folder with run.json (`info` merged in), then trains.
  bool startRun(const TrainingSetup& setup, const nlohmann::json& info);
  void startNextAblationRun();
  void finishAblationRun(const QString& reason);
  QString newRunName(const TrainingSetup& setup) const;
  QString newRunColor() const;
  void setState(TrainingState state);
  void onTrainingStarted(const TrainingStart& start);
  void onEvaluated(const EvalRecord& eval, double best, bool isBest);
  void onProgress(const TrainingProgress& progress);
  void onTrainingFinished(const QString& reason, int steps);
  void onSnapshot(const ModelSnapshotPtr& snapshot);
  void generateWith(const ModelSnapshotPtr& model, views::GenerationRequest request);
  void updateSnapshotTimer();
  void announceSources();

  std::unique_ptr<RunStore> store_;
  TrainingController training_;
  GenerationController generation_;
  TrainingState state_ = TrainingState::Idle;

  QString activeRun_;
  TrainingStart activeStart_;
  int activeTrainingThreads_ = 1;
  int activeSteps_ = 0;

  ModelSnapshotPtr trainedSnapshot_;
  QList<ModelSnapshotPtr> checkpoints_;
  int currentSource_ = 0;
  std::optional<views::GenerationRequest> waitingForSnapshot_;

  QHash<QObject*, int> snapshotConsumers_;
  QTimer snapshotTimer_;
  bool snapshotRequested_ = false;

  struct Ablation {
    QString name, folder;
    TrainingSetup base;
    std::vector<AblationVariant> variants;
    QList<quint64> seeds;
    int next = 0;  // the run to start next, variant-major
    std::vector<AblationRun> results;
    int total() const { return int(variants.size()) * int(seeds.size()); }
    int variantIndex(int run) const { return run / int(seeds.size()); }
    quint64 seed(int run) const { return seeds[run % int(seeds.size())]; }
  };
  std::optional<Ablation> ablation_;

  int32_t selectedToken_ = -1;
};

}  // namespace cllm::app
