#include <QJsonObject>
#include <QLineEdit>
#include <QTest>
#include <limits>

#include "generation_tests.h"
#include "views/generation/sampling_presets.h"
#include "views/generation/seed_spin_box.h"
#include "views/generation/stop_strings.h"
#include "views/generation/token_display.h"

using namespace cllm::views;

namespace {

class TestGenerationHelpers : public QObject {
  Q_OBJECT

 private slots:
  void stopStringsOnePerLineWithEscapes() {
    const std::vector<std::string> stops =
        parseStopStrings(QStringLiteral("END\n\\n\\n\n,\n\nC:\\\\dir\n\\q\r\n"));
    const std::vector<std::string> expected{"END", "\n\n", ",", "C:\\dir", "\\q"};
    QCOMPARE(stops, expected);
  }

  void stopStringsRoundTrip() {
    const std::vector<std::string> stops{"a b", "\n", "\t\\", "x,y", "\r"};
    QCOMPARE(parseStopStrings(formatStopStrings(stops)), stops);
    QVERIFY(parseStopStrings(QStringLiteral("\n\n")).empty());
  }

  void probabilityColoursRunRedYellowGreen() {
    QCOMPARE(probabilityColor(0.0).hue(), 0);
    QCOMPARE(probabilityColor(0.5).hue(), 60);
    QCOMPARE(probabilityColor(1.0).hue(), 120);
    QVERIFY(probabilityColor(0.2).hue() < probabilityColor(0.8).hue());
    QCOMPARE(probabilityColor(-3.0), probabilityColor(0.0));
    QCOMPARE(probabilityColor(7.0), probabilityColor(1.0));
    QCOMPARE(probabilityColor(std::numeric_limits<double>::quiet_NaN()), probabilityColor(0.0));
  }

  void probabilitiesAndTokensReadable() {
    QCOMPARE(formatProbability(0.431), QStringLiteral("43.1 %"));
    QCOMPARE(formatProbability(1.0), QStringLiteral("100.0 %"));
    QCOMPARE(formatProbability(0.0000423), QStringLiteral("0.0042 %"));
    QCOMPARE(visibleTokenText(QStringLiteral(" a\n\tb")), QStringLiteral("␣a↵→b"));
    QCOMPARE(visibleTokenText(QString()), QStringLiteral("∅"));
    QCOMPARE(visibleTokenText(QString(QChar(0x07))), QStringLiteral("U+0007"));
  }

  void builtinPresetsMatchTheBrief() {
    const QList<SamplingPreset> presets = builtinSamplingPresets();
    QCOMPARE(presets.size(), 4);
    QCOMPARE(presets[0].sampling.temperature, 0.8);
    QCOMPARE(presets[0].sampling.top_k, 40);
    QCOMPARE(presets[1].sampling.temperature, 0.2);
    QCOMPARE(presets[1].sampling.top_k, 10);
    QCOMPARE(presets[2].sampling.top_p, 0.98);
    QCOMPARE(presets[2].sampling.min_p, 0.02);
    QCOMPARE(presets[3].mode, GenerationRequest::Greedy);
  }

  void presetComparisonIgnoresWhatTheModeIgnores() {
    SamplingPreset a{QStringLiteral("a"), GenerationRequest::Greedy, {}};
    SamplingPreset b = a;
    b.sampling.temperature = 1.7;
    b.sampling.top_k = 3;
    QVERIFY(samePresetSettings(a, b));
    b.sampling.repetition_penalty = 1.3;
    QVERIFY(!samePresetSettings(a, b));
    a.mode = b.mode = GenerationRequest::Sample;
    b.sampling.repetition_penalty = a.sampling.repetition_penalty;
    QVERIFY(!samePresetSettings(a, b));
  }

  void presetJsonRoundTrip() {
    SamplingPreset preset{QStringLiteral("Mine"), GenerationRequest::Greedy, {}};
    preset.sampling.repetition_penalty = 1.25;
    preset.sampling.repetition_window = 17;
    const QJsonObject json = samplingPresetToJson(preset);
    QCOMPARE(json.value(QStringLiteral("mode")).toString(), QStringLiteral("greedy"));
    QString error;
    const std::optional<SamplingPreset> back = samplingPresetFromJson(json, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(back->name, preset.name);
    QCOMPARE(back->mode, preset.mode);
    QCOMPARE(back->sampling.repetition_penalty, 1.25);
    QCOMPARE(back->sampling.repetition_window, 17);
  }

  void presetJsonRejectsInvalidValues() {
    QString error;
    QJsonObject json = samplingPresetToJson({QStringLiteral("Bad"), GenerationRequest::Sample, {}});
    json[QStringLiteral("top_p")] = 0.0;
    QVERIFY(!samplingPresetFromJson(json, &error).has_value());
    QVERIFY2(error.contains(QStringLiteral("top-p")), qPrintable(error));
    json[QStringLiteral("top_p")] = 0.9;
    json[QStringLiteral("mode")] = QStringLiteral("telepathy");
    QVERIFY(!samplingPresetFromJson(json, &error).has_value());
    QVERIFY(error.contains(QStringLiteral("telepathy")));
    json[QStringLiteral("mode")] = QStringLiteral("sample");
    json[QStringLiteral("name")] = QStringLiteral("  ");
    QVERIFY(!samplingPresetFromJson(json, &error).has_value());
  }

  void seedSpinHoldsTheFull64BitRange() {
    SeedSpinBox spin;
    spin.show();
    QVERIFY(QTest::qWaitForWindowExposed(&spin));
    const quint64 max = std::numeric_limits<quint64>::max();
    spin.setValue(max);
    QCOMPARE(spin.findChild<QLineEdit*>()->text(), QStringLiteral("18446744073709551615"));
    spin.stepBy(5);
    QCOMPARE(spin.value(), max);

    spin.setValue(3);
    spin.stepBy(-10);
    QCOMPARE(spin.value(), quint64(0));

    spin.findChild<QLineEdit*>()->selectAll();
    QTest::keyClicks(&spin, QStringLiteral("12345678901234567890"));
    QCOMPARE(spin.value(), quint64(12345678901234567890ULL));

    // 2^64 does not fit: the last keystroke is refused, the value stays what was typed before it.
    spin.findChild<QLineEdit*>()->selectAll();
    QTest::keyClicks(&spin, QStringLiteral("18446744073709551616"));
    QCOMPARE(spin.value(), quint64(1844674407370955161ULL));

    spin.findChild<QLineEdit*>()->selectAll();
    QTest::keyClicks(&spin, QStringLiteral("4x2"));  // letters refused
    QCOMPARE(spin.value(), quint64(42));
    QTest::keyClick(&spin, Qt::Key_Up);
    QCOMPARE(spin.value(), quint64(43));
  }
};

}  // namespace

int runGenerationHelpersTests(int argc, char** argv) {
  TestGenerationHelpers test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_generation_helpers.moc"
