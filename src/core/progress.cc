// Progress line on stderr (see progress.h).
#include "core/progress.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace leadclean {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kInterval = std::chrono::milliseconds(100);

std::string Bytes(uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 30)) {
    std::snprintf(text, sizeof(text), "%.1f GiB", bytes / 1073741824.0);
  } else if (bytes >= (1ull << 20)) {
    std::snprintf(text, sizeof(text), "%.1f MiB", bytes / 1048576.0);
  } else {
    std::snprintf(text, sizeof(text), "%.0f KiB", bytes / 1024.0);
  }
  return text;
}

std::string Duration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld", s / 3600,
                  s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof(text), "%lld:%02lld", s / 60, s % 60);
  }
  return text;
}

void WriteAll(const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t n = write(STDERR_FILENO, p, left);
    if (n <= 0) {
      return;  // nothing to do about a broken stderr
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

bool StderrIsTerminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 &&
         (term == nullptr || std::strcmp(term, "dumb") != 0);
}

bool UseColour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return StderrIsTerminal() && (no_colour == nullptr || *no_colour == '\0');
}

Progress::Progress(std::vector<uint64_t> sizes, int passes)
    : sizes_(std::move(sizes)),
      passes_(std::max(passes, 1)),
      start_(Clock::now()),
      pass_start_(start_) {
  bool known = !sizes_.empty();
  for (uint64_t size : sizes_) {
    total_ += size;
    known = known && size > 0;
  }
  if (!known) {
    total_ = 0;
  }
  thread_ = std::thread([this] { Loop(); });
}

Progress::~Progress() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  Clear();
}

void Progress::StartPass(int pass) {
  std::lock_guard<std::mutex> lock(mutex_);
  pass_.store(pass, std::memory_order_relaxed);
  input_.store(0, std::memory_order_relaxed);
  bytes_.store(0, std::memory_order_relaxed);
  rows_.store(0, std::memory_order_relaxed);
  pass_start_ = Clock::now();
}

void Progress::Update(size_t input, uint64_t bytes, uint64_t rows) {
  input_.store(input, std::memory_order_relaxed);
  bytes_.store(bytes, std::memory_order_relaxed);
  rows_.fetch_add(rows, std::memory_order_relaxed);
}

std::string Progress::Line() {
  const auto now = Clock::now();
  const int pass = pass_.load(std::memory_order_relaxed);
  const size_t input = input_.load(std::memory_order_relaxed);
  const uint64_t rows = rows_.load(std::memory_order_relaxed);
  uint64_t done = 0;
  for (size_t i = 0; i < std::min(input, sizes_.size()); ++i) {
    done += sizes_[i];
  }
  if (input < sizes_.size()) {
    done += bytes_.load(std::memory_order_relaxed);
  }
  Clock::time_point pass_start;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pass_start = pass_start_;
  }
  const double pass_seconds =
      std::chrono::duration<double>(now - pass_start).count();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  char text[256];
  int n = std::snprintf(
      text, sizeof(text), "leadclean: %s%llu rows, %.0f rows/s, %s read",
      passes_ > 1 ? (pass == 1 ? "pass 1/2: " : "pass 2/2: ") : "",
      static_cast<unsigned long long>(rows),
      pass_seconds > 0 ? static_cast<double>(rows) / pass_seconds : 0.0,
      Bytes(done).c_str());
  std::string line(text, n > 0 ? static_cast<size_t>(n) : 0);
  if (total_ > 0) {
    const double whole = static_cast<double>(total_) * passes_;
    const double fraction = std::min(
        1.0, (static_cast<double>(total_) * (pass - 1) +
              static_cast<double>(std::min(done, total_))) / whole);
    n = std::snprintf(text, sizeof(text), " of %s, %3.0f%%",
                      Bytes(total_).c_str(), fraction * 100.0);
    line.append(text, n > 0 ? static_cast<size_t>(n) : 0);
    if (fraction > 0.01) {
      line += ", ETA " + Duration(seconds * (1.0 - fraction) / fraction);
    }
  }
  return line;
}

void Progress::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kInterval, [this] { return stop_; })) {
    lock.unlock();
    Draw();
    lock.lock();
  }
}

void Progress::Draw() {
  std::string line = Line();
  const size_t width = line.size();
  if (width < drawn_) {
    line.append(drawn_ - width, ' ');
  }
  drawn_ = width;
  WriteAll("\r" + line);
}

void Progress::Clear() {
  if (drawn_ > 0) {
    WriteAll("\r" + std::string(drawn_, ' ') + "\r");
    drawn_ = 0;
  }
}

std::unique_ptr<Progress> MakeProgress(const std::vector<std::string>& paths,
                                       bool quiet, int passes) {
  if (quiet || !StderrIsTerminal()) {
    return nullptr;
  }
  std::vector<uint64_t> sizes;
  for (const std::string& path : paths) {
    struct stat info;
    const bool ok = path == "-" ? fstat(STDIN_FILENO, &info) == 0
                                : stat(path.c_str(), &info) == 0;
    sizes.push_back(ok && S_ISREG(info.st_mode)
                        ? static_cast<uint64_t>(info.st_size)
                        : 0);
  }
  return std::make_unique<Progress>(std::move(sizes), passes);
}

}  // namespace leadclean
