#pragma once
// An ablation's measured table, as `cllm ablate` prints it: one row per variant with its validation loss
// (mean ± sample standard deviation over the seeds, and the number of runs), bits per byte, parameters,
// training tokens/s and wall time; the lowest mean loss in bold. It says where the tables were saved and
// copies the markdown table.

#include <QDialog>
#include <vector>

#include "session/ablation.h"

class QTableWidget;

namespace cllm::views {

class AblationResultsDialog : public QDialog {
  Q_OBJECT

 public:
  // complete: every run trained its whole budget (otherwise the title says the ablation was cut short).
  AblationResultsDialog(const QString& name, const std::vector<AblationRow>& rows, const QString& folder,
                        bool complete, QWidget* parent = nullptr);

  QTableWidget* table() const { return table_; }
  QString markdown() const;

 private:
  QTableWidget* table_;
  std::vector<AblationRow> rows_;
};

}  // namespace cllm::views
