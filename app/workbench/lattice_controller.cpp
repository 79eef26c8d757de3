#include "lattice_controller.h"

#include <QFutureWatcher>
#include <QtConcurrent>
#include <algorithm>
#include <numeric>

#include "inspect/embedding_matrix.h"
#include "inspect/nearest_neighbours.h"
#include "inspect/per_token_loss.h"
#include "inspect/token_table.h"
#include "inspect/training_corpus.h"
#include "views/lattice/lattice_view.h"
#include "workbench_document.h"

namespace cllm::app {

namespace {

// Edges join the most frequent tokens (at most this many) to their nearest neighbours among them:
// enough to see clusters, few enough to stay readable and fast.
constexpr int kEdgeTokens = 1500;
constexpr int kEdgesPerToken = 3;
// Per-token loss looks at this many evaluation batches of the validation split (spread evenly).
constexpr int kLossBatches = 40;

}  // namespace

LatticeController::LatticeController(WorkbenchDocument& document, views::LatticeView& view, QObject* parent)
    : QObject(parent), document_(document), view_(&view) {
  connect(&document_, &WorkbenchDocument::currentModelChanged, this, &LatticeController::onModel);
  connect(&document_, &WorkbenchDocument::tokenSelected, this, &LatticeController::showSelection);
  connect(&document_, &WorkbenchDocument::trainingStateChanged, this, &LatticeController::updateLiveRequest);
  connect(&view, &views::LatticeView::tokenPicked, &document_, &WorkbenchDocument::selectToken);
  connect(&view, &views::LatticeView::neighboursWanted, this, &LatticeController::showSelection);
  connect(&view, &views::LatticeView::tokenLossWanted, this, &LatticeController::computeLoss);
  connect(&view, &views::LatticeView::edgesWanted, this, &LatticeController::computeEdges);
  connect(&view, &views::LatticeView::sceneChanged, this, [this] {
    updateLiveRequest();
    project(false);
    showSelection();  // neighbours exist in the embedding scenes only
  });
  onModel(document_.currentModel());
}

LatticeController::~LatticeController() {
  *alive_ = false;
}

template <typename Result>
void LatticeController::run(std::function<Result()> work, std::function<void(Result)> done) {
  auto* watcher = new QFutureWatcher<Result>(this);
  connect(watcher, &QFutureWatcher<Result>::finished, this, [watcher, done] {
    watcher->deleteLater();
    done(watcher->result());
  });
  watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void LatticeController::setVisible(bool visible) {
  visible_ = visible;
  updateLiveRequest();
}

void LatticeController::updateLiveRequest() {
  const bool live = visible_ && view_ && is_pca_scene(view_->scene().toStdString());
  if (live == live_) return;
  live_ = live;
  if (live)
    document_.addSnapshotConsumer(this, kLivePeriodMs);
  else
    document_.removeSnapshotConsumer(this);
}

void LatticeController::onModel(const ModelSnapshotPtr& model) {
  if (!view_) return;
  if (!model) {
    model_.reset();
    vocabulary_.reset();
    embeddings_.reset();
    view_->setTokens({});
    view_->setMessage(tr("No model yet: start training or load a checkpoint."));
    return;
  }
  model_ = model;
  embeddings_ = std::make_shared<const std::vector<float>>(token_embeddings(*model->model));
  if (model->tokenizer == vocabulary_) {  // new weights, same vocabulary: the points move
    project(true);
    showSelection();
    if (view_->edgesShown()) computeEdges();
    if (view_->colorBy() == views::LatticeView::ColorBy::ValidationLoss) computeLoss();
    return;
  }
  vocabulary_ = model->tokenizer;
  last_ = {};
  if (model->tokenFrequencies) {
    showVocabulary({model->tokenFrequencies, model->validationTokens});
    return;
  }
  // A checkpoint: count its training corpus, if it can still be found, off the GUI thread.
  showVocabulary({});
  if (!model->corpus) return;
  const CorpusIdentity corpus = *model->corpus;
  const double fraction = model->validationFraction;
  const std::shared_ptr<const Tokenizer> tokenizer = model->tokenizer;
  run<std::shared_ptr<CorpusTokens>>(
      [corpus, fraction, tokenizer] {
        auto tokens = std::make_shared<CorpusTokens>();
        try {
          *tokens = training_corpus_tokens(corpus, fraction, *tokenizer);
        } catch (const std::exception& e) {
          tokens->source = e.what();
        }
        return tokens;
      },
      [this, tokenizer, alive = alive_](std::shared_ptr<CorpusTokens> tokens) {
        if (!*alive || !view_ || vocabulary_ != tokenizer || !tokens->found()) return;
        showVocabulary({std::make_shared<const std::vector<int64_t>>(std::move(tokens->frequencies)),
                        std::make_shared<const std::vector<int32_t>>(std::move(tokens->validation))});
      });
}

void LatticeController::showVocabulary(const TokenData& data) {
  data_ = data;
  const std::vector<int64_t> none;
  view_->setTokens(token_table(*vocabulary_, data.frequencies ? *data.frequencies : none));
  project(false);
  showSelection();
}

void LatticeController::project(bool animate) {
  if (!view_ || !model_ || views::LatticeView::isAnimatedScene(view_->scene())) return;
  const std::string scene = view_->scene().toStdString();
  if (!is_pca_scene(scene) && animate) return;  // the lattice maps do not depend on the weights
  if (projecting_) {                            // one job at a time; the newest request runs next
    projectAgain_ = true;
    animateAgain_ = animate;
    return;
  }
  projecting_ = true;
  const auto embeddings = embeddings_;
  const int vocab = model_->tokenizer->vocab_size(), dim = model_->model->config().n_embd;
  auto previous = std::make_shared<TokenProjection>(last_);
  const std::shared_ptr<const Tokenizer> tokenizer = vocabulary_;
  run<std::shared_ptr<TokenProjection>>(
      [scene, embeddings, vocab, dim, previous] {
        auto p = std::make_shared<TokenProjection>();
        try {
          *p = project_tokens(scene, *embeddings, vocab, dim, previous.get());
        } catch (const std::exception& e) {
          p->scene = "error";
          p->axis_titles = {e.what()};
        }
        return p;
      },
      [this, animate, tokenizer, alive = alive_](std::shared_ptr<TokenProjection> p) {
        if (!*alive) return;
        projecting_ = false;
        if (view_ && tokenizer == vocabulary_) {
          if (p->scene == "error") {
            view_->setMessage(QString::fromStdString(p->axis_titles.front()));
          } else {
            view_->setProjection(*p, animate);
            last_ = std::move(*p);
            ++projectionsShown_;
          }
        }
        if (std::exchange(projectAgain_, false)) project(animateAgain_);
      });
}

void LatticeController::showSelection() {
  if (!view_) return;
  const int32_t id = document_.selectedToken();
  std::vector<Neighbour> neighbours;
  const bool embeddingScene = is_pca_scene(view_->scene().toStdString());
  if (id >= 0 && embeddings_ && model_ && embeddingScene) {
    // One query is a pass over V × C values: milliseconds even for 50,000 tokens, so it runs here.
    const int vocab = model_->tokenizer->vocab_size(), dim = model_->model->config().n_embd;
    if (id < vocab)
      neighbours =
          nearest_neighbours(embeddings_->data(), vocab, dim, id, view_->neighbourCount(), view_->distance());
  }
  view_->setSelection(id, std::move(neighbours));
}

void LatticeController::computeLoss() {
  if (!view_ || !model_ || lossRunning_) return;
  if (!data_.validation || data_.validation->size() < 2) {
    view_->setMessage(tr("Validation loss per token needs the run's corpus, which was not found."));
    return;
  }
  lossRunning_ = true;
  const ModelSnapshotPtr model = model_;
  const auto validation = data_.validation;
  run<std::shared_ptr<std::vector<double>>>(
      [model, validation] {
        auto loss = std::make_shared<std::vector<double>>();
        try {
          // Forward passes need their own activations: a private copy of the weights.
          Gpt copy(model->model->config());
          std::ranges::copy(model->model->parameters(), copy.parameters().begin());
          const int block = std::min<int>(model->model->config().block_size, int(validation->size()) - 1);
          *loss = per_token_loss(copy, *validation, block, kLossBatches, 8);
        } catch (const std::exception&) {
          loss->clear();
        }
        return loss;
      },
      [this, model, alive = alive_](std::shared_ptr<std::vector<double>> loss) {
        if (!*alive) return;
        lossRunning_ = false;
        if (view_ && model_ && model_->tokenizer == model->tokenizer) view_->setTokenLoss(std::move(*loss));
      });
}

void LatticeController::computeEdges() {
  if (!view_ || !model_ || !embeddings_) return;
  const int vocab = model_->tokenizer->vocab_size(), dim = model_->model->config().n_embd;
  // Ids are assigned by frequency for char and word vocabularies; with counts, sort by them.
  std::vector<int32_t> subset(vocab);
  std::iota(subset.begin(), subset.end(), 0);
  if (data_.frequencies)
    std::stable_sort(subset.begin(), subset.end(),
                     [&](int32_t a, int32_t b) { return (*data_.frequencies)[a] > (*data_.frequencies)[b]; });
  subset.resize(std::min(vocab, kEdgeTokens));
  const auto embeddings = embeddings_;
  const Distance distance = view_->distance();
  const std::shared_ptr<const Tokenizer> tokenizer = vocabulary_;
  run<std::shared_ptr<std::vector<std::pair<int32_t, int32_t>>>>(
      [embeddings, vocab, dim, distance, subset] {
        auto edges = std::make_shared<std::vector<std::pair<int32_t, int32_t>>>();
        try {
          const auto graph =
              neighbour_graph(embeddings->data(), vocab, dim, kEdgesPerToken, distance, subset);
          for (size_t i = 0; i < graph.size(); ++i)
            for (const Neighbour& n : graph[i]) edges->emplace_back(subset[i], n.id);
        } catch (const std::exception&) {
          edges->clear();  // nothing drawn; the shapes come from this model, so this does not happen
        }
        return edges;
      },
      [this, tokenizer, alive = alive_](std::shared_ptr<std::vector<std::pair<int32_t, int32_t>>> edges) {
        if (*alive && view_ && tokenizer == vocabulary_) view_->setEdges(std::move(*edges));
      });
}

}  // namespace cllm::app
