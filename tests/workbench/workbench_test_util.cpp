#include "workbench_test_util.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>

#include "main_window.h"
#include "views/training/model_config_editor.h"
#include "views/training/train_config_editor.h"
#include "views/training/training_panel.h"

namespace cllm::test {

void useTestSettings(const QString& name) {
  QStandardPaths::setTestModeEnabled(true);
  QApplication::setOrganizationName("CLLM-test-" + name);
  QApplication::setApplicationName("CLLM Workbench " + name + " test");
  QSettings().clear();
}

void configureQuickRun(app::MainWindow& w, int steps) {
  auto* model = w.trainingPanel()->model();
  auto* preset = model->findChild<QComboBox*>("modelPresetCombo");
  preset->setCurrentIndex(preset->findData(QStringLiteral("tiny")));
  model->findChild<QSpinBox*>("blockSpin")->setValue(32);
  auto* train = w.trainingPanel()->training();
  train->findChild<QSpinBox*>("stepsSpin")->setValue(steps);
  train->findChild<QSpinBox*>("batchSpin")->setValue(8);
  train->findChild<QSpinBox*>("evalIntervalSpin")->setValue(40);
  train->findChild<QSpinBox*>("evalBatchesSpin")->setValue(4);
  train->findChild<QSpinBox*>("warmupSpin")->setValue(10);
  train->findChild<QDoubleSpinBox*>("lrSpin")->setValue(0.003);
  // One thread: ctest runs GUI tests side by side on two cores, and the event loop must keep one.
  train->setThreads(1, 1);
}

}  // namespace cllm::test
