#pragma once
// The workbench window: it wires the panels (docks) to the document and owns the user's actions (menu,
// tool bar, shortcuts and panel buttons share the same QActions). It holds no run state: views send
// their requests to the WorkbenchDocument and redraw from its signals. Settings go through Preferences.

#include <QMainWindow>
#include <memory>
#include <optional>

#include "lattice_controller.h"
#include "number_controller.h"
#include "precision_controller.h"
#include "preferences.h"
#include "workbench_document.h"

class QAction;
class QDockWidget;
class QLabel;
class QProgressDialog;

namespace cllm::views {
class ChartPanel;
class GenerationView;
class LatticeView;
class NumberAnalyserView;
class PrecisionView;
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

  WorkbenchDocument& document() { return document_; }
  views::TrainingPanel* trainingPanel() const { return trainingPanel_; }
  views::ChartPanel* charts() const { return charts_; }
  views::GenerationView* generationView() const { return generationView_; }
  views::RunsView* runsView() const { return runsView_; }
  views::LatticeView* latticeView() const { return latticeView_; }
  views::NumberAnalyserView* numberAnalyser() const { return numbersView_; }
  views::PrecisionView* precisionView() const { return precisionView_; }
  PrecisionController& precision() { return *precision_; }
  LatticeController& lattice() { return *lattice_; }
  // Shortcuts into the document, kept for tests and readability.
  TrainingController& training() { return document_.training(); }
  GenerationController& generation() { return document_.generation(); }
  RunStore& store() { return document_.store(); }
  QString activeRun() const { return document_.activeRun(); }

  // Actions by purpose, for tests and the panels.
  QAction* startAction() const { return startAction_; }
  QAction* pauseAction() const { return pauseAction_; }
  QAction* stopAction() const { return stopAction_; }
  QAction* saveAction() const { return saveAction_; }
  QAction* ablationAction() const { return ablationAction_; }

  // Continue the run saved in `checkpoint` (its corpus is found from the run or the checkpoint).
  void resumeFrom(const QString& checkpoint);
  // Adds the checkpoint as a generation source; shows a clear message when it cannot be read.
  bool loadCheckpointForGeneration(const QString& path);

  // Closing while training asks first; a test answers instead of a person (true: stop, save and close).
  void setConfirmClose(std::function<bool()> confirm) { confirmClose_ = std::move(confirm); }
  // Tests answer "load this checkpoint without a checksum anyway?" here instead of a dialog.
  void setConfirmUnverifiedImport(std::function<bool()> confirm) { confirmUnverified_ = std::move(confirm); }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createPanels();
  void createActions();
  void createMenusAndToolBar();
  void connectDocument();
  void restoreSettings();
  void saveSettings();
  void placeOnScreen();
  void raiseDefaultTabs();

  // The training panel's choice as a new run, or nothing (after saying why).
  std::optional<TrainingSetup> setupFromPanel(const QString& errorTitle);
  void startTraining();
  // Asks which variants and seeds (non-modal), then starts the ablation.
  void startAblation();
  void showAblationResults(const QString& name, const QString& folder, const std::vector<AblationRow>& rows,
                           bool complete);
  void onTrainingStateChanged();
  void onTrainingStarted(const QString& runId, const TrainingStart& start);
  void updateActions();
  void reloadCorpusSummary();

  void refreshRuns();
  void showCheckpointDetails(const QString& path);
  void setOverlay(const QString& runId, bool on);
  void deleteRun(const QString& runId);
  void showError(const QString& title, const QString& message);
  void showAbout();
  void showSettings();

  WorkbenchDocument document_;
  Preferences preferences_;

  views::TrainingPanel* trainingPanel_ = nullptr;
  views::ChartPanel* charts_ = nullptr;
  views::GenerationView* generationView_ = nullptr;
  views::RunsView* runsView_ = nullptr;
  views::LatticeView* latticeView_ = nullptr;
  views::NumberAnalyserView* numbersView_ = nullptr;
  views::PrecisionView* precisionView_ = nullptr;
  std::unique_ptr<LatticeController> lattice_;
  std::unique_ptr<NumberController> numbers_;
  std::unique_ptr<PrecisionController> precision_;
  QList<QDockWidget*> docks_;
  QByteArray defaultLayout_;

  QAction *startAction_, *ablationAction_, *pauseAction_, *stopAction_, *saveAction_, *resumeAction_,
      *openCheckpointAction_, *generateAction_, *stopGenerationAction_, *resetLayoutAction_, *settingsAction_,
      *aboutAction_, *quitAction_;
  QLabel* statusLabel_ = nullptr;

  QString ablationRun_;  // "Ablation run 2 of 9 (positional=rope, seed 2)" while an ablation trains
  int corpusRequest_ = 0;
  std::function<bool()> confirmClose_;
  std::function<bool()> confirmUnverified_;
  QProgressDialog* closingDialog_ = nullptr;
  bool closeWhenStopped_ = false;
};

}  // namespace cllm::app
