#include "libgrid/error.h"

#include <string_view>

namespace libgrid {

std::string describe(const Location& where) {
  std::string text;
  auto add = [&text](std::string_view label, const std::string& part) {
    if (!text.empty()) text.append(": ");
    text.append(label).append(part);
  };
  if (!where.file.empty()) add("", where.file);
  if (!where.layer.empty()) add("layer ", where.layer);
  if (where.feature >= 0) add(std::string(where.feature_word) + " ", std::to_string(where.feature));
  if (!where.field.empty()) add("field ", where.field);
  return text;
}

namespace {
std::string full_message(const Location& where, const std::string& detail) {
  const std::string prefix = describe(where);
  if (prefix.empty()) return detail;
  std::string message = prefix;
  message.append(": ").append(detail);
  return message;
}
}  // namespace

Error::Error(ErrorKind kind, const Location& where, const std::string& detail)
    : std::runtime_error(full_message(where, detail)),
      kind_(kind),
      where_(where),
      detail_(detail) {}

}  // namespace libgrid
