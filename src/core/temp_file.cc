#include "core/temp_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace leadclean {

std::string TempDir() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

int OpenAnonymousFile(const std::string& dir, std::string_view name,
                      std::string* path) {
  *path = dir + "/" + std::string(name) + "-XXXXXX";
  int fd = mkstemp(path->data());
  if (fd >= 0) {
    unlink(path->c_str());
  }
  return fd;
}

bool WriteAllAt(int fd, std::string_view bytes, uint64_t offset) {
  while (!bytes.empty()) {
    ssize_t n = pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

bool ReadAllAt(int fd, char* out, size_t size, uint64_t offset) {
  while (size > 0) {
    ssize_t n = pread(fd, out, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    out += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

}  // namespace leadclean
