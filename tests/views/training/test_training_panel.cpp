// The training panel's editors: presets and custom sizes, the live parameter and memory estimate, the
// engine's validation messages inline, corpus source choice and drag-and-drop.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "kernels/cpu_kernels.h"
#include "layers/positional_encoding.h"
#include "model/gpt.h"
#include "session/memory_check.h"
#include "views/training/corpus_selector.h"
#include "views/training/model_config_editor.h"
#include "views/training/train_config_editor.h"
#include "views/training/training_panel.h"
#include "views/training/training_progress_view.h"

using namespace cllm;
using namespace cllm::views;

class TestTrainingPanel : public QObject {
  Q_OBJECT

 private slots:
  void presetsFillTheSizesAndEditingMakesItCustom() {
    ModelConfigEditor editor;
    auto* preset = editor.findChild<QComboBox*>("modelPresetCombo");
    preset->setCurrentText("tiny");
    QCOMPARE(editor.config().n_embd, model_preset("tiny").n_embd);
    QCOMPARE(editor.config().n_layer, model_preset("tiny").n_layer);
    editor.findChild<QSpinBox*>("layersSpin")->setValue(3);
    QCOMPARE(preset->currentText(), QString("custom"));
    QCOMPARE(editor.config().n_layer, 3);
  }

  void estimateFollowsTheSizesAsYouType() {
    ModelConfigEditor editor;
    editor.setVocabularySize(65);
    editor.setBatchSize(12);
    auto* label = editor.findChild<QLabel*>("modelEstimateLabel");
    const QString before = label->text();
    QVERIFY(before.contains(QLocale().toString(qlonglong(editor.config().parameter_count()))));
    auto* width = editor.findChild<QSpinBox*>("widthSpin");
    width->selectAll();
    QTest::keyClicks(width, "256");
    QCOMPARE(editor.config().n_embd, 256);
    QVERIFY(label->text() != before);
    QVERIFY(label->text().contains(QLocale().toString(qlonglong(editor.config().parameter_count()))));
    // The engine's memory check: weights, gradients, AdamW moments and activations, against what is free.
    const MemoryCheck memory = check_training_memory(editor.config(), 12, 0);
    QVERIFY2(label->text().contains(QLocale().formattedDataSize(qint64(memory.needed_bytes))),
             qPrintable(label->text()));
    QVERIFY(memory.needed_bytes >=
            Gpt::training_memory_bytes(editor.config(), 12, editor.config().block_size));
    QVERIFY2(label->text().contains("available"), qPrintable(label->text()));
  }

  // A model that cannot fit in this machine's memory is refused before Start, with both sizes.
  void aModelTooLargeForMemoryIsInvalid() {
    ModelConfigEditor editor;
    editor.setVocabularySize(65);
    editor.setBatchSize(512);
    editor.findChild<QSpinBox*>("widthSpin")->setValue(4096);
    editor.findChild<QSpinBox*>("layersSpin")->setValue(9);
    editor.findChild<QSpinBox*>("blockSpin")->setValue(1024);
    const QString error = editor.validationError();
    QVERIFY2(error.contains("GiB") && error.contains("available"), qPrintable(error));
    QCOMPARE(editor.findChild<QLabel*>("modelErrorLabel")->text(), error);
  }

  void impossibleSizesShowTheEngineMessage() {
    ModelConfigEditor editor;
    QSignalSpy changed(&editor, &ModelConfigEditor::configChanged);
    editor.findChild<QSpinBox*>("headsSpin")->setValue(3);  // does not divide 128
    QVERIFY(changed.count() > 0);
    QVERIFY(!editor.validationError().isEmpty());
    auto* error = editor.findChild<QLabel*>("modelErrorLabel");
    QVERIFY(error->text().contains("3"));
    QVERIFY(!error->isHidden());
    editor.findChild<QSpinBox*>("headsSpin")->setValue(4);
    QVERIFY(editor.validationError().isEmpty());
    QVERIFY(error->isHidden());
  }

  // Every positional encoding and embedding initialisation of the engine is offered, reaches the config
  // and round-trips through setConfig; an impossible combination shows the engine's reason.
  void modelOptionsReachTheConfig() {
    ModelConfigEditor editor;
    auto* positional = editor.findChild<QComboBox*>("positionalCombo");
    auto* init = editor.findChild<QComboBox*>("embeddingInitCombo");
    QCOMPARE(positional->count(), int(layers::positional_encoding_names().size()));
    QCOMPARE(init->count(), 2);
    QVERIFY(editor.findChild<QComboBox*>("attentionBiasCombo"));
    editor.findChild<QComboBox*>("attentionBiasCombo")->setCurrentText("clock");
    QCOMPARE(QString::fromStdString(editor.config().attention_bias), QString("clock"));
    editor.findChild<QComboBox*>("mixerCombo")->setCurrentText("fourier");
    QCOMPARE(QString::fromStdString(editor.config().mixer), QString("fourier"));
    positional->setCurrentText("rope");
    init->setCurrentText("lattice");
    ModelConfig c = editor.config();
    QCOMPARE(QString::fromStdString(c.positional), QString("rope"));
    QCOMPARE(QString::fromStdString(c.embedding_init), QString("lattice"));
    ModelConfigEditor other;
    other.setConfig(c);
    QCOMPARE(QString::fromStdString(other.config().embedding_init), QString("lattice"));
    QCOMPARE(QString::fromStdString(other.config().positional), QString("rope"));
    editor.findChild<QSpinBox*>("widthSpin")->setValue(12);  // 4 heads of 3 channels: rope needs even heads
    QVERIFY2(editor.validationError().contains("even head size"), qPrintable(editor.validationError()));
  }

  void trainConfigRoundTripsAndValidates() {
    TrainConfigEditor editor;
    TrainConfig c;
    c.steps = 1234, c.batch_size = 7, c.lr = 3e-4, c.min_lr = 2e-5, c.warmup_steps = 11,
    c.schedule = "constant";
    c.weight_decay = 0.05, c.beta1 = 0.8, c.beta2 = 0.95, c.grad_clip = 0, c.grad_accum = 2,
    c.eval_interval = 100;
    c.eval_batches = 0, c.seed = 99, c.validation_fraction = 0.2;
    editor.setConfig(c);
    QCOMPARE(editor.config().to_json().dump(), c.to_json().dump());
    QVERIFY(editor.validationError().isEmpty());
    editor.findChild<QSpinBox*>("batchSpin")->setValue(0);
    QVERIFY(!editor.validationError().isEmpty());
    QVERIFY(!editor.findChild<QLabel*>("trainErrorLabel")->isHidden());
  }

  void precisionIsEditedAndRefusedWhereTheCpuLacksIt() {
    TrainConfigEditor editor;
    auto* combo = editor.findChild<QComboBox*>("precisionCombo");
    QVERIFY(combo);
    QCOMPARE(editor.config().precision, std::string("float32"));
    auto* model = qobject_cast<QStandardItemModel*>(combo->model());
    QCOMPARE(model->item(1)->isEnabled(), kernels::cpu_has_bf16());
    TrainConfig c;
    c.precision = "bf16";  // e.g. restored from the settings of another machine
    editor.setConfig(c);
    QCOMPARE(editor.config().precision, std::string("bf16"));
    if (kernels::cpu_has_bf16()) {
      QVERIFY(editor.validationError().isEmpty());
    } else {
      QVERIFY2(editor.validationError().contains("bfloat16 training needs a CPU"),
               qPrintable(editor.validationError()));
      QVERIFY(!editor.findChild<QLabel*>("trainErrorLabel")->isHidden());
      QVERIFY(model->item(1)->toolTip().contains(kernels::cpu_bf16_description()));
    }
    combo->setCurrentIndex(0);
    QCOMPARE(editor.config().precision, std::string("float32"));
    QVERIFY(editor.validationError().isEmpty());
  }

  void panelReportsValidityAndLocksEditors() {
    TrainingPanel panel;
    QSignalSpy validity(&panel, &TrainingPanel::validityChanged);
    panel.training()->findChild<QSpinBox*>("batchSpin")->setValue(0);
    QVERIFY(!validity.isEmpty());
    QCOMPARE(validity.last().at(0).toBool(), false);
    QVERIFY(!panel.validationError().isEmpty());
    panel.training()->findChild<QSpinBox*>("batchSpin")->setValue(4);
    QCOMPARE(validity.last().at(0).toBool(), true);
    panel.setConfigEditable(false);
    QVERIFY(!panel.model()->isEnabled() || !panel.model()->parentWidget()->isEnabled());
  }

  void corpusSourceAndDrop() {
    CorpusSelector selector;
    QSignalSpy changed(&selector, &CorpusSelector::sourceChanged);
    QCOMPARE(selector.source(), CorpusSelector::Source::BuiltIn);
    QVERIFY(selector.path().isEmpty());
    QVERIFY(!selector.findChild<QLineEdit*>("corpusPathEdit")->isEnabled());

    QTemporaryDir dir;
    const QString file = dir.filePath("text.txt");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("hello");
    f.close();
    for (const QString& path : {file, dir.path()}) {
      auto* mime = new QMimeData;
      mime->setUrls({QUrl::fromLocalFile(path)});
      QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
      QApplication::sendEvent(&selector, &enter);
      QVERIFY(enter.isAccepted());
      QDropEvent drop(QPointF(5, 5), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
      QApplication::sendEvent(&selector, &drop);
      QCOMPARE(selector.path(), path);
      delete mime;
    }
    QCOMPARE(selector.source(), CorpusSelector::Source::Folder);
    QCOMPARE(changed.count(), 2);

    selector.setError("corpus 'x': is not valid UTF-8");
    QVERIFY(selector.findChild<QLabel*>("corpusSummaryLabel")->text().contains("UTF-8"));
  }

  void tokenizerVocabularyOnlyForBpeAndWords() {
    CorpusSelector selector;
    auto* kind = selector.findChild<QComboBox*>("tokenizerCombo");
    auto* vocab = selector.findChild<QSpinBox*>("vocabSizeSpin");
    QCOMPARE(selector.tokenizerKind(), QString("char"));
    QVERIFY(!vocab->isEnabled());
    QCOMPARE(selector.vocabularySize(), 0);
    kind->setCurrentIndex(kind->findData("bpe"));
    QVERIFY(vocab->isEnabled());
    vocab->setValue(300);
    QCOMPARE(selector.vocabularySize(), 300);
  }

  void progressShowsEtaAndLosses() {
    TrainingProgressView view;
    view.setProgress(50, 200, 75);
    auto* bar = view.findChild<QProgressBar*>("trainingProgressBar");
    QCOMPARE(bar->value(), 50);
    QCOMPARE(bar->maximum(), 200);
    QVERIFY(bar->format().contains("1:15"));
    view.setValidationLoss(2.5, 2.25);
    QVERIFY(
        view.findChild<QLabel*>("validationLossLabel")->text().contains(QLocale().toString(2.25, 'f', 4)));
    QCOMPARE(TrainingProgressView::formatDuration(3725), QString("1:02:05"));
  }
};

QTEST_MAIN(TestTrainingPanel)
#include "test_training_panel.moc"
