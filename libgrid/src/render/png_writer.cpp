#include "render/png_writer.h"

#include <zlib.h>

#include <array>
#include <cstdlib>
#include <string>

#include "libgrid/error.h"

namespace libgrid::internal {

namespace {

constexpr int kChannels = 3;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

// Length, type, data and the CRC of type and data.
void put_chunk(std::vector<std::uint8_t>& out, const char (&type)[5],
               const std::vector<std::uint8_t>& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  const uLong crc =
      crc32(crc32(0L, Z_NULL, 0), out.data() + type_at, static_cast<uInt>(4 + data.size()));
  put_u32(out, static_cast<std::uint32_t>(crc));
}

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a);
  const int pb = std::abs(p - b);
  const int pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<std::uint8_t>(a);
  return static_cast<std::uint8_t>(pb <= pc ? b : c);
}

// Rows as PNG wants them before deflate: a filter type byte, then the filtered bytes.
std::vector<std::uint8_t> filtered_rows(const Image& image) {
  const std::size_t stride = static_cast<std::size_t>(image.width()) * kChannels;
  const std::uint8_t* pixels = image.rgb().data();
  std::vector<std::uint8_t> out;
  out.reserve((stride + 1) * static_cast<std::size_t>(image.height()));
  std::array<std::vector<std::uint8_t>, 5> candidates;
  for (auto& c : candidates) c.resize(stride);
  const std::vector<std::uint8_t> zero_row(stride, 0);
  for (int y = 0; y < image.height(); ++y) {
    const std::uint8_t* row = pixels + static_cast<std::size_t>(y) * stride;
    const std::uint8_t* up = y > 0 ? row - stride : zero_row.data();
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= kChannels ? row[i - kChannels] : 0;
      const int b = up[i];
      const int c = i >= kChannels ? up[i - kChannels] : 0;
      candidates[0][i] = row[i];
      candidates[1][i] = static_cast<std::uint8_t>(row[i] - a);
      candidates[2][i] = static_cast<std::uint8_t>(row[i] - b);
      candidates[3][i] = static_cast<std::uint8_t>(row[i] - (a + b) / 2);
      candidates[4][i] = static_cast<std::uint8_t>(row[i] - paeth(a, b, c));
    }
    // The usual heuristic: bytes read as signed, the smallest sum of magnitudes wins.
    int best = 0;
    long best_sum = -1;
    for (int f = 0; f < 5; ++f) {
      long sum = 0;
      for (const std::uint8_t v : candidates[static_cast<std::size_t>(f)]) {
        sum += v < 128 ? v : 256 - v;
      }
      if (best_sum < 0 || sum < best_sum) {
        best = f;
        best_sum = sum;
      }
    }
    out.push_back(static_cast<std::uint8_t>(best));
    const auto& chosen = candidates[static_cast<std::size_t>(best)];
    out.insert(out.end(), chosen.begin(), chosen.end());
  }
  return out;
}

}  // namespace

std::vector<std::uint8_t> encode_png(const Image& image) {
  const std::vector<std::uint8_t> raw = filtered_rows(image);
  std::vector<std::uint8_t> deflated(compressBound(static_cast<uLong>(raw.size())));
  uLongf deflated_size = static_cast<uLongf>(deflated.size());
  const int status =
      compress2(deflated.data(), &deflated_size, raw.data(), static_cast<uLong>(raw.size()), 6);
  if (status != Z_OK) {
    throw Error(ErrorKind::kIo,
                "cannot compress the image (zlib status " + std::to_string(status) + ")");
  }
  deflated.resize(deflated_size);

  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<std::uint8_t> header;
  put_u32(header, static_cast<std::uint32_t>(image.width()));
  put_u32(header, static_cast<std::uint32_t>(image.height()));
  header.insert(header.end(), {8, 2, 0, 0, 0});  // 8 bits, RGB, deflate, filters, no interlace
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", deflated);
  put_chunk(png, "IEND", {});
  return png;
}

}  // namespace libgrid::internal
