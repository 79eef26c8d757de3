#include "views/lattice/lattice_view.h"

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QStringListModel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QVariantAnimation>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <numeric>

#include "lattice/lattice_maps.h"
#include "views/lattice/token_details_panel.h"
#include "views/lattice/vtk_gl_widget.h"

namespace cllm::views {

namespace {

constexpr int kLabelCount = 20;

// Stands where the 3-D widget will be and calls back the first time it is painted, i.e. really seen.
class PaintTrigger : public QWidget {
 public:
  explicit PaintTrigger(std::function<void()> onPaint) : onPaint_(std::move(onPaint)) {}

 protected:
  void paintEvent(QPaintEvent*) override {
    if (onPaint_) std::exchange(onPaint_, nullptr)();
  }

 private:
  std::function<void()> onPaint_;
};

struct SceneChoice {
  const char* key;
  const char* title;
};

// Menu order; the first is the default.
const SceneChoice kScenes[] = {
    {"pca3d", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Learned embeddings (PCA, 3-D)")},
    {"pca2d", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Learned embeddings (PCA, 2-D)")},
    {"cone", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Prime cone (golden angle)")},
    {"clock", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Clock abacus")},
    {"helix", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Modular helix")},
    {"ulam", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Ulam spiral")},
    {"rings", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "Frequency rings (animated)")},
    {"clock4d", QT_TRANSLATE_NOOP("cllm::views::LatticeView", "4-D clock (animated)")},
};

}  // namespace

LatticeView::LatticeView(QWidget* parent) : QWidget(parent) {
  setObjectName("latticeView");
  details_ = new TokenDetailsPanel;
  details_->setObjectName("tokenDetails");
  status_ = new QLabel;
  status_->setObjectName("latticeStatus");
  status_->setWordWrap(true);

  split_ = new QSplitter(Qt::Horizontal);
  auto* placeholder = new PaintTrigger([this] { QTimer::singleShot(0, this, &LatticeView::ensureGl); });
  placeholder->setMinimumSize(200, 150);
  split_->addWidget(placeholder);
  split_->addWidget(details_);
  split_->setStretchFactor(0, 4);
  split_->setStretchFactor(1, 1);
  split_->setSizes({640, 200});
  split_->setChildrenCollapsible(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(buildToolBar());
  layout->addWidget(split_, 1);
  layout->addWidget(status_);

  move_ = new QVariantAnimation(this);
  move_->setDuration(500);
  move_->setStartValue(0.0);
  move_->setEndValue(1.0);
  move_->setEasingCurve(QEasingCurve::InOutCubic);
  connect(move_, &QVariantAnimation::valueChanged, this, &LatticeView::stepAnimation);
  clock_ = new QTimer(this);
  clock_->setInterval(33);
  playTime_ = std::make_unique<QElapsedTimer>();
  connect(clock_, &QTimer::timeout, this, &LatticeView::updateAnimatedPositions);

  connect(details_, &TokenDetailsPanel::tokenActivated, this, &LatticeView::tokenPicked);
  connect(details_, &TokenDetailsPanel::neighbourSettingsChanged, this, [this] {
    emit neighboursWanted();
    emit settingsChanged();
  });
  connect(details_, &TokenDetailsPanel::isolateRequested, this, [this] {
    isolated_ = selected_ >= 0;
    cameraPending_ = true;
    rebuild();
  });
  connect(details_, &TokenDetailsPanel::clearRequested, this, [this] {
    const bool wasIsolated = isolated_;
    isolated_ = false;
    emit tokenPicked(-1);
    if (wasIsolated) {
      cameraPending_ = true;
      rebuild();
    }
  });
  setMessage(tr("No model yet: start training or load a checkpoint."));
}

LatticeView::~LatticeView() = default;

void LatticeView::ensureGl() {
  if (gl_) return;
  gl_ = new VtkGlWidget;
  gl_->setObjectName("latticeGl");
  gl_->setMinimumSize(200, 150);
  scene_ = std::make_unique<LatticeScene>(gl_->renderWindow());
  delete split_->replaceWidget(0, gl_);
  connect(gl_, &VtkGlWidget::clicked, this, &LatticeView::onClicked);
  cameraPending_ = true;
  rebuild();
}

QWidget* LatticeView::buildToolBar() {
  auto* bar = new QWidget;
  sceneCombo_ = new QComboBox;
  sceneCombo_->setObjectName("sceneCombo");
  for (const SceneChoice& s : kScenes) sceneCombo_->addItem(tr(s.title), QString::fromLatin1(s.key));
  colorCombo_ = new QComboBox;
  colorCombo_->setObjectName("colorByCombo");
  colorCombo_->addItem(tr("Colour: clock class"), int(ColorBy::ClockClass));
  colorCombo_->addItem(tr("Colour: frequency"), int(ColorBy::Frequency));
  colorCombo_->addItem(tr("Colour: prime index"), int(ColorBy::PrimeIndex));
  colorCombo_->addItem(tr("Colour: validation loss"), int(ColorBy::ValidationLoss));
  sizeCheck_ = new QCheckBox(tr("Size by frequency"));
  sizeCheck_->setObjectName("sizeByFrequencyCheck");
  sizeCheck_->setChecked(true);
  labelsCheck_ = new QCheckBox(tr("Labels"));
  labelsCheck_->setObjectName("labelsCheck");
  labelsCheck_->setChecked(true);
  labelsCheck_->setToolTip(tr("Label the %n most frequent tokens", nullptr, kLabelCount));
  edgesCheck_ = new QCheckBox(tr("Neighbour edges"));
  edgesCheck_->setObjectName("edgesCheck");
  edgesCheck_->setToolTip(
      tr("Join the most frequent tokens to their nearest neighbours in the model's space"));
  playButton_ = new QToolButton;
  playButton_->setObjectName("playButton");
  playButton_->setCheckable(true);
  playButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  playButton_->setToolTip(tr("Play or pause the animation"));
  resetButton_ = new QToolButton;
  resetButton_->setObjectName("resetCameraButton");
  resetButton_->setText(tr("Reset view"));
  resetButton_->setToolTip(
      tr("Show everything again (drag to rotate, right-drag or wheel to zoom, middle-drag to pan)"));
  exportButton_ = new QToolButton;
  exportButton_->setObjectName("exportPngButton");
  exportButton_->setText(tr("PNG…"));
  exportButton_->setToolTip(tr("Save the view as a PNG image"));
  search_ = new QLineEdit;
  search_->setObjectName("tokenSearch");
  search_->setPlaceholderText(tr("Find a token…"));
  search_->setClearButtonEnabled(true);
  search_->setCompleter(new QCompleter(new QStringListModel(search_), search_));
  search_->completer()->setCaseSensitivity(Qt::CaseInsensitive);

  // Long scene names must not widen the dock: the combos shrink and show the rest in their popups.
  for (QComboBox* combo : {sceneCombo_, colorCombo_}) {
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(8);
  }
  auto* row1 = new QHBoxLayout;
  row1->setContentsMargins(0, 0, 0, 0);
  row1->addWidget(sceneCombo_, 1);
  row1->addWidget(colorCombo_, 1);
  row1->addWidget(playButton_);
  row1->addWidget(resetButton_);
  row1->addWidget(exportButton_);
  auto* row2 = new QHBoxLayout;
  row2->setContentsMargins(0, 0, 0, 0);
  row2->addWidget(search_, 1);
  row2->addWidget(sizeCheck_);
  row2->addWidget(labelsCheck_);
  row2->addWidget(edgesCheck_);
  auto* layout = new QVBoxLayout(bar);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(row1);
  layout->addLayout(row2);

  connect(sceneCombo_, &QComboBox::currentIndexChanged, this, [this] {
    const QString s = scene();
    playButton_->setEnabled(isAnimatedScene(s));
    setPlaying(isAnimatedScene(s));
    cameraPending_ = true;
    if (isAnimatedScene(s)) updateAnimatedPositions();
    details_->setNeighboursAvailable(s.startsWith("pca"));
    emit sceneChanged(s);
    emit settingsChanged();
  });
  connect(colorCombo_, &QComboBox::currentIndexChanged, this, [this] {
    if (colorBy() == ColorBy::ValidationLoss && loss_.empty()) emit tokenLossWanted();
    rebuild();
    emit settingsChanged();
  });
  for (QCheckBox* box : {sizeCheck_, labelsCheck_})
    connect(box, &QCheckBox::toggled, this, [this] {
      rebuild();
      emit settingsChanged();
    });
  connect(edgesCheck_, &QCheckBox::toggled, this, [this](bool on) {
    if (on && edges_.empty()) emit edgesWanted();
    rebuild();
    emit settingsChanged();
  });
  connect(playButton_, &QToolButton::toggled, this, &LatticeView::setPlaying);
  connect(resetButton_, &QToolButton::clicked, this, [this] {
    if (!scene_) return;
    scene_->resetCamera();
    gl_->requestRender();
  });
  connect(exportButton_, &QToolButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the 3-D view"), QStringLiteral("lattice.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty() && !exportPng(path)) setMessage(tr("Could not write %1").arg(path));
  });
  connect(search_, &QLineEdit::returnPressed, this, [this] { searchToken(search_->text()); });
  playButton_->setEnabled(false);
  return bar;
}

// --- State from the app -----------------------------------------------------------------------------

void LatticeView::setTokens(std::vector<TokenInfo> tokens) {
  tokens_ = std::move(tokens);
  loss_.clear();
  edges_.clear();
  neighbours_.clear();
  selected_ = -1;
  isolated_ = false;
  xyz_.clear();
  projectedScene_.clear();
  QStringList labels;
  for (const TokenInfo& t : tokens_) labels << QString::fromStdString(t.label);
  static_cast<QStringListModel*>(search_->completer()->model())->setStringList(labels);
  cameraPending_ = true;
  if (isAnimatedScene(scene())) updateAnimatedPositions();
  if (colorBy() == ColorBy::ValidationLoss) emit tokenLossWanted();
  if (edgesShown()) emit edgesWanted();
  refreshDetails();
}

void LatticeView::setProjection(const TokenProjection& projection, bool animate) {
  const QString s = QString::fromStdString(projection.scene);
  if (s != scene() || projection.xyz.size() != 3 * tokens_.size()) return;
  message_.clear();
  axisTitles_ = projection.axis_titles;
  if (animate && projectedScene_ == s && xyz_.size() == projection.xyz.size()) {
    animateTo(projection.xyz);
    return;
  }
  move_->stop();
  xyz_ = projection.xyz;
  projectedScene_ = s;
  rebuild();
}

void LatticeView::setMessage(const QString& message) {
  message_ = message;
  status_->setText(message);
  rebuild();
}

void LatticeView::setTokenLoss(std::vector<double> loss) {
  loss_ = std::move(loss);
  rebuild();
  refreshDetails();
}

void LatticeView::setSelection(int32_t id, std::vector<Neighbour> neighbours) {
  const bool moved = id != selected_;
  selected_ = id >= 0 && static_cast<size_t>(id) < tokens_.size() ? id : -1;
  neighbours_ = selected_ >= 0 ? std::move(neighbours) : std::vector<Neighbour>{};
  if (selected_ < 0) isolated_ = false;
  rebuild();
  refreshDetails();
  if (scene_ && moved && selected_ >= 0 && selected_ < int32_t(pointOfToken_.size()) &&
      pointOfToken_[selected_] >= 0) {
    scene_->focusOn(pointOfToken_[selected_]);  // fly to it
    gl_->requestRender();
  }
}

void LatticeView::setEdges(std::vector<std::pair<int32_t, int32_t>> edges) {
  edges_ = std::move(edges);
  rebuild();
}

// --- Settings ---------------------------------------------------------------------------------------

QString LatticeView::scene() const {
  return sceneCombo_->currentData().toString();
}

void LatticeView::setScene(const QString& scene) {
  const int i = sceneCombo_->findData(scene);
  if (i >= 0) sceneCombo_->setCurrentIndex(i);
}

bool LatticeView::isAnimatedScene(const QString& scene) {
  return scene == "rings" || scene == "clock4d";
}

LatticeView::ColorBy LatticeView::colorBy() const {
  return ColorBy(colorCombo_->currentData().toInt());
}
void LatticeView::setColorBy(ColorBy c) {
  colorCombo_->setCurrentIndex(colorCombo_->findData(int(c)));
}
bool LatticeView::sizeByFrequency() const {
  return sizeCheck_->isChecked();
}
void LatticeView::setSizeByFrequency(bool on) {
  sizeCheck_->setChecked(on);
}
bool LatticeView::labelsShown() const {
  return labelsCheck_->isChecked();
}
void LatticeView::setLabelsShown(bool on) {
  labelsCheck_->setChecked(on);
}
bool LatticeView::edgesShown() const {
  return edgesCheck_->isChecked();
}
void LatticeView::setEdgesShown(bool on) {
  edgesCheck_->setChecked(on);
}
int LatticeView::neighbourCount() const {
  return details_->neighbourCount();
}
void LatticeView::setNeighbourCount(int count) {
  details_->setNeighbourCount(count);
}
Distance LatticeView::distance() const {
  return details_->distance();
}
void LatticeView::setDistance(Distance distance) {
  details_->setDistance(distance);
}

bool LatticeView::isPlaying() const {
  return clock_->isActive();
}

void LatticeView::setPlaying(bool playing) {
  playing = playing && isAnimatedScene(scene());
  const QSignalBlocker blocker(playButton_);
  playButton_->setChecked(playing);
  playButton_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  if (playing == clock_->isActive()) return;
  if (playing) {
    playTime_->start();
    clock_->start();
  } else {
    clock_->stop();
  }
}

// --- Drawing ----------------------------------------------------------------------------------------

void LatticeView::updateAnimatedPositions() {
  if (!isAnimatedScene(scene()) || tokens_.empty()) return;
  if (clock_->isActive()) animationSeconds_ += playTime_->restart() / 1000.0;
  std::vector<float> xyz(3 * tokens_.size());
  if (scene() == "rings") {
    // Each ring of the clock abacus pulses at its own frequency (the prototype's "frequency rings").
    for (size_t k = 0; k < tokens_.size(); ++k) {
      const ClockPosition c = clock_position(static_cast<int64_t>(k) + 1);
      const double r = c.radius * frequency_ring_radius(animationSeconds_, ring_frequency(c.ring));
      const double a = c.angle_degrees * std::numbers::pi / 180;
      xyz[3 * k] = static_cast<float>(r * std::cos(a));
      xyz[3 * k + 1] = static_cast<float>(r * std::sin(a));
      xyz[3 * k + 2] = static_cast<float>(c.ring);
    }
    axisTitles_ = {tr("radius × (0.7 + 0.3 sin(0.1 t f)), f = 12, 60, 60, 100").toStdString()};
  } else {
    std::vector<int64_t> indices(tokens_.size());
    std::iota(indices.begin(), indices.end(), 1);
    const std::vector<Point3> points = clock_4d_projection(indices, 0.5 * animationSeconds_);
    for (size_t k = 0; k < points.size(); ++k) {
      xyz[3 * k] = static_cast<float>(points[k].x);
      xyz[3 * k + 1] = static_cast<float>(points[k].y);
      xyz[3 * k + 2] = static_cast<float>(points[k].z);
    }
    axisTitles_ = {tr("rotating in the x–w and y–z planes, seen from the w axis").toStdString()};
  }
  const bool same = projectedScene_ == scene() && xyz_.size() == xyz.size();
  xyz_ = std::move(xyz);
  projectedScene_ = scene();
  message_.clear();
  if (same && !isolated_ && scene_) {
    // Only positions change between frames: cheaper than rebuilding colours, sizes and labels.
    std::vector<float> shown;
    for (int32_t id : scene_->content().ids)
      shown.insert(shown.end(), &xyz_[3 * size_t(id)], &xyz_[3 * size_t(id) + 3]);
    scene_->setPositions(shown);
    gl_->requestRender();
  } else {
    rebuild();
  }
}

void LatticeView::animateTo(std::vector<float> target) {
  moveFrom_ = xyz_;
  moveTo_ = std::move(target);
  move_->stop();
  move_->start();
}

void LatticeView::stepAnimation() {
  if (moveTo_.size() != moveFrom_.size() || moveTo_.size() != xyz_.size()) return;
  const float t = static_cast<float>(move_->currentValue().toDouble());
  for (size_t i = 0; i < xyz_.size(); ++i) xyz_[i] = moveFrom_[i] + t * (moveTo_[i] - moveFrom_[i]);
  if (!scene_) return;
  std::vector<float> shown;
  for (int32_t id : scene_->content().ids)
    shown.insert(shown.end(), &xyz_[3 * size_t(id)], &xyz_[3 * size_t(id) + 3]);
  scene_->setPositions(shown);
  if (t >= 1.0f) rebuild();  // the caption shows the new axes
  gl_->requestRender();
  refreshDetails();
}

void LatticeView::rebuild() {
  SceneContent content;
  pointOfToken_.assign(tokens_.size(), -1);
  const bool drawable = !tokens_.empty() && xyz_.size() == 3 * tokens_.size() && projectedScene_ == scene();
  if (drawable) {
    std::vector<int32_t> shown;
    if (isolated_ && selected_ >= 0) {
      shown.push_back(selected_);
      for (const Neighbour& n : neighbours_) shown.push_back(n.id);
    } else {
      shown.resize(tokens_.size());
      std::iota(shown.begin(), shown.end(), 0);
    }
    int64_t maxFrequency = 0;
    for (const TokenInfo& t : tokens_) maxFrequency = std::max(maxFrequency, t.frequency);
    const ColorBy color = colorBy();
    for (int32_t id : shown) {
      const TokenInfo& t = tokens_[id];
      pointOfToken_[id] = static_cast<int>(content.ids.size());
      content.ids.push_back(id);
      content.xyz.insert(content.xyz.end(), &xyz_[3 * size_t(id)], &xyz_[3 * size_t(id) + 3]);
      float value = NAN;
      switch (color) {
        case ColorBy::ClockClass:
          value = static_cast<float>(t.clock_class);
          break;
        case ColorBy::Frequency:
          value = t.frequency >= 0 ? static_cast<float>(t.frequency + 1) : NAN;
          break;
        case ColorBy::PrimeIndex:
          value = static_cast<float>(id);
          break;
        case ColorBy::ValidationLoss:
          value = size_t(id) < loss_.size() ? static_cast<float>(loss_[id]) : NAN;
          break;
      }
      content.colors.push_back(value);
      // Radius grows with the log of the frequency: the most frequent tokens are 2× the typical one.
      const float size = sizeByFrequency() && maxFrequency > 0 && t.frequency >= 0
                             ? 0.5f + 1.5f * static_cast<float>(std::log1p(double(t.frequency)) /
                                                                std::log1p(double(maxFrequency)))
                             : 1.0f;
      content.sizes.push_back(size);
    }
    switch (color) {
      case ColorBy::ClockClass:
        content.legend = SceneContent::Legend::Categorical;
        content.legendTitle = tr("p mod 12");
        for (int c : {1, 5, 7, 11, 2, 3}) content.categories.emplace_back(float(c), QString::number(c));
        break;
      case ColorBy::Frequency:
        content.legend = SceneContent::Legend::Log;
        content.legendTitle = tr("count + 1");
        break;
      case ColorBy::PrimeIndex:
        content.legendTitle = tr("prime index");
        break;
      case ColorBy::ValidationLoss:
        content.legendTitle = tr("loss (nats)");
        break;
    }
    if (labelsShown()) {
      // The most frequent tokens (ids are assigned by frequency, so lower ids when counts are unknown).
      std::vector<int32_t> order = content.ids;
      std::stable_sort(order.begin(), order.end(),
                       [&](int32_t a, int32_t b) { return tokens_[a].frequency > tokens_[b].frequency; });
      order.resize(std::min<size_t>(order.size(), kLabelCount));
      if (selected_ >= 0 && pointOfToken_[selected_] >= 0 &&
          std::find(order.begin(), order.end(), selected_) == order.end())
        order.push_back(selected_);
      for (int32_t id : order)
        content.labels.emplace_back(pointOfToken_[id], QString::fromStdString(tokens_[id].label));
    }
    if (edgesShown())
      for (const auto& [a, b] : edges_)
        if (size_t(a) < pointOfToken_.size() && size_t(b) < pointOfToken_.size() && pointOfToken_[a] >= 0 &&
            pointOfToken_[b] >= 0)
          content.edges.emplace_back(pointOfToken_[a], pointOfToken_[b]);
    if (selected_ >= 0) {
      content.selected = pointOfToken_[selected_];
      for (const Neighbour& n : neighbours_)
        if (size_t(n.id) < pointOfToken_.size() && pointOfToken_[n.id] >= 0)
          content.neighbours.push_back(pointOfToken_[n.id]);
    }
    QStringList caption;
    caption << sceneCombo_->currentText();
    for (const std::string& title : axisTitles_) caption << QString::fromStdString(title);
    caption << tr("%n token(s)", nullptr, int(content.ids.size()));
    content.caption = caption.join('\n');
  }
  status_->setText(drawable ? tr("%n token(s) · drag to rotate, wheel to zoom, click a point to select it",
                                 nullptr, int(content.ids.size()))
                            : message_);
  if (!scene_) return;
  scene_->show(content);
  if (drawable && cameraPending_) {
    scene_->resetCamera();
    cameraPending_ = false;
  }
  gl_->requestRender();
}

void LatticeView::refreshDetails() {
  if (selected_ < 0 || size_t(selected_) >= tokens_.size()) {
    details_->showToken(nullptr, nullptr, NAN, {});
    return;
  }
  std::vector<std::pair<Neighbour, QString>> neighbours;
  for (const Neighbour& n : neighbours_)
    if (size_t(n.id) < tokens_.size())
      neighbours.emplace_back(n, QString::fromStdString(tokens_[n.id].label));
  details_->showToken(&tokens_[selected_], positionOf(selected_),
                      size_t(selected_) < loss_.size() ? loss_[selected_] : NAN, neighbours);
}

// --- Interaction ------------------------------------------------------------------------------------

void LatticeView::onClicked(QPoint position) {
  const QPoint p = gl_->toVtkPosition(position);
  const int point = scene_->pick(p.x(), p.y());
  if (point >= 0) emit tokenPicked(scene_->content().ids[point]);
}

bool LatticeView::searchToken(const QString& text) {
  if (text.isEmpty() || tokens_.empty()) return false;
  const std::string wanted = text.toStdString();
  auto find = [&](auto&& matches) -> int32_t {
    for (const TokenInfo& t : tokens_)
      if (matches(QString::fromStdString(t.label))) return t.id;
    return -1;
  };
  int32_t id = find([&](const QString& label) { return label == text; });
  if (id < 0) id = find([&](const QString& label) { return label.compare(text, Qt::CaseInsensitive) == 0; });
  if (id < 0) id = find([&](const QString& label) { return label.startsWith(text, Qt::CaseInsensitive); });
  if (id < 0) {
    status_->setText(tr("No token “%1” in this vocabulary").arg(text));
    return false;
  }
  if (isolated_ && size_t(id) < pointOfToken_.size() && pointOfToken_[id] < 0) {
    isolated_ = false;  // the token must be visible to fly to it
    rebuild();
  }
  emit tokenPicked(id);
  return true;
}

bool LatticeView::exportPng(const QString& path) {
  return gl_ && gl_->grabFramebuffer().save(path, "PNG");
}

const float* LatticeView::positionOf(int32_t id) const {
  if (id < 0 || projectedScene_ != scene() || xyz_.size() != 3 * tokens_.size() ||
      size_t(id) >= tokens_.size())
    return nullptr;
  return &xyz_[3 * size_t(id)];
}

std::optional<QPoint> LatticeView::screenPositionOf(int32_t id) const {
  if (!scene_ || id < 0 || size_t(id) >= pointOfToken_.size() || pointOfToken_[id] < 0) return std::nullopt;
  double x = 0, y = 0;
  if (!scene_->toDisplay(pointOfToken_[id], x, y)) return std::nullopt;
  const double dpr = gl_->devicePixelRatioF();
  return QPoint(static_cast<int>(x / dpr), static_cast<int>((gl_->height() * dpr - 1 - y) / dpr));
}

}  // namespace cllm::views
