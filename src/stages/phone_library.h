// The reference path: libphonenumber's PhoneNumberUtil, used for whatever
// the fast path (phone_fast.h) does not cover, and by the tests as the
// ground truth the fast path must match.
#ifndef LEADCLEAN_STAGES_PHONE_LIBRARY_H_
#define LEADCLEAN_STAGES_PHONE_LIBRARY_H_

#include <string>
#include <string_view>

#include "stages/phone_fast.h"

namespace leadclean {

// Parse(text, region), then GetRegionCodeForNumber, IsValidNumber and
// GetNumberType. A parse error gives a verdict with parsed == false.
PhoneVerdict LibraryVerdict(std::string_view text, std::string_view region);

// Format(NATIONAL) of a parsed verdict.
std::string LibraryNational(const PhoneVerdict& verdict);

// FormatOutOfCountryCallingNumber(number, from_region): the national format
// for a number of `from_region`'s country code, else with the international
// prefix dialled from there ("00 1 650-253-0000" from VN).
std::string LibraryDialable(const PhoneVerdict& verdict,
                            std::string_view from_region);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_PHONE_LIBRARY_H_
