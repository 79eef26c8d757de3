#include "views/training/corpus_selector.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

namespace cllm::views {

CorpusSelector::CorpusSelector(QWidget* parent) : QWidget(parent) {
  setAcceptDrops(true);
  sourceCombo_ = new QComboBox;
  sourceCombo_->setObjectName("corpusSourceCombo");
  sourceCombo_->addItem(tr("Built-in corpus"), int(Source::BuiltIn));
  sourceCombo_->addItem(tr("Text file"), int(Source::File));
  sourceCombo_->addItem(tr("Folder of .txt files"), int(Source::Folder));
  pathEdit_ = new QLineEdit;
  pathEdit_->setObjectName("corpusPathEdit");
  pathEdit_->setPlaceholderText(tr("Choose or drop a file or folder"));
  browseButton_ = new QPushButton(tr("Browse…"));
  browseButton_->setObjectName("corpusBrowseButton");
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(pathEdit_);
  pathRow->addWidget(browseButton_);

  tokenizerCombo_ = new QComboBox;
  tokenizerCombo_->setObjectName("tokenizerCombo");
  tokenizerCombo_->addItem(tr("Characters"), "char");
  tokenizerCombo_->addItem(tr("Bytes (UTF-8)"), "byte");
  tokenizerCombo_->addItem(tr("Words"), "word");
  tokenizerCombo_->addItem(tr("Byte-pair encoding (BPE)"), "bpe");
  vocabSpin_ = new QSpinBox;
  vocabSpin_->setObjectName("vocabSizeSpin");
  vocabSpin_->setRange(0, 65536);
  vocabSpin_->setValue(512);
  vocabSpin_->setToolTip(
      tr("BPE: vocabulary size (at least 257). Words: the largest vocabulary, 0 keeps every word."));

  summaryLabel_ = new QLabel;
  summaryLabel_->setObjectName("corpusSummaryLabel");
  summaryLabel_->setWordWrap(true);
  summaryLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  preview_ = new QPlainTextEdit;
  preview_->setObjectName("corpusPreview");
  preview_->setReadOnly(true);
  preview_->setMaximumHeight(90);
  preview_->setLineWrapMode(QPlainTextEdit::NoWrap);

  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Source"), sourceCombo_);
  form->addRow(tr("Path"), pathRow);
  form->addRow(tr("Tokenizer"), tokenizerCombo_);
  form->addRow(tr("Vocabulary"), vocabSpin_);
  form->addRow(summaryLabel_);
  form->addRow(preview_);

  connect(sourceCombo_, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit sourceChanged();
  });
  connect(pathEdit_, &QLineEdit::editingFinished, this, &CorpusSelector::sourceChanged);
  connect(browseButton_, &QPushButton::clicked, this, &CorpusSelector::browse);
  connect(tokenizerCombo_, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit tokenizerChanged();
  });
  connect(vocabSpin_, &QSpinBox::valueChanged, this, &CorpusSelector::tokenizerChanged);
  updateEnabled();
}

CorpusSelector::Source CorpusSelector::source() const {
  return Source(sourceCombo_->currentData().toInt());
}

QString CorpusSelector::path() const {
  return source() == Source::BuiltIn ? QString() : pathEdit_->text().trimmed();
}

void CorpusSelector::setSource(Source source, const QString& path) {
  const QSignalBlocker block(sourceCombo_);
  sourceCombo_->setCurrentIndex(sourceCombo_->findData(int(source)));
  pathEdit_->setText(path);
  updateEnabled();
  emit sourceChanged();
}

QString CorpusSelector::tokenizerKind() const {
  return tokenizerCombo_->currentData().toString();
}

int CorpusSelector::vocabularySize() const {
  const QString kind = tokenizerKind();
  return kind == "bpe" || kind == "word" ? vocabSpin_->value() : 0;
}

void CorpusSelector::setTokenizer(const QString& kind, int vocabularySize) {
  const int index = tokenizerCombo_->findData(kind);
  if (index >= 0) tokenizerCombo_->setCurrentIndex(index);
  if (vocabularySize > 0) vocabSpin_->setValue(vocabularySize);
}

void CorpusSelector::setSummary(const QString& summary, const QString& preview, const QString& warning) {
  summaryLabel_->setStyleSheet(warning.isEmpty() ? QString() : QStringLiteral("color: #b26a00;"));
  summaryLabel_->setText(warning.isEmpty() ? summary : summary + '\n' + warning);
  preview_->setPlainText(preview);
  setValidationError({});
}

void CorpusSelector::setError(const QString& message) {
  summaryLabel_->setStyleSheet("color: #b00020;");
  summaryLabel_->setText(message);
  preview_->clear();
  setValidationError(message);
}

void CorpusSelector::setValidationError(const QString& error) {
  if (error == error_) return;
  error_ = error;
  emit validityChanged();
}

void CorpusSelector::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile())
    event->acceptProposedAction();
}

void CorpusSelector::dropEvent(QDropEvent* event) {
  const QString path = event->mimeData()->urls().first().toLocalFile();
  setSource(QFileInfo(path).isDir() ? Source::Folder : Source::File, path);
  event->acceptProposedAction();
}

void CorpusSelector::updateEnabled() {
  const bool fromDisk = source() != Source::BuiltIn;
  pathEdit_->setEnabled(fromDisk);
  browseButton_->setEnabled(fromDisk);
  const QString kind = tokenizerKind();
  vocabSpin_->setEnabled(kind == "bpe" || kind == "word");
}

void CorpusSelector::browse() {
  const QString path =
      source() == Source::Folder
          ? QFileDialog::getExistingDirectory(this, tr("Folder of text files"), pathEdit_->text())
          : QFileDialog::getOpenFileName(this, tr("Text file"), pathEdit_->text(),
                                         tr("Text files (*.txt);;All files (*)"));
  if (path.isEmpty()) return;
  pathEdit_->setText(path);
  emit sourceChanged();
}

}  // namespace cllm::views
