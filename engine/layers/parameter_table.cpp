#include "layers/parameter_table.h"

#include "util/error.h"

namespace cllm::layers {
namespace {

size_t element_count(const std::vector<int64_t>& shape) {
  size_t size = 1;
  for (int64_t d : shape) size *= static_cast<size_t>(d);
  return size;
}

}  // namespace

size_t ParameterTable::add(std::string name, std::vector<int64_t> shape, bool decay, Init init,
                           double init_std) {
  const size_t size = element_count(shape);
  tensors_.push_back({std::move(name), std::move(shape), total_, size, decay, init, init_std, {}});
  total_ += size;
  return tensors_.back().offset;
}

size_t ParameterTable::add_with_values(std::string name, std::vector<int64_t> shape, bool decay,
                                       std::vector<double> values) {
  require(values.size() == element_count(shape), "internal error: parameter " + name + " has the wrong size");
  const size_t offset = add(std::move(name), std::move(shape), decay, Init::values);
  tensors_.back().init_values = std::move(values);
  return offset;
}

size_t ParameterTable::add_constant(std::string name, std::vector<int64_t> shape,
                                    std::vector<double> values) {
  require(values.size() == element_count(shape), "internal error: constant " + name + " has the wrong size");
  constants_.push_back({std::move(name), std::move(shape), constant_total_, std::move(values)});
  constant_total_ += constants_.back().values.size();
  return constants_.back().offset;
}

const ParameterTensor& ParameterTable::find(const std::string& name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return t;
  throw Error("the model has no parameter tensor named " + name);
}

}  // namespace cllm::layers
