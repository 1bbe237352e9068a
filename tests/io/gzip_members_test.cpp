#include "io/gzip_members.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

namespace libgrid::internal {
namespace {

// zlib's reading of gzip data, an engine of its own beside the ISA-L that wrote it.
std::string inflated(const std::string& gz) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out;
  char buffer[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  for (int status = Z_OK; status == Z_OK;) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (status == Z_STREAM_END && z.avail_in > 0) status = inflateReset(&z);  // the next member
    EXPECT_TRUE(status == Z_OK || status == Z_STREAM_END) << status;
  }
  inflateEnd(&z);
  return out;
}

TEST(GzipMembers, EachTextComesBackFromItsMemberAndMembersFollowOneAnother) {
  std::mt19937_64 rng(3);
  std::string rows;
  for (int i = 0; i < 100000; ++i) {
    rows += 'E';
    rows += std::to_string(i);
    rows += ",-73.9,40.7,01,403\n";
  }
  std::string noise(3 << 20, '\0');  // incompressible: the member is a little larger
  for (char& c : noise) c = static_cast<char>(rng());
  GzipMembers gzip;
  ByteBuffer out;
  std::string all, gz;
  for (const std::string& text : {std::string(), std::string("x"), rows, noise, rows}) {
    gzip.compress(text, out);
    EXPECT_EQ(inflated(std::string(out.view())), text) << text.size();
    all += text;
    gz += out.view();
  }
  EXPECT_EQ(inflated(gz), all);
  EXPECT_LT(gzip.member(rows).size(), rows.size() / 4);
  EXPECT_EQ(inflated(gzip.member(rows)), rows);
}

}  // namespace
}  // namespace libgrid::internal
