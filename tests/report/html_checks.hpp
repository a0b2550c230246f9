// Checks of an HTML page for the tests: self-contained, well-formed enough, accessible.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace jamstat::report::testing {

/// Counts occurrences of `needle` in `text`.
inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// The problems of a page's tag structure: every non-void element closed in order (SVG elements
/// may close themselves with "/>"), attribute quotes balanced. Empty when well-formed.
inline std::vector<std::string> tag_problems(const std::string& html) {
  static const std::vector<std::string> void_elements{"meta", "br", "hr", "img", "link", "input", "wbr"};
  std::vector<std::string> problems, open;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    const std::size_t end = html.find('>', i);
    if (end == std::string::npos) {
      problems.push_back("unterminated tag");
      break;
    }
    std::string tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with("!")) continue;  // doctype, comments
    if (count_of(tag, "\"") % 2 != 0) problems.push_back("unbalanced quotes in <" + tag + ">");
    const bool closing = tag.starts_with("/");
    const bool self_closing = tag.ends_with("/");
    std::string name = tag.substr(closing ? 1 : 0);
    name = name.substr(0, name.find_first_of(" \t\n/"));
    if (name == "style") {  // skip the stylesheet's text
      const std::size_t close = html.find("</style>", i);
      if (close == std::string::npos) problems.push_back("unclosed style");
      i = close + 8;
      continue;
    }
    if (self_closing || std::find(void_elements.begin(), void_elements.end(), name) != void_elements.end()) continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      problems.push_back("</" + name + "> closes <" + (open.empty() ? std::string("nothing") : open.back()) + ">");
      if (problems.size() > 10) break;
    } else {
      open.pop_back();
    }
  }
  for (const std::string& name : open) problems.push_back("<" + name + "> never closed");
  return problems;
}

}  // namespace jamstat::report::testing
