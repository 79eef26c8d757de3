#include "views/training/train_config_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStandardItemModel>

#include <algorithm>

#include "kernels/cpu_kernels.h"
#include "kernels/gemm.h"

#include "views/validation_message.h"

namespace cllm::views {

namespace {

QSpinBox* intSpin(const char* name, int lo, int hi) {
  auto* s = new QSpinBox;
  s->setObjectName(name);
  s->setRange(lo, hi);
  s->setGroupSeparatorShown(true);
  return s;
}

QDoubleSpinBox* realSpin(const char* name, double lo, double hi, int decimals, double step) {
  auto* s = new QDoubleSpinBox;
  s->setObjectName(name);
  s->setRange(lo, hi);
  s->setDecimals(decimals);
  s->setSingleStep(step);
  return s;
}

}  // namespace

TrainConfigEditor::TrainConfigEditor(QWidget* parent) : QWidget(parent) {
  // Ranges are wide on purpose: the engine's validate() explains what is impossible.
  stepsSpin_ = intSpin("stepsSpin", 0, 10'000'000);
  batchSpin_ = intSpin("batchSpin", 0, 4096);
  lrSpin_ = realSpin("lrSpin", 0, 10, 6, 1e-4);
  minLrSpin_ = realSpin("minLrSpin", 0, 10, 6, 1e-5);
  warmupSpin_ = intSpin("warmupSpin", 0, 1'000'000);
  scheduleCombo_ = new QComboBox;
  scheduleCombo_->setObjectName("scheduleCombo");
  scheduleCombo_->addItem(tr("Cosine decay"), "cosine");
  scheduleCombo_->addItem(tr("Constant"), "constant");
  decaySpin_ = realSpin("weightDecaySpin", 0, 10, 4, 0.01);
  beta1Spin_ = realSpin("beta1Spin", 0, 1, 4, 0.01);
  beta2Spin_ = realSpin("beta2Spin", 0, 1, 4, 0.001);
  clipCheck_ = new QCheckBox(tr("Clip"));
  clipCheck_->setObjectName("clipCheck");
  clipSpin_ = realSpin("clipSpin", 0.01, 1000, 2, 0.1);
  auto* clipRow = new QHBoxLayout;
  clipRow->addWidget(clipCheck_);
  clipRow->addWidget(clipSpin_, 1);
  accumSpin_ = intSpin("gradAccumSpin", 0, 1024);
  evalIntervalSpin_ = intSpin("evalIntervalSpin", 0, 1'000'000);
  evalIntervalSpin_->setSpecialValueText(tr("at the end only"));
  evalBatchesSpin_ = intSpin("evalBatchesSpin", 0, 100'000);
  evalBatchesSpin_->setSpecialValueText(tr("whole validation split"));
  seedSpin_ = intSpin("seedSpin", 0, 2'000'000'000);
  valFractionSpin_ = realSpin("valFractionSpin", 0, 1, 3, 0.01);
  threadsSpin_ = intSpin("threadsSpin", 1, 1);
  precisionCombo_ = new QComboBox;
  precisionCombo_->setObjectName("precisionCombo");
  precisionCombo_->addItem(tr("float32"), "float32");
  precisionCombo_->addItem(tr("bfloat16 (float32 weights and optimizer)"), "bf16");
  if (!kernels::cpu_has_bf16()) {
    // Disabled rather than hidden, so the option and the reason are both visible.
    auto* model = qobject_cast<QStandardItemModel*>(precisionCombo_->model());
    model->item(1)->setEnabled(false);
    model->item(1)->setToolTip(tr("Needs a CPU with AVX512_BF16 or AMX-BF16; this one has %1")
                                   .arg(QString::fromUtf8(kernels::cpu_bf16_description())));
  }
  errorLabel_ = new QLabel;
  errorLabel_->setObjectName("trainErrorLabel");
  errorLabel_->setStyleSheet("color: #b00020;");
  errorLabel_->setWordWrap(true);

  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Steps"), stepsSpin_);
  form->addRow(tr("Batch"), batchSpin_);
  form->addRow(tr("Learning rate"), lrSpin_);
  form->addRow(tr("Final learning rate"), minLrSpin_);
  form->addRow(tr("Warmup steps"), warmupSpin_);
  form->addRow(tr("Schedule"), scheduleCombo_);
  form->addRow(tr("Weight decay"), decaySpin_);
  form->addRow(tr("Adam β1"), beta1Spin_);
  form->addRow(tr("Adam β2"), beta2Spin_);
  form->addRow(tr("Gradient norm"), clipRow);
  form->addRow(tr("Accumulation"), accumSpin_);
  form->addRow(tr("Evaluate every"), evalIntervalSpin_);
  form->addRow(tr("Evaluation batches"), evalBatchesSpin_);
  form->addRow(tr("Validation share"), valFractionSpin_);
  form->addRow(tr("Seed"), seedSpin_);
  form->addRow(tr("Threads"), threadsSpin_);
  form->addRow(tr("Matrix products"), precisionCombo_);
  form->addRow(errorLabel_);

  setConfig(TrainConfig{});
  for (QSpinBox* s :
       {stepsSpin_, batchSpin_, warmupSpin_, accumSpin_, evalIntervalSpin_, evalBatchesSpin_, seedSpin_})
    connect(s, &QSpinBox::valueChanged, this, &TrainConfigEditor::refresh);
  for (QDoubleSpinBox* s :
       {lrSpin_, minLrSpin_, decaySpin_, beta1Spin_, beta2Spin_, clipSpin_, valFractionSpin_})
    connect(s, &QDoubleSpinBox::valueChanged, this, &TrainConfigEditor::refresh);
  connect(scheduleCombo_, &QComboBox::currentIndexChanged, this, &TrainConfigEditor::refresh);
  connect(clipCheck_, &QCheckBox::toggled, this, [this](bool on) {
    clipSpin_->setEnabled(on);
    refresh();
  });
  connect(threadsSpin_, &QSpinBox::valueChanged, this, &TrainConfigEditor::configChanged);
  connect(precisionCombo_, &QComboBox::currentIndexChanged, this, &TrainConfigEditor::refresh);
}

TrainConfig TrainConfigEditor::config() const {
  TrainConfig c;
  c.steps = stepsSpin_->value();
  c.batch_size = batchSpin_->value();
  c.lr = lrSpin_->value();
  c.min_lr = minLrSpin_->value();
  c.warmup_steps = warmupSpin_->value();
  c.schedule = scheduleCombo_->currentData().toString().toStdString();
  c.weight_decay = decaySpin_->value();
  c.beta1 = beta1Spin_->value();
  c.beta2 = beta2Spin_->value();
  c.grad_clip = clipCheck_->isChecked() ? clipSpin_->value() : 0.0;
  c.grad_accum = accumSpin_->value();
  c.eval_interval = evalIntervalSpin_->value();
  c.eval_batches = evalBatchesSpin_->value();
  c.seed = static_cast<uint64_t>(seedSpin_->value());
  c.validation_fraction = valFractionSpin_->value();
  c.precision = precisionCombo_->currentData().toString().toStdString();
  return c;
}

void TrainConfigEditor::setConfig(const TrainConfig& c) {
  stepsSpin_->setValue(c.steps);
  batchSpin_->setValue(c.batch_size);
  lrSpin_->setValue(c.lr);
  minLrSpin_->setValue(c.min_lr);
  warmupSpin_->setValue(c.warmup_steps);
  scheduleCombo_->setCurrentIndex(scheduleCombo_->findData(QString::fromStdString(c.schedule)));
  decaySpin_->setValue(c.weight_decay);
  beta1Spin_->setValue(c.beta1);
  beta2Spin_->setValue(c.beta2);
  clipCheck_->setChecked(c.grad_clip > 0);
  clipSpin_->setEnabled(c.grad_clip > 0);
  if (c.grad_clip > 0) clipSpin_->setValue(c.grad_clip);
  accumSpin_->setValue(c.grad_accum);
  evalIntervalSpin_->setValue(c.eval_interval);
  evalBatchesSpin_->setValue(c.eval_batches);
  seedSpin_->setValue(static_cast<int>(c.seed % 2'000'000'001ULL));
  valFractionSpin_->setValue(c.validation_fraction);
  precisionCombo_->setCurrentIndex(
      std::max(0, precisionCombo_->findData(QString::fromStdString(c.precision))));
  refresh();
}

int TrainConfigEditor::threads() const {
  return threadsSpin_->value();
}

void TrainConfigEditor::setThreads(int threads, int maximum) {
  threadsSpin_->setRange(1, std::max(1, maximum));
  threadsSpin_->setValue(threads);
}

QString TrainConfigEditor::validationError() const {
  const TrainConfig c = config();
  QString error = validationMessage(c);
  if (error.isEmpty()) {
    try {
      kernels::require_supported(kernels::parse_matmul_precision(c.precision));
    } catch (const Error& e) {
      error = QString::fromStdString(e.what());
    }
  }
  return error;
}

void TrainConfigEditor::refresh() {
  const QString error = validationError();
  errorLabel_->setText(error);
  errorLabel_->setVisible(!error.isEmpty());
  emit configChanged();
}

}  // namespace cllm::views
