#pragma once
// Hosts a VTK render window inside a Qt 6 QOpenGLWidget (Debian's VTK Qt module is Qt 5 only), the way
// VTK's own QVTKOpenGLNativeWidget does: a thin widget plus a per-context binding.
//
// Contract:
// - The widget owns one vtkGenericOpenGLRenderWindow and one interactor for its whole life; callers add
//   renderers and actors to renderWindow() and call requestRender() after changing the scene.
// - Everything tied to the GL context (observers that make Qt's context current, the "ready" state) lives
//   in a ContextBinding created in initializeGL and destroyed when the context is about to go away.
//   Re-parenting (docking and floating) destroys and recreates the context; VTK's GL resources are
//   released then and rebuilt on the next render, so rendering recovers.
// - VTK renders only inside paintGL, at most once per frame: requestRender() and VTK's own render
//   requests (camera interaction) mark the scene dirty and schedule update(). paintGL renders into VTK's
//   framebuffer when dirty and always blits it into Qt's framebuffer.
// - Contexts older than OpenGL 3.2 are refused: the widget stays grey and says so (contextError()).
// - GUI thread only.

#include <vtkNew.h>
#include <QOpenGLWidget>
#include <QPoint>
#include <memory>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;

namespace cllm::views {

class VtkGlWidget : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit VtkGlWidget(QWidget* parent = nullptr);
  ~VtkGlWidget() override;

  // VTK needs an OpenGL 3.2+ core context with depth and stencil: call before QApplication exists (in
  // main(), and in a Qt Test's initMain()).
  static void setDefaultSurfaceFormat();

  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkGenericRenderWindowInteractor* interactor() const;

  // Re-renders the scene in the next frame.
  void requestRender();
  // VTK renders completed since construction (tests wait for this to grow).
  int renderCount() const { return renderCount_; }
  // How many GL contexts this widget has been given (re-parenting makes a new one).
  int contextCount() const { return contextCount_; }
  // Empty while rendering works; otherwise why nothing is drawn.
  QString contextError() const { return contextError_; }

  // Device-pixel coordinates with y up, as VTK pickers expect.
  QPoint toVtkPosition(QPoint widgetPosition) const;

 signals:
  // A left click that did not drag (moved less than 3 pixels), in widget coordinates.
  void clicked(QPoint position);
  void rendered();

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  bool event(QEvent* event) override;

 private:
  class ContextBinding;
  void releaseContext();
  void updateSize();
  void forwardMouse(QEvent* event);

  vtkNew<vtkGenericOpenGLRenderWindow> renderWindow_;
  vtkNew<vtkGenericRenderWindowInteractor> interactor_;
  std::unique_ptr<ContextBinding> binding_;
  unsigned long renderObserver_ = 0;
  bool dirty_ = true;
  bool inPaint_ = false;
  int renderCount_ = 0, contextCount_ = 0;
  QString contextError_;
  QPoint pressPosition_;
};

}  // namespace cllm::views
