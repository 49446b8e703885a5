// Output files that appear whole or not at all.
//
// Data goes to a temp file in the destination folder; Commit() fsyncs it and
// renames it over the destination. An AtomicFile destroyed without Commit()
// removes its temp file. "-" writes straight to stdout, and an existing
// FIFO or device (/dev/stdout, a named pipe) is written in place: neither
// can be atomic, and renaming over them would replace them.
#ifndef LEADCLEAN_CORE_ATOMIC_FILE_H_
#define LEADCLEAN_CORE_ATOMIC_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace leadclean {

class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Creates the temp file beside `path`. Returns false with
  // "path: reason" on failure.
  bool Open(const std::string& path, std::string* error);
  // Appends bytes. Returns false with "path: reason" (e.g. disk full).
  bool Write(std::string_view bytes, std::string* error);
  // Writing from several threads: a temp file (not stdout, a FIFO or a
  // device) is positional; Reserve() then hands out its next `size` bytes,
  // in the order it is called, and WriteAt() fills them from any thread.
  bool positional() const { return fd_ >= 0 && !is_stdout_ && !direct_; }
  uint64_t Reserve(uint64_t size) { return (end_ += size) - size; }
  bool WriteAt(std::string_view bytes, uint64_t offset,
               std::string* error) const;
  // fsync + rename. Returns false with a message; the temp file is removed.
  bool Commit(std::string* error);
  // Removes the temp file; safe to call twice.
  void Abort();

  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  uint64_t end_ = 0;  // bytes written or reserved (positional files)
  bool is_stdout_ = false;
  bool direct_ = false;  // a FIFO or device: written in place, not renamed
};

// Removes every temp file still open; async-signal-safe enough for a
// SIGINT/SIGTERM handler (unlink only).
void RemoveAllTempFiles();

// Adds a temp file of another kind (the stdin spool) to the ones
// RemoveAllTempFiles removes, or takes it off again.
void RegisterTempFile(const std::string& path);
void UnregisterTempFile(const std::string& path);

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_ATOMIC_FILE_H_
