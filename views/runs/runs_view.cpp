#include "views/runs/runs_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>

namespace cllm::views {

namespace {

// run.json keeps the status in English (scripts read it); the list shows it in the user's language.
QString displayStatus(const QString& status) {
  static const QRegularExpression atStep(QStringLiteral("^(stopped|failed|interrupted) at step (\\d+)$"));
  if (const auto m = atStep.match(status); m.hasMatch()) {
    const QString step = m.captured(2);
    if (m.captured(1) == "stopped") return RunsView::tr("stopped at step %1").arg(step);
    if (m.captured(1) == "failed") return RunsView::tr("failed at step %1").arg(step);
    return RunsView::tr("interrupted at step %1").arg(step);
  }
  if (status == "starting") return RunsView::tr("starting");
  if (status == "running") return RunsView::tr("running");
  if (status == "resuming") return RunsView::tr("resuming");
  if (status == "finished") return RunsView::tr("finished");
  return status;
}

}  // namespace

namespace {

constexpr int kRunIdRole = Qt::UserRole;
constexpr int kCheckpointRole = Qt::UserRole + 1;

QPushButton* button(const QString& text, const char* name) {
  auto* b = new QPushButton(text);
  b->setObjectName(name);
  return b;
}

}  // namespace

RunsView::RunsView(QWidget* parent) : QWidget(parent) {
  tree_ = new QTreeWidget;
  tree_->setObjectName("runsTree");
  tree_->setHeaderLabels({tr("Run"), tr("Status"), tr("Steps"), tr("Best validation loss"), tr("Created")});
  tree_->setRootIsDecorated(true);
  tree_->setAlternatingRowColors(true);
  tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  details_ = new QPlainTextEdit;
  details_->setObjectName("runDetails");
  details_->setReadOnly(true);
  loadButton_ = button(tr("Load for generation"), "loadCheckpointButton");
  resumeButton_ = button(tr("Resume training"), "resumeRunButton");
  renameButton_ = button(tr("Rename…"), "renameRunButton");
  deleteButton_ = button(tr("Delete…"), "deleteRunButton");
  openButton_ = button(tr("Open checkpoint…"), "openCheckpointButton");
  refreshButton_ = button(tr("Refresh"), "refreshRunsButton");

  auto* buttons = new QHBoxLayout;
  for (QPushButton* b : {loadButton_, resumeButton_, renameButton_, deleteButton_}) buttons->addWidget(b);
  buttons->addStretch();
  buttons->addWidget(openButton_);
  buttons->addWidget(refreshButton_);
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(tree_);
  splitter->addWidget(details_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter, 1);
  layout->addLayout(buttons);

  confirmDelete_ = [this](const QString& name) {
    return QMessageBox::question(
               this, tr("Delete run"),
               tr("Delete the run “%1” with its metrics and checkpoints? This cannot be undone.")
                   .arg(name)) == QMessageBox::Yes;
  };

  connect(tree_, &QTreeWidget::itemSelectionChanged, this, [this] {
    updateSelection();
    // Only a user's choice opens a checkpoint for its details, not a refresh of the list.
    const QString checkpoint = selectedCheckpoint();
    if (!checkpoint.isEmpty()) emit checkpointSelected(checkpoint);
  });
  connect(tree_, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
    if (column == 0 && !item->parent())
      emit overlayToggled(item->data(0, kRunIdRole).toString(), item->checkState(0) == Qt::Checked);
  });
  connect(tree_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
    const QString path = item->data(0, kCheckpointRole).toString();
    if (!path.isEmpty()) emit loadRequested(path);
  });
  connect(loadButton_, &QPushButton::clicked, this, [this] { emit loadRequested(selectedCheckpoint()); });
  connect(resumeButton_, &QPushButton::clicked, this, [this] { emit resumeRequested(selectedCheckpoint()); });
  connect(renameButton_, &QPushButton::clicked, this, [this] {
    QTreeWidgetItem* item = runItem(selectedRun());
    if (!item) return;
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Rename run"), tr("Name"), QLineEdit::Normal, item->text(0), &ok)
            .trimmed();
    if (ok && !name.isEmpty()) emit renameRequested(selectedRun(), name);
  });
  connect(deleteButton_, &QPushButton::clicked, this, [this] {
    QTreeWidgetItem* item = runItem(selectedRun());
    if (item && confirmDelete_(item->text(0))) emit deleteRequested(selectedRun());
  });
  connect(openButton_, &QPushButton::clicked, this, &RunsView::openCheckpointRequested);
  connect(refreshButton_, &QPushButton::clicked, this, &RunsView::refreshRequested);
  updateSelection();
}

void RunsView::setRuns(const QList<RunEntry>& runs) {
  const QString selectedId = selectedRun();
  const QStringList overlaid = overlaidRuns();
  runs_ = runs;
  const QSignalBlocker block(tree_);
  tree_->clear();
  const QLocale locale;
  for (const RunEntry& run : runs) {
    auto* item = new QTreeWidgetItem(tree_);
    item->setText(0, run.name);
    item->setData(0, kRunIdRole, run.id);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(0, overlaid.contains(run.id) ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(0, tr("Tick to overlay this run in the charts"));
    item->setText(1, displayStatus(run.status));
    item->setText(2, QString("%1 / %2").arg(run.steps).arg(run.totalSteps));
    item->setText(3, std::isnan(run.bestValidationLoss) ? QStringLiteral("–")
                                                        : locale.toString(run.bestValidationLoss, 'f', 4));
    item->setText(4, locale.toString(run.created, QLocale::ShortFormat));
    for (const CheckpointEntry& c : run.checkpoints) {
      auto* child = new QTreeWidgetItem(item);
      child->setText(0, c.label);
      child->setData(0, kRunIdRole, run.id);
      child->setData(0, kCheckpointRole, c.path);
      child->setToolTip(0, c.path);
      child->setText(2, QString::number(c.step));
      child->setText(4, locale.formattedDataSize(c.bytes));
    }
  }
  tree_->expandAll();
  if (!selectedId.isEmpty()) selectRun(selectedId);
  updateSelection();
}

QStringList RunsView::overlaidRuns() const {
  QStringList ids;
  for (int i = 0; i < tree_->topLevelItemCount(); ++i)
    if (tree_->topLevelItem(i)->checkState(0) == Qt::Checked)
      ids << tree_->topLevelItem(i)->data(0, kRunIdRole).toString();
  return ids;
}

void RunsView::setOverlaid(const QString& runId, bool overlaid) {
  if (QTreeWidgetItem* item = runItem(runId)) item->setCheckState(0, overlaid ? Qt::Checked : Qt::Unchecked);
}

QString RunsView::selectedRun() const {
  const auto items = tree_->selectedItems();
  return items.isEmpty() ? QString() : items.first()->data(0, kRunIdRole).toString();
}

QString RunsView::selectedCheckpoint() const {
  const auto items = tree_->selectedItems();
  if (items.isEmpty()) return {};
  const QString path = items.first()->data(0, kCheckpointRole).toString();
  if (!path.isEmpty()) return path;
  // A run: its best checkpoint when it has one, else its latest.
  for (const RunEntry& run : runs_)
    if (run.id == selectedRun()) {
      for (const CheckpointEntry& c : run.checkpoints)
        if (c.best) return c.path;
      return run.checkpoints.isEmpty() ? QString() : run.checkpoints.first().path;
    }
  return {};
}

void RunsView::selectRun(const QString& runId) {
  if (QTreeWidgetItem* item = runItem(runId)) tree_->setCurrentItem(item);
}

void RunsView::showDetails(const QString& text) {
  details_->setPlainText(text);
}

void RunsView::setConfirmDelete(std::function<bool(const QString&)> confirm) {
  confirmDelete_ = std::move(confirm);
}

void RunsView::updateSelection() {
  const QString run = selectedRun();
  const QString checkpoint = selectedCheckpoint();
  loadButton_->setEnabled(!checkpoint.isEmpty());
  resumeButton_->setEnabled(!checkpoint.isEmpty());
  renameButton_->setEnabled(!run.isEmpty());
  deleteButton_->setEnabled(!run.isEmpty());
  // A selected checkpoint's details come from the app (checkpointSelected); a run's are here.
  const auto items = tree_->selectedItems();
  if (items.isEmpty() || items.first()->parent()) return;
  for (const RunEntry& r : runs_)
    if (r.id == run) details_->setPlainText(r.details);
}

void RunsView::setRunSteps(const QString& runId, int steps) {
  for (RunEntry& run : runs_)
    if (run.id == runId) {
      run.steps = steps;
      if (QTreeWidgetItem* item = runItem(runId))
        item->setText(2, QString("%1 / %2").arg(steps).arg(run.totalSteps));
    }
}

QTreeWidgetItem* RunsView::runItem(const QString& runId) const {
  for (int i = 0; i < tree_->topLevelItemCount(); ++i)
    if (tree_->topLevelItem(i)->data(0, kRunIdRole).toString() == runId) return tree_->topLevelItem(i);
  return nullptr;
}

}  // namespace cllm::views
