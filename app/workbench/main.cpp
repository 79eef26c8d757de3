// CLLM Workbench entry point.

#include <QApplication>

#include "language.h"
#include "main_window.h"
#include "views/lattice/vtk_gl_widget.h"

int main(int argc, char** argv) {
  cllm::views::VtkGlWidget::setDefaultSurfaceFormat();  // before QApplication exists
  QApplication app(argc, argv);
  QApplication::setOrganizationName("CLLM");
  QApplication::setApplicationName("CLLM Workbench");
  QApplication::setApplicationVersion(CLLM_VERSION);
  QApplication::setDesktopFileName("cllm-workbench");  // window managers take the icon from its entry
  cllm::app::installLanguage(cllm::app::savedLanguage());
  cllm::app::MainWindow window;
  window.show();
  return QApplication::exec();
}
