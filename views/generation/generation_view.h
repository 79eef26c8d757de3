#pragma once
// The sampling playground: model source, prompt, sampling settings, and the generated text with each
// token's probability and alternatives. It only displays and edits state; every request carries what
// the app needs, and the app answers through the output calls:
//
//   generateRequested(request)    -> setBusy(true); beginOutput(seed); appendTokens(batch)...;
//                                    finishOutput(summary) or showError(msg); setBusy(false)
//   regenerateRequested(request)  -> the same with continueOutputFrom(request.continueFrom, seed) instead
//                                    of beginOutput; the request keeps the output's prompt and the ids of
//                                    tokens [0, k), plus the chosen alternative's id in `forced` when the
//                                    user double-clicked one (the worker streams it first)
//   stopRequested()               -> cancel the worker (it still finishes the output)
//
// Generate (also Ctrl+Return anywhere in the panel) is enabled when not busy, the prompt is not empty
// and the settings pass validate(); Stop only while busy.

#include <QList>
#include <QStringList>
#include <QWidget>
#include <optional>

#include "generate/streamed_token.h"
#include "views/generation/generation_request.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace cllm::views {

class SamplingControls;
class TokenOutputView;

class GenerationView : public QWidget {
  Q_OBJECT

 public:
  explicit GenerationView(QWidget* parent = nullptr);

  // E.g. "Model being trained" and loaded checkpoints. Does not emit modelSourceChanged.
  void setModelSources(const QStringList& labels, int current);
  int currentModelSource() const;
  // Top-k's upper bound follows the vocabulary of the current model.
  void setVocabularySize(int size);

  QString prompt() const;
  void setPrompt(const QString& prompt);
  // Prompt from the editor, the rest from the controls (see GenerationRequest for what modes switch off).
  GenerationRequest request() const;
  // Regenerating from output token `tokenIndex`, optionally with the alternative `forced` drawn there.
  GenerationRequest regenerationRequest(int tokenIndex, std::optional<int32_t> forced = std::nullopt) const;
  bool canGenerate() const;
  SamplingControls* samplingControls() const { return controls_; }

  // Clears the output and shows the editor's prompt; `seedUsed` is shown (and put into the seed control
  // when "Random" is ticked) so the result can be reproduced.
  void beginOutput(quint64 seedUsed);
  // Keeps the output's prompt and tokens [0, tokenIndex) and drops the rest, for regeneration.
  void continueOutputFrom(int tokenIndex, quint64 seedUsed);
  void appendTokens(const QList<StreamedToken>& tokens);
  // E.g. "120 tokens, 350 tokens/s, stopped at max tokens". Does not change the busy state.
  void finishOutput(const QString& summary);
  void showError(const QString& message);
  void setBusy(bool busy);
  bool isBusy() const { return busy_; }

  QList<StreamedToken> tokens() const;
  // Generated text only, without the prompt.
  QString outputText() const;
  // The output's prompt (as it was at beginOutput) + text of tokens [0, tokenIndex).
  QString textBefore(int tokenIndex) const;
  // Token under a point in outputView's viewport coordinates, -1 if none.
  int tokenAt(QPoint viewportPos) const;
  QString tooltipTextFor(int tokenIndex) const;
  int selectedToken() const;
  void selectToken(int tokenIndex);
  TokenOutputView* outputView() const { return output_; }

 signals:
  void modelSourceChanged(int index);
  void generateRequested(const cllm::views::GenerationRequest& request);
  void stopRequested();
  void regenerateRequested(const cllm::views::GenerationRequest& request);

 private:
  QWidget* buildPromptArea();
  QWidget* buildOutputArea();
  QWidget* buildAlternativesPanel();
  void updateActions();
  void onTokenSelected(int index);
  void onAlternativeActivated(QTreeWidgetItem* item);
  void requestGenerate();
  void setStatus(const QString& text, bool error);

  QComboBox* modelSourceCombo_;
  QPlainTextEdit* promptEdit_;
  QPushButton* generateButton_;
  QPushButton* stopButton_;
  SamplingControls* controls_;
  TokenOutputView* output_;
  QLabel* statusLabel_;
  QLabel* selectedTokenLabel_;
  QTreeWidget* alternativesList_;
  QPushButton* regenerateButton_;

  bool busy_ = false;
  bool hasSeed_ = false;
  quint64 seedUsed_ = 0;
};

}  // namespace cllm::views
