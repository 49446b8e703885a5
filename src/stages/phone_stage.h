// The phone stage's knobs that the command line does not expose, and its
// per-cell analysis, for the tests and the benchmark. The pipeline uses
// MakePhoneStage (leadclean/stage.h).
#ifndef LEADCLEAN_STAGES_PHONE_STAGE_H_
#define LEADCLEAN_STAGES_PHONE_STAGE_H_

#include <memory>
#include <string>

#include "leadclean/stage.h"

namespace leadclean {

struct PhoneStageOptions {
  // Decide validity, type and national format with the RE2 fast path
  // (phone_fast.h); false asks libphonenumber for every number.
  bool fast_path = true;
  // Memoise cells per thread (a bounded direct-mapped cache).
  bool cache = true;
};

// MakePhoneStage with explicit options. Returns nullptr and sets `*error`
// ("path:line: message") on a bad rule table or an unknown region.
std::unique_ptr<Stage> MakePhoneStageWith(const StageContext& context,
                                          const PhoneStageOptions& options,
                                          std::string* error);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_PHONE_STAGE_H_
