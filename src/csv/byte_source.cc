// Byte sources: files and stdin through read(2) straight into the caller's
// buffer (no stdio layer, no extra copy), and in-memory bytes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "leadclean/csv.h"

namespace leadclean {
namespace {

std::string SystemError(const std::string& name, int error_number) {
  return name + ": " + std::strerror(error_number);
}

class FdByteSource : public ByteSource {
 public:
  FdByteSource(int fd, std::string name, bool owns_fd)
      : fd_(fd), name_(std::move(name)), owns_fd_(owns_fd) {}
  ~FdByteSource() override {
    if (owns_fd_) {
      close(fd_);
    }
  }
  FdByteSource(const FdByteSource&) = delete;
  FdByteSource& operator=(const FdByteSource&) = delete;

  long Read(char* buf, size_t n) override {
    for (;;) {
      const ssize_t count = read(fd_, buf, n);
      if (count >= 0) {
        source_bytes_ += static_cast<uint64_t>(count);
        return static_cast<long>(count);
      }
      if (errno != EINTR) {
        error_ = SystemError(name_, errno);
        return -1;
      }
    }
  }

 private:
  int fd_;
  std::string name_;
  bool owns_fd_;
};

class StringByteSource : public ByteSource {
 public:
  explicit StringByteSource(std::string bytes) : bytes_(std::move(bytes)) {}

  long Read(char* buf, size_t n) override {
    const size_t count = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, count);
    pos_ += count;
    source_bytes_ += count;
    return static_cast<long>(count);
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> OpenByteSource(const std::string& path,
                                           std::string* error) {
  if (path == "-") {
    return std::make_unique<FdByteSource>(STDIN_FILENO, "stdin", false);
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = SystemError(path, errno);
    return nullptr;
  }
  struct stat info;
  if (fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    close(fd);
    *error = path + ": is a directory";
    return nullptr;
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FdByteSource>(fd, path, true);
}

std::unique_ptr<ByteSource> MemoryByteSource(std::string bytes) {
  return std::make_unique<StringByteSource>(std::move(bytes));
}

}  // namespace leadclean
