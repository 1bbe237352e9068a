#include <iostream>

#include "gridtool/gridtool.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return gridtool::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
