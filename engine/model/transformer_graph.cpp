#include "model/transformer_graph.h"

#include "ops/rope.h"

namespace cllm {
namespace {

std::vector<layers::Block> make_blocks(ParameterTable& table, const ModelConfig& c) {
  layers::BlockShape shape{c.n_embd, c.n_head, c.block_size, c.n_layer};
  if (layers::positional_kind(c.positional) == layers::PositionKind::rotary)
    shape.rope_table = table.add_constant("rope.angles", {c.block_size, c.head_size()},
                                          ops::rope_table(c.block_size, c.head_size()));
  if (c.attention_bias == "clock")
    shape.clock_table = table.add_constant("clock.log_match", {layers::kClockClasses, layers::kClockClasses},
                                           layers::clock_log_match());
  std::vector<layers::Block> blocks;
  blocks.reserve(c.n_layer);
  for (int l = 0; l < c.n_layer; ++l)
    blocks.emplace_back(table, l, shape, c.mixer == "fourier" || (c.mixer == "alternate" && l % 2 == 1));
  return blocks;
}

}  // namespace

TransformerGraph::TransformerGraph(const ModelConfig& c)
    : config_(c),
      embedding_(table_, c.vocab_size, c.block_size, c.n_embd, c.positional, c.embedding_init,
                 c.roots == "on" ? &c.word_roots : nullptr),
      blocks_(make_blocks(table_, c)),
      final_norm_(table_, "transformer.ln_f", c.n_embd) {}

}  // namespace cllm
