#pragma once
// The number analyser: type any integer (any size; "2^521-1" works), a token of the current vocabulary, or
// with word roots a word (its number p_root × p_affix, factorised back into root and affix),
// and see whether it is prime (and how that was decided), its factorisation (or how far factoring got
// within its time budget), π(n) where it is cheap, its clock class and clock-abacus ring/slot/angle, and
// its place on each lattice map. "Show in 3-D" selects the token that has this prime.
//
// It only displays: analyseRequested(text) goes to the app, which answers with showReport() or
// showError() (computed off the GUI thread; setBusy() meanwhile).

#include <QWidget>
#include <cstdint>
#include <optional>

#include "lattice/number_report.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;

namespace cllm::views {

class NumberAnalyserView : public QWidget {
  Q_OBJECT

 public:
  explicit NumberAnalyserView(QWidget* parent = nullptr);

  QString input() const;
  void setInput(const QString& text);
  // `subject` says what was analysed when it was not typed as a number (e.g. "token “the” (id 5)");
  // `token` is the vocabulary token with this prime, if the current model has one.
  void showReport(const NumberReport& report, const QString& subject, std::optional<int32_t> token);
  void showError(const QString& message);
  void setBusy(bool busy);
  // The report as shown (plain text), for tests and copying.
  QString reportText() const;

  // "2^3 × 3 × 5", or "3 × 5 × (composite, 40 digits)" when factoring stopped early.
  static QString formatFactors(const Factorization& f);

 signals:
  void analyseRequested(const QString& text);
  void showRequested(int32_t token);

 private:
  QLineEdit* input_;
  QPushButton *analyse_, *show_;
  QTextBrowser* report_;
  QLabel* status_;
  std::optional<int32_t> token_;
};

}  // namespace cllm::views
