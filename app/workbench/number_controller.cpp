#include "number_controller.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include "inspect/word_number.h"
#include "lattice/integer_parse.h"
#include "lattice/number_report.h"
#include "util/error.h"
#include "views/numbers/number_analyser_view.h"
#include "workbench_document.h"

namespace cllm::app {

NumberController::NumberController(WorkbenchDocument& document, views::NumberAnalyserView& view,
                                   QObject* parent)
    : QObject(parent), document_(document), view_(&view) {
  connect(&view, &views::NumberAnalyserView::analyseRequested, this, &NumberController::analyse);
  connect(&view, &views::NumberAnalyserView::showRequested, this, [this](int32_t token) {
    document_.selectToken(token);
    emit showInLatticeRequested();
  });
}

NumberController::~NumberController() {
  *alive_ = false;
}

void NumberController::analyse(const QString& text) {
  if (!view_) return;
  BigInt n;
  QString subject;
  const ModelSnapshotPtr model = document_.currentModel();
  try {
    n = parse_integer(text.toStdString());
  } catch (const Error& notANumber) {
    // Not a number. With word roots, a word of the vocabulary stands for its number p_root × p_affix;
    // otherwise a token of the current vocabulary stands for its prime (token k has the k-th prime).
    if (model && model->model->config().roots == "on") {
      try {
        const WordNumber w = word_number(model->model->config(), *model->tokenizer, text.toStdString());
        start(w.number, tr("word %1").arg(QString::fromStdString(describe_word_number(w))), w.id);
        return;
      } catch (const Error&) {
        // not a word of the vocabulary: perhaps a token label (e.g. "<unk>")
      }
    }
    int32_t id = -1;
    if (model) {
      const Tokenizer& tokenizer = *model->tokenizer;
      const std::string wanted = text.toStdString();
      for (int32_t k = 0; k < tokenizer.vocab_size() && id < 0; ++k)
        if (tokenizer.token_label(k) == wanted || tokenizer.token_bytes(k) == wanted) id = k;
    }
    if (id < 0) {
      view_->showError(model
                           ? tr("%1; nor is “%2” a token of the current model.").arg(notANumber.what(), text)
                           : QString::fromUtf8(notANumber.what()));
      return;
    }
    n = BigInt(nth_prime(static_cast<size_t>(id)));
    subject =
        tr("token “%1” (id %2), whose prime is %3").arg(text).arg(id).arg(QString::fromStdString(n.str()));
  }
  start(n, subject, std::nullopt);
}

void NumberController::start(const BigInt& n, const QString& subject, std::optional<int32_t> token) {
  const ModelSnapshotPtr model = document_.currentModel();
  const int request = ++request_;
  const int vocabulary = model ? model->tokenizer->vocab_size() : 0;
  view_->setBusy(true);
  auto* watcher = new QFutureWatcher<std::shared_ptr<NumberReport>>(this);
  connect(watcher, &QFutureWatcher<std::shared_ptr<NumberReport>>::finished, this,
          [this, watcher, request, subject, vocabulary, token, alive = alive_] {
            watcher->deleteLater();
            if (!*alive || !view_ || request != request_) return;  // a newer number is being analysed
            view_->setBusy(false);
            const std::shared_ptr<NumberReport> report = watcher->result();
            // A word's own token; otherwise the token whose prime this is.
            std::optional<int32_t> shown = token;
            if (!shown && report->token_id && *report->token_id < vocabulary)
              shown = static_cast<int32_t>(*report->token_id);
            view_->showReport(*report, subject, shown);
          });
  watcher->setFuture(
      QtConcurrent::run([n] { return std::make_shared<NumberReport>(analyse_number(n, kBudget)); }));
}

}  // namespace cllm::app
