// `leadclean learn`: fits scoring points from a labelled history.
#ifndef LEADCLEAN_LEARN_H_
#define LEADCLEAN_LEARN_H_

#include <string>

namespace leadclean {

struct LearnOptions {
  std::string history;
  std::string label;
  std::string output;
  int folds = 5;
};

int RunLearn(const LearnOptions& options);

}  // namespace leadclean

#endif  // LEADCLEAN_LEARN_H_
