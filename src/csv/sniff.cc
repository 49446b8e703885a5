// Delimiter sniffing. A real delimiter splits every line into the same
// number of fields, while a comma in free text or a decimal comma varies from
// line to line; so the score is per-line consistency, not raw frequency.
#include "csv/sniff.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace leadclean {
namespace {

constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
using LineCounts = std::array<uint32_t, kCandidates.size()>;

void CountCandidates(char c, LineCounts* counts) {
  for (size_t i = 0; i < kCandidates.size(); ++i) {
    if (c == kCandidates[i]) {
      ++(*counts)[i];
    }
  }
}

// Counts each candidate per non-blank line, outside quotes. Line breaks
// inside quotes do not end a line.
std::vector<LineCounts> CountPerLine(std::string_view sample, bool complete) {
  std::vector<LineCounts> lines;
  LineCounts current{};
  bool in_quotes = false;
  bool has_bytes = false;
  for (char c : sample) {
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (in_quotes) {
      continue;
    } else if (c == '\n' || c == '\r') {
      if (has_bytes) {
        lines.push_back(current);
      }
      current = {};
      has_bytes = false;
      continue;
    } else {
      CountCandidates(c, &current);
    }
    has_bytes = true;
  }
  if (has_bytes && (complete || lines.empty())) {
    lines.push_back(current);
  }
  return lines;
}

// Share of lines whose count equals the most common count (the larger count
// on a tie); 0 when that count is 0.
double Consistency(const std::vector<LineCounts>& lines, size_t candidate) {
  std::vector<uint32_t> counts;
  counts.reserve(lines.size());
  for (const LineCounts& line : lines) {
    counts.push_back(line[candidate]);
  }
  std::sort(counts.begin(), counts.end());
  uint32_t mode = 0;
  size_t mode_lines = 0;
  for (size_t i = 0; i < counts.size();) {
    size_t j = i;
    while (j < counts.size() && counts[j] == counts[i]) {
      ++j;
    }
    if (j - i >= mode_lines) {
      mode = counts[i];
      mode_lines = j - i;
    }
    i = j;
  }
  if (mode == 0) {
    return 0.0;
  }
  return static_cast<double>(mode_lines) / static_cast<double>(lines.size());
}

}  // namespace

char SniffDelimiter(std::string_view sample, bool complete) {
  const std::vector<LineCounts> lines = CountPerLine(sample, complete);
  char best = ',';
  double best_score = 0.0;
  for (size_t i = 0; i < kCandidates.size() && !lines.empty(); ++i) {
    const double score = Consistency(lines, i);
    if (score > best_score) {
      best = kCandidates[i];
      best_score = score;
    }
  }
  return best;
}

}  // namespace leadclean
