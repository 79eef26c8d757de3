#pragma once
// The runs folder: one folder per training run in the user's data folder (QStandardPaths), holding
//   run.json           name, creation time, corpus, tokenizer, model and training config, status
//   metrics.jsonl      one JSON line per step and per evaluation (session/metrics_records.h)
//   latest.safetensors the newest checkpoint (every evaluation, "save now", and when stopped)
//   best.safetensors   the checkpoint with the best validation loss
// Runs are listed newest first. Renaming edits run.json only; the folder name is the stable id.

#include <QList>
#include <QString>
#include <nlohmann/json.hpp>

#include "session/run_records.h"
#include "views/runs/run_entry.h"

namespace cllm::app {

struct RunMetrics {
  QList<StepRecord> steps;
  QList<EvalRecord> evals;
  // Wall times restart at 0 in each training session of a run; these are made cumulative.
  double lastWallSeconds = 0;
};

class RunStore {
 public:
  // Creates `root` when missing.
  explicit RunStore(const QString& root);
  // <AppDataLocation>/runs
  static QString defaultRoot();

  const QString& root() const { return root_; }
  // A new empty run folder; returns its id.
  QString createRun();
  QString runDir(const QString& id) const;
  // The id of the run whose folder holds `checkpointPath`, or empty.
  QString runOfCheckpoint(const QString& checkpointPath) const;

  // <root>/ablations: one folder per ablation started in the workbench, with its summary tables.
  QString ablationsRoot() const { return root_ + "/ablations"; }

  static QString latestCheckpoint(const QString& runDir) { return runDir + "/latest.safetensors"; }
  static QString bestCheckpoint(const QString& runDir) { return runDir + "/best.safetensors"; }
  static QString metricsFile(const QString& runDir) { return runDir + "/metrics.jsonl"; }

  nlohmann::json readInfo(const QString& id) const;  // empty object when missing or unreadable
  QString name(const QString& id) const;             // the id when the run has no name
  // Atomic (QSaveFile). Throws cllm::Error when the file cannot be written.
  void writeInfo(const QString& id, const nlohmann::json& info) const;
  // Merges `fields` into run.json.
  void updateInfo(const QString& id, const nlohmann::json& fields) const;

  QList<views::RunEntry> list() const;
  RunMetrics readMetrics(const QString& id) const;
  void rename(const QString& id, const QString& name) const;
  // Throws cllm::Error when the folder could not be removed completely.
  void remove(const QString& id) const;

 private:
  QString root_;
};

}  // namespace cllm::app
