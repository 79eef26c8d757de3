#pragma once
// The two implementations of every op as a type the layers are templated on: FastOps (float32, the
// un-suffixed functions: matrix products through the kernels, OpenMP) and ReferenceOps<S> (the *_ref
// templates in any scalar: float, double, Boost's 50-digit cpp_bin_float_50). A layer written once
// against `Ops::` runs as the fast training path, as the oracle the tests hold it to, and in the
// precision lab.

#include "ops/attention.h"
#include "ops/classifier.h"
#include "ops/cross_entropy.h"
#include "ops/damped_conv.h"
#include "ops/embedding_compose.h"
#include "ops/encoder.h"
#include "ops/gelu.h"
#include "ops/layernorm.h"
#include "ops/matmul.h"
#include "ops/residual.h"
#include "ops/rope.h"

namespace cllm::ops {

struct FastOps {
  using Scalar = float;
  static constexpr auto& encoder_forward = ops::encoder_forward;
  static constexpr auto& encoder_backward = ops::encoder_backward;
  static constexpr auto& embedding_compose_forward = ops::embedding_compose_forward;
  static constexpr auto& embedding_compose_backward = ops::embedding_compose_backward;
  static constexpr auto& layernorm_forward = ops::layernorm_forward;
  static constexpr auto& layernorm_backward = ops::layernorm_backward;
  static constexpr auto& matmul_forward = ops::matmul_forward;
  static constexpr auto& matmul_backward = ops::matmul_backward;
  static constexpr auto& attention_forward = ops::attention_forward;
  static constexpr auto& attention_backward = ops::attention_backward;
  static constexpr auto& attention_step = ops::attention_step;
  static constexpr auto& rope_forward = ops::rope_forward;
  static constexpr auto& rope_backward = ops::rope_backward;
  static constexpr auto& damped_kernel_forward = ops::damped_kernel_forward;
  static constexpr auto& damped_kernel_backward = ops::damped_kernel_backward;
  static constexpr auto& causal_conv_forward = ops::causal_conv_forward;
  static constexpr auto& causal_conv_backward = ops::causal_conv_backward;
  static constexpr auto& causal_conv_step = ops::causal_conv_step;
  static constexpr auto& gelu_forward = ops::gelu_forward;
  static constexpr auto& gelu_backward = ops::gelu_backward;
  static constexpr auto& residual_forward = ops::residual_forward;
  static constexpr auto& cross_entropy_forward = ops::cross_entropy_forward;
  static constexpr auto& classifier_backward = ops::classifier_backward;
};

template <typename S>
struct ReferenceOps {
  using Scalar = S;
  static constexpr auto& encoder_forward = ops::encoder_forward_ref<S>;
  static constexpr auto& encoder_backward = ops::encoder_backward_ref<S>;
  static constexpr auto& embedding_compose_forward = ops::embedding_compose_forward_ref<S>;
  static constexpr auto& embedding_compose_backward = ops::embedding_compose_backward_ref<S>;
  static constexpr auto& layernorm_forward = ops::layernorm_forward_ref<S>;
  static constexpr auto& layernorm_backward = ops::layernorm_backward_ref<S>;
  static constexpr auto& matmul_forward = ops::matmul_forward_ref<S>;
  static constexpr auto& matmul_backward = ops::matmul_backward_ref<S>;
  static constexpr auto& attention_forward = ops::attention_forward_ref<S>;
  static constexpr auto& attention_backward = ops::attention_backward_ref<S>;
  static constexpr auto& attention_step = ops::attention_step_ref<S>;
  static constexpr auto& rope_forward = ops::rope_forward_ref<S>;
  static constexpr auto& rope_backward = ops::rope_backward_ref<S>;
  static constexpr auto& damped_kernel_forward = ops::damped_kernel_forward_ref<S>;
  static constexpr auto& damped_kernel_backward = ops::damped_kernel_backward_ref<S>;
  static constexpr auto& causal_conv_forward = ops::causal_conv_forward_ref<S>;
  static constexpr auto& causal_conv_backward = ops::causal_conv_backward_ref<S>;
  static constexpr auto& causal_conv_step = ops::causal_conv_step_ref<S>;
  static constexpr auto& gelu_forward = ops::gelu_forward_ref<S>;
  static constexpr auto& gelu_backward = ops::gelu_backward_ref<S>;
  static constexpr auto& residual_forward = ops::residual_forward_ref<S>;
  static constexpr auto& cross_entropy_forward = ops::cross_entropy_forward_ref<S>;
  static constexpr auto& classifier_backward = ops::classifier_backward_ref<S>;
};

}  // namespace cllm::ops
