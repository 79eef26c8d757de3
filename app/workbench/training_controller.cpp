#include "training_controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

#include "data/builtin_corpus.h"
#include "data/corpus.h"
#include "inspect/token_table.h"
#include "kernels/threading.h"
#include "run_store.h"
#include "session/metrics_records.h"
#include "util/error.h"

namespace cllm::app {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<TrainingStart>();
  qRegisterMetaType<TrainingProgress>();
  qRegisterMetaType<ModelSnapshotPtr>();
  qRegisterMetaType<QList<StepRecord>>();
  qRegisterMetaType<EvalRecord>();
}

TrainingController::~TrainingController() {
  stop();
  if (thread_) thread_->wait();
}

void TrainingController::start(const TrainingRequest& request) {
  require(!isRunning(), "a training run is already active");
  if (thread_) thread_->wait();
  stop_ = paused_ = saveNow_ = snapshot_ = false;
  active_ = true;
  thread_.reset(QThread::create([this, request] { work(request); }));
  thread_->setObjectName("training");
  thread_->start();
}

void TrainingController::pause() {
  if (isRunning()) paused_ = true;  // pausedChanged(true) comes from the worker once it is idle
}

void TrainingController::resume() {
  if (!paused_.exchange(false)) return;
  wake_.notify_all();
  emit pausedChanged(false);
}

void TrainingController::stop() {
  stop_ = true;
  if (paused_.exchange(false)) emit pausedChanged(false);
  wake_.notify_all();
}

void TrainingController::saveNow() {
  saveNow_ = true;
  wake_.notify_all();
}

void TrainingController::requestSnapshot() {
  snapshot_ = true;
  wake_.notify_all();
}

void TrainingController::work(TrainingRequest r) {
  QString reason = QStringLiteral("stopped");
  int stepsDone = 0;
  try {
    kernels::set_num_threads(r.threads);
    const Corpus corpus = r.corpusPath.isEmpty() ? builtin_corpus() : load_corpus(r.corpusPath.toStdString());
    std::unique_ptr<TrainingSession> session;
    if (!r.resumeCheckpoint.isEmpty()) {
      session = TrainingSession::resume(r.resumeCheckpoint.toStdString(), corpus);
      if (r.resumeTotalSteps > 0) session->trainer().set_total_steps(r.resumeTotalSteps);
    } else {
      session = TrainingSession::start(corpus, r.run);
    }
    Trainer& trainer = session->trainer();
    const std::string latest = RunStore::latestCheckpoint(r.runDir).toStdString();
    const std::string best = RunStore::bestCheckpoint(r.runDir).toStdString();
    const std::string metricsPath = RunStore::metricsFile(r.runDir).toStdString();
    // A run killed after its last checkpoint recorded steps that it is about to record again.
    if (!r.resumeCheckpoint.isEmpty()) drop_metrics_after(metricsPath, trainer.steps_done());
    std::ofstream metrics(metricsPath, std::ios::app);
    require(metrics.good(), "cannot open the metrics file '" + metricsPath + "' for writing");

    const nlohmann::json tokenizerJson = session->tokenizer().to_json();
    TrainingStart info;
    info.model = session->model().config();
    info.train = trainer.config();
    info.tokenizer.kind = session->tokenizer().kind();
    info.tokenizer.vocab_size = session->tokenizer().vocab_size();
    info.corpusName = QString::fromStdString(corpus.name);
    info.parameters = info.model.parameter_count();
    info.trainTokens = session->train_token_count();
    info.validationTokens = session->validation_token_count();
    info.firstStep = trainer.steps_done();
    info.trainBytesPerToken = session->train_bytes_per_token();
    info.validationBytesPerToken = session->validation_bytes_per_token();
    info.unknownTokenRate = session->unknown_token_rate();
    emit started(info);

    // Snapshots share one immutable tokenizer and the run's token statistics; each gets its own copy of
    // the weights.
    const std::shared_ptr<const Tokenizer> tokenizer = tokenizer_from_json(tokenizerJson);
    std::vector<int64_t> counts = token_frequencies(*tokenizer, session->train_tokens());
    for (int32_t id : session->validation_tokens()) ++counts[id];
    const auto frequencies = std::make_shared<const std::vector<int64_t>>(std::move(counts));
    const auto validation = std::make_shared<const std::vector<int32_t>>(session->validation_tokens().begin(),
                                                                         session->validation_tokens().end());
    auto snapshot = [&] {
      auto model = std::make_shared<Gpt>(session->model().config());
      std::ranges::copy(session->model().parameters(), model->parameters().begin());
      auto s = std::make_shared<ModelSnapshot>();
      s->model = std::move(model);
      s->tokenizer = tokenizer;
      s->tokenFrequencies = frequencies;
      s->validationTokens = validation;
      s->step = trainer.steps_done();
      s->label = tr("training run, step %1").arg(s->step);
      return ModelSnapshotPtr(std::move(s));
    };

    const auto startTime = Clock::now();
    auto lastFlush = startTime;
    QList<StepRecord> pending;
    TrainingProgress progress;
    progress.totalSteps = trainer.config().steps;
    double smoothLoss = NAN;
    int stepsThisSession = 0;
    int64_t tokensThisSession = 0;
    double trainingSeconds = 0;
    double pausedSeconds = 0;  // rates and the ETA count training time only
    auto flush = [&] {
      metrics.flush();
      if (!pending.isEmpty()) emit stepsReady(pending);
      pending.clear();
      const double elapsed = seconds_since(startTime) - pausedSeconds;
      progress.step = trainer.steps_done();
      progress.totalSteps = trainer.config().steps;
      progress.stepsPerSecond = stepsThisSession > 0 ? stepsThisSession / elapsed : 0;
      progress.tokensPerSecond = trainingSeconds > 0 ? tokensThisSession / trainingSeconds : 0;
      progress.etaSeconds =
          stepsThisSession > 0 ? (progress.totalSteps - progress.step) * elapsed / stepsThisSession : -1;
      progress.loss = smoothLoss;
      emit progressed(progress);
      lastFlush = Clock::now();
    };

    TrainingObserver observer;
    observer.on_step = [&](const StepStats& s) {
      const double elapsed = seconds_since(startTime);
      metrics << step_record(s, elapsed).dump() << '\n';
      pending.append({s.step, r.wallOffset + elapsed, s.loss, s.lr, s.grad_norm,
                      s.seconds > 0 ? s.tokens / s.seconds : 0});
      ++stepsThisSession;
      tokensThisSession += s.tokens;
      trainingSeconds += s.seconds;
      smoothLoss = std::isnan(smoothLoss) ? s.loss : 0.9 * smoothLoss + 0.1 * s.loss;
      if (seconds_since(lastFlush) >= 0.25) flush();
    };
    observer.on_eval = [&](const EvalResult& e) {
      flush();
      const bool isBest = session->record_evaluation(e);
      session->save(latest);
      if (isBest) session->save(best);
      const double elapsed = seconds_since(startTime);
      metrics << eval_record(e, isBest, elapsed).dump() << std::endl;
      emit evaluated({e.step, r.wallOffset + elapsed, e.loss, e.bits_per_byte},
                     session->best_validation_loss(), isBest);
      emit saved(QString::fromStdString(latest));
    };
    // Requests from the GUI are served between steps; while paused the worker sleeps but still serves them.
    auto serveRequests = [&] {
      if (saveNow_.exchange(false)) {
        session->save(latest);
        emit saved(QString::fromStdString(latest));
      }
      if (snapshot_.exchange(false)) emit snapshotReady(snapshot());
    };
    observer.stop_requested = [&] {
      serveRequests();
      if (paused_ && !stop_) {
        flush();
        emit pausedChanged(true);
        const auto pausedAt = Clock::now();
        std::unique_lock lock(mutex_);
        while (paused_ && !stop_) {
          wake_.wait_for(lock, std::chrono::milliseconds(100));
          lock.unlock();
          serveRequests();
          lock.lock();
        }
        pausedSeconds += seconds_since(pausedAt);
      }
      return stop_.load();
    };
    run_training(trainer, observer);
    flush();
    emit snapshotReady(snapshot());  // the final weights stay available for generation
    stepsDone = trainer.steps_done();
    if (trainer.finished()) reason = QStringLiteral("finished");
  } catch (const std::exception& e) {
    reason = QStringLiteral("failed");
    emit failed(QString::fromStdString(e.what()));
  }
  active_ = false;
  paused_ = false;
  emit finished(reason, stepsDone);
}

}  // namespace cllm::app
