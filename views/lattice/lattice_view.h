#pragma once
// The 3-D dock: a vocabulary shown as points in one scene — the learned embeddings by PCA (live while
// training), the lattice maps of the tokens' primes (prime cone, clock abacus, modular helix, Ulam
// spiral), or the prototype's two animations (frequency rings, a rotating 4-D clock) — coloured by clock
// class, frequency, prime index or validation loss, sized by frequency, with labels, neighbour edges, a
// legend, picking, search, isolation and PNG export. A side panel shows the selected token.
//
// It displays state and sends requests; the app computes:
//   sceneChanged(scene)        -> setProjection() for that scene (the animated scenes are drawn here)
//   tokenPicked(id)            -> the document selects it; setSelection(id, neighbours) follows
//   neighboursWanted()         -> setSelection() again with neighbourCount()/distance()
//   tokenLossWanted()          -> setTokenLoss()
//   edgesWanted()              -> setEdges()
// New positions of the same scene move the points smoothly (500 ms) instead of jumping.

#include <QWidget>
#include <optional>
#include <vector>

#include "inspect/nearest_neighbours.h"
#include "inspect/token_projection.h"
#include "inspect/token_table.h"
#include "views/lattice/lattice_scene.h"

class QCheckBox;
class QComboBox;
class QElapsedTimer;
class QLabel;
class QLineEdit;
class QSplitter;
class QToolButton;
class QVariantAnimation;
class QTimer;

namespace cllm::views {

class TokenDetailsPanel;
class VtkGlWidget;

class LatticeView : public QWidget {
  Q_OBJECT

 public:
  enum class ColorBy { ClockClass, Frequency, PrimeIndex, ValidationLoss };
  Q_ENUM(ColorBy)

  explicit LatticeView(QWidget* parent = nullptr);
  ~LatticeView() override;

  // A new vocabulary (or none): clears the selection, losses and edges; positions follow by setProjection.
  void setTokens(std::vector<TokenInfo> tokens);
  const std::vector<TokenInfo>& tokens() const { return tokens_; }
  // Positions of every token of the current vocabulary for projection.scene (ignored for another scene).
  void setProjection(const TokenProjection& projection, bool animate);
  // Shown when there is nothing to draw (no model yet) or something went wrong.
  void setMessage(const QString& message);
  void setTokenLoss(std::vector<double> loss);  // NaN for tokens never predicted
  void setSelection(int32_t id, std::vector<Neighbour> neighbours);
  void setEdges(std::vector<std::pair<int32_t, int32_t>> edges);

  QString scene() const;  // "pca3d", "pca2d", "cone", "clock", "helix", "ulam", "rings", "clock4d"
  void setScene(const QString& scene);
  static bool isAnimatedScene(const QString& scene);
  ColorBy colorBy() const;
  void setColorBy(ColorBy colorBy);
  bool sizeByFrequency() const;
  void setSizeByFrequency(bool on);
  bool labelsShown() const;
  void setLabelsShown(bool on);
  bool edgesShown() const;
  void setEdgesShown(bool on);
  int neighbourCount() const;
  void setNeighbourCount(int count);
  Distance distance() const;
  void setDistance(Distance distance);

  int32_t selectedToken() const { return selected_; }
  bool isIsolated() const { return isolated_; }
  bool isPlaying() const;
  void setPlaying(bool playing);
  // Finds a token by its label (exact, then ignoring case, then by prefix) and asks to select it.
  bool searchToken(const QString& text);
  bool exportPng(const QString& path);

  // Null until the view is first painted: a window with an OpenGL widget in it composes every repaint
  // through OpenGL (150 ms a frame with software rendering), so the 3-D widget exists only once seen.
  VtkGlWidget* glWidget() const { return gl_; }
  const LatticeScene* sceneGraph() const { return scene_.get(); }  // null with glWidget()
  TokenDetailsPanel* details() const { return details_; }
  // The token's position in the current scene (null when it has none), and where it is on screen
  // (widget coordinates), for tests and the fly-to.
  const float* positionOf(int32_t id) const;
  std::optional<QPoint> screenPositionOf(int32_t id) const;

 signals:
  void sceneChanged(const QString& scene);
  void tokenPicked(int32_t id);  // -1 clears the selection
  void neighboursWanted();
  void tokenLossWanted();
  void edgesWanted();
  void settingsChanged();

 private:
  void ensureGl();
  QWidget* buildToolBar();
  void rebuild();
  void refreshDetails();
  void onClicked(QPoint position);
  void animateTo(std::vector<float> target);
  void stepAnimation();
  void updateAnimatedPositions();

  VtkGlWidget* gl_ = nullptr;
  std::unique_ptr<LatticeScene> scene_;
  QSplitter* split_;
  TokenDetailsPanel* details_;
  QComboBox *sceneCombo_, *colorCombo_;
  QCheckBox *sizeCheck_, *labelsCheck_, *edgesCheck_;
  QToolButton *playButton_, *resetButton_, *exportButton_;
  QLineEdit* search_;
  QLabel* status_;

  std::vector<TokenInfo> tokens_;
  std::vector<double> loss_;
  std::vector<float> xyz_;  // [V, 3] in id order, as currently drawn
  std::vector<std::string> axisTitles_;
  QString projectedScene_;  // the scene xyz_ belongs to
  QString message_;
  int32_t selected_ = -1;
  std::vector<Neighbour> neighbours_;
  std::vector<std::pair<int32_t, int32_t>> edges_;
  bool isolated_ = false;
  std::vector<int> pointOfToken_;  // token id -> shown point index, or -1

  QVariantAnimation* move_;
  std::vector<float> moveFrom_, moveTo_;
  QTimer* clock_;
  std::unique_ptr<QElapsedTimer> playTime_;
  double animationSeconds_ = 0;
  bool cameraPending_ = true;
};

}  // namespace cllm::views
