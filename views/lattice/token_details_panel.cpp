#include "views/lattice/token_details_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>

namespace cllm::views {

TokenDetailsPanel::TokenDetailsPanel(QWidget* parent) : QWidget(parent) {
  title_ = new QLabel;
  title_->setObjectName("selectedTokenTitle");
  QFont big = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.4);
  big.setBold(true);
  title_->setFont(big);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  facts_ = new QLabel;
  facts_->setObjectName("selectedTokenFacts");
  facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  facts_->setWordWrap(true);

  distance_ = new QComboBox;
  distance_->setObjectName("neighbourDistanceCombo");
  distance_->addItem(tr("Cosine"), int(Distance::Cosine));
  distance_->addItem(tr("Euclidean"), int(Distance::Euclidean));
  distance_->setToolTip(
      tr("Distance between the tokens' embedding vectors (in the model's own space, not the picture)"));
  count_ = new QSpinBox;
  count_->setObjectName("neighbourCountSpin");
  count_->setRange(1, 200);
  count_->setValue(10);
  auto* controls = new QFormLayout;
  controls->addRow(tr("Neighbours by"), distance_);
  controls->addRow(tr("How many"), count_);

  neighbours_ = new QTreeWidget;
  neighbours_->setObjectName("neighbourList");
  neighbours_->setRootIsDecorated(false);
  neighbours_->setHeaderLabels({tr("Token"), tr("Distance")});
  neighbours_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  neighbours_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  neighbours_->header()->setStretchLastSection(false);
  neighbours_->setToolTip(tr("Click a neighbour to select it"));

  isolate_ = new QPushButton(tr("&Isolate"));
  isolate_->setObjectName("isolateButton");
  isolate_->setToolTip(tr("Show only the selected token and its neighbours"));
  clear_ = new QPushButton(tr("C&lear"));
  clear_->setObjectName("clearSelectionButton");
  clear_->setToolTip(tr("Clear the selection and show every token"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(isolate_);
  buttons->addWidget(clear_);

  setMaximumWidth(320);  // the 3-D view gets the rest
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(title_);
  layout->addWidget(facts_);
  layout->addLayout(controls);
  layout->addWidget(neighbours_, 1);
  layout->addLayout(buttons);

  connect(neighbours_, &QTreeWidget::itemClicked, this,
          [this](QTreeWidgetItem* item) { emit tokenActivated(item->data(0, Qt::UserRole).toInt()); });
  connect(distance_, &QComboBox::currentIndexChanged, this, &TokenDetailsPanel::neighbourSettingsChanged);
  connect(count_, &QSpinBox::valueChanged, this, &TokenDetailsPanel::neighbourSettingsChanged);
  connect(isolate_, &QPushButton::clicked, this, &TokenDetailsPanel::isolateRequested);
  connect(clear_, &QPushButton::clicked, this, &TokenDetailsPanel::clearRequested);
  showToken(nullptr, nullptr, NAN, {});
}

void TokenDetailsPanel::showToken(const TokenInfo* token, const float* xyz, double loss,
                                  const std::vector<std::pair<Neighbour, QString>>& neighbours) {
  neighbours_->clear();
  isolate_->setEnabled(token != nullptr);
  clear_->setEnabled(token != nullptr);
  if (!token) {
    title_->setText(tr("No token selected"));
    facts_->setText(tr("Click a point, search a token, or pick a neighbour."));
    return;
  }
  const QLocale locale;
  title_->setText(QString::fromStdString(token->label));
  QStringList facts;
  facts << tr("Id %1 · prime %2 · clock class %3")
               .arg(token->id)
               .arg(locale.toString(qulonglong(token->prime)))
               .arg(token->clock_class);
  if (xyz)
    facts << tr("Position (%1, %2, %3)")
                 .arg(locale.toString(xyz[0], 'g', 4), locale.toString(xyz[1], 'g', 4),
                      locale.toString(xyz[2], 'g', 4));
  facts << (token->frequency >= 0
                ? tr("Occurs %1 times in the corpus").arg(locale.toString(qlonglong(token->frequency)))
                : tr("Frequency unknown (the corpus was not found)"));
  if (std::isfinite(loss))
    facts << tr("Validation loss as a target: %1 nats").arg(locale.toString(loss, 'f', 3));
  facts_->setText(facts.join('\n'));
  for (const auto& [neighbour, label] : neighbours) {
    auto* item = new QTreeWidgetItem(neighbours_, {label, locale.toString(neighbour.distance, 'f', 4)});
    item->setData(0, Qt::UserRole, neighbour.id);
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
  }
}

int TokenDetailsPanel::neighbourCount() const {
  return count_->value();
}
void TokenDetailsPanel::setNeighbourCount(int count) {
  count_->setValue(count);
}
Distance TokenDetailsPanel::distance() const {
  return Distance(distance_->currentData().toInt());
}
void TokenDetailsPanel::setDistance(Distance distance) {
  distance_->setCurrentIndex(distance_->findData(int(distance)));
}

void TokenDetailsPanel::setNeighboursAvailable(bool available) {
  distance_->setEnabled(available);
  count_->setEnabled(available);
  neighbours_->setEnabled(available);
}

}  // namespace cllm::views
