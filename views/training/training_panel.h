#pragma once
// The training dock: corpus and tokenizer, model shape, hyperparameters, the run's controls (the main
// window's own actions, so toolbar, menu, shortcuts and buttons are one thing) and its progress.

#include <QList>
#include <QWidget>

class QAction;

namespace cllm::views {

class CorpusSelector;
class ModelConfigEditor;
class TrainConfigEditor;
class TrainingProgressView;

class TrainingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingPanel(QWidget* parent = nullptr);

  CorpusSelector* corpus() const { return corpus_; }
  ModelConfigEditor* model() const { return model_; }
  TrainConfigEditor* training() const { return training_; }
  TrainingProgressView* progress() const { return progress_; }

  // One button per action, in order.
  void setControlActions(const QList<QAction*>& actions);
  // While a run is active its configuration cannot change.
  void setConfigEditable(bool editable);
  // Empty when corpus, model and training settings are all valid.
  QString validationError() const;

 signals:
  void validityChanged(bool valid);

 private:
  CorpusSelector* corpus_;
  ModelConfigEditor* model_;
  TrainConfigEditor* training_;
  TrainingProgressView* progress_;
  QWidget* controls_;
  QList<QWidget*> editors_;
};

}  // namespace cllm::views
