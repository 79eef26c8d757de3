#include "views/training/ablation_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace cllm::views {

AblationDialog::AblationDialog(const QStringList& variants, int stepsPerRun, QWidget* parent)
    : QDialog(parent), stepsPerRun_(stepsPerRun) {
  setObjectName("ablationDialog");
  setWindowTitle(tr("Start an ablation"));
  auto* intro =
      new QLabel(tr("Each ticked variant changes one option of the model in the Training panel and "
                    "trains with every seed, on the same corpus with the same settings. The runs "
                    "are overlaid in the charts; the table is saved when the last one finishes."));
  intro->setWordWrap(true);
  list_ = new QListWidget;
  list_->setObjectName("ablationVariants");
  for (const QString& v : variants) {
    auto* item = new QListWidgetItem(v, list_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
  }
  seeds_ = new QLineEdit("1, 2, 3");
  seeds_->setObjectName("ablationSeeds");
  seeds_->setToolTip(tr("Whole numbers separated by commas or spaces; three or more give a spread."));
  summary_ = new QLabel;
  summary_->setObjectName("ablationSummary");
  summary_->setWordWrap(true);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Start"));

  auto* form = new QFormLayout;
  form->addRow(tr("Variants:"), list_);
  form->addRow(tr("Seeds:"), seeds_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(summary_);
  layout->addWidget(buttons_);

  connect(list_, &QListWidget::itemChanged, this, &AblationDialog::updateSummary);
  connect(seeds_, &QLineEdit::textChanged, this, &AblationDialog::updateSummary);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  updateSummary();
}

QStringList AblationDialog::variants() const {
  QStringList out;
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->checkState() == Qt::Checked) out << list_->item(i)->text();
  return out;
}

void AblationDialog::setVariantChecked(const QString& variant, bool checked) {
  for (QListWidgetItem* item : list_->findItems(variant, Qt::MatchExactly))
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

QList<quint64> AblationDialog::seeds() const {
  return parseSeeds(seeds_->text());
}

void AblationDialog::setSeeds(const QString& text) {
  seeds_->setText(text);
}

QList<quint64> AblationDialog::parseSeeds(const QString& text, QString* error) {
  QList<quint64> seeds;
  for (const QString& part : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) {
    bool ok = false;
    const quint64 seed = part.toULongLong(&ok);
    if (!ok || seeds.contains(seed)) {
      if (error)
        *error = ok ? tr("seed %1 is listed twice").arg(part) : tr("“%1” is not a whole number").arg(part);
      return {};
    }
    seeds << seed;
  }
  if (seeds.isEmpty() && error) *error = tr("give at least one seed");
  return seeds;
}

QString AblationDialog::problem() const {
  if (variants().isEmpty()) return tr("Tick at least one variant.");
  QString error;
  if (parseSeeds(seeds_->text(), &error).isEmpty()) return tr("Seeds: %1.").arg(error);
  return {};
}

void AblationDialog::updateSummary() {
  const QString error = problem();
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
  if (!error.isEmpty()) {
    summary_->setText(error);
    return;
  }
  const qsizetype seedCount = seeds().size();
  QString text =
      tr("%n run(s) of %1 steps each.", nullptr, int(variants().size() * seedCount)).arg(stepsPerRun_);
  if (seedCount < 3) text += ' ' + tr("With fewer than three seeds the table shows no meaningful spread.");
  summary_->setText(text);
}

}  // namespace cllm::views
