// The one table of stages, in the order they run. Adding a stage means one
// new file plus one line here.
#include "leadclean/stage.h"

namespace leadclean {

const std::vector<StageInfo>& StageRegistry() {
  static const std::vector<StageInfo> kStages = {
      {"name", "normalise the display name (lc_name)", StageKind::kRowLocal,
       MakeNameStage, nullptr},
      {"phone", "repair, validate and format phones (lc_phone*)",
       StageKind::kRowLocal, MakePhoneStage, nullptr},
      {"email", "validate and classify emails (lc_email*)",
       StageKind::kRowLocal, MakeEmailStage, nullptr},
      {"no_contact", "reject rows with no valid phone and no valid email",
       StageKind::kRowLocal, MakeNoContactStage, nullptr},
      {"dedup", "reject repeats of a phone or email (lc_cluster)",
       StageKind::kCrossRow, nullptr, MakeDedupStage},
  };
  return kStages;
}

}  // namespace leadclean
