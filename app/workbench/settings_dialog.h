#pragma once
// Preferences: the language (applied on the next start) and where runs are stored.

#include <QDialog>

class QComboBox;

namespace cllm::app {

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  SettingsDialog(const QString& runsFolder, QWidget* parent = nullptr);

  // Saves the choices; true when the language changed.
  bool apply();

 private:
  QComboBox* languageCombo_;
};

}  // namespace cllm::app
