#pragma once
// The model's shape: a preset (tiny, small) or custom sizes, and one choice per switchable option of
// the engine's model_options() (positional encoding, embedding initialisation, attention bias). Edits a
// cllm::ModelConfig (its vocabulary size comes from the tokenizer, so the app sets it); the parameter count,
// memory estimate and any validation message update as the user types.

#include <QWidget>
#include <string>
#include <vector>

#include "model/model_config.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace cllm::views {

class ModelConfigEditor : public QWidget {
  Q_OBJECT

 public:
  explicit ModelConfigEditor(QWidget* parent = nullptr);

  ModelConfig config() const;  // with the vocabulary size last set
  void setConfig(const ModelConfig& config);
  void setVocabularySize(int vocabularySize);
  // Sequences per training step, for the memory estimate.
  void setBatchSize(int batch);
  // Empty when the config is valid, else the engine's message.
  QString validationError() const;

 signals:
  void configChanged();

 private:
  void applyPreset();
  void refresh();
  void readOptions(ModelConfig& c) const;
  static QString optionLabel(const std::string& key);

  int vocabularySize_ = 256;
  int batch_ = 12;
  QComboBox* presetCombo_;
  QSpinBox *layersSpin_, *headsSpin_, *widthSpin_, *blockSpin_;
  std::vector<QComboBox*> optionCombos_;  // in model_options() order
  QLabel* estimateLabel_;
  QLabel* errorLabel_;
};

}  // namespace cllm::views
