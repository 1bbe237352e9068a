#include "gridtool/arguments.h"

#include <cmath>
#include <cstdlib>

namespace gridtool {

Arguments::Arguments(const std::vector<OptionSpec>& specs, const std::vector<std::string>& args) {
  auto find = [&specs](const std::string& name, char short_name) -> const OptionSpec* {
    for (const auto& s : specs) {
      if ((!name.empty() && s.name == name) || (short_name != '\0' && s.short_name == short_name)) {
        return &s;
      }
    }
    return nullptr;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool is_long = arg.size() > 2 && arg.rfind("--", 0) == 0;
    // "-5" or "-73.9" are numbers (coordinates), not options.
    const bool is_short = !is_long && arg.size() == 2 && arg[0] == '-' &&
                          !std::isdigit(static_cast<unsigned char>(arg[1]));
    if (arg == "--") {
      positional_.insert(positional_.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (!is_long && !is_short) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = is_long ? arg.substr(2) : std::string();
    std::string inline_value;
    bool has_inline = false;
    if (const auto eq = name.find('='); is_long && eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline = true;
    }
    const OptionSpec* spec = find(name, is_short ? arg[1] : '\0');
    if (spec == nullptr) throw UsageError("unknown option " + arg);
    std::string value;
    if (spec->takes_value) {
      if (has_inline) {
        value = inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        throw UsageError("option --" + spec->name + " needs a value");
      }
      // No option means anything when empty: an empty path would fail only after the work.
      if (value.empty()) throw UsageError("option --" + spec->name + " needs a value, not ''");
    } else if (has_inline) {
      throw UsageError("option --" + spec->name + " takes no value");
    }
    auto& slot = values_[spec->name];
    if (!slot.empty() && !spec->repeatable) {
      throw UsageError("option --" + spec->name + " is given twice");
    }
    slot.push_back(value);
  }
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

const std::vector<std::string>& Arguments::values(const std::string& name) const {
  static const std::vector<std::string> none;
  const auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

double Arguments::number(const std::string& name, double fallback) const {
  if (!has(name)) return fallback;
  const std::string text = value(name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) {
    throw UsageError("option --" + name + " needs a number, not '" + text + "'");
  }
  return v;
}

long long Arguments::integer(const std::string& name, long long fallback, long long lo,
                             long long hi) const {
  if (!has(name)) return fallback;
  const double v = number(name, 0.0);
  // Compared as doubles, so that 1e30 is refused before any conversion to an integer.
  if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    throw UsageError("option --" + name + " needs a whole number from " + std::to_string(lo) +
                     " to " + std::to_string(hi) + ", not '" + value(name) + "'");
  }
  return static_cast<long long>(v);
}

std::string Arguments::required(const std::string& name) const {
  if (!has(name)) throw UsageError("missing --" + name);
  return value(name);
}

}  // namespace gridtool
