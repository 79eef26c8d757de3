#include "views/numbers/number_analyser_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace cllm::views {

namespace {

QString big(const BigInt& n) {
  return QString::fromStdString(n.str());
}

// Long numbers are shown by their ends and their length, in full in the tooltip-sized report below.
QString abbreviated(const QString& digits) {
  return digits.size() <= 60 ? digits
                             : digits.left(25) + QStringLiteral("…") + digits.right(25) +
                                   QObject::tr(" (%n digits)", nullptr, int(digits.size()));
}

QString row(const QString& name, const QString& value) {
  return QStringLiteral("<tr><td style='padding-right:12px'><b>%1</b></td><td>%2</td></tr>").arg(name, value);
}

QString point(double x, double y, double z) {
  const QLocale l;
  return QStringLiteral("(%1, %2, %3)")
      .arg(l.toString(x, 'g', 6), l.toString(y, 'g', 6), l.toString(z, 'g', 6));
}

}  // namespace

NumberAnalyserView::NumberAnalyserView(QWidget* parent) : QWidget(parent) {
  setObjectName("numberAnalyser");
  input_ = new QLineEdit;
  input_->setObjectName("numberInput");
  input_->setPlaceholderText(tr("An integer (e.g. 97, 2^521-1) or a token"));
  analyse_ = new QPushButton(tr("&Analyse"));
  analyse_->setObjectName("analyseButton");
  analyse_->setDefault(true);
  show_ = new QPushButton(tr("Show in 3-D"));
  show_->setObjectName("showNumberButton");
  show_->setToolTip(tr("Select the token whose prime this is in the 3-D view"));
  show_->setEnabled(false);
  report_ = new QTextBrowser;
  report_->setObjectName("numberReport");
  status_ = new QLabel;
  status_->setObjectName("numberStatus");
  status_->setWordWrap(true);

  auto* row1 = new QHBoxLayout;
  row1->addWidget(input_, 1);
  row1->addWidget(analyse_);
  row1->addWidget(show_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(row1);
  layout->addWidget(report_, 1);
  layout->addWidget(status_);

  auto request = [this] {
    if (!input_->text().trimmed().isEmpty()) emit analyseRequested(input_->text().trimmed());
  };
  connect(analyse_, &QPushButton::clicked, this, request);
  connect(input_, &QLineEdit::returnPressed, this, request);
  connect(show_, &QPushButton::clicked, this, [this] {
    if (token_) emit showRequested(*token_);
  });
}

QString NumberAnalyserView::input() const {
  return input_->text();
}
void NumberAnalyserView::setInput(const QString& text) {
  input_->setText(text);
}

QString NumberAnalyserView::formatFactors(const Factorization& f) {
  QStringList parts;
  for (const auto& [prime, exponent] : f.factors)
    parts << (exponent > 1 ? QStringLiteral("%1^%2").arg(abbreviated(big(prime))).arg(exponent)
                           : abbreviated(big(prime)));
  if (!f.complete && f.unfactored != 0)
    parts << tr("(composite, %n digits, not factored)", nullptr, int(big(f.unfactored).remove('-').size()));
  return parts.join(QStringLiteral(" × "));
}

void NumberAnalyserView::showReport(const NumberReport& r, const QString& subject,
                                    std::optional<int32_t> token) {
  token_ = token;
  show_->setEnabled(token.has_value());
  const QLocale l;
  QString html = QStringLiteral("<table>");
  if (!subject.isEmpty()) html += row(tr("Input"), subject.toHtmlEscaped());
  html += row(tr("Number"), abbreviated(QString::fromStdString(r.decimal)));
  html += row(tr("Digits"), l.toString(qulonglong(r.digits)));
  const QString verdict = r.primality.verdict == PrimalityResult::Prime           ? tr("prime")
                          : r.primality.verdict == PrimalityResult::ProbablePrime ? tr("probable prime")
                                                                                  : tr("not prime");
  html += row(tr("Prime?"), QStringLiteral("%1 — %2").arg(
                                verdict, QString::fromStdString(r.primality.method).toHtmlEscaped()));
  QString factors = formatFactors(r.factorization);
  if (!r.factorization.note.empty()) factors = QString::fromStdString(r.factorization.note);
  if (!r.factorization.complete && r.factorization.unfactored != 0)
    factors += tr(" — partially factored: the %1 s budget ran out")
                   .arg(l.toString(r.budget.count() / 1000.0, 'g', 3));
  html += row(tr("Factors"), factors.toHtmlEscaped());
  html += row(tr("π(n)"),
              r.prime_count ? l.toString(qulonglong(*r.prime_count)) : tr("not computed (n too large)"));
  html += row(tr("Clock class"), tr("%1 (n mod 12)").arg(r.clock_class));
  if (r.prime_index)
    html += row(tr("Prime index"),
                tr("%1 → token id %2").arg(l.toString(qulonglong(*r.prime_index))).arg(*r.token_id));
  if (r.clock)
    html += row(tr("Clock abacus"), tr("ring %1, slot %2 of %3, angle %4°, radius %5")
                                        .arg(r.clock->ring)
                                        .arg(r.clock->slot)
                                        .arg(r.clock->slot_count)
                                        .arg(l.toString(r.clock->angle_degrees, 'f', 1))
                                        .arg(l.toString(r.clock->radius, 'g', 4)));
  if (r.cone) html += row(tr("Prime cone"), point(r.cone->x, r.cone->y, r.cone->z));
  if (r.helix)
    html += row(tr("Modular helix"), QStringLiteral("(%1, %2, %3)")
                                         .arg(QString::fromStdString(format_coordinate(r.helix->x)),
                                              QString::fromStdString(format_coordinate(r.helix->y)),
                                              QString::fromStdString(format_coordinate(r.helix->z))));
  if (r.ulam)
    html += row(
        tr("Ulam spiral"),
        QStringLiteral("(%1, %2)").arg(abbreviated(big(r.ulam->first)), abbreviated(big(r.ulam->second))));
  html += QStringLiteral("</table>");
  for (const std::string& note : r.notes)
    html += QStringLiteral("<p>%1</p>").arg(QString::fromStdString(note).toHtmlEscaped());
  report_->setHtml(html);
  status_->setText(token ? tr("Token %1 of the current model has this prime.").arg(*token)
                         : tr("No token of the current model has this prime."));
}

void NumberAnalyserView::showError(const QString& message) {
  token_.reset();
  show_->setEnabled(false);
  report_->clear();
  status_->setText(message);
}

void NumberAnalyserView::setBusy(bool busy) {
  analyse_->setEnabled(!busy);
  if (busy) status_->setText(tr("Analysing…"));
}

QString NumberAnalyserView::reportText() const {
  return report_->toPlainText();
}

}  // namespace cllm::views
