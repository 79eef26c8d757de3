#include "workbench_document.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

#include "checkpoint_summary.h"
#include "io/checkpoint.h"
#include "kernels/threading.h"
#include "util/error.h"
#include "views/charts/run_colors.h"

namespace cllm::app {

namespace {

// Statuses of a run whose training process is (or was) alive.
bool isLiveStatus(const std::string& status) {
  return status == "starting" || status == "running" || status == "resuming" || status == "stopping";
}

bool processAlive(qint64 pid) {
  return pid > 0 && QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid));
}

// A preset's name when the shape is one, else "layers×width".
QString modelShapeName(const ModelConfig& m) {
  for (const std::string& name : model_preset_names()) {
    const ModelConfig p = model_preset(name);
    if (p.n_layer == m.n_layer && p.n_head == m.n_head && p.n_embd == m.n_embd)
      return QString::fromStdString(name);
  }
  return QStringLiteral("%1×%2").arg(m.n_layer).arg(m.n_embd);
}

}  // namespace

WorkbenchDocument::WorkbenchDocument(const QString& runsRoot, QObject* parent) : QObject(parent) {
  store_ = std::make_unique<RunStore>(runsRoot.isEmpty() ? RunStore::defaultRoot() : runsRoot);
  markInterruptedRuns();

  connect(&training_, &TrainingController::started, this, &WorkbenchDocument::onTrainingStarted);
  connect(&training_, &TrainingController::stepsReady, this,
          [this](const QList<StepRecord>& steps) { emit stepsAppended(activeRun_, steps); });
  connect(&training_, &TrainingController::progressed, this, &WorkbenchDocument::onProgress);
  connect(&training_, &TrainingController::evaluated, this, &WorkbenchDocument::onEvaluated);
  connect(&training_, &TrainingController::saved, this, &WorkbenchDocument::checkpointSaved);
  connect(&training_, &TrainingController::pausedChanged, this, [this](bool paused) {
    if (state_ == TrainingState::Stopping) return;
    setState(paused ? TrainingState::Paused : TrainingState::Running);
  });
  connect(&training_, &TrainingController::snapshotReady, this, &WorkbenchDocument::onSnapshot);
  connect(&training_, &TrainingController::failed, this,
          [this](const QString& message) { emit errorOccurred(tr("Training failed"), message); });
  connect(&training_, &TrainingController::finished, this, &WorkbenchDocument::onTrainingFinished);

  connect(&generation_, &GenerationController::tokensReady, this, &WorkbenchDocument::tokensGenerated);
  connect(&generation_, &GenerationController::finished, this, &WorkbenchDocument::generationFinished);
  connect(&generation_, &GenerationController::failed, this, &WorkbenchDocument::generationFailed);

  snapshotTimer_.setObjectName("snapshotTimer");
  connect(&snapshotTimer_, &QTimer::timeout, this, &WorkbenchDocument::requestSnapshot);
}

WorkbenchDocument::~WorkbenchDocument() {
  generation_.stop();
  training_.stop();
}

void WorkbenchDocument::markInterruptedRuns() {
  for (const views::RunEntry& run : store_->list()) {
    if (!isLiveStatus(run.status.toStdString())) continue;
    if (processAlive(store_->readInfo(run.id).value("pid", qint64(0))))
      continue;  // another workbench trains it
    try {
      store_->updateInfo(run.id, {{"status", "interrupted at step " + std::to_string(run.steps)}});
    } catch (const Error&) {
      // A read-only runs folder: the list still shows the stale status, nothing is lost.
    }
  }
}

void WorkbenchDocument::setState(TrainingState state) {
  if (state == state_) return;
  state_ = state;
  emit trainingStateChanged(state);
  updateSnapshotTimer();
}

// --- Training ---------------------------------------------------------------------------------------

QString WorkbenchDocument::newRunName(const TrainingSetup& setup) const {
  // Short and unique: "small char 3". The corpus is in the run's details, not its name.
  const QString base = QStringLiteral("%1 %2").arg(modelShapeName(setup.run.model),
                                                   QString::fromStdString(setup.run.tokenizer.kind));
  QStringList names;
  for (const views::RunEntry& run : store_->list()) names << run.name;
  for (int n = 1;; ++n) {
    const QString name = QStringLiteral("%1 %2").arg(base).arg(n);
    if (!names.contains(name)) return name;
  }
}

QString WorkbenchDocument::newRunColor() const {
  // The first palette colour no existing run has, so overlaid runs differ and keep their colour.
  QStringList used;
  for (const views::RunEntry& run : store_->list()) used << run.color;
  for (int i = 0;; ++i) {
    const QString color = views::runColor(i).name();
    if (!used.contains(color) || i > 200) return color;
  }
}

bool WorkbenchDocument::startTraining(const TrainingSetup& setup) {
  if (isTraining()) return false;
  return startRun(setup, {{"name", newRunName(setup).toStdString()}, {"color", newRunColor().toStdString()}});
}

bool WorkbenchDocument::startRun(const TrainingSetup& setup, const nlohmann::json& info) {
  TrainingRequest request;
  request.corpusPath = setup.corpusPath;
  request.run = setup.run;
  request.threads = setup.threads;
  activeTrainingThreads_ = setup.threads;
  try {
    activeRun_ = store_->createRun();
    request.runDir = store_->runDir(activeRun_);
    nlohmann::json fields = {
        {"format", "cllm-run"},
        {"version", 1},
        {"created", QDateTime::currentDateTime().toString(Qt::ISODate).toStdString()},
        {"corpus", setup.corpusPath.isEmpty() ? "built-in" : setup.corpusPath.toStdString()},
        {"status", "starting"},
        {"pid", QCoreApplication::applicationPid()},
        {"steps_done", 0}};
    fields.update(info);
    store_->writeInfo(activeRun_, fields);
  } catch (const Error& e) {
    emit errorOccurred(tr("Cannot start training"), QString::fromStdString(e.what()));
    activeRun_.clear();
    return false;
  }
  training_.start(request);
  setState(TrainingState::Preparing);
  emit runsChanged();
  return true;
}

// --- Ablation ---------------------------------------------------------------------------------------

bool WorkbenchDocument::startAblation(const AblationSetup& setup) {
  if (isTraining()) return false;
  Ablation a;
  a.base = setup.base;
  a.seeds = setup.seeds;
  try {
    AblationSettings check;
    for (const QString& spec : setup.variants)
      check.variants.push_back(parse_variant(setup.base.run.model, spec.trimmed().toStdString()));
    check.seeds.assign(setup.seeds.begin(), setup.seeds.end());
    check_ablation(check);
    a.variants = std::move(check.variants);
    // "ablation 3": one more than the ablations folder holds; the folder is named by the time.
    QDir root(store_->ablationsRoot());
    const int number = root.exists() ? int(root.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size()) + 1 : 1;
    a.name = tr("ablation %1").arg(number);
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    a.folder = root.filePath(stamp);
    for (int n = 2; QFileInfo::exists(a.folder); ++n)
      a.folder = root.filePath(stamp + "-" + QString::number(n));
    require(QDir().mkpath(a.folder), "cannot create the folder '" + a.folder.toStdString() + "'");
  } catch (const Error& e) {
    emit errorOccurred(tr("Cannot start the ablation"), QString::fromStdString(e.what()));
    return false;
  }
  ablation_ = std::move(a);
  startNextAblationRun();
  return true;
}

void WorkbenchDocument::startNextAblationRun() {
  Ablation& a = *ablation_;
  const int index = a.next++;
  const int variantIndex = a.variantIndex(index);
  const AblationVariant& variant = a.variants[size_t(variantIndex)];
  const quint64 seed = a.seed(index);
  TrainingSetup setup = a.base;
  setup.run.model = variant.model;
  setup.run.train.seed = seed;
  const QString variantName = QString::fromStdString(variant.name);
  emit ablationRunStarted(a.name, index, a.total(), variantName, seed);
  // Seeds of one variant share its colour, so the overlaid charts read by variant.
  const bool started =
      startRun(setup, {{"name", tr("%1 · %2 · seed %3").arg(a.name, variantName).arg(seed).toStdString()},
                       {"color", views::runColor(variantIndex).name().toStdString()},
                       {"ablation",
                        {{"name", a.name.toStdString()},
                         {"folder", a.folder.toStdString()},
                         {"variant", variant.name},
                         {"seed", seed}}}});
  if (!started) finishAblationRun("failed");
}

// After a run of the ablation ended: record it, start the next, or summarise and save.
void WorkbenchDocument::finishAblationRun(const QString& reason) {
  Ablation& a = *ablation_;
  const bool finished = reason == "finished" && !activeRun_.isEmpty();
  if (finished) {
    const int index = a.next - 1;  // the run that just ended
    const AblationVariant& variant = a.variants[size_t(a.variantIndex(index))];
    const RunMetrics m = store_->readMetrics(activeRun_);
    try {
      a.results.push_back(ablation_run_from_records(variant.name, a.seed(index), activeStart_.parameters,
                                                    std::span(m.steps.constData(), size_t(m.steps.size())),
                                                    std::span(m.evals.constData(), size_t(m.evals.size())),
                                                    m.lastWallSeconds));
    } catch (const Error& e) {
      emit errorOccurred(tr("Ablation"), QString::fromStdString(e.what()));
    }
  }
  const bool more = a.next < a.total();
  if (finished && more) {
    // After this run's finish has been announced to everyone.
    QTimer::singleShot(0, this, [this] {
      if (ablation_ && !isTraining()) startNextAblationRun();
    });
    return;
  }
  const Ablation done = std::move(*ablation_);
  ablation_.reset();
  std::vector<AblationRow> rows;
  try {
    if (done.results.empty())
      QDir().rmdir(done.folder);  // nothing to keep
    else
      rows = save_ablation(done.folder.toStdString(), done.results);
  } catch (const Error& e) {
    rows = summarize_ablation(done.results);
    emit errorOccurred(tr("Cannot save the ablation"), QString::fromStdString(e.what()));
  }
  emit ablationFinished(done.name, done.folder, rows, finished && !more);
}

bool WorkbenchDocument::resumeTraining(const QString& checkpoint, int totalSteps, int threads) {
  if (isTraining() || checkpoint.isEmpty()) return false;
  TrainingRequest request;
  try {
    const Checkpoint c = load_checkpoint(checkpoint.toStdString());
    require(c.training.has_value(),
            "'" + checkpoint.toStdString() + "' holds no training state (an inference-only checkpoint)");
    const QString corpus = QString::fromStdString(c.training->corpus.name);
    request.corpusPath = corpus == "built-in" ? QString() : corpus;
    request.resumeTotalSteps = totalSteps > c.training->steps_done ? totalSteps : 0;
    activeRun_ = store_->runOfCheckpoint(checkpoint);
    if (activeRun_
            .isEmpty()) {  // a checkpoint from elsewhere (e.g. the cllm command line) starts a run folder
      activeRun_ = store_->createRun();
      store_->writeInfo(activeRun_,
                        {{"format", "cllm-run"},
                         {"version", 1},
                         {"name", tr("resumed %1").arg(QFileInfo(checkpoint).fileName()).toStdString()},
                         {"color", newRunColor().toStdString()},
                         {"created", QDateTime::currentDateTime().toString(Qt::ISODate).toStdString()},
                         {"corpus", c.training->corpus.name}});
    }
    request.runDir = store_->runDir(activeRun_);
    store_->updateInfo(activeRun_, {{"status", "resuming"}, {"pid", QCoreApplication::applicationPid()}});
    request.wallOffset = store_->readMetrics(activeRun_).lastWallSeconds;
  } catch (const std::exception& e) {
    activeRun_.clear();
    emit errorOccurred(tr("Cannot resume"), QString::fromStdString(e.what()));
    return false;
  }
  request.resumeCheckpoint = checkpoint;
  request.threads = threads;
  activeTrainingThreads_ = threads;
  training_.start(request);
  setState(TrainingState::Preparing);
  emit runsChanged();
  return true;
}

void WorkbenchDocument::pauseTraining() {
  if (state_ != TrainingState::Running) return;
  training_.pause();
  setState(TrainingState::Pausing);  // Paused once the worker confirms it is idle
}

void WorkbenchDocument::continueTraining() {
  if (state_ == TrainingState::Paused || state_ == TrainingState::Pausing) training_.resume();
}

void WorkbenchDocument::stopTraining() {
  if (!isTraining()) return;
  training_.stop();
  setState(TrainingState::Stopping);
}

void WorkbenchDocument::saveCheckpointNow() {
  if (isTraining()) training_.saveNow();
}

void WorkbenchDocument::shutDown() {
  generation_.stop();
  stopTraining();
}

void WorkbenchDocument::onTrainingStarted(const TrainingStart& start) {
  activeStart_ = start;
  activeSteps_ = start.firstStep;
  try {
    store_->updateInfo(
        activeRun_,
        {{"tokenizer", {{"kind", start.tokenizer.kind}, {"vocab_size", start.tokenizer.vocab_size}}},
         {"model", start.model.to_json()},
         {"train", start.train.to_json()},
         {"parameters", start.parameters},
         {"train_bytes_per_token", start.trainBytesPerToken},
         {"validation_bytes_per_token", start.validationBytesPerToken},
         {"steps_done", start.firstStep},
         {"status", "running"}});
  } catch (const Error& e) {
    emit errorOccurred(tr("Cannot update the run"), QString::fromStdString(e.what()));
  }
  if (state_ == TrainingState::Preparing) setState(TrainingState::Running);
  emit trainingStarted(activeRun_, start);
  emit runsChanged();
  announceSources();
}

void WorkbenchDocument::onProgress(const TrainingProgress& progress) {
  activeSteps_ = progress.step;
  emit progressed(progress);
}

void WorkbenchDocument::onEvaluated(const EvalRecord& eval, double best, bool isBest) {
  nlohmann::json fields = {{"steps_done", eval.step}, {"best_validation_loss", best}};
  if (isBest) fields["best_step"] = eval.step;
  try {
    store_->updateInfo(activeRun_, fields);
  } catch (const Error& e) {
    emit errorOccurred(tr("Cannot update the run"), QString::fromStdString(e.what()));
  }
  emit evaluated(activeRun_, eval, best, isBest);
  emit runsChanged();
}

void WorkbenchDocument::onTrainingFinished(const QString& reason, int steps) {
  const QString status = reason == "finished" ? QStringLiteral("finished")
                         : reason == "failed" ? QStringLiteral("failed at step %1").arg(steps)
                                              : QStringLiteral("stopped at step %1").arg(steps);
  if (!activeRun_.isEmpty()) {
    try {
      store_->updateInfo(activeRun_, {{"status", status.toStdString()}, {"steps_done", steps}});
    } catch (const Error& e) {
      emit errorOccurred(tr("Cannot update the run"), QString::fromStdString(e.what()));
    }
  }
  snapshotRequested_ = false;
  setState(TrainingState::Idle);
  if (waitingForSnapshot_) {  // the run ended before a copy was taken (it failed): nothing to generate from
    waitingForSnapshot_.reset();
    emit generationFailed(tr("Training ended before its weights could be copied; nothing to generate from."));
  }
  emit trainingFinished(activeRun_, reason, steps);
  emit runsChanged();
  announceSources();
  if (ablation_) finishAblationRun(reason);
}

// --- Sources ----------------------------------------------------------------------------------------

QStringList WorkbenchDocument::sourceLabels() const {
  QStringList labels;
  labels << (trainedSnapshot_ && !isTraining() ? tr("Trained model (%1)").arg(trainedSnapshot_->label)
                                               : tr("Model being trained"));
  for (const ModelSnapshotPtr& c : checkpoints_) labels << c->label;
  return labels;
}

void WorkbenchDocument::announceSources() {
  emit sourcesChanged(sourceLabels(), currentSource_);
}

void WorkbenchDocument::setCurrentSource(int index) {
  index = std::clamp(index, 0, int(checkpoints_.size()));
  if (index == currentSource_) return;
  currentSource_ = index;
  selectToken(-1);  // a token id means nothing in another model's vocabulary
  announceSources();
  emit currentModelChanged(currentModel());
}

ModelSnapshotPtr WorkbenchDocument::currentModel() const {
  return currentSource_ == 0 ? trainedSnapshot_ : checkpoints_.value(currentSource_ - 1);
}

WorkbenchDocument::LoadResult WorkbenchDocument::loadCheckpoint(const QString& path,
                                                                Verification verification, QString* error) {
  try {
    Checkpoint c = load_checkpoint(path.toStdString(), verification);
    auto snapshot = std::make_shared<ModelSnapshot>();
    snapshot->details = checkpointSummary(c);  // before the tokenizer moves into the snapshot
    snapshot->model = make_model(c);
    snapshot->tokenizer = std::move(c.tokenizer);
    snapshot->step = c.training ? c.training->steps_done : 0;
    if (c.training) {
      snapshot->corpus = c.training->corpus;
      snapshot->validationFraction = c.training->config.validation_fraction;
    }
    const QString run = store_->runOfCheckpoint(path);
    const QString name = run.isEmpty() ? QFileInfo(path).fileName()
                                       : store_->name(run) + " · " + QFileInfo(path).completeBaseName();
    snapshot->label = tr("%1, step %2").arg(name).arg(snapshot->step);
    if (!c.unverified.empty()) snapshot->label += tr(" (unverified)");
    checkpoints_.append(snapshot);
    currentSource_ = int(checkpoints_.size());
    selectToken(-1);
    announceSources();
    emit currentModelChanged(snapshot);
    emit statusMessage(tr("Loaded %1 for generation").arg(path), 5000);
    return LoadResult::Loaded;
  } catch (const UnverifiedCheckpointError& e) {
    if (error) *error = QString::fromStdString(e.what());
    return LoadResult::Unverified;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    emit errorOccurred(tr("Cannot open checkpoint"), QString::fromStdString(e.what()));
    return LoadResult::Failed;
  }
}

// --- Generation -------------------------------------------------------------------------------------

void WorkbenchDocument::generate(const views::GenerationRequest& request) {
  if (isGenerating()) return;
  if (currentSource_ > 0) {
    generateWith(checkpoints_[currentSource_ - 1], request);
  } else if (isTraining()) {
    // A consistent copy of the weights, taken between two steps; training goes on.
    waitingForSnapshot_ = request;
    emit generationQueued();
    requestSnapshot();
  } else if (trainedSnapshot_) {
    generateWith(trainedSnapshot_, request);
  } else {
    emit generationFailed(tr("No model yet: start training or load a checkpoint."));
  }
}

void WorkbenchDocument::generateWith(const ModelSnapshotPtr& model, views::GenerationRequest request) {
  GenerationJob job;
  try {
    job.prompt = model->tokenizer->encode(request.prompt.toStdString());
    check_token_ids(request.kept.data(), long(request.kept.size()), model->tokenizer->vocab_size(),
                    "kept output tokens");
    job.prompt.insert(job.prompt.end(), request.kept.begin(), request.kept.end());
  } catch (const std::exception& e) {
    emit generationFailed(QString::fromStdString(e.what()));
    return;
  }
  if (request.randomSeed) request.settings.seed = QRandomGenerator::global()->bounded(1u << 30);
  job.beamSearch = request.mode == views::GenerationRequest::Beam;
  job.settings = request.settings;
  job.settings.forced_tokens = request.forced;
  job.beam = request.beam;
  // While training runs it keeps its threads; generation takes what is left (at least one).
  const int cores = kernels::default_num_threads();
  job.threads = isTraining() ? std::max(1, cores - activeTrainingThreads_) : cores;
  emit generationStarted(request.settings.seed, request.continueFrom, model->tokenizer->vocab_size());
  generation_.generate(model, job);
}

// --- Snapshots --------------------------------------------------------------------------------------

void WorkbenchDocument::addSnapshotConsumer(QObject* consumer, int periodMs) {
  if (!snapshotConsumers_.contains(consumer))
    connect(consumer, &QObject::destroyed, this, [this, consumer] { removeSnapshotConsumer(consumer); });
  snapshotConsumers_[consumer] = std::max(50, periodMs);
  updateSnapshotTimer();
}

void WorkbenchDocument::removeSnapshotConsumer(QObject* consumer) {
  if (snapshotConsumers_.remove(consumer) > 0) disconnect(consumer, &QObject::destroyed, this, nullptr);
  updateSnapshotTimer();
}

void WorkbenchDocument::updateSnapshotTimer() {
  const bool live = state_ == TrainingState::Running || state_ == TrainingState::Paused;
  if (!live || snapshotConsumers_.isEmpty()) {
    snapshotTimer_.stop();
    return;
  }
  const int period = *std::min_element(snapshotConsumers_.cbegin(), snapshotConsumers_.cend());
  if (!snapshotTimer_.isActive() || snapshotTimer_.interval() != period) snapshotTimer_.start(period);
}

void WorkbenchDocument::requestSnapshot() {
  if (isTraining()) {
    if (snapshotRequested_) return;  // one copy in flight at a time: consumers share it
    snapshotRequested_ = true;
    training_.requestSnapshot();
  } else if (trainedSnapshot_) {
    emit snapshotReady(trainedSnapshot_);
  }
}

void WorkbenchDocument::onSnapshot(const ModelSnapshotPtr& snapshot) {
  snapshotRequested_ = false;
  trainedSnapshot_ = snapshot;
  emit snapshotReady(snapshot);
  if (currentSource_ == 0) emit currentModelChanged(snapshot);
  if (waitingForSnapshot_) {
    const views::GenerationRequest request = *std::exchange(waitingForSnapshot_, std::nullopt);
    generateWith(snapshot, request);
  }
}

// --- Selection --------------------------------------------------------------------------------------

void WorkbenchDocument::selectToken(int32_t id) {
  const ModelSnapshotPtr model = currentModel();
  if (id >= 0 && (!model || id >= model->tokenizer->vocab_size())) id = -1;
  if (id == selectedToken_) return;
  selectedToken_ = id;
  emit tokenSelected(id);
}

}  // namespace cllm::app
