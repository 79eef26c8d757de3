#pragma once
// Shared by the workbench's window tests.

namespace cllm::app {
class MainWindow;
}

class QString;

namespace cllm::test {

// Every window test starts alike: settings of its own, kept apart from the user's (QStandardPaths'
// test mode) and from the other test executables (`name`), and empty.
void useTestSettings(const QString& name);

// A run that learns visibly within seconds on the built-in corpus: tiny model, block 32, batch 8,
// evaluation every 40 steps, one training thread.
void configureQuickRun(app::MainWindow& w, int steps);

}  // namespace cllm::test
