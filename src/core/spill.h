// What the first pass decided about every row, kept for the second pass.
//
// The row-local stages run once, in the first pass; their Findings are
// encoded batch by batch into an anonymous temp file (unlinked as soon as it
// is created, so nothing is left behind even after SIGKILL) and decoded in
// the second pass beside the same rows read again. The file grows with the
// rows' findings, not with memory.
#ifndef LEADCLEAN_CORE_SPILL_H_
#define LEADCLEAN_CORE_SPILL_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "leadclean/record.h"

namespace leadclean {

// LEB128 varints and varint-length strings, the encoding of the temp files
// (also --merge's, in dedup.cc). The getters advance `in` and return false
// when it is cut short.
void PutVarint(uint64_t value, std::string* out);
bool GetVarint(std::string_view* in, uint64_t* value);
void PutString(std::string_view text, std::string* out);
bool GetString(std::string_view* in, std::string* text);

// Appends `findings` to `out` in a compact binary form.
void EncodeFindings(const Findings& findings, std::string* out);
// Decodes one Findings from the front of `in` and advances it. Returns false
// when `in` is cut short or corrupt.
bool DecodeFindings(std::string_view* in, Findings* findings);

// Chunks written by any thread, in any order, each read back by where it
// went. The first pass writes a batch's chunk on the worker that encoded it
// and keeps (offset, size) in input order; the second pass reads each one
// on the worker that decodes it, so no file I/O is left in a serial filter.
class SpillFile {
 public:
  SpillFile() = default;
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Creates the file in $TMPDIR (or /tmp) and unlinks it at once.
  bool Open(std::string* error);
  // Writes `bytes` after every chunk reserved so far and sets `*offset` to
  // where they went. Safe to call from several threads at once.
  bool Write(std::string_view bytes, uint64_t* offset, std::string* error);
  // Reads back `size` bytes written at `offset`. Safe from several threads.
  bool Read(uint64_t offset, uint64_t size, std::string* bytes,
            std::string* error) const;
  uint64_t size() const { return end_.load(); }

 private:
  int fd_ = -1;
  std::atomic<uint64_t> end_{0};
};

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_SPILL_H_
