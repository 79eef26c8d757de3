#pragma once
// The one owner of the workbench's QSettings keys (Tiled's Preferences is the model): every setting that
// survives a restart is read and written here, under one name, with its default. Nothing else in the app
// touches QSettings.
//
// Keys: window/geometry, window/state; training/{corpusSource, corpusPath, tokenizer, vocabulary, model,
// train, threads}; generation/{settings, userPresets}; lattice/{scene, colorBy, sizeByFrequency, labels,
// edges, neighbours, distance}; language.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

#include "model/model_config.h"
#include "train/train_config.h"

namespace cllm::app {

struct TrainingPreferences {
  int corpusSource = 0;  // views::CorpusSelector::Source
  QString corpusPath;
  QString tokenizer = QStringLiteral("char");
  int vocabulary = 512;
  std::optional<ModelConfig> model;  // unset: the panel's defaults
  std::optional<TrainConfig> train;
  int threads = 0;  // 0: the default (one per physical core)
};

struct LatticePreferences {
  QString scene = QStringLiteral("pca3d");
  QString colorBy = QStringLiteral("clock");
  bool sizeByFrequency = true;
  bool labels = true;
  bool edges = false;
  int neighbours = 10;
  QString distance = QStringLiteral("cosine");
};

class Preferences {
 public:
  QByteArray windowGeometry() const;
  QByteArray windowState() const;
  void setWindow(const QByteArray& geometry, const QByteArray& state);

  TrainingPreferences training() const;
  void setTraining(const TrainingPreferences& training);

  // SamplingControls::state() and the user's sampling presets (samplingPresetToJson each).
  QJsonObject generationSettings() const;
  void setGenerationSettings(const QJsonObject& settings);
  QList<QJsonObject> samplingPresets() const;
  void setSamplingPresets(const QList<QJsonObject>& presets);

  LatticePreferences lattice() const;
  void setLattice(const LatticePreferences& lattice);

  // Empty when never chosen.
  QString language() const;
  void setLanguage(const QString& code);
};

}  // namespace cllm::app
