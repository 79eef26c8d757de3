#include <QHash>
#include <QHelpEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QToolTip>
#include <QTreeWidget>
#include <memory>

#include "generation_tests.h"
#include "views/generation/generation_view.h"
#include "views/generation/token_display.h"
#include "views/generation/token_output_view.h"

using namespace cllm::views;
using generation_test::pointOverToken;

namespace {

// Test tokens get ids from their text: the same text, the same id.
int32_t idOf(const QString& text) {
  static QHash<QString, int32_t> ids;
  return ids.contains(text) ? ids[text] : (ids[text] = int32_t(ids.size()));
}

cllm::StreamedToken token(const QString& text, double p, QList<QPair<QString, double>> alternatives = {}) {
  cllm::StreamedToken t;
  t.id = idOf(text);
  t.text = text.toStdString();
  t.probability = p;
  for (const auto& [label, probability] : alternatives)
    t.alternatives.push_back({idOf(label), label.toStdString(), probability});
  return t;
}

// Background of the character at document position `position`: a cursor reports the format of the
// character before it.
QColor backgroundAt(const TokenOutputView& view, int position) {
  QTextCursor cursor(view.document());
  cursor.setPosition(position + 1);
  return cursor.charFormat().background().color();
}

// The streamed output: colours, hit testing, hover, selection and regeneration.
class TestGenerationOutput : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<GenerationView> view_;
  const QString prompt_ = QStringLiteral("Once upon a time");
  QList<cllm::StreamedToken> tokens_;

  TokenOutputView* output() { return view_->outputView(); }
  void generateSample() {
    view_->setPrompt(prompt_);
    view_->setBusy(true);
    view_->beginOutput(42);
    view_->appendTokens(tokens_.mid(0, 2));
    view_->appendTokens(tokens_.mid(2));
    view_->finishOutput(QStringLiteral("5 tokens, 100 tokens/s, stopped at max tokens"));
    view_->setBusy(false);
    QCoreApplication::processEvents();
  }

 private slots:
  void init() {
    tokens_ = {
        token(QStringLiteral(" there"), 0.62,
              {{QStringLiteral(" there"), 0.62}, {QStringLiteral(" lived"), 0.2}}),
        token(QStringLiteral(" was"), 0.91,
              {{QStringLiteral(" was"), 0.91}, {QStringLiteral(" were"), 0.05}}),
        token(QStringLiteral(" a"), 0.03,
              {{QStringLiteral(" one"), 0.5}, {QStringLiteral(" the"), 0.3}, {QStringLiteral(" a"), 0.03}}),
        token(QStringLiteral("\n"), 0.4, {}),
        token(QStringLiteral("dragon"), 0.97,
              {{QStringLiteral("dragon"), 0.97}, {QStringLiteral("king"), 0.01}}),
    };
    view_ = std::make_unique<GenerationView>();
    view_->resize(1300, 850);
    view_->show();
    // Shortcuts only fire in the active window (they follow the focus widget).
    view_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view_.get()));
  }
  void cleanup() { view_.reset(); }

  void outputIsTheConcatenation() {
    generateSample();
    QCOMPARE(view_->outputText(), QStringLiteral(" there was a\ndragon"));
    QCOMPARE(view_->tokens().size(), tokens_.size());
    QCOMPARE(view_->tokens()[2].alternatives.size(), 3);
    // The document shows the prompt, then the tokens (a newline token starts a new paragraph).
    QCOMPARE(output()->toPlainText(), prompt_ + QStringLiteral(" there was a\ndragon"));
    auto* status = view_->findChild<QLabel*>(QStringLiteral("outputStatusLabel"));
    QVERIFY(status->text().contains(QStringLiteral("stopped at max tokens")));
    QVERIFY(status->text().contains(QStringLiteral("42")));  // the seed, to reproduce the result
    view_->showError(QStringLiteral("the prompt is empty"));
    QCOMPARE(status->text(), QStringLiteral("the prompt is empty"));
  }

  void tokensColouredByProbability() {
    generateSample();
    const QColor unlikely = backgroundAt(*output(), output()->tokenBegin(2));  // p = 0.03
    const QColor likely = backgroundAt(*output(), output()->tokenBegin(4));    // p = 0.97
    QVERIFY(unlikely != likely);
    QVERIFY2(unlikely.hue() < 20, qPrintable(unlikely.name()));  // red end
    QVERIFY2(likely.hue() > 100, qPrintable(likely.name()));     // green end
    QCOMPARE(likely, probabilityColor(0.97));
    // The prompt is neutral: no background.
    QTextCursor promptCursor(output()->document());
    promptCursor.setPosition(1);
    QCOMPARE(promptCursor.charFormat().background().style(), Qt::NoBrush);
  }

  void colourIsOnScreen() {
    // A token of spaces shows nothing but its background: sample the pixels in the middle of it.
    view_->setPrompt(QStringLiteral(">"));
    view_->beginOutput(1);
    view_->appendTokens({token(QStringLiteral("        "), 0.0), token(QStringLiteral("        "), 1.0)});
    QCoreApplication::processEvents();
    const QImage image = output()->viewport()->grab().toImage();
    const qreal ratio = image.devicePixelRatio();
    auto pixel = [&](int index) {
      const QPoint p = pointOverToken(*output(), index) + QPoint(8, 0);
      return QColor(image.pixel(QPoint(qRound(p.x() * ratio), qRound(p.y() * ratio))));
    };
    const QColor red = pixel(0);
    const QColor green = pixel(1);
    QVERIFY2(red.red() > red.green() + 40, qPrintable(red.name()));
    QVERIFY2(green.green() > green.red() + 40, qPrintable(green.name()));
  }

  void tokenAtFindsEveryToken() {
    generateSample();
    for (int k = 0; k < tokens_.size(); ++k) {
      if (tokens_[k].text == "\n") continue;  // a paragraph break has no area to point at
      QCOMPARE(view_->tokenAt(pointOverToken(*output(), k)), k);
    }
    QTextCursor inPrompt(output()->document());
    inPrompt.setPosition(2);
    QCOMPARE(view_->tokenAt(output()->cursorRect(inPrompt).center()), -1);
    const QRect viewport = output()->viewport()->rect();
    QCOMPARE(view_->tokenAt(viewport.bottomRight() - QPoint(5, 5)), -1);
  }

  void hoverShowsAlternatives() {
    generateSample();
    const QString tip = view_->tooltipTextFor(2);
    QVERIFY(tip.contains(QStringLiteral("one")));
    QVERIFY(tip.contains(QStringLiteral("the")));
    QVERIFY(tip.contains(QStringLiteral("3.0 %")));
    QVERIFY(tip.contains(QStringLiteral("50.0 %")));

    // The real hover path: a tooltip event over token 2 pops up that text.
    QWidget* viewport = output()->viewport();
    const QPoint pos = pointOverToken(*output(), 2);
    QTest::mouseMove(viewport, pos);
    QHelpEvent help(QEvent::ToolTip, pos, viewport->mapToGlobal(pos));
    QCoreApplication::sendEvent(viewport, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), tip);

    // Over the prompt: no tooltip.
    QTextCursor inPrompt(output()->document());
    inPrompt.setPosition(2);
    const QPoint promptPos = output()->cursorRect(inPrompt).center();
    QHelpEvent overPrompt(QEvent::ToolTip, promptPos, viewport->mapToGlobal(promptPos));
    QCoreApplication::sendEvent(viewport, &overPrompt);
    QTRY_VERIFY(!QToolTip::isVisible());
  }

  void clickSelectsAndRegenerates() {
    generateSample();
    auto* list = view_->findChild<QTreeWidget*>(QStringLiteral("alternativesList"));
    auto* regenerate = view_->findChild<QPushButton*>(QStringLiteral("regenerateButton"));
    QVERIFY(list && regenerate);
    QCOMPARE(list->topLevelItemCount(), 0);
    QVERIFY(!regenerate->isEnabled());

    QTest::mouseClick(output()->viewport(), Qt::LeftButton, {}, pointOverToken(*output(), 2));
    QCOMPARE(view_->selectedToken(), 2);
    QCOMPARE(list->topLevelItemCount(), 3);
    QCOMPARE(list->topLevelItem(0)->data(0, Qt::UserRole).toInt(), idOf(QStringLiteral(" one")));
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("␣one"));
    QCOMPARE(list->topLevelItem(1)->text(1), QStringLiteral("30.0 %"));
    QVERIFY(list->topLevelItem(2)->font(0).bold());  // the token that was drawn
    QVERIFY(regenerate->isEnabled());

    QSignalSpy requests(view_.get(), &GenerationView::regenerateRequested);
    QTest::mouseClick(regenerate, Qt::LeftButton);
    QCOMPARE(requests.count(), 1);
    const auto from = requests.at(0).at(0).value<GenerationRequest>();
    QCOMPARE(from.continueFrom, 2);
    QCOMPARE(from.prompt, prompt_);
    QVERIFY(from.kept == (std::vector<int32_t>{idOf(QStringLiteral(" there")), idOf(QStringLiteral(" was"))}));
    QVERIFY(from.forced.empty());
    QCOMPARE(view_->textBefore(2), prompt_ + QStringLiteral(" there was"));
    QCOMPARE(view_->textBefore(0), prompt_);
    QCOMPARE(view_->textBefore(99), prompt_ + view_->outputText());

    QTreeWidgetItem* the = list->topLevelItem(1);
    // QTest's double click is the DblClick event alone; a real one starts with a click.
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(the).center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(the).center());
    QCOMPARE(requests.count(), 2);
    const auto with = requests.at(1).at(0).value<GenerationRequest>();
    QCOMPARE(with.continueFrom, 2);
    QCOMPARE(with.kept.size(), size_t(2));
    QVERIFY(with.forced == std::vector<int32_t>{idOf(QStringLiteral(" the"))});

    view_->setBusy(true);  // no regeneration while the generator runs
    QVERIFY(!regenerate->isEnabled());
    view_->setBusy(false);

    // Clicking the prompt clears the selection.
    QTextCursor inPrompt(output()->document());
    inPrompt.setPosition(2);
    QTest::mouseClick(output()->viewport(), Qt::LeftButton, {}, output()->cursorRect(inPrompt).center());
    QCOMPARE(view_->selectedToken(), -1);
    QCOMPARE(list->topLevelItemCount(), 0);
    QVERIFY(!regenerate->isEnabled());
  }

  void continueFromKeepsTheStart() {
    generateSample();
    view_->selectToken(3);
    view_->setPrompt(QStringLiteral("edited meanwhile"));
    view_->continueOutputFrom(2, 7);
    QCOMPARE(view_->tokens().size(), 2);
    QCOMPARE(view_->selectedToken(), -1);
    QCOMPARE(view_->outputText(), QStringLiteral(" there was"));
    view_->appendTokens({token(QStringLiteral(" the"), 0.3), token(QStringLiteral(" king"), 0.5)});
    QCOMPARE(view_->outputText(), QStringLiteral(" there was the king"));
    QCOMPARE(output()->toPlainText(), prompt_ + QStringLiteral(" there was the king"));
    // The output's prompt is the one it was generated from, not the edited one.
    QCOMPARE(view_->textBefore(3), prompt_ + QStringLiteral(" there was the"));
    QCOMPARE(view_->tokenAt(pointOverToken(*output(), 3)), 3);
    view_->beginOutput(8);
    QVERIFY(view_->tokens().isEmpty());
    QCOMPARE(output()->toPlainText(), QStringLiteral("edited meanwhile"));
  }

  void streamingManyBatchesFollowsTheEnd() {
    view_->setPrompt(QStringLiteral("Count:"));
    view_->beginOutput(3);
    QString expected;
    for (int batch = 0; batch < 100; ++batch) {
      QList<cllm::StreamedToken> tokens;
      for (int i = 0; i < 20; ++i) {
        const int n = batch * 20 + i;
        tokens.append(token(n % 10 == 9 ? QStringLiteral(" %1\n").arg(n) : QStringLiteral(" %1").arg(n),
                            (n % 100) / 100.0));
        expected += QString::fromStdString(tokens.back().text);
      }
      view_->appendTokens(tokens);
      QCoreApplication::processEvents();
    }
    QCOMPARE(view_->tokens().size(), 2000);
    QCOMPARE(view_->outputText(), expected);
    QScrollBar* bar = output()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());
    // The last token is on screen and found under the mouse.
    QCOMPARE(view_->tokenAt(pointOverToken(*output(), 1998)), 1998);

    // Scrolled up by the user: new tokens do not yank the view down.
    bar->setValue(0);
    view_->appendTokens({token(QStringLiteral(" more"), 0.5)});
    QCoreApplication::processEvents();
    QCOMPARE(bar->value(), 0);
  }
};

}  // namespace

int runGenerationOutputTests(int argc, char** argv) {
  TestGenerationOutput test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_generation_output.moc"
