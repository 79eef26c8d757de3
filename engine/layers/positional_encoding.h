#pragma once
// How the model knows where a token is. Four kinds:
//   learned   a trained table wpe[T_max, C] added to the token embeddings (GPT-2; the default)
//   fixed     a table computed from the configuration, added the same way: "sinusoidal" (Vaswani et
//             al.) and the spec's three lattice tables "spiral", "clock" and "prime"
//   rotary    "rope": queries and keys rotated by position inside attention (RoFormer; ops/rope.h)
//   none      no positional signal (a baseline that shows what position information is worth)
//
// The lattice tables (../shared/notes/crystalline-spec.md), with f_i = floor(i/2) + 1 and trig = cos
// for even channels i, sin for odd ones, golden angle gamma = 2 pi / phi^2:
//   spiral  S_t[i] = trig(f_i gamma t)
//   clock   C_t[i] = trig(f_i 2 pi (t mod 12) / 12); for m < C/4 also C_t[4m] += 0.1 cos(2 pi t (m+1) /
//   T_max)
//           and C_t[4m+1] += 0.1 sin(same)
//   prime   P_t[i] = trig((i+1) 2 pi (q_t mod 1000) / 1000) with q_t the t-th prime (q_0 = 2)
// each row L2-normalised. The spec also scales a prime row by 0.5 + 0.5 ln q_t / ln q_{T_max-1}; taken
// literally a row normalisation would undo that, so the row is normalised first and then scaled, which
// keeps the amplitude the spec asks for (growing slowly with position, from about 0.5 to 1).

#include <string>
#include <vector>

namespace cllm::layers {

enum class PositionKind { learned, fixed, rotary, none };

// Throws cllm::Error for an unknown name, listing the known ones.
PositionKind positional_kind(const std::string& name);
std::vector<std::string> positional_encoding_names();
// The additive table [max_positions, channels] of a "fixed" encoding, row-major, in double so every
// scalar type shares one definition. Throws for encodings of another kind.
std::vector<double> fixed_positional_table(const std::string& name, int max_positions, int channels);

}  // namespace cllm::layers
