#include "core/spill.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>

#include "core/temp_file.h"

namespace leadclean {
namespace {

// Writes `value` as a varint at `at` (room for 10 bytes); returns its end.
char* PutVarintAt(uint64_t value, char* at) {
  while (value >= 0x80) {
    *at++ = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  *at++ = static_cast<char>(value);
  return at;
}

// Copies `size` bytes; the short ones (most cells) with two overlapping
// moves instead of a call.
void CopyBytes(char* to, const char* from, size_t size) {
  if (size >= 8 && size <= 16) {
    std::memcpy(to, from, 8);
    std::memcpy(to + size - 8, from + size - 8, 8);
  } else if (size >= 4 && size < 8) {
    std::memcpy(to, from, 4);
    std::memcpy(to + size - 4, from + size - 4, 4);
  } else if (size > 0 && size < 4) {
    to[0] = from[0];
    to[size / 2] = from[size / 2];
    to[size - 1] = from[size - 1];
  } else if (size > 16) {
    std::memcpy(to, from, size);
  }
}

// A per-thread buffer that grows and, unlike a std::string on resize, is
// never zero-filled.
class ScratchBytes {
 public:
  // Room for `size` bytes, the first `keep` of them kept.
  char* Reserve(size_t size, size_t keep) {
    if (size > capacity_) {
      const size_t capacity = std::max(size, capacity_ * 2);
      auto grown = std::make_unique_for_overwrite<char[]>(capacity);
      std::copy_n(data_.get(), keep, grown.get());
      data_ = std::move(grown);
      capacity_ = capacity;
    }
    return data_.get();
  }
  char* data() { return data_.get(); }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
};

// Bits of a row's mask: one per lc_* column, then these.
constexpr int kFlagsBit = kOutCount;
constexpr int kRuleBit = kOutCount + 1;
constexpr int kDetailBit = kOutCount + 2;
constexpr int kPhoneBit = kOutCount + 3;
constexpr int kReasonBit = kOutCount + 4;
constexpr int kDuplicateOfBit = kOutCount + 5;
constexpr int kClusterBit = kOutCount + 6;
constexpr int kMaskBits = kOutCount + 7;
static_assert(kMaskBits <= 32, "a row's mask is 32 bits");
constexpr size_t kMaskSize = sizeof(uint32_t);
// A row's bytes besides its strings' own: the mask, a varint per string,
// the reason, two varint numbers.
constexpr size_t kRowOverhead = kMaskSize + (kPhoneBit + 1) * 10 + 1 + 2 * 10;

// The strings kept, with their bits (the primary phone aside).
template <typename F, typename Fn>
void ForEachKept(F& findings, Fn&& fn) {
  for (int i = 0; i < kOutCount; ++i) {
    fn(i, findings.out[i]);
  }
  fn(kFlagsBit, findings.flags);
  fn(kRuleBit, findings.rule);
  fn(kDetailBit, findings.detail);
}

// phone_all's first entry when the second pass could not read it from
// lc_phone instead (see spill.h), else null.
const std::string* PhoneToKeep(const Findings& findings) {
  if (findings.phone_all.empty() ||
      findings.phone_all.front() == findings.Col(Out::kPhone)) {
    return nullptr;
  }
  return &findings.phone_all.front();
}

char* PutBytes(const std::string& text, char* at) {
  at = PutVarintAt(text.size(), at);
  CopyBytes(at, text.data(), text.size());
  return at + text.size();
}

// Writes one row at `at` (with room for kRowOverhead plus its strings) and
// returns where it ends.
char* EncodeRow(const Findings& findings, const std::string* phone, char* at) {
  char* mask_at = at;
  at += kMaskSize;
  uint32_t mask = 0;
  ForEachKept(findings, [&mask, &at](int bit, const std::string& text) {
    if (!text.empty()) {
      mask |= 1u << bit;
      at = PutBytes(text, at);
    }
  });
  if (phone) {
    mask |= 1u << kPhoneBit;
    at = PutBytes(*phone, at);
  }
  if (findings.reason != Reason::kNone) {
    mask |= 1u << kReasonBit;
    *at++ = static_cast<char>(findings.reason);
  }
  if (findings.duplicate_of != 0) {
    mask |= 1u << kDuplicateOfBit;
    at = PutVarintAt(findings.duplicate_of, at);
  }
  if (findings.cluster != 0) {
    mask |= 1u << kClusterBit;
    at = PutVarintAt(findings.cluster, at);
  }
  std::memcpy(mask_at, &mask, kMaskSize);
  return at;
}

// The decoders below read from `at` up to `end` and return where they
// stopped, or null when the chunk is cut short or corrupt.

const char* GetVarintAt(const char* at, const char* end, uint64_t* value) {
  if (at != end && static_cast<uint8_t>(*at) < 0x80) {
    *value = static_cast<uint8_t>(*at);
    return at + 1;
  }
  std::string_view in(at, end - at);
  return GetVarint(&in, value) ? in.data() : nullptr;
}

// Appends a varint-length string to `text`.
const char* GetBytes(const char* at, const char* end, std::string* text) {
  uint64_t size;
  at = GetVarintAt(at, end, &size);
  if (at == nullptr || size > static_cast<uint64_t>(end - at)) {
    return nullptr;
  }
  text->append(at, size);
  return at + size;
}

const char* GetReason(const char* at, const char* end, Reason* reason) {
  if (at == end ||
      static_cast<uint8_t>(*at) > static_cast<uint8_t>(Reason::kDuplicate)) {
    return nullptr;
  }
  *reason = static_cast<Reason>(*at);
  return at + 1;
}

const char* DecodeRow(const char* at, const char* end, Findings* findings) {
  uint32_t mask;
  if (end - at < static_cast<ptrdiff_t>(kMaskSize)) {
    return nullptr;
  }
  std::memcpy(&mask, at, kMaskSize);
  at += kMaskSize;
  if (mask >> kMaskBits != 0) {
    return nullptr;
  }
  ForEachKept(*findings, [&](int bit, std::string& text) {
    text.clear();
    if (at != nullptr && (mask >> bit & 1)) {
      at = GetBytes(at, end, &text);
    }
  });
  findings->phone_all.clear();
  if (at != nullptr && (mask >> kPhoneBit & 1)) {
    at = GetBytes(at, end, &findings->phone_all.emplace_back());
  }
  findings->reason = Reason::kNone;
  if (at != nullptr && (mask >> kReasonBit & 1)) {
    at = GetReason(at, end, &findings->reason);
  }
  findings->duplicate_of = 0;
  if (at != nullptr && (mask >> kDuplicateOfBit & 1)) {
    at = GetVarintAt(at, end, &findings->duplicate_of);
  }
  findings->cluster = 0;
  if (at != nullptr && (mask >> kClusterBit & 1)) {
    at = GetVarintAt(at, end, &findings->cluster);
  }
  findings->email_key.clear();
  findings->phone_fixed_mask = 0;
  findings->person_key.clear();
  findings->company_key.clear();
  findings->city_key.clear();
  return at;
}

}  // namespace

void PutVarint(uint64_t value, std::string* out) {
  char bytes[10];
  out->append(bytes, PutVarintAt(value, bytes) - bytes);
}

bool GetVarint(std::string_view* in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) {
      *value = result;
      return true;
    }
  }
  return false;
}

void PutString(std::string_view text, std::string* out) {
  PutVarint(text.size(), out);
  out->append(text);
}

bool GetString(std::string_view* in, std::string* text) {
  uint64_t size;
  if (!GetVarint(in, &size) || size > in->size()) {
    return false;
  }
  text->assign(in->data(), size);
  in->remove_prefix(size);
  return true;
}

std::string_view EncodeFindings(std::span<const Findings> rows) {
  thread_local ScratchBytes buffer;
  size_t used = 0;
  for (const Findings& findings : rows) {
    const std::string* phone = PhoneToKeep(findings);
    size_t size = kRowOverhead + (phone ? phone->size() : 0);
    ForEachKept(findings,
                [&size](int, const std::string& text) { size += text.size(); });
    char* data = buffer.Reserve(used + size, used);
    used = EncodeRow(findings, phone, data + used) - data;
  }
  return std::string_view(buffer.data(), used);
}

bool DecodeFindings(std::string_view chunk, std::span<Findings> rows) {
  const char* at = chunk.data();
  const char* end = at + chunk.size();
  for (Findings& findings : rows) {
    at = DecodeRow(at, end, &findings);
    if (at == nullptr) {
      return false;
    }
  }
  return at == end;
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

bool SpillFile::Open(std::string* error) {
  std::string path;
  fd_ = OpenAnonymousFile(TempDir(), "leadclean-spill", &path);
  if (fd_ < 0) {
    *error = path + ": " + std::strerror(errno) +
             " (the first pass keeps its findings here; set TMPDIR)";
    return false;
  }
  return true;
}

bool SpillFile::Write(std::string_view bytes, uint64_t* offset,
                      std::string* error) {
  *offset = end_.fetch_add(bytes.size());
  if (!WriteAllAt(fd_, bytes, *offset)) {
    *error = std::string("temp file for the first pass: ") +
             std::strerror(errno ? errno : EIO) + " (set TMPDIR)";
    return false;
  }
  return true;
}

bool SpillFile::Read(uint64_t offset, uint64_t size, std::string_view* bytes,
                     std::string* error) const {
  thread_local ScratchBytes buffer;
  char* data = buffer.Reserve(size, 0);
  if (offset + size > end_.load() || !ReadAllAt(fd_, data, size, offset)) {
    *error = "temp file for the first pass: cannot read back chunk at byte " +
             std::to_string(offset);
    return false;
  }
  *bytes = std::string_view(data, size);
  return true;
}

}  // namespace leadclean
