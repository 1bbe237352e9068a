#include "libgrid/error.h"

#include <string_view>

namespace libgrid {

std::string spell_cpp_option(std::string_view option) { return "option " + std::string(option); }

std::string spell_cli_option(std::string_view option) {
  std::string flag = "--" + std::string(option);
  for (char& c : flag) {
    if (c == '_') c = '-';
  }
  return flag;
}

std::string spell_python_option(std::string_view option) { return std::string(option) + "="; }

std::string describe(const Location& where, OptionSpelling spell) {
  std::string text;
  auto add = [&text](std::string_view label, const std::string& part) {
    if (!text.empty()) text.append(": ");
    text.append(label).append(part);
  };
  if (!where.file.empty()) add("", where.file);
  if (!where.layer.empty()) add("layer ", where.layer);
  if (where.feature >= 0) add(std::string(where.feature_word) + " ", std::to_string(where.feature));
  if (!where.field.empty()) add("field ", where.field);
  if (!where.option.empty()) add("", spell(where.option));
  return text;
}

namespace {
std::string full_message(const Location& where, const std::string& detail,
                         OptionSpelling spell = spell_cpp_option) {
  const std::string prefix = describe(where, spell);
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

std::string Error::message(OptionSpelling spell) const {
  return full_message(where_, detail_, spell);
}

}  // namespace libgrid
