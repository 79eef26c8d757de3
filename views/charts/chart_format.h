#pragma once
// Text forms of chart numbers shared by the hover read-out and the CSV exports.

#include <QByteArray>
#include <QString>

namespace cllm::views {

// Six significant digits: enough to compare losses by eye without noise digits.
QString formatValue(double value);
// Relative wall time as users read it: "42.5 s", "3 min 07 s", "1 h 02 min".
QString formatDuration(double seconds);

// CSV (RFC 4180): numbers round-trip exactly; NaN/unknown is an empty field so pandas and spreadsheets
// read it as missing.
QString csvNumber(double value);
QString csvField(const QString& text);

// Writes through QSaveFile so an interrupted export never leaves a half-written file behind.
bool saveFileAtomically(const QString& path, const QByteArray& content, QString* error);

}  // namespace cllm::views
