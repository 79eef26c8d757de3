#include "train/train_config.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "kernels/gemm.h"
#include "kernels/threading.h"
#include "util/error.h"

namespace cllm {
namespace {

void require_int(int v, int lo, int hi, const std::string& what) {
  require(v >= lo && v <= hi, what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                  ", got " + std::to_string(v));
}

void require_real(double v, double lo, double hi, bool lo_open, const std::string& what) {
  const bool ok = std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
  require(ok, what + " must be " + (lo_open ? "> " : ">= ") + format_number(lo) +
                  " and <= " + format_number(hi) + ", got " + format_number(v));
}

// 0.999999999 rather than format_number's "1", for values that differ from 1 only far down.
std::string digits12(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

}  // namespace

void TrainConfig::validate() const {
  require_int(batch_size, 1, 1 << 16, "batch size");
  require_int(steps, 0, 1 << 30, "step count");
  require_real(lr, 0.0, 10.0, true, "learning rate");
  require_real(min_lr, 0.0, lr, false, "minimum learning rate");
  require_int(warmup_steps, 0, 1 << 30, "warmup steps");
  kernels::parse_matmul_precision(precision);
  require(schedule == "cosine" || schedule == "constant",
          "learning-rate schedule must be 'cosine' or 'constant', got '" + schedule + "'");
  require_real(weight_decay, 0.0, 10.0, false, "weight decay");
  require_real(beta1, 0.0, 1.0, false, "beta1");
  require(beta1 < 1.0, "beta1 must be < 1, got " + format_number(beta1));
  require_real(beta2, 0.0, 1.0, false, "beta2");
  require(beta2 < 1.0, "beta2 must be < 1, got " + format_number(beta2));
  require_real(eps, 0.0, 1.0, true, "epsilon");
  // AdamW computes in float32: a beta that rounds to 1 there stops the moment from updating, and an
  // epsilon below the smallest normal float flushes to 0.
  for (const auto& [beta, name] : {std::pair{beta1, "beta1"}, std::pair{beta2, "beta2"}})
    require(static_cast<float>(beta) < 1.0f,
            std::string(name) + " " + digits12(beta) +
                " rounds to 1 in float32, the precision AdamW computes in; use at most 0.99999994");
  require(eps >= FLT_MIN,
          "epsilon " + format_number(eps) +
              " is below the smallest normal float32 (1.2e-38), the precision AdamW computes in");
  require_real(grad_clip, 0.0, 1e9, false, "gradient clip");
  require_int(grad_accum, 1, 1 << 16, "gradient accumulation");
  require_int(eval_interval, 0, 1 << 30, "evaluation interval");
  require_int(eval_batches, 0, 1 << 20, "evaluation batches");
  require_real(validation_fraction, 0.0, 0.5, true, "validation fraction");
  require_int(shards, 0, 1024, "shard count");
}

int TrainConfig::shard_count() const {
  return shards > 0 ? shards : kernels::default_num_threads();
}

LrSchedule TrainConfig::lr_schedule() const {
  return LrSchedule{lr, min_lr, warmup_steps, steps, schedule == "cosine"};
}

AdamWSettings TrainConfig::adamw() const {
  return AdamWSettings{beta1, beta2, eps, weight_decay};
}

nlohmann::json TrainConfig::to_json() const {
  return {{"batch_size", batch_size},
          {"steps", steps},
          {"lr", lr},
          {"min_lr", min_lr},
          {"warmup_steps", warmup_steps},
          {"schedule", schedule},
          {"weight_decay", weight_decay},
          {"beta1", beta1},
          {"beta2", beta2},
          {"eps", eps},
          {"grad_clip", grad_clip},
          {"grad_accum", grad_accum},
          {"eval_interval", eval_interval},
          {"eval_batches", eval_batches},
          {"seed", seed},
          {"validation_fraction", validation_fraction},
          {"precision", precision},
          {"shards", shards}};
}

TrainConfig TrainConfig::from_json(const nlohmann::json& j) {
  require(j.is_object(), "training config must be a JSON object");
  auto field = [&](const char* key) -> const nlohmann::json& {
    require(j.contains(key), std::string("training config field '") + key + "' is missing");
    return j[key];
  };
  auto get_int = [&](const char* key) {
    const auto& v = field(key);
    require(v.is_number_integer(), std::string("training config field '") + key + "' is not an integer");
    const auto x = v.get<int64_t>();
    require(x >= INT32_MIN && x <= INT32_MAX,
            std::string("training config field '") + key + "' is out of range");
    return static_cast<int>(x);
  };
  auto get_real = [&](const char* key) {
    const auto& v = field(key);
    require(v.is_number(), std::string("training config field '") + key + "' is not a number");
    return v.get<double>();
  };
  TrainConfig c;
  c.batch_size = get_int("batch_size");
  c.steps = get_int("steps");
  c.lr = get_real("lr");
  c.min_lr = get_real("min_lr");
  c.warmup_steps = get_int("warmup_steps");
  require(field("schedule").is_string(), "training config field 'schedule' is not a string");
  c.schedule = j["schedule"].get<std::string>();
  c.weight_decay = get_real("weight_decay");
  c.beta1 = get_real("beta1");
  c.beta2 = get_real("beta2");
  c.eps = get_real("eps");
  c.grad_clip = get_real("grad_clip");
  c.grad_accum = get_int("grad_accum");
  c.eval_interval = get_int("eval_interval");
  c.eval_batches = get_int("eval_batches");
  require(field("seed").is_number_unsigned() || field("seed").is_number_integer(),
          "training config field 'seed' is not an integer");
  c.seed = j["seed"].get<uint64_t>();
  c.validation_fraction = get_real("validation_fraction");
  if (j.contains("precision")) {  // absent in checkpoints from before the option: float32
    require(j["precision"].is_string(), "training config field 'precision' is not a string");
    c.precision = j["precision"].get<std::string>();
  }
  // Absent in checkpoints from before it was kept: those runs split the batch once per thread, which the
  // file does not say; 0 takes this machine's default.
  if (j.contains("shards")) c.shards = get_int("shards");
  c.validate();
  return c;
}

}  // namespace cllm
