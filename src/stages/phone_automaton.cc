// Why an automaton of our own: the metadata patterns are small regular
// languages over ten digits, and a number is checked against a dozen of them.
// RE2 answers each in a few hundred instructions of call overhead and costs
// a compile (and a PossibleMatchRange) per pattern; one subset-constructed
// table answers all of them with one load per digit and builds faster than
// RE2 compiles them.
#include "stages/phone_automaton.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace leadclean {

// A parsed pattern. kDigits: one digit of `digits`; kSequence, kChoice: the
// children in order or any one of them; kRepeat: the only child from `min`
// to `max` times (max -1: unbounded).
struct DigitAutomaton::Node {
  enum class Kind { kDigits, kSequence, kChoice, kRepeat };
  Kind kind = Kind::kSequence;
  uint16_t digits = 0;
  int min = 0;
  int max = 0;
  std::vector<Node> children;
};

namespace {

using Node = DigitAutomaton::Node;
constexpr uint16_t kAllDigits = 0x3FF;
// Bounds a "{n,m}" so that a hostile pattern cannot blow the NFA up.
constexpr int kMaxRepeat = 64;

// Recursive descent over the accepted syntax; any other byte fails.
class PatternParser {
 public:
  explicit PatternParser(std::string_view text) : text_(text) {}

  bool Parse(Node* out) { return Choice(out, 0) && at_ == text_.size(); }

 private:
  static constexpr int kMaxDepth = 32;

  bool Choice(Node* out, int depth) {
    if (depth > kMaxDepth) {
      return false;
    }
    out->kind = Node::Kind::kChoice;
    do {
      out->children.emplace_back();
      if (!Sequence(&out->children.back(), depth)) {
        return false;
      }
    } while (Eat('|'));
    return true;
  }

  bool Sequence(Node* out, int depth) {
    out->kind = Node::Kind::kSequence;
    while (at_ < text_.size() && text_[at_] != '|' && text_[at_] != ')') {
      Node atom;
      if (!Atom(&atom, depth) || !Quantifiers(&atom)) {
        return false;
      }
      out->children.push_back(std::move(atom));
    }
    return true;
  }

  bool Atom(Node* out, int depth) {
    char c = text_[at_++];
    out->kind = Node::Kind::kDigits;
    if (c >= '0' && c <= '9') {
      out->digits = static_cast<uint16_t>(1u << (c - '0'));
      return true;
    }
    if (c == '\\') {
      out->digits = kAllDigits;
      return Eat('d');
    }
    if (c == '[') {
      return Class(out);
    }
    if (c == '(') {
      if (Eat('?') && !Eat(':')) {
        return false;
      }
      return Choice(out, depth + 1) && Eat(')');
    }
    return false;
  }

  // After '[': digits and digit ranges up to ']'.
  bool Class(Node* out) {
    while (at_ < text_.size() && text_[at_] != ']') {
      char low = text_[at_++];
      char high = low;
      if (at_ + 1 < text_.size() && text_[at_] == '-' && text_[at_ + 1] != ']') {
        high = text_[at_ + 1];
        at_ += 2;
      }
      if (low < '0' || low > '9' || high < low || high > '9') {
        return false;
      }
      for (char d = low; d <= high; ++d) {
        out->digits |= static_cast<uint16_t>(1u << (d - '0'));
      }
    }
    return Eat(']') && out->digits != 0;
  }

  bool Quantifiers(Node* atom) {
    while (at_ < text_.size()) {
      int min = 0;
      int max = 0;
      char c = text_[at_];
      if (c == '?' || c == '*' || c == '+') {
        ++at_;
        min = c == '+' ? 1 : 0;
        max = c == '?' ? 1 : -1;
      } else if (c == '{') {
        ++at_;
        if (!Bounds(&min, &max)) {
          return false;
        }
      } else {
        return true;
      }
      if (at_ < text_.size() && (text_[at_] == '?' || text_[at_] == '+')) {
        return false;  // lazy or possessive: not in the metadata
      }
      Node repeat;
      repeat.kind = Node::Kind::kRepeat;
      repeat.min = min;
      repeat.max = max;
      repeat.children.push_back(std::move(*atom));
      *atom = std::move(repeat);
    }
    return true;
  }

  // After '{': "n}", "n,}" or "n,m}".
  bool Bounds(int* min, int* max) {
    if (!Number(min)) {
      return false;
    }
    *max = *min;
    if (Eat(',')) {
      *max = -1;
      if (at_ < text_.size() && text_[at_] != '}' && !Number(max)) {
        return false;
      }
    }
    return Eat('}') && (*max == -1 || *max >= *min);
  }

  bool Number(int* value) {
    size_t start = at_;
    *value = 0;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9' &&
           at_ - start < 3) {
      *value = *value * 10 + (text_[at_++] - '0');
    }
    return at_ > start && *value <= kMaxRepeat;
  }

  bool Eat(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

void DigitAutomaton::Link(int from, int to) {
  empty_edges_.emplace_back(from, to);
}

int DigitAutomaton::NewState() {
  nfa_.emplace_back();
  return static_cast<int>(nfa_.size()) - 1;
}

// Thompson's construction; a fresh copy of the states on every call, so a
// repeat emits its child once per copy.
DigitAutomaton::Fragment DigitAutomaton::Emit(const Node& node) {
  const int start = NewState();
  int end = -1;
  switch (node.kind) {
    case Node::Kind::kDigits:
      end = NewState();
      nfa_[start].digits = node.digits;
      nfa_[start].next = end;
      break;
    case Node::Kind::kSequence: {
      int last = start;
      for (const Node& child : node.children) {
        Fragment part = Emit(child);
        Link(last, part.start);
        last = part.end;
      }
      end = last;
      break;
    }
    case Node::Kind::kChoice: {
      end = NewState();
      for (const Node& child : node.children) {
        Fragment part = Emit(child);
        Link(start, part.start);
        Link(part.end, end);
      }
      break;
    }
    case Node::Kind::kRepeat: {
      end = NewState();
      int last = start;
      for (int i = 0; i < node.min; ++i) {
        Fragment part = Emit(node.children[0]);
        Link(last, part.start);
        last = part.end;
      }
      if (node.max < 0) {
        Fragment loop = Emit(node.children[0]);
        Link(last, loop.start);
        Link(loop.end, loop.start);
        Link(loop.end, end);
      } else {
        for (int i = node.min; i < node.max; ++i) {
          Fragment part = Emit(node.children[0]);
          Link(last, part.start);
          Link(last, end);
          last = part.end;
        }
      }
      Link(last, end);
      break;
    }
  }
  return {start, end};
}

bool DigitAutomaton::Add(int bit, std::string_view pattern) {
  Node root;
  if (bit < 0 || bit >= kMaxPatterns || !PatternParser(pattern).Parse(&root)) {
    return false;
  }
  Fragment whole = Emit(root);
  nfa_[whole.end].bit = bit;
  starts_.push_back(whole.start);
  return true;
}

// The digit-reading states reached from `from` without reading a digit,
// and the patterns whose final state is among the states reached.
// Appends them to `*reading`, sorted among themselves. `seen` holds a mark
// per NFA state; the call's marks are `mark`; `stack` is scratch.
void DigitAutomaton::Close(int from, std::vector<int>* reading,
                           uint64_t* accepted, std::vector<uint32_t>* seen,
                           uint32_t mark, std::vector<int>* stack) const {
  const size_t appended = reading->size();
  stack->assign(1, from);
  (*seen)[from] = mark;
  while (!stack->empty()) {
    const int at = stack->back();
    stack->pop_back();
    if (nfa_[at].digits != 0) {
      reading->push_back(at);
    }
    if (nfa_[at].bit >= 0) {
      *accepted |= uint64_t{1} << nfa_[at].bit;
    }
    for (int edge = empty_begin_[at]; edge < empty_begin_[at + 1]; ++edge) {
      const int to = empty_to_[edge];
      if ((*seen)[to] != mark) {
        (*seen)[to] = mark;
        stack->push_back(to);
      }
    }
  }
  std::sort(reading->begin() + appended, reading->end());
}

// The empty edges as adjacency arrays (counting sort by source).
void DigitAutomaton::IndexEmptyEdges() {
  empty_begin_.assign(nfa_.size() + 1, 0);
  for (const auto& [from, to] : empty_edges_) {
    ++empty_begin_[from + 1];
  }
  for (size_t i = 1; i < empty_begin_.size(); ++i) {
    empty_begin_[i] += empty_begin_[i - 1];
  }
  empty_to_.resize(empty_edges_.size());
  std::vector<int> fill(empty_begin_.begin(), empty_begin_.end() - 1);
  for (const auto& [from, to] : empty_edges_) {
    empty_to_[fill[from]++] = to;
  }
}

struct DigitAutomaton::Subset {
  std::vector<int> states;  // sorted
  uint64_t accepted = 0;
  bool operator==(const Subset& other) const {
    return accepted == other.accepted && states == other.states;
  }
};

struct DigitAutomaton::SubsetHash {
  size_t operator()(const Subset& subset) const {
    uint64_t hash = subset.accepted * 0x9E3779B97F4A7C15ull;
    for (int state : subset.states) {
      hash = (hash ^ static_cast<uint64_t>(state)) * 0x100000001B3ull;
    }
    return static_cast<size_t>(hash ^ (hash >> 29));
  }
};

// Subset construction over the digit-reading NFA states: a state of the
// automaton is the set of them the digits so far can be in, with the
// patterns matched on the way in.
bool DigitAutomaton::Build(size_t max_states) {
  IndexEmptyEdges();
  std::vector<uint32_t> seen(nfa_.size(), 0);
  uint32_t mark = 0;
  std::vector<int> stack;
  // Each reading state's successor, closed, once: after_[after_begin[i]..
  // after_begin[i + 1]) for state i.
  std::vector<int> after_begin(nfa_.size() + 1, 0);
  std::vector<int> after;
  std::vector<uint64_t> after_accepted(nfa_.size(), 0);
  for (size_t i = 0; i < nfa_.size(); ++i) {
    if (nfa_[i].digits != 0) {
      Close(nfa_[i].next, &after, &after_accepted[i], &seen, ++mark, &stack);
    }
    after_begin[i + 1] = static_cast<int>(after.size());
  }
  std::unordered_map<Subset, int32_t, SubsetHash> ids;
  std::vector<const Subset*> subsets;
  Subset start;
  for (int from : starts_) {
    Close(from, &start.states, &start.accepted, &seen, ++mark, &stack);
  }
  std::sort(start.states.begin(), start.states.end());
  start.states.erase(std::unique(start.states.begin(), start.states.end()),
                     start.states.end());
  subsets.push_back(&ids.emplace(std::move(start), 0).first->first);
  std::array<Subset, 10> moved;
  for (size_t state = 0; state < subsets.size(); ++state) {
    if (subsets.size() > max_states) {
      return false;
    }
    accept_.push_back(subsets[state]->accepted);
    for (int member : subsets[state]->states) {
      for (int digit = 0; digit < 10; ++digit) {
        if (nfa_[member].digits >> digit & 1) {
          moved[digit].accepted |= after_accepted[member];
          moved[digit].states.insert(moved[digit].states.end(),
                                     after.begin() + after_begin[member],
                                     after.begin() + after_begin[member + 1]);
        }
      }
    }
    for (Subset& to : moved) {
      if (to.states.empty() && to.accepted == 0) {
        next_.push_back(kDead);
        continue;
      }
      std::sort(to.states.begin(), to.states.end());
      to.states.erase(std::unique(to.states.begin(), to.states.end()),
                      to.states.end());
      auto it = ids.find(to);  // emplace would copy `to` first
      if (it == ids.end()) {
        it = ids.emplace(to, static_cast<int32_t>(subsets.size())).first;
        subsets.push_back(&it->first);
      }
      next_.push_back(it->second);
      to.states.clear();
      to.accepted = 0;
    }
  }
  nfa_ = {};
  empty_edges_ = {};
  empty_begin_ = {};
  empty_to_ = {};
  return true;
}

uint64_t DigitAutomaton::FullMatches(std::string_view text) const {
  int32_t state = 0;
  for (char c : text) {
    unsigned digit = static_cast<unsigned char>(c) - '0';
    if (digit > 9) {
      return 0;
    }
    state = next_[state * 10 + digit];
    if (state == kDead) {
      return 0;
    }
  }
  return accept_[state];
}

uint64_t DigitAutomaton::PrefixMatches(std::string_view text) const {
  int32_t state = 0;
  uint64_t matched = accept_[0];
  for (char c : text) {
    unsigned digit = static_cast<unsigned char>(c) - '0';
    if (digit > 9) {
      break;
    }
    state = next_[state * 10 + digit];
    if (state == kDead) {
      break;
    }
    matched |= accept_[state];
  }
  return matched;
}

}  // namespace leadclean
