// The fast path for phone numbers: libphonenumber's own compiled metadata,
// matched with RE2 instead of the library's ICU regexes.
//
// FastPhone reproduces, for inputs made only of ASCII digits with an
// optional leading '+', what PhoneNumberUtil::Parse, GetRegionCodeForNumber,
// IsValidNumber, GetNumberType and Format(NATIONAL) return. Anything it does
// not reproduce (other characters, a default region without metadata, a
// region whose patterns RE2 could not compile) is reported as "not covered",
// and the caller asks the library. Equality with the library is proved by
// tests/stages/phone_fast_test.cc (differential test).
#ifndef LEADCLEAN_STAGES_PHONE_FAST_H_
#define LEADCLEAN_STAGES_PHONE_FAST_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace i18n::phonenumbers {
class PhoneMetadataCollection;
}

namespace leadclean {

// Same values and order as i18n::phonenumbers::PhoneNumberUtil's
// PhoneNumberType.
enum class PhoneType : int {
  kFixedLine = 0,
  kMobile,
  kFixedLineOrMobile,
  kTollFree,
  kPremiumRate,
  kSharedCost,
  kVoip,
  kPersonalNumber,
  kPager,
  kUan,
  kVoicemail,
  kUnknown,
};

// "fixed_line", "mobile", ... "unknown": the lc_phone_type values.
std::string_view PhoneTypeName(PhoneType type);

// What the library says about one input.
struct PhoneVerdict {
  bool parsed = false;  // false: Parse() returned an error
  bool valid = false;   // IsValidNumber
  int country_code = 0;
  std::string nsn;     // national significant number
  std::string region;  // GetRegionCodeForNumber: "VN", "001", "ZZ"
  PhoneType type = PhoneType::kUnknown;

  // "+<country code><nsn>"; "" when not parsed.
  std::string E164() const;
  // The same over `*out`, reusing its storage.
  void E164To(std::string* out) const;
};

class FastPhone {
 public:
  // Reads libphonenumber's embedded metadata. Regions whose patterns RE2
  // cannot compile are left to the library.
  FastPhone();
  ~FastPhone();
  FastPhone(const FastPhone&) = delete;
  FastPhone& operator=(const FastPhone&) = delete;

  // The process-wide instance, built on first use (thread-safe).
  static const FastPhone& Get();

  // Parses `digits` ("+"? then [0-9]*) as Parse(digits, default_region)
  // would, then classifies it. When `national` is given and the number is
  // valid, also sets it to Format(NATIONAL) (else clears it). Returns false
  // when the input is not covered; the outputs are then unspecified.
  bool Verdict(std::string_view digits, std::string_view default_region,
               PhoneVerdict* verdict, std::string* national = nullptr) const;

  // Format(NATIONAL) of a parsed number. Returns false when not covered.
  bool FormatNational(const PhoneVerdict& verdict, std::string* out) const;

  // FormatOutOfCountryCallingNumber(number, from) of a parsed number: how
  // it is dialled from region `from` ("00 33 1 23 45 67 89" from VN).
  // Returns false when not covered.
  bool FormatDialable(const PhoneVerdict& verdict, std::string_view from,
                      std::string* out) const;

  // The national prefix of `region` ("0" for VN), "" when it has none or
  // the region is unknown.
  std::string_view NationalPrefix(std::string_view region) const;

  // The country calling code of `region`, 0 when unknown.
  int CountryCode(std::string_view region) const;

 private:
  struct Region;
  struct Parsed;

  const Region* FindRegion(std::string_view id) const;
  // Built (Ready()); nullptr for an unknown code.
  const Region* MainRegion(int country_code) const;
  // The regions of a calling code, main first, not necessarily built yet.
  const std::vector<const Region*>* RegionsFor(int country_code) const;
  int MaybeExtractCountryCode(const Region& home, std::string* national,
                              bool* error) const;
  bool Parse(std::string_view digits, const Region& home, Parsed* out) const;
  bool Classify(const Region& region, std::string_view nsn,
                PhoneType* type) const;
  bool ResolveRegion(int country_code, std::string_view nsn,
                     const Region** region, PhoneType* type) const;

  // The library's metadata, kept for building regions on first use.
  std::unique_ptr<i18n::phonenumbers::PhoneMetadataCollection> collection_;
  std::vector<std::unique_ptr<Region>> regions_;
  // Indexed by country calling code (1..999); main region first, like the
  // library's country_calling_code_to_region_map.
  std::vector<std::vector<const Region*>> by_code_;
  // Geographic regions by id ("VN"); see RegionSlot.
  std::vector<const Region*> by_id_;
};

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_PHONE_FAST_H_
