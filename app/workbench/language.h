#pragma once
// The workbench's language: English (the source strings) or German, chosen in the settings and applied
// at start-up (the window is built in one language; switching takes effect on the next start).

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace cllm::app {

// "en", "de"
QStringList availableLanguages();
// The saved choice, else the system language when available, else English.
QString savedLanguage();
void saveLanguage(const QString& code);
// Installs Qt's own and the workbench's translators for `code` (replacing earlier ones). Returns false
// when the workbench translation is missing.
bool installLanguage(const QString& code);

}  // namespace cllm::app
