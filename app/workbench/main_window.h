#pragma once
// The workbench window: dockable panels for training, charts, generation and runs, wired to the
// training and generation workers. It owns the runs folder and all user actions (menu, tool bar,
// shortcuts and panel buttons share the same QActions).

#include <QMainWindow>
#include <memory>

#include "generation_controller.h"
#include "run_store.h"
#include "training_controller.h"
#include "views/generation/generation_request.h"

class QAction;
class QDockWidget;
class QLabel;

namespace cllm::views {
class ChartPanel;
class GenerationView;
class RunsView;
class TrainingPanel;
}  // namespace cllm::views

namespace cllm::app {


class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // `runsRoot` empty: RunStore::defaultRoot().
  explicit MainWindow(const QString& runsRoot = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  views::TrainingPanel* trainingPanel() const { return trainingPanel_; }
  views::ChartPanel* charts() const { return charts_; }
  views::GenerationView* generationView() const { return generationView_; }
  views::RunsView* runsView() const { return runsView_; }
  TrainingController& training() { return training_; }
  GenerationController& generation() { return generation_; }
  RunStore& store() { return *store_; }
  QString activeRun() const { return activeRun_; }

  // Actions by purpose, for tests and the panels.
  QAction* startAction() const { return startAction_; }
  QAction* pauseAction() const { return pauseAction_; }
  QAction* stopAction() const { return stopAction_; }
  QAction* saveAction() const { return saveAction_; }

  // Continue the run saved in `checkpoint` (its corpus is found from the run or the checkpoint).
  void resumeFrom(const QString& checkpoint);
  // Adds the checkpoint as a generation source; shows a clear message when it cannot be read.
  bool loadCheckpointForGeneration(const QString& path);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createPanels();
  void createActions();
  void createMenusAndToolBar();
  void restoreSettings();
  void saveSettings() const;

  void startTraining();
  void onTrainingStarted(const TrainingStart& start);
  void onEvaluated(const views::EvalRecord& eval, double best, bool isBest);
  void onTrainingFinished(const QString& reason, int steps);
  void updateActions();

  void reloadCorpusSummary();
  // What to generate: fresh output, or continuing the shown output after token `continueFrom`, with an
  // alternative (by its label) forced in at that position.
  struct GenerationJob {
    views::GenerationRequest request;
    int continueFrom = -1;
    QString forcedAlternative;
  };
  void generate(const views::GenerationRequest& request, int continueFrom = -1, const QString& forcedAlternative = {});
  void generateWith(const ModelSnapshotPtr& model, GenerationJob job);
  // `select` < 0 keeps the current choice.
  void updateModelSources(int select = -1);

  void refreshRuns();
  void showCheckpointDetails(const QString& path);
  void setOverlay(const QString& runId, bool on);
  void deleteRun(const QString& runId);
  void showError(const QString& title, const QString& message);
  void showAbout();
  void showSettings();

  std::unique_ptr<RunStore> store_;
  TrainingController training_;
  GenerationController generation_;

  views::TrainingPanel* trainingPanel_ = nullptr;
  views::ChartPanel* charts_ = nullptr;
  views::GenerationView* generationView_ = nullptr;
  views::RunsView* runsView_ = nullptr;
  QList<QDockWidget*> docks_;
  QByteArray defaultLayout_;

  QAction *startAction_, *pauseAction_, *stopAction_, *saveAction_, *resumeAction_, *openCheckpointAction_,
      *generateAction_, *stopGenerationAction_, *resetLayoutAction_, *settingsAction_, *aboutAction_, *quitAction_;
  QLabel* statusLabel_ = nullptr;

  QString activeRun_;
  TrainingStart activeStart_;
  // Generation sources: index 0 is the model being trained (or last trained), then loaded checkpoints.
  ModelSnapshotPtr trainedSnapshot_;
  QList<ModelSnapshotPtr> checkpoints_;
  std::unique_ptr<GenerationJob> waitingForSnapshot_;
  int corpusRequest_ = 0;
};

}  // namespace cllm::app
