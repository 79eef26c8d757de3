#pragma once
// Shared by the workbench's window tests.

namespace cllm::app {
class MainWindow;
}

namespace cllm::test {

// A run that learns visibly within seconds on the built-in corpus: tiny model, block 32, batch 8,
// evaluation every 40 steps, one training thread.
void configureQuickRun(app::MainWindow& w, int steps);

}  // namespace cllm::test
