#pragma once
// Feeds the 3-D view from the document: the current model's vocabulary (token table with frequencies),
// the projection of the chosen scene (PCA of the learned embeddings, or a lattice map), the selected
// token's nearest neighbours, per-token validation loss and neighbour edges. Heavy work (PCA, losses,
// edges, counting a checkpoint's corpus) runs on the thread pool, one job of each kind at a time; a
// newer request replaces a waiting one, so the view follows training without queueing stale work.
//
// Live PCA: while the view is visible and shows the learned embeddings, the controller is a snapshot
// consumer of the document (one snapshot a second while training); each snapshot's embeddings are
// projected with their axes aligned to the previous projection, and the view moves the points smoothly.
//
// GUI thread only (the jobs it starts copy what they need).

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <vector>

#include "inspect/token_projection.h"
#include "model_snapshot.h"

namespace cllm::views {
class LatticeView;
}

namespace cllm::app {

class WorkbenchDocument;

class LatticeController : public QObject {
  Q_OBJECT

 public:
  LatticeController(WorkbenchDocument& document, views::LatticeView& view, QObject* parent = nullptr);
  ~LatticeController() override;

  // The dock is visible (live updates are requested only then).
  void setVisible(bool visible);
  // Snapshot period of the live PCA while training.
  static constexpr int kLivePeriodMs = 1000;
  // Projections delivered to the view since construction (tests wait for this to grow).
  int projectionsShown() const { return projectionsShown_; }

 private:
  // Frequencies and validation tokens of a model, where they can be found.
  struct TokenData {
    std::shared_ptr<const std::vector<int64_t>> frequencies;
    std::shared_ptr<const std::vector<int32_t>> validation;
  };

  void onModel(const ModelSnapshotPtr& model);
  void showVocabulary(const TokenData& data);
  void project(bool animate);
  void showSelection();
  void computeLoss();
  void computeEdges();
  void updateLiveRequest();
  // Runs `work` on the thread pool and `done` with its result here, unless this controller is gone.
  template <typename Result>
  void run(std::function<Result()> work, std::function<void(Result)> done);

  WorkbenchDocument& document_;
  QPointer<views::LatticeView> view_;
  ModelSnapshotPtr model_;                       // the model shown
  std::shared_ptr<const Tokenizer> vocabulary_;  // its tokenizer (a new one means a new vocabulary)
  TokenData data_;
  std::shared_ptr<const std::vector<float>> embeddings_;  // [V, C] of model_
  TokenProjection last_;
  bool visible_ = false, live_ = false;
  bool projecting_ = false, projectAgain_ = false, animateAgain_ = false;
  bool lossRunning_ = false;
  int projectionsShown_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace cllm::app
