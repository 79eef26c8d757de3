// The 3-D view with synthetic tokens, driven as a user would: it draws (pixels differ from an empty
// scene), a click on a point picks that token, search flies to a token, floating and re-docking the view
// (a new GL context) keeps it drawing, the animated scenes move, new positions of a scene animate.
#include <vtkCamera.h>
#include <vtkRenderer.h>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>
#include <random>

#include "inspect/token_projection.h"
#include "lattice/primes.h"
#include "views/lattice/lattice_view.h"
#include "views/lattice/token_details_panel.h"
#include "views/lattice/vtk_gl_widget.h"

using namespace cllm;
using namespace cllm::views;

namespace {

std::vector<TokenInfo> makeTokens(int n) {
  const std::vector<uint64_t> primes = first_primes(n);
  std::vector<TokenInfo> tokens;
  for (int k = 0; k < n; ++k)
    tokens.push_back({k, "tok" + std::to_string(k), primes[k], int(primes[k] % 12), int64_t(1000 / (k + 1))});
  return tokens;
}

// Points spread over a cube, deterministic.
TokenProjection makeProjection(int n, uint32_t seed, const char* scene = "pca3d") {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  TokenProjection p;
  p.scene = scene;
  for (int i = 0; i < 3 * n; ++i) p.xyz.push_back(u(rng));
  p.axis_titles = {"PC1", "PC2", "PC3"};
  return p;
}

// Share of pixels that differ clearly from the same view with nothing drawn.
double drawnShare(const QImage& image, const QImage& empty) {
  if (image.size() != empty.size() || image.isNull()) return -1;
  qint64 differ = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor a = image.pixelColor(x, y), b = empty.pixelColor(x, y);
      if (std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) > 40)
        ++differ;
    }
  return double(differ) / (image.width() * image.height());
}

QImage renderedFrame(LatticeView& view) {
  // The GL widget appears once the view has been painted.
  if (!QTest::qWaitFor([&] { return view.glWidget() != nullptr; }, 10000)) return {};
  VtkGlWidget* gl = view.glWidget();
  const int before = gl->renderCount();
  gl->requestRender();
  if (!QTest::qWaitFor([&] { return gl->renderCount() > before; }, 10000)) return {};
  return gl->grabFramebuffer();
}

}  // namespace

class TestLatticeView : public QObject {
  Q_OBJECT

 public:
  static void initMain() { VtkGlWidget::setDefaultSurfaceFormat(); }

 private:
  QImage empty_;

 private slots:
  void drawsPointsAndAnEmptySceneDoesNot() {
    LatticeView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.glWidget() != nullptr);
    empty_ = renderedFrame(view);
    QVERIFY(!empty_.isNull());
    QVERIFY2(view.glWidget()->contextError().isEmpty(), qPrintable(view.glWidget()->contextError()));
    // The negative control: nothing drawn is outside the band the drawn scene must be in.
    QVERIFY(drawnShare(renderedFrame(view), empty_) < 0.002);

    view.setTokens(makeTokens(400));
    view.setProjection(makeProjection(400, 1), false);
    const double share = drawnShare(renderedFrame(view), empty_);
    QVERIFY2(share > 0.01 && share < 0.6, qPrintable(QString::number(share)));
    QVERIFY(view.exportPng(QDir::temp().filePath("cllm-lattice-test.png")));
    QVERIFY(!QImage(QDir::temp().filePath("cllm-lattice-test.png")).isNull());
  }

  void clickingAPointPicksItsToken() {
    LatticeView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.glWidget() != nullptr);
    view.setLabelsShown(false);
    view.setTokens(makeTokens(60));
    view.setProjection(makeProjection(60, 2), false);
    QVERIFY(!renderedFrame(view).isNull());
    connect(&view, &LatticeView::tokenPicked, &view, [&view](int32_t id) {
      view.setSelection(id, {{3, 0.1f}, {4, 0.2f}});
    });
    QSignalSpy picked(&view, &LatticeView::tokenPicked);
    // A point on screen with no other point near it, so no other sprite covers it.
    int target = -1;
    for (int id = 0; id < 60 && target < 0; ++id) {
      const auto p = view.screenPositionOf(id);
      if (!p || !view.glWidget()->rect().adjusted(20, 20, -20, -20).contains(*p)) continue;
      bool alone = true;
      for (int other = 0; other < 60 && alone; ++other) {
        const auto q = view.screenPositionOf(other);
        if (other != id && q && (*q - *p).manhattanLength() < 60) alone = false;
      }
      if (alone) target = id;
    }
    QVERIFY(target >= 0);
    QTest::mouseClick(view.glWidget(), Qt::LeftButton, {}, *view.screenPositionOf(target));
    QCOMPARE(picked.count(), 1);
    const int32_t id = picked.at(0).at(0).toInt();
    QCOMPARE(id, target);
    QCOMPARE(view.selectedToken(), id);
    auto* title = view.details()->findChild<QLabel*>("selectedTokenTitle");
    QCOMPARE(title->text(), QString("tok%1").arg(id));
    QCOMPARE(view.details()->neighbourList()->topLevelItemCount(), 2);
    // Clicking a neighbour asks for it.
    QTreeWidget* list = view.details()->neighbourList();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                      list->visualItemRect(list->topLevelItem(1)).center());
    QCOMPARE(picked.count(), 2);
    QCOMPARE(picked.at(1).at(0).toInt(), 4);
    // Empty space picks nothing.
    view.setSelection(-1, {});
    QTest::mouseClick(view.glWidget(), Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(picked.count(), 2);
  }

  void searchFliesToTheToken() {
    LatticeView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.glWidget() != nullptr);
    view.setTokens(makeTokens(300));
    view.setProjection(makeProjection(300, 3), false);
    connect(&view, &LatticeView::tokenPicked, &view, [&view](int32_t id) { view.setSelection(id, {}); });
    QVERIFY(!view.searchToken("no such token"));
    QVERIFY(view.searchToken("TOK123"));  // case-insensitive
    QCOMPARE(view.selectedToken(), 123);
    QVERIFY(!renderedFrame(view).isNull());
    // The camera looks at the token: it is in the middle of the view.
    const QPoint centre = view.glWidget()->rect().center();
    const auto at = view.screenPositionOf(123);
    QVERIFY(at);
    QVERIFY2((*at - centre).manhattanLength() < 8, qPrintable(QString("%1,%2").arg(at->x()).arg(at->y())));
  }

  void undockingAndRedockingKeepsDrawing() {
    QMainWindow window;
    auto* view = new LatticeView;
    auto* dock = new QDockWidget("3-D");
    dock->setWidget(view);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    window.resize(900, 650);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(view->glWidget() != nullptr);
    view->setTokens(makeTokens(400));
    view->setProjection(makeProjection(400, 1), false);
    const QImage docked = renderedFrame(*view);
    QVERIFY(!docked.isNull());
    const int contexts = view->glWidget()->contextCount();
    dock->setFloating(true);
    dock->resize(800, 600);
    QVERIFY(QTest::qWaitForWindowExposed(dock));
    QTRY_VERIFY_WITH_TIMEOUT(view->glWidget()->contextCount() > contexts, 5000);  // a new context
    const QImage floating = renderedFrame(*view);
    QVERIFY(!floating.isNull());
    QVERIFY(floating.size() != QSize(0, 0));
    // Drawn again with the new context: many pixels are the points' colours, not the background's.
    const auto countNonBackground = [](const QImage& image) {
      qint64 n = 0;
      const QColor corner = image.pixelColor(image.width() - 2, image.height() / 2);
      for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width() * 3 / 4; x += 2) {
          const QColor c = image.pixelColor(x, y);
          if (std::abs(c.red() - corner.red()) + std::abs(c.green() - corner.green()) +
                  std::abs(c.blue() - corner.blue()) >
              60)
            ++n;
        }
      return n;
    };
    QVERIFY2(countNonBackground(floating) > 200, qPrintable(QString::number(countNonBackground(floating))));
    dock->setFloating(false);
    QTRY_VERIFY_WITH_TIMEOUT(view->glWidget()->contextCount() > contexts + 1, 5000);
    const QImage redocked = renderedFrame(*view);
    QVERIFY(!redocked.isNull());
    QVERIFY2(countNonBackground(redocked) > 200, qPrintable(QString::number(countNonBackground(redocked))));
  }

  void newPositionsOfTheSceneMoveSmoothly() {
    LatticeView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.glWidget() != nullptr);
    view.setTokens(makeTokens(50));
    view.setProjection(makeProjection(50, 5), false);
    const std::vector<float> before(view.positionOf(7), view.positionOf(7) + 3);
    const TokenProjection next = makeProjection(50, 6);
    view.setProjection(next, true);
    // It passes through places part way, neither where it was nor where it goes (watched every 10 ms
    // rather than at one moment, which a slow build, e.g. under TSan, may draw late).
    int partWay = 0;
    QElapsedTimer waited;
    waited.start();
    while (view.positionOf(7)[0] != next.xyz[21] && waited.elapsed() < 5000) {
      const float x = view.positionOf(7)[0];
      partWay += x != before[0];
      QTest::qWait(10);
    }
    QCOMPARE(view.positionOf(7)[0], next.xyz[21]);
    QVERIFY(partWay > 0);
    // Another scene's projection is ignored; a lattice scene asks the app for its positions.
    QSignalSpy scenes(&view, &LatticeView::sceneChanged);
    view.setScene("cone");
    QCOMPARE(scenes.count(), 1);
    QCOMPARE(scenes.at(0).at(0).toString(), QString("cone"));
  }

  void animatedScenesMoveWhilePlayingAndStopWhenPaused() {
    LatticeView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.glWidget() != nullptr);
    view.setTokens(makeTokens(240));
    view.setScene("rings");
    QVERIFY(view.isPlaying());
    QTRY_VERIFY(view.positionOf(20) != nullptr);
    const std::vector<float> a(view.positionOf(20), view.positionOf(20) + 3);
    QTRY_VERIFY_WITH_TIMEOUT(view.positionOf(20)[0] != a[0], 3000);
    // The ring pulses: its radius is 0.7 + 0.3 sin(...), so within [0.4, 1.0], of the abacus radius (0.5
    // for ring 1).
    const float r = std::hypot(view.positionOf(20)[0], view.positionOf(20)[1]);
    QVERIFY2(r >= 0.2f - 1e-4f && r <= 0.5f + 1e-4f, qPrintable(QString::number(r)));
    view.setPlaying(false);
    const std::vector<float> paused(view.positionOf(20), view.positionOf(20) + 3);
    QTest::qWait(200);
    QCOMPARE(view.positionOf(20)[0], paused[0]);
    view.setScene("clock4d");
    QVERIFY(view.isPlaying());
    const std::vector<float> b(view.positionOf(100), view.positionOf(100) + 3);
    QTRY_VERIFY_WITH_TIMEOUT(view.positionOf(100)[0] != b[0], 3000);
  }
};

QTEST_MAIN(TestLatticeView)
#include "test_lattice_view.moc"
