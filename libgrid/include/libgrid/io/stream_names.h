// "-" as a file: standard input where a file is read, standard output where one is written. What
// messages and summaries call such a file, in the core and in every face alike.
#pragma once

#include <string>

namespace libgrid {

// "standard input" for "-", else the path as given.
std::string input_name(const std::string& path);
// "standard output" for "-", else the path as given.
std::string output_name(const std::string& path);

}  // namespace libgrid
