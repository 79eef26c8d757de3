// The document without a window: weight snapshots reach every consumer while training goes on, the
// snapshot timer stops with its last consumer, the selection is a token of the current model, and a
// regeneration request carries ids, so "continue with this alternative" streams exactly that token.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "model/model_config.h"
#include "workbench_document.h"

using namespace cllm;
using cllm::app::ModelSnapshotPtr;
using cllm::app::WorkbenchDocument;

namespace {

app::TrainingSetup quickSetup(int steps) {
  app::TrainingSetup setup;
  setup.run.tokenizer.kind = "char";
  setup.run.model = model_preset("tiny");
  setup.run.model.block_size = 32;
  setup.run.train.steps = steps;
  setup.run.train.batch_size = 8;
  setup.run.train.eval_interval = 1000;
  setup.run.train.eval_batches = 2;
  setup.threads = 1;
  return setup;
}

}  // namespace

class TestWorkbenchDocument : public QObject {
  Q_OBJECT

 private slots:
  void snapshotsReachEveryConsumerWhileTrainingGoesOn() {
    QTemporaryDir runs;
    WorkbenchDocument document(runs.path());
    auto first = std::make_unique<QObject>(), second = std::make_unique<QObject>();
    QList<int> seenByFirst, seenBySecond;  // the step of each snapshot, per consumer
    connect(&document, &WorkbenchDocument::snapshotReady, first.get(),
            [&](const ModelSnapshotPtr& s) { seenByFirst << s->step; });
    connect(&document, &WorkbenchDocument::snapshotReady, second.get(),
            [&](const ModelSnapshotPtr& s) { seenBySecond << s->step; });
    document.addSnapshotConsumer(first.get(), 150);
    document.addSnapshotConsumer(second.get(), 400);
    QVERIFY(document.startTraining(quickSetup(1000000)));
    QTRY_VERIFY_WITH_TIMEOUT(seenByFirst.size() >= 4, 30000);
    // Both consumers get every snapshot; snapshots come from later and later steps: training goes on.
    QCOMPARE(seenBySecond, seenByFirst);
    QVERIFY2(seenByFirst.last() > seenByFirst.first(), qPrintable(QString::number(seenByFirst.last())));
    const ModelSnapshotPtr latest = document.latestSnapshot();
    QVERIFY(latest && latest->tokenFrequencies && latest->validationTokens);
    QCOMPARE(int(latest->tokenFrequencies->size()), latest->tokenizer->vocab_size());
    QVERIFY(document.isTraining());

    // Consumers gone: the timer stops and no more copies are taken.
    first.reset();
    second.reset();
    QSignalSpy more(&document, &WorkbenchDocument::snapshotReady);
    QTest::qWait(1000);
    QVERIFY2(more.count() <= 1, qPrintable(QString::number(more.count())));  // at most one already asked for
    document.stopTraining();
    QSignalSpy finished(&document, &WorkbenchDocument::trainingFinished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
  }

  // Everything that runs on other threads at once: training on two OpenMP threads, snapshots copied for
  // a consumer, and generations from the model being trained. scripts/test.sh --tsan runs this under
  // ThreadSanitizer; here it also checks that none of them waits for the others to finish.
  void trainingSnapshotsAndGenerationRunTogether() {
    QTemporaryDir runs;
    WorkbenchDocument document(runs.path());
    QObject consumer;
    int snapshots = 0;
    connect(&document, &WorkbenchDocument::snapshotReady, &consumer,
            [&](const ModelSnapshotPtr& s) { snapshots += s->model != nullptr; });
    document.addSnapshotConsumer(&consumer, 50);
    app::TrainingSetup setup = quickSetup(1000000);
    setup.threads = 2;
    setup.run.train.shards = 2;
    QVERIFY(document.startTraining(setup));
    QTRY_VERIFY_WITH_TIMEOUT(snapshots >= 1, 30000);
    QSignalSpy done(&document, &WorkbenchDocument::generationFinished);
    QSignalSpy failed(&document, &WorkbenchDocument::generationFailed);
    int tokens = 0;
    connect(&document, &WorkbenchDocument::tokensGenerated, this,
            [&](const QList<StreamedToken>& t) { tokens += int(t.size()); });
    views::GenerationRequest request;
    request.prompt = "The ";
    request.settings.max_tokens = 12;
    for (int i = 1; i <= 3; ++i) {
      document.generate(request);
      QTRY_COMPARE_WITH_TIMEOUT(done.count() + failed.count(), i, 60000);
    }
    QCOMPARE(failed.count(), 0);
    QCOMPARE(tokens, 3 * 12);
    const int seen = snapshots;
    QTRY_VERIFY_WITH_TIMEOUT(snapshots > seen, 30000);  // snapshots keep coming
    QVERIFY(document.isTraining());
    QSignalSpy finished(&document, &WorkbenchDocument::trainingFinished);
    document.stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
  }

  void selectionAndAnAlternativeChosenByItsId() {
    QTemporaryDir runs;
    WorkbenchDocument document(runs.path());
    QSignalSpy finished(&document, &WorkbenchDocument::trainingFinished);
    QVERIFY(document.startTraining(quickSetup(30)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const ModelSnapshotPtr model = document.currentModel();
    QVERIFY(model);

    // The selection is a token of the current model, or nothing.
    QSignalSpy selected(&document, &WorkbenchDocument::tokenSelected);
    document.selectToken(3);
    QCOMPARE(document.selectedToken(), 3);
    document.selectToken(model->tokenizer->vocab_size());
    QCOMPARE(document.selectedToken(), -1);
    QCOMPARE(selected.count(), 2);

    // Generate, then regenerate from token 2 with the second most likely alternative there.
    QList<StreamedToken> tokens;
    connect(&document, &WorkbenchDocument::tokensGenerated, this,
            [&](const QList<StreamedToken>& t) { tokens += t; });
    QSignalSpy done(&document, &WorkbenchDocument::generationFinished);
    views::GenerationRequest request;
    request.prompt = "The ";
    request.randomSeed = false;
    request.settings.seed = 5;
    request.settings.max_tokens = 8;
    request.settings.top_alternatives = 3;
    document.generate(request);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
    QCOMPARE(tokens.size(), 8);
    const StreamedToken::Alternative alternative = tokens[2].alternatives.at(1);
    QVERIFY(alternative.id != tokens[2].id || tokens[2].alternatives.at(0).id != tokens[2].id);
    views::GenerationRequest again = request;
    again.kept = {tokens[0].id, tokens[1].id};
    again.forced = {alternative.id};
    again.continueFrom = 2;
    QSignalSpy started(&document, &WorkbenchDocument::generationStarted);
    tokens.clear();
    document.generate(again);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 30000);
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(1).toInt(), 2);  // the view keeps tokens 0 and 1
    QVERIFY(!tokens.isEmpty());
    QCOMPARE(tokens.first().id, alternative.id);
    QCOMPARE(tokens.first().probability, alternative.probability);  // the same model, the same place
  }
};

QTEST_MAIN(TestWorkbenchDocument)
#include "test_workbench_document.moc"
