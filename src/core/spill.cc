#include "core/spill.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/temp_file.h"

namespace leadclean {

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
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
  if (!in->empty() && static_cast<uint8_t>(in->front()) < 0x80) {
    const size_t size = static_cast<uint8_t>(in->front());  // most strings
    if (size < in->size()) {
      text->assign(in->data() + 1, size);
      in->remove_prefix(1 + size);
      return true;
    }
    return false;
  }
  uint64_t size;
  if (!GetVarint(in, &size) || size > in->size()) {
    return false;
  }
  text->assign(in->data(), size);
  in->remove_prefix(size);
  return true;
}

namespace {

// Every string member, in encoding order.
template <typename F, typename Fn>
void ForEachString(F& findings, Fn&& fn) {
  for (auto& column : findings.out) {
    fn(column);
  }
  fn(findings.flags);
  fn(findings.rule);
  fn(findings.detail);
  fn(findings.email_key);
  fn(findings.person_key);
  fn(findings.company_key);
  fn(findings.city_key);
}

}  // namespace

void EncodeFindings(const Findings& findings, std::string* out) {
  // Room for every string with a one-byte length, so the appends only copy.
  size_t size = 64;
  ForEachString(findings, [&size](const std::string& s) { size += 1 + s.size(); });
  for (const std::string& phone : findings.phone_all) {
    size += 1 + phone.size();
  }
  if (out->capacity() - out->size() < size) {
    out->reserve(std::max(out->size() + size, out->capacity() * 2));
  }
  ForEachString(findings, [out](const std::string& s) { PutString(s, out); });
  out->push_back(static_cast<char>(findings.reason));
  PutVarint(findings.duplicate_of, out);
  PutVarint(findings.cluster, out);
  PutVarint(findings.phone_fixed_mask, out);
  PutVarint(findings.phone_all.size(), out);
  for (const std::string& phone : findings.phone_all) {
    PutString(phone, out);
  }
}

bool DecodeFindings(std::string_view* in, Findings* findings) {
  bool ok = true;
  ForEachString(*findings, [&](std::string& s) { ok = ok && GetString(in, &s); });
  if (!ok || in->empty()) {
    return false;
  }
  auto reason = static_cast<uint8_t>(in->front());
  in->remove_prefix(1);
  if (reason > static_cast<uint8_t>(Reason::kDuplicate)) {
    return false;
  }
  findings->reason = static_cast<Reason>(reason);
  uint64_t mask, phones;
  if (!GetVarint(in, &findings->duplicate_of) ||
      !GetVarint(in, &findings->cluster) || !GetVarint(in, &mask) ||
      !GetVarint(in, &phones) || phones > in->size()) {
    return false;
  }
  findings->phone_fixed_mask = static_cast<uint32_t>(mask);
  findings->phone_all.resize(phones);
  for (std::string& phone : findings->phone_all) {
    if (!GetString(in, &phone)) {
      return false;
    }
  }
  return true;
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

bool SpillFile::Read(uint64_t offset, uint64_t size, std::string* bytes,
                     std::string* error) const {
  bytes->resize(size);
  if (offset + size > end_.load() ||
      !ReadAllAt(fd_, bytes->data(), size, offset)) {
    *error = "temp file for the first pass: cannot read back chunk at byte " +
             std::to_string(offset);
    return false;
  }
  return true;
}

}  // namespace leadclean
