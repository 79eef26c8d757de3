#include "interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>

namespace cllm::cli {
namespace {

std::atomic<bool> g_graceful{false};
std::atomic<int> g_interrupts{0};

}  // namespace

void start_interrupt_thread() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    for (;;) {
      int signal = 0;
      if (sigwait(&signals, &signal) != 0) continue;
      if (!g_graceful || g_interrupts.fetch_add(1) > 0) _exit(130);
      const char msg[] =
          "\ncllm: interrupted; finishing the current step (press Ctrl+C again to quit at once)\n";
      (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    }
  }).detach();
}

void install_interrupt_handler() {
  g_graceful = true;
}

bool interrupted() {
  return g_interrupts > 0;
}

}  // namespace cllm::cli
