#pragma once
// Asks which ablation to run: the variants of the training panel's model (the baseline and every value of
// every model option, all ticked) and the seeds each variant trains with. It shows how many runs that is
// and only collects the choice; the app runs it.

#include <QDialog>
#include <QList>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace cllm::views {

class AblationDialog : public QDialog {
  Q_OBJECT

 public:
  // `variants`: "baseline", then "option=value" names; `stepsPerRun`: the training panel's budget.
  AblationDialog(const QStringList& variants, int stepsPerRun, QWidget* parent = nullptr);

  QStringList variants() const;  // the ticked ones, in list order
  void setVariantChecked(const QString& variant, bool checked);
  // The seeds typed ("1, 2, 3"); empty when the text is not a list of distinct whole numbers.
  QList<quint64> seeds() const;
  void setSeeds(const QString& text);
  // Why the choice cannot run (nothing ticked, bad seeds), or empty.
  QString problem() const;

  // "1, 2 3" -> {1, 2, 3}; nullopt-like empty list with *error set when a part is not a whole number or
  // repeats.
  static QList<quint64> parseSeeds(const QString& text, QString* error = nullptr);

 private:
  void updateSummary();

  QListWidget* list_;
  QLineEdit* seeds_;
  QLabel* summary_;
  QDialogButtonBox* buttons_;
  int stepsPerRun_;
};

}  // namespace cllm::views
