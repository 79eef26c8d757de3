#pragma once
// What the runs list shows about one run and its checkpoints (filled by the app from the runs folder).

#include <QDateTime>
#include <QList>
#include <QString>

namespace cllm::views {

struct CheckpointEntry {
  QString path;
  QString label;  // shown, e.g. "latest" or "best"
  bool best = false;
  int step = 0;
  qint64 bytes = 0;
};

struct RunEntry {
  QString id;     // folder name, stable
  QString name;   // shown; renamable
  QString color;  // "#rrggbb" the run is drawn in, chosen when it was created (empty for older runs)
  QDateTime created;
  QString status;  // e.g. "finished", "stopped at step 300", "running"
  int steps = 0, totalSteps = 0;
  double bestValidationLoss = qQNaN();
  QString details;  // multi-line summary of its config
  QList<CheckpointEntry> checkpoints;
};

}  // namespace cllm::views
