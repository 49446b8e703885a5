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
#include <span>
#include <string>
#include <string_view>

#include "leadclean/record.h"

namespace leadclean {

// LEB128 varints and varint-length strings (--merge's temp file, in
// dedup.cc, and the lengths below). The getters advance `in` and return
// false when it is cut short.
void PutVarint(uint64_t value, std::string* out);
bool GetVarint(std::string_view* in, uint64_t* value);
void PutString(std::string_view text, std::string* out);
bool GetString(std::string_view* in, std::string* text);

// Encodes the findings of a batch's rows, in order, as one chunk of the
// spill file. Only what the second pass reads is kept: every lc_* column,
// flags, the reason with its rule and detail, duplicate_of and cluster. The
// cross-row keys (email_key, person_key, company_key, city_key,
// phone_fixed_mask) are read in the first pass only (PrepareRow, Prepass)
// and are not kept; of phone_all the second pass only asks for the primary
// phone (the bot stage's shared-phone value: phone_all's first entry, else
// lc_phone), so the list is kept only when its first entry differs from
// lc_phone, and then as that entry alone.
//
// Each row is a 32-bit mask of the members that are not empty (or zero),
// then only those: a string as its varint length and bytes, the reason as a
// byte, a number as a varint. The view points into a buffer of the calling
// thread and is valid until that thread's next call.
std::string_view EncodeFindings(std::span<const Findings> rows);

// Fills `rows` from a chunk EncodeFindings made of as many rows; the members
// it does not keep come back empty. Returns false when the chunk is cut
// short, corrupt or longer (`rows` are then partly filled).
bool DecodeFindings(std::string_view chunk, std::span<Findings> rows);

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
  // Reads back `size` bytes written at `offset` into a buffer of the calling
  // thread; `*bytes` is valid until that thread's next Read. Safe from
  // several threads.
  bool Read(uint64_t offset, uint64_t size, std::string_view* bytes,
            std::string* error) const;
  uint64_t size() const { return end_.load(); }

 private:
  int fd_ = -1;
  std::atomic<uint64_t> end_{0};
};

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_SPILL_H_
