// Command-line arguments of one subcommand, read by CLI11: options declared up front, everything
// else positional. "--name value", "--name=value" and "-o value" all work; unknown options, a
// missing or empty value ("-o \"\"") and a second value for a single option are usage errors,
// found before any work.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

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

  bool has(const std::string& name) const { return !values(name).empty(); }
  std::string value(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& values(const std::string& name) const;
  // The value as a number; a UsageError naming the option when it is not one.
  double number(const std::string& name, double fallback) const;
  // The value as a whole number within [lo, hi], `fallback` when absent; a UsageError naming
  // the option and the range otherwise (-1, 1.5 or 1e30 where 0 to 64 is allowed).
  // REQUIRES: lo <= hi, both within +-2^53 so that every whole number between is a double.
  long long integer(const std::string& name, long long fallback, long long lo, long long hi) const;
  const std::vector<std::string>& positional() const;
  // REQUIRES the option; UsageError "missing --name" otherwise.
  std::string required(const std::string& name) const;
  // Standard input ("-") can feed one of these input options at most: the first reader would
  // take the whole stream and leave the other an empty file. A UsageError naming both otherwise.
  void one_standard_input(const std::vector<std::string>& inputs) const;

 private:
  const CLI::Option* option(const std::string& name) const;

  std::shared_ptr<CLI::App> app_;  // holds the values that were read
  const CLI::Option* positional_;
};

}  // namespace gridtool
