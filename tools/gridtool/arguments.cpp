#include "gridtool/arguments.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>

namespace gridtool {

Arguments::Arguments(const std::vector<OptionSpec>& specs, const std::vector<std::string>& args)
    : app_(std::make_shared<CLI::App>()) {
  CLI::App& app = *app_;
  app.set_help_flag();  // gridtool prints its own --help text
  app.allow_extras();   // unknown options are collected, to be named below
  // Every value is kept: a repeated option is refused below, naming it, unless repeatable.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  for (const OptionSpec& spec : specs) {
    const std::string names =
        (spec.short_name != '\0' ? std::string{'-', spec.short_name, ','} : "") + "--" + spec.name;
    if (spec.takes_value) {
      app.add_option(names);
    } else {
      app.add_flag(names);
    }
  }
  positional_ = app.add_option("positional")->expected(-1);

  for (const std::string& arg : args) {
    if (arg == "--") break;
    // CLI11 reads "--name=" as "--name" and takes the next word as the value.
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq != arg.size() - 1) continue;
    const CLI::Option* o = app.get_option_no_throw(arg.substr(0, eq));
    if (o == nullptr) continue;
    throw UsageError("option " + arg.substr(0, eq) +
                     (o->get_expected_min() > 0 ? " needs a value, not ''" : " takes no value"));
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 reads from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ArgumentMismatch&) {
    // Only the last word can be an option left without its value.
    throw UsageError("option " + app.get_option(args.back())->get_name() + " needs a value");
  }
  for (const std::string& extra : app.remaining()) {
    if (extra != "--") throw UsageError("unknown option " + extra);
  }
  for (const OptionSpec& spec : specs) {
    const std::vector<std::string>& given = values(spec.name);
    const std::string option = "option --" + spec.name;
    const auto is_true = [](const std::string& v) { return v == "true"; };
    if (!spec.takes_value && !std::ranges::all_of(given, is_true)) {
      throw UsageError(option + " takes no value");  // --no-progress=x
    }
    // No option means anything when empty: an empty path would fail only after the work.
    if (std::ranges::find(given, "") != given.end()) {
      throw UsageError(option + " needs a value, not ''");
    }
    if (given.size() > 1 && !spec.repeatable) throw UsageError(option + " is given twice");
  }
}

const CLI::Option* Arguments::option(const std::string& name) const {
  return app_->get_option_no_throw("--" + name);
}

const std::vector<std::string>& Arguments::values(const std::string& name) const {
  static const std::vector<std::string> none;
  const CLI::Option* o = option(name);
  return o == nullptr ? none : o->results();
}

const std::vector<std::string>& Arguments::positional() const { return positional_->results(); }

std::string Arguments::value(const std::string& name, const std::string& fallback) const {
  return has(name) ? values(name).back() : fallback;
}

double Arguments::number(const std::string& name, double fallback) const {
  if (!has(name)) return fallback;
  double v = NAN;
  try {
    v = option(name)->as<double>();
  } catch (const CLI::ConversionError&) {
  }
  if (!std::isfinite(v)) {
    throw UsageError("option --" + name + " needs a number, not '" + value(name) + "'");
  }
  return v;
}

long long Arguments::integer(const std::string& name, long long fallback, long long lo,
                             long long hi) const {
  if (!has(name)) return fallback;
  // Read as a real number: CLI11's integer reading would take "010" for octal 8 and
  // refuse "1e3". Compared as doubles, so that 1e30 is refused before any conversion.
  const double v = number(name, 0.0);
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

void Arguments::one_standard_input(const std::vector<std::string>& inputs) const {
  std::string first;
  for (const std::string& name : inputs) {
    if (value(name) != "-") continue;
    if (!first.empty()) {
      throw UsageError("--" + first + " and --" + name +
                       " both read standard input (-): only one input can");
    }
    first = name;
  }
}

}  // namespace gridtool
