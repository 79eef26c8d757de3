#include "run_store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>
#include <cmath>

#include "util/error.h"

namespace cllm::app {

namespace {

QString nameIn(const nlohmann::json& info, const QString& id) {
  return QString::fromStdString(info.value("name", id.toStdString()));
}

QString describe(const nlohmann::json& info) {
  QStringList lines;
  auto text = [&](const char* key) {
    return info.contains(key) ? QString::fromStdString(info[key].dump()) : "–";
  };
  lines << QObject::tr("Corpus: %1").arg(QString::fromStdString(info.value("corpus", std::string("?"))));
  lines << QObject::tr("Tokenizer: %1").arg(text("tokenizer"));
  lines << QObject::tr("Model: %1").arg(text("model"));
  lines << QObject::tr("Training: %1").arg(text("train"));
  if (info.contains("parameters"))
    lines << QObject::tr("Parameters: %1").arg(QLocale().toString(info["parameters"].get<qlonglong>()));
  return lines.join('\n');
}

}  // namespace

RunStore::RunStore(const QString& root) : root_(QDir::cleanPath(root)) {
  require(QDir().mkpath(root_), "cannot create the runs folder '" + root_.toStdString() + "'");
}

QString RunStore::defaultRoot() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/runs";
}

QString RunStore::createRun() {
  const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
  QString id = stamp;
  for (int n = 2; QFileInfo::exists(runDir(id)); ++n) id = stamp + "-" + QString::number(n);
  require(QDir().mkpath(runDir(id)), "cannot create the run folder '" + runDir(id).toStdString() + "'");
  return id;
}

QString RunStore::runDir(const QString& id) const {
  return root_ + "/" + id;
}

QString RunStore::runOfCheckpoint(const QString& checkpointPath) const {
  const QFileInfo file(checkpointPath);
  return QDir::cleanPath(file.absoluteDir().absolutePath() + "/..") == QDir(root_).absolutePath()
             ? file.absoluteDir().dirName()
             : QString();
}

nlohmann::json RunStore::readInfo(const QString& id) const {
  QFile file(runDir(id) + "/run.json");
  if (!file.open(QIODevice::ReadOnly)) return nlohmann::json::object();
  const auto info = nlohmann::json::parse(file.readAll().toStdString(), nullptr, false);
  return info.is_object() ? info : nlohmann::json::object();
}

QString RunStore::name(const QString& id) const {
  return nameIn(readInfo(id), id);
}

void RunStore::writeInfo(const QString& id, const nlohmann::json& info) const {
  QSaveFile file(runDir(id) + "/run.json");
  const std::string text = info.dump(2) + "\n";
  const bool ok = file.open(QIODevice::WriteOnly) &&
                  file.write(text.data(), qint64(text.size())) == qint64(text.size()) && file.commit();
  require(ok, "cannot write '" + file.fileName().toStdString() + "': " + file.errorString().toStdString());
}

void RunStore::updateInfo(const QString& id, const nlohmann::json& fields) const {
  nlohmann::json info = readInfo(id);
  info.update(fields);
  writeInfo(id, info);
}

QList<views::RunEntry> RunStore::list() const {
  QList<views::RunEntry> runs;
  const QDir dir(root_);
  for (const QString& id : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed)) {
    const nlohmann::json info = readInfo(id);
    if (info.empty()) continue;  // not a run folder
    views::RunEntry run;
    run.id = id;
    run.name = nameIn(info, id);
    run.color = QString::fromStdString(info.value("color", std::string()));
    run.created =
        QDateTime::fromString(QString::fromStdString(info.value("created", std::string())), Qt::ISODate);
    run.status = QString::fromStdString(info.value("status", std::string("?")));
    run.steps = info.value("steps_done", 0);
    run.totalSteps = info.contains("train") ? info["train"].value("steps", 0) : 0;
    if (info.contains("best_validation_loss") && info["best_validation_loss"].is_number())
      run.bestValidationLoss = info["best_validation_loss"].get<double>();
    run.details = describe(info);
    const int bestStep = info.value("best_step", 0);
    for (const auto& [path, label, best] :
         {std::tuple{latestCheckpoint(runDir(id)), QObject::tr("latest"), false},
          std::tuple{bestCheckpoint(runDir(id)), QObject::tr("best"), true}}) {
      const QFileInfo file(path);
      if (!file.exists()) continue;
      run.checkpoints.append({path, label, best, best ? bestStep : run.steps, file.size()});
    }
    runs.append(run);
  }
  return runs;
}

RunMetrics RunStore::readMetrics(const QString& id) const {
  RunMetrics m;
  QFile file(metricsFile(runDir(id)));
  if (!file.open(QIODevice::ReadOnly)) return m;
  double offset = 0, previous = 0;
  while (!file.atEnd()) {
    const auto j = nlohmann::json::parse(file.readLine().toStdString(), nullptr, false);
    if (!j.is_object() || !j.contains("event") || !j.contains("step")) continue;  // a torn last line
    const double elapsed = j.value("elapsed_seconds", 0.0);
    if (elapsed < previous) offset += previous;  // a resumed session starts its clock at 0
    previous = elapsed;
    const double wall = offset + elapsed;
    m.lastWallSeconds = wall;
    if (j["event"] == "step")
      m.steps.append({j.value("step", 0), wall, j.value("loss", NAN), j.value("lr", NAN),
                      j.value("grad_norm", NAN), j.value("tokens_per_second", NAN)});
    else if (j["event"] == "eval")
      m.evals.append({j.value("step", 0), wall, j.value("validation_loss", double(NAN)),
                      j.value("bits_per_byte", double(NAN))});
  }
  return m;
}

void RunStore::rename(const QString& id, const QString& name) const {
  updateInfo(id, {{"name", name.toStdString()}});
}

void RunStore::remove(const QString& id) const {
  QDir dir(runDir(id));
  require(dir.exists() && dir.removeRecursively(),
          "cannot delete the run folder '" + dir.path().toStdString() + "'");
}

}  // namespace cllm::app
