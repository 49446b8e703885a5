#include "leadclean/learn.h"

namespace leadclean {

int RunLearn(const LearnOptions&) { return 5; }

}  // namespace leadclean
