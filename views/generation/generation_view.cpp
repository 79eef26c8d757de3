#include "views/generation/generation_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "views/generation/probability_legend.h"
#include "views/generation/sampling_controls.h"
#include "views/generation/token_display.h"
#include "views/generation/token_output_view.h"

namespace cllm::views {

GenerationView::GenerationView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* sourceRow = new QHBoxLayout;
  auto* sourceLabel = new QLabel(tr("M&odel:"), this);
  modelSourceCombo_ = new QComboBox(this);
  modelSourceCombo_->setObjectName(QStringLiteral("modelSourceCombo"));
  modelSourceCombo_->setToolTip(
      tr("Which model to sample from: the one being trained or a loaded checkpoint"));
  modelSourceCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  sourceLabel->setBuddy(modelSourceCombo_);
  sourceRow->addWidget(sourceLabel);
  sourceRow->addWidget(modelSourceCombo_);
  sourceRow->addStretch(1);
  layout->addLayout(sourceRow);

  controls_ = new SamplingControls(this);
  auto* controlsScroll = new QScrollArea(this);
  controlsScroll->setWidget(controls_);
  controlsScroll->setWidgetResizable(true);
  controlsScroll->setFrameShape(QFrame::NoFrame);
  controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  controlsScroll->setMinimumWidth(controls_->sizeHint().width() + 24);

  auto* textSplitter = new QSplitter(Qt::Vertical, this);
  textSplitter->addWidget(buildPromptArea());
  textSplitter->addWidget(buildOutputArea());
  textSplitter->setStretchFactor(0, 1);
  textSplitter->setStretchFactor(1, 3);

  auto* mainSplitter = new QSplitter(Qt::Horizontal, this);
  mainSplitter->setObjectName(QStringLiteral("generationSplitter"));
  mainSplitter->addWidget(textSplitter);
  mainSplitter->addWidget(controlsScroll);
  mainSplitter->setStretchFactor(0, 1);
  mainSplitter->setStretchFactor(1, 0);
  mainSplitter->setCollapsible(0, false);
  layout->addWidget(mainSplitter, 1);

  // Anywhere in the panel, not only in the prompt: users tweak a spin box and re-run from the keyboard.
  for (const QKeySequence& keys :
       {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
    auto* shortcut = new QShortcut(keys, this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &GenerationView::requestGenerate);
  }
  auto* stopShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
  stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(stopShortcut, &QShortcut::activated, this, [this] {
    if (busy_) emit stopRequested();
  });

  connect(modelSourceCombo_, &QComboBox::currentIndexChanged, this, &GenerationView::modelSourceChanged);
  connect(promptEdit_, &QPlainTextEdit::textChanged, this, &GenerationView::updateActions);
  connect(controls_, &SamplingControls::validityChanged, this, &GenerationView::updateActions);
  connect(generateButton_, &QPushButton::clicked, this, &GenerationView::requestGenerate);
  connect(stopButton_, &QPushButton::clicked, this, &GenerationView::stopRequested);
  connect(output_, &TokenOutputView::tokenSelected, this, &GenerationView::onTokenSelected);
  connect(regenerateButton_, &QPushButton::clicked, this, [this] {
    if (output_->selectedToken() >= 0)
      emit regenerateRequested(regenerationRequest(output_->selectedToken()));
  });
  connect(alternativesList_, &QTreeWidget::itemDoubleClicked, this, &GenerationView::onAlternativeActivated);
  onTokenSelected(-1);
}

QWidget* GenerationView::buildPromptArea() {
  auto* area = new QWidget(this);
  auto* layout = new QVBoxLayout(area);
  layout->setContentsMargins(0, 0, 0, 0);
  promptEdit_ = new QPlainTextEdit(area);
  promptEdit_->setObjectName(QStringLiteral("promptEdit"));
  promptEdit_->setPlaceholderText(tr("Type a prompt, then Generate (Ctrl+Return)"));
  layout->addWidget(promptEdit_, 1);

  auto* buttons = new QHBoxLayout;
  generateButton_ = new QPushButton(tr("&Generate"), area);
  generateButton_->setObjectName(QStringLiteral("generateButton"));
  generateButton_->setDefault(true);
  stopButton_ = new QPushButton(tr("Stop"), area);
  stopButton_->setObjectName(QStringLiteral("stopButton"));
  stopButton_->setToolTip(tr("Stop generating (Esc); the text so far is kept"));
  buttons->addWidget(generateButton_);
  buttons->addWidget(stopButton_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  return area;
}

QWidget* GenerationView::buildOutputArea() {
  auto* splitter = new QSplitter(Qt::Horizontal, this);

  auto* column = new QWidget(splitter);
  auto* layout = new QVBoxLayout(column);
  layout->setContentsMargins(0, 0, 0, 0);
  output_ = new TokenOutputView(column);
  layout->addWidget(output_, 1);
  auto* legend = new ProbabilityLegend(column);
  legend->setObjectName(QStringLiteral("probabilityLegend"));
  layout->addWidget(legend);
  statusLabel_ = new QLabel(column);
  statusLabel_->setObjectName(QStringLiteral("outputStatusLabel"));
  statusLabel_->setWordWrap(true);
  statusLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);  // seeds get copied from here
  layout->addWidget(statusLabel_);

  splitter->addWidget(column);
  splitter->addWidget(buildAlternativesPanel());
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  return splitter;
}

QWidget* GenerationView::buildAlternativesPanel() {
  auto* panel = new QWidget(this);
  auto* layout = new QVBoxLayout(panel);
  layout->setContentsMargins(0, 0, 0, 0);
  selectedTokenLabel_ = new QLabel(panel);
  selectedTokenLabel_->setObjectName(QStringLiteral("selectedTokenLabel"));
  selectedTokenLabel_->setWordWrap(true);
  layout->addWidget(selectedTokenLabel_);

  alternativesList_ = new QTreeWidget(panel);
  alternativesList_->setObjectName(QStringLiteral("alternativesList"));
  alternativesList_->setRootIsDecorated(false);
  alternativesList_->setUniformRowHeights(true);
  alternativesList_->setHeaderLabels({tr("Alternative"), tr("Probability")});
  alternativesList_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  alternativesList_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  alternativesList_->header()->setStretchLastSection(false);
  alternativesList_->setToolTip(
      tr("The model's most likely tokens at the selected position. Double-click one to "
         "regenerate from there with it instead."));
  layout->addWidget(alternativesList_, 1);

  regenerateButton_ = new QPushButton(tr("&Regenerate from here"), panel);
  regenerateButton_->setObjectName(QStringLiteral("regenerateButton"));
  regenerateButton_->setToolTip(
      tr("Generate again from the selected token on: the prompt is the original "
         "prompt plus the tokens before it"));
  layout->addWidget(regenerateButton_);
  return panel;
}

void GenerationView::setModelSources(const QStringList& labels, int current) {
  const QSignalBlocker blocker(modelSourceCombo_);
  modelSourceCombo_->clear();
  modelSourceCombo_->addItems(labels);
  if (!labels.isEmpty()) modelSourceCombo_->setCurrentIndex(std::clamp(current, 0, int(labels.size()) - 1));
}

int GenerationView::currentModelSource() const {
  return modelSourceCombo_->currentIndex();
}

void GenerationView::setVocabularySize(int size) {
  controls_->setVocabularySize(size);
}

QString GenerationView::prompt() const {
  return promptEdit_->toPlainText();
}

void GenerationView::setPrompt(const QString& prompt) {
  promptEdit_->setPlainText(prompt);
}

GenerationRequest GenerationView::request() const {
  GenerationRequest request;
  request.prompt = prompt();
  controls_->fillRequest(request);
  return request;
}

GenerationRequest GenerationView::regenerationRequest(int tokenIndex, std::optional<int32_t> forced) const {
  GenerationRequest r = request();
  const QList<StreamedToken>& shown = output_->tokens();
  tokenIndex = std::clamp(tokenIndex, 0, int(shown.size()));
  r.prompt = output_->prompt();
  for (int i = 0; i < tokenIndex; ++i) r.kept.push_back(shown[i].id);
  if (forced) r.forced = {*forced};
  r.continueFrom = tokenIndex;
  return r;
}

bool GenerationView::canGenerate() const {
  return !busy_ && controls_->isValid() && !prompt().isEmpty();
}

void GenerationView::requestGenerate() {
  if (canGenerate()) emit generateRequested(request());
}

void GenerationView::beginOutput(quint64 seedUsed) {
  output_->begin(prompt());
  onTokenSelected(-1);
  seedUsed_ = seedUsed;
  hasSeed_ = true;
  controls_->showSeedUsed(seedUsed);
  setStatus(tr("Generating… (seed %1)").arg(seedUsed), false);
}

void GenerationView::continueOutputFrom(int tokenIndex, quint64 seedUsed) {
  output_->truncate(tokenIndex);
  seedUsed_ = seedUsed;
  hasSeed_ = true;
  controls_->showSeedUsed(seedUsed);
  setStatus(tr("Generating from token %1… (seed %2)").arg(output_->tokens().size() + 1).arg(seedUsed), false);
}

void GenerationView::appendTokens(const QList<StreamedToken>& tokens) {
  output_->appendTokens(tokens);
}

void GenerationView::finishOutput(const QString& summary) {
  setStatus(hasSeed_ ? tr("%1 · seed %2").arg(summary).arg(seedUsed_) : summary, false);
}

void GenerationView::showError(const QString& message) {
  setStatus(message, true);
}

void GenerationView::setStatus(const QString& text, bool error) {
  statusLabel_->setText(text);
  statusLabel_->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

void GenerationView::setBusy(bool busy) {
  busy_ = busy;
  updateActions();
}

void GenerationView::updateActions() {
  const bool valid = controls_->isValid();
  generateButton_->setEnabled(canGenerate());
  if (prompt().isEmpty()) {
    generateButton_->setToolTip(tr("Type a prompt first"));
  } else if (!valid) {
    generateButton_->setToolTip(controls_->validationError());
  } else {
    generateButton_->setToolTip(tr("Generate (Ctrl+Return)"));
  }
  stopButton_->setEnabled(busy_);
  regenerateButton_->setEnabled(!busy_ && valid && output_->selectedToken() >= 0);
}

QList<StreamedToken> GenerationView::tokens() const {
  return output_->tokens();
}

QString GenerationView::outputText() const {
  return output_->generatedText();
}

QString GenerationView::textBefore(int tokenIndex) const {
  return output_->textBefore(tokenIndex);
}

int GenerationView::tokenAt(QPoint viewportPos) const {
  return output_->tokenAt(viewportPos);
}

QString GenerationView::tooltipTextFor(int tokenIndex) const {
  return output_->tooltipTextFor(tokenIndex);
}

int GenerationView::selectedToken() const {
  return output_->selectedToken();
}

void GenerationView::selectToken(int tokenIndex) {
  output_->setSelectedToken(tokenIndex);
}

void GenerationView::onTokenSelected(int index) {
  alternativesList_->clear();
  if (index < 0 || index >= output_->tokens().size()) {
    selectedTokenLabel_->setText(tr("Click a generated token to see the alternatives the model considered."));
  } else {
    const StreamedToken& token = output_->tokens()[index];
    selectedTokenLabel_->setText(
        tr("Token %1: %2, probability %3")
            .arg(index + 1)
            .arg(visibleTokenText(QString::fromStdString(token.text)), formatProbability(token.probability)));
    for (const StreamedToken::Alternative& alternative : token.alternatives) {
      auto* item =
          new QTreeWidgetItem(alternativesList_, {visibleTokenText(QString::fromStdString(alternative.label)),
                                                  formatProbability(alternative.probability)});
      item->setData(0, Qt::UserRole, alternative.id);
      item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
      item->setBackground(1, probabilityColor(alternative.probability));
      item->setForeground(1, probabilityTextColor());
      if (alternative.id == token.id) {  // the token that was drawn
        QFont bold = item->font(0);
        bold.setBold(true);
        item->setFont(0, bold);
      }
    }
  }
  updateActions();
}

void GenerationView::onAlternativeActivated(QTreeWidgetItem* item) {
  const int index = output_->selectedToken();
  if (!item || index < 0 || busy_ || !controls_->isValid()) return;
  emit regenerateRequested(regenerationRequest(index, item->data(0, Qt::UserRole).toInt()));
}

}  // namespace cllm::views
