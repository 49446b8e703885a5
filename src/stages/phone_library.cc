// Thin wrappers over PhoneNumberUtil, so that only this file and the tests
// see the library's types.
#include "stages/phone_library.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace leadclean {
namespace {
namespace pn = i18n::phonenumbers;

// The PhoneNumber Parse() would build for this country code and NSN,
// including SetItalianLeadingZerosForPhoneNumber.
pn::PhoneNumber ToNumber(const PhoneVerdict& verdict) {
  pn::PhoneNumber number;
  number.set_country_code(verdict.country_code);
  const std::string& nsn = verdict.nsn;
  if (nsn.size() > 1 && nsn[0] == '0') {
    number.set_italian_leading_zero(true);
    size_t zeros = 1;
    while (zeros < nsn.size() - 1 && nsn[zeros] == '0') {
      ++zeros;
    }
    if (zeros != 1) {
      number.set_number_of_leading_zeros(static_cast<int>(zeros));
    }
  }
  number.set_national_number(nsn.empty() ? 0 : std::stoull(nsn));
  return number;
}

}  // namespace

PhoneVerdict LibraryVerdict(std::string_view text, std::string_view region) {
  const pn::PhoneNumberUtil& util = *pn::PhoneNumberUtil::GetInstance();
  PhoneVerdict verdict;
  pn::PhoneNumber number;
  if (util.Parse(std::string(text), std::string(region), &number) !=
      pn::PhoneNumberUtil::NO_PARSING_ERROR) {
    return verdict;
  }
  verdict.parsed = true;
  verdict.country_code = number.country_code();
  util.GetNationalSignificantNumber(number, &verdict.nsn);
  util.GetRegionCodeForNumber(number, &verdict.region);
  verdict.valid = util.IsValidNumber(number);
  verdict.type = static_cast<PhoneType>(util.GetNumberType(number));
  return verdict;
}

std::string LibraryNational(const PhoneVerdict& verdict) {
  std::string out;
  pn::PhoneNumberUtil::GetInstance()->Format(
      ToNumber(verdict), pn::PhoneNumberUtil::NATIONAL, &out);
  return out;
}

std::string LibraryDialable(const PhoneVerdict& verdict,
                            std::string_view from_region) {
  std::string out;
  pn::PhoneNumberUtil::GetInstance()->FormatOutOfCountryCallingNumber(
      ToNumber(verdict), std::string(from_region), &out);
  return out;
}

}  // namespace leadclean
