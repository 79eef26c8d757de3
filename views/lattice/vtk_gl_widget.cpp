#include "views/lattice/vtk_gl_widget.h"

#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <QWheelEvent>

namespace cllm::views {

// Everything that belongs to one GL context: VTK asks through these observers whether Qt's context is
// current and makes it current when it needs it outside paintGL (e.g. to release resources).
class VtkGlWidget::ContextBinding {
 public:
  ContextBinding(VtkGlWidget* widget, vtkGenericOpenGLRenderWindow* window)
      : widget_(widget), window_(window) {
    observers_ = {window->AddObserver(vtkCommand::WindowMakeCurrentEvent, this, &ContextBinding::onEvent),
                  window->AddObserver(vtkCommand::WindowIsCurrentEvent, this, &ContextBinding::onEvent),
                  window->AddObserver(vtkCommand::WindowFrameEvent, this, &ContextBinding::onEvent)};
    window->SetOwnContext(false);
    window->OpenGLInitContext();
    window->SetReadyForRendering(true);
    window->GetState()->Reset();
  }
  ~ContextBinding() {
    // The context is still current here (see releaseContext), so VTK can free its GL objects.
    window_->Finalize();
    window_->SetReadyForRendering(false);
    for (unsigned long id : observers_) window_->RemoveObserver(id);
  }

 private:
  void onEvent(vtkObject*, unsigned long event, void* data) {
    QOpenGLContext* context = widget_->context();
    switch (event) {
      case vtkCommand::WindowMakeCurrentEvent:
        if (context && QOpenGLContext::currentContext() != context) widget_->makeCurrent();
        break;
      case vtkCommand::WindowIsCurrentEvent:
        *static_cast<bool*>(data) = context && QOpenGLContext::currentContext() == context;
        break;
      case vtkCommand::WindowFrameEvent:
        if (!widget_->inPaint_) widget_->update();
        break;
      default:
        break;
    }
  }

  VtkGlWidget* widget_;
  vtkGenericOpenGLRenderWindow* window_;
  std::vector<unsigned long> observers_;
};

void VtkGlWidget::setDefaultSurfaceFormat() {
  QSurfaceFormat format;
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(8);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  format.setSamples(0);  // VTK renders into its own framebuffer; multisampling here would only cost
  QSurfaceFormat::setDefaultFormat(format);
}

VtkGlWidget::VtkGlWidget(QWidget* parent) : QOpenGLWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(false);
  renderWindow_->SetReadyForRendering(false);
  renderWindow_->SetFrameBlitModeToNoBlit();
  renderWindow_->SetMultiSamples(0);
  interactor_->SetRenderWindow(renderWindow_);
  interactor_->EnableRenderOff();  // VTK renders only inside paintGL
  vtkNew<vtkInteractorStyleTrackballCamera> style;
  interactor_->SetInteractorStyle(style);
  auto* onRender = vtkCallbackCommand::New();
  onRender->SetClientData(this);
  onRender->SetCallback(
      [](vtkObject*, unsigned long, void* self, void*) { static_cast<VtkGlWidget*>(self)->requestRender(); });
  renderObserver_ = interactor_->AddObserver(vtkCommand::RenderEvent, onRender);
  onRender->Delete();
  interactor_->Initialize();
}

VtkGlWidget::~VtkGlWidget() {
  // The context dies inside ~QOpenGLWidget, after our members: disconnect first, then release VTK's
  // resources while the context can still be made current.
  if (QOpenGLContext* c = context()) disconnect(c, nullptr, this, nullptr);
  makeCurrent();
  releaseContext();
  doneCurrent();
  interactor_->RemoveObserver(renderObserver_);
}

vtkGenericOpenGLRenderWindow* VtkGlWidget::renderWindow() const {
  return renderWindow_.Get();
}
vtkGenericRenderWindowInteractor* VtkGlWidget::interactor() const {
  return interactor_.Get();
}

void VtkGlWidget::requestRender() {
  dirty_ = true;
  if (!inPaint_) update();
}

QPoint VtkGlWidget::toVtkPosition(QPoint p) const {
  const double dpr = devicePixelRatioF();
  const int height = static_cast<int>(this->height() * dpr);
  return {static_cast<int>(p.x() * dpr), height - static_cast<int>(p.y() * dpr) - 1};
}

void VtkGlWidget::initializeGL() {
  ++contextCount_;
  QOpenGLContext* c = context();
  const auto version = c->format().version();
  if (version < qMakePair(3, 2)) {
    contextError_ = tr("OpenGL %1.%2 is too old for the 3-D view (3.2 or newer is needed).")
                        .arg(version.first)
                        .arg(version.second);
    return;
  }
  contextError_.clear();
  connect(
      c, &QOpenGLContext::aboutToBeDestroyed, this,
      [this] {
        makeCurrent();
        releaseContext();
        doneCurrent();
      },
      Qt::DirectConnection);
  binding_ = std::make_unique<ContextBinding>(this, renderWindow_);
  updateSize();
  dirty_ = true;
}

void VtkGlWidget::releaseContext() {
  binding_.reset();
}

void VtkGlWidget::resizeGL(int, int) {
  updateSize();
  dirty_ = true;
}

void VtkGlWidget::updateSize() {
  const double dpr = devicePixelRatioF();
  const int w = static_cast<int>(width() * dpr), h = static_cast<int>(height() * dpr);
  interactor_->UpdateSize(w, h);  // also sizes the render window
  renderWindow_->SetDPI(static_cast<int>(72 * dpr));
}

void VtkGlWidget::paintGL() {
  QOpenGLExtraFunctions* f = context()->extraFunctions();
  if (!binding_) {
    f->glClearColor(0.5f, 0.5f, 0.5f, 1.0f);
    f->glClear(GL_COLOR_BUFFER_BIT);
    return;
  }
  inPaint_ = true;
  vtkOpenGLState* state = renderWindow_->GetState();
  state->Reset();
  state->Push();
  state->vtkglDepthFunc(GL_LEQUAL);
  if (dirty_) {
    renderWindow_->Render();
    dirty_ = false;
    ++renderCount_;
  }
  // Copy VTK's finished frame into the framebuffer Qt composes the widget from.
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  const GLenum colour = GL_COLOR_ATTACHMENT0;
  f->glDrawBuffers(1, &colour);
  const int* size = renderWindow_->GetRenderFramebuffer()->GetLastSize();
  const double dpr = devicePixelRatioF();
  const int w = static_cast<int>(width() * dpr), h = static_cast<int>(height() * dpr);
  renderWindow_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, w, h, GL_COLOR_BUFFER_BIT,
                                        GL_NEAREST);
  // Opaque alpha, or Mesa blends the view with whatever is behind the window.
  f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  f->glClearColor(0, 0, 0, 1);
  f->glClear(GL_COLOR_BUFFER_BIT);
  f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  state->Pop();
  inPaint_ = false;
  emit rendered();
}

bool VtkGlWidget::event(QEvent* e) {
  switch (e->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::Enter:
    case QEvent::Leave:
      forwardMouse(e);
      return true;
    case QEvent::KeyPress:
    case QEvent::KeyRelease: {
      auto* k = static_cast<QKeyEvent*>(e);
      const QString text = k->text();
      const char key = text.isEmpty() ? 0 : text.at(0).toLatin1();
      // VTK's interactor styles quit on 'e' and 'q', switch to joystick, trackball or actor modes on 'j',
      // 't', 'a' and to surface or wireframe on 's', 'w': none of that belongs in this view.
      if (QStringLiteral("eEqQjJaAtTsSwW").contains(QChar(key)) && key != 0) return QOpenGLWidget::event(e);
      interactor_->SetKeyEventInformation(k->modifiers() & Qt::ControlModifier,
                                          k->modifiers() & Qt::ShiftModifier, key, k->count(),
                                          text.toLatin1().constData());
      interactor_->InvokeEvent(e->type() == QEvent::KeyPress ? vtkCommand::KeyPressEvent
                                                             : vtkCommand::KeyReleaseEvent);
      if (e->type() == QEvent::KeyPress && key) interactor_->InvokeEvent(vtkCommand::CharEvent);
      return QOpenGLWidget::event(e);
    }
    default:
      return QOpenGLWidget::event(e);
  }
}

void VtkGlWidget::forwardMouse(QEvent* e) {
  const double dpr = devicePixelRatioF();
  if (e->type() == QEvent::Enter || e->type() == QEvent::Leave) {
    interactor_->InvokeEvent(e->type() == QEvent::Enter ? vtkCommand::EnterEvent : vtkCommand::LeaveEvent);
    return;
  }
  if (e->type() == QEvent::Wheel) {
    auto* w = static_cast<QWheelEvent*>(e);
    const QPointF p = w->position();
    interactor_->SetEventInformationFlipY(static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
                                          w->modifiers() & Qt::ControlModifier,
                                          w->modifiers() & Qt::ShiftModifier);
    const int delta = w->angleDelta().y();
    if (delta != 0)
      interactor_->InvokeEvent(delta > 0 ? vtkCommand::MouseWheelForwardEvent
                                         : vtkCommand::MouseWheelBackwardEvent);
    return;
  }
  auto* m = static_cast<QMouseEvent*>(e);
  const QPoint p = m->position().toPoint();
  interactor_->SetEventInformationFlipY(
      static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr), m->modifiers() & Qt::ControlModifier,
      m->modifiers() & Qt::ShiftModifier, 0, e->type() == QEvent::MouseButtonDblClick ? 1 : 0);
  const bool press = e->type() == QEvent::MouseButtonPress || e->type() == QEvent::MouseButtonDblClick;
  switch (e->type()) {
    case QEvent::MouseMove:
      interactor_->InvokeEvent(vtkCommand::MouseMoveEvent);
      return;
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseButtonRelease: {
      unsigned long event = 0;
      switch (m->button()) {
        case Qt::LeftButton:
          event = press ? vtkCommand::LeftButtonPressEvent : vtkCommand::LeftButtonReleaseEvent;
          break;
        case Qt::MiddleButton:
          event = press ? vtkCommand::MiddleButtonPressEvent : vtkCommand::MiddleButtonReleaseEvent;
          break;
        case Qt::RightButton:
          event = press ? vtkCommand::RightButtonPressEvent : vtkCommand::RightButtonReleaseEvent;
          break;
        default:
          return;
      }
      interactor_->InvokeEvent(event);
      if (m->button() == Qt::LeftButton) {
        if (press)
          pressPosition_ = p;
        else if ((p - pressPosition_).manhattanLength() < 3)
          emit clicked(p);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace cllm::views
