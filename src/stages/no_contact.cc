// No-contact stage: rejects a row that has neither a valid phone (lc_phone)
// nor a usable email (lc_email), with rule no_contact. Runs after the phone
// and email stages. Covered by tests/golden/no_contact.
#include "leadclean/stage.h"

namespace leadclean {
namespace {

class NoContactStage : public Stage {
 public:
  void Process(const RowView& row, Findings* findings) const override {
    if (!findings->Col(Out::kPhone).empty() ||
        !findings->Col(Out::kEmail).empty()) {
      return;
    }
    findings->Reject(Reason::kNoContact, "no_contact", Describe(row));
  }

 private:
  static std::string Describe(const RowView& row) {
    std::string_view phone = row.Get(Role::kPhone);
    std::string_view email = row.Get(Role::kEmail);
    std::string text = phone.empty() ? "no phone"
                                     : "phone '" + std::string(phone) +
                                           "' not valid";
    text += email.empty() ? "; no email"
                          : "; email '" + std::string(email) + "' not valid";
    return text;
  }
};

}  // namespace

std::unique_ptr<Stage> MakeNoContactStage(const StageContext&, std::string*) {
  return std::make_unique<NoContactStage>();
}

}  // namespace leadclean
