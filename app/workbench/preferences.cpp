#include "preferences.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <nlohmann/json.hpp>

namespace cllm::app {

namespace {

// Settings written by another version may not parse: the defaults are kept then.
template <typename Config>
std::optional<Config> configFrom(const QString& text) {
  if (text.isEmpty()) return std::nullopt;
  try {
    return Config::from_json(nlohmann::json::parse(text.toStdString()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

QJsonObject objectFrom(const QString& text) {
  return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString textOf(const QJsonObject& object) {
  return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

}  // namespace

QByteArray Preferences::windowGeometry() const {
  return QSettings().value("window/geometry").toByteArray();
}
QByteArray Preferences::windowState() const {
  return QSettings().value("window/state").toByteArray();
}

void Preferences::setWindow(const QByteArray& geometry, const QByteArray& state) {
  QSettings s;
  s.setValue("window/geometry", geometry);
  s.setValue("window/state", state);
}

TrainingPreferences Preferences::training() const {
  QSettings s;
  TrainingPreferences t;
  t.corpusSource = s.value("training/corpusSource", t.corpusSource).toInt();
  t.corpusPath = s.value("training/corpusPath").toString();
  t.tokenizer = s.value("training/tokenizer", t.tokenizer).toString();
  t.vocabulary = s.value("training/vocabulary", t.vocabulary).toInt();
  t.model = configFrom<ModelConfig>(s.value("training/model").toString());
  t.train = configFrom<TrainConfig>(s.value("training/train").toString());
  t.threads = s.value("training/threads", 0).toInt();
  return t;
}

void Preferences::setTraining(const TrainingPreferences& t) {
  QSettings s;
  s.setValue("training/corpusSource", t.corpusSource);
  s.setValue("training/corpusPath", t.corpusPath);
  s.setValue("training/tokenizer", t.tokenizer);
  if (t.vocabulary > 0) s.setValue("training/vocabulary", t.vocabulary);
  if (t.model) s.setValue("training/model", QString::fromStdString(t.model->to_json().dump()));
  if (t.train) s.setValue("training/train", QString::fromStdString(t.train->to_json().dump()));
  s.setValue("training/threads", t.threads);
}

QJsonObject Preferences::generationSettings() const {
  return objectFrom(QSettings().value("generation/settings").toString());
}

void Preferences::setGenerationSettings(const QJsonObject& settings) {
  QSettings().setValue("generation/settings", textOf(settings));
}

QList<QJsonObject> Preferences::samplingPresets() const {
  QList<QJsonObject> presets;
  const QJsonArray array =
      QJsonDocument::fromJson(QSettings().value("generation/userPresets").toString().toUtf8()).array();
  for (const QJsonValue& v : array)
    if (v.isObject()) presets.append(v.toObject());
  return presets;
}

void Preferences::setSamplingPresets(const QList<QJsonObject>& presets) {
  QJsonArray array;
  for (const QJsonObject& p : presets) array.append(p);
  QSettings().setValue("generation/userPresets",
                       QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
}

LatticePreferences Preferences::lattice() const {
  QSettings s;
  LatticePreferences l;
  l.scene = s.value("lattice/scene", l.scene).toString();
  l.colorBy = s.value("lattice/colorBy", l.colorBy).toString();
  l.sizeByFrequency = s.value("lattice/sizeByFrequency", l.sizeByFrequency).toBool();
  l.labels = s.value("lattice/labels", l.labels).toBool();
  l.edges = s.value("lattice/edges", l.edges).toBool();
  l.neighbours = s.value("lattice/neighbours", l.neighbours).toInt();
  l.distance = s.value("lattice/distance", l.distance).toString();
  return l;
}

void Preferences::setLattice(const LatticePreferences& l) {
  QSettings s;
  s.setValue("lattice/scene", l.scene);
  s.setValue("lattice/colorBy", l.colorBy);
  s.setValue("lattice/sizeByFrequency", l.sizeByFrequency);
  s.setValue("lattice/labels", l.labels);
  s.setValue("lattice/edges", l.edges);
  s.setValue("lattice/neighbours", l.neighbours);
  s.setValue("lattice/distance", l.distance);
}

QString Preferences::language() const {
  return QSettings().value("language").toString();
}
void Preferences::setLanguage(const QString& code) {
  QSettings().setValue("language", code);
}

}  // namespace cllm::app
