// PLACEHOLDER: being written by the phone helper.
#include "leadclean/stage.h"
namespace leadclean {
namespace {
class PhoneStage : public Stage {
 public:
  void Process(const RowView&, Findings*) const override {}
};
}  // namespace
std::unique_ptr<Stage> MakePhoneStage(const StageContext&, std::string*) { return std::make_unique<PhoneStage>(); }
}  // namespace leadclean
