// Encoding detection and conversion to UTF-8 with ICU. The conversion is a
// ByteSource decorator so the reader parses UTF-8 only; ucnv_convertEx keeps
// partial characters in the converters between calls, so any read size
// gives the same output.
#include "csv/encoding.h"

#include <strings.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace leadclean {
namespace {

bool IsAuto(const std::string& requested) {
  return requested.empty() || strcasecmp(requested.c_str(), "auto") == 0;
}

std::string DetectByBom(std::string_view head) {
  if (head.substr(0, 2) == "\xFF\xFE") {
    return "UTF-16LE";
  }
  if (head.substr(0, 2) == "\xFE\xFF") {
    return "UTF-16BE";
  }
  return "UTF-8";
}

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr OpenConverter(const std::string& name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status)) {
    return nullptr;
  }
  return converter;
}

class IcuUtf8Source : public ByteSource {
 public:
  IcuUtf8Source(const std::string& encoding, std::string head,
                std::unique_ptr<ByteSource> inner, size_t read_size)
      : inner_(std::move(inner)),
        from_(OpenConverter(encoding)),
        to_utf8_(OpenConverter("UTF-8")),
        in_(std::move(head)),
        read_size_(std::max<size_t>(read_size, 1)),
        out_(kOutBytes) {
    if (from_ == nullptr || to_utf8_ == nullptr) {
      error_ = "cannot open ICU converter for " + encoding;
    }
  }

  long Read(char* buf, size_t n) override {
    while (out_pos_ == out_end_) {
      if (!error_.empty()) {
        return -1;
      }
      if (finished_) {
        return 0;
      }
      ConvertMore();
    }
    const size_t count = std::min(n, out_end_ - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, count);
    out_pos_ += count;
    return static_cast<long>(count);
  }

 private:
  static constexpr size_t kOutBytes = 64 * 1024;
  static constexpr size_t kPivotUnits = 1024;

  // Reads the next input block once the current one is used up.
  void ReadInnerIfEmpty() {
    if (in_pos_ < in_.size() || in_eof_) {
      return;
    }
    in_.resize(read_size_);
    const long count = inner_->Read(in_.data(), read_size_);
    in_.resize(count > 0 ? static_cast<size_t>(count) : 0);
    in_pos_ = 0;
    in_eof_ = count == 0;
    if (count < 0) {
      error_ = inner_->error().empty() ? "read error" : inner_->error();
    }
  }

  // Converts what input there is into out_, flushing at end of input.
  void ConvertMore() {
    ReadInnerIfEmpty();
    if (!error_.empty()) {
      return;
    }
    const char* source = in_.data() + in_pos_;
    char* target = out_.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(to_utf8_.get(), from_.get(), &target,
                   out_.data() + out_.size(), &source, in_.data() + in_.size(),
                   pivot_, &pivot_source_, &pivot_target_, pivot_ + kPivotUnits,
                   reset_, in_eof_, &status);
    reset_ = false;
    in_pos_ = source - in_.data();
    out_pos_ = 0;
    out_end_ = target - out_.data();
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      return;
    }
    if (U_FAILURE(status)) {
      error_ =
          std::string("encoding conversion failed: ") + u_errorName(status);
    } else if (in_eof_) {
      finished_ = true;
    }
  }

  std::unique_ptr<ByteSource> inner_;
  ConverterPtr from_;
  ConverterPtr to_utf8_;
  std::string in_;
  size_t in_pos_ = 0;
  bool in_eof_ = false;
  size_t read_size_;
  std::vector<char> out_;
  size_t out_pos_ = 0;
  size_t out_end_ = 0;
  UChar pivot_[kPivotUnits];
  UChar* pivot_source_ = pivot_;
  UChar* pivot_target_ = pivot_;
  bool reset_ = true;
  bool finished_ = false;
};

}  // namespace

bool ResolveEncoding(const std::string& requested, std::string_view head,
                     std::string* name, bool* convert, std::string* error) {
  if (IsAuto(requested)) {
    *name = DetectByBom(head);
    *convert = *name != "UTF-8";
    return true;
  }
  ConverterPtr converter = OpenConverter(requested);
  if (converter == nullptr) {
    *error = "unknown encoding \"" + requested + "\"";
    return false;
  }
  *name = requested;
  *convert = ucnv_getType(converter.get()) != UCNV_UTF8;
  return true;
}

std::unique_ptr<ByteSource> Utf8DecodingSource(
    const std::string& encoding, std::string head,
    std::unique_ptr<ByteSource> inner, size_t read_size) {
  return std::make_unique<IcuUtf8Source>(encoding, std::move(head),
                                         std::move(inner), read_size);
}

}  // namespace leadclean
