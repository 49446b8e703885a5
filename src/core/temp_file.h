// Temp files the run keeps to itself: the first pass's findings, --merge's
// values, --sort's runs. Each is unlinked as soon as it is created, so it
// lives exactly as long as its descriptor and nothing is left behind, even
// after SIGKILL.
#ifndef LEADCLEAN_CORE_TEMP_FILE_H_
#define LEADCLEAN_CORE_TEMP_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace leadclean {

// $TMPDIR, else /tmp.
std::string TempDir();

// Creates DIR/NAME-XXXXXX and unlinks it. Returns the descriptor, or -1 with
// errno set; `*path` is the name tried, for messages.
int OpenAnonymousFile(const std::string& dir, std::string_view name,
                      std::string* path);

// pwrite / pread of the whole range at `offset`, retrying on EINTR. False on
// an error (errno says which) or, for a read, on reaching the end first.
bool WriteAllAt(int fd, std::string_view bytes, uint64_t offset);
bool ReadAllAt(int fd, char* out, size_t size, uint64_t offset);

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_TEMP_FILE_H_
