#pragma once
// Where the training text comes from: the built-in corpus, a file, or a folder of .txt files. Accepts
// drag-and-drop of a file or folder. Shows the summary the app computes (size, characters, tokens) and a
// preview; it never reads the corpus itself.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace cllm::views {

class CorpusSelector : public QWidget {
  Q_OBJECT

 public:
  enum class Source { BuiltIn, File, Folder };

  explicit CorpusSelector(QWidget* parent = nullptr);

  Source source() const;
  QString path() const;  // empty for the built-in corpus
  void setSource(Source source, const QString& path = {});

  QString tokenizerKind() const;  // "char", "byte", "word" or "bpe"
  int vocabularySize() const;     // bpe: target size; word: maximum (0 = all)
  void setTokenizer(const QString& kind, int vocabularySize);

  // From the app, after it loaded the corpus (or an error message when it could not).
  // A warning (e.g. most words unknown at this vocabulary) is shown in orange; training can still start.
  void setSummary(const QString& summary, const QString& preview, const QString& warning = {});
  void setError(const QString& message);
  // The message of the last setError until the next setSummary: training cannot start meanwhile.
  QString validationError() const { return error_; }

 signals:
  void sourceChanged();     // source or path: the app reloads the summary
  void tokenizerChanged();  // kind or vocabulary size
  void validityChanged();   // setError or a setSummary after it

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void updateEnabled();
  void browse();
  void setValidationError(const QString& error);

  QComboBox* sourceCombo_;
  QLineEdit* pathEdit_;
  QPushButton* browseButton_;
  QComboBox* tokenizerCombo_;
  QSpinBox* vocabSpin_;
  QLabel* summaryLabel_;
  QPlainTextEdit* preview_;
  QString error_;
};

}  // namespace cllm::views
