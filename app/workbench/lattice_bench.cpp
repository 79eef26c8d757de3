// cllm-lattice-bench: frames per second of the 3-D view while the camera rotates, for vocabularies of
// 500 to 50,000 tokens (the learned-embedding scene of random 64-wide embeddings, coloured by clock
// class, sized by frequency, with labels), and how long the PCA of those embeddings takes (it includes
// generating them; the live view redoes the PCA for every weight snapshot). Each frame is one full VTK render
// and one blit into Qt's framebuffer; the next frame is asked for once the previous one was painted. Prints
// the median frame time.
//
//   tests/run_with_display.sh build/app/workbench/cllm-lattice-bench [--frames N] [--size WxH]

#include <vtkCamera.h>
#include <vtkRenderer.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QStringList>
#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "inspect/token_projection.h"
#include "lattice/primes.h"
#include "views/lattice/lattice_scene.h"
#include "views/lattice/lattice_view.h"
#include "views/lattice/vtk_gl_widget.h"

using namespace cllm;

namespace {

std::vector<TokenInfo> tokens(int n) {
  const std::vector<uint64_t> primes = first_primes(static_cast<size_t>(n));
  std::vector<TokenInfo> out;
  for (int k = 0; k < n; ++k)
    out.push_back({k, "t" + std::to_string(k), primes[k], int(primes[k] % 12), int64_t(1'000'000 / (k + 1))});
  return out;
}

TokenProjection projection(int n) {
  constexpr int kWidth = 64;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<float> embeddings(static_cast<size_t>(n) * kWidth);
  for (float& x : embeddings) x = normal(rng);
  return project_tokens("pca3d", embeddings, n, kWidth);
}

}  // namespace

int main(int argc, char** argv) {
  views::VtkGlWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  int frames = 120, width = 1000, height = 700;
  const QStringList args = QApplication::arguments();
  for (int i = 1; i + 1 < args.size(); ++i) {
    if (args[i] == "--frames") frames = std::max(10, args[i + 1].toInt());
    if (args[i] == "--size") {
      const QStringList wh = args[i + 1].split('x');
      if (wh.size() == 2) width = wh[0].toInt(), height = wh[1].toInt();
    }
  }
  std::printf("OpenGL view %dx%d, %d frames per size, camera rotating 3 degrees per frame\n", width, height,
              frames);
  std::printf("%10s %14s %10s %14s %14s\n", "tokens", "median ms", "fps", "pick ms", "PCA ms");
  for (int n : {500, 5000, 50000}) {
    views::LatticeView view;
    view.resize(width, height);
    view.show();
    while (!view.glWidget()) QApplication::processEvents();
    view.setTokens(tokens(n));
    QElapsedTimer pcaClock;
    pcaClock.start();
    const TokenProjection points = projection(n);  // what the live view recomputes for each snapshot
    const double pcaMs = pcaClock.nsecsElapsed() / 1e6;
    view.setProjection(points, false);
    views::VtkGlWidget* gl = view.glWidget();
    // Waits until the widget has painted one more VTK frame (render + blit + Qt's composition).
    auto nextFrame = [&] {
      const int before = gl->renderCount();
      gl->requestRender();
      while (gl->renderCount() == before) QApplication::processEvents(QEventLoop::AllEvents, 5);
    };
    nextFrame();  // the first frame compiles shaders and uploads buffers
    std::vector<double> ms;
    QElapsedTimer clock;
    vtkCamera* camera = view.sceneGraph()->renderer()->GetActiveCamera();
    for (int f = 0; f < frames; ++f) {
      camera->Azimuth(3);
      clock.start();
      nextFrame();
      ms.push_back(clock.nsecsElapsed() / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    clock.start();
    constexpr int kPicks = 20;
    for (int i = 0; i < kPicks; ++i) view.sceneGraph()->pick(width / 3 + i, height / 2);
    const double pick = clock.nsecsElapsed() / 1e6 / kPicks;
    std::printf("%10d %14.1f %10.1f %14.2f %14.1f\n", n, median, 1000.0 / median, pick, pcaMs);
    std::fflush(stdout);
  }
  return 0;
}
