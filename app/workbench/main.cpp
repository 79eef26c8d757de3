// CLLM Workbench entry point.

#include <QApplication>
#include <QSurfaceFormat>

#include "language.h"
#include "main_window.h"

int main(int argc, char** argv) {
  // VTK renders inside Qt's OpenGL widgets and needs a 3.2+ core context; it must be the default
  // before QApplication exists (see the notes on hosting VTK in Qt 6).
  QSurfaceFormat format;
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setRedBufferSize(8), format.setGreenBufferSize(8), format.setBlueBufferSize(8),
      format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(8);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  format.setSamples(0);
  QSurfaceFormat::setDefaultFormat(format);

  QApplication app(argc, argv);
  QApplication::setOrganizationName("CLLM");
  QApplication::setApplicationName("CLLM Workbench");
  QApplication::setApplicationVersion(CLLM_VERSION);
  cllm::app::installLanguage(cllm::app::savedLanguage());
  cllm::app::MainWindow window;
  window.show();
  return QApplication::exec();
}
