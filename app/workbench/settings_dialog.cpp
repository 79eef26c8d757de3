#include "settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>

#include "language.h"

namespace cllm::app {

SettingsDialog::SettingsDialog(const QString& runsFolder, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Settings"));
  languageCombo_ = new QComboBox;
  languageCombo_->setObjectName("languageCombo");
  languageCombo_->addItem("English", "en");
  languageCombo_->addItem("Deutsch", "de");
  languageCombo_->setCurrentIndex(languageCombo_->findData(savedLanguage()));
  auto* note = new QLabel(tr("The language changes when the workbench starts next time."));
  note->setWordWrap(true);
  auto* folder = new QLabel(runsFolder);
  folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Language"), languageCombo_);
  form->addRow(note);
  form->addRow(tr("Runs folder"), folder);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

bool SettingsDialog::apply() {
  const QString chosen = languageCombo_->currentData().toString();
  const bool changed = chosen != savedLanguage();
  saveLanguage(chosen);
  return changed;
}

}  // namespace cllm::app
