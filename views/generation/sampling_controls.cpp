#include "views/generation/sampling_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "util/error.h"
#include "views/generation/seed_spin_box.h"
#include "views/generation/stop_strings.h"
#include "views/validation_message.h"

namespace cllm::views {

namespace {

constexpr int kDefaultVocabularyLimit = 1'000'000;
constexpr int kCustomPreset = -1;  // preset combo data of the "Custom" entry

QDoubleSpinBox* doubleSpin(QWidget* parent, const char* name, double min, double max, double step,
                           int decimals) {
  auto* spin = new QDoubleSpinBox(parent);
  spin->setObjectName(QString::fromLatin1(name));
  spin->setDecimals(decimals);
  spin->setRange(min, max);
  spin->setSingleStep(step);
  return spin;
}

QSpinBox* intSpin(QWidget* parent, const char* name, int min, int max) {
  auto* spin = new QSpinBox(parent);
  spin->setObjectName(QString::fromLatin1(name));
  spin->setRange(min, max);
  return spin;
}

// Disables a form field together with its label, so a greyed row reads as "not used in this mode".
void setRowEnabled(QWidget* field, bool enabled) {
  field->setEnabled(enabled);
  for (QWidget* w = field->parentWidget(); w; w = w->parentWidget()) {
    if (auto* form = qobject_cast<QFormLayout*>(w->layout())) {
      if (QWidget* label = form->labelForField(field)) label->setEnabled(enabled);
      return;
    }
  }
}

}  // namespace

SamplingControls::SamplingControls(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(buildPresetRow());
  layout->addWidget(buildSamplingGroup());
  layout->addWidget(buildLengthGroup());
  layout->addWidget(buildBeamGroup());

  validationLabel_ = new QLabel(this);
  validationLabel_->setObjectName(QStringLiteral("validationLabel"));
  validationLabel_->setWordWrap(true);
  QPalette red = validationLabel_->palette();
  red.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
  validationLabel_->setPalette(red);
  validationLabel_->hide();
  layout->addWidget(validationLabel_);

  resetButton_ = new QPushButton(tr("Reset to de&faults"), this);
  resetButton_->setObjectName(QStringLiteral("resetDefaultsButton"));
  resetButton_->setToolTip(
      tr("llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, "
         "no repetition penalty (window 64)"));
  connect(resetButton_, &QPushButton::clicked, this, &SamplingControls::resetToDefaults);
  layout->addWidget(resetButton_, 0, Qt::AlignLeft);
  layout->addStretch(1);

  rebuildPresetCombo();
  resetToDefaults();
  connectControls();
}

QWidget* SamplingControls::buildPresetRow() {
  auto* row = new QWidget(this);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* label = new QLabel(tr("Pr&eset:"), row);
  presetCombo_ = new QComboBox(row);
  presetCombo_->setObjectName(QStringLiteral("presetCombo"));
  presetCombo_->setToolTip(
      tr("Named bundles of sampling settings. Editing a control switches to \"Custom\"."));
  label->setBuddy(presetCombo_);
  savePresetButton_ = new QPushButton(tr("Sa&ve…"), row);
  savePresetButton_->setObjectName(QStringLiteral("savePresetButton"));
  savePresetButton_->setToolTip(tr("Save the current mode and sampling chain as a named preset"));
  deletePresetButton_ = new QPushButton(tr("Delete"), row);
  deletePresetButton_->setObjectName(QStringLiteral("deletePresetButton"));
  deletePresetButton_->setToolTip(tr("Delete the selected preset (built-in presets cannot be deleted)"));
  layout->addWidget(label);
  layout->addWidget(presetCombo_, 1);
  layout->addWidget(savePresetButton_);
  layout->addWidget(deletePresetButton_);
  return row;
}

QWidget* SamplingControls::buildSamplingGroup() {
  auto* group = new QGroupBox(tr("Sampling"), this);
  auto* form = new QFormLayout(group);

  modeCombo_ = new QComboBox(group);
  modeCombo_->setObjectName(QStringLiteral("modeCombo"));
  modeCombo_->addItem(tr("Sample"), GenerationRequest::Sample);
  modeCombo_->addItem(tr("Greedy"), GenerationRequest::Greedy);
  modeCombo_->addItem(tr("Beam search"), GenerationRequest::Beam);
  modeCombo_->setToolTip(
      tr("Sample: draw from the chain below. Greedy: always the most likely token "
         "(temperature 0). Beam search: the most likely continuation over several tokens."));
  form->addRow(tr("&Mode:"), modeCombo_);

  temperatureSpin_ = doubleSpin(group, "temperatureSpin", 0.0, 5.0, 0.05, 2);
  temperatureSpin_->setToolTip(
      tr("Applied last, to the tokens the filters kept. 0 = greedy; below 1 sharpens, "
         "above 1 flattens the distribution."));
  form->addRow(tr("&Temperature:"), temperatureSpin_);

  topKSpin_ = intSpin(group, "topKSpin", 0, kDefaultVocabularyLimit);
  topKSpin_->setSpecialValueText(tr("off"));
  topKSpin_->setToolTip(tr("Keep only the k most likely tokens. 0 = off."));
  form->addRow(tr("Top-&k:"), topKSpin_);

  topPSpin_ = doubleSpin(group, "topPSpin", 0.0, 1.0, 0.01, 3);
  topPSpin_->setToolTip(
      tr("Keep the smallest set of most likely tokens whose probabilities add up to p. "
         "1 = off; must be above 0."));
  form->addRow(tr("Top-&p:"), topPSpin_);

  minPSpin_ = doubleSpin(group, "minPSpin", 0.0, 1.0, 0.01, 3);
  minPSpin_->setSpecialValueText(tr("off"));
  minPSpin_->setToolTip(tr("Drop tokens less likely than min-p times the most likely token. 0 = off."));
  form->addRow(tr("M&in-p:"), minPSpin_);

  repetitionPenaltySpin_ = doubleSpin(group, "repetitionPenaltySpin", 1.0, 3.0, 0.05, 2);
  repetitionPenaltySpin_->setSpecialValueText(tr("off"));
  repetitionPenaltySpin_->setToolTip(
      tr("Makes recently generated tokens less likely (CTRL-style: positive logits "
         "divided by the penalty, negative ones multiplied). 1 = off."));
  form->addRow(tr("Repetition pe&nalty:"), repetitionPenaltySpin_);

  repetitionWindowSpin_ = intSpin(group, "repetitionWindowSpin", 0, 100000);
  repetitionWindowSpin_->setSuffix(tr(" tokens"));
  repetitionWindowSpin_->setToolTip(
      tr("How many of the most recent tokens the repetition penalty looks at."));
  form->addRow(tr("Penalty &window:"), repetitionWindowSpin_);

  // Users of llama.cpp know this order; stating it explains why top-p sees untempered probabilities.
  auto* order =
      new QLabel(tr("Order: repetition penalty → top-k → top-p → min-p → temperature → draw"), group);
  order->setObjectName(QStringLiteral("chainOrderLabel"));
  order->setWordWrap(true);
  order->setForegroundRole(QPalette::PlaceholderText);
  form->addRow(order);
  return group;
}

QWidget* SamplingControls::buildLengthGroup() {
  auto* group = new QGroupBox(tr("Length and stopping"), this);
  auto* form = new QFormLayout(group);

  maxTokensSpin_ = intSpin(group, "maxTokensSpin", 1, 10000);
  maxTokensSpin_->setToolTip(tr("Generation stops after this many new tokens."));
  form->addRow(tr("Ma&x tokens:"), maxTokensSpin_);

  stopStringsEdit_ = new QPlainTextEdit(group);
  stopStringsEdit_->setObjectName(QStringLiteral("stopStringsEdit"));
  stopStringsEdit_->setTabChangesFocus(true);
  stopStringsEdit_->setPlaceholderText(tr("One per line; \\n = newline"));
  stopStringsEdit_->setToolTip(
      tr("Generation ends when the text contains one of these (it is not shown). One "
         "per line, so a comma can be a stop string; write \\n for a newline, \\t for a "
         "tab, \\\\ for a backslash."));
  stopStringsEdit_->setFixedHeight(stopStringsEdit_->fontMetrics().lineSpacing() * 3 + 12);
  form->addRow(tr("&Stop strings:"), stopStringsEdit_);

  topAlternativesSpin_ = intSpin(group, "topAlternativesSpin", 0, 20);
  topAlternativesSpin_->setToolTip(
      tr("How many of the most likely tokens to report for each position (shown "
         "on hover and in the alternatives list)."));
  form->addRow(tr("&Alternatives:"), topAlternativesSpin_);

  auto* seedRow = new QWidget(group);
  auto* seedLayout = new QHBoxLayout(seedRow);
  seedLayout->setContentsMargins(0, 0, 0, 0);
  seedSpin_ = new SeedSpinBox(seedRow);
  seedSpin_->setObjectName(QStringLiteral("seedSpin"));
  seedSpin_->setToolTip(tr("The same seed, prompt and settings give the same text."));
  randomSeedCheck_ = new QCheckBox(tr("Random"), seedRow);
  randomSeedCheck_->setObjectName(QStringLiteral("randomSeedCheck"));
  randomSeedCheck_->setToolTip(
      tr("Draw a new seed for every generation. The seed used is shown here; untick to "
         "reproduce that result."));
  seedLayout->addWidget(seedSpin_, 1);
  seedLayout->addWidget(randomSeedCheck_);
  form->addRow(tr("See&d:"), seedRow);
  return group;
}

QWidget* SamplingControls::buildBeamGroup() {
  auto* group = new QGroupBox(tr("Beam search"), this);
  auto* form = new QFormLayout(group);
  beamWidthSpin_ = intSpin(group, "beamWidthSpin", 1, 16);
  beamWidthSpin_->setToolTip(tr("How many continuations are kept at each step."));
  form->addRow(tr("Beam widt&h:"), beamWidthSpin_);
  lengthPenaltySpin_ = doubleSpin(group, "lengthPenaltySpin", 0.0, 10.0, 0.1, 2);
  lengthPenaltySpin_->setToolTip(
      tr("Beams are ranked by log-probability / length^penalty: 0 ranks by raw "
         "log-probability, larger values favour longer outputs."));
  form->addRow(tr("&Length penalty:"), lengthPenaltySpin_);
  return group;
}

void SamplingControls::connectControls() {
  const auto changed = [this] { onControlsChanged(); };
  connect(modeCombo_, &QComboBox::currentIndexChanged, this, changed);
  for (QDoubleSpinBox* spin :
       {temperatureSpin_, topPSpin_, minPSpin_, repetitionPenaltySpin_, lengthPenaltySpin_})
    connect(spin, &QDoubleSpinBox::valueChanged, this, changed);
  for (QSpinBox* spin :
       {topKSpin_, repetitionWindowSpin_, maxTokensSpin_, topAlternativesSpin_, beamWidthSpin_})
    connect(spin, &QSpinBox::valueChanged, this, changed);
  connect(seedSpin_, &SeedSpinBox::valueChanged, this, changed);
  connect(randomSeedCheck_, &QCheckBox::toggled, this, changed);
  connect(stopStringsEdit_, &QPlainTextEdit::textChanged, this, changed);
  connect(presetCombo_, &QComboBox::currentIndexChanged, this, &SamplingControls::onPresetSelected);
  connect(savePresetButton_, &QPushButton::clicked, this, &SamplingControls::onSavePreset);
  connect(deletePresetButton_, &QPushButton::clicked, this, &SamplingControls::onDeletePreset);
}

GenerationRequest::Mode SamplingControls::mode() const {
  return static_cast<GenerationRequest::Mode>(modeCombo_->currentData().toInt());
}

void SamplingControls::setMode(GenerationRequest::Mode mode) {
  modeCombo_->setCurrentIndex(modeCombo_->findData(mode));
}

void SamplingControls::fillRequest(GenerationRequest& request) const {
  request.mode = mode();
  cllm::SamplingSettings& s = request.settings.sampling;
  s.temperature = temperatureSpin_->value();
  s.top_k = topKSpin_->value();
  s.top_p = topPSpin_->value();
  s.min_p = minPSpin_->value();
  s.repetition_penalty = repetitionPenaltySpin_->value();
  s.repetition_window = repetitionWindowSpin_->value();
  if (request.mode != GenerationRequest::Sample) {
    s.temperature = 0;
    s.top_k = 0;
    s.top_p = 1;
    s.min_p = 0;
  }
  if (request.mode == GenerationRequest::Beam) s.repetition_penalty = 1;

  request.settings.max_tokens = maxTokensSpin_->value();
  request.settings.stop_strings = parseStopStrings(stopStringsEdit_->toPlainText());
  request.settings.seed = seedSpin_->value();
  request.settings.top_alternatives = topAlternativesSpin_->value();
  request.randomSeed = request.mode == GenerationRequest::Sample && randomSeedCheck_->isChecked();

  request.beam.width = beamWidthSpin_->value();
  request.beam.length_penalty = lengthPenaltySpin_->value();
  request.beam.max_tokens = request.settings.max_tokens;
  request.beam.stop_strings = request.settings.stop_strings;
  request.beam.top_alternatives = request.settings.top_alternatives;
}

void SamplingControls::setVocabularySize(int size) {
  topKSpin_->setMaximum(size > 0 ? size : kDefaultVocabularyLimit);
}

void SamplingControls::showSeedUsed(quint64 seed) {
  if (randomSeedCheck_->isChecked()) seedSpin_->setValue(seed);
}

void SamplingControls::resetToDefaults() {
  const cllm::GenerationSettings generation;
  const cllm::BeamSettings beam;
  applying_ = true;
  applyPreset({QString(), GenerationRequest::Sample, generation.sampling});
  maxTokensSpin_->setValue(generation.max_tokens);
  stopStringsEdit_->setPlainText(formatStopStrings(generation.stop_strings));
  topAlternativesSpin_->setValue(generation.top_alternatives);
  seedSpin_->setValue(generation.seed);
  randomSeedCheck_->setChecked(true);
  beamWidthSpin_->setValue(beam.width);
  lengthPenaltySpin_->setValue(beam.length_penalty);
  applying_ = false;
  onControlsChanged();
}

QJsonObject SamplingControls::state() const {
  QJsonObject state = samplingPresetToJson(currentPreset());
  state.remove(QStringLiteral("name"));
  state[QStringLiteral("max_tokens")] = maxTokensSpin_->value();
  state[QStringLiteral("stop_strings")] = stopStringsEdit_->toPlainText();
  state[QStringLiteral("top_alternatives")] = topAlternativesSpin_->value();
  state[QStringLiteral("seed")] =
      QString::number(seedSpin_->value());  // 64-bit: a JSON double would round it
  state[QStringLiteral("random_seed")] = randomSeedCheck_->isChecked();
  state[QStringLiteral("beam_width")] = beamWidthSpin_->value();
  state[QStringLiteral("length_penalty")] = lengthPenaltySpin_->value();
  return state;
}

void SamplingControls::restoreState(const QJsonObject& state) {
  applying_ = true;
  QJsonObject named = state;
  named[QStringLiteral("name")] = QStringLiteral("saved");
  if (const auto preset = samplingPresetFromJson(named)) applyPreset(*preset);
  if (state.contains(QStringLiteral("max_tokens")))
    maxTokensSpin_->setValue(state[QStringLiteral("max_tokens")].toInt());
  if (state.contains(QStringLiteral("stop_strings")))
    stopStringsEdit_->setPlainText(state[QStringLiteral("stop_strings")].toString());
  if (state.contains(QStringLiteral("top_alternatives")))
    topAlternativesSpin_->setValue(state[QStringLiteral("top_alternatives")].toInt());
  bool ok = false;
  const quint64 seed = state[QStringLiteral("seed")].toString().toULongLong(&ok);
  if (ok) seedSpin_->setValue(seed);
  if (state.contains(QStringLiteral("random_seed")))
    randomSeedCheck_->setChecked(state[QStringLiteral("random_seed")].toBool());
  if (state.contains(QStringLiteral("beam_width")))
    beamWidthSpin_->setValue(state[QStringLiteral("beam_width")].toInt());
  if (state.contains(QStringLiteral("length_penalty")))
    lengthPenaltySpin_->setValue(state[QStringLiteral("length_penalty")].toDouble());
  applying_ = false;
  onControlsChanged();
}

SamplingPreset SamplingControls::currentPreset() const {
  SamplingPreset preset;
  preset.mode = mode();
  preset.sampling.temperature = temperatureSpin_->value();
  preset.sampling.top_k = topKSpin_->value();
  preset.sampling.top_p = topPSpin_->value();
  preset.sampling.min_p = minPSpin_->value();
  preset.sampling.repetition_penalty = repetitionPenaltySpin_->value();
  preset.sampling.repetition_window = repetitionWindowSpin_->value();
  return preset;
}

void SamplingControls::applyPreset(const SamplingPreset& preset) {
  const bool outer = !applying_;
  applying_ = true;
  setMode(preset.mode);
  temperatureSpin_->setValue(preset.sampling.temperature);
  topKSpin_->setValue(preset.sampling.top_k);
  topPSpin_->setValue(preset.sampling.top_p);
  minPSpin_->setValue(preset.sampling.min_p);
  repetitionPenaltySpin_->setValue(preset.sampling.repetition_penalty);
  repetitionWindowSpin_->setValue(preset.sampling.repetition_window);
  if (outer) {
    applying_ = false;
    onControlsChanged();
  }
}

void SamplingControls::setUserPresets(const QList<SamplingPreset>& presets) {
  userPresets_ = presets;
  rebuildPresetCombo();
  emit userPresetsChanged();
}

bool SamplingControls::addUserPreset(const SamplingPreset& preset) {
  for (const SamplingPreset& builtin : builtinSamplingPresets())
    if (builtin.name == preset.name) return false;
  auto same = std::find_if(userPresets_.begin(), userPresets_.end(),
                           [&](const SamplingPreset& p) { return p.name == preset.name; });
  if (same != userPresets_.end()) {
    *same = preset;
  } else {
    userPresets_.append(preset);
  }
  rebuildPresetCombo();
  emit userPresetsChanged();
  return true;
}

QList<SamplingPreset> SamplingControls::allPresets() const {
  return builtinSamplingPresets() + userPresets_;
}

void SamplingControls::rebuildPresetCombo() {
  const QSignalBlocker blocker(presetCombo_);
  presetCombo_->clear();
  presetCombo_->addItem(tr("Custom"), kCustomPreset);
  const QList<SamplingPreset> presets = allPresets();
  for (int i = 0; i < presets.size(); ++i) presetCombo_->addItem(presets[i].name, i);
  // Later separator first, so the earlier insertion does not shift its index.
  if (!userPresets_.isEmpty())
    presetCombo_->insertSeparator(1 + static_cast<int>(builtinSamplingPresets().size()));
  presetCombo_->insertSeparator(1);
  syncPresetCombo();
}

// Shows which preset the controls currently match (the selected one first, so a user preset equal to a
// built-in stays selected), else "Custom".
void SamplingControls::syncPresetCombo() {
  const QList<SamplingPreset> presets = allPresets();
  const SamplingPreset current = currentPreset();
  int match = kCustomPreset;
  const int selected =
      presetCombo_->currentData().isValid() ? presetCombo_->currentData().toInt() : kCustomPreset;
  if (selected >= 0 && selected < presets.size() && samePresetSettings(presets[selected], current)) {
    match = selected;
  } else {
    for (int i = 0; i < presets.size() && match == kCustomPreset; ++i)
      if (samePresetSettings(presets[i], current)) match = i;
  }
  const QSignalBlocker blocker(presetCombo_);
  presetCombo_->setCurrentIndex(presetCombo_->findData(match));
  deletePresetButton_->setEnabled(match >= static_cast<int>(builtinSamplingPresets().size()));
}

void SamplingControls::onPresetSelected(int comboIndex) {
  const int index = presetCombo_->itemData(comboIndex).toInt();
  const QList<SamplingPreset> presets = allPresets();
  if (index >= 0 && index < presets.size()) {
    applyPreset(presets[index]);
  } else {
    syncPresetCombo();  // "Custom" is a state, not a choice: stay on the preset the controls match
  }
}

void SamplingControls::onSavePreset() {
  bool ok = false;
  const QString name =
      QInputDialog::getText(this, tr("Save preset"), tr("Preset name:"), QLineEdit::Normal, QString(), &ok)
          .trimmed();
  if (!ok || name.isEmpty()) return;
  SamplingPreset preset = currentPreset();
  preset.name = name;
  if (!addUserPreset(preset)) {
    QMessageBox::warning(this, tr("Save preset"),
                         tr("\"%1\" is a built-in preset. Choose another name.").arg(name));
    return;
  }
  presetCombo_->setCurrentIndex(presetCombo_->findText(name));
}

void SamplingControls::onDeletePreset() {
  const int index = presetCombo_->currentData().toInt() - static_cast<int>(builtinSamplingPresets().size());
  if (index < 0 || index >= userPresets_.size()) return;
  userPresets_.removeAt(index);
  rebuildPresetCombo();
  emit userPresetsChanged();
}

void SamplingControls::onControlsChanged() {
  if (applying_) return;
  updateEnabledControls();
  revalidate();
  syncPresetCombo();
  emit settingsChanged();
}

void SamplingControls::updateEnabledControls() {
  const GenerationRequest::Mode m = mode();
  const bool sample = m == GenerationRequest::Sample;
  const bool beam = m == GenerationRequest::Beam;
  for (QWidget* w : {static_cast<QWidget*>(temperatureSpin_), static_cast<QWidget*>(topKSpin_),
                     static_cast<QWidget*>(topPSpin_), static_cast<QWidget*>(minPSpin_)})
    setRowEnabled(w, sample);
  setRowEnabled(repetitionPenaltySpin_, !beam);
  setRowEnabled(repetitionWindowSpin_, !beam);
  setRowEnabled(seedSpin_->parentWidget(), sample);
  seedSpin_->setEnabled(sample && !randomSeedCheck_->isChecked());
  setRowEnabled(beamWidthSpin_, beam);
  setRowEnabled(lengthPenaltySpin_, beam);
}

void SamplingControls::revalidate() {
  GenerationRequest request;
  fillRequest(request);
  const QString error = request.mode == GenerationRequest::Beam
                            ? validationMessage(request.settings, request.beam)
                            : validationMessage(request.settings);
  const bool wasValid = error_.isEmpty();
  error_ = error;
  validationLabel_->setText(error.isEmpty() ? QString() : tr("Cannot generate: %1").arg(error));
  validationLabel_->setVisible(!error.isEmpty());
  if (wasValid != error.isEmpty()) emit validityChanged(error.isEmpty());
}

}  // namespace cllm::views
