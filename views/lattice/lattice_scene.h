#pragma once
// The VTK pipeline of the 3-D view: every token as one point sprite (one vtkPointGaussianMapper for all
// points, never an actor per point, so 50,000 tokens stay interactive), coloured through a lookup table
// with a legend, sized per point; labels for a few tokens; optional neighbour edges; a highlight of the
// selected token and its neighbours; a caption. It knows nothing of Qt widgets or of the model: the
// LatticeView fills a SceneContent and calls show(), or setPositions() while positions animate.
//
// Coordinates are float xyz triples, one per shown point; `ids` names the token of each point.

#include <vtkNew.h>
#include <QString>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

class vtkActor;
class vtkBillboardTextActor3D;
class vtkLookupTable;
class vtkPointGaussianMapper;
class vtkPolyData;
class vtkPolyDataMapper;
class vtkRenderWindow;
class vtkRenderer;
class vtkScalarBarActor;
class vtkTextActor;

namespace cllm::views {

struct SceneContent {
  enum class Legend { Categorical, Linear, Log };
  std::vector<float> xyz;     // 3 per shown point
  std::vector<int32_t> ids;   // token of each shown point
  std::vector<float> colors;  // one value per shown point (NaN: grey)
  std::vector<float> sizes;   // relative sprite radius per shown point (1 = normal)
  Legend legend = Legend::Linear;
  QString legendTitle;
  std::vector<std::pair<float, QString>> categories;  // Categorical: value and its name, in legend order
  std::vector<std::pair<int, QString>> labels;        // point index and text
  std::vector<std::pair<int, int>> edges;             // point index pairs
  int selected = -1;                                  // point index
  std::vector<int> neighbours;                        // point indices
  QString caption;                                    // upper-left text, e.g. the PCA variance shares
};

class LatticeScene {
 public:
  // Adds its renderer to `window`.
  explicit LatticeScene(vtkRenderWindow* window);
  ~LatticeScene();
  LatticeScene(const LatticeScene&) = delete;
  LatticeScene& operator=(const LatticeScene&) = delete;

  vtkRenderer* renderer() const;
  void show(const SceneContent& content);
  // Moves the shown points (same count and order as the last show()); labels, edges and highlight follow.
  void setPositions(std::span<const float> xyz);
  const SceneContent& content() const { return content_; }

  // The shown point under a display position (VTK device pixels, y up), within a few pixels, nearest to
  // the camera when several are; -1 if none.
  int pick(int x, int y) const;
  // Where a shown point appears (VTK device pixels, y up); false when it is behind the camera.
  bool toDisplay(int point, double& x, double& y) const;
  void resetCamera();
  // Points the camera at a shown point, keeping the viewing direction.
  void focusOn(int point);
  // Radius of a sprite of size 1 in world units.
  float spriteRadius() const { return radius_; }

 private:
  void rebuildPoints();
  void rebuildOverlays();

  SceneContent content_;
  float radius_ = 0.01f;
  float diagonal_ = 1.0f;  // of the shown points' bounding box
  vtkNew<vtkRenderer> renderer_;
  vtkNew<vtkRenderer> labelLayer_;  // drawn over the points with the same camera, so labels stay readable
  vtkNew<vtkPolyData> points_;
  vtkNew<vtkPointGaussianMapper> pointsMapper_;
  vtkNew<vtkActor> pointsActor_;
  vtkNew<vtkLookupTable> lut_;
  vtkNew<vtkScalarBarActor> legend_;
  vtkNew<vtkPolyData> edges_;
  vtkNew<vtkPolyDataMapper> edgesMapper_;
  vtkNew<vtkActor> edgesActor_;
  vtkNew<vtkPolyData> highlight_;
  vtkNew<vtkPointGaussianMapper> highlightMapper_;
  vtkNew<vtkActor> highlightActor_;
  vtkNew<vtkTextActor> caption_;
  std::vector<vtkBillboardTextActor3D*> labels_;
};

}  // namespace cllm::views
