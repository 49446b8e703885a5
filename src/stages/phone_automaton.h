// A deterministic automaton over the digits 0-9 that answers, in one pass
// over a number, which of up to 64 phone-metadata patterns match it whole
// and which match a prefix of it. The fast path (phone_fast.cc) uses one for
// a region's number descriptions and one for its formats' leading digits
// instead of running each pattern's regex in turn.
//
// Only the syntax the metadata uses is accepted: digits, "\d", digit
// classes ("[2-58]"), groups ("(...)", "(?:...)"), '|' and the quantifiers
// '?', '*', '+', "{n}", "{n,}", "{n,m}". Whole-match and prefix-match only
// depend on the set of strings a pattern denotes, so the answers are RE2's.
// Covered by tests/stages/phone_fast_test.cc (differential, against the
// library) and tests/stages/phone_automaton_test.cc.
#ifndef LEADCLEAN_STAGES_PHONE_AUTOMATON_H_
#define LEADCLEAN_STAGES_PHONE_AUTOMATON_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace leadclean {

class DigitAutomaton {
 public:
  static constexpr int kMaxPatterns = 64;
  struct Node;  // a parsed pattern (phone_automaton.cc)

  // Adds `pattern` as bit `bit` (0 to kMaxPatterns - 1) of the masks; two
  // patterns may share a bit. Returns false, adding nothing, when the
  // pattern uses other syntax or the bit is out of range.
  bool Add(int bit, std::string_view pattern);

  // Builds the automaton of the patterns added so far. Returns false when
  // it would need more than `max_states` states; Run() must not be called
  // then.
  bool Build(size_t max_states);

  bool built() const { return !accept_.empty(); }

  // Bit i of the result is set when pattern i matches all of `text`.
  uint64_t FullMatches(std::string_view text) const;
  // Bit i is set when pattern i matches a prefix of `text` (the empty one
  // included), as RE2 with ANCHOR_START finds a match.
  uint64_t PrefixMatches(std::string_view text) const;

 private:
  struct NfaState {
    uint16_t digits = 0;  // the digits that lead to `next`; 0: none
    int next = -1;
    int bit = -1;            // the final state of the pattern of this bit
  };
  struct Subset;
  struct SubsetHash;
  struct Fragment {
    int start;
    int end;
  };

  int NewState();
  // An edge taken without reading a digit.
  void Link(int from, int to);
  void IndexEmptyEdges();
  Fragment Emit(const Node& node);
  void Close(int from, std::vector<int>* reading, uint64_t* accepted,
             std::vector<uint32_t>* seen, uint32_t mark,
             std::vector<int>* stack) const;

  std::vector<NfaState> nfa_;
  std::vector<std::pair<int, int>> empty_edges_;
  // empty_edges_ by source, built by Build(): state i's targets are
  // empty_to_[empty_begin_[i]..empty_begin_[i + 1]).
  std::vector<int> empty_begin_;
  std::vector<int> empty_to_;
  std::vector<int> starts_;  // each pattern's start state
  // The automaton: kDead or a state per (state, digit); the patterns
  // accepted in each state.
  static constexpr int32_t kDead = -1;
  std::vector<int32_t> next_;
  std::vector<uint64_t> accept_;
};

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_PHONE_AUTOMATON_H_
