// Token table rows: label, prime p_k, clock class and corpus frequency per id; and the embedding rows.
#include "inspect/token_table.h"

#include <gtest/gtest.h>

#include "../expect_error.h"
#include "inspect/embedding_matrix.h"
#include "model/gpt.h"
#include "text/char_tokenizer.h"
#include "util/rng.h"

namespace cllm::test {
namespace {

TEST(TokenTable, IdsGetPrimesClockClassesLabelsAndFrequencies) {
  // Char ids go by descending frequency: 'a' (4) = 0, 'b' (3) = 1, '\t' (2) = 2, '\n' (1) = 3.
  const std::string text = "aaaa\tbbb\t\n";
  const auto tokenizer = CharTokenizer::train(text);
  ASSERT_EQ(tokenizer->vocab_size(), 4);
  const auto ids = tokenizer->encode(text);
  const std::vector<int64_t> counts = token_frequencies(*tokenizer, ids);
  EXPECT_EQ(counts, (std::vector<int64_t>{4, 3, 2, 1}));
  const auto table = token_table(*tokenizer, counts);
  ASSERT_EQ(table.size(), 4u);
  const uint64_t primes[] = {2, 3, 5, 7};
  const char* labels[] = {"a", "b", "\\t", "\\n"};
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(table[k].id, k);
    EXPECT_EQ(table[k].prime, primes[k]);
    EXPECT_EQ(table[k].clock_class, static_cast<int>(primes[k] % 12));
    EXPECT_EQ(table[k].label, labels[k]);
    EXPECT_EQ(table[k].frequency, counts[static_cast<size_t>(k)]);
  }
  for (const TokenInfo& t : token_table(*tokenizer, {})) EXPECT_EQ(t.frequency, -1);
  expect_error(
      [&] {
        token_table(*tokenizer, std::vector<int64_t>{1, 2});
      },
      "2 frequencies for a vocabulary of 4");
  expect_error([&] { token_frequencies(*tokenizer, std::vector<int32_t>{0, 9}); }, "id 9 at position 1");
}

TEST(EmbeddingMatrix, IsTheWteSliceOfTheParameters) {
  ModelConfig c;
  c.vocab_size = 11, c.block_size = 8, c.n_layer = 1, c.n_head = 2, c.n_embd = 6;
  Gpt model(c);
  Rng rng(3);
  model.initialize(rng);
  const std::vector<float> e = token_embeddings(model);
  ASSERT_EQ(e.size(), 66u);
  for (const ParameterTensor& t : model.table().tensors())
    if (t.name == "transformer.wte.weight") {
      EXPECT_EQ(t.shape, (std::vector<int64_t>{11, 6}));
      for (size_t i = 0; i < e.size(); ++i) ASSERT_EQ(e[i], model.parameters()[t.offset + i]);
      return;
    }
  ADD_FAILURE() << "no transformer.wte.weight tensor";
}

}  // namespace
}  // namespace cllm::test
