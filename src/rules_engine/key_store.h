// A cross-row detector's first-pass keys, on disk instead of in memory: a
// 10M-row first pass would otherwise hold some 600 MB of keys beside
// dedup's index. Keys are fixed-size structs whose `uint64_t key` is a
// hash; Append writes them to an unlinked temp file in 1 MiB blocks, and
// TakeRepeated reads them back twice: first to find the hashes that occur
// often enough to matter, counted in slices of at most 32 MiB of hashes
// (picked by the hash's top byte, whose counts are kept as keys come in),
// then to load only the keys of those hashes. Most IPs, phones and texts
// occur once, so what a decision holds in memory is small. An input whose
// keys fit in one block never touches the disk.
#ifndef LEADCLEAN_RULES_ENGINE_KEY_STORE_H_
#define LEADCLEAN_RULES_ENGINE_KEY_STORE_H_

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/temp_file.h"

namespace leadclean {

template <typename Key>
class KeyStore {
  static_assert(std::is_trivially_copyable_v<Key>);

 public:
  // `block_keys` keys a write, `slice_hashes` hashes counted at once; tests
  // make them small.
  explicit KeyStore(size_t block_keys = (size_t{1} << 20) / sizeof(Key),
                    size_t slice_hashes = (size_t{32} << 20) / 8)
      : block_keys_(block_keys), slice_hashes_(slice_hashes) {}
  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;
  ~KeyStore() { CloseFile(); }

  // Throws std::runtime_error when the temp file cannot be created or
  // written: a silently partial decision would be worse.
  void Append(const Key& key) {
    if (buffer_.empty()) {
      buffer_.reserve(block_keys_);
    }
    buffer_.push_back(key);
    ++per_top_byte_[key.key >> 56];
    if (buffer_.size() == block_keys_) {
      Flush();
    }
  }

  size_t size() const { return blocks_ * block_keys_ + buffer_.size(); }

  // The keys whose hash occurs at least `min_count` times (every key when
  // min_count <= 1), in the order they came. Empties the store. Throws
  // std::runtime_error when the temp file cannot be read back.
  std::vector<Key> TakeRepeated(int64_t min_count) {
    std::vector<Key> out;
    if (min_count <= 1) {
      out.reserve(size());
      ForEachBlock([&](const Key* keys, size_t n) {
        out.insert(out.end(), keys, keys + n);
      });
    } else {
      std::vector<uint64_t> repeated = RepeatedHashes(min_count);
      ForEachBlock([&](const Key* keys, size_t n) {
        for (size_t i = 0; i < n; ++i) {
          if (std::binary_search(repeated.begin(), repeated.end(),
                                 keys[i].key)) {
            out.push_back(keys[i]);
          }
        }
      });
    }
    Reset();
    return out;
  }

 private:
  size_t BlockBytes() const { return block_keys_ * sizeof(Key); }

  void Flush() {
    if (fd_ < 0) {
      std::string path;
      fd_ = OpenAnonymousFile(TempDir(), "leadclean-keys", &path);
      if (fd_ < 0) {
        throw std::runtime_error("bot stage: cannot create a temp file in " +
                                 path + ": " + std::strerror(errno));
      }
    }
    std::string_view bytes(reinterpret_cast<const char*>(buffer_.data()),
                           BlockBytes());
    if (!WriteAllAt(fd_, bytes, blocks_ * BlockBytes())) {
      throw std::runtime_error(std::string("bot stage: temp file write: ") +
                               std::strerror(errno));
    }
    ++blocks_;
    buffer_.clear();
  }

  // Calls fn(keys, count) for every block, in the order the keys came.
  template <typename Fn>
  void ForEachBlock(Fn&& fn) {
    std::vector<Key> block(blocks_ > 0 ? block_keys_ : 0);
    for (uint64_t i = 0; i < blocks_; ++i) {
      errno = 0;
      if (!ReadAllAt(fd_, reinterpret_cast<char*>(block.data()), BlockBytes(),
                     i * BlockBytes())) {
        throw std::runtime_error(
            std::string("bot stage: temp file read: ") +
            (errno == 0 ? "cut short" : std::strerror(errno)));
      }
      fn(block.data(), block.size());
    }
    fn(buffer_.data(), buffer_.size());
  }

  // The hashes that occur at least `min_count` times, sorted: one slice of
  // top bytes [first, last) at a time.
  std::vector<uint64_t> RepeatedHashes(int64_t min_count) {
    std::vector<uint64_t> repeated, slice;
    for (size_t first = 0; first < per_top_byte_.size();) {
      size_t last = first, count = 0;
      while (last < per_top_byte_.size() &&
             (last == first || count + per_top_byte_[last] <= slice_hashes_)) {
        count += per_top_byte_[last++];
      }
      if (count >= static_cast<size_t>(min_count)) {
        slice.clear();
        slice.reserve(count);
        ForEachBlock([&](const Key* keys, size_t n) {
          for (size_t i = 0; i < n; ++i) {
            size_t top = keys[i].key >> 56;
            if (top >= first && top < last) {
              slice.push_back(keys[i].key);
            }
          }
        });
        AppendRepeated(&slice, min_count, &repeated);
      }
      first = last;
    }
    return repeated;
  }

  static void AppendRepeated(std::vector<uint64_t>* hashes, int64_t min_count,
                             std::vector<uint64_t>* repeated) {
    std::sort(hashes->begin(), hashes->end());
    for (size_t begin = 0; begin < hashes->size();) {
      size_t end = begin + 1;
      while (end < hashes->size() && (*hashes)[end] == (*hashes)[begin]) {
        ++end;
      }
      if (end - begin >= static_cast<size_t>(min_count)) {
        repeated->push_back((*hashes)[begin]);
      }
      begin = end;
    }
  }

  void CloseFile() {
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
  }

  void Reset() {
    CloseFile();
    buffer_ = {};
    blocks_ = 0;
    per_top_byte_ = {};
  }

  size_t block_keys_;
  size_t slice_hashes_;
  std::vector<Key> buffer_;  // the keys since the last full block
  int fd_ = -1;
  uint64_t blocks_ = 0;  // full blocks in the file
  std::array<size_t, 256> per_top_byte_{};
};

// Short texts a detector needs only for the rows a decision looks at (a
// few in a hundred): records of a tag byte and two texts, appended to an
// unlinked temp file in writes of about 1 MiB and read back by offset, in
// increasing order, through a 1 MiB window. So the first pass only copies
// the texts, and the work on them (folding) is done for those rows alone.
// A small input never touches the disk. I/O errors throw, as in KeyStore.
class TextStore {
 public:
  explicit TextStore(size_t block_bytes = size_t{1} << 20)
      : block_bytes_(block_bytes) {}
  TextStore(const TextStore&) = delete;
  TextStore& operator=(const TextStore&) = delete;
  ~TextStore() { Clear(); }

  // Appends a record; returns its offset.
  uint64_t Append(uint8_t tag, std::string_view first,
                  std::string_view second) {
    uint64_t offset = flushed_ + buffer_.size();
    uint32_t sizes[2] = {static_cast<uint32_t>(first.size()),
                         static_cast<uint32_t>(second.size())};
    buffer_.push_back(static_cast<char>(tag));
    buffer_.append(reinterpret_cast<const char*>(sizes), sizeof(sizes));
    buffer_.append(first.substr(0, sizes[0]));
    buffer_.append(second.substr(0, sizes[1]));
    if (buffer_.size() >= block_bytes_) {
      Flush();
    }
    return offset;
  }

  // Calls fn(tag, first, second) for the record at each of `offsets`
  // (ascending offsets that Append returned), in that order.
  template <typename Fn>
  void ReadEach(const std::vector<uint64_t>& offsets, Fn&& fn) {
    constexpr size_t kHeader = 1 + 2 * sizeof(uint32_t);
    for (uint64_t offset : offsets) {
      const char* header = View(offset, kHeader);
      uint32_t sizes[2];
      std::memcpy(sizes, header + 1, sizeof(sizes));
      auto tag = static_cast<uint8_t>(header[0]);
      const char* body = View(offset, kHeader + sizes[0] + sizes[1]) + kHeader;
      fn(tag, std::string_view(body, sizes[0]),
         std::string_view(body + sizes[0], sizes[1]));
    }
  }

  // Drops every record and the file.
  void Clear() {
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
    buffer_ = {};
    window_ = {};
    flushed_ = 0;
    window_start_ = 0;
  }

 private:
  void Flush() {
    if (fd_ < 0) {
      std::string path;
      fd_ = OpenAnonymousFile(TempDir(), "leadclean-texts", &path);
      if (fd_ < 0) {
        throw std::runtime_error("bot stage: cannot create a temp file in " +
                                 path + ": " + std::strerror(errno));
      }
    }
    if (!WriteAllAt(fd_, buffer_, flushed_)) {
      throw std::runtime_error(std::string("bot stage: temp file write: ") +
                               std::strerror(errno));
    }
    flushed_ += buffer_.size();
    buffer_.clear();
  }

  // The `size` bytes at `offset`. A record lies wholly in the file or
  // wholly in the buffer, as the buffer is only written out whole.
  const char* View(uint64_t offset, size_t size) {
    if (offset >= flushed_) {
      return buffer_.data() + (offset - flushed_);
    }
    if (offset < window_start_ ||
        offset + size > window_start_ + window_.size()) {
      window_start_ = offset;
      window_.resize(
          std::min<uint64_t>(std::max(size, block_bytes_), flushed_ - offset));
      errno = 0;
      if (!ReadAllAt(fd_, window_.data(), window_.size(), offset)) {
        throw std::runtime_error(
            std::string("bot stage: temp file read: ") +
            (errno == 0 ? "cut short" : std::strerror(errno)));
      }
    }
    return window_.data() + (offset - window_start_);
  }

  size_t block_bytes_;
  std::string buffer_;  // the records after the file's end
  int fd_ = -1;
  uint64_t flushed_ = 0;  // bytes in the file
  std::string window_;    // file bytes read back, from window_start_
  uint64_t window_start_ = 0;
};

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_ENGINE_KEY_STORE_H_
