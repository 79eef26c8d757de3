#include "views/lattice/lattice_scene.h"

#include <vtkActor.h>
#include <vtkBillboardTextActor3D.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkIntArray.h>
#include <vtkLookupTable.h>
#include <vtkMatrix4x4.h>
#include <vtkPointData.h>
#include <vtkPointGaussianMapper.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkStringArray.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVariant.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cllm::views {

namespace {

// Each sprite is drawn as a shaded disc that reads as a small sphere; fragments outside the unit
// circle are dropped, so sprites do not show their square.
constexpr const char* kSphereSplat =
    "//VTK::Color::Impl\n"
    "float r2 = dot(offsetVCVSOutput.xy, offsetVCVSOutput.xy);\n"
    "if (r2 > 1.0) { discard; }\n"
    "float shade = 0.45 + 0.55 * sqrt(1.0 - r2);\n"
    "ambientColor *= shade;\n"
    "diffuseColor *= shade;\n";

// Viridis, sampled: perceptually even and readable by colour-blind users.
std::array<double, 3> viridis(double t) {
  static constexpr std::array<std::array<double, 3>, 5> stops = {{{0.267, 0.005, 0.329},
                                                                  {0.229, 0.322, 0.546},
                                                                  {0.128, 0.567, 0.551},
                                                                  {0.369, 0.789, 0.383},
                                                                  {0.993, 0.906, 0.144}}};
  t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(t), stops.size() - 2);
  const double f = t - i;
  return {stops[i][0] + f * (stops[i + 1][0] - stops[i][0]),
          stops[i][1] + f * (stops[i + 1][1] - stops[i][1]),
          stops[i][2] + f * (stops[i + 1][2] - stops[i][2])};
}

// Tableau 10: distinguishable categories.
std::array<double, 3> category(size_t i) {
  static constexpr std::array<std::array<int, 3>, 10> tableau = {{{78, 121, 167},
                                                                  {242, 142, 43},
                                                                  {225, 87, 89},
                                                                  {118, 183, 178},
                                                                  {89, 161, 79},
                                                                  {237, 201, 72},
                                                                  {176, 122, 161},
                                                                  {255, 157, 167},
                                                                  {156, 117, 95},
                                                                  {186, 176, 172}}};
  const auto& c = tableau[i % tableau.size()];
  return {c[0] / 255.0, c[1] / 255.0, c[2] / 255.0};
}

}  // namespace

LatticeScene::LatticeScene(vtkRenderWindow* window) {
  window->SetNumberOfLayers(2);
  window->AddRenderer(renderer_);
  window->AddRenderer(labelLayer_);
  labelLayer_->SetLayer(1);
  labelLayer_->InteractiveOff();
  labelLayer_->SetActiveCamera(renderer_->GetActiveCamera());
  renderer_->GradientBackgroundOn();
  renderer_->SetBackground(0.08, 0.09, 0.11);
  renderer_->SetBackground2(0.19, 0.21, 0.25);

  pointsMapper_->SetInputData(points_);
  pointsMapper_->SetScaleArray("size");
  pointsMapper_->SetScaleFactor(1.0);
  pointsMapper_->SetSplatShaderCode(kSphereSplat);
  pointsMapper_->EmissiveOff();
  pointsMapper_->SetLookupTable(lut_);
  pointsMapper_->SetScalarModeToUsePointFieldData();
  pointsMapper_->SelectColorArray("color");
  pointsMapper_->UseLookupTableScalarRangeOn();
  pointsMapper_->ScalarVisibilityOn();
  pointsActor_->SetMapper(pointsMapper_);
  renderer_->AddActor(pointsActor_);

  lut_->SetNanColor(0.55, 0.55, 0.55, 1.0);
  legend_->SetLookupTable(lut_);
  legend_->SetMaximumWidthInPixels(120);
  legend_->SetPosition(0.86, 0.10);
  legend_->SetWidth(0.13);
  legend_->SetHeight(0.8);
  legend_->SetNumberOfLabels(5);
  legend_->GetTitleTextProperty()->SetFontSize(13);
  legend_->GetLabelTextProperty()->SetFontSize(11);
  legend_->UnconstrainedFontSizeOn();
  labelLayer_->AddActor2D(legend_);

  edgesMapper_->SetInputData(edges_);
  edgesMapper_->ScalarVisibilityOff();
  edgesActor_->SetMapper(edgesMapper_);
  edgesActor_->GetProperty()->SetColor(0.75, 0.78, 0.85);
  edgesActor_->GetProperty()->SetOpacity(0.35);
  edgesActor_->PickableOff();
  renderer_->AddActor(edgesActor_);

  highlightMapper_->SetInputData(highlight_);
  highlightMapper_->SetScaleArray("size");
  highlightMapper_->SetSplatShaderCode(kSphereSplat);
  highlightMapper_->EmissiveOff();
  highlightMapper_->SetColorModeToDirectScalars();
  highlightMapper_->SetScalarModeToUsePointFieldData();
  highlightMapper_->SelectColorArray("rgb");
  highlightMapper_->ScalarVisibilityOn();
  highlightActor_->SetMapper(highlightMapper_);
  highlightActor_->PickableOff();
  // Over the points, not among them: the same sprite at the same depth would flicker (z-fighting).
  labelLayer_->AddActor(highlightActor_);

  caption_->GetTextProperty()->SetFontSize(14);
  caption_->GetTextProperty()->SetColor(0.92, 0.93, 0.95);
  caption_->GetTextProperty()->SetVerticalJustificationToTop();
  caption_->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  caption_->GetPositionCoordinate()->SetValue(0.01, 0.98);
  labelLayer_->AddActor2D(caption_);
}

LatticeScene::~LatticeScene() {
  for (vtkBillboardTextActor3D* label : labels_) label->Delete();
}

vtkRenderer* LatticeScene::renderer() const {
  return renderer_.Get();
}

void LatticeScene::show(const SceneContent& content) {
  content_ = content;
  rebuildPoints();
  rebuildOverlays();
}

void LatticeScene::rebuildPoints() {
  const size_t n = content_.ids.size();
  vtkNew<vtkPoints> points;
  points->SetDataTypeToFloat();
  points->SetNumberOfPoints(static_cast<vtkIdType>(n));
  float lo[3] = {std::numeric_limits<float>::max(), std::numeric_limits<float>::max(),
                 std::numeric_limits<float>::max()};
  float hi[3] = {-lo[0], -lo[1], -lo[2]};
  for (size_t i = 0; i < n; ++i) {
    const float* p = &content_.xyz[3 * i];
    points->SetPoint(static_cast<vtkIdType>(i), p);
    for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], p[k]), hi[k] = std::max(hi[k], p[k]);
  }
  // Sprites shrink as the cube root of the count: a 65-token vocabulary gets big beads, 50,000 tokens fine
  // grain.
  const float diagonal = n == 0 ? 1.0f : std::hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  diagonal_ = std::max(1e-6f, diagonal);
  radius_ = diagonal_ * 0.065f / std::max(2.0f, std::cbrt(static_cast<float>(n)));
  points_->SetPoints(points);

  vtkNew<vtkFloatArray> colors, sizes;
  colors->SetName("color");
  sizes->SetName("size");
  vtkNew<vtkIntArray> ids;
  ids->SetName("token");
  colors->SetNumberOfValues(static_cast<vtkIdType>(n));
  sizes->SetNumberOfValues(static_cast<vtkIdType>(n));
  ids->SetNumberOfValues(static_cast<vtkIdType>(n));
  float cmin = std::numeric_limits<float>::max(), cmax = -cmin;
  for (size_t i = 0; i < n; ++i) {
    const float c = i < content_.colors.size() ? content_.colors[i] : std::numeric_limits<float>::quiet_NaN();
    colors->SetValue(static_cast<vtkIdType>(i), c);
    if (std::isfinite(c) && (content_.legend != SceneContent::Legend::Log || c > 0))
      cmin = std::min(cmin, c), cmax = std::max(cmax, c);
    sizes->SetValue(static_cast<vtkIdType>(i),
                    radius_ * (i < content_.sizes.size() ? content_.sizes[i] : 1.0f));
    ids->SetValue(static_cast<vtkIdType>(i), content_.ids[i]);
  }
  points_->GetPointData()->Initialize();
  points_->GetPointData()->AddArray(colors);
  points_->GetPointData()->AddArray(sizes);
  points_->GetPointData()->AddArray(ids);
  points_->Modified();

  lut_->ResetAnnotations();
  if (content_.legend == SceneContent::Legend::Categorical) {
    lut_->IndexedLookupOn();
    lut_->SetNumberOfTableValues(static_cast<vtkIdType>(content_.categories.size()));
    for (size_t i = 0; i < content_.categories.size(); ++i) {
      const auto c = category(i);
      lut_->SetTableValue(static_cast<vtkIdType>(i), c[0], c[1], c[2], 1.0);
      lut_->SetAnnotation(vtkVariant(content_.categories[i].first),
                          content_.categories[i].second.toStdString());
    }
    legend_->DrawAnnotationsOn();
  } else {
    lut_->IndexedLookupOff();
    lut_->SetScale(content_.legend == SceneContent::Legend::Log ? VTK_SCALE_LOG10 : VTK_SCALE_LINEAR);
    if (!(cmin <= cmax)) cmin = cmax = 1;
    if (cmin == cmax) cmax = cmin + 1;
    lut_->SetTableRange(cmin, cmax);
    lut_->SetNumberOfTableValues(256);
    for (int i = 0; i < 256; ++i) {
      const auto c = viridis(i / 255.0);
      lut_->SetTableValue(i, c[0], c[1], c[2], 1.0);
    }
    legend_->DrawAnnotationsOff();
  }
  lut_->Build();
  legend_->SetTitle(content_.legendTitle.toStdString().c_str());
  legend_->SetVisibility(n > 0);
}

void LatticeScene::rebuildOverlays() {
  for (vtkBillboardTextActor3D* label : labels_) {
    labelLayer_->RemoveActor(label);
    label->Delete();
  }
  labels_.clear();
  for (const auto& [point, text] : content_.labels) {
    auto* label = vtkBillboardTextActor3D::New();
    label->SetInput(text.toStdString().c_str());
    label->GetTextProperty()->SetFontSize(13);
    label->GetTextProperty()->SetColor(1.0, 1.0, 1.0);
    label->GetTextProperty()->SetShadow(true);
    label->SetDisplayOffset(6, 6);
    label->PickableOff();
    labelLayer_->AddActor(label);
    labels_.push_back(label);
  }

  vtkNew<vtkCellArray> lines;
  for (const auto& [a, b] : content_.edges) {
    const vtkIdType line[2] = {a, b};
    lines->InsertNextCell(2, line);
  }
  edges_->SetLines(lines);
  edgesActor_->SetVisibility(!content_.edges.empty());

  vtkNew<vtkFloatArray> sizes;
  sizes->SetName("size");
  vtkNew<vtkUnsignedCharArray> rgb;
  rgb->SetName("rgb");
  rgb->SetNumberOfComponents(3);
  auto add = [&](int point, float scale, std::array<unsigned char, 3> color) {
    if (point < 0 || static_cast<size_t>(point) >= content_.ids.size()) return;
    sizes->InsertNextValue(
        radius_ * scale *
        (static_cast<size_t>(point) < content_.sizes.size() ? content_.sizes[point] : 1.0f));
    rgb->InsertNextTypedTuple(color.data());
  };
  for (int point : content_.neighbours) add(point, 1.15f, {80, 220, 255});
  add(content_.selected, 1.4f, {255, 221, 0});
  highlight_->GetPointData()->Initialize();
  highlight_->GetPointData()->AddArray(sizes);
  highlight_->GetPointData()->AddArray(rgb);
  highlightActor_->SetVisibility(sizes->GetNumberOfValues() > 0);

  caption_->SetInput(content_.caption.toStdString().c_str());
  setPositions(content_.xyz);
}

void LatticeScene::setPositions(std::span<const float> xyz) {
  if (xyz.size() != content_.xyz.size()) return;
  if (xyz.data() != content_.xyz.data()) content_.xyz.assign(xyz.begin(), xyz.end());
  vtkPoints* points = points_->GetPoints();
  if (!points) return;
  for (size_t i = 0; i < content_.ids.size(); ++i)
    points->SetPoint(static_cast<vtkIdType>(i), &content_.xyz[3 * i]);
  points->Modified();

  auto at = [&](int point) { return &content_.xyz[3 * static_cast<size_t>(point)]; };
  for (size_t i = 0; i < labels_.size(); ++i) {
    const float* p = at(content_.labels[i].first);
    labels_[i]->SetPosition(p[0], p[1], p[2]);
  }
  edges_->SetPoints(points);  // edges index the shown points directly
  edges_->Modified();

  vtkNew<vtkPoints> marked;
  marked->SetDataTypeToFloat();
  for (int point : content_.neighbours)
    if (point >= 0 && static_cast<size_t>(point) < content_.ids.size()) marked->InsertNextPoint(at(point));
  if (content_.selected >= 0 && static_cast<size_t>(content_.selected) < content_.ids.size())
    marked->InsertNextPoint(at(content_.selected));
  highlight_->SetPoints(marked);
  highlight_->Modified();
}

int LatticeScene::pick(int x, int y) const {
  const int* size = renderer_->GetSize();
  const int* origin = renderer_->GetOrigin();
  if (size[0] <= 0 || size[1] <= 0 || content_.ids.empty()) return -1;
  vtkCamera* camera = renderer_->GetActiveCamera();
  const double aspect = static_cast<double>(size[0]) / size[1];
  vtkMatrix4x4* m = camera->GetCompositeProjectionTransformMatrix(aspect, -1, 1);
  double e[4][4];
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) e[r][c] = m->GetElement(r, c);
  const double focal = camera->GetProjectionTransformMatrix(aspect, -1, 1)->GetElement(1, 1);
  int best = -1;
  double bestDepth = std::numeric_limits<double>::max();
  for (size_t i = 0; i < content_.ids.size(); ++i) {
    const float* p = &content_.xyz[3 * i];
    double clip[4];
    for (int r = 0; r < 4; ++r) clip[r] = e[r][0] * p[0] + e[r][1] * p[1] + e[r][2] * p[2] + e[r][3];
    if (clip[3] <= 0) continue;  // behind the camera
    const double px = origin[0] + (clip[0] / clip[3] + 1) * 0.5 * size[0];
    const double py = origin[1] + (clip[1] / clip[3] + 1) * 0.5 * size[1];
    const double depth = clip[2] / clip[3];
    // The sprite's radius on screen, but never less than a few pixels: small points stay clickable.
    const float scale = i < content_.sizes.size() ? content_.sizes[i] : 1.0f;
    const double radius = std::max(5.0, radius_ * scale * focal / clip[3] * 0.5 * size[1]);
    const double dx = px - x, dy = py - y;
    if (dx * dx + dy * dy <= radius * radius && depth < bestDepth) {
      best = static_cast<int>(i);
      bestDepth = depth;
    }
  }
  return best;
}

bool LatticeScene::toDisplay(int point, double& x, double& y) const {
  const int* size = renderer_->GetSize();
  const int* origin = renderer_->GetOrigin();
  if (point < 0 || static_cast<size_t>(point) >= content_.ids.size() || size[0] <= 0 || size[1] <= 0)
    return false;
  vtkMatrix4x4* m = renderer_->GetActiveCamera()->GetCompositeProjectionTransformMatrix(
      static_cast<double>(size[0]) / size[1], -1, 1);
  const float* p = &content_.xyz[3 * static_cast<size_t>(point)];
  double clip[4];
  for (int r = 0; r < 4; ++r)
    clip[r] = m->GetElement(r, 0) * p[0] + m->GetElement(r, 1) * p[1] + m->GetElement(r, 2) * p[2] +
              m->GetElement(r, 3);
  if (clip[3] <= 0) return false;
  x = origin[0] + (clip[0] / clip[3] + 1) * 0.5 * size[0];
  y = origin[1] + (clip[1] / clip[3] + 1) * 0.5 * size[1];
  return true;
}

void LatticeScene::resetCamera() {
  vtkCamera* camera = renderer_->GetActiveCamera();
  camera->SetPosition(0, 0, 1);
  camera->SetFocalPoint(0, 0, 0);
  camera->SetViewUp(0, 1, 0);
  renderer_->ResetCamera();
  camera->Elevation(20);
  camera->Azimuth(25);
  camera->OrthogonalizeViewUp();
  renderer_->ResetCameraClippingRange();
}

void LatticeScene::focusOn(int point) {
  if (point < 0 || static_cast<size_t>(point) >= content_.ids.size()) return;
  vtkCamera* camera = renderer_->GetActiveCamera();
  const float* p = &content_.xyz[3 * static_cast<size_t>(point)];
  double direction[3];
  camera->GetDirectionOfProjection(direction);
  // The distance that frames the whole scene in this viewport (VTK allows for its shape), then closer:
  // the token in the middle, its neighbourhood and some of the rest around it, viewed as before.
  renderer_->ResetCamera();
  const double distance = 0.6 * camera->GetDistance();
  camera->SetFocalPoint(p[0], p[1], p[2]);
  camera->SetPosition(p[0] - direction[0] * distance, p[1] - direction[1] * distance, p[2] - direction[2] * distance);
  renderer_->ResetCameraClippingRange();
}

}  // namespace cllm::views
