#pragma once
// Answers the precision panel: measures the current model (the one being trained, as a snapshot, or a
// loaded checkpoint) with the precision lab on a worker thread, on its run's validation tokens (kept by a
// training snapshot, or found again from a checkpoint's recorded corpus). Progress goes to the panel; Cancel
// stops the lab at its next progress report. A new model cancels nothing: the report says which model it
// measured.

#include <QObject>
#include <QPointer>
#include <atomic>
#include <memory>

#include "model_snapshot.h"

namespace cllm::views {
class PrecisionView;
}

namespace cllm::app {

class WorkbenchDocument;

class PrecisionController : public QObject {
  Q_OBJECT

 public:
  PrecisionController(WorkbenchDocument& document, views::PrecisionView& view, QObject* parent = nullptr);
  ~PrecisionController() override;  // cancels a running measurement and waits for it

  void measure(int tokensPerSequence);
  void cancel();
  bool isMeasuring() const { return running_ != nullptr; }

 private:
  struct Job;
  void showModel(const ModelSnapshotPtr& model);

  WorkbenchDocument& document_;
  QPointer<views::PrecisionView> view_;
  std::shared_ptr<Job> running_;
};

}  // namespace cllm::app
