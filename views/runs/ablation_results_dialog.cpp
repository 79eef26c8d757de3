#include "views/runs/ablation_results_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cllm::views {

AblationResultsDialog::AblationResultsDialog(const QString& name, const std::vector<AblationRow>& rows,
                                             const QString& folder, bool complete, QWidget* parent)
    : QDialog(parent), rows_(rows) {
  setObjectName("ablationResults");
  setWindowTitle(complete ? tr("%1: results").arg(name) : tr("%1: stopped early").arg(name));
  const QLocale locale;
  int runs = 0;
  for (const AblationRow& r : rows) runs += r.runs;
  auto* heading = new QLabel(
      complete ? tr("Every run trained its whole budget. Validation loss is the final evaluation's, in nats "
                    "per token: mean ± standard deviation over the seeds (number of runs).")
               : tr("The ablation stopped before every run finished; the table holds the %n run(s) that "
                    "trained their whole budget.",
                    nullptr, runs));
  heading->setWordWrap(true);

  table_ = new QTableWidget(int(rows.size()), 6);
  table_->setObjectName("ablationTable");
  table_->setHorizontalHeaderLabels({tr("Variant"), tr("Validation loss"), tr("Bits per byte"),
                                     tr("Parameters"), tr("Tokens/s"), tr("Wall time")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  const auto best =
      std::min_element(rows.begin(), rows.end(),
                       [](const AblationRow& a, const AblationRow& b) { return a.loss_mean < b.loss_mean; });
  for (int i = 0; i < int(rows.size()); ++i) {
    const AblationRow& r = rows[size_t(i)];
    const QStringList cells = {
        QString::fromStdString(r.variant),
        QStringLiteral("%1 ± %2 (%3)")
            .arg(locale.toString(r.loss_mean, 'f', 4), locale.toString(r.loss_std, 'f', 4))
            .arg(r.runs),
        std::isfinite(r.bits_per_byte_mean) ? locale.toString(r.bits_per_byte_mean, 'f', 3)
                                            : QStringLiteral("–"),
        locale.toString(qlonglong(r.parameters)),
        locale.toString(r.tokens_per_second_mean, 'f', 0),
        tr("%1 s").arg(locale.toString(r.wall_seconds_mean, 'f', 1))};
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (rows.begin() + i == best) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
      }
      table_->setItem(i, c, item);
    }
  }
  table_->resizeColumnsToContents();
  table_->horizontalHeader()->setStretchLastSection(true);

  auto* saved =
      new QLabel(tr("Saved as ablation.csv, ablation.md and ablation.json in <a href=\"%1\">%2</a>.")
                     .arg(QUrl::fromLocalFile(folder).toString(), folder.toHtmlEscaped()));
  saved->setObjectName("ablationFolder");
  saved->setOpenExternalLinks(true);
  saved->setWordWrap(true);
  saved->setVisible(!rows.empty());

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  QPushButton* copy = buttons->addButton(tr("Copy as markdown"), QDialogButtonBox::ActionRole);
  copy->setObjectName("copyAblationMarkdown");
  connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(markdown()); });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(table_);
  layout->addWidget(saved);
  layout->addWidget(buttons);
  resize(720, 360);
}

QString AblationResultsDialog::markdown() const {
  return QString::fromStdString(ablation_markdown(rows_));
}

}  // namespace cllm::views
