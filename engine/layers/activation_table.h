#pragma once
// One table of activation buffers (llm.c's act_sizes + malloc_and_point_activations): every layer names
// the buffers its forward pass keeps for backward and the scratch its backward pass needs. The same
// table sizes the one allocation, gives the exact memory estimate before anything is allocated, and
// names each buffer for per-layer taps (the precision lab reads activations by these names).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cllm::layers {

class ActivationTable {
 public:
  struct Entry {
    std::string name;
    size_t offset = 0, count = 0;  // in scalars
  };

  size_t add(std::string name, size_t count) {
    entries_.push_back({std::move(name), cursor_, count});
    cursor_ += count;
    total_ = std::max(total_, cursor_);
    return entries_.back().offset;
  }
  // Backward scratch of successive blocks is used one block at a time, so it shares one region: plan
  // each block's scratch from the same cursor (entries then overlap), then continue past the largest.
  size_t cursor() const { return cursor_; }
  void set_cursor(size_t cursor) { cursor_ = cursor; }

  size_t total() const { return total_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(const std::string& name) const {
    for (const auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }

 private:
  std::vector<Entry> entries_;
  size_t cursor_ = 0, total_ = 0;
};

// Hands out named slices of one buffer in table order. With a null base it only plans (sizes without
// allocating); the pointers it returns are then null.
template <typename S>
class Slicer {
 public:
  Slicer(ActivationTable& table, S* base) : table_(table), base_(base) {}
  S* take(const std::string& name, size_t count) {
    const size_t offset = table_.add(name, count);
    return base_ ? base_ + offset : nullptr;
  }
  ActivationTable& table() { return table_; }

 private:
  ActivationTable& table_;
  S* base_;
};

// What one pass runs over: B sequences of T positions, the first at `position` (0 in training; the
// number of cached positions when decoding, where T is 1). `classes` holds the clock class of the token
// at every position the pass attends to (sequence b's at b * class_stride), when a layer needs them.
struct Pass {
  int B = 1, T = 1, position = 0;
  const uint8_t* classes = nullptr;
  long class_stride = 0;
  long rows() const { return static_cast<long>(B) * T; }
};

template <typename S>
void zero(S* data, size_t count) {
  std::fill(data, data + count, S(0));
}

}  // namespace cllm::layers
