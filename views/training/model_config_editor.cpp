#include "views/training/model_config_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>

#include "model/gpt.h"
#include "session/memory_check.h"
#include "views/validation_message.h"

namespace cllm::views {

namespace {

// "embedding_init" -> "embeddingInitCombo"
QString objectNameFor(const std::string& key) {
  QString name;
  bool upper = false;
  for (char ch : key) {
    if (ch == '_') {
      upper = true;
      continue;
    }
    name += upper ? QChar(ch).toUpper() : QChar(ch);
    upper = false;
  }
  return name + "Combo";
}

// Whether two configs have the same sizes (what a preset fixes).
bool sameShape(const ModelConfig& a, const ModelConfig& b) {
  return a.n_layer == b.n_layer && a.n_head == b.n_head && a.n_embd == b.n_embd &&
         a.block_size == b.block_size;
}

}  // namespace

ModelConfigEditor::ModelConfigEditor(QWidget* parent) : QWidget(parent) {
  presetCombo_ = new QComboBox;
  presetCombo_->setObjectName("modelPresetCombo");
  // Shown translated; the data is the engine's preset name (the same as `cllm train --preset`).
  [[maybe_unused]] static const char* const kPresetNames[] = {QT_TR_NOOP("tiny"),
                                                              QT_TR_NOOP("small")};  // for lupdate
  for (const auto& name : model_preset_names())
    presetCombo_->addItem(tr(name.c_str()), QString::fromStdString(name));
  presetCombo_->addItem(tr("custom"));
  auto spin = [](const char* name, int lo, int hi) {
    auto* s = new QSpinBox;
    s->setObjectName(name);
    s->setRange(lo, hi);
    return s;
  };
  // Ranges allow impossible combinations (heads not dividing the width) so the engine's message can say why.
  layersSpin_ = spin("layersSpin", 1, 64);
  headsSpin_ = spin("headsSpin", 1, 64);
  widthSpin_ = spin("widthSpin", 1, 4096);
  blockSpin_ = spin("blockSpin", 1, 4096);
  // One combo box per switchable model option, from the engine's table (names as the CLI spells them).
  for (const ModelOption& option : model_options()) {
    auto* combo = new QComboBox;
    combo->setObjectName(objectNameFor(option.key));
    combo->setToolTip(QString::fromStdString(option.help));
    for (const auto& value : option.values) combo->addItem(QString::fromStdString(value));
    optionCombos_.push_back(combo);
  }
  estimateLabel_ = new QLabel;
  estimateLabel_->setObjectName("modelEstimateLabel");
  estimateLabel_->setWordWrap(true);
  errorLabel_ = new QLabel;
  errorLabel_->setObjectName("modelErrorLabel");
  errorLabel_->setStyleSheet("color: #b00020;");
  errorLabel_->setWordWrap(true);

  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Preset"), presetCombo_);
  form->addRow(tr("Layers"), layersSpin_);
  form->addRow(tr("Heads"), headsSpin_);
  form->addRow(tr("Width"), widthSpin_);
  form->addRow(tr("Context (block)"), blockSpin_);
  for (size_t i = 0; i < optionCombos_.size(); ++i)
    form->addRow(optionLabel(model_options()[i].key), optionCombos_[i]);
  form->addRow(estimateLabel_);
  form->addRow(errorLabel_);

  presetCombo_->setCurrentIndex(presetCombo_->findData(QStringLiteral("small")));
  applyPreset();
  connect(presetCombo_, &QComboBox::currentIndexChanged, this, &ModelConfigEditor::applyPreset);
  for (QSpinBox* s : {layersSpin_, headsSpin_, widthSpin_, blockSpin_})
    connect(s, &QSpinBox::valueChanged, this, [this] {
      // Editing a size makes the config custom unless it still equals the chosen preset.
      if (presetCombo_->currentIndex() < presetCombo_->count() - 1) {
        if (!sameShape(config(), model_preset(presetCombo_->currentData().toString().toStdString()))) {
          const QSignalBlocker block(presetCombo_);
          presetCombo_->setCurrentIndex(presetCombo_->count() - 1);
        }
      }
      refresh();
    });
  for (QComboBox* combo : optionCombos_)
    connect(combo, &QComboBox::currentIndexChanged, this, &ModelConfigEditor::refresh);
}

QString ModelConfigEditor::optionLabel(const std::string& key) {
  if (key == "positional") return tr("Positions");
  if (key == "embedding_init") return tr("Embedding init");
  if (key == "attention_bias") return tr("Attention bias");
  if (key == "mixer") return tr("Token mixer");
  if (key == "roots") return tr("Word roots");
  return QString::fromStdString(key);  // an option added to the engine before it got a translated label
}

void ModelConfigEditor::readOptions(ModelConfig& c) const {
  for (size_t i = 0; i < optionCombos_.size(); ++i)
    c.*model_options()[i].field = optionCombos_[i]->currentText().toStdString();
}

ModelConfig ModelConfigEditor::config() const {
  ModelConfig c;
  c.vocab_size = vocabularySize_;
  c.n_layer = layersSpin_->value();
  c.n_head = headsSpin_->value();
  c.n_embd = widthSpin_->value();
  c.block_size = blockSpin_->value();
  readOptions(c);
  return c;
}

void ModelConfigEditor::setConfig(const ModelConfig& c) {
  {
    const QSignalBlocker b1(layersSpin_), b2(headsSpin_), b3(widthSpin_), b4(blockSpin_), b5(presetCombo_);
    layersSpin_->setValue(c.n_layer);
    headsSpin_->setValue(c.n_head);
    widthSpin_->setValue(c.n_embd);
    blockSpin_->setValue(c.block_size);
    for (size_t i = 0; i < optionCombos_.size(); ++i)
      optionCombos_[i]->setCurrentText(QString::fromStdString(c.*model_options()[i].field));
    presetCombo_->setCurrentIndex(presetCombo_->count() - 1);
    for (int i = 0; i + 1 < presetCombo_->count(); ++i)
      if (sameShape(model_preset(presetCombo_->itemData(i).toString().toStdString()), c))
        presetCombo_->setCurrentIndex(i);
  }
  if (c.vocab_size > 0) vocabularySize_ = c.vocab_size;
  refresh();
}

void ModelConfigEditor::setVocabularySize(int vocabularySize) {
  vocabularySize_ = vocabularySize;
  refresh();
}

void ModelConfigEditor::setBatchSize(int batch) {
  batch_ = batch;
  refresh();
}

QString ModelConfigEditor::validationError() const {
  const QString error = validationMessage(config());
  if (!error.isEmpty()) return error;
  // What cannot fit in this machine's memory is refused before it starts (the corpus adds a little).
  const MemoryCheck memory = check_training_memory(config(), std::max(1, batch_), 0);
  return memory.verdict == MemoryVerdict::TooLarge ? QString::fromStdString(memory.message()) : QString();
}

void ModelConfigEditor::applyPreset() {
  if (presetCombo_->currentIndex() == presetCombo_->count() - 1) return;  // custom keeps the current sizes
  ModelConfig preset = model_preset(presetCombo_->currentData().toString().toStdString());
  readOptions(preset);
  preset.vocab_size = vocabularySize_;
  setConfig(preset);
}

void ModelConfigEditor::refresh() {
  const QString error = validationError();
  errorLabel_->setText(error);
  errorLabel_->setVisible(!error.isEmpty());
  if (error.isEmpty()) {
    const ModelConfig c = config();
    const QLocale locale;
    const MemoryCheck memory = check_training_memory(c, std::max(1, batch_), 0);
    QString text = tr("%1 parameters (%2 as float32); training needs %3 with batch %4")
                       .arg(locale.toString(qlonglong(c.parameter_count())),
                            locale.formattedDataSize(c.parameter_count() * 4),
                            locale.formattedDataSize(qint64(memory.needed_bytes)))
                       .arg(batch_);
    if (memory.available_bytes)
      text += tr(" of %1 available").arg(locale.formattedDataSize(qint64(*memory.available_bytes)));
    estimateLabel_->setText(text);
    // Tight: it fits but leaves little for anything else.
    estimateLabel_->setStyleSheet(memory.verdict == MemoryVerdict::Tight ? QStringLiteral("color: #b26a00;")
                                                                         : QString());
  } else {
    estimateLabel_->clear();
  }
  emit configChanged();
}

}  // namespace cllm::views
