// Progress on stderr for interactive runs, and the colour decision shared
// with the summary. Nothing is drawn unless stderr is a terminal, so pipes,
// cron and CI see no progress at all.
#ifndef LEADCLEAN_CORE_PROGRESS_H_
#define LEADCLEAN_CORE_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace leadclean {

// Whether stderr is a terminal (and TERM is not "dumb").
bool StderrIsTerminal();
// Colour on stderr: a terminal, and NO_COLOR unset or empty
// (https://no-color.org convention).
bool UseColour();

// One status line, redrawn with \r at most 10 times a second by a thread of
// its own: rows, rows/s, bytes read and, when every input's size is known
// (regular files, spooled stdin), percent and ETA. The pipeline only calls
// Update() once per batch (a few relaxed atomic stores). The line is
// cleared when the object is destroyed. It never writes ANSI sequences.
class Progress {
 public:
  // `sizes`: each input's size in bytes, 0 when unknown. `passes`: 2 when
  // the inputs are read twice (see ARCHITECTURE.md, "Two passes").
  Progress(std::vector<uint64_t> sizes, int passes);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void StartPass(int pass);  // 1-based
  // After a batch: `rows` more rows read; reading is now `bytes` bytes into
  // input `input` (inputs before it are done).
  void Update(size_t input, uint64_t bytes, uint64_t rows);

  // The line as it would be drawn now (for tests).
  std::string Line();

 private:
  void Loop();
  void Draw();
  void Clear();

  std::vector<uint64_t> sizes_;
  uint64_t total_ = 0;  // 0 when any size is unknown
  int passes_;
  std::atomic<int> pass_{1};
  std::atomic<size_t> input_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> rows_{0};  // rows of the current pass
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point pass_start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  size_t drawn_ = 0;  // width of the line on screen
  std::thread thread_;
};

// A Progress for these inputs ("-" = stdin; sizes from stat) when stderr
// is a terminal and not `quiet`; otherwise nullptr.
std::unique_ptr<Progress> MakeProgress(const std::vector<std::string>& paths,
                                       bool quiet, int passes);

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_PROGRESS_H_
