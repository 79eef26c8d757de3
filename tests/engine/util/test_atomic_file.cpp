#include "util/atomic_file.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("cllm-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

size_t count_files(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFile, WritesAndReplaces) {
  const fs::path dir = fresh_dir("atomic");
  const fs::path file = dir / "a.bin";
  write_file_atomically(file, "first");
  EXPECT_EQ(read_all(file), "first");
  write_file_atomically(file, "second version");
  EXPECT_EQ(read_all(file), "second version");
  EXPECT_EQ(count_files(dir), 1u);  // no temporary left behind
  fs::remove_all(dir);
}

TEST(AtomicFile, AbandonedWriteKeepsPreviousFile) {
  const fs::path dir = fresh_dir("abandon");
  const fs::path file = dir / "a.bin";
  write_file_atomically(file, "keep me");
  {
    AtomicFileWriter w(file);
    w.write("partial");
    // destroyed without commit, as when an exception unwinds mid-save
  }
  EXPECT_EQ(read_all(file), "keep me");
  EXPECT_EQ(count_files(dir), 1u);
  fs::remove_all(dir);
}

TEST(AtomicFile, MissingFolderIsAClearError) {
  try {
    write_file_atomically("/nonexistent-cllm-dir/x.bin", "x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

// Issue 13, defect 7: `--out` naming a folder (or ending in '/') was found only at the first save, after
// an evaluation interval of training. require_can_save finds it, and a missing folder, up front.
TEST(AtomicFile, OutNamingAFolderIsRefusedBeforeAnyWork) {
  const fs::path dir = fresh_dir("can-save");
  for (const fs::path& folder : {dir, fs::path(dir.string() + "/")}) {
    try {
      require_can_save(folder);
      FAIL() << "accepted a folder: " << folder;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("it names a folder, not a file"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(require_can_save(dir / "missing" / "x.safetensors"), Error);
  require_can_save(dir / "x.safetensors");  // a good destination: the probe leaves nothing behind
  EXPECT_EQ(count_files(dir), 0u);
  fs::remove_all(dir);
}

// Issue 13, defect 8: the temporary files of saves interrupted by kill -9 were never removed. The next
// save to the same destination removes those whose process is gone, and leaves a live writer's alone.
TEST(AtomicFile, TempFilesOfKilledSavesAreRemovedByTheNextSave) {
  const fs::path dir = fresh_dir("stale"), file = dir / "x.bin";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // a save killed halfway
    AtomicFileWriter writer(file);
    writer.write("half");
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(count_files(dir), 1u);  // the killed save's temporary file

  AtomicFileWriter live(file);  // a save in progress in a running process
  write_file_atomically(file, "new");
  EXPECT_EQ(read_all(file), "new");
  EXPECT_EQ(count_files(dir), 2u);  // x.bin and the live writer's file; the killed one's is gone
  live.write("newer");
  live.commit();
  EXPECT_EQ(read_all(file), "newer");
  EXPECT_EQ(count_files(dir), 1u);
  fs::remove_all(dir);
}

TEST(AtomicFile, WriteFailureMidwayIsAClearErrorAndKeepsPreviousFile) {
  // A file-size limit makes write() fail part-way with EFBIG, the same path a full disk (ENOSPC) takes.
  const fs::path dir = fresh_dir("full");
  const fs::path file = dir / "a.bin";
  write_file_atomically(file, "old content");
  struct rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    write_file_atomically(file, std::string(100000, 'x'));
  } catch (const Error& e) {
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find("write failed"), std::string::npos) << message;
  EXPECT_NE(message.find("a.bin"), std::string::npos) << message;
  EXPECT_EQ(read_all(file), "old content");
  EXPECT_EQ(count_files(dir), 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cllm
