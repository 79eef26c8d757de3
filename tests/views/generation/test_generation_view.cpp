#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QInputDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTimer>
#include <memory>

#include "generation_tests.h"
#include "views/generation/generation_view.h"
#include "views/generation/sampling_controls.h"
#include "views/generation/seed_spin_box.h"

using namespace cllm::views;

namespace {

// The settings side and the buttons of the panel, driven through its widgets.
class TestGenerationView : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<GenerationView> view_;

  template <typename T>
  T* child(const char* name) {
    T* widget = view_->findChild<T*>(QString::fromLatin1(name));
    if (!widget) qFatal("no child %s", name);
    return widget;
  }
  QDoubleSpinBox* dspin(const char* name) { return child<QDoubleSpinBox>(name); }
  QSpinBox* ispin(const char* name) { return child<QSpinBox>(name); }
  void setMode(GenerationRequest::Mode mode) {
    auto* combo = child<QComboBox>("modeCombo");
    combo->setCurrentIndex(combo->findData(mode));
  }
  void typeInto(QAbstractSpinBox* spin, const QString& text) {
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Tab);
  }
  void selectPreset(const QString& name) {
    auto* combo = child<QComboBox>("presetCombo");
    const int index = combo->findText(name);
    QVERIFY2(index >= 0, qPrintable(name));
    combo->setCurrentIndex(index);
  }

 private slots:
  void init() {
    view_ = std::make_unique<GenerationView>();
    view_->resize(1300, 850);
    view_->show();
    // Shortcuts only fire in the active window (they follow the focus widget).
    view_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view_.get()));
  }
  void cleanup() { view_.reset(); }

  void defaultsAreLlamaCpps() {
    const GenerationRequest r = view_->request();
    QCOMPARE(r.mode, GenerationRequest::Sample);
    QCOMPARE(r.settings.sampling.temperature, 0.8);
    QCOMPARE(r.settings.sampling.top_k, 40);
    QCOMPARE(r.settings.sampling.top_p, 0.95);
    QCOMPARE(r.settings.sampling.min_p, 0.05);
    QCOMPARE(r.settings.sampling.repetition_penalty, 1.0);
    QCOMPARE(r.settings.sampling.repetition_window, 64);
    QVERIFY(r.randomSeed);
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), QStringLiteral("Balanced (llama.cpp defaults)"));
  }

  void requestReflectsEditedControls() {
    QTest::keyClicks(child<QPlainTextEdit>("promptEdit"), QStringLiteral("Once upon"));
    typeInto(dspin("temperatureSpin"), QStringLiteral("1.5"));
    typeInto(ispin("topKSpin"), QStringLiteral("7"));
    dspin("topPSpin")->setValue(0.9);
    dspin("minPSpin")->setValue(0.1);
    dspin("repetitionPenaltySpin")->setValue(1.3);
    ispin("repetitionWindowSpin")->setValue(32);
    typeInto(ispin("maxTokensSpin"), QStringLiteral("321"));
    ispin("topAlternativesSpin")->setValue(3);
    QTest::keyClicks(child<QPlainTextEdit>("stopStringsEdit"), QStringLiteral("THE END"));
    QTest::keyClick(child<QPlainTextEdit>("stopStringsEdit"), Qt::Key_Return);
    QTest::keyClicks(child<QPlainTextEdit>("stopStringsEdit"), QStringLiteral("\\n\\n"));
    QTest::mouseClick(child<QCheckBox>("randomSeedCheck"), Qt::LeftButton);
    QVERIFY(child<SeedSpinBox>("seedSpin")->isEnabled());
    typeInto(child<SeedSpinBox>("seedSpin"), QStringLiteral("9876543210123"));

    const GenerationRequest r = view_->request();
    QCOMPARE(r.prompt, QStringLiteral("Once upon"));
    QCOMPARE(r.settings.sampling.temperature, 1.5);
    QCOMPARE(r.settings.sampling.top_k, 7);
    QCOMPARE(r.settings.sampling.top_p, 0.9);
    QCOMPARE(r.settings.sampling.min_p, 0.1);
    QCOMPARE(r.settings.sampling.repetition_penalty, 1.3);
    QCOMPARE(r.settings.sampling.repetition_window, 32);
    QCOMPARE(r.settings.max_tokens, 321);
    QCOMPARE(r.settings.top_alternatives, 3);
    const std::vector<std::string> stops{"THE END", "\n\n"};
    QCOMPARE(r.settings.stop_strings, stops);
    QVERIFY(!r.randomSeed);
    QCOMPARE(r.settings.seed, quint64(9876543210123ULL));
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), QStringLiteral("Custom"));
  }

  void greedyMeansTemperatureZero() {
    dspin("temperatureSpin")->setValue(1.2);
    setMode(GenerationRequest::Greedy);
    const GenerationRequest r = view_->request();
    QCOMPARE(r.mode, GenerationRequest::Greedy);
    QCOMPARE(r.settings.sampling.temperature, 0.0);
    QVERIFY(!r.randomSeed);
    QVERIFY(!dspin("temperatureSpin")->isEnabled());
    QVERIFY(!dspin("topPSpin")->isEnabled());
    QVERIFY(!child<QCheckBox>("randomSeedCheck")->isEnabled());
    QVERIFY(dspin("repetitionPenaltySpin")->isEnabled());
    QVERIFY(!ispin("beamWidthSpin")->isEnabled());
    setMode(GenerationRequest::Sample);
    QCOMPARE(view_->request().settings.sampling.temperature, 1.2);  // the control kept its value
  }

  void beamFillsBeamSettings() {
    QVERIFY(!ispin("beamWidthSpin")->isEnabled());
    setMode(GenerationRequest::Beam);
    QVERIFY(ispin("beamWidthSpin")->isEnabled());
    QVERIFY(dspin("lengthPenaltySpin")->isEnabled());
    QVERIFY(!dspin("temperatureSpin")->isEnabled());
    QVERIFY(!dspin("repetitionPenaltySpin")->isEnabled());
    typeInto(ispin("beamWidthSpin"), QStringLiteral("6"));
    dspin("lengthPenaltySpin")->setValue(0.5);
    ispin("maxTokensSpin")->setValue(77);
    QTest::keyClicks(child<QPlainTextEdit>("stopStringsEdit"), QStringLiteral("."));
    const GenerationRequest r = view_->request();
    QCOMPARE(r.mode, GenerationRequest::Beam);
    QCOMPARE(r.beam.width, 6);
    QCOMPARE(r.beam.length_penalty, 0.5);
    QCOMPARE(r.beam.max_tokens, 77);
    QCOMPARE(r.beam.stop_strings, std::vector<std::string>{"."});
    QCOMPARE(ispin("beamWidthSpin")->maximum(), 16);
  }

  void invalidSettingsBlockGenerate() {
    view_->setPrompt(QStringLiteral("A"));
    auto* label = child<QLabel>("validationLabel");
    auto* generate = child<QPushButton>("generateButton");
    QVERIFY(generate->isEnabled());
    QVERIFY(label->isHidden());

    dspin("topPSpin")->setValue(0.0);  // the engine wants top-p in (0, 1]
    QVERIFY(!label->isHidden());
    QVERIFY2(label->text().contains(QStringLiteral("top-p")), qPrintable(label->text()));
    QVERIFY(!generate->isEnabled());
    QSignalSpy spy(view_.get(), &GenerationView::generateRequested);
    QTest::keyClick(child<QPlainTextEdit>("promptEdit"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.count(), 0);

    // Greedy does not use top-p, so the value left in the disabled control does not matter.
    setMode(GenerationRequest::Greedy);
    QVERIFY(label->isHidden());
    QVERIFY(generate->isEnabled());
    QVERIFY(view_->request().settings.sampling.top_p > 0);
    setMode(GenerationRequest::Sample);
    QVERIFY(!generate->isEnabled());

    typeInto(dspin("topPSpin"), QStringLiteral("0.5"));
    QVERIFY(label->isHidden());
    QVERIFY(generate->isEnabled());
  }

  void generateButtonAndShortcut() {
    auto* generate = child<QPushButton>("generateButton");
    auto* prompt = child<QPlainTextEdit>("promptEdit");
    QSignalSpy spy(view_.get(), &GenerationView::generateRequested);
    QVERIFY(!generate->isEnabled());  // nothing to continue yet
    QTest::mouseClick(generate, Qt::LeftButton);
    QCOMPARE(spy.count(), 0);

    QTest::keyClicks(prompt, QStringLiteral("The fox"));
    QVERIFY(generate->isEnabled());
    QTest::mouseClick(generate, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<GenerationRequest>().prompt, QStringLiteral("The fox"));  // the request carries it
    prompt->setFocus();
    QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(prompt->toPlainText(), QStringLiteral("The fox"));  // the shortcut did not type a newline
    // From a spin box too: tweak and re-run without the mouse.
    dspin("temperatureSpin")->setFocus();
    QTest::keyClick(dspin("temperatureSpin"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.count(), 3);
  }

  void stopOnlyWhileBusy() {
    view_->setPrompt(QStringLiteral("A"));
    auto* generate = child<QPushButton>("generateButton");
    auto* stop = child<QPushButton>("stopButton");
    QSignalSpy stops(view_.get(), &GenerationView::stopRequested);
    QSignalSpy generates(view_.get(), &GenerationView::generateRequested);
    QVERIFY(!stop->isEnabled());
    view_->setBusy(true);
    QVERIFY(stop->isEnabled());
    QVERIFY(!generate->isEnabled());
    QTest::keyClick(child<QPlainTextEdit>("promptEdit"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(generates.count(), 0);
    QTest::mouseClick(stop, Qt::LeftButton);
    QCOMPARE(stops.count(), 1);
    QTest::keyClick(child<QPlainTextEdit>("promptEdit"), Qt::Key_Escape);
    QCOMPARE(stops.count(), 2);
    view_->setBusy(false);
    QVERIFY(!stop->isEnabled());
    QVERIFY(generate->isEnabled());
  }

  void modelSources() {
    QSignalSpy spy(view_.get(), &GenerationView::modelSourceChanged);
    view_->setModelSources({QStringLiteral("Model being trained"), QStringLiteral("best.safetensors")}, 1);
    QCOMPARE(spy.count(), 0);  // set by the app, not chosen by the user
    QCOMPARE(view_->currentModelSource(), 1);
    child<QComboBox>("modelSourceCombo")->setCurrentIndex(0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 0);
    QCOMPARE(view_->currentModelSource(), 0);
  }

  void topKFollowsVocabulary() {
    view_->setVocabularySize(65);
    QCOMPARE(ispin("topKSpin")->maximum(), 65);
    ispin("topKSpin")->setValue(1000);
    QCOMPARE(view_->request().settings.sampling.top_k, 65);
  }

  void presetsSetTheControls() {
    selectPreset(QStringLiteral("Precise"));
    QCOMPARE(dspin("temperatureSpin")->value(), 0.2);
    QCOMPARE(ispin("topKSpin")->value(), 10);
    selectPreset(QStringLiteral("Creative"));
    QCOMPARE(dspin("temperatureSpin")->value(), 1.1);
    QCOMPARE(ispin("topKSpin")->value(), 40);
    QCOMPARE(dspin("topPSpin")->value(), 0.98);
    QCOMPARE(dspin("minPSpin")->value(), 0.02);
    selectPreset(QStringLiteral("Greedy"));
    QCOMPARE(view_->request().mode, GenerationRequest::Greedy);
    QCOMPARE(view_->request().settings.sampling.temperature, 0.0);
    selectPreset(QStringLiteral("Precise"));
    QCOMPARE(view_->request().mode, GenerationRequest::Sample);

    // Editing a control leaves the preset; setting it back finds it again.
    typeInto(dspin("temperatureSpin"), QStringLiteral("0.3"));
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), QStringLiteral("Custom"));
    typeInto(dspin("temperatureSpin"), QStringLiteral("0.2"));
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), QStringLiteral("Precise"));
  }

  void resetRestoresDefaults() {
    setMode(GenerationRequest::Beam);
    dspin("temperatureSpin")->setValue(2.5);
    ispin("topKSpin")->setValue(3);
    dspin("topPSpin")->setValue(0.0);
    ispin("maxTokensSpin")->setValue(9);
    ispin("beamWidthSpin")->setValue(9);
    child<QPlainTextEdit>("stopStringsEdit")->setPlainText(QStringLiteral("x"));
    child<QCheckBox>("randomSeedCheck")->setChecked(false);
    QTest::mouseClick(child<QPushButton>("resetDefaultsButton"), Qt::LeftButton);

    const GenerationRequest r = view_->request();
    const cllm::GenerationSettings defaults;
    QCOMPARE(r.mode, GenerationRequest::Sample);
    QCOMPARE(r.settings.sampling.temperature, defaults.sampling.temperature);
    QCOMPARE(r.settings.sampling.top_k, defaults.sampling.top_k);
    QCOMPARE(r.settings.sampling.top_p, defaults.sampling.top_p);
    QCOMPARE(r.settings.max_tokens, defaults.max_tokens);
    QVERIFY(r.settings.stop_strings.empty());
    QCOMPARE(r.beam.width, cllm::BeamSettings{}.width);
    QVERIFY(r.randomSeed);
    QVERIFY(child<QLabel>("validationLabel")->isHidden());
    QVERIFY(dspin("temperatureSpin")->isEnabled());
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), QStringLiteral("Balanced (llama.cpp defaults)"));
  }

  void saveAndDeleteUserPreset() {
    SamplingControls* controls = view_->samplingControls();
    QSignalSpy changed(controls, &SamplingControls::userPresetsChanged);
    dspin("temperatureSpin")->setValue(0.65);
    ispin("topKSpin")->setValue(12);
    QTimer::singleShot(0, this, [] {
      auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      dialog->setTextValue(QStringLiteral("My preset"));
      dialog->accept();
    });
    QTest::mouseClick(child<QPushButton>("savePresetButton"), Qt::LeftButton);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(controls->userPresets().size(), 1);
    QCOMPARE(controls->userPresets()[0].sampling.top_k, 12);
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), QStringLiteral("My preset"));
    QVERIFY(child<QPushButton>("deletePresetButton")->isEnabled());

    selectPreset(QStringLiteral("Precise"));
    QVERIFY(!child<QPushButton>("deletePresetButton")->isEnabled());  // built-ins stay
    selectPreset(QStringLiteral("My preset"));
    QCOMPARE(dspin("temperatureSpin")->value(), 0.65);
    QCOMPARE(ispin("topKSpin")->value(), 12);

    QVERIFY(!controls->addUserPreset({QStringLiteral("Greedy"), GenerationRequest::Sample, {}}));
    QTest::mouseClick(child<QPushButton>("deletePresetButton"), Qt::LeftButton);
    QCOMPARE(changed.count(), 2);
    QVERIFY(controls->userPresets().isEmpty());
    QCOMPARE(child<QComboBox>("presetCombo")->findText(QStringLiteral("My preset")), -1);
  }

  void randomSeedShowsTheSeedUsed() {
    view_->setPrompt(QStringLiteral("A"));
    auto* seed = child<SeedSpinBox>("seedSpin");
    QVERIFY(!seed->isEnabled());  // random: the app draws it
    view_->beginOutput(123456789012345ULL);
    QCOMPARE(seed->value(), quint64(123456789012345ULL));
    QVERIFY(child<QLabel>("outputStatusLabel")->text().contains(QStringLiteral("123456789012345")));
    // Untick "Random": the seed just used is the one that will be sent, so the result repeats.
    QTest::mouseClick(child<QCheckBox>("randomSeedCheck"), Qt::LeftButton);
    QVERIFY(seed->isEnabled());
    QVERIFY(!view_->request().randomSeed);
    QCOMPARE(view_->request().settings.seed, quint64(123456789012345ULL));
    view_->beginOutput(5);  // a fixed seed is never overwritten
    QCOMPARE(seed->value(), quint64(123456789012345ULL));
  }
};

}  // namespace

int runGenerationViewTests(int argc, char** argv) {
  TestGenerationView test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_generation_view.moc"
