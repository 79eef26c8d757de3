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
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupts > 0; }

}  // namespace cllm::cli
