#pragma once
// Answers the number analyser: parses what was typed (an integer of any size; with word roots, a word of
// the current model, which stands for p_root × p_affix; or a token of its vocabulary, which stands for its
// prime), analyses it on the thread pool within a time budget,
// and shows the report; "Show in 3-D" selects the token in the document.

#include <QObject>
#include <QPointer>
#include <chrono>
#include <memory>
#include <optional>

#include "lattice/big_int.h"

namespace cllm::views {
class NumberAnalyserView;
}

namespace cllm::app {

class WorkbenchDocument;

class NumberController : public QObject {
  Q_OBJECT

 public:
  // Factoring stops after this long and reports what it found.
  static constexpr std::chrono::milliseconds kBudget{2000};

  NumberController(WorkbenchDocument& document, views::NumberAnalyserView& view, QObject* parent = nullptr);
  ~NumberController() override;

  void analyse(const QString& text);

 signals:
  // The user asked to see the token in the 3-D view (it is selected already).
  void showInLatticeRequested();

 private:
  // Analyses n off the GUI thread; `token` (a word's own) is offered for "Show in 3-D".
  void start(const BigInt& n, const QString& subject, std::optional<int32_t> token);

  WorkbenchDocument& document_;
  QPointer<views::NumberAnalyserView> view_;
  int request_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace cllm::app
