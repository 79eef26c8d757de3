#include "views/generation/stop_strings.h"

#include <QStringList>

namespace cllm::views {

namespace {

QString unescape(const QString& line) {
  QString out;
  out.reserve(line.size());
  for (qsizetype i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (c != u'\\' || i + 1 == line.size()) {
      out += c;
      continue;
    }
    const QChar next = line[++i];
    if (next == u'n') {
      out += u'\n';
    } else if (next == u't') {
      out += u'\t';
    } else if (next == u'r') {
      out += u'\r';
    } else if (next == u'\\') {
      out += u'\\';
    } else {  // an unknown escape is kept literally: the user probably meant the backslash
      out += c;
      out += next;
    }
  }
  return out;
}

QString escape(const QString& stop) {
  QString out;
  for (const QChar c : stop) {
    if (c == u'\\') {
      out += QStringLiteral("\\\\");
    } else if (c == u'\n') {
      out += QStringLiteral("\\n");
    } else if (c == u'\t') {
      out += QStringLiteral("\\t");
    } else if (c == u'\r') {
      out += QStringLiteral("\\r");
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> parseStopStrings(const QString& text) {
  std::vector<std::string> stops;
  for (const QString& line : text.split(u'\n')) {
    QString stop = line;
    if (stop.endsWith(u'\r')) stop.chop(1);  // text pasted from Windows
    if (stop.isEmpty()) continue;
    stops.push_back(unescape(stop).toStdString());
  }
  return stops;
}

QString formatStopStrings(const std::vector<std::string>& stops) {
  QStringList lines;
  for (const std::string& stop : stops) lines << escape(QString::fromStdString(stop));
  return lines.join(u'\n');
}

}  // namespace cllm::views
