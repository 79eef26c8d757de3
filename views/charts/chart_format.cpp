#include "views/charts/chart_format.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSaveFile>

#include <cmath>

namespace cllm::views {

QString formatValue(double value) {
  return QString::number(value, 'g', 6);
}

QString formatDuration(double seconds) {
  if (!std::isfinite(seconds)) return QStringLiteral("—");
  if (std::abs(seconds) < 60.0)
    return QCoreApplication::translate("cllm::views::Charts", "%1 s").arg(seconds, 0, 'f', 1);
  const auto total = static_cast<long long>(std::llround(seconds));
  if (std::abs(seconds) < 3600.0) {
    return QCoreApplication::translate("cllm::views::Charts", "%1 min %2 s")
        .arg(total / 60)
        .arg(total % 60, 2, 10, QLatin1Char('0'));
  }
  return QCoreApplication::translate("cllm::views::Charts", "%1 h %2 min")
      .arg(total / 3600)
      .arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString csvNumber(double value) {
  if (std::isnan(value)) return {};
  return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString csvField(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
      !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r'))) {
    return text;
  }
  QString quoted = text;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool saveFileAtomically(const QString& path, const QByteArray& content, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error)
      *error = QCoreApplication::translate("cllm::views::Charts", "Cannot write %1: %2")
                   .arg(path, file.errorString());
    return false;
  }
  if (file.write(content) != content.size() || !file.commit()) {
    if (error)
      *error = QCoreApplication::translate("cllm::views::Charts", "Cannot write %1: %2")
                   .arg(path, file.errorString());
    return false;
  }
  return true;
}

}  // namespace cllm::views
