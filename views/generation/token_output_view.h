#pragma once
// The generated text, each token on a background coloured by its probability, after the prompt in a
// neutral style. Hover a token for its probability and alternatives; click it to select it.
//
// Streaming: appendTokens() inserts a whole batch in one edit block (one layout pass per batch, never
// a re-render of the document), and keeps the view scrolled to the end unless the user scrolled up.

#include <QList>
#include <QTextEdit>

#include "generate/streamed_token.h"

namespace cllm::views {

class TokenOutputView : public QTextEdit {
  Q_OBJECT

 public:
  explicit TokenOutputView(QWidget* parent = nullptr);

  // Clears the output and shows `prompt`; the tokens that follow are generated after it.
  void begin(const QString& prompt);
  // Keeps the prompt and tokens [0, count), drops the rest (regeneration from a token).
  void truncate(int count);
  void appendTokens(const QList<StreamedToken>& tokens);

  const QList<StreamedToken>& tokens() const { return tokens_; }
  QString prompt() const { return prompt_; }
  QString generatedText() const;
  // prompt + text of tokens [0, tokenIndex) (tokenIndex clamped to [0, token count]).
  QString textBefore(int tokenIndex) const;

  // Index of the token under a point in viewport coordinates, -1 over the prompt or empty space.
  int tokenAt(QPoint viewportPos) const;
  // Document positions [begin, end) of a token's text.
  int tokenBegin(int index) const { return starts_.at(index); }
  int tokenEnd(int index) const;

  int selectedToken() const { return selected_; }
  // -1 clears the selection. Emits tokenSelected when it changes.
  void setSelectedToken(int index);

  // Rich text: the token, its probability and its alternatives as a table.
  QString tooltipTextFor(int index) const;

 signals:
  void tokenSelected(int index);

 protected:
  bool viewportEvent(QEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  void highlightSelection();

  QString prompt_;
  QList<StreamedToken> tokens_;
  QList<int> starts_;  // document position of each token's first character
  int end_ = 0;        // document position after the last token
  int selected_ = -1;
  bool followEnd_ = true;  // stay scrolled to the end while streaming
};

}  // namespace cllm::views
