#pragma once
// The runs and their checkpoints: a list with best validation loss, a details pane, and actions (show in
// the charts, load for generation, resume training, rename, delete with confirmation, open a checkpoint
// file). It only emits requests; the app does the work and calls setRuns() again.

#include <QWidget>
#include <functional>

#include "views/runs/run_entry.h"

class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace cllm::views {

class RunsView : public QWidget {
  Q_OBJECT

 public:
  explicit RunsView(QWidget* parent = nullptr);

  void setRuns(const QList<RunEntry>& runs);
  // The live step count of a training run, between the evaluations that rewrite its entry.
  void setRunSteps(const QString& runId, int steps);
  // Runs ticked for the chart overlay.
  QStringList overlaidRuns() const;
  void setOverlaid(const QString& runId, bool overlaid);
  QString selectedRun() const;
  QString selectedCheckpoint() const;  // a checkpoint's path, or the best/latest one of a selected run
  void selectRun(const QString& runId);
  // Shown in the details pane, e.g. when opening a checkpoint failed or for a checkpoint's summary.
  void showDetails(const QString& text);
  // Asks before deleting; a test replaces it.
  void setConfirmDelete(std::function<bool(const QString& runName)> confirm);

 signals:
  void overlayToggled(const QString& runId, bool overlaid);
  void loadRequested(const QString& checkpointPath);
  void resumeRequested(const QString& checkpointPath);
  void renameRequested(const QString& runId, const QString& newName);
  void deleteRequested(const QString& runId);
  void openCheckpointRequested();  // a file outside the runs folder
  void refreshRequested();
  void checkpointSelected(const QString& checkpointPath);

 private:
  void updateSelection();
  QTreeWidgetItem* runItem(const QString& runId) const;

  QTreeWidget* tree_;
  QPlainTextEdit* details_;
  QPushButton *loadButton_, *resumeButton_, *renameButton_, *deleteButton_, *openButton_, *refreshButton_;
  QList<RunEntry> runs_;
  std::function<bool(const QString&)> confirmDelete_;
};

}  // namespace cllm::views
