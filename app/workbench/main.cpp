// CLLM Workbench entry point.

#include <QApplication>
#include <QLabel>
#include <QMainWindow>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("CLLM Workbench");
  QMainWindow window;
  window.setWindowTitle("CLLM Workbench");
  auto* label = new QLabel("CLLM Workbench: use the cllm command line until the workbench panels land.");
  label->setObjectName("placeholderLabel");
  window.setCentralWidget(label);
  window.resize(800, 500);
  window.show();
  return QApplication::exec();
}
