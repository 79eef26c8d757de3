#include "views/generation/sampling_presets.h"

#include <QCoreApplication>
#include <cmath>

#include "util/error.h"

namespace cllm::views {

namespace {

const char* modeKey(GenerationRequest::Mode mode) {
  switch (mode) {
    case GenerationRequest::Greedy:
      return "greedy";
    case GenerationRequest::Beam:
      return "beam";
    case GenerationRequest::Sample:
      break;
  }
  return "sample";
}

QString translate(const char* text) {
  return QCoreApplication::translate("cllm::views::SamplingPresets", text);
}

}  // namespace

QList<SamplingPreset> builtinSamplingPresets() {
  QList<SamplingPreset> presets;
  presets.append(
      {translate(QT_TRANSLATE_NOOP("cllm::views::SamplingPresets", "Balanced (llama.cpp defaults)")),
       GenerationRequest::Sample, cllm::SamplingSettings{}});

  SamplingPreset precise{
      translate(QT_TRANSLATE_NOOP("cllm::views::SamplingPresets", "Precise")), GenerationRequest::Sample, {}};
  precise.sampling.temperature = 0.2;
  precise.sampling.top_k = 10;
  presets.append(precise);

  SamplingPreset creative{translate(QT_TRANSLATE_NOOP("cllm::views::SamplingPresets", "Creative")),
                          GenerationRequest::Sample,
                          {}};
  creative.sampling.temperature = 1.1;
  creative.sampling.top_p = 0.98;
  creative.sampling.min_p = 0.02;
  presets.append(creative);

  presets.append({translate(QT_TRANSLATE_NOOP("cllm::views::SamplingPresets", "Greedy")),
                  GenerationRequest::Greedy, cllm::SamplingSettings{}});
  return presets;
}

bool samePresetSettings(const SamplingPreset& a, const SamplingPreset& b) {
  if (a.mode != b.mode) return false;
  if (a.mode == GenerationRequest::Beam) return true;
  const cllm::SamplingSettings& x = a.sampling;
  const cllm::SamplingSettings& y = b.sampling;
  // Values come from spin boxes with at most 3 decimals; compare at that resolution.
  auto same = [](double u, double v) { return std::abs(u - v) < 5e-4; };
  const bool penalties =
      same(x.repetition_penalty, y.repetition_penalty) && x.repetition_window == y.repetition_window;
  if (a.mode == GenerationRequest::Greedy) return penalties;
  return penalties && same(x.temperature, y.temperature) && x.top_k == y.top_k && same(x.top_p, y.top_p) &&
         same(x.min_p, y.min_p);
}

QJsonObject samplingPresetToJson(const SamplingPreset& preset) {
  const cllm::SamplingSettings& s = preset.sampling;
  return {{"name", preset.name},
          {"mode", QString::fromLatin1(modeKey(preset.mode))},
          {"temperature", s.temperature},
          {"top_k", s.top_k},
          {"top_p", s.top_p},
          {"min_p", s.min_p},
          {"repetition_penalty", s.repetition_penalty},
          {"repetition_window", s.repetition_window}};
}

std::optional<SamplingPreset> samplingPresetFromJson(const QJsonObject& json, QString* error) {
  auto fail = [&](const QString& message) -> std::optional<SamplingPreset> {
    if (error) *error = message;
    return std::nullopt;
  };
  SamplingPreset preset;
  preset.name = json.value(QStringLiteral("name")).toString().trimmed();
  if (preset.name.isEmpty())
    return fail(translate(QT_TRANSLATE_NOOP("cllm::views::SamplingPresets", "a preset needs a name")));
  const QString mode = json.value(QStringLiteral("mode")).toString(QStringLiteral("sample"));
  if (mode == QLatin1String("sample")) {
    preset.mode = GenerationRequest::Sample;
  } else if (mode == QLatin1String("greedy")) {
    preset.mode = GenerationRequest::Greedy;
  } else if (mode == QLatin1String("beam")) {
    preset.mode = GenerationRequest::Beam;
  } else {
    return fail(translate(QT_TRANSLATE_NOOP("cllm::views::SamplingPresets", "unknown sampling mode \"%1\""))
                    .arg(mode));
  }
  cllm::SamplingSettings& s = preset.sampling;
  s.temperature = json.value(QStringLiteral("temperature")).toDouble(s.temperature);
  s.top_k = json.value(QStringLiteral("top_k")).toInt(s.top_k);
  s.top_p = json.value(QStringLiteral("top_p")).toDouble(s.top_p);
  s.min_p = json.value(QStringLiteral("min_p")).toDouble(s.min_p);
  s.repetition_penalty = json.value(QStringLiteral("repetition_penalty")).toDouble(s.repetition_penalty);
  s.repetition_window = json.value(QStringLiteral("repetition_window")).toInt(s.repetition_window);
  try {
    s.validate();
  } catch (const cllm::Error& e) {
    return fail(QString::fromStdString(e.what()));
  }
  return preset;
}

}  // namespace cllm::views
