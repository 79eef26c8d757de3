#include "data/corpus.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "util/error.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("cllm-test-data-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

  // Writes `bytes` to path()/relative, creating folders on the way.
  fs::path write(const fs::path& relative, const std::string& bytes) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  fs::path path_;
};

// Expects load_corpus(path) to throw a one-line cllm::Error containing every one of `parts`.
void expect_error(const fs::path& path, const std::vector<std::string>& parts) {
  try {
    load_corpus(path);
    ADD_FAILURE() << "no error loading " << path;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    for (const std::string& part : parts)
      EXPECT_NE(message.find(part), std::string::npos) << message << "\nlacks: " << part;
  }
}

std::string quoted(const fs::path& p) {
  return "'" + p.string() + "'";
}

TEST(Corpus, LoadsASingleFileAsIs) {
  TempDir dir("single");
  const fs::path file = dir.write("story.txt", "Once upon a time.\nThe end.");
  const Corpus corpus = load_corpus(file);
  EXPECT_EQ(corpus.name, file.string());
  EXPECT_EQ(corpus.text, "Once upon a time.\nThe end.");  // no newline added at the end
  ASSERT_EQ(corpus.files.size(), 1u);
  EXPECT_EQ(corpus.files[0].path, file);
  EXPECT_EQ(corpus.files[0].bytes, 26u);
}

TEST(Corpus, AFileGivenDirectlyIsReadWhateverItsExtension) {
  TempDir dir("extension");
  const fs::path file = dir.write("notes.md", "caf\xC3\xA9 au lait\n");
  EXPECT_EQ(load_corpus(file).text, "caf\xC3\xA9 au lait\n");
}

TEST(Corpus, FolderIsSearchedRecursivelyInSortedOrderAndJoinedWithNewlines) {
  TempDir dir("folder");
  dir.write("b.txt", "bee\n");   // ends with a newline: nothing inserted after it
  dir.write("a.TXT", "ay");      // extension case does not matter; a newline is inserted after it
  dir.write("a-b.txt", "dash");  // string order would put this before a/x.txt; component order puts it after
  dir.write("a/x.Txt", "ex\n\n");
  dir.write("sub/deep/c.txt", "sea");
  dir.write("z.txt/inner.txt", "in");  // a real folder named *.txt is searched like any folder
  dir.write("readme.md", "ignored");
  dir.write("data.bin", std::string("\0\1\2", 3));
  dir.write("b.txt.bak", "ignored too");
  dir.write("sub/noext", "ignored");

  const Corpus corpus = load_corpus(dir.path());
  EXPECT_EQ(corpus.name, dir.path().string());
  EXPECT_EQ(corpus.text, "ex\n\ndash\nay\nbee\nsea\nin");
  const std::vector<std::pair<fs::path, size_t>> expected = {{"a/x.Txt", 4},        {"a-b.txt", 4},
                                                             {"a.TXT", 2},          {"b.txt", 4},
                                                             {"sub/deep/c.txt", 3}, {"z.txt/inner.txt", 2}};
  ASSERT_EQ(corpus.files.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(corpus.files[i].path, dir.path() / expected[i].first) << i;
    EXPECT_EQ(corpus.files[i].bytes, expected[i].second) << i;
  }
}

TEST(Corpus, ByteOrderMarkIsDroppedButCountedInFileSize) {
  TempDir dir("bom");
  const fs::path file = dir.write("one.txt", "\xEF\xBB\xBFhello");
  Corpus corpus = load_corpus(file);
  EXPECT_EQ(corpus.text, "hello");
  EXPECT_EQ(corpus.files[0].bytes, 8u);

  dir.write("folder/1.txt",
            "\xEF\xBB\xBF"
            "first");
  dir.write("folder/2.txt",
            "\xEF\xBB\xBF"
            "second\xEF\xBB\xBF");  // only a leading BOM is a BOM
  corpus = load_corpus(dir.path() / "folder");
  EXPECT_EQ(corpus.text, "first\nsecond\xEF\xBB\xBF");
}

TEST(Corpus, MissingPathIsReported) {
  TempDir dir("missing");
  expect_error(dir.path() / "nothing.txt", {quoted(dir.path() / "nothing.txt"), "does not exist"});
  const fs::path file = dir.write("file.txt", "text");
  expect_error(file / "below.txt", {quoted(file / "below.txt"), "does not exist"});
}

TEST(Corpus, PathThatIsNeitherFileNorFolderIsReported) {
  TempDir dir("fifo");
  const fs::path fifo = dir.path() / "pipe.txt";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  expect_error(fifo, {quoted(fifo), "is not a regular file or folder"});
}

TEST(Corpus, FolderWithoutTextFilesIsReported) {
  TempDir dir("notxt");
  dir.write("a.md", "words");
  dir.write("sub/b.text", "words");
  expect_error(dir.path(), {quoted(dir.path()), "contains no .txt file"});
  fs::create_directories(dir.path() / "empty");
  expect_error(dir.path() / "empty", {"contains no .txt file"});
}

TEST(Corpus, EmptyFilesAreReported) {
  TempDir dir("empty");
  expect_error(dir.write("zero.txt", ""), {quoted(dir.path() / "zero.txt"), "is empty"});
  expect_error(dir.write("bom_only.txt", "\xEF\xBB\xBF"), {"bom_only.txt", "is empty"});
  // In a folder, the one empty file fails the load and is named.
  dir.write("folder/a.txt", "good text");
  dir.write("folder/b.txt", "");
  dir.write("folder/c.txt", "more good text");
  expect_error(dir.path() / "folder", {quoted(dir.path() / "folder" / "b.txt"), "is empty"});
}

TEST(Corpus, WhitespaceOnlyCorpusIsReported) {
  TempDir dir("blank");
  expect_error(dir.write("blank.txt", " \n\t\r\n"),
               {quoted(dir.path() / "blank.txt"), "contains only whitespace"});
  dir.write("folder/a.txt", "\n\n");
  dir.write("folder/b.txt", "   ");
  expect_error(dir.path() / "folder",
               {quoted(dir.path() / "folder"), "contains only whitespace", "2 .txt file"});
  // One whitespace-only file among real text is fine.
  dir.write("folder/c.txt", "words");
  EXPECT_EQ(load_corpus(dir.path() / "folder").text, "\n\n   \nwords");
}

TEST(Corpus, BinaryFileIsReportedWithTheOffsetOfItsFirstNul) {
  TempDir dir("binary");
  expect_error(dir.write("bin.txt", std::string("ab\0cd\0", 6)),
               {quoted(dir.path() / "bin.txt"), "looks like a binary file: NUL byte at offset 2"});
  // The offset is in the file as stored, BOM included.
  expect_error(dir.write("bom.txt", std::string("\xEF\xBB\xBF"
                                                "ab\0",
                                                6)),
               {"NUL byte at offset 5"});
  dir.write("folder/good.txt", "fine");
  dir.write("folder/sub/bad.txt", std::string("x\0", 2));
  expect_error(dir.path() / "folder",
               {quoted(dir.path() / "folder" / "sub" / "bad.txt"), "NUL byte at offset 1"});
}

// Issue 13, defect 12: a 1 GB file of NUL bytes was read whole (1 GiB of memory) before it was rejected.
// Now the first chunk decides; the peak RSS of this test's process shows nothing near 1 GiB was held.
TEST(Corpus, GigabyteOfNulBytesIsRejectedWithoutReadingItAll) {
  TempDir dir("nul-gigabyte");
  const fs::path path = dir.path() / "zeros.txt";
  std::ofstream(path).close();
  fs::resize_file(path, 1ull << 30);  // sparse: a gigabyte of NUL bytes that takes no disk space
  expect_error(path, {quoted(path), "looks like a binary file: NUL byte at offset 0"});
  rusage usage{};
  ASSERT_EQ(::getrusage(RUSAGE_SELF, &usage), 0);
  EXPECT_LT(usage.ru_maxrss, 512L * 1024) << "peak RSS in KiB";
}

TEST(Corpus, InvalidUtf8IsReportedWithByteOffsetLineAndColumn) {
  TempDir dir("utf8");
  expect_error(
      dir.write("bad.txt", "ab\ncd\xC3("),
      {quoted(dir.path() / "bad.txt"), "is not valid UTF-8: byte 0xC3 at offset 5 (line 2, column 3)"});
  // Column counts code points (the e-acute is one), offset counts bytes including the BOM.
  expect_error(dir.write("bom.txt",
                         "\xEF\xBB\xBF"
                         "caf\xC3\xA9\xFF"),
               {"is not valid UTF-8: byte 0xFF at offset 8 (line 1, column 5)"});
  dir.write("folder/a.txt", "good");
  dir.write("folder/b.txt", "\xED\xA0\x80");  // a surrogate
  expect_error(dir.path() / "folder",
               {quoted(dir.path() / "folder" / "b.txt"), "byte 0xED at offset 0 (line 1, column 1)"});
}

TEST(Corpus, UnreadableFilesAreReportedWithTheSystemReason) {
  TempDir dir("unreadable");
  // A symbolic-link loop cannot be read even by root, so this runs everywhere.
  const fs::path loop = dir.path() / "loop.txt";
  fs::create_symlink("loop.txt", loop);
  expect_error(loop, {"cannot read corpus path", quoted(loop), std::strerror(ELOOP)});

  dir.write("folder/a.txt", "good");
  fs::create_symlink("self.txt", dir.path() / "folder" / "self.txt");
  expect_error(dir.path() / "folder",
               {"cannot read corpus file", quoted(dir.path() / "folder" / "self.txt"), std::strerror(ELOOP)});

  if (::geteuid() != 0) {  // root reads files whatever their permissions
    const fs::path locked = dir.write("locked.txt", "secret");
    fs::permissions(locked, fs::perms::none);
    expect_error(locked, {"cannot read corpus file", quoted(locked), std::strerror(EACCES)});
  }
}

TEST(Corpus, NonRegularTextEntriesInAFolderAreReportedNotSkipped) {
  TempDir dir("special");
  dir.write("fifo/a.txt", "good");
  ASSERT_EQ(::mkfifo((dir.path() / "fifo" / "pipe.txt").c_str(), 0600), 0);
  expect_error(dir.path() / "fifo", {quoted(dir.path() / "fifo" / "pipe.txt"), "is not a regular file"});

  dir.write("dangling/a.txt", "good");
  fs::create_symlink("gone", dir.path() / "dangling" / "gone.txt");
  expect_error(dir.path() / "dangling",
               {quoted(dir.path() / "dangling" / "gone.txt"), std::strerror(ENOENT)});

  dir.write("linked/a.txt", "good");
  dir.write("elsewhere/b.txt", "other");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "linked" / "more.txt");
  expect_error(dir.path() / "linked", {quoted(dir.path() / "linked" / "more.txt"), "is not a regular file"});

  // A symbolic link to a folder without a .txt name is not followed, so a cycle cannot trap the search.
  dir.write("cycle/a.txt", "good");
  fs::create_directory_symlink(dir.path() / "cycle", dir.path() / "cycle" / "again");
  EXPECT_EQ(load_corpus(dir.path() / "cycle").text, "good");

  // A symbolic link to a regular file is read like the file.
  dir.write("filelink/a.txt", "one");
  fs::create_symlink(dir.path() / "elsewhere" / "b.txt", dir.path() / "filelink" / "b.txt");
  EXPECT_EQ(load_corpus(dir.path() / "filelink").text, "one\nother");
}

TEST(Corpus, ControlCharactersInFileNamesDoNotBreakTheOneLineMessage) {
  TempDir dir("names");
  const fs::path file = dir.write("bad\nname.txt", "");
  expect_error(file, {"bad\\x0Aname.txt", "is empty"});
}

}  // namespace
}  // namespace cllm
