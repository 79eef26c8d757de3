#pragma once
// Where each named tensor lives in the model's buffers (llm.c style: one allocation, sliced). Layers
// declare their tensors here when the graph is built, with how each is initialised, so the model, the
// optimizer and checkpoints agree on every offset and there is one place that says what a tensor is.
//
// Two kinds: parameters (trained, in the parameter and gradient buffers, saved in checkpoints) and
// constants (fixed tables computed from the configuration, such as a sinusoidal positional table or
// rotary angles: in a separate buffer, never trained, never saved).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cllm::layers {

// How a parameter starts (Transformer::initialize walks the table in order, drawing only for `normal`,
// so the random stream is fixed by the table).
enum class Init { zeros, ones, normal, values, lattice_embedding };

struct ParameterTensor {
  std::string name;
  std::vector<int64_t> shape;
  size_t offset = 0;  // in scalars from the buffer start
  size_t size = 0;
  bool decay = false;  // AdamW weight decay applies to matrices and embeddings, not to biases and gains
  Init init = Init::zeros;
  double init_std = 0;              // for Init::normal
  std::vector<double> init_values;  // for Init::values: the starting value of every element
};

struct ConstantTensor {
  std::string name;
  std::vector<int64_t> shape;
  size_t offset = 0;
  std::vector<double> values;  // computed in double once; each model converts them to its scalar
};

class ParameterTable {
 public:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  size_t add(std::string name, std::vector<int64_t> shape, bool decay, Init init, double init_std = 0);
  // A parameter that starts at the given values (Init::values).
  size_t add_with_values(std::string name, std::vector<int64_t> shape, bool decay,
                         std::vector<double> values);
  size_t add_constant(std::string name, std::vector<int64_t> shape, std::vector<double> values);

  const std::vector<ParameterTensor>& tensors() const { return tensors_; }
  const std::vector<ConstantTensor>& constants() const { return constants_; }
  size_t total() const { return total_; }
  size_t constant_total() const { return constant_total_; }
  // The tensor of that name; throws cllm::Error naming it when there is none.
  const ParameterTensor& find(const std::string& name) const;

 private:
  std::vector<ParameterTensor> tensors_;
  std::vector<ConstantTensor> constants_;
  size_t total_ = 0, constant_total_ = 0;
};

// The buffers a layer reads and writes: parameter values, their gradients (null when only running
// forward) and constants, each at the offsets the layer declared.
template <typename S>
struct Weights {
  const S* p = nullptr;
  S* g = nullptr;
  const S* k = nullptr;
};

}  // namespace cllm::layers
