#pragma once
// Ctrl+C handling for long commands: the first SIGINT asks the running job to stop at its next check
// (training saves a checkpoint first); a second one ends the process at once.

namespace cllm::cli {

void install_interrupt_handler();
bool interrupted();

}  // namespace cllm::cli
