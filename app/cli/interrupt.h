#pragma once
// Ctrl+C (SIGINT) and SIGTERM for long commands: the first asks the running job to stop at its next check
// (training saves a checkpoint first); a second one ends the process at once with status 130. Commands
// that never asked for a graceful stop end at the first signal.
//
// The signals are taken by a dedicated thread (sigwait) and blocked in every other thread. A handler
// running on a compute thread would push its frame onto that thread's stack, and oneDNN's JIT kernels keep
// data below the stack pointer: a Ctrl+C during a matrix product corrupted the heap (seen as an abort in
// free() inside dnnl_sgemm).

namespace cllm::cli {

// First thing in main, before any other thread exists (threads inherit the blocked signals).
void start_interrupt_thread();
// From now on the first signal only sets interrupted().
void install_interrupt_handler();
bool interrupted();

}  // namespace cllm::cli
