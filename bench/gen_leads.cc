// gen_leads: writes a synthetic Vietnamese lead list plus a ground-truth CSV
// that says, row by row, what a perfect cleaner would decide (true phone and
// email, duplicate of which row, junk or not, conversion outcome).
// bench/evaluate.py grades leadclean's output against the truth; the options
// and truth columns are listed in bench/README.md.
//
// Standard library only. The one source of randomness is std::mt19937_64,
// read through Rng: the standard distributions differ between library
// versions, and the same seed must give the same file everywhere.

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadclean {
namespace {

// Random numbers.

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); n > 0. Rejection keeps it unbiased.
  uint64_t Below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x = engine_();
    while (x >= limit) {
      x = engine_();
    }
    return x % n;
  }

  // Uniform in [lo, hi], both inclusive.
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }

  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }

  bool Chance(double p) { return Unit() < p; }

  // Standard normal, Box-Muller.
  double Normal() {
    const double u1 = 1.0 - Unit();
    const double u2 = Unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

  std::string_view Pick(std::initializer_list<std::string_view> items) {
    return items.begin()[Below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// Weighted choice over a fixed table. T needs a `weight` member.
template <typename T>
class Table {
 public:
  explicit Table(std::span<const T> items, double jitter = 0.0,
                 Rng* rng = nullptr)
      : items_(items) {
    double total = 0;
    for (const T& item : items_) {
      double w = item.weight;
      if (rng != nullptr && jitter > 0) {
        w *= rng->Uniform(1.0 - jitter, 1.0 + jitter);
      }
      total += w;
      cumulative_.push_back(total);
    }
  }

  size_t PickIndex(Rng& rng) const {
    const double x = rng.Unit() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return std::min<size_t>(it - cumulative_.begin(), items_.size() - 1);
  }

  const T& Pick(Rng& rng) const { return items_[PickIndex(rng)]; }

 private:
  std::span<const T> items_;
  std::vector<double> cumulative_;
};

struct Word {
  std::string_view text;
  double weight;
  int value = 0;  // meaning depends on the table (level, intent, ...)
};

// Vietnamese letters: case, diacritic stripping and NFD decomposition.
// Built from the 67 toned/modified vowels plus đ, so no ICU is needed.

constexpr std::string_view kVietLower =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
constexpr std::string_view kVietUpper =
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";

uint32_t DecodeUtf8(std::string_view s, size_t* i) {
  const auto b = static_cast<unsigned char>(s[*i]);
  int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1   ? b
                : len == 2 ? b & 0x1F
                : len == 3 ? b & 0x0F
                           : b & 7;
  for (int k = 1; k < len && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class VietLetters {
 public:
  VietLetters() {
    static constexpr std::string_view kBases = "aăâeêioôơuưy";
    static constexpr uint32_t kTones[] = {0x300, 0x301, 0x309, 0x303, 0x323};
    size_t lower_at = 0;
    size_t upper_at = 0;
    size_t base_at = 0;
    while (base_at < kBases.size()) {
      const uint32_t base = DecodeUtf8(kBases, &base_at);
      const bool plain = base < 0x80;
      for (int tone = plain ? 0 : -1; tone < 5; ++tone) {
        Letter letter;
        letter.lower = DecodeUtf8(kVietLower, &lower_at);
        letter.upper = DecodeUtf8(kVietUpper, &upper_at);
        letter.nfd_lower = Decompose(base, false, tone < 0 ? 0 : kTones[tone]);
        letter.nfd_upper = Decompose(base, true, tone < 0 ? 0 : kTones[tone]);
        letter.ascii = AsciiOf(base);
        Add(letter);
      }
    }
    Letter d{DecodeUtf8(kVietLower, &lower_at),
             DecodeUtf8(kVietUpper, &upper_at), "đ", "Đ", 'd'};
    Add(d);
  }

  // kKey: lower-case ASCII letters only ("Nguyễn Văn" -> "nguyenvan").
  enum class Op { kUpper, kLower, kAscii, kNfd, kKey };

  std::string Apply(std::string_view text, Op op) const {
    std::string out;
    out.reserve(text.size() * 2);
    size_t i = 0;
    while (i < text.size()) {
      if (static_cast<unsigned char>(text[i]) < 0x80) {
        ApplyAscii(static_cast<unsigned char>(text[i++]), op, &out);
        continue;
      }
      ApplyOne(DecodeUtf8(text, &i), op, &out);
    }
    return out;
  }

 private:
  struct Letter {
    uint32_t lower = 0;
    uint32_t upper = 0;
    std::string nfd_lower;
    std::string nfd_upper;
    char ascii = 0;
  };

  static char AsciiOf(uint32_t base) {
    switch (base) {
      case 0x103:
      case 0xE2:
        return 'a';  // ă â
      case 0xEA:
        return 'e';  // ê
      case 0xF4:
      case 0x1A1:
        return 'o';  // ô ơ
      case 0x1B0:
        return 'u';  // ư
      default:
        return static_cast<char>(base);
    }
  }

  // NFD of a vowel: ASCII base, then the vowel modifier, then the tone.
  static std::string Decompose(uint32_t base, bool upper, uint32_t tone) {
    std::string out(
        1, upper ? static_cast<char>(AsciiOf(base) - 32) : AsciiOf(base));
    uint32_t modifier = 0;
    if (base == 0x103) {
      modifier = 0x306;
    }
    if (base == 0xE2 || base == 0xEA || base == 0xF4) {
      modifier = 0x302;
    }
    if (base == 0x1A1 || base == 0x1B0) {
      modifier = 0x31B;
    }
    if (modifier != 0) {
      AppendUtf8(modifier, &out);
    }
    if (tone != 0) {
      AppendUtf8(tone, &out);
    }
    return out;
  }

  void Add(const Letter& letter) {
    index_[letter.lower] = static_cast<int>(letters_.size());
    index_[letter.upper] = static_cast<int>(letters_.size());
    letters_.push_back(letter);
  }

  void ApplyOne(uint32_t cp, Op op, std::string* out) const {
    auto it = cp < kIndexSize ? index_[cp] : -1;
    if (it < 0) {
      ApplyAscii(cp, op, out);
      return;
    }
    const Letter& l = letters_[it];
    const bool is_upper = cp == l.upper;
    switch (op) {
      case Op::kUpper:
        AppendUtf8(l.upper, out);
        break;
      case Op::kLower:
        AppendUtf8(l.lower, out);
        break;
      case Op::kAscii:
        out->push_back(is_upper ? static_cast<char>(l.ascii - 32) : l.ascii);
        break;
      case Op::kNfd:
        out->append(is_upper ? l.nfd_upper : l.nfd_lower);
        break;
      case Op::kKey:
        out->push_back(l.ascii);
        break;
    }
  }

  static void ApplyAscii(uint32_t cp, Op op, std::string* out) {
    if (op == Op::kKey) {
      if (cp >= 'A' && cp <= 'Z') {
        cp += 32;
      }
      if (cp >= 'a' && cp <= 'z') {
        out->push_back(static_cast<char>(cp));
      }
      return;
    }
    if (op == Op::kUpper && cp >= 'a' && cp <= 'z') {
      cp -= 32;
    }
    if (op == Op::kLower && cp >= 'A' && cp <= 'Z') {
      cp += 32;
    }
    AppendUtf8(cp, out);
  }

  static constexpr uint32_t kIndexSize = 0x1F00;
  std::vector<Letter> letters_;
  std::vector<int> index_ = std::vector<int>(kIndexSize, -1);
};

const VietLetters& Viet() {
  static const VietLetters letters;
  return letters;
}

std::string ToUpper(std::string_view s) {
  return Viet().Apply(s, VietLetters::Op::kUpper);
}
std::string ToLower(std::string_view s) {
  return Viet().Apply(s, VietLetters::Op::kLower);
}
std::string Unaccent(std::string_view s) {
  return Viet().Apply(s, VietLetters::Op::kAscii);
}
std::string ToNfd(std::string_view s) {
  return Viet().Apply(s, VietLetters::Op::kNfd);
}

// ASCII key of a name part for e-mail local parts: "Nguyễn" -> "nguyen".
std::string FoldKey(std::string_view s) {
  return Viet().Apply(s, VietLetters::Op::kKey);
}

std::string_view LastWord(std::string_view s) {
  return s.substr(s.rfind(' ') + 1);
}

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) {
      j = s.size();
    }
    if (j > i) {
      words.push_back(s.substr(i, j - i));
    }
    i = j + 1;
  }
  return words;
}

std::string Join(std::span<const std::string_view> words,
                 std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      out.append(sep);
    }
    out.append(words[i]);
  }
  return out;
}

void AppendNumber(uint64_t n, std::string* out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, n);
  out->append(buf, res.ptr);
}

std::string Digits(uint64_t n) {
  std::string s;
  AppendNumber(n, &s);
  return s;
}

std::string ZeroPad(uint64_t n, size_t width) {
  std::string s = Digits(n);
  if (s.size() < width) {
    s.insert(0, width - s.size(), '0');
  }
  return s;
}

std::string RandomDigits(Rng& rng, int count) {
  std::string s;
  for (int i = 0; i < count; ++i) {
    s.push_back(static_cast<char>('0' + rng.Below(10)));
  }
  return s;
}

// Open-addressing set of 64-bit keys (0 is reserved as "empty").
class KeySet {
 public:
  KeySet() : slots_(1 << 16, 0) {}

  // Returns false if the key was already present.
  bool Insert(uint64_t key) {
    key = key == 0 ? 1 : key;
    if ((count_ + 1) * 2 > slots_.size()) {
      Grow();
    }
    if (!Place(&slots_, key)) {
      return false;
    }
    ++count_;
    return true;
  }

 private:
  static uint64_t Mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }

  static bool Place(std::vector<uint64_t>* slots, uint64_t key) {
    const size_t mask = slots->size() - 1;
    for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
      if ((*slots)[i] == key) {
        return false;
      }
      if ((*slots)[i] == 0) {
        (*slots)[i] = key;
        return true;
      }
    }
  }

  void Grow() {
    std::vector<uint64_t> bigger(slots_.size() * 2, 0);
    for (uint64_t key : slots_) {
      if (key != 0) {
        Place(&bigger, key);
      }
    }
    slots_.swap(bigger);
  }

  std::vector<uint64_t> slots_;
  size_t count_ = 0;
};

// Gmail ignores dots and +tags, so those variants are one mailbox.
std::string MailboxKey(std::string_view address) {
  const size_t at = address.find('@');
  std::string local(address.substr(0, at));
  const std::string_view domain = address.substr(at + 1);
  if (domain != "gmail.com") {
    return std::string(address);
  }
  local = local.substr(0, local.find('+'));
  std::erase(local, '.');
  return local + "@gmail.com";
}

uint64_t HashText(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// Reference tables. Source: ../shared/reference/vietnam.md (§1 numbering,
// §3 fakes, §4 names, §5 headers, §6 e-mail).

constexpr Word kSurnames[] = {
    {"Nguyễn", 38},     {"Trần", 11},       {"Lê", 9.5},     {"Phạm", 7.1},
    {"Hoàng", 3.0},     {"Huỳnh", 2.2},     {"Phan", 4.5},   {"Vũ", 2.0},
    {"Võ", 2.0},        {"Đặng", 2.1},      {"Bùi", 2.0},    {"Đỗ", 1.5},
    {"Hồ", 1.3},        {"Ngô", 1.3},       {"Dương", 1.0},  {"Lý", 0.5},
    {"Trương", 1.2},    {"Đoàn", 0.8},      {"Đinh", 0.7},   {"Trịnh", 0.7},
    {"Cao", 0.6},       {"Đào", 0.5},       {"Mai", 0.5},    {"Lương", 0.5},
    {"Lưu", 0.4},       {"Lâm", 0.4},       {"Hà", 0.4},     {"Thái", 0.3},
    {"Phùng", 0.3},     {"Tạ", 0.3},        {"Vương", 0.2},  {"Chu", 0.2},
    {"Tô", 0.2},        {"Tăng", 0.15},     {"Quách", 0.15}, {"La", 0.1},
    {"Kiều", 0.1},      {"Triệu", 0.15},    {"Thạch", 0.1},  {"Kim", 0.1},
    {"Hứa", 0.1},       {"Châu", 0.15},     {"Giàng", 0.04}, {"Lò", 0.04},
    {"Tôn Thất", 0.04}, {"Âu Dương", 0.02},
};

constexpr Word kMaleMiddles[] = {
    {"Văn", 30},   {"Minh", 10}, {"Hoàng", 7},   {"Đức", 6},   {"Quốc", 6},
    {"Quang", 5},  {"Hữu", 5},   {"Đình", 4},    {"Xuân", 3},  {"Thành", 4},
    {"Duy", 4},    {"Anh", 4},   {"Trung", 3},   {"Tấn", 3},   {"Công", 3},
    {"Tuấn", 3},   {"Trọng", 3}, {"Thế", 2.5},   {"Tiến", 2},  {"Mạnh", 2},
    {"Nhật", 2},   {"Việt", 2},  {"Huy", 2},     {"Chí", 1.5}, {"Hải", 1.3},
    {"Đăng", 1.3}, {"Bá", 1.3},  {"Phước", 1.2}, {"Thanh", 4}, {"Ngọc", 2},
    {"Gia", 2},    {"Bảo", 1.5}, {"Khánh", 1},
};

constexpr Word kFemaleMiddles[] = {
    {"Thị", 35},   {"Ngọc", 8},  {"Thanh", 6}, {"Hồng", 4},   {"Thu", 5},
    {"Kim", 4},    {"Mỹ", 3},    {"Bích", 3},  {"Phương", 3}, {"Thùy", 3},
    {"Minh", 3},   {"Hoài", 2},  {"Xuân", 2},  {"Khánh", 2},  {"Bảo", 2},
    {"Diệu", 1.5}, {"Quỳnh", 2}, {"Hải", 1},   {"Như", 1.5},  {"Cẩm", 1},
    {"Thuỳ", 0.6}, {"Mai", 1},   {"Lan", 1},
};

constexpr Word kFemaleSecondMiddles[] = {
    {"Thu", 1},  {"Thanh", 1}, {"Ngọc", 1},   {"Kim", 1},  {"Mỹ", 1},
    {"Minh", 1}, {"Bích", 1},  {"Phương", 1}, {"Hồng", 1}, {"Thùy", 1},
    {"Như", 1},  {"Thúy", 1},  {"Diễm", 1},   {"Kiều", 1},
};

constexpr Word kMaleGivens[] = {
    {"Anh", 2.3},   {"Huy", 2.2},    {"Tuấn", 2.0},  {"Duy", 1.7},
    {"Hoàng", 1.6}, {"Nam", 1.6},    {"Minh", 1.4},  {"Dũng", 1.4},
    {"Hiếu", 1.4},  {"Đạt", 1.4},    {"Cường", 1.3}, {"Hùng", 1.3},
    {"Tùng", 1.3},  {"Sơn", 1.3},    {"Thành", 1.3}, {"Trung", 1.2},
    {"Hải", 1.2},   {"Long", 1.2},   {"Vũ", 1.1},    {"Nguyên", 1.1},
    {"Đức", 1.1},   {"Tâm", 0.8},    {"Tiến", 1.1},  {"Phúc", 1.0},
    {"Thắng", 1.0}, {"Thịnh", 1.0},  {"Khoa", 1.0},  {"Vinh", 0.9},
    {"Hưng", 0.9},  {"Khánh", 0.9},  {"Quân", 0.9},  {"Tài", 0.9},
    {"Trí", 0.8},   {"An", 0.8},     {"Bảo", 0.8},   {"Phong", 0.8},
    {"Toàn", 0.8},  {"Quang", 0.8},  {"Nghĩa", 0.8}, {"Nhân", 0.8},
    {"Việt", 0.7},  {"Bình", 0.7},   {"Lâm", 0.6},   {"Mạnh", 0.6},
    {"Kiên", 0.6},  {"Hậu", 0.5},    {"Lộc", 0.6},   {"Thiện", 0.5},
    {"Sang", 0.5},  {"Tú", 0.6},     {"Khải", 0.4},  {"Đông", 0.4},
    {"Hòa", 0.3},   {"Hoà", 0.15},   {"Lợi", 0.4},   {"Thông", 0.4},
    {"Tín", 0.4},   {"Quý", 0.4},    {"Danh", 0.3},  {"Trọng", 0.3},
    {"Linh", 0.4},  {"Phương", 0.3},
};

constexpr Word kFemaleGivens[] = {
    {"Dung", 21}, {"Thảo", 21}, {"Ngân", 18},  {"Trang", 17},  {"Hương", 16},
    {"Nga", 14},  {"Hà", 13},   {"Huyền", 13}, {"Phương", 12}, {"Mai", 11},
    {"Loan", 11}, {"Ngọc", 11}, {"Thúy", 11},  {"Linh", 11},   {"Hằng", 11},
    {"Yến", 10},  {"Nhi", 10},  {"Hiền", 9},   {"Thương", 9},  {"Anh", 8},
    {"Hường", 7}, {"Nhung", 7}, {"Thanh", 7},  {"Vân", 7},     {"Hạnh", 7},
    {"Thư", 7},   {"Trâm", 7},  {"Duyên", 6},  {"Thủy", 6},    {"Thuỷ", 2},
    {"My", 6},    {"Thoa", 6},  {"Ánh", 6},    {"Hoa", 5},     {"Tâm", 5},
    {"Châu", 5},  {"Hân", 5},   {"Oanh", 5},   {"Thùy", 5},    {"Hồng", 5},
    {"Lan", 6},   {"Cúc", 2},   {"Huệ", 3},    {"Thu", 5},     {"Nguyệt", 3},
    {"Quỳnh", 5}, {"Vy", 5},    {"Giang", 5},  {"Hòa", 2},     {"Hoà", 1},
    {"Uyên", 4},  {"Diệp", 2},  {"Tuyết", 3},  {"Liên", 3},    {"Chi", 4},
    {"Ly", 3},
};

// Very common full names: same name, different people (value 1 = female).
constexpr Word kCommonNames[] = {
    {"Nguyễn Tuấn Anh", 18},    {"Nguyễn Thanh Tùng", 13},
    {"Nguyễn Hoàng Long", 12},  {"Nguyễn Anh Tuấn", 10},
    {"Nguyễn Văn Hùng", 8},     {"Trần Văn Nam", 6},
    {"Nguyễn Văn Nam", 8},      {"Nguyễn Minh Đức", 6},
    {"Nguyễn Thị Hương", 9, 1}, {"Nguyễn Thị Thu Trang", 8, 1},
    {"Lê Thị Lan", 6, 1},       {"Phạm Thị Mai", 6, 1},
    {"Nguyễn Thị Mai", 7, 1},   {"Trần Thị Thu Hà", 6, 1},
    {"Nguyễn Ngọc Ánh", 5, 1},
};

constexpr std::string_view kMaleHonorifics[] = {"anh", "a",   "A.",  "Mr.",
                                                "Mr",  "chú", "ông", "em"};
constexpr std::string_view kFemaleHonorifics[] = {"chị",  "c",  "C.", "Ms.",
                                                  "Mrs.", "cô", "bà", "em"};

// Name forms written into the name cell; value unused.
enum class NameForm {
  kNfc,
  kUpper,
  kLower,
  kUnaccented,
  kUnaccentedUpper,
  kNfd,
  kHonorific,
  kSpaces,
  kWestern,
};
constexpr Word kNameForms[] = {
    {"nfc", 56, static_cast<int>(NameForm::kNfc)},
    {"upper", 10, static_cast<int>(NameForm::kUpper)},
    {"lower", 5, static_cast<int>(NameForm::kLower)},
    {"unaccented", 11, static_cast<int>(NameForm::kUnaccented)},
    {"unaccented_upper", 3, static_cast<int>(NameForm::kUnaccentedUpper)},
    {"nfd", 5, static_cast<int>(NameForm::kNfd)},
    {"honorific", 5, static_cast<int>(NameForm::kHonorific)},
    {"spaces", 3, static_cast<int>(NameForm::kSpaces)},
    {"western", 2, static_cast<int>(NameForm::kWestern)},
};

// City: display name, aliases, weight, landline area code, pre-2017 code.
// legacy_safe: the old form is invalid today, so converting it is safe
// (Hà Nội 04 and the 3-digit old codes; vietnam.md §1.5).
struct City {
  std::string_view name;
  std::string_view alias1;
  std::string_view alias2;
  double weight;
  std::string_view area;
  std::string_view old_area;
  bool legacy_safe;
};

constexpr City kCities[] = {
    {"Hà Nội", "HN", "TP. Hà Nội", 24, "24", "4", true},
    {"TP. Hồ Chí Minh", "HCM", "Sài Gòn", 28, "28", "8", false},
    {"Đà Nẵng", "ĐN", "TP. Đà Nẵng", 5, "236", "511", true},
    {"Hải Phòng", "HP", "TP. Hải Phòng", 4, "225", "31", false},
    {"Cần Thơ", "CT", "TP. Cần Thơ", 3, "292", "710", true},
    {"Bình Dương", "BD", "Thủ Dầu Một", 5, "274", "650", true},
    {"Đồng Nai", "ĐN", "Biên Hòa", 4, "251", "61", false},
    {"Khánh Hòa", "Nha Trang", "Khánh Hoà", 2, "258", "58", false},
    {"Bà Rịa - Vũng Tàu", "Vũng Tàu", "BR-VT", 2, "254", "64", false},
    {"Quảng Ninh", "Hạ Long", "QN", 2, "203", "33", false},
    {"Bắc Ninh", "BN", "Từ Sơn", 2, "222", "241", true},
    {"Hải Dương", "HD", "Hải Dương", 1.5, "220", "320", true},
    {"Hưng Yên", "HY", "Hưng Yên", 1, "221", "321", true},
    {"Bắc Giang", "BG", "Bắc Giang", 1, "204", "240", true},
    {"Thái Nguyên", "TN", "Thái Nguyên", 1, "208", "280", true},
    {"Nam Định", "NĐ", "Nam Định", 1, "228", "350", true},
    {"Thanh Hóa", "Thanh Hoá", "TH", 2, "237", "37", false},
    {"Nghệ An", "Vinh", "NA", 2, "238", "38", false},
    {"Thừa Thiên Huế", "Huế", "TT Huế", 1.5, "234", "54", false},
    {"Quảng Nam", "Hội An", "QNam", 1, "235", "510", true},
    {"Lâm Đồng", "Đà Lạt", "LĐ", 1.2, "263", "63", false},
    {"Đắk Lắk", "Buôn Ma Thuột", "Đăk Lăk", 1, "262", "500", true},
    {"Long An", "LA", "Long An", 1.2, "272", "72", false},
    {"Cà Mau", "CM", "Cà Mau", 0.7, "290", "780", true},
    {"Bình Phước", "BP", "Bình Phước", 0.6, "271", "651", true},
    {"Kiên Giang", "Phú Quốc", "KG", 1, "297", "77", false},
    {"An Giang", "Long Xuyên", "AG", 1, "296", "76", false},
    {"Vĩnh Phúc", "VP", "Vĩnh Yên", 1, "211", "", false},
    {"Hà Nam", "Phủ Lý", "Hà Nam", 0.5, "226", "351", true},
    {"Hậu Giang", "HG", "Hậu Giang", 0.4, "293", "711", true},
    {"Tiền Giang", "Mỹ Tho", "TG", 1, "273", "73", false},
    {"Bình Định", "Quy Nhơn", "BĐ", 1, "256", "56", false},
};

// Current mobile prefixes valid in libphonenumber 8.12.57 (vietnam.md §1.2),
// as the start of the 9-digit national significant number. `old` is the
// pre-2018 11-digit prefix (§1.1) when the range was converted.
struct MobilePrefix {
  std::string_view digits;
  double weight;
  std::string_view old;
};

constexpr MobilePrefix kMobilePrefixes[] = {
    {"32", 4, "162"},   {"33", 4, "163"},   {"34", 4, "164"},
    {"35", 4, "165"},   {"36", 4, "166"},   {"37", 4, "167"},
    {"38", 4, "168"},   {"39", 4, "169"},   {"86", 3, ""},
    {"96", 5, ""},      {"97", 6, ""},      {"98", 6, ""},
    {"81", 1.5, "127"}, {"82", 1.5, "129"}, {"83", 1.5, "123"},
    {"84", 1.5, "124"}, {"85", 1.5, "125"}, {"88", 3, ""},
    {"91", 6, ""},      {"94", 5.5, ""},    {"70", 1.5, "120"},
    {"76", 1.2, "126"}, {"77", 1.5, "122"}, {"78", 1.2, "128"},
    {"79", 1.5, "121"}, {"896", 0.3, ""},   {"897", 0.3, ""},
    {"898", 0.3, ""},   {"899", 0.3, ""},   {"90", 7, ""},
    {"93", 5, ""},      {"92", 1.8, ""},    {"56", 0.8, "186"},
    {"58", 0.8, "188"}, {"522", 0.1, ""},   {"523", 0.1, ""},
    {"528", 0.1, ""},   {"990", 0.1, ""},   {"991", 0.1, ""},
    {"993", 0.1, ""},   {"994", 0.1, ""},   {"995", 0.1, ""},
    {"996", 0.1, ""},   {"997", 0.1, ""},   {"998", 0.05, ""},
    {"999", 0.05, ""},  {"59", 0.8, "199"}, {"87", 0.6, ""},
    {"559", 0.05, ""},
};

// Picks one word of a space-separated list.
std::string_view PickToken(std::string_view list, Rng& rng, char sep = ' ') {
  const size_t count = std::count(list.begin(), list.end(), sep) + 1;
  size_t skip = rng.Below(count);
  size_t at = 0;
  while (skip-- > 0) {
    at = list.find(sep, at) + 1;
  }
  const size_t end = list.find(sep, at);
  return list.substr(at, end == std::string_view::npos ? list.npos : end - at);
}

// Foreign numbers, valid for their region in libphonenumber 8.12.57.
// `groups` is the written grouping of the NSN, one digit per group size.
struct Country {
  std::string_view code;
  double weight;
  std::string_view prefixes;  // space-separated
  int nsn_length;
  std::string_view next_digits;  // digits allowed right after the prefix
  std::string_view groups;
};

// Ranges checked against libphonenumber 8.12.57 digit by digit.
constexpr Country kCountries[] = {
    {"1", 30, "650 415 408 212 646 213 310 206 617 714 832 702", 10, "23456789",
     "334"},
    {"65", 15, "81 82 83 84 85 86 87 88 90 91 92 93 94 96 97", 8, "0123456789",
     "44"},
    {"86", 12, "135 136 137 138 139 150 151 152 186 187 188 189", 11,
     "0123456789", "344"},
    {"82", 8, "10", 10, "2346789", "244"},
    {"81", 8, "90 80 70", 10, "123456789", "244"},
    {"61", 8, "40 41 42 43", 9, "0123456789", "333"},
    {"66", 6, "81 82 84 86 89 91 92 95 61 62", 9, "0123456789", "234"},
    {"44", 6, "74 75 78", 10, "0123456789", "46"},
    {"33", 4, "60 61 62 64 65 66 67 68", 9, "0123456789", "12222"},
    {"886", 5, "91 92 93 97 98", 9, "0123456789", "333"},
};

// Placeholder phones that are never given to a real person (vietnam.md §3.2).
constexpr std::string_view kPlaceholderPhones[] = {
    "0123456789", "0987654321", "0900000000", "0901234567",   "0907654321",
    "0999999999", "0912345678", "0000000000", "0123 456 789",
};

enum class PhoneDamage {
  kNone,
  kFormat,
  kLostZero,
  kDotZero,
  kSciLossless,
  kSciLossy,
  kExcelText,
  kFbPrefix,
  kLabel,
  kMulti,
  kLegacy,
  kLegacyLandline,
  kInvalid,
  kEmpty,
  kCount,
};

constexpr std::string_view kPhoneDamageNames[] = {
    "none",      "format",          "lost_zero", "dot_zero", "sci_lossless",
    "sci_lossy", "excel_text",      "fb_prefix", "label",    "multi",
    "legacy",    "legacy_landline", "invalid",   "empty",
};

bool Recoverable(PhoneDamage d) {
  return d != PhoneDamage::kInvalid && d != PhoneDamage::kEmpty &&
         d != PhoneDamage::kSciLossy;
}

enum class EmailDamage { kNone, kCaseSpace, kTypo, kInvalid, kEmpty, kCount };
constexpr std::string_view kEmailDamageNames[] = {"none", "case_space", "typo",
                                                  "invalid", "empty"};

bool Recoverable(EmailDamage d) {
  return d != EmailDamage::kInvalid && d != EmailDamage::kEmpty;
}

enum class JunkKind {
  kNone,
  kPlaceholderName,
  kMash,
  kTestLead,
  kPlaceholderPhone,
  kPlaceholderEmail,
  kDisposableOnly,
  kBotBurst,
  kDigitsInName,
  kNoContact,
  kSequentialEmail,
  kSharedPhone,
};

// Junk events: weight per event, value = mean rows per event.
constexpr Word kJunkKinds[] = {
    {"", 0, 1},
    {"placeholder_name", 13, 1},
    {"mash", 11, 1},
    {"test_lead", 5, 1},
    {"placeholder_phone", 10, 1},
    {"placeholder_email", 8, 1},
    {"disposable_only", 8, 1},
    {"bot_burst", 2.2, 8},
    {"digits_in_name", 6, 1},
    {"no_contact", 11, 1},
    {"sequential_email", 1.8, 8},
    {"shared_phone", 2.5, 5},
};

enum class DupKind {
  kNone,
  kReformat,
  kPhoneOnly,
  kEmailOnly,
  kGmailDots,
  kNewEmail,
  kNewPhone,
};
constexpr std::string_view kDupKindNames[] = {
    "",           "reformat",  "phone_only", "email_only",
    "gmail_dots", "new_email", "new_phone",
};
constexpr double kDupKindWeights[] = {0, 40, 17, 15, 8, 11, 9};

// Lead sources: value = index into kSourceProfiles.
struct Source {
  std::string_view name;
  double weight;
  double quality;    // added to the conversion logit
  double junk;       // junk-rate multiplier
  double dup;        // duplicate-rate multiplier
  bool web_tracked;  // has IP, user agent and page views
  bool spreadsheet;  // passed through Excel: more Excel damage, old numbers
  bool facebook;     // Facebook Lead Ads export ("p:" phones, test leads)
  std::string_view campaigns;  // '|'-separated; empty: "Data list Qn"
};

constexpr Source kSources[] = {
    {"Facebook Ads", 24, -0.2, 1.2, 1.2, false, false, true,
     "Lead Gen CRM SME|Chiến dịch Tết 2024|Remarketing 30 ngày|"
     "Lead form - Demo CRM"},
    {"Google Ads", 13, 0.3, 0.8, 1.0, true, false, false,
     "Search - phần mềm CRM|Search - quản lý bán hàng|PMax - SME|"
     "Lead form extension"},
    {"Website", 13, 0.4, 1.3, 0.9, true, false, false,
     "Website organic|Landing page CRM|Blog - chuyển đổi số"},
    {"Zalo OA", 8, 0.0, 0.7, 1.0, false, false, false,
     "Zalo OA broadcast|Zalo form tư vấn"},
    {"TikTok Ads", 6, -0.5, 1.3, 1.0, false, false, false,
     "TikTok Lead Gen|TikTok Spark Ads"},
    {"Hội thảo", 5, 0.9, 0.3, 0.8, false, true, false,
     "Hội thảo Chuyển đổi số HN|Hội thảo SME HCM|Webinar CRM 101"},
    {"Giới thiệu", 4, 1.2, 0.2, 0.6, false, true, false,
     "Khách hàng giới thiệu|Đối tác giới thiệu"},
    {"Vendor A", 9, -0.9, 1.8, 2.0, false, true, false, ""},
    {"Vendor B", 6, -0.3, 1.0, 1.2, false, true, false, ""},
    {"Data mua", 4, -1.5, 2.2, 1.6, false, true, false, ""},
    {"Email marketing", 4, 0.2, 0.6, 0.8, true, false, false,
     "Email newsletter|Email mời webinar"},
};
constexpr size_t kFacebookSource = 0;

// Job titles: value = authority (-1 student, 0 staff, 1 manager, 2 decider).
constexpr Word kTitles[] = {
    {"", 0, 0},
    {"Giám đốc", 5, 2},
    {"Tổng giám đốc", 1.5, 2},
    {"Phó giám đốc", 2, 2},
    {"CEO", 2.5, 2},
    {"Founder", 1.2, 2},
    {"Co-founder", 0.6, 2},
    {"Chủ doanh nghiệp", 2, 2},
    {"Chủ shop", 2, 2},
    {"Owner", 1, 2},
    {"Giám đốc kinh doanh", 1.5, 2},
    {"Giám đốc Marketing", 1, 2},
    {"CFO", 0.5, 2},
    {"CTO", 0.6, 2},
    {"Head of Sales", 0.6, 2},
    {"Trưởng phòng", 4, 1},
    {"Trưởng phòng kinh doanh", 3, 1},
    {"Trưởng phòng Marketing", 2, 1},
    {"Trưởng nhóm", 2, 1},
    {"Sales Manager", 2, 1},
    {"Marketing Manager", 1.5, 1},
    {"Quản lý", 3, 1},
    {"Manager", 1.5, 1},
    {"Kế toán trưởng", 1.2, 1},
    {"Team Leader", 1, 1},
    {"Phó phòng", 1, 1},
    {"Nhân viên", 6, 0},
    {"Nhân viên kinh doanh", 4, 0},
    {"Nhân viên văn phòng", 2, 0},
    {"Chuyên viên", 3, 0},
    {"Kế toán", 2.5, 0},
    {"Sales Executive", 1.5, 0},
    {"Marketing Executive", 1.2, 0},
    {"Admin", 1, 0},
    {"Lễ tân", 0.6, 0},
    {"Trợ lý", 1, 0},
    {"Thực tập sinh", 0.8, -1},
    {"Sinh viên", 3, -1},
    {"Freelancer", 1.5, 0},
    {"Giáo viên", 1, 0},
    {"Kỹ sư", 1.5, 0},
    {"Kinh doanh tự do", 2, 1},
};

constexpr std::string_view kBrands[] = {
    "Minh Phát",  "Hòa Bình",   "An Khang",   "Thành Công",   "Phú Thịnh",
    "Tân Việt",   "Hưng Thịnh", "Đại Dương",  "Sao Mai",      "Hoàng Long",
    "Việt Á",     "Nam Việt",   "Thiên Long", "Phúc An",      "Trường Sơn",
    "Kim Long",   "Bảo Minh",   "Đông Á",     "Hải Âu",       "Ánh Dương",
    "Phương Nam", "Sông Hồng",  "Mekong",     "Sài Gòn Xanh", "Hà Thành",
    "Việt Tiến",  "Đức Thành",  "Thịnh Phát", "Gia Phát",     "Vạn Xuân",
    "Tín Nghĩa",  "Hồng Hà",    "Lạc Việt",   "An Phú",       "Tâm Đức",
    "Vĩnh Hưng",  "Quang Minh", "Nhật Minh",  "Tiến Phát",    "Song Long",
    "Sunrise",    "Green Life", "Smart Tech", "Blue Ocean",   "Golden Gate",
    "Viet Star",  "Alpha",      "Delta",      "Nova",         "Phát Đạt",
    "Hải Nam",    "Kim Ngân",   "Bình Minh",  "Thuận Phát",   "Trí Việt",
    "Đất Xanh",   "Hoa Sen",    "Ngọc Lan",   "Mặt Trời",     "Vina Link",
};

constexpr std::string_view kIndustries[] = {
    "Xây dựng",       "Thương mại",  "Thương mại và Dịch vụ",
    "Công nghệ",      "Đầu tư",      "Bất động sản",
    "Dược phẩm",      "Vận tải",     "Giáo dục",
    "Thực phẩm",      "Nội thất",    "Sản xuất",
    "Xuất nhập khẩu", "Du lịch",     "Truyền thông",
    "Phần mềm",       "Logistics",   "Điện tử",
    "May mặc",        "Nông nghiệp",
};

// Large employers (name, e-mail domain).
struct KnownCompany {
  std::string_view name;
  std::string_view domain;
};
constexpr KnownCompany kKnownCompanies[] = {
    {"Tập đoàn FPT", "fpt.com.vn"},
    {"FPT Software", "fpt.com"},
    {"Viettel", "viettel.com.vn"},
    {"VNPT", "vnpt.vn"},
    {"Vingroup", "vingroup.net"},
    {"Techcombank", "techcombank.com.vn"},
    {"Vinamilk", "vinamilk.com.vn"},
    {"Thế Giới Di Động", "thegioididong.com"},
    {"VPBank", "vpbank.com.vn"},
    {"Hòa Phát", "hoaphat.com.vn"},
    {"MoMo", "momo.vn"},
    {"Tiki", "tiki.vn"},
    {"VNG", "vng.com.vn"},
    {"Pacific Group", "pacific.co"},
};

constexpr Word kProviders[] = {
    {"gmail.com", 68},  {"yahoo.com", 7},   {"yahoo.com.vn", 5},
    {"hotmail.com", 4}, {"outlook.com", 4}, {"icloud.com", 3},
};

// Real domains that look close to a provider; a cleaner must leave them.
constexpr std::string_view kLookalikeDomains[] = {
    "gmx.com",       "gmx.net",     "mail.com",    "ymail.com",  "live.com",
    "hotmail.co.uk", "yahoo.co.jp", "yahoo.co.uk", "me.com",     "mac.com",
    "email.com",     "aol.com",     "proton.me",   "zoho.com",   "fpt.vn",
    "vnn.vn",        "hn.vnn.vn",   "pacific.co",  "gmc.com.vn", "outlook.fr",
};

// Domain typos seen in lead forms (vietnam.md §6.2), space-separated.
struct Typo {
  std::string_view domain;
  std::string_view typos;
};
constexpr Typo kTypos[] = {
    {"gmail.com",
     "gmial.com gmai.com gmal.com gmali.com gmaill.com gamil.com gnail.com "
     "gmil.com gmaul.com gemail.com gimail.com gmaol.com gmail.con gmail.co "
     "gmail.cm gmail.om gmail.cim gmail.comm gmail,com gmail.coom"},
    {"yahoo.com",
     "yaho.com yahooo.com yhoo.com yaoo.com yahoo.con yahho.com yhaoo.com "
     "yahoo.cm"},
    {"yahoo.com.vn",
     "yaho.com.vn yahooo.com.vn yahoo.con.vn yahoo.com.vm yhoo.com.vn "
     "yaoo.com.vn"},
    {"hotmail.com",
     "hotmial.com hotmal.com hotmai.com hotmil.com hottmail.com hotmaill.com "
     "hotmail.con hotamil.com"},
    {"outlook.com",
     "outlok.com outloo.com outlook.con oulook.com outlookk.com otlook.com"},
    {"icloud.com",
     "iclould.com icoud.com icloud.co iclod.com icluod.com icloud.con"},
};

constexpr std::string_view kDisposableDomains[] = {
    "mailinator.com", "10minutemail.com", "guerrillamail.com", "yopmail.com",
    "temp-mail.org",  "trashmail.com",    "sharklasers.com",   "getnada.com",
    "maildrop.cc",    "dispostable.com",  "throwawaymail.com", "fakeinbox.com",
    "mohmal.com",     "tempail.com",      "emailondeck.com",
};

constexpr std::string_view kPlaceholderEmails[] = {
    "test@test.com",
    "test@gmail.com",
    "abc@gmail.com",
    "a@a.com",
    "a@b.com",
    "example@example.com",
    "no@email.com",
    "noemail@gmail.com",
    "khongco@gmail.com",
    "nguyenvana@gmail.com",
    "abc@abc.com",
    "123@gmail.com",
    "asd@asd.com",
    "email@email.com",
    "xxx@xxx.com",
    "test123@gmail.com",
    "nguyenvana@example.com",
};

constexpr std::string_view kPlaceholderNames[] = {
    "Nguyễn Văn A", "Nguyễn Văn B", "Trần Thị B", "Lê Văn C",
    "Nguyễn Thị A", "Nguyen Van A", "test",       "Test Test",
    "TEST",         "testing",      "asdf",       "abc",
    "abc xyz",      "khách hàng",   "Khách hàng", "KH",
    "anh/chị",      "a/c",          "anh",        "chị",
    "Anh",          "Chị",          "John Doe",   "Jane Doe",
    "Ví dụ",        "n/a",          "ko",         "không",
    "noname",       "ẩn danh",      ".",          "-",
    "aaa",          "xxx",          "thử nghiệm", "Mr",
    "Ms",
};

constexpr std::string_view kNicknames[] = {
    "meocon",  "bapbong",  "cuncon",   "heocon",    "thocon",  "hotboy",
    "xinhgai", "congchua", "sieunhan", "thienthan", "babyboo", "tomcat",
    "kenny",   "jenny",    "tony",     "lily",      "bin",     "bonbon",
    "nana",    "titi",     "kemdau",   "muaxuan",   "hoami",   "giotsuong",
    "langtu",  "ngoxanh",  "bongbong",
};

// Notes: value = need/intent (-1 negative, 0 neutral, 1 interested, 2 ready).
constexpr Word kNotes[] = {
    {"cần báo giá gấp", 3, 2},
    {"gửi báo giá giúp em", 3, 2},
    {"muốn đặt lịch demo tuần này", 2, 2},
    {"cần triển khai trong tháng", 2, 2},
    {"đang so sánh 2-3 bên, cần báo giá chi tiết", 1.5, 2},
    {"ngân sách 50 triệu, cần tư vấn ngay", 1.5, 2},
    {"đã dùng thử, muốn mua bản pro", 1, 2},
    {"sếp duyệt rồi, cần hợp đồng", 0.7, 2},
    {"liên hệ gấp", 1.5, 2},
    {"Please send quotation", 0.5, 2},
    {"cần mua số lượng lớn", 1, 2},
    {"cần tư vấn thêm", 5, 1},
    {"muốn tìm hiểu giá", 3, 1},
    {"cho xin thông tin chi tiết", 3, 1},
    {"gửi tài liệu qua email", 2, 1},
    {"quan tâm gói doanh nghiệp", 2, 1},
    {"tư vấn qua Zalo", 2.5, 1},
    {"muốn được demo", 1.5, 1},
    {"gọi sau 5h chiều", 3, 0},
    {"gọi giờ hành chính", 2.5, 0},
    {"nhắn tin trước khi gọi", 1.5, 0},
    {"liên hệ buổi sáng", 1.5, 0},
    {"số phụ: xem cột email", 0.3, 0},
    {"chưa có nhu cầu", 3, -1},
    {"chỉ tham khảo", 3, -1},
    {"tìm hiểu thôi", 2.5, -1},
    {"không gọi điện, nhắn tin thôi", 1.5, -1},
    {"đã mua bên khác", 1.2, -1},
    {"sinh viên làm bài tập", 0.8, -1},
    {"nhầm form", 0.6, -1},
    {"đừng gọi", 0.5, -1},
};

// Budgets: value = level (0 unknown, 1 small, 2 medium, 3 large).
constexpr Word kBudgets[] = {
    {"dưới 20 triệu", 2, 1},   {"10.000.000đ", 1, 1}, {"5.000.000 VND", 1, 1},
    {"$2,000", 0.5, 1},        {"20tr", 1, 1},        {"30 triệu", 1.5, 1},
    {"50 triệu", 3, 2},        {"50tr", 2, 2},        {"100 triệu", 2.5, 2},
    {"200-300 triệu", 1.5, 2}, {"2000 USD", 0.5, 2},  {"150tr", 1, 2},
    {"500 triệu", 1.2, 3},     {"1 tỷ", 1.2, 3},      {"1,5 tỷ", 0.6, 3},
    {"trên 1 tỷ", 0.5, 3},     {"2 tỷ", 0.4, 3},
};
constexpr std::string_view kBudgetUnknown[] = {"chưa rõ", "Thỏa thuận",
                                               "tùy báo giá", "chưa xác định"};

// Timelines: value = urgency (-1 later, 1 this quarter, 2 now).
constexpr Word kTimelines[] = {
    {"Ngay lập tức", 2, 2},
    {"Gấp", 2, 2},
    {"Trong tuần này", 2, 2},
    {"ASAP", 0.6, 2},
    {"Càng sớm càng tốt", 1, 2},
    {"Trong tháng này", 2, 1},
    {"1 tháng", 2, 1},
    {"1-3 tháng", 2.5, 1},
    {"Quý này", 1, 1},
    {"this month", 0.4, 1},
    {"6 tháng nữa", 1.5, -1},
    {"Năm sau", 1.5, -1},
    {"Chưa có kế hoạch", 1.5, -1},
    {"Trên 6 tháng", 1, -1},
};

constexpr std::string_view kProducts[] = {
    "Phần mềm CRM",         "Phần mềm kế toán",  "ERP",
    "Tư vấn chuyển đổi số", "Chatbot Zalo",      "Email marketing",
    "Tổng đài ảo",          "Phần mềm bán hàng", "Gói doanh nghiệp",
    "Gói cơ bản",
};

constexpr std::string_view kOwners[] = {
    "Ngọc Anh", "Minh Tuấn", "Hải Yến",     "Quốc Bảo",
    "Thu Hà",   "Đức Long",  "Phương Thảo", "",
};

constexpr std::string_view kBrowserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 "
    "Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; CPH2239) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; 23021RAA2Y) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/121.0.6167.178 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) coc_coc_browser/120.0.200 Chrome/114.0.5735.200 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) "
    "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "[FBAN/FBIOS;FBAV/452.0.0.38.108;FBBV/556277744;FBDV/iPhone13,2;FBMD/"
    "iPhone;FBSN/iOS;FBSV/16.6;FBSS/3;FBCR/;FBID/phone;FBLC/vi_VN;FBOP/80]",
    "Mozilla/5.0 (Linux; Android 11; RMX2189 Build/RP1A.200720.011; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 "
    "Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/445.0.0.34.118;]",
    "Mozilla/5.0 (Linux; Android 12; SM-A325F Build/SP1A.210812.016; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.193 "
    "Mobile Safari/537.36 Zalo android/12100647 ZaloTheme/light "
    "ZaloLanguage/vi",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 "
    "Firefox/124.0",
    "Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 "
    "(KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/109.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; V2207) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36",
};

constexpr std::string_view kBotAgents[] = {
    "python-requests/2.31.0",
    "curl/8.0.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/120.0.6099.109 Safari/537.36",
    "Go-http-client/1.1",
    "Scrapy/2.11.0 (+https://scrapy.org)",
    "axios/1.6.2",
    "Java/17.0.2",
    "Wget/1.21.3",
    "",
};

// IPv4 blocks: first octet, second-octet range.
struct IpBlock {
  int a;
  int b_lo;
  int b_hi;
};
constexpr IpBlock kHomeBlocks[] = {
    {27, 64, 79},   {171, 224, 255}, {116, 96, 111}, {113, 160, 191},
    {14, 160, 191}, {123, 16, 31},   {42, 112, 119}, {118, 68, 71},
    {1, 52, 55},    {115, 72, 79},   {183, 80, 91},  {125, 234, 235},
};
constexpr IpBlock kDatacenterBlocks[] = {
    {45, 32, 95},   {185, 100, 250}, {104, 16, 31},  {34, 64, 127},
    {35, 184, 247}, {3, 80, 127},    {18, 130, 230}, {52, 0, 95},
    {159, 65, 89},  {103, 1, 254},   {167, 99, 172},
};
constexpr std::string_view kIpv6Prefixes[] = {"2402:800", "2001:ee0",
                                              "2405:4802", "2405:4803"};

constexpr std::string_view kMashSyllables[] = {
    "sdf", "asd", "jhg", "qwe", "ádas", "dfg", "hjk", "zxc",
    "ghj", "kjh", "lkj", "ưqe", "fgh",  "xcv", "aaa", "ddd",
};

// Junk text written by bots into free-text fields.
constexpr std::string_view kBotNotes[] = {
    "Hello, I am interested in your product",
    "Best SEO services, visit http://seo-top1.xyz",
    "We offer web design services at low price",
    "Dịch vụ SEO giá rẻ, liên hệ ngay",
    "Buy followers cheap http://bit.ly/3xYz",
    "test",
    "asdasdasd",
};

// Output columns. The same fields feed both header styles.
enum class Field {
  kId,
  kCreated,
  kAdName,
  kCampaign,
  kFormName,
  kPlatform,
  kName,
  kGender,
  kPhone,
  kEmail,
  kCompany,
  kTitle,
  kCity,
  kSource,
  kOwner,
  kProduct,
  kBudget,
  kTimeline,
  kNotes,
  kIp,
  kUserAgent,
  kPageViews,
  kEmailOpens,
  kCount,
};

struct Column {
  std::string_view header;
  Field field;
};

constexpr Column kEnglishColumns[] = {
    {"id", Field::kId},
    {"created_time", Field::kCreated},
    {"ad_name", Field::kAdName},
    {"campaign_name", Field::kCampaign},
    {"form_name", Field::kFormName},
    {"platform", Field::kPlatform},
    {"full_name", Field::kName},
    {"phone_number", Field::kPhone},
    {"email", Field::kEmail},
    {"company_name", Field::kCompany},
    {"job_title", Field::kTitle},
    {"city", Field::kCity},
    {"lead_source", Field::kSource},
    {"budget", Field::kBudget},
    {"timeline", Field::kTimeline},
    {"notes", Field::kNotes},
    {"ip_address", Field::kIp},
    {"user_agent", Field::kUserAgent},
    {"page_views", Field::kPageViews},
    {"email_opens", Field::kEmailOpens},
};

constexpr Column kVietnameseColumns[] = {
    {"STT", Field::kId},
    {"Ngày tạo", Field::kCreated},
    {"Chiến dịch", Field::kCampaign},
    {"Nguồn", Field::kSource},
    {"Họ và tên", Field::kName},
    {"Giới tính", Field::kGender},
    {"Số điện thoại", Field::kPhone},
    {"Email", Field::kEmail},
    {"Công ty", Field::kCompany},
    {"Chức vụ", Field::kTitle},
    {"Tỉnh/Thành phố", Field::kCity},
    {"Nhu cầu", Field::kProduct},
    {"Ngân sách", Field::kBudget},
    {"Thời gian dự kiến", Field::kTimeline},
    {"Ghi chú", Field::kNotes},
    {"Phụ trách", Field::kOwner},
    {"Địa chỉ IP", Field::kIp},
    {"User agent", Field::kUserAgent},
    {"Lượt xem trang", Field::kPageViews},
    {"Mở email", Field::kEmailOpens},
};

constexpr std::string_view kTruthHeader[] = {
    "row",
    "person_id",
    "dup_of_row",
    "dup_kind",
    "is_junk",
    "junk_kind",
    "phone_damage",
    "true_phone",
    "true_phone_alt",
    "phone_recoverable",
    "email_damage",
    "true_email",
    "name_form",
    "true_name",
    "source",
    "p_convert",
    "converted",
};

// Phone numbers.

enum class PhoneKind : uint8_t { kNone, kMobile, kLandline, kForeign };

struct Phone {
  PhoneKind kind = PhoneKind::kNone;
  uint8_t country = 0;  // kCountries index, foreign numbers only
  uint8_t city = 0;     // kCities index, landlines only
  uint8_t prefix = 0;   // kMobilePrefixes index, mobiles only
  uint64_t nsn = 0;     // national significant number

  bool IsVietnam() const {
    return kind == PhoneKind::kMobile || kind == PhoneKind::kLandline;
  }
  bool Empty() const { return kind == PhoneKind::kNone; }

  std::string Nsn() const { return Digits(nsn); }
  std::string National() const { return "0" + Nsn(); }
  std::string_view CountryCode() const {
    return kind == PhoneKind::kForeign ? kCountries[country].code : "84";
  }
  std::string E164() const {
    return Empty() ? std::string() : "+" + std::string(CountryCode()) + Nsn();
  }
  uint64_t Key() const {
    uint64_t cc = 0;
    std::from_chars(CountryCode().data(),
                    CountryCode().data() + CountryCode().size(), cc);
    return cc * 1000000000000ULL + nsn;
  }
  // Digits of the area code inside the NSN (landlines).
  size_t AreaLength() const { return kCities[city].area.size(); }
  bool LegacyMobile() const {
    return kind == PhoneKind::kMobile && !kMobilePrefixes[prefix].old.empty();
  }
  bool LegacyLandline() const {
    return kind == PhoneKind::kLandline && kCities[city].legacy_safe;
  }
};

// "0912345678" grouped as "433" with `sep` -> "0912 345 678". Each
// character of `groups` is one group size; leftover digits form a last group.
std::string Group(std::string_view digits, std::string_view groups,
                  std::string_view sep) {
  std::string out;
  size_t at = 0;
  for (char g : groups) {
    if (at >= digits.size()) {
      break;
    }
    if (at > 0) {
      out.append(sep);
    }
    out.append(digits.substr(at, g - '0'));
    at += g - '0';
  }
  if (at < digits.size()) {
    out.append(sep);
    out.append(digits.substr(at));
  }
  return out;
}

std::string Fullwidth(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      AppendUtf8(0xFF10 + (c - '0'), &out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The usual written groupings for a VN number, national form.
std::string_view NationalGroups(const Phone& p, Rng& rng) {
  if (p.kind == PhoneKind::kLandline) {
    return p.AreaLength() == 2 ? "344" : "443";
  }
  return rng.Pick({"433", "433", "334", "4222", "3322"});
}

std::string_view NsnGroups(const Phone& p) {
  if (p.kind == PhoneKind::kForeign) {
    return kCountries[p.country].groups;
  }
  if (p.kind == PhoneKind::kLandline) {
    return p.AreaLength() == 2 ? "244" : "343";
  }
  return "333";
}

std::string_view PickSeparator(Rng& rng) {
  static constexpr std::string_view kSeps[] = {" ", " ",      ".",     ".",
                                               "-", "\u00A0", "\u2013"};
  return rng.Pick(std::span<const std::string_view>(kSeps));
}

// Plain national or grouped; what a person types when nobody damages it.
std::string CleanNational(const Phone& p, Rng& rng) {
  if (p.kind == PhoneKind::kForeign) {
    return "+" + std::string(p.CountryCode()) + " " +
           Group(p.Nsn(), NsnGroups(p), " ");
  }
  if (rng.Chance(0.5)) {
    return p.National();
  }
  const std::string_view groups = NationalGroups(p, rng);
  return Group(p.National(), groups, rng.Chance(0.6) ? " " : ".");
}

std::string FormatForeign(const Phone& p, Rng& rng) {
  const std::string cc(p.CountryCode());
  const std::string grouped = Group(p.Nsn(), NsnGroups(p), PickSeparator(rng));
  switch (rng.Below(6)) {
    case 0:
      return "+" + cc + "-" + Group(p.Nsn(), NsnGroups(p), "-");
    case 1:
      return "00" + cc + " " + grouped;
    case 2:
      return "(+" + cc + ") " + grouped;
    case 3:
      return "+" + cc + p.Nsn();
    case 4:
      return " +" + cc + " " + grouped + " ";
    default:
      return "+" + cc + " " + grouped;
  }
}

std::string FormatVietnamNational(const Phone& p, Rng& rng) {
  const std::string national = p.National();
  if (p.kind == PhoneKind::kLandline && rng.Chance(0.35)) {
    const size_t area = p.AreaLength() + 1;
    return "(" + national.substr(0, area) + ") " +
           Group(national.substr(area), "44", rng.Chance(0.7) ? " " : ".");
  }
  const std::string_view groups = NationalGroups(p, rng);
  return Group(national, groups, PickSeparator(rng));
}

std::string FormatVietnamInternational(const Phone& p, Rng& rng) {
  const std::string nsn = p.Nsn();
  const std::string grouped = Group(nsn, NsnGroups(p), " ");
  switch (rng.Below(11)) {
    case 0:
      return "+84 " + grouped;
    case 1:
      return "(+84) " + grouped;
    case 2:
      return "+84 (0) " + grouped;
    case 3:
      return "0084 " + grouped;
    case 4:
      return "0084" + nsn;
    case 5:
      return "84" + nsn;
    case 6:
      return "+84." + Group(nsn, NsnGroups(p), ".");
    case 7:
      return "+84-" + Group(nsn, NsnGroups(p), "-");
    case 8:
      return "+840" + nsn;
    case 9:
      return "+84 0" + Group(nsn, NsnGroups(p), " ");
    default:
      return "(84) " + nsn;
  }
}

std::string FormatVietnamOdd(const Phone& p, Rng& rng) {
  const std::string national = p.National();
  switch (rng.Below(6)) {
    case 0:
      return Fullwidth(national);
    case 1:
      return "\u200B" + national;
    case 2:
      return national.substr(0, 4) + "\u200B" + national.substr(4);
    case 3:
      return national + "\uFEFF";
    case 4:
      return "  " + national + " ";
    default:
      return Group(national, NationalGroups(p, rng), "\u00A0");
  }
}

std::string RenderFormat(const Phone& p, Rng& rng) {
  if (p.kind == PhoneKind::kForeign) {
    return FormatForeign(p, rng);
  }
  const double u = rng.Unit();
  if (u < 0.45) {
    return FormatVietnamNational(p, rng);
  }
  if (u < 0.82) {
    return FormatVietnamInternational(p, rng);
  }
  return FormatVietnamOdd(p, rng);
}

// The number as a decimal integer string, optionally with the 84 prefix,
// the way Excel holds it once the leading zero is gone.
std::string ExcelNumber(const Phone& p, Rng& rng, double with_cc) {
  return (rng.Chance(with_cc) ? "84" : "") + p.Nsn();
}

std::string SciExponent(size_t exponent, Rng& rng) {
  switch (rng.Below(3)) {
    case 0:
      return "E+" + Digits(exponent);
    case 1:
      return "e+" + ZeroPad(exponent, 2);
    default:
      return "E+" + ZeroPad(exponent, 2);
  }
}

// Every digit stays in the mantissa, trailing zeros included: a shorter
// mantissa could be a rounded one, and then nothing tells them apart.
std::string SciLossless(const Phone& p, Rng& rng) {
  const std::string digits = ExcelNumber(p, rng, 0.2);
  const size_t exponent = digits.size() - 1;
  const char point = rng.Chance(0.1) ? ',' : '.';
  return digits.substr(0, 1) + point + digits.substr(1) +
         SciExponent(exponent, rng);
}

// Six significant digits, as Excel's General format shows a wide number.
// Returns nullopt when rounding happens to keep every digit.
std::optional<std::string> SciLossy(const Phone& p, Rng& rng) {
  const std::string digits = ExcelNumber(p, rng, 0.25);
  uint64_t value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  uint64_t scale = 1;
  for (size_t i = 6; i < digits.size(); ++i) {
    scale *= 10;
  }
  const uint64_t rounded = (value + scale / 2) / scale;
  if (rounded * scale == value) {
    return std::nullopt;
  }
  std::string mantissa = Digits(rounded);
  const size_t exponent = digits.size() - 1 + (mantissa.size() - 6);
  while (mantissa.size() > 1 && mantissa.back() == '0') {
    mantissa.pop_back();
  }
  const char point = rng.Chance(0.1) ? ',' : '.';
  std::string out = mantissa.substr(0, 1);
  if (mantissa.size() > 1) {
    out += point + mantissa.substr(1);
  }
  return out + SciExponent(exponent, rng);
}

std::string ExcelText(const Phone& p, Rng& rng) {
  const double u = rng.Unit();
  if (p.kind == PhoneKind::kForeign) {
    return "'" + p.E164();
  }
  if (u < 0.55) {
    return "'" + p.National();
  }
  if (u < 0.65) {
    return "'+84" + p.Nsn();
  }
  if (u < 0.9) {
    return "=\"" + p.National() + "\"";
  }
  return "=\"" + Group(p.National(), NationalGroups(p, rng), " ") + "\"";
}

std::string FbPrefix(const Phone& p, Rng& rng) {
  const double u = rng.Unit();
  if (u < 0.75 || p.kind == PhoneKind::kForeign) {
    return "p:" + p.E164();
  }
  if (u < 0.9) {
    return "p:" + p.National();
  }
  return "p:+84 " + Group(p.Nsn(), NsnGroups(p), " ");
}

std::string OldMobileNsn(const Phone& p) {
  return std::string(kMobilePrefixes[p.prefix].old) + p.Nsn().substr(2);
}

std::string LegacyMobile(const Phone& p, Rng& rng) {
  const std::string old = OldMobileNsn(p);
  switch (rng.Below(9)) {
    case 0:
      return "0" + old;
    case 1:
      return "0" + old;
    case 2:
      return Group("0" + old, "434", " ");
    case 3:
      return Group("0" + old, "434", ".");
    case 4:
      return Group("0" + old, "434", "-");
    case 5:
      return "+84" + old;
    case 6:
      return "84" + old;
    case 7:
      return old;
    default:
      return "+84 " + Group(old, "334", " ");
  }
}

std::string LegacyLandline(const Phone& p, Rng& rng) {
  const City& city = kCities[p.city];
  const std::string subscriber = p.Nsn().substr(city.area.size());
  const std::string old = "0" + std::string(city.old_area);
  const std::string grouped = subscriber.size() == 8
                                  ? Group(subscriber, "44", " ")
                                  : Group(subscriber, "133", ".");
  switch (rng.Below(6)) {
    case 0:
      return "(" + old + ") " + grouped;
    case 1:
      return old + "." + subscriber;
    case 2:
      return old + " " + subscriber;
    case 3:
      return old + "-" + grouped;
    case 4:
      return "+84 " + std::string(city.old_area) + " " + grouped;
    default:
      return "(" + old + ") " + subscriber;
  }
}

// Labels around a number (vietnam.md §2). `given` names the person for
// suffixes like "(anh Nam)".
std::string Label(const std::string& number, std::string_view honorific,
                  std::string_view given, Rng& rng) {
  static constexpr std::string_view kPrefixes[] = {
      "ĐT: ",      "SĐT ",     "SĐT: ",        "Sđt: ",     "sdt ",
      "Zalo: ",    "Zalo ",    "SĐT/Zalo: ",   "Hotline: ", "DĐ: ",
      "Tel: ",     "Mobile: ", "Điện thoại: ", "Phone: ",   "ĐT ",
      "Di động: ", "số zalo ",
  };
  static constexpr std::string_view kSuffixes[] = {
      " (Zalo)",           " (zalo)",      " zalo",         " (gọi giờ HC)",
      " (nhắn tin trước)", " (chính chủ)", " (Zalo/Viber)", " - gọi sau 17h",
  };
  const double u = rng.Unit();
  if (u < 0.55) {
    return std::string(rng.Pick(std::span<const std::string_view>(kPrefixes))) +
           number;
  }
  if (u < 0.7) {
    return number + " (" + std::string(honorific) + " " + std::string(given) +
           ")";
  }
  if (u < 0.78) {
    return number + " - " + std::string(honorific) + " " + std::string(given);
  }
  std::string out = number;
  out += rng.Pick(std::span<const std::string_view>(kSuffixes));
  if (u > 0.94) {
    out.insert(0, "SĐT: ");
  }
  return out;
}

// "0350 3274107": 11 digits behind a 3-digit pre-2017 area code (all of
// them, vietnam.md §1.5, including the four that did not change), which a
// cleaner rightly reads as a landline.
bool LooksLikeOldLandline(std::string_view national) {
  static constexpr std::string_view kOldCodes =
      " 240 280 281 231 230 320 321 241 351 350 510 511 501 500 651 650 780"
      " 781 710 711 210 211 218 219 ";
  return national.size() == 11 &&
         kOldCodes.find(" " + std::string(national.substr(1, 3)) + " ") !=
             std::string_view::npos;
}

// Something that holds no recoverable number for this person.
std::string InvalidPhone(const Phone& p, Rng& rng) {
  static constexpr std::string_view kTexts[] = {
      "không có",  "chưa có",
      "ko",        "n/a",
      "N/A",       "xxx",
      "-",         "0",
      "#N/A",      "#VALUE!",
      "NULL",      "null",
      "undefined", "đang cập nhật",
      "không nhớ", "bí mật",
      "?",         "+84",
      "84",        "12345",
      "090",       "(+84) 929 441 57",
  };
  const double u = rng.Unit();
  if (!p.IsVietnam() || u < 0.35) {
    return std::string(rng.Pick(std::span<const std::string_view>(kTexts)));
  }
  // Drop or add a digit after the first four, so the result never turns
  // into an old-format number (04..., 012x..., 0350 + 7 digits) that
  // converts to a real one.
  std::string national = p.National();
  if (u < 0.7) {
    national.erase(4 + rng.Below(national.size() - 4), 1);
    return rng.Chance(0.5) ? national : Group(national, "433", " ");
  }
  if (u < 0.9) {
    const size_t at = 4 + rng.Below(national.size() - 3);
    national.insert(at, 1, static_cast<char>('0' + rng.Below(10)));
    if (!LooksLikeOldLandline(national)) {
      return national;
    }
  }
  // Masked digits, as some list sellers deliver them.
  return national.substr(0, 4) + (rng.Chance(0.5) ? "***" : "xxx") +
         national.substr(7);
}

// Several numbers in one cell.
struct MultiCell {
  std::string raw;
  std::string primary;
  std::string alt;
};

MultiCell RenderMulti(const Phone& a, const Phone& b, Rng& rng) {
  const bool swap = rng.Chance(0.5);
  const Phone& first = swap ? b : a;
  const Phone& second = swap ? a : b;
  const bool both_mobile_vn =
      first.kind == PhoneKind::kMobile && second.kind == PhoneKind::kMobile;
  MultiCell cell;
  const bool first_primary =
      first.kind == PhoneKind::kMobile || second.kind != PhoneKind::kMobile;
  cell.primary = first_primary ? first.E164() : second.E164();
  cell.alt = first_primary ? second.E164() : first.E164();
  const double u = rng.Unit();
  if (both_mobile_vn && u < 0.14) {
    cell.raw = first.National() + (u < 0.08 ? "" : "-") + second.National();
    return cell;
  }
  static constexpr std::string_view kSeps[] = {
      " / ", "/", ";", "; ", ", ", " - ", " hoặc ", " | ", "|", "\n", " & ",
  };
  const std::string left =
      rng.Chance(0.6) ? CleanNational(first, rng) : RenderFormat(first, rng);
  const std::string right = CleanNational(second, rng);
  // Zalo and "DĐ" (di động) name mobiles; "ĐT" is usually the landline.
  const bool mobile_second = second.kind == PhoneKind::kMobile;
  if (u < 0.22 && mobile_second) {
    cell.raw = left + " (Zalo " + right + ")";
  } else if (u < 0.3 && mobile_second) {
    cell.raw = "ĐT: " + left + " DĐ: " + right;
  } else {
    cell.raw = left +
               std::string(rng.Pick(std::span<const std::string_view>(kSeps))) +
               right;
  }
  return cell;
}

// Dates. Civil-from-days after H. Hinnant, for the proleptic Gregorian
// calendar.

struct Civil {
  int year;
  int month;
  int day;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

// Writes `value` as exactly `width` digits at `out`.
void PutDigits(int64_t value, int width, char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Seconds since the epoch, written in Vietnam time (+07:00). Styles:
// 0 ISO 8601 with offset, 1 "yyyy-mm-dd HH:MM:SS", 2 "dd/mm/yyyy HH:MM",
// 3 "dd/mm/yyyy HH:MM:SS".
std::string FormatTime(int64_t t, int style) {
  const int64_t local = t + 7 * 3600;
  const Civil c = CivilFromDays(local / 86400);
  const int64_t sod = local % 86400;
  const bool iso = style < 2;
  std::string out = iso ? "0000-00-00 00:00:00" : "00/00/0000 00:00:00";
  char* p = out.data();
  if (iso) {
    PutDigits(c.year, 4, p);
    PutDigits(c.month, 2, p + 5);
    PutDigits(c.day, 2, p + 8);
  } else {
    PutDigits(c.day, 2, p);
    PutDigits(c.month, 2, p + 3);
    PutDigits(c.year, 4, p + 6);
  }
  PutDigits(sod / 3600, 2, p + 11);
  PutDigits(sod / 60 % 60, 2, p + 14);
  PutDigits(sod % 60, 2, p + 17);
  if (style == 0) {
    out[10] = 'T';
    out += "+07:00";
  }
  if (style == 2) {
    out.resize(16);
  }
  return out;
}

// CSV output, streamed through a buffer.

class CsvSink {
 public:
  CsvSink(std::FILE* file, bool crlf) : file_(file), crlf_(crlf) {
    buffer_.reserve(kFlushAt + 4096);
  }

  void Raw(std::string_view bytes) { buffer_.append(bytes); }

  void Field(std::string_view value) {
    if (!first_) {
      buffer_.push_back(',');
    }
    first_ = false;
    if (!NeedsQuotes(value)) {
      buffer_.append(value);
      return;
    }
    buffer_.push_back('"');
    for (char c : value) {
      if (c == '"') {
        buffer_.push_back('"');
      }
      buffer_.push_back(c);
    }
    buffer_.push_back('"');
  }

  void EndRecord() {
    buffer_.append(crlf_ ? "\r\n" : "\n");
    first_ = true;
    if (buffer_.size() >= kFlushAt) {
      Flush();
    }
  }

  // Returns false if any write failed.
  bool Finish() {
    Flush();
    return !failed_ && std::fflush(file_) == 0;
  }

 private:
  // A plain loop: find_first_of with a set costs a memchr per character.
  static bool NeedsQuotes(std::string_view value) {
    for (char c : value) {
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }

  void Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(),
                                        file_) != buffer_.size()) {
      failed_ = true;
    }
    buffer_.clear();
  }

  static constexpr size_t kFlushAt = 1 << 20;
  std::FILE* file_;
  bool crlf_;
  bool first_ = true;
  bool failed_ = false;
  std::string buffer_;
};

// The generator.

struct Options {
  uint64_t rows = 1000;
  uint64_t seed = 1;
  bool vietnamese = false;
  bool bom = false;
  bool crlf = false;
  std::string output = "-";
  std::string truth;
  double junk_rate = -1;  // < 0: drawn from the seed
  double dup_rate = -1;
};

// Per-person record, kept for every real person so later rows can repeat
// them. Text lives in one arena; records hold offsets.
struct Person {
  uint32_t id = 0;
  uint32_t first_row = 0;
  uint32_t company = 0;  // 1-based into companies_, 0 = none
  uint32_t name_at = 0;
  uint32_t email_at = 0;
  uint32_t email2_at = 0;
  uint8_t name_len = 0;
  uint8_t email_len = 0;
  uint8_t email2_len = 0;
  uint8_t title = 0;
  uint8_t city = 0;
  uint8_t source = 0;
  bool female = false;
  bool phone_shown = false;
  bool email_shown = false;
  Phone phone;
  Phone alt;
  float interest = 0;  // hidden purchase interest, N(0, 1)
  float luck = 0;      // person-level uniform behind `converted`
};

struct Company {
  uint32_t name_at = 0;
  uint32_t domain_at = 0;
  uint8_t name_len = 0;
  uint8_t domain_len = 0;
  uint8_t city = 0;
  uint8_t switchboard_users = 0;
  uint32_t office_ip = 0;
  Phone switchboard;
};

// What the row's phone requirement is, from its damage category.
enum class PhoneNeed { kAny, kVietnam, kLegacyMobile, kLegacyLandline, kPair };

// One output row plus its truth, reused across rows.
struct Row {
  std::array<std::string, static_cast<size_t>(Field::kCount)> fields;
  uint32_t person_id = 0;
  uint32_t dup_of = 0;
  DupKind dup_kind = DupKind::kNone;
  JunkKind junk = JunkKind::kNone;
  PhoneDamage phone_damage = PhoneDamage::kEmpty;
  std::string true_phone;
  std::string true_phone_alt;
  EmailDamage email_damage = EmailDamage::kEmpty;
  std::string true_email;
  std::string_view name_form;
  std::string true_name;
  size_t source = 0;
  double p_convert = 0;
  bool converted = false;

  std::string& operator[](Field f) { return fields[static_cast<size_t>(f)]; }

  void Clear() {
    for (std::string& f : fields) {
      f.clear();
    }
    dup_of = 0;
    dup_kind = DupKind::kNone;
    junk = JunkKind::kNone;
    phone_damage = PhoneDamage::kEmpty;
    true_phone.clear();
    true_phone_alt.clear();
    email_damage = EmailDamage::kEmpty;
    true_email.clear();
    name_form = "";
    true_name.clear();
    p_convert = 0;
    converted = false;
  }
};

// A junk row planned for later (bursts, sequential e-mails, shared phones).
struct Scheduled {
  uint64_t row;
  uint64_t order;
  JunkKind kind;
  int64_t time;
  int index;       // position inside its event
  uint32_t event;  // index into events_
  bool operator>(const Scheduled& o) const {
    return row != o.row ? row > o.row : order > o.order;
  }
};

struct JunkEvent {
  uint32_t ip = 0;
  uint8_t agent = 0;
  bool bot_agent = false;
  Phone phone;
  std::string domain;
  std::string stem;
  int width = 2;
  int start = 1;
  size_t source = 0;
};

class Generator {
 public:
  Generator(const Options& options, CsvSink* data, CsvSink* truth)
      : options_(options),
        rng_(options.seed),
        data_(data),
        truth_(truth),
        sources_(kSources, 0.25, &rng_),
        junk_kinds_(kJunkKinds, 0.3, &rng_),
        surnames_(kSurnames),
        male_middles_(kMaleMiddles),
        female_middles_(kFemaleMiddles),
        female_second_(kFemaleSecondMiddles),
        male_givens_(kMaleGivens),
        female_givens_(kFemaleGivens),
        common_names_(kCommonNames),
        name_forms_(kNameForms),
        cities_(kCities),
        prefixes_(kMobilePrefixes),
        countries_(kCountries),
        providers_(kProviders),
        titles_(kTitles),
        notes_(kNotes),
        budgets_(kBudgets),
        timelines_(kTimelines) {
    SetUpRates();
    SetUpClock();
    ReservePlaceholders();
    for (const City& c : kCities) {
      city_ascii_.push_back(Unaccent(c.name));
    }
  }

  void Run() {
    WriteHeaders();
    for (uint64_t r = 1; r <= options_.rows; ++r) {
      row_.Clear();
      ComposeRow(r);
      WriteRow(r);
    }
  }

 private:
  using Words = Table<Word>;

  void SetUpRates() {
    junk_rate_ = options_.junk_rate >= 0 ? options_.junk_rate
                                         : rng_.Uniform(0.085, 0.115);
    dup_rate_ =
        options_.dup_rate >= 0 ? options_.dup_rate : rng_.Uniform(0.085, 0.12);
    double rows_per_event = 0;
    double events = 0;
    for (const Word& k : kJunkKinds) {
      rows_per_event += k.weight * k.value;
      events += k.weight;
    }
    junk_start_rate_ = junk_rate_ / (rows_per_event / events);
    for (int i = 0; i < static_cast<int>(PhoneDamage::kCount); ++i) {
      damage_jitter_[i] = rng_.Uniform(0.8, 1.25);
    }
    double total = 0;
    double junk = 0;
    double dup = 0;
    for (const Source& s : kSources) {
      total += s.weight;
      junk += s.weight * s.junk;
      dup += s.weight * s.dup;
    }
    junk_norm_ = total / junk;
    dup_norm_ = total / dup;
  }

  void SetUpClock() {
    const int64_t base = 1719766800;  // 2024-07-01 00:00 +07:00
    span_days_ = 60 + static_cast<int>(rng_.Below(120));
    end_time_ = base + static_cast<int64_t>(rng_.Below(240)) * 86400;
    start_time_ = end_time_ - static_cast<int64_t>(span_days_) * 86400;
  }

  void ReservePlaceholders() {
    for (std::string_view raw : kPlaceholderPhones) {
      std::string digits;
      for (char c : raw) {
        if (c != ' ') {
          digits.push_back(c);
        }
      }
      uint64_t nsn = 0;
      std::from_chars(digits.data() + 1, digits.data() + digits.size(), nsn);
      Phone p;
      p.kind = PhoneKind::kMobile;
      p.nsn = nsn;
      used_phones_.Insert(p.Key());
    }
  }

  // Row composition.

  void ComposeRow(uint64_t r) {
    if (!schedule_.empty() && schedule_.top().row <= r) {
      const Scheduled s = schedule_.top();
      schedule_.pop();
      EmitScheduled(s);
      return;
    }
    const size_t source = sources_.PickIndex(rng_);
    const double junk_p = junk_start_rate_ * kSources[source].junk * junk_norm_;
    const double dup_p = dup_rate_ * kSources[source].dup * dup_norm_;
    const double u = rng_.Unit();
    if (u < junk_p) {
      StartJunk(r, source);
    } else if (u < junk_p + dup_p && !real_people_.empty()) {
      EmitDuplicate(r, source);
    } else {
      EmitNewPerson(r, source);
    }
  }

  int64_t RowTime(uint64_t r) {
    static constexpr double kHourWeights[] = {
        1, 0.5, 0.3, 0.2, 0.2, 0.5, 1.5, 3, 5,   7,   7.5, 7,
        5, 5,   6.5, 7,   6.5, 5,   4,   5, 6.5, 6.5, 5,   3};
    const double frac = static_cast<double>(r - 1) / options_.rows;
    const int64_t day = static_cast<int64_t>(frac * span_days_);
    const int hour = static_cast<int>(PickIndexOf(kHourWeights));
    // start_time_ is a local midnight.
    return start_time_ + day * 86400 + hour * 3600 +
           static_cast<int64_t>(rng_.Below(3600));
  }

  void SetTime(int64_t t) {
    const bool vi = options_.vietnamese;
    const double u = rng_.Unit();
    int style = 0;
    if (vi) {
      style = u < 0.6 ? 2 : u < 0.75 ? 3 : u < 0.9 ? 0 : 1;
    } else {
      style = u < 0.7 ? 0 : u < 0.8 ? 1 : 2;
    }
    row_[Field::kCreated] = FormatTime(t, style);
    row_time_ = t;
  }

  // New real people.

  void EmitNewPerson(uint64_t r, size_t source) {
    row_.source = source;
    row_.phone_damage = PickPhoneDamage(source);
    row_.email_damage = PickEmailDamage();
    if (!Recoverable(row_.phone_damage) && !Recoverable(row_.email_damage)) {
      row_.email_damage =
          rng_.Chance(0.8) ? EmailDamage::kNone : EmailDamage::kCaseSpace;
    }
    const size_t index = CreatePerson(r, source);
    Person& p = people_[index];
    row_.person_id = p.id;
    FillPersonRow(p, RowTime(r));
    RenderContacts(p);
  }

  PhoneDamage PickPhoneDamage(size_t source) {
    // Indexed by PhoneDamage; fb_prefix is scaled up for Facebook exports.
    static constexpr double kBase[] = {30, 17, 4.5, 3.5, 3.3, 3.4, 3.4,
                                       1,  5,  4,   4.3, 3.6, 3,   4};
    const Source& s = kSources[source];
    double w[static_cast<int>(PhoneDamage::kCount)];
    double total = 0;
    for (int i = 0; i < static_cast<int>(PhoneDamage::kCount); ++i) {
      w[i] = kBase[i] * damage_jitter_[i] * SourceDamageFactor(s, i);
      total += w[i];
    }
    double x = rng_.Unit() * total;
    for (int i = 0; i < static_cast<int>(PhoneDamage::kCount); ++i) {
      if (x < w[i]) {
        return static_cast<PhoneDamage>(i);
      }
      x -= w[i];
    }
    return PhoneDamage::kNone;
  }

  static double SourceDamageFactor(const Source& s, int damage) {
    const auto d = static_cast<PhoneDamage>(damage);
    const bool excel =
        d == PhoneDamage::kLostZero || d == PhoneDamage::kDotZero ||
        d == PhoneDamage::kSciLossless || d == PhoneDamage::kSciLossy ||
        d == PhoneDamage::kExcelText;
    const bool old =
        d == PhoneDamage::kLegacy || d == PhoneDamage::kLegacyLandline;
    if (d == PhoneDamage::kFbPrefix) {
      return s.facebook ? 14.0 : 0.0;
    }
    if (excel) {
      return s.spreadsheet ? 2.2 : 0.55;
    }
    if (old) {
      return s.spreadsheet ? 2.6 : 0.35;
    }
    if (d == PhoneDamage::kLabel || d == PhoneDamage::kMulti) {
      return s.spreadsheet ? 1.5 : 0.85;
    }
    return 1.0;
  }

  EmailDamage PickEmailDamage() {
    const double u = rng_.Unit();
    if (u < 0.60) {
      return EmailDamage::kNone;
    }
    if (u < 0.70) {
      return EmailDamage::kCaseSpace;
    }
    if (u < 0.765) {
      return EmailDamage::kTypo;
    }
    if (u < 0.815) {
      return EmailDamage::kInvalid;
    }
    return EmailDamage::kEmpty;
  }

  static PhoneNeed NeedFor(PhoneDamage d) {
    switch (d) {
      case PhoneDamage::kLostZero:
      case PhoneDamage::kDotZero:
      case PhoneDamage::kSciLossless:
      case PhoneDamage::kSciLossy:
        return PhoneNeed::kVietnam;
      case PhoneDamage::kLegacy:
        return PhoneNeed::kLegacyMobile;
      case PhoneDamage::kLegacyLandline:
        return PhoneNeed::kLegacyLandline;
      case PhoneDamage::kMulti:
        return PhoneNeed::kPair;
      default:
        return PhoneNeed::kAny;
    }
  }

  size_t CreatePerson(uint64_t r, size_t source) {
    Person p;
    p.id = ++last_person_id_;
    p.first_row = static_cast<uint32_t>(r);
    p.source = static_cast<uint8_t>(source);
    p.interest = static_cast<float>(rng_.Normal());
    p.luck = static_cast<float>(rng_.Unit());
    const bool common_name = MakeName(&p);
    p.city = static_cast<uint8_t>(cities_.PickIndex(rng_));
    if (rng_.Chance(0.55)) {
      // Namesakes stay in different companies: same name and same company
      // is what a careful cleaner may rightly treat as one person.
      p.company = PickCompany(&p, !common_name);
    }
    p.title = static_cast<uint8_t>(PickTitle(p.company != 0));
    AssignPhones(&p, NeedFor(row_.phone_damage));
    AssignEmail(&p, row_.email_damage == EmailDamage::kTypo);
    people_.push_back(p);
    real_people_.push_back(static_cast<uint32_t>(people_.size() - 1));
    return people_.size() - 1;
  }

  // Returns true for one of the very common full names.
  bool MakeName(Person* p) {
    p->female = rng_.Chance(0.47);
    std::string name;
    const bool common = rng_.Chance(0.035);
    if (common) {
      const Word& w = common_names_.Pick(rng_);
      p->female = w.value == 1;
      name = w.text;
    } else {
      name = RandomName(p->female);
    }
    p->name_at = StoreText(name);
    p->name_len = static_cast<uint8_t>(name.size());
    return common;
  }

  // Surname, zero to two middle names, given name (3 words 83 %, 4 words
  // 16 %, 2 words 1 %; vietnam.md §4.4).
  std::string RandomName(bool female) {
    std::string name(surnames_.Pick(rng_).text);
    const double u = rng_.Unit();
    std::string_view middle;
    if (u >= 0.01) {
      middle = (female ? female_middles_ : male_middles_).Pick(rng_).text;
      name += " ";
      name += middle;
    }
    if (u >= 0.84) {
      std::string_view second = middle;
      while (second == middle || second == "Văn" || second == "Thị") {
        second = (female ? female_second_ : male_middles_).Pick(rng_).text;
      }
      name += " ";
      name += second;
    }
    name += " ";
    name += (female ? female_givens_ : male_givens_).Pick(rng_).text;
    return name;
  }

  size_t PickTitle(bool has_company) {
    const double blank = has_company ? 0.15 : 0.55;
    if (rng_.Chance(blank)) {
      return 0;
    }
    for (;;) {
      const size_t t = titles_.PickIndex(rng_);
      if (has_company || kTitles[t].value != 1 || rng_.Chance(0.3)) {
        return t;
      }
    }
  }

  std::string_view Text(uint32_t at, size_t len) const {
    return std::string_view(arena_).substr(at, len);
  }
  std::string_view NameOf(const Person& p) const {
    return Text(p.name_at, p.name_len);
  }
  std::string_view EmailOf(const Person& p) const {
    return Text(p.email_at, p.email_len);
  }

  uint32_t StoreText(std::string_view s) {
    const auto at = static_cast<uint32_t>(arena_.size());
    arena_.append(s);
    return at;
  }

  // Companies.

  uint32_t PickCompany(Person* p, bool may_join) {
    // Colleagues: reuse grows with the pool, so small files do not pile
    // everyone into the first few companies.
    const double reuse = 0.35 * std::min(1.0, companies_.size() / 200.0);
    if (may_join && !companies_.empty() && rng_.Chance(reuse)) {
      const uint32_t c =
          1 + static_cast<uint32_t>(rng_.Below(companies_.size()));
      if (rng_.Chance(0.8)) {
        p->city = companies_[c - 1].city;
      }
      return c;
    }
    Company c;
    c.city = p->city;
    std::string name;
    std::string domain;
    MakeCompanyName(&name, &domain);
    c.name_at = StoreText(name);
    c.name_len = static_cast<uint8_t>(std::min<size_t>(name.size(), 255));
    c.domain_at = StoreText(domain);
    c.domain_len = static_cast<uint8_t>(domain.size());
    c.office_ip = RandomHomeIp();
    companies_.push_back(c);
    return static_cast<uint32_t>(companies_.size());
  }

  void MakeCompanyName(std::string* name, std::string* domain) {
    if (rng_.Chance(0.015)) {
      const KnownCompany& k =
          rng_.Pick(std::span<const KnownCompany>(kKnownCompanies));
      *name = k.name;
      *domain = k.domain;
      return;
    }
    const std::string brand = MakeBrand();
    const std::string industry(
        rng_.Pick(std::span<const std::string_view>(kIndustries)));
    const std::string ascii = Unaccent(brand);
    static constexpr std::string_view kForms[] = {
        "Công ty TNHH %I %B",
        "Công ty Cổ phần %I %B",
        "CTCP %B",
        "Cty TNHH %B",
        "%B JSC",
        "%A Co., Ltd",
        "Công ty TNHH MTV %B",
        "Tập đoàn %B",
        "%A Group",
        "DNTN %B",
        "%B",
        "%A Corp",
        "CÔNG TY TNHH %U",
        "Cty CP %I %B",
        "Hộ kinh doanh %B",
    };
    std::string form(rng_.Pick(std::span<const std::string_view>(kForms)));
    *name = ExpandCompanyForm(form, brand, industry, ascii);
    *domain = CompanyDomain(ascii);
  }

  // Brands are mostly two or three auspicious syllables ("Minh Phát",
  // "Phú Mỹ Hưng"), some from a fixed list: about 10,000 in all, so
  // unrelated people rarely land on the same company name.
  std::string MakeBrand() {
    if (rng_.Chance(0.15)) {
      return std::string(rng_.Pick(std::span<const std::string_view>(kBrands)));
    }
    static constexpr std::string_view kFirst =
        "Minh Hưng Phú Thành Tân Gia An Phúc Đức Hoàng Việt Nam Thiên Kim "
        "Bảo Quang Tiến Thịnh Vạn Hồng Ngọc Trường Đại Hải Thái";
    static constexpr std::string_view kSecond =
        "Phát Thịnh Long Khang Hưng Lợi Thành Tín Nguyên Đạt Phong Vinh Hà "
        "Sơn Việt Tâm Lộc Quang Anh Mỹ";
    const std::string_view first = PickToken(kFirst, rng_);
    std::string_view second = first;
    while (second == first) {
      second = PickToken(kSecond, rng_);
    }
    std::string brand = std::string(first) + " " + std::string(second);
    if (rng_.Chance(0.5)) {
      brand = std::string(PickToken(kFirst, rng_)) + " " + brand;
    }
    return brand;
  }

  static std::string ExpandCompanyForm(std::string_view form,
                                       const std::string& brand,
                                       const std::string& industry,
                                       const std::string& ascii) {
    std::string out;
    for (size_t i = 0; i < form.size(); ++i) {
      if (form[i] != '%' || i + 1 == form.size()) {
        out.push_back(form[i]);
        continue;
      }
      const char key = form[++i];
      if (key == 'B') {
        out += brand;
      }
      if (key == 'I') {
        out += industry;
      }
      if (key == 'A') {
        out += ascii;
      }
      if (key == 'U') {
        out += ToUpper(industry + " " + brand);
      }
    }
    return out;
  }

  std::string CompanyDomain(const std::string& ascii) {
    std::string slug = FoldKey(ascii);
    const double u = rng_.Unit();
    if (u < 0.15) {
      slug += "group";
    } else if (u < 0.22) {
      slug += "corp";
    } else if (u < 0.27) {
      slug += "-tech";
    }
    static constexpr std::string_view kTlds[] = {
        ".com.vn", ".com.vn", ".com.vn", ".vn",     ".vn",
        ".com",    ".com",    ".co",     ".net.vn", ".edu.vn",
    };
    return slug +
           std::string(rng_.Pick(std::span<const std::string_view>(kTlds)));
  }

  // Phones.

  Phone NewMobile(bool legacy_only) {
    for (;;) {
      Phone p;
      p.kind = PhoneKind::kMobile;
      p.prefix = static_cast<uint8_t>(prefixes_.PickIndex(rng_));
      const MobilePrefix& prefix = kMobilePrefixes[p.prefix];
      if (legacy_only && prefix.old.empty()) {
        continue;
      }
      std::string nsn(prefix.digits);
      if (!legacy_only && rng_.Chance(0.004)) {
        nsn += LuckyTail(9 - nsn.size());
      } else {
        nsn += RandomDigits(rng_, static_cast<int>(9 - nsn.size()));
      }
      std::from_chars(nsn.data(), nsn.data() + nsn.size(), p.nsn);
      if (used_phones_.Insert(p.Key())) {
        return p;
      }
    }
  }

  // Tails of "lucky" numbers (0989 999 999, 0912 68 68 68 ...): real,
  // expensive, and not fakes (vietnam.md §3.2).
  std::string LuckyTail(size_t len) {
    const char rep = "689"[rng_.Below(3)];
    std::string tail;
    switch (rng_.Below(4)) {
      case 0:
        tail = RandomDigits(rng_, 1) + std::string(len - 1, rep);
        break;
      case 1: {
        const std::string_view pair = rng_.Pick({"68", "86", "39", "79", "88"});
        tail = RandomDigits(rng_, static_cast<int>(len % 2));
        while (tail.size() < len) {
          tail += pair;
        }
        break;
      }
      case 2:
        tail =
            RandomDigits(rng_, static_cast<int>(len - 4)) + std::string(4, rep);
        break;
      default: {
        const std::string abc = RandomDigits(rng_, 3);
        tail = RandomDigits(rng_, static_cast<int>(len - 6)) + abc + abc;
        break;
      }
    }
    return tail.substr(0, len);
  }

  Phone NewLandline(size_t city) {
    const City& c = kCities[city];
    for (;;) {
      Phone p;
      p.kind = PhoneKind::kLandline;
      p.city = static_cast<uint8_t>(city);
      const int subscriber = c.area.size() == 2 ? 8 : 7;
      // Subscriber numbers mostly start with 3; Hà Nội and TP.HCM allow
      // 2-8 there, so stay inside that.
      std::string nsn(c.area);
      nsn += "3333627"[rng_.Below(7)];
      nsn += RandomDigits(rng_, subscriber - 1);
      std::from_chars(nsn.data(), nsn.data() + nsn.size(), p.nsn);
      if (used_phones_.Insert(p.Key())) {
        return p;
      }
    }
  }

  Phone NewForeign() {
    for (;;) {
      Phone p;
      p.kind = PhoneKind::kForeign;
      p.country = static_cast<uint8_t>(countries_.PickIndex(rng_));
      const Country& c = kCountries[p.country];
      std::string nsn(PickToken(c.prefixes, rng_));
      nsn.push_back(c.next_digits[rng_.Below(c.next_digits.size())]);
      nsn += RandomDigits(rng_, c.nsn_length - static_cast<int>(nsn.size()));
      std::from_chars(nsn.data(), nsn.data() + nsn.size(), p.nsn);
      if (used_phones_.Insert(p.Key())) {
        return p;
      }
    }
  }

  size_t LegacyLandlineCity() {
    for (;;) {
      const size_t c = cities_.PickIndex(rng_);
      if (kCities[c].legacy_safe) {
        return c;
      }
    }
  }

  // Office number: the company switchboard (shared by up to three people)
  // or a direct line.
  Phone OfficeLine(Person* p) {
    if (p->company != 0 && rng_.Chance(0.5)) {
      Company& c = companies_[p->company - 1];
      if (c.switchboard.Empty()) {
        c.switchboard = NewLandline(c.city);
      }
      if (c.switchboard_users < 3) {
        ++c.switchboard_users;
        return c.switchboard;
      }
    }
    return NewLandline(p->city);
  }

  void AssignPhones(Person* p, PhoneNeed need) {
    switch (need) {
      case PhoneNeed::kLegacyMobile:
        p->phone = NewMobile(true);
        return;
      case PhoneNeed::kLegacyLandline:
        p->city = static_cast<uint8_t>(LegacyLandlineCity());
        p->phone = NewLandline(p->city);
        return;
      case PhoneNeed::kPair:
        p->phone = rng_.Chance(0.6) ? NewMobile(false) : OfficeLine(p);
        p->alt = NewMobile(false);
        return;
      default:
        break;
    }
    const double u = rng_.Unit();
    if (u < 0.085) {
      p->phone = OfficeLine(p);
    } else if (u < 0.105 && need == PhoneNeed::kAny) {
      p->phone = NewForeign();
    } else {
      p->phone = NewMobile(false);
    }
  }

  // E-mail addresses.

  struct NameKeys {
    std::string surname;
    std::string middles;
    std::string given;
    std::string initials;  // of surname and middles: "nv"
  };

  NameKeys KeysOf(std::string_view name) const {
    const std::vector<std::string_view> words = SplitWords(name);
    NameKeys k;
    k.surname = FoldKey(words.front());
    k.given = FoldKey(words.back());
    k.initials = k.surname.substr(0, 1);
    for (size_t i = 1; i + 1 < words.size(); ++i) {
      const std::string m = FoldKey(words[i]);
      k.middles += m;
      k.initials += m.substr(0, 1);
    }
    return k;
  }

  std::string NumberSuffix() {
    const double u = rng_.Unit();
    if (u < 0.42) {
      return "";
    }
    if (u < 0.62) {
      return ZeroPad(rng_.Range(70, 106) % 100, 2);
    }
    if (u < 0.74) {
      return Digits(rng_.Range(1970, 2006));
    }
    if (u < 0.8) {
      return rng_.Chance(0.5) ? "9x" : "8x";
    }
    return Digits(rng_.Range(1, 999));
  }

  std::string PersonalLocal(const NameKeys& k, int attempt) {
    std::string local;
    switch (rng_.Below(9)) {
      case 0:
        local = k.surname + k.middles + k.given;
        break;
      case 1:
        local = k.given + "." + k.surname;
        break;
      case 2:
        local = k.given + k.surname;
        break;
      case 3:
        local = k.surname + k.given;
        break;
      case 4:
        local = k.given + k.initials;
        break;
      case 5:
        local = k.surname + "." + (k.middles.empty() ? "" : k.middles + ".") +
                k.given;
        break;
      case 6:
        local = k.given + "_" + k.surname;
        break;
      case 7:
        local = std::string(
            rng_.Pick(std::span<const std::string_view>(kNicknames)));
        break;
      default:
        local = k.surname + k.middles + k.given;
        break;
    }
    std::string suffix = NumberSuffix();
    if (attempt > 0 || local.size() < 6) {
      suffix = Digits(rng_.Range(1, 9999));
    }
    return local + suffix;
  }

  std::string BusinessLocal(const NameKeys& k, int attempt) {
    std::string local;
    switch (rng_.Below(6)) {
      case 0:
        local = k.given + "." + k.surname;
        break;
      case 1:
        local = k.given + k.initials;
        break;
      case 2:
        local = k.given;
        break;
      case 3:
        local = k.surname + "." + k.given;
        break;
      case 4:
        local = k.initials + k.given;
        break;
      default:
        local = k.given + k.surname;
        break;
    }
    if (attempt > 1) {
      local += Digits(rng_.Range(1, 99));
    }
    return local;
  }

  std::string PickDomain(const Person& p, bool provider_only) {
    if (!provider_only && p.company != 0 && rng_.Chance(0.4)) {
      const Company& c = companies_[p.company - 1];
      return std::string(Text(c.domain_at, c.domain_len));
    }
    if (!provider_only && rng_.Chance(0.035)) {
      return std::string(
          rng_.Pick(std::span<const std::string_view>(kLookalikeDomains)));
    }
    return std::string(providers_.Pick(rng_).text);
  }

  bool IsCompanyDomain(const Person& p, std::string_view domain) const {
    if (p.company == 0) {
      return false;
    }
    const Company& c = companies_[p.company - 1];
    return Text(c.domain_at, c.domain_len) == domain;
  }

  // A fresh address no other person has.
  std::string NewAddress(const Person& p, const std::string& domain) {
    const NameKeys keys = KeysOf(NameOf(p));
    const bool business = IsCompanyDomain(p, domain);
    if (business && rng_.Chance(0.03)) {
      const std::string role =
          std::string(
              rng_.Pick({"info", "kinhdoanh", "lienhe", "sales", "admin"})) +
          "@" + domain;
      if (ReserveEmail(role)) {
        return role;
      }
    }
    for (int attempt = 0;; ++attempt) {
      const std::string local = business ? BusinessLocal(keys, attempt)
                                         : PersonalLocal(keys, attempt);
      const std::string address = local + "@" + domain;
      if (ReserveEmail(address)) {
        return address;
      }
    }
  }

  // True if no one holds this mailbox yet; it is then taken.
  bool ReserveEmail(std::string_view address) {
    return used_emails_.Insert(HashText(MailboxKey(address)));
  }

  void AssignEmail(Person* p, bool provider_only) {
    const std::string address = NewAddress(*p, PickDomain(*p, provider_only));
    p->email_at = StoreText(address);
    p->email_len = static_cast<uint8_t>(address.size());
  }

  std::string_view SecondEmail(Person* p) {
    if (p->email2_len == 0) {
      const bool was_business =
          IsCompanyDomain(*p, EmailOf(*p).substr(EmailOf(*p).find('@') + 1));
      const std::string domain =
          was_business || p->company == 0
              ? std::string(providers_.Pick(rng_).text)
              : std::string(Text(companies_[p->company - 1].domain_at,
                                 companies_[p->company - 1].domain_len));
      const std::string address = NewAddress(*p, domain);
      p->email2_at = StoreText(address);
      p->email2_len = static_cast<uint8_t>(address.size());
    }
    return Text(p->email2_at, p->email2_len);
  }

  static std::optional<std::string_view> TypoFor(std::string_view domain,
                                                 Rng& rng) {
    for (const Typo& t : kTypos) {
      if (t.domain == domain) {
        return PickToken(t.typos, rng);
      }
    }
    return std::nullopt;
  }

  std::string CaseSpace(std::string_view address, std::string_view name) {
    const std::string a(address);
    const size_t at = a.find('@');
    switch (rng_.Below(9)) {
      case 0:
        return ToUpper(a);
      case 1:
        return ToUpper(a.substr(0, 1)) + a.substr(1, at) +
               ToUpper(a.substr(at + 1, 1)) + a.substr(at + 2);
      case 2:
        return a.substr(0, at + 1) + ToUpper(a.substr(at + 1));
      case 3:
        return " " + a + " ";
      case 4:
        return a + "  ";
      case 5:
        return "mailto:" + a;
      case 6:
        return "<" + a + ">";
      case 7:
        return std::string(name) + " <" + a + ">";
      default:
        return "\t" + a;
    }
  }

  // An address a cleaner cannot repair: no @, doubled @ or dots, a space
  // inside, a missing part, or words instead of an address.
  std::string InvalidEmail(std::string_view address) {
    const std::string a(address);
    const size_t at = a.find('@');
    const std::string local = a.substr(0, at);
    const std::string domain = a.substr(at + 1);
    const size_t cut = local.size() < 3 ? 1 : 1 + rng_.Below(local.size() - 2);
    switch (rng_.Below(9)) {
      case 0:
        return local + domain;
      case 1:
        return local + "@@" + domain;
      case 2:
        return local.substr(0, cut) + ".." + local.substr(cut) + "@" + domain;
      case 3:
        return local.substr(0, cut) + " " + local.substr(cut) + "@" + domain;
      case 4:
        return "@" + domain;
      case 5:
        return local + "@";
      case 6:
        return local + "@" + local + "@" + domain;
      default:
        return std::string(rng_.Pick({"không có", "ko có", "chưa có", "n/a",
                                      "-", "x", "không", "facebook", "zalo"}));
    }
  }

  // Writes the e-mail cell for `address` with the row's damage. Typo needs a
  // provider domain; it falls back to `none` otherwise.
  void RenderEmail(std::string_view address, std::string_view name) {
    std::string& cell = row_[Field::kEmail];
    switch (row_.email_damage) {
      case EmailDamage::kEmpty:
        cell = rng_.Chance(0.9) ? "" : " ";
        return;
      case EmailDamage::kInvalid:
        cell = InvalidEmail(address);
        return;
      case EmailDamage::kCaseSpace:
        cell = CaseSpace(address, name);
        break;
      case EmailDamage::kTypo: {
        const size_t at = address.find('@');
        auto typo = TypoFor(address.substr(at + 1), rng_);
        if (typo) {
          cell = std::string(address.substr(0, at + 1)) + std::string(*typo);
          break;
        }
        row_.email_damage = EmailDamage::kNone;
        cell = std::string(address);
        break;
      }
      default:
        cell = std::string(address);
        break;
    }
    row_.true_email = ToLower(address);
  }

  // Names.

  std::string_view PickHonorific(bool female) {
    return female
               ? rng_.Pick(std::span<const std::string_view>(kFemaleHonorifics))
               : rng_.Pick(std::span<const std::string_view>(kMaleHonorifics));
  }

  // Writes the name cell in a random form; true_name is the expected
  // normalised display name.
  void RenderName(std::string_view canonical, bool female, bool variant_bias) {
    const Word& form =
        variant_bias && rng_.Chance(0.45)
            ? kNameForms[1 + rng_.Below(std::size(kNameForms) - 1)]
            : name_forms_.Pick(rng_);
    row_.name_form = form.text;
    std::string& cell = row_[Field::kName];
    row_.true_name = std::string(canonical);
    switch (static_cast<NameForm>(form.value)) {
      case NameForm::kNfc:
        cell = row_.true_name;
        break;
      case NameForm::kUpper:
        cell = ToUpper(canonical);
        break;
      case NameForm::kLower:
        cell = ToLower(canonical);
        break;
      case NameForm::kUnaccented:
        cell = Unaccent(canonical);
        row_.true_name = cell;
        break;
      case NameForm::kUnaccentedUpper:
        cell = ToUpper(Unaccent(canonical));
        row_.true_name = Unaccent(canonical);
        break;
      case NameForm::kNfd:
        cell = ToNfd(canonical);
        break;
      case NameForm::kHonorific:
        row_.true_name = std::string(LastWord(canonical));
        cell = std::string(PickHonorific(female)) + " " + row_.true_name;
        break;
      case NameForm::kSpaces:
        cell = "  " + Join(SplitWords(canonical), "   ") + " ";
        break;
      case NameForm::kWestern:
        cell = WesternOrder(SplitWords(canonical));
        row_.true_name = cell;
        break;
    }
  }

  // "Nguyễn Văn Tuấn Anh" -> "Tuấn Anh Nguyễn" (Facebook display style).
  static std::string WesternOrder(const std::vector<std::string_view>& words) {
    std::vector<std::string_view> out;
    for (size_t i = 1; i < words.size(); ++i) {
      if ((words[i] == "Văn" || words[i] == "Thị") && i + 1 < words.size()) {
        continue;
      }
      out.push_back(words[i]);
    }
    out.push_back(words.front());
    return Join(out, " ");
  }

  // Row fields shared by first appearances and repeats.

  void FillPersonRow(const Person& p, int64_t t) {
    SetTime(t);
    FillChannel(row_.source,
                p.company != 0 ? companies_[p.company - 1].office_ip : 0);
    RenderName(NameOf(p), p.female, row_.dup_kind != DupKind::kNone);
    FillGender(p.female);
    FillOrganisation(p);
  }

  void FillGender(bool female) {
    const double u = rng_.Unit();
    if (u < 0.55) {
      row_[Field::kGender] = female ? "Nữ" : "Nam";
    } else if (u < 0.6) {
      row_[Field::kGender] = female ? "nữ" : "nam";
    } else if (u < 0.63) {
      row_[Field::kGender] = female ? "F" : "M";
    }
  }

  void FillOrganisation(const Person& p) {
    if (p.company != 0 && rng_.Chance(0.85)) {
      const Company& c = companies_[p.company - 1];
      row_[Field::kCompany] = Text(c.name_at, c.name_len);
    }
    row_[Field::kTitle] = kTitles[p.title].text;
    if (rng_.Chance(0.05) && !row_[Field::kTitle].empty()) {
      row_[Field::kTitle] = ToUpper(row_[Field::kTitle]);
    }
    FillCity(p.city);
  }

  void FillCity(size_t city) {
    const City& c = kCities[city];
    const double u = rng_.Unit();
    std::string& cell = row_[Field::kCity];
    if (u < 0.6) {
      cell = c.name;
    } else if (u < 0.72) {
      cell = city_ascii_[city];
    } else if (u < 0.8) {
      cell = c.alias1;
    } else if (u < 0.86) {
      cell = c.alias2;
    } else if (u < 0.9) {
      cell = ToUpper(c.name);
    }
  }

  // Campaign, ids, source, IP, user agent.
  void FillChannel(size_t source, uint32_t office_ip) {
    const Source& s = kSources[source];
    row_[Field::kSource] = s.name;
    row_[Field::kOwner] = rng_.Pick(std::span<const std::string_view>(kOwners));
    if (rng_.Chance(0.7)) {
      row_[Field::kProduct] =
          rng_.Pick(std::span<const std::string_view>(kProducts));
    }
    FillCampaign(s);
    if (s.web_tracked) {
      const bool office = office_ip != 0 && rng_.Chance(0.3);
      row_[Field::kIp] = office ? FormatIp(office_ip) : RandomVisitorIp();
      row_[Field::kUserAgent] =
          rng_.Pick(std::span<const std::string_view>(kBrowserAgents));
    }
  }

  // Ids, campaign and form in the style of the lead's channel.
  void FillCampaign(const Source& s) {
    const int quarter = 1 + static_cast<int>(rng_.Below(4));
    if (s.facebook) {
      FillFacebookIds(quarter);
    } else {
      row_[Field::kId] = Digits(100000000 + rng_.Below(9900000000ULL));
    }
    if (s.campaigns.empty()) {
      row_[Field::kCampaign] = "Data list Q" + Digits(quarter);
    } else if (s.facebook || rng_.Chance(0.85)) {
      row_[Field::kCampaign] = PickToken(s.campaigns, rng_, '|');
    }
    if (s.name == "Google Ads") {
      row_[Field::kFormName] = "Google lead form";
    }
  }

  // Facebook Lead Ads export: "l:" lead id, platform, ad and form names.
  void FillFacebookIds(int quarter) {
    row_[Field::kId] = "l:" + Digits(1 + rng_.Below(9));
    row_[Field::kId] += RandomDigits(rng_, 15);
    row_[Field::kPlatform] = rng_.Chance(0.75) ? "fb" : "ig";
    const std::string_view format =
        rng_.Pick({"Video", "Carousel", "Image", "Reels"});
    row_[Field::kAdName] = "VN_Q" + Digits(quarter) + "_" +
                           std::string(format) + "_" +
                           ZeroPad(rng_.Range(1, 12), 2);
    row_[Field::kFormName] =
        rng_.Pick({"Form đăng ký tư vấn", "Form nhận báo giá", "Đăng ký demo",
                   "Higher intent form"});
  }

  std::string RandomVisitorIp() {
    if (rng_.Chance(0.08)) {
      std::string ip(
          rng_.Pick(std::span<const std::string_view>(kIpv6Prefixes)));
      for (int i = 0; i < 6; ++i) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ":%x",
                      static_cast<unsigned>(rng_.Below(65536)));
        ip += buf;
      }
      return ip;
    }
    return FormatIp(RandomHomeIp());
  }

  uint32_t RandomIp(std::span<const IpBlock> blocks) {
    const IpBlock& b = rng_.Pick(blocks);
    uint32_t ip = static_cast<uint32_t>(b.a) << 24;
    ip |= static_cast<uint32_t>(rng_.Range(b.b_lo, b.b_hi)) << 16;
    ip |= static_cast<uint32_t>(rng_.Below(256)) << 8;
    return ip | static_cast<uint32_t>(rng_.Range(1, 254));
  }

  uint32_t RandomHomeIp() { return RandomIp(kHomeBlocks); }

  static std::string FormatIp(uint32_t ip) {
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) {
      AppendNumber((ip >> shift) & 255, &out);
      if (shift > 0) {
        out.push_back('.');
      }
    }
    return out;
  }

  // Contacts of a first appearance: phone and e-mail cells with the row's
  // damage, and the truth.
  void RenderContacts(Person& p) {
    RenderPhone(p, p.phone);
    RenderEmail(EmailOf(p), NameOf(p));
    UpdateShown(p);
    DrawIntent(p);
  }

  // Remembers which of the person's own contacts a row showed, so a later
  // repeat always shares one with an earlier row.
  void UpdateShown(Person& p) {
    const bool via_alt = row_.dup_kind == DupKind::kNewPhone;
    if (Recoverable(row_.phone_damage) && !via_alt) {
      p.phone_shown = true;
    }
    if (Recoverable(row_.email_damage) && row_.dup_kind != DupKind::kNewEmail &&
        row_.dup_kind != DupKind::kGmailDots) {
      p.email_shown = true;
    }
  }

  // Falls back to a compatible damage when the number cannot carry it.
  PhoneDamage FitDamage(PhoneDamage d, const Phone& phone, const Person& p) {
    using D = PhoneDamage;
    if (d == D::kMulti && p.alt.Empty()) {
      d = D::kFormat;
    }
    if (d == D::kLegacy && !phone.LegacyMobile()) {
      d = D::kFormat;
    }
    if (d == D::kLegacyLandline && !phone.LegacyLandline()) {
      d = D::kFormat;
    }
    if (!phone.IsVietnam() && (d == D::kLostZero || d == D::kDotZero ||
                               d == D::kSciLossless || d == D::kSciLossy)) {
      d = D::kFormat;
    }
    if (d == D::kFbPrefix && !kSources[row_.source].facebook) {
      d = D::kNone;
    }
    return d;
  }

  // Writes the phone cell with the row's damage, and the truth.
  void RenderPhone(const Person& p, const Phone& phone) {
    row_.phone_damage = FitDamage(row_.phone_damage, phone, p);
    std::string& cell = row_[Field::kPhone];
    if (row_.phone_damage == PhoneDamage::kMulti) {
      MultiCell multi = RenderMulti(phone, p.alt, rng_);
      cell = multi.raw;
      row_.true_phone = multi.primary;
      row_.true_phone_alt = multi.alt;
      return;
    }
    if (row_.phone_damage == PhoneDamage::kSciLossy) {
      std::optional<std::string> lossy = SciLossy(phone, rng_);
      if (lossy) {
        cell = *lossy;
        return;
      }
      row_.phone_damage = PhoneDamage::kSciLossless;  // rounding kept it all
    }
    cell = DamagedNumber(row_.phone_damage, phone, p);
    if (Recoverable(row_.phone_damage)) {
      row_.true_phone = phone.E164();
    }
  }

  // One number written with damage `d` (anything but multi and sci_lossy).
  std::string DamagedNumber(PhoneDamage d, const Phone& phone,
                            const Person& p) {
    using D = PhoneDamage;
    switch (d) {
      case D::kNone:
        return phone.kind != PhoneKind::kForeign && rng_.Chance(0.9)
                   ? phone.National()
                   : phone.E164();
      case D::kFormat:
        return RenderFormat(phone, rng_);
      case D::kLostZero:
        return phone.Nsn();
      case D::kDotZero:
        return ExcelNumber(phone, rng_, 0.3) + ".0";
      case D::kSciLossless:
        return SciLossless(phone, rng_);
      case D::kExcelText:
        return ExcelText(phone, rng_);
      case D::kFbPrefix:
        return FbPrefix(phone, rng_);
      case D::kLabel: {
        const std::string number = CleanNational(phone, rng_);
        const std::string_view honorific = PickHonorific(p.female);
        return Label(number, honorific, LastWord(NameOf(p)), rng_);
      }
      case D::kLegacy:
        return LegacyMobile(phone, rng_);
      case D::kLegacyLandline:
        return LegacyLandline(phone, rng_);
      case D::kInvalid:
        return InvalidPhone(phone, rng_);
      default:
        return rng_.Chance(0.9) ? "" : " ";
    }
  }

  // Budget, timeline, notes, engagement and the conversion draw. Signals
  // lean on the person's hidden interest, so they are informative but noisy.
  void DrawIntent(const Person& p) {
    const double z = p.interest;
    const int need = DrawNotes(z);
    const int budget = DrawBudget(z);
    const int urgency = DrawTimeline(z);
    const int views =
        DrawCounter(Field::kPageViews, kSources[row_.source].web_tracked,
                    0.9 + 0.55 * z, 1);
    const bool reachable = !row_.true_email.empty();
    const int opens =
        DrawCounter(Field::kEmailOpens, reachable, 0.2 + 0.5 * z, 0);
    const std::string_view domain =
        row_.true_email.empty() ? ""
                                : std::string_view(row_.true_email)
                                      .substr(row_.true_email.find('@') + 1);
    const bool business = !domain.empty() && IsCompanyDomain(p, domain);
    const double age_days =
        static_cast<double>(end_time_ - row_time_) / 86400.0;
    const double logit =
        -4.1 + 0.55 * kTitles[p.title].value + 0.35 * budget + 0.75 * need +
        0.45 * urgency + 0.30 * std::log1p(std::max(views, 0)) +
        0.25 * std::log1p(std::max(opens, 0)) + kSources[row_.source].quality +
        1.0 * (std::exp(-age_days / 45.0) - 0.5) + 0.35 * business +
        0.2 * (p.company != 0) + 0.7 * z;
    row_.p_convert = 1.0 / (1.0 + std::exp(-logit));
    row_.converted = p.luck < row_.p_convert;
  }

  int DrawNotes(double z) {
    const double v = 0.9 * z + rng_.Normal();
    const int need = v > 1.5 ? 2 : v > 0.6 ? 1 : v < -1.3 ? -1 : 0;
    if (need == 0 && rng_.Chance(0.7)) {
      return 0;
    }
    for (;;) {
      const Word& w = notes_.Pick(rng_);
      if (w.value == need) {
        row_[Field::kNotes] = w.text;
        return need;
      }
    }
  }

  int DrawBudget(double z) {
    const double v = 0.7 * z + rng_.Normal();
    if (v < -0.3) {
      return 0;
    }
    if (v < 0.4) {
      if (rng_.Chance(0.4)) {
        row_[Field::kBudget] =
            rng_.Pick(std::span<const std::string_view>(kBudgetUnknown));
      }
      return 0;
    }
    const int level = v > 1.6 ? 3 : v > 0.9 ? 2 : 1;
    for (;;) {
      const Word& w = budgets_.Pick(rng_);
      if (w.value == level) {
        row_[Field::kBudget] = w.text;
        return level;
      }
    }
  }

  int DrawTimeline(double z) {
    const double v = 0.7 * z + rng_.Normal();
    const int urgency = v > 1.3 ? 2 : v > 0.5 ? 1 : v < -1.0 ? -1 : 0;
    if (urgency == 0) {
      if (rng_.Chance(0.3)) {
        row_[Field::kTimeline] =
            rng_.Pick({"Chưa xác định", "Tùy", "chưa biết"});
      }
      return 0;
    }
    for (;;) {
      const Word& w = timelines_.Pick(rng_);
      if (w.value == urgency) {
        row_[Field::kTimeline] = w.text;
        return urgency;
      }
    }
  }

  // Geometric-ish counter with the given log-mean; -1 when not tracked.
  int DrawCounter(Field f, bool tracked, double log_mean, int minimum) {
    if (!tracked) {
      if (rng_.Chance(0.5)) {
        row_[f] = "0";
      }
      return -1;
    }
    const double mean = std::exp(log_mean);
    const int n = std::max(
        minimum, static_cast<int>(-mean * std::log(1.0 - rng_.Unit())));
    row_[f] = Digits(std::min(n, 500));
    return n;
  }

  // Repeats of earlier people.

  void EmitDuplicate(uint64_t r, size_t source) {
    const size_t n = real_people_.size();
    const size_t pick =
        rng_.Chance(0.5) && n > 3000 ? n - 1 - rng_.Below(3000) : rng_.Below(n);
    Person& p = people_[real_people_[pick]];
    row_.source = rng_.Chance(0.5) ? p.source : source;
    row_.person_id = p.id;
    row_.dup_of = p.first_row;
    row_.dup_kind = PickDupKind(p);
    ChooseRepeatDamage(p);
    FillPersonRow(p, RowTime(r));
    if (rng_.Chance(0.3)) {
      row_[Field::kCompany].clear();
    }
    RenderRepeatContacts(p);
  }

  DupKind PickDupKind(Person& p) {
    const bool gmail = EmailOf(p).ends_with("@gmail.com");
    for (;;) {
      const auto k = static_cast<DupKind>(PickIndexOf(kDupKindWeights));
      const bool ok =
          (k == DupKind::kReformat && (p.phone_shown || p.email_shown)) ||
          (k == DupKind::kPhoneOnly && p.phone_shown) ||
          (k == DupKind::kEmailOnly && p.email_shown) ||
          (k == DupKind::kGmailDots && p.email_shown && gmail) ||
          (k == DupKind::kNewEmail && p.phone_shown) ||
          (k == DupKind::kNewPhone && p.email_shown);
      if (ok) {
        return k;
      }
    }
  }

  template <size_t N>
  size_t PickIndexOf(const double (&weights)[N]) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = rng_.Unit() * total;
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) {
        return i;
      }
      x -= weights[i];
    }
    return N - 1;
  }

  PhoneDamage RecoverablePhoneDamage() {
    for (;;) {
      const PhoneDamage d = PickPhoneDamage(row_.source);
      if (Recoverable(d)) {
        return d;
      }
    }
  }

  EmailDamage RecoverableEmailDamage() {
    for (;;) {
      const EmailDamage d = PickEmailDamage();
      if (Recoverable(d)) {
        return d;
      }
    }
  }

  // Keeps at least one contact that links the repeat to an earlier row.
  void ChooseRepeatDamage(const Person& p) {
    row_.phone_damage = PickPhoneDamage(row_.source);
    row_.email_damage = PickEmailDamage();
    switch (row_.dup_kind) {
      case DupKind::kReformat:
        if (p.phone_shown) {
          row_.phone_damage = RecoverablePhoneDamage();
        } else {
          row_.email_damage = RecoverableEmailDamage();
        }
        break;
      case DupKind::kPhoneOnly:
      case DupKind::kNewEmail:
        row_.phone_damage = RecoverablePhoneDamage();
        if (row_.dup_kind == DupKind::kPhoneOnly) {
          row_.email_damage = EmailDamage::kEmpty;
        } else {
          row_.email_damage =
              rng_.Chance(0.8) ? EmailDamage::kNone : EmailDamage::kCaseSpace;
        }
        break;
      case DupKind::kEmailOnly:
        row_.phone_damage = PhoneDamage::kEmpty;
        row_.email_damage = RecoverableEmailDamage();
        break;
      case DupKind::kGmailDots:
        row_.email_damage =
            rng_.Chance(0.85) ? EmailDamage::kNone : EmailDamage::kCaseSpace;
        break;
      case DupKind::kNewPhone:
        row_.email_damage = RecoverableEmailDamage();
        do {
          row_.phone_damage = RecoverablePhoneDamage();
        } while (row_.phone_damage == PhoneDamage::kMulti);
        break;
      case DupKind::kNone:
        break;
    }
  }

  void RenderRepeatContacts(Person& p) {
    const bool new_phone = row_.dup_kind == DupKind::kNewPhone;
    if (new_phone && p.alt.Empty()) {
      p.alt = NewMobile(false);
    }
    RenderPhone(p, new_phone ? p.alt : p.phone);
    switch (row_.dup_kind) {
      case DupKind::kNewEmail: {
        const std::string second(SecondEmail(&p));  // may grow the arena
        RenderEmail(second, NameOf(p));
        break;
      }
      case DupKind::kGmailDots:
        RenderEmail(DotGmail(EmailOf(p)), NameOf(p));
        break;
      default:
        RenderEmail(EmailOf(p), NameOf(p));
        break;
    }
    UpdateShown(p);
    DrawIntent(p);
  }

  // "nguyenvanan@gmail.com" -> "nguyen.vanan@gmail.com": the same Gmail box.
  std::string DotGmail(std::string_view address) {
    std::string local(address.substr(0, address.find('@')));
    const int dots = rng_.Range(1, 3);
    for (int i = 0; i < dots && local.size() > 2; ++i) {
      const size_t at = 1 + rng_.Below(local.size() - 1);
      if (local[at] != '.' && local[at - 1] != '.') {
        local.insert(at, 1, '.');
      }
    }
    return local + "@gmail.com";
  }

  // Junk.

  static bool IsEvent(JunkKind kind) {
    return kind == JunkKind::kBotBurst || kind == JunkKind::kSequentialEmail ||
           kind == JunkKind::kSharedPhone;
  }

  void StartJunk(uint64_t r, size_t source) {
    // A multi-row event must fit before the end of the file, or it would
    // be cut below the size that defines it (5 bot rows, 4 names ...).
    const bool room = options_.rows - r >= kEventRoom;
    JunkKind kind = JunkKind::kNone;
    while (kind == JunkKind::kNone || (IsEvent(kind) && !room)) {
      kind = static_cast<JunkKind>(junk_kinds_.PickIndex(rng_));
    }
    if (kind == JunkKind::kTestLead) {
      source = kFacebookSource;
    }
    while (kind == JunkKind::kBotBurst && !kSources[source].web_tracked) {
      source = sources_.PickIndex(rng_);  // bots hit the web forms
    }
    if (IsEvent(kind)) {
      ScheduleEvent(kind, r, source);
      const Scheduled s = schedule_.top();
      schedule_.pop();
      EmitScheduled(s);
      return;
    }
    BeginJunkRow(kind, source, RowTime(r));
    EmitSingleJunk(kind);
  }

  void BeginJunkRow(JunkKind kind, size_t source, int64_t t) {
    row_.junk = kind;
    row_.source = source;
    row_.person_id = ++last_person_id_;
    SetTime(t);
    FillChannel(source, 0);
    FillJunkExtras();
  }

  // Fakes fill the optional fields too, so an empty form is no giveaway.
  void FillJunkExtras() {
    if (rng_.Chance(0.25)) {
      row_[Field::kBudget] = budgets_.Pick(rng_).text;
    }
    if (rng_.Chance(0.25)) {
      row_[Field::kTimeline] = timelines_.Pick(rng_).text;
    }
    if (rng_.Chance(0.2)) {
      row_[Field::kNotes] = notes_.Pick(rng_).text;
    }
    if (rng_.Chance(0.3)) {
      row_[Field::kTitle] = titles_.Pick(rng_).text;
    }
    if (rng_.Chance(0.5)) {
      FillCity(cities_.PickIndex(rng_));
    }
    if (kSources[row_.source].web_tracked) {
      row_[Field::kPageViews] = Digits(rng_.Range(1, 3));
    }
  }

  // Plans every row of a multi-row junk event; the first is due at row r.
  void ScheduleEvent(JunkKind kind, uint64_t r, size_t source) {
    JunkEvent e;
    e.source = source;
    int64_t t = RowTime(r);
    const int count = SetUpEvent(kind, &e, &t);
    events_.push_back(e);
    const auto id = static_cast<uint32_t>(events_.size() - 1);
    uint64_t at = r;
    for (int i = 0; i < count; ++i) {
      schedule_.push({at, next_order_++, kind, t, i, id});
      StepEvent(kind, r, &at, &t);
    }
  }

  // Fills what the event's rows share; returns how many rows it has.
  int SetUpEvent(JunkKind kind, JunkEvent* e, int64_t* t) {
    if (kind == JunkKind::kBotBurst) {
      e->ip = rng_.Chance(0.7) ? RandomIp(kDatacenterBlocks) : RandomHomeIp();
      e->bot_agent = rng_.Chance(0.6);
      e->agent = static_cast<uint8_t>(rng_.Below(
          e->bot_agent ? std::size(kBotAgents) : std::size(kBrowserAgents)));
      if (rng_.Chance(0.4)) {
        *t = (*t / 86400) * 86400 + (19 + rng_.Range(0, 2)) * 3600;  // 2-4 am
      }
      return rng_.Range(5, 12);
    }
    if (kind == JunkKind::kSequentialEmail) {
      e->domain = rng_.Chance(0.7)
                      ? std::string(providers_.Pick(rng_).text)
                      : std::string(rng_.Pick({"mail.ru", "abc-corp.com"}));
      e->stem = std::string(rng_.Pick(
          {"user", "test", "lead", "khachhang", "kh", "sale", "demo"}));
      e->width = rng_.Range(2, 3);
      e->start = rng_.Range(0, 40);
      return rng_.Range(5, 12);
    }
    e->phone = NewMobile(false);
    return rng_.Range(4, 7);
  }

  // Where and when the event's next row goes: bursts back to back within
  // seconds, sequences a few rows and minutes apart, shared phones spread
  // over the file (those rows keep their own time: t = -1).
  void StepEvent(JunkKind kind, uint64_t start, uint64_t* at, int64_t* t) {
    if (kind == JunkKind::kBotBurst) {
      *at += rng_.Chance(0.85) ? 1 : 2;
      *t += rng_.Range(0, 1);
      return;
    }
    if (kind == JunkKind::kSequentialEmail) {
      *at += rng_.Range(1, 3);
      *t += rng_.Range(10, 120);
      return;
    }
    const uint64_t gap = std::min<uint64_t>(600, (options_.rows - start) / 10);
    *at += rng_.Range(1, static_cast<int>(gap));
    *t = -1;
  }

  void EmitScheduled(const Scheduled& s) {
    const JunkEvent& e = events_[s.event];
    BeginJunkRow(s.kind, e.source, s.time >= 0 ? s.time : RowTime(s.row));
    switch (s.kind) {
      case JunkKind::kBotBurst:
        EmitBotRow(e);
        break;
      case JunkKind::kSequentialEmail:
        EmitSequentialRow(e, s.index);
        break;
      default:
        EmitSharedPhoneRow(e);
        break;
    }
    FinishJunk();
  }

  void EmitSingleJunk(JunkKind kind) {
    switch (kind) {
      case JunkKind::kPlaceholderName:
        JunkPlaceholderName();
        break;
      case JunkKind::kMash:
        JunkMash();
        break;
      case JunkKind::kTestLead:
        JunkTestLead();
        break;
      case JunkKind::kPlaceholderPhone:
        JunkPlaceholderPhone();
        break;
      case JunkKind::kPlaceholderEmail:
        JunkPlaceholderEmail();
        break;
      case JunkKind::kDisposableOnly:
        JunkDisposable();
        break;
      case JunkKind::kDigitsInName:
        JunkDigitsInName();
        break;
      default:
        JunkNoContact();
        break;
    }
    FinishJunk();
  }

  void FinishJunk() {
    if (row_.name_form.empty()) {
      row_.name_form = "junk";
    }
    row_.p_convert = 0.0005 + 0.0025 * rng_.Unit();
    row_.converted = rng_.Chance(row_.p_convert);
  }

  // A plausible person who is not in people_ (fakes with real-looking names).
  std::string FakeRealName() {
    const bool female = rng_.Chance(0.5);
    const std::string name = RandomName(female);
    return rng_.Chance(0.2) ? Unaccent(name) : name;
  }

  void SetName(std::string_view name) {
    row_[Field::kName] = std::string(name);
    row_.true_name = std::string(name);
  }

  // Phone cell with a fresh valid number nobody else owns.
  void FreshPhone() {
    const Phone phone = NewMobile(false);
    row_.phone_damage =
        rng_.Chance(0.6) ? PhoneDamage::kNone : PhoneDamage::kFormat;
    row_[Field::kPhone] = row_.phone_damage == PhoneDamage::kNone
                              ? phone.National()
                              : RenderFormat(phone, rng_);
    row_.true_phone = phone.E164();
  }

  void GarbagePhone() {
    row_.phone_damage = PhoneDamage::kInvalid;
    row_[Field::kPhone] =
        rng_.Chance(0.5) ? std::string(rng_.Pick({"123123123", "111111",
                                                  "123456", "0000", "999"}))
                         : RandomDigits(rng_, rng_.Range(3, 6));
  }

  void EmptyPhone() {
    row_.phone_damage = PhoneDamage::kEmpty;
    row_[Field::kPhone] = "";
  }

  void SetEmail(std::string_view address) {
    row_.email_damage = EmailDamage::kNone;
    row_[Field::kEmail] = std::string(address);
    row_.true_email = ToLower(address);
  }

  void EmptyEmail() {
    row_.email_damage = EmailDamage::kEmpty;
    row_[Field::kEmail] = "";
  }

  // A name-based address for a fake, never one a real person holds.
  std::string NameEmail(std::string_view name, std::string_view domain) {
    std::string local = FoldKey(name);
    if (local.empty()) {
      local = "user";
    }
    for (int limit = 999;; limit = limit * 10 + 9) {
      std::string address =
          local + Digits(rng_.Range(1, limit)) + "@" + std::string(domain);
      if (ReserveEmail(address)) {
        return address;
      }
    }
  }

  void JunkPlaceholderName() {
    SetName(rng_.Pick(std::span<const std::string_view>(kPlaceholderNames)));
    const double u = rng_.Unit();
    if (u < 0.5) {
      FreshPhone();
    } else if (u < 0.75) {
      PlaceholderPhone();
    } else {
      EmptyPhone();
    }
    const double v = rng_.Unit();
    if (v < 0.4) {
      EmptyEmail();
    } else if (v < 0.7) {
      SetEmail(
          rng_.Pick(std::span<const std::string_view>(kPlaceholderEmails)));
    } else {
      SetEmail(NameEmail(row_[Field::kName], "gmail.com"));
    }
  }

  std::string Mash() {
    if (rng_.Chance(0.35)) {
      std::string s;
      const int len = rng_.Range(10, 18);
      for (int i = 0; i < len; ++i) {
        const char base = rng_.Chance(0.5) ? 'a' : 'A';
        s.push_back(static_cast<char>(base + rng_.Below(26)));
      }
      return s;
    }
    const std::string syl(
        rng_.Pick(std::span<const std::string_view>(kMashSyllables)));
    std::string s;
    const int reps = rng_.Range(2, 3);
    for (int i = 0; i < reps; ++i) {
      s += syl;
    }
    return rng_.Chance(0.3)
               ? s + " " +
                     std::string(rng_.Pick(
                         std::span<const std::string_view>(kMashSyllables)))
               : s;
  }

  void JunkMash() {
    SetName(Mash());
    const double u = rng_.Unit();
    if (u < 0.3) {
      FreshPhone();
    } else if (u < 0.7) {
      GarbagePhone();
    } else {
      EmptyPhone();
    }
    if (rng_.Chance(0.7)) {
      const std::string local = FoldKey(Mash());
      SetEmail(local + "@" +
               std::string(
                   rng_.Pick({"gmail.com", "yahoo.com", "mail.ru", "qq.com"})));
    } else {
      EmptyEmail();
    }
    if (rng_.Chance(0.5)) {
      row_[Field::kNotes] = Mash();
    }
    if (rng_.Chance(0.3)) {
      row_[Field::kCompany] = Mash();
    }
  }

  void JunkTestLead() {
    auto dummy = [](std::string_view field) {
      return "<test lead: dummy data for " + std::string(field) + ">";
    };
    SetName(dummy("full_name"));
    row_[Field::kPhone] = dummy("phone_number");
    row_.phone_damage = PhoneDamage::kInvalid;
    SetEmail(rng_.Chance(0.8) ? "test@meta.com" : "test@fb.com");
    row_[Field::kCity] = dummy("city");
    row_[Field::kCompany] = dummy("company_name");
    row_[Field::kTitle] = dummy("job_title");
    row_[Field::kNotes] = rng_.Chance(0.5) ? dummy("notes") : "";
  }

  void PlaceholderPhone() {
    const std::string_view raw =
        rng_.Pick(std::span<const std::string_view>(kPlaceholderPhones));
    row_[Field::kPhone] = std::string(raw);
    std::string digits;
    for (char c : raw) {
      if (c != ' ') {
        digits.push_back(c);
      }
    }
    const bool valid =
        digits.size() == 10 && digits[0] == '0' && digits[1] == '9';
    row_.phone_damage = valid ? PhoneDamage::kNone : PhoneDamage::kInvalid;
    if (valid) {
      row_.true_phone = "+84" + digits.substr(1);
    }
  }

  void JunkPlaceholderPhone() {
    SetName(FakeRealName());
    PlaceholderPhone();
    // No usable e-mail either: with one, the row could be a real lead who
    // would rather not be called.
    if (rng_.Chance(0.7)) {
      EmptyEmail();
    } else {
      SetEmail(
          rng_.Pick(std::span<const std::string_view>(kPlaceholderEmails)));
    }
  }

  void JunkPlaceholderEmail() {
    SetName(rng_.Chance(0.7)
                ? FakeRealName()
                : std::string(rng_.Pick(
                      std::span<const std::string_view>(kPlaceholderNames))));
    if (rng_.Chance(0.6)) {
      EmptyPhone();
    } else {
      GarbagePhone();
    }
    SetEmail(rng_.Pick(std::span<const std::string_view>(kPlaceholderEmails)));
  }

  void JunkDisposable() {
    SetName(rng_.Chance(0.75) ? FakeRealName() : Mash());
    EmptyPhone();
    const std::string_view domain =
        rng_.Pick(std::span<const std::string_view>(kDisposableDomains));
    SetEmail(rng_.Chance(0.6) ? NameEmail(row_[Field::kName], domain)
                              : FoldKey(Mash()) + "@" + std::string(domain));
  }

  void JunkDigitsInName() {
    const double u = rng_.Unit();
    const std::string real = FakeRealName();
    if (u < 0.35) {
      SetName("0" + RandomDigits(rng_, 9));
    } else if (u < 0.55) {
      SetName(std::string(rng_.Pick({"123456", "12345", "1", "111", "999"})));
    } else if (u < 0.8) {
      SetName(FoldKey(real).substr(0, 5) + Digits(rng_.Range(1, 999)));
    } else {
      SetName(real.substr(0, real.rfind(' ')) + " " +
              Digits(rng_.Range(1, 999)));
    }
    if (rng_.Chance(0.6)) {
      FreshPhone();
    } else {
      EmptyPhone();
    }
    if (rng_.Chance(0.5) || row_.phone_damage == PhoneDamage::kEmpty) {
      SetEmail(NameEmail(real, "gmail.com"));
    } else {
      EmptyEmail();
    }
  }

  void JunkNoContact() {
    const std::string name = FakeRealName();
    SetName(name);
    if (rng_.Chance(0.5)) {
      EmptyPhone();
    } else {
      row_.phone_damage = PhoneDamage::kInvalid;
      Phone fake;
      fake.kind = PhoneKind::kMobile;
      fake.nsn = 900000000 + rng_.Below(99999999);
      row_[Field::kPhone] = InvalidPhone(fake, rng_);
    }
    if (rng_.Chance(0.5)) {
      EmptyEmail();
    } else {
      row_.email_damage = EmailDamage::kInvalid;
      row_[Field::kEmail] = InvalidEmail(NameEmail(name, "gmail.com"));
    }
    FillCity(cities_.PickIndex(rng_));
  }

  void EmitBotRow(const JunkEvent& e) {
    row_[Field::kIp] = FormatIp(e.ip);
    row_[Field::kUserAgent] =
        e.bot_agent ? kBotAgents[e.agent] : kBrowserAgents[e.agent];
    const double u = rng_.Unit();
    if (u < 0.5) {
      SetName(FakeRealName());
    } else if (u < 0.8) {
      SetName(Mash());
    } else {
      SetName(std::string(rng_.Pick(
          {"John Smith", "Michael Brown", "David Lee", "Anna Nguyen"})));
    }
    const double v = rng_.Unit();
    if (v < 0.4) {
      FreshPhone();
    } else if (v < 0.7) {
      GarbagePhone();
    } else {
      EmptyPhone();
    }
    SetEmail(BotEmail());
    row_[Field::kNotes] =
        rng_.Pick(std::span<const std::string_view>(kBotNotes));
    row_[Field::kCompany] = rng_.Chance(0.5) ? Mash() : "";
    row_[Field::kPageViews] = Digits(rng_.Range(0, 1));
    FillCity(cities_.PickIndex(rng_));
  }

  std::string BotEmail() {
    const double u = rng_.Unit();
    if (u < 0.35) {
      std::string local;
      for (char c : std::string_view("techbuyer")) {
        local.push_back(c);
        if (rng_.Chance(0.7)) {
          local.push_back('.');
        }
      }
      if (local.back() == '.') {
        local.pop_back();
      }
      return local + Digits(rng_.Range(1, 2024)) + "@gmail.com";
    }
    const std::string local = FoldKey(Mash());
    if (u < 0.7) {
      return local + Digits(rng_.Range(1, 99)) + "@gmail.com";
    }
    return local + "@" +
           std::string(rng_.Pick(
               std::span<const std::string_view>(kDisposableDomains)));
  }

  void EmitSequentialRow(const JunkEvent& e, int index) {
    SetName(rng_.Chance(0.6) ? FakeRealName()
                             : "User " + ZeroPad(e.start + index, e.width));
    SetEmail(e.stem + ZeroPad(e.start + index, e.width) + "@" + e.domain);
    const double v = rng_.Unit();
    if (v < 0.5) {
      EmptyPhone();
    } else if (v < 0.8) {
      FreshPhone();
    } else {
      GarbagePhone();
    }
  }

  void EmitSharedPhoneRow(const JunkEvent& e) {
    const std::string name = FakeRealName();
    SetName(name);
    row_.phone_damage =
        rng_.Chance(0.5) ? PhoneDamage::kNone : PhoneDamage::kFormat;
    row_[Field::kPhone] = row_.phone_damage == PhoneDamage::kNone
                              ? e.phone.National()
                              : RenderFormat(e.phone, rng_);
    row_.true_phone = e.phone.E164();
    if (rng_.Chance(0.5)) {
      const std::string address = NameEmail(name, providers_.Pick(rng_).text);
      SetEmail(address);
    } else {
      EmptyEmail();
    }
    FillCity(cities_.PickIndex(rng_));
  }

  // Output.

  void WriteHeaders() {
    if (options_.bom) {
      data_->Raw("\xEF\xBB\xBF");
    }
    for (const Column& c : Columns()) {
      data_->Field(c.header);
    }
    data_->EndRecord();
    if (truth_ == nullptr) {
      return;
    }
    for (std::string_view h : kTruthHeader) {
      truth_->Field(h);
    }
    truth_->EndRecord();
  }

  std::span<const Column> Columns() const {
    if (options_.vietnamese) {
      return kVietnameseColumns;
    }
    return kEnglishColumns;
  }

  void WriteRow(uint64_t r) {
    if (options_.vietnamese) {
      row_[Field::kId] = Digits(r);
    }
    for (const Column& c : Columns()) {
      data_->Field(row_[c.field]);
    }
    data_->EndRecord();
    if (truth_ != nullptr) {
      WriteTruth(r);
    }
  }

  void WriteTruth(uint64_t r) {
    const auto ten_thousandths =
        static_cast<int64_t>(std::lround(row_.p_convert * 10000));
    const std::string p = ten_thousandths >= 10000
                              ? "1.0000"
                              : "0." + ZeroPad(ten_thousandths, 4);
    const bool recoverable = !row_.true_phone.empty();
    truth_->Field(Digits(r));
    truth_->Field(Digits(row_.person_id));
    truth_->Field(Digits(row_.dup_of));
    truth_->Field(kDupKindNames[static_cast<int>(row_.dup_kind)]);
    truth_->Field(row_.junk == JunkKind::kNone ? "0" : "1");
    truth_->Field(kJunkKinds[static_cast<int>(row_.junk)].text);
    truth_->Field(kPhoneDamageNames[static_cast<int>(row_.phone_damage)]);
    truth_->Field(row_.true_phone);
    truth_->Field(row_.true_phone_alt);
    truth_->Field(recoverable ? "1" : "0");
    truth_->Field(kEmailDamageNames[static_cast<int>(row_.email_damage)]);
    truth_->Field(row_.true_email);
    truth_->Field(row_.name_form);
    truth_->Field(row_.true_name);
    truth_->Field(kSources[row_.source].name);
    truth_->Field(p);
    truth_->Field(row_.converted ? "1" : "0");
    truth_->EndRecord();
  }

  const Options& options_;
  Rng rng_;
  CsvSink* data_;
  CsvSink* truth_;
  Table<Source> sources_;
  Words junk_kinds_;
  Words surnames_, male_middles_, female_middles_, female_second_;
  Words male_givens_, female_givens_, common_names_, name_forms_;
  Table<City> cities_;
  Table<MobilePrefix> prefixes_;
  Table<Country> countries_;
  Words providers_, titles_, notes_, budgets_, timelines_;

  double junk_rate_ = 0;
  double dup_rate_ = 0;
  double junk_start_rate_ = 0;
  double junk_norm_ = 1;
  double dup_norm_ = 1;
  double damage_jitter_[static_cast<int>(PhoneDamage::kCount)] = {};
  int span_days_ = 90;
  int64_t start_time_ = 0;
  int64_t end_time_ = 0;
  int64_t row_time_ = 0;

  // Rows an event needs after its start: 12 rows at most, spread at most
  // 3 apart, plus slack for events that overlap.
  static constexpr uint64_t kEventRoom = 60;

  Row row_;
  std::vector<std::string> city_ascii_;  // kCities names without diacritics
  std::string arena_;
  std::vector<Person> people_;
  std::vector<uint32_t> real_people_;
  std::vector<Company> companies_;
  std::vector<JunkEvent> events_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>>
      schedule_;
  uint64_t next_order_ = 0;
  uint32_t last_person_id_ = 0;
  KeySet used_phones_;
  KeySet used_emails_;
};

// Command line.

constexpr std::string_view kUsage =
    "usage: gen_leads --rows N --seed S --headers en|vi [--bom] [--crlf]\n"
    "                 [-o leads.csv] [--truth truth.csv]\n"
    "                 [--junk-rate R] [--dup-rate R]\n"
    "Writes a synthetic Vietnamese lead list (default: stdout) and, with\n"
    "--truth, the ground truth per row. See bench/README.md.\n";

bool ParseNumber(std::string_view text, uint64_t* out) {
  auto res = std::from_chars(text.data(), text.data() + text.size(), *out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

bool ParseRate(std::string_view text, double* out) {
  char* end = nullptr;
  const std::string s(text);
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && *out >= 0 && *out < 0.6;
}

// Returns an error message, or an empty string on success.
std::string ParseOptions(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--bom") {
      o->bom = true;
      continue;
    }
    if (arg == "--crlf") {
      o->crlf = true;
      continue;
    }
    if (i + 1 >= argc) {
      return "missing value after " + std::string(arg);
    }
    const std::string_view value = argv[++i];
    if (arg == "--rows") {
      if (!ParseNumber(value, &o->rows) || o->rows == 0 || o->rows > 20000000) {
        return "--rows: expected 1..20000000";
      }
    } else if (arg == "--seed") {
      if (!ParseNumber(value, &o->seed)) {
        return "--seed: expected an integer";
      }
    } else if (arg == "--headers") {
      if (value != "en" && value != "vi") {
        return "--headers: expected en or vi";
      }
      o->vietnamese = value == "vi";
    } else if (arg == "-o" || arg == "--output") {
      o->output = value;
    } else if (arg == "--truth") {
      o->truth = value;
    } else if (arg == "--junk-rate") {
      if (!ParseRate(value, &o->junk_rate)) {
        return "--junk-rate: expected 0..0.6";
      }
    } else if (arg == "--dup-rate") {
      if (!ParseRate(value, &o->dup_rate)) {
        return "--dup-rate: expected 0..0.6";
      }
    } else {
      return "unknown option " + std::string(arg);
    }
  }
  if (o->output == "-" && o->truth == "-") {
    return "-o and --truth cannot both be stdout";
  }
  return "";
}

std::FILE* OpenOutput(const std::string& path) {
  if (path == "-") {
    return stdout;
  }
  return std::fopen(path.c_str(), "wb");
}

int Main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "-h" ||
        std::string_view(argv[i]) == "--help") {
      std::fputs(kUsage.data(), stdout);
      return 0;
    }
  }
  Options options;
  const std::string error = ParseOptions(argc, argv, &options);
  if (!error.empty()) {
    std::fprintf(stderr, "gen_leads: %s\n%s", error.c_str(), kUsage.data());
    return 2;
  }
  std::FILE* data_file = OpenOutput(options.output);
  std::FILE* truth_file =
      options.truth.empty() ? nullptr : OpenOutput(options.truth);
  if (data_file == nullptr ||
      (!options.truth.empty() && truth_file == nullptr)) {
    std::fprintf(stderr, "gen_leads: cannot open output: %s\n",
                 std::strerror(errno));
    return 3;
  }
  CsvSink data(data_file, options.crlf);
  std::optional<CsvSink> truth;
  if (truth_file != nullptr) {
    truth.emplace(truth_file, false);
  }
  Generator(options, &data, truth ? &*truth : nullptr).Run();
  bool ok = data.Finish() && (!truth || truth->Finish());
  if (data_file != stdout) {
    ok = std::fclose(data_file) == 0 && ok;
  }
  if (truth_file != nullptr && truth_file != stdout) {
    ok = std::fclose(truth_file) == 0 && ok;
  }
  if (!ok) {
    std::fprintf(stderr, "gen_leads: write failed\n");
    return 3;
  }
  return 0;
}

}  // namespace
}  // namespace leadclean

int main(int argc, char** argv) { return leadclean::Main(argc, argv); }
