#include "precision_controller.h"

#include <QFutureWatcher>
#include <QtConcurrent>
#include <optional>

#include "inspect/precision_lab.h"
#include "inspect/training_corpus.h"
#include "util/error.h"
#include "views/precision/precision_view.h"
#include "workbench_document.h"

namespace cllm::app {

// One measurement: what the worker reads and the GUI thread cancels.
struct PrecisionController::Job {
  ModelSnapshotPtr model;
  QString label;
  int tokens = 0;
  std::atomic<bool> cancel{false};
  QFuture<void> future;
  // Written by the worker, read on the GUI thread once it finished.
  std::optional<PrecisionReport> report;
  QString error;
};

PrecisionController::PrecisionController(WorkbenchDocument& document, views::PrecisionView& view,
                                         QObject* parent)
    : QObject(parent), document_(document), view_(&view) {
  connect(&view, &views::PrecisionView::measureRequested, this, &PrecisionController::measure);
  connect(&view, &views::PrecisionView::cancelRequested, this, &PrecisionController::cancel);
  connect(&document, &WorkbenchDocument::currentModelChanged, this, &PrecisionController::showModel);
  showModel(document.currentModel());
}

PrecisionController::~PrecisionController() {
  if (running_) {
    running_->cancel = true;
    running_->future.waitForFinished();
  }
}

void PrecisionController::showModel(const ModelSnapshotPtr& model) {
  if (!view_) return;
  const QStringList labels = document_.sourceLabels();
  view_->setModel(model ? labels.value(document_.currentSource()) : QString(),
                  model ? model->model->config().block_size : 0);
}

void PrecisionController::measure(int tokensPerSequence) {
  const ModelSnapshotPtr model = document_.currentModel();
  if (!view_ || running_ || !model) return;
  auto job = std::make_shared<Job>();
  job->model = model;
  job->label = document_.sourceLabels().value(document_.currentSource());
  job->tokens = tokensPerSequence;
  running_ = job;
  view_->setBusy(true);
  view_->setProgress(tr("Reading the validation tokens…"), 0);

  auto* watcher = new QFutureWatcher<void>(this);
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job] {
    watcher->deleteLater();
    running_.reset();
    if (!view_) return;
    if (job->report)
      view_->showReport(*job->report, job->label);
    else if (!job->error.isEmpty())
      view_->showError(job->error);
    else
      view_->showCancelled();
  });
  // Progress crosses to the GUI thread queued; the lab's own counter makes the fraction track time.
  QPointer<views::PrecisionView> view = view_;
  job->future = QtConcurrent::run([job, view] {
    try {
      std::vector<int32_t> tokens;
      if (job->model->validationTokens) {
        tokens = *job->model->validationTokens;
      } else {
        require(job->model->corpus.has_value(),
                "this checkpoint records no training corpus; the precision lab needs its validation text");
        CorpusTokens found = training_corpus_tokens(*job->model->corpus, job->model->validationFraction,
                                                    *job->model->tokenizer);
        require(found.found(), "no validation tokens to measure on: " + found.source);
        tokens = std::move(found.validation);
      }
      PrecisionSettings settings;
      settings.tokens_per_sequence = job->tokens;
      const Gpt& gpt = *job->model->model;
      job->report = measure_precision(gpt.config(), gpt.parameters(), tokens, settings,
                                      [job, view](const std::string& stage, long done, long total) {
                                        const QString text = QString::fromStdString(stage);
                                        const double fraction = total > 0 ? double(done) / double(total) : 0;
                                        QMetaObject::invokeMethod(
                                            view,
                                            [view, text, fraction] {
                                              if (view) view->setProgress(text, fraction);
                                            },
                                            Qt::QueuedConnection);
                                        return !job->cancel.load();
                                      });
    } catch (const std::exception& e) {
      job->error = QString::fromStdString(e.what());
    }
  });
  watcher->setFuture(job->future);
}

void PrecisionController::cancel() {
  if (running_) running_->cancel = true;
}

}  // namespace cllm::app
