#include "views/precision/precision_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

namespace cllm::views {

namespace {

QString scientific(double v) {
  return v == 0 ? QStringLiteral("0") : QString::number(v, 'e', 1);
}

}  // namespace

PrecisionView::PrecisionView(QWidget* parent) : QWidget(parent) {
  modelLabel_ = new QLabel;
  modelLabel_->setObjectName("precisionModel");
  modelLabel_->setWordWrap(true);
  tokens_ = new QSpinBox;
  tokens_->setObjectName("precisionTokens");
  tokens_->setRange(2, kDefaultPrecisionTokens);
  tokens_->setValue(kDefaultPrecisionTokens);
  tokens_->setToolTip(
      tr("Tokens of one validation sequence. The 50-digit pass is slow: the small model takes "
         "about 0.3 s per token."));
  measure_ = new QPushButton(tr("Measure"));
  measure_->setObjectName("precisionMeasure");
  cancel_ = new QPushButton(tr("Cancel"));
  cancel_->setObjectName("precisionCancel");
  progress_ = new QProgressBar;
  progress_->setObjectName("precisionProgress");
  progress_->setRange(0, 1000);
  status_ =
      new QLabel(tr("Measures one batch of validation text in float32, double and 50 significant digits."));
  status_->setObjectName("precisionStatus");
  status_->setWordWrap(true);
  verdict_ = new QLabel;
  verdict_->setObjectName("precisionVerdict");
  verdict_->setWordWrap(true);
  QFont bold = verdict_->font();
  bold.setBold(true);
  verdict_->setFont(bold);
  verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  tensors_ = new QComboBox;
  tensors_->setObjectName("precisionTensors");
  tensors_->addItem(tr("Activations, layer by layer"), int(Tensors::Activations));
  tensors_->addItem(tr("Parameter gradients"), int(Tensors::Gradients));

  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart_ = new QChartView(chart);
  chart_->setObjectName("precisionChart");
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(220);
  table_ = new QTableWidget(0, 4);
  table_->setObjectName("precisionTable");
  table_->setHorizontalHeaderLabels({tr("Tensor"), tr("float32"), tr("double"), tr("bf16 rounding")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->setToolTip(
      tr("Relative error against the 50-digit pass: max |x − ref| / max |ref| over the tensor."));

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Tokens:")));
  controls->addWidget(tokens_);
  controls->addWidget(measure_);
  controls->addWidget(cancel_);
  controls->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(modelLabel_);
  layout->addLayout(controls);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addWidget(verdict_);
  layout->addWidget(tensors_);
  layout->addWidget(chart_, 2);
  layout->addWidget(table_, 1);

  connect(measure_, &QPushButton::clicked, this, [this] { emit measureRequested(tokens_->value()); });
  connect(cancel_, &QPushButton::clicked, this, &PrecisionView::cancelRequested);
  connect(tensors_, &QComboBox::currentIndexChanged, this, &PrecisionView::redraw);
  setModel({}, 0);
  redraw();
}

void PrecisionView::setModel(const QString& label, int blockSize) {
  hasModel_ = !label.isEmpty();
  modelLabel_->setText(hasModel_ ? tr("Model: %1").arg(label)
                                 : tr("No model: train one or open a checkpoint for generation."));
  if (blockSize > 0) tokens_->setMaximum(std::max(2, blockSize));
  setBusy(busy_);
}

void PrecisionView::setBusy(bool busy) {
  busy_ = busy;
  measure_->setEnabled(hasModel_ && !busy);
  cancel_->setEnabled(busy);
  tokens_->setEnabled(!busy);
  progress_->setVisible(busy);
  if (busy) progress_->setValue(0);
}

void PrecisionView::setProgress(const QString& stage, double fraction) {
  progress_->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
  status_->setText(stage);
}

void PrecisionView::showReport(const PrecisionReport& report, const QString& modelLabel) {
  report_ = report;
  setBusy(false);
  verdict_->setText(QString::fromStdString(report.verdict()));
  const QLocale locale;
  const GradientCheckEntry* worst = report.check.worst();
  status_->setText(
      tr("%1: %2 × %3 tokens. Worst float32 tensor: %4 (%5). Loss %6 (float32) against %7 (50 digits). "
         "50-digit gradient check: worst error %8 over %9 parameters. Took %10 s.")
          .arg(modelLabel)
          .arg(report.batch)
          .arg(report.tokens_per_sequence)
          .arg(QString::fromStdString(report.worst_tensor), scientific(report.worst_float32_error))
          .arg(locale.toString(report.loss.float32, 'f', 6))
          .arg(QString::fromStdString(report.loss.fifty).left(22))
          .arg(worst ? scientific(report.check.worst_error) : QStringLiteral("–"))
          .arg(report.check.entries.size())
          .arg(locale.toString(
              report.seconds_float32 + report.seconds_float64 + report.seconds_fifty + report.seconds_check,
              'f', 1)));
  redraw();
}

void PrecisionView::showError(const QString& message) {
  setBusy(false);
  status_->setText(message);
}

void PrecisionView::showCancelled() {
  setBusy(false);
  status_->setText(tr("Cancelled; nothing was measured."));
}

void PrecisionView::setTokens(int tokens) {
  tokens_->setValue(tokens);
}

int PrecisionView::tokens() const {
  return tokens_->value();
}

void PrecisionView::setTensors(Tensors tensors) {
  tensors_->setCurrentIndex(tensors_->findData(int(tensors)));
}

PrecisionView::Tensors PrecisionView::tensors() const {
  return Tensors(tensors_->currentData().toInt());
}

QString PrecisionView::verdict() const {
  return verdict_->text();
}

QList<int> PrecisionView::seriesPointCounts() const {
  QList<int> counts;
  for (QAbstractSeries* s : chart_->chart()->series())
    if (auto* line = qobject_cast<QLineSeries*>(s); line && s->objectName() != "float32Unit")
      counts << int(line->count());
  return counts;
}

void PrecisionView::redraw() {
  QChart* chart = chart_->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  table_->setRowCount(0);
  if (!report_) {
    chart->setTitle(tr("Relative error against 50 digits (measure to see it)"));
    return;
  }
  const std::vector<TensorPrecision>& rows =
      tensors() == Tensors::Activations ? report_->activations : report_->gradients;
  chart->setTitle(tensors() == Tensors::Activations ? tr("Activations: relative error against 50 digits")
                                                    : tr("Gradients: relative error against 50 digits"));
  // Exact zeros (a tensor every precision gets exactly right) have no place on a log axis: left out of the
  // line, shown as 0 in the table.
  double lowest = kFloat32Unit, highest = kFloat32Unit;
  struct Column {
    QString name;
    double TensorPrecision::*field;
    QColor color;
  };
  const Column columns[] = {{tr("float32"), &TensorPrecision::float32, QColor("#1f77b4")},
                            {tr("double"), &TensorPrecision::float64, QColor("#2ca02c")},
                            {tr("bf16 rounding"), &TensorPrecision::bfloat16, QColor("#d62728")}};
  auto* x = new QValueAxis;
  x->setTitleText(tensors() == Tensors::Activations ? tr("activation (model order; names in the table)")
                                                    : tr("parameter tensor (names in the table)"));
  x->setLabelFormat("%d");
  x->setRange(0, std::max<int>(1, int(rows.size()) - 1));
  auto* y = new QLogValueAxis;
  y->setLabelFormat("%.0e");
  y->setTitleText(tr("relative error"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (const Column& c : columns) {
    auto* line = new QLineSeries;
    line->setName(c.name);
    line->setColor(c.color);
    line->setPointsVisible(true);
    for (int i = 0; i < int(rows.size()); ++i) {
      const double v = rows[size_t(i)].*c.field;
      if (!(v > 0) || !std::isfinite(v)) continue;
      line->append(i, v);
      lowest = std::min(lowest, v);
      highest = std::max(highest, v);
    }
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
  }
  auto* unit = new QLineSeries;
  unit->setObjectName("float32Unit");
  unit->setName(tr("float32 unit 2⁻²⁴"));
  QPen dashed(Qt::gray);
  dashed.setStyle(Qt::DashLine);
  unit->setPen(dashed);
  unit->append(0, kFloat32Unit);
  unit->append(std::max<int>(1, int(rows.size()) - 1), kFloat32Unit);
  chart->addSeries(unit);
  unit->attachAxis(x);
  unit->attachAxis(y);
  // A label every 10^k, k chosen so that about six fit whatever the span (float32 to double errors span
  // some ten decades).
  const double low = std::floor(std::log10(lowest)), high = std::ceil(std::log10(highest));
  const double step = std::max(1.0, std::ceil((high - low) / 6));
  y->setBase(std::pow(10.0, step));
  y->setMinorTickCount(0);
  y->setRange(std::pow(10.0, high - step * std::ceil((high - low) / step)), std::pow(10.0, high));

  table_->setRowCount(int(rows.size()));
  for (int i = 0; i < int(rows.size()); ++i) {
    const TensorPrecision& t = rows[size_t(i)];
    const QStringList cells = {QString::fromStdString(t.name), scientific(t.float32), scientific(t.float64),
                               scientific(t.bfloat16)};
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(c == 0 ? QStringLiteral("%1  %2").arg(i).arg(cells[c]) : cells[c]);
      if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(i, c, item);
    }
  }
}

}  // namespace cllm::views
