#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "preferences.h"

namespace cllm::app {

QStringList availableLanguages() {
  return {"en", "de"};
}

QString savedLanguage() {
  const QString saved = Preferences().language();
  if (availableLanguages().contains(saved)) return saved;
  const QString system = QLocale::system().name().left(2);
  return availableLanguages().contains(system) ? system : "en";
}

void saveLanguage(const QString& code) {
  Preferences().setLanguage(code);
}

bool installLanguage(const QString& code) {
  static QTranslator* qt = nullptr;
  static QTranslator* ours = nullptr;
  for (QTranslator** t : {&qt, &ours}) {
    if (*t) {
      QCoreApplication::removeTranslator(*t);
      delete *t;
      *t = nullptr;
    }
  }
  QLocale::setDefault(QLocale(code));
  if (code == "en") return true;
  qt = new QTranslator;
  if (qt->load(QLocale(code), "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QCoreApplication::installTranslator(qt);
  ours = new QTranslator;
  const bool loaded = ours->load(":/i18n/cllm_workbench_" + code + ".qm");
  if (loaded) QCoreApplication::installTranslator(ours);
  return loaded;
}

}  // namespace cllm::app
