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
      {"fake", "reject placeholder, mash and bot rows (rules/fake_rules.csv)",
       StageKind::kRowLocal, MakeFakeStage, nullptr},
      {"no_contact", "reject rows with no valid phone and no valid email",
       StageKind::kRowLocal, MakeNoContactStage, nullptr},
      {"match_keys", "person, company and city keys for matching",
       StageKind::kRowLocal, MakeMatchKeysStage, nullptr},
      {"score", "fit, intent, score, temperature, stage, why, BANT (lc_score)",
       StageKind::kRowLocal, MakeScoreStage, nullptr},
      {"call_window", "business hours to call, adjusted by notes (lc_call_window)",
       StageKind::kRowLocal, MakeCallWindowStage, nullptr},
      {"bot", "reject bursts, sequences, shared phones, repeated texts",
       StageKind::kCrossRow, nullptr, MakeBotStage, true},
      {"dedup", "reject repeats of a phone or email (lc_cluster)",
       StageKind::kCrossRow, nullptr, MakeDedupStage},
  };
  return kStages;
}

}  // namespace leadclean
