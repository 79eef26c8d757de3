#pragma once
// Loading a training corpus from disk: one text file, or every *.txt file under a folder.
//
// The result owns its text, which is always valid UTF-8 and holds at least one non-whitespace
// character; anything else is a cllm::Error whose one-line message names the offending file. A folder
// never skips a bad file silently: one bad .txt file fails the whole load.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cllm {

struct CorpusFile {
  std::filesystem::path path;
  size_t bytes;  // size on disk, including a byte-order mark if there was one
};

struct Corpus {
  std::string name;               // "built-in" or the path as given
  std::string text;               // valid UTF-8, non-empty
  std::vector<CorpusFile> files;  // empty for the built-in corpus
};

// A .txt file, or a folder searched recursively for regular *.txt files (extension case-insensitive),
// concatenated in sorted relative-path order with a "\n" inserted between files when the previous one
// does not end with one. Throws cllm::Error, one line, naming the file:
//   missing path; not a regular file or folder; unreadable (strerror); a folder without any .txt file;
//   an empty file or a corpus with no non-whitespace character; a binary file ("looks like a binary
//   file: NUL byte at offset N"); invalid UTF-8 ("is not valid UTF-8: byte 0xC3 at offset N (line L,
//   column C)" — use text/utf8.h find_invalid). A folder skips nothing silently: one bad file fails the
//   load and is named. A UTF-8 BOM at the start of a file is dropped.
//
// Details: offsets are byte offsets in the file as stored (a dropped BOM still counts); line and column
// count code points after the BOM. Paths are sorted component by component in byte order, so a
// subfolder's files stay together. Inside a folder, a real subfolder whose name ends in .txt is just
// searched like any other subfolder, while any other non-regular entry named *.txt (FIFO, socket,
// dangling or looping symbolic link, link to a folder) is an error. Symbolic links to folders are not
// followed, so a link cycle cannot make the search endless. A path given directly is read whatever its
// extension.
Corpus load_corpus(const std::filesystem::path& path);

}  // namespace cllm
