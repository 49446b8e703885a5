// PLACEHOLDER: being written by the email helper.
#include "leadclean/stage.h"
namespace leadclean {
namespace {
class EmailStage : public Stage {
 public:
  void Process(const RowView&, Findings*) const override {}
};
}  // namespace
std::unique_ptr<Stage> MakeEmailStage(const StageContext&, std::string*) { return std::make_unique<EmailStage>(); }
}  // namespace leadclean
