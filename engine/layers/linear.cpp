#include "layers/linear.h"

namespace cllm::layers {

Linear::Linear(ParameterTable& table, const std::string& name, int in, int out, double init_std)
    : in_(in),
      out_(out),
      weight_(table.add(name + ".weight", {out, in}, true, Init::normal, init_std)),
      bias_(table.add(name + ".bias", {out}, false, Init::zeros)) {}

}  // namespace cllm::layers
