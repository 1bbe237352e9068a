// Command-line arguments of one subcommand: options declared up front, everything else
// positional. "--name value" and "--name=value" both work; unknown options and empty values
// ("-o \"\"") are usage errors, found before any work.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gridtool {

// A mistake in how the command was called; reported with a pointer to --help, exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;        // without dashes: "level"
  char short_name = '\0';  // 'o' for -o, or none
  bool takes_value = true;
  bool repeatable = false;
};

class Arguments {
 public:
  Arguments(const std::vector<OptionSpec>& specs, const std::vector<std::string>& args);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string value(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& values(const std::string& name) const;
  // The value as a number; a UsageError naming the option when it is not one.
  double number(const std::string& name, double fallback) const;
  // The value as a whole number within [lo, hi], `fallback` when absent; a UsageError naming
  // the option and the range otherwise (-1, 1.5 or 1e30 where 0 to 64 is allowed).
  // REQUIRES: lo <= hi, both within +-2^53 so that every whole number between is a double.
  long long integer(const std::string& name, long long fallback, long long lo, long long hi) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // REQUIRES the option; UsageError "missing --name" otherwise.
  std::string required(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace gridtool
