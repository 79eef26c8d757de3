#include "views/training/training_panel.h"

#include <QAction>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include "views/training/corpus_selector.h"
#include "views/training/model_config_editor.h"
#include "views/training/train_config_editor.h"
#include "views/training/training_progress_view.h"

namespace cllm::views {

namespace {

QGroupBox* group(const QString& title, QWidget* content) {
  auto* box = new QGroupBox(title);
  auto* layout = new QVBoxLayout(box);
  layout->addWidget(content);
  return box;
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  corpus_ = new CorpusSelector;
  model_ = new ModelConfigEditor;
  training_ = new TrainConfigEditor;
  progress_ = new TrainingProgressView;
  controls_ = new QWidget;
  controls_->setLayout(new QHBoxLayout);
  controls_->layout()->setContentsMargins(0, 0, 0, 0);

  auto* settings = new QWidget;
  auto* settingsLayout = new QVBoxLayout(settings);
  editors_ = {group(tr("Corpus"), corpus_), group(tr("Model"), model_), group(tr("Training"), training_)};
  for (QWidget* w : editors_) settingsLayout->addWidget(w);
  settingsLayout->addStretch();
  auto* scroll = new QScrollArea;
  scroll->setWidget(settings);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(scroll, 1);
  layout->addWidget(controls_);
  layout->addWidget(progress_);

  auto revalidate = [this] { emit validityChanged(validationError().isEmpty()); };
  connect(model_, &ModelConfigEditor::configChanged, this, revalidate);
  connect(corpus_, &CorpusSelector::validityChanged, this, revalidate);
  connect(training_, &TrainConfigEditor::configChanged, this, [this, revalidate] {
    model_->setBatchSize(training_->config().batch_size);
    revalidate();
  });
  model_->setBatchSize(training_->config().batch_size);
}

void TrainingPanel::setControlActions(const QList<QAction*>& actions) {
  for (QAction* action : actions) {
    auto* button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setObjectName(action->objectName() + "Button");
    controls_->layout()->addWidget(button);
  }
  static_cast<QHBoxLayout*>(controls_->layout())->addStretch();
}

void TrainingPanel::setConfigEditable(bool editable) {
  for (QWidget* w : editors_) w->setEnabled(editable);
}

QString TrainingPanel::validationError() const {
  QString error = corpus_->validationError();
  if (error.isEmpty()) error = model_->validationError();
  if (error.isEmpty()) error = training_->validationError();
  return error;
}

}  // namespace cllm::views
