// Temp-file-then-rename writes. A fixed table of live temp paths lets a
// signal handler unlink them without allocating.
#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/temp_file.h"

namespace leadclean {
namespace {

// Enough for the outputs, the stdin spool and --split-by's files (at most
// 64 groups), each with its temp file, so an interrupted split cleans up.
constexpr int kMaxLive = 160;
char g_live_paths[kMaxLive][4096];
std::atomic<bool> g_live_used[kMaxLive];

int RegisterLive(const std::string& path) {
  for (int i = 0; i < kMaxLive; ++i) {
    bool expected = false;
    if (path.size() < sizeof(g_live_paths[i]) &&
        g_live_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_live_paths[i], path.c_str(), path.size() + 1);
      return i;
    }
  }
  return -1;
}

void UnregisterLive(const std::string& path) {
  for (int i = 0; i < kMaxLive; ++i) {
    if (g_live_used[i] && path == g_live_paths[i]) {
      g_live_used[i] = false;
    }
  }
}

std::string Reason(const std::string& path) {
  return path + ": " + std::strerror(errno);
}

}  // namespace

void RegisterTempFile(const std::string& path) { RegisterLive(path); }
void UnregisterTempFile(const std::string& path) { UnregisterLive(path); }

void RemoveAllTempFiles() {
  for (int i = 0; i < kMaxLive; ++i) {
    if (g_live_used[i]) {
      unlink(g_live_paths[i]);
    }
  }
}

AtomicFile::~AtomicFile() { Abort(); }

bool AtomicFile::Open(const std::string& path, std::string* error) {
  path_ = path;
  if (path == "-") {
    is_stdout_ = true;
    fd_ = STDOUT_FILENO;
    return true;
  }
  struct stat existing;
  bool exists = stat(path.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode)) {
    *error = path + ": Is a directory";
    return false;
  }
  if (exists && !S_ISREG(existing.st_mode)) {
    fd_ = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    direct_ = true;
    if (fd_ < 0) {
      *error = Reason(path);
      return false;
    }
    return true;
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  std::string name = target.filename().string();
  temp_path_ = (dir / ("." + name + ".leadclean-XXXXXX")).string();
  fd_ = mkstemp(temp_path_.data());
  if (fd_ < 0) {
    *error = Reason(path);
    temp_path_.clear();
    return false;
  }
  fchmod(fd_, 0644);
  RegisterLive(temp_path_);
  return true;
}

bool AtomicFile::Write(std::string_view bytes, std::string* error) {
  if (positional()) {
    return WriteAt(bytes, Reserve(bytes.size()), error);
  }
  while (!bytes.empty()) {
    ssize_t n = write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      *error = Reason(path_);
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool AtomicFile::WriteAt(std::string_view bytes, uint64_t offset,
                         std::string* error) const {
  if (!WriteAllAt(fd_, bytes, offset)) {
    *error = Reason(path_);
    return false;
  }
  return true;
}

bool AtomicFile::Commit(std::string* error) {
  if (fd_ < 0 && temp_path_.empty() && !is_stdout_) {
    return true;  // never opened: nothing to commit
  }
  if (is_stdout_) {
    fd_ = -1;
    return true;
  }
  if (direct_) {
    bool ok = close(fd_) == 0;
    fd_ = -1;
    if (!ok) {
      *error = Reason(path_);
    }
    return ok;
  }
  bool ok = fsync(fd_) == 0;
  ok = (close(fd_) == 0) && ok;
  fd_ = -1;
  if (!ok || rename(temp_path_.c_str(), path_.c_str()) != 0) {
    *error = Reason(path_);
    Abort();
    return false;
  }
  UnregisterLive(temp_path_);
  temp_path_.clear();
  return true;
}

void AtomicFile::Abort() {
  if (is_stdout_) {
    fd_ = -1;
    return;
  }
  if (direct_) {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = -1;
    return;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    unlink(temp_path_.c_str());
    UnregisterLive(temp_path_);
    temp_path_.clear();
  }
}

}  // namespace leadclean
