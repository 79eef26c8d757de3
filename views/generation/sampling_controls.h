#pragma once
// The settings side of the generation panel: mode, the sampling chain, length and stopping, seed, beam
// search, presets and inline validation. Knows nothing of models; reads and writes the engine's
// GenerationSettings / BeamSettings and checks them with their own validate().
//
// Stop strings are typed one per line (see stop_strings.h); a comma is a valid stop string itself.

#include <QList>
#include <QWidget>

#include "views/generation/generation_request.h"
#include "views/generation/sampling_presets.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace cllm::views {

class SeedSpinBox;

class SamplingControls : public QWidget {
  Q_OBJECT

 public:
  explicit SamplingControls(QWidget* parent = nullptr);

  GenerationRequest::Mode mode() const;
  void setMode(GenerationRequest::Mode mode);

  // Everything but the prompt. randomSeed is only set in Sample mode (Greedy and Beam ignore seeds).
  void fillRequest(GenerationRequest& request) const;
  bool isValid() const { return error_.isEmpty(); }
  QString validationError() const { return error_; }

  // Top-k's upper bound; top-k = vocabulary size is the same as off.
  void setVocabularySize(int size);
  // After a random-seed generation, shows the seed drawn so that unticking "Random" reproduces it.
  void showSeedUsed(quint64 seed);
  void resetToDefaults();

  // Every setting (mode, chain, length, stop strings, seed, beam) as JSON for the app to persist, and the
  // reverse; restoreState keeps the current value of anything missing or invalid.
  QJsonObject state() const;
  void restoreState(const QJsonObject& state);

  // The current mode and chain as an unnamed preset, and the reverse.
  SamplingPreset currentPreset() const;
  void applyPreset(const SamplingPreset& preset);

  // User presets follow the built-ins in the preset combo; the app persists them (samplingPresetToJson).
  QList<SamplingPreset> userPresets() const { return userPresets_; }
  void setUserPresets(const QList<SamplingPreset>& presets);
  // Replaces a user preset of the same name. Returns false (and adds nothing) for a built-in's name.
  bool addUserPreset(const SamplingPreset& preset);

 signals:
  void settingsChanged();
  void validityChanged(bool valid);
  void userPresetsChanged();

 private:
  QWidget* buildPresetRow();
  QWidget* buildSamplingGroup();
  QWidget* buildLengthGroup();
  QWidget* buildBeamGroup();
  void connectControls();

  void onControlsChanged();
  void updateEnabledControls();
  void revalidate();
  void rebuildPresetCombo();
  void syncPresetCombo();
  void onPresetSelected(int comboIndex);
  void onSavePreset();
  void onDeletePreset();
  QList<SamplingPreset> allPresets() const;

  QComboBox* modeCombo_;
  QDoubleSpinBox* temperatureSpin_;
  QSpinBox* topKSpin_;
  QDoubleSpinBox* topPSpin_;
  QDoubleSpinBox* minPSpin_;
  QDoubleSpinBox* repetitionPenaltySpin_;
  QSpinBox* repetitionWindowSpin_;
  QSpinBox* maxTokensSpin_;
  QSpinBox* topAlternativesSpin_;
  SeedSpinBox* seedSpin_;
  QCheckBox* randomSeedCheck_;
  QPlainTextEdit* stopStringsEdit_;
  QSpinBox* beamWidthSpin_;
  QDoubleSpinBox* lengthPenaltySpin_;
  QComboBox* presetCombo_;
  QPushButton* savePresetButton_;
  QPushButton* deletePresetButton_;
  QPushButton* resetButton_;
  QLabel* validationLabel_;

  QList<SamplingPreset> userPresets_;
  QString error_;
  bool applying_ = false;  // batch updates from presets/reset: react once at the end
};

}  // namespace cllm::views
