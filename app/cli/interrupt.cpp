#include "interrupt.h"

#include <csignal>
#include <unistd.h>

namespace cllm::cli {
namespace {

volatile std::sig_atomic_t g_interrupts = 0;

void on_interrupt(int) {
  if (g_interrupts > 0) _exit(130);
  g_interrupts = 1;
  const char msg[] = "\ncllm: interrupted; finishing the current step (press Ctrl+C again to quit at once)\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

void install_interrupt_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  // Restart system calls the signal interrupts: otherwise a Ctrl+C landing inside a write of the metrics
  // or a checkpoint made that write fail with EINTR, and the run ended with an I/O error instead of
  // saving (seen as a rare failure of the interrupt test on a loaded machine).
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupts > 0; }

}  // namespace cllm::cli
