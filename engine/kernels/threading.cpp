#include "kernels/threading.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <utility>

namespace cllm::kernels {

void set_num_threads(int n) {
  // oneDNN and OpenBLAS split a product for the thread count they are given and assume OpenMP grants it.
  // Under OMP_THREAD_LIMIT=1 with 2 threads asked, oneDNN's products came out wrong and OpenBLAS hung; so
  // never ask for more threads than the runtime may grant.
  n = std::clamp(n, 1, std::max(1, omp_get_thread_limit()));
  omp_set_num_threads(n);
  openblas_set_num_threads(n);
}

int num_threads() {
  return omp_get_max_threads();
}

int default_num_threads() {
  // Distinct (package, core) pairs: SMT siblings share a core's FMA units, so they add little to
  // matrix products and only contend.
  std::set<std::pair<std::string, std::string>> cores;
  for (int cpu = 0;; ++cpu) {
    const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::ifstream package(dir + "physical_package_id"), core(dir + "core_id");
    std::string p, c;
    if (!(package >> p) || !(core >> c)) break;
    cores.insert({p, c});
  }
  const int usable = std::max(1, std::min(omp_get_num_procs(), omp_get_thread_limit()));  // affinity, limit
  return cores.empty() ? usable : std::min(usable, static_cast<int>(cores.size()));
}

}  // namespace cllm::kernels
