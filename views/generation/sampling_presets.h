#pragma once
// Named bundles of sampler settings (mode and sampling chain; length, seed and stop strings stay as
// they are, since they belong to the task, not the sampling style). Built-ins plus the user's own,
// which the app persists as JSON.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

#include "generate/sampler.h"
#include "views/generation/generation_request.h"

namespace cllm::views {

struct SamplingPreset {
  QString name;
  GenerationRequest::Mode mode = GenerationRequest::Sample;
  cllm::SamplingSettings sampling;
};

// "Balanced (llama.cpp defaults)", "Precise", "Creative", "Greedy" — names translated.
QList<SamplingPreset> builtinSamplingPresets();

// Whether the two bundles sample alike: equal modes and equal values of the settings that mode uses
// (Greedy ignores temperature, top-k, top-p and min-p; Beam ignores the whole chain).
bool samePresetSettings(const SamplingPreset& a, const SamplingPreset& b);

// {"name": ..., "mode": "sample"|"greedy"|"beam", "temperature": ..., "top_k": ..., "top_p": ...,
//  "min_p": ..., "repetition_penalty": ..., "repetition_window": ...}; missing numbers take the defaults.
QJsonObject samplingPresetToJson(const SamplingPreset& preset);
// nullopt (and *error set) when the name is empty, the mode unknown or a value invalid.
std::optional<SamplingPreset> samplingPresetFromJson(const QJsonObject& json, QString* error = nullptr);

}  // namespace cllm::views
