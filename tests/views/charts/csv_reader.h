#pragma once
// A strict RFC 4180 reader for checking exported CSV files independently of the writer's code.

#include <QList>
#include <QString>
#include <QStringList>

namespace cllm::views::tests {

// Rows of fields; quoted fields may hold commas, doubled quotes and newlines. The trailing newline
// does not produce an empty row.
QList<QStringList> parseCsv(const QString& text);
QString readTextFile(const QString& path);

}  // namespace cllm::views::tests
