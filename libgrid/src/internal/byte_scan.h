// The SSE2 step both CSV scans take: which of sixteen bytes are any of a few separators.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace libgrid::internal {

#if defined(__SSE2__)
// One bit per byte of the sixteen at `p` (bit i for p[i]), set where the byte is one of `Stops`.
// REQUIRES: sixteen readable bytes at p.
template <char... Stops>
unsigned separator_mask16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i any = _mm_setzero_si128();
  ((any = _mm_or_si128(any, _mm_cmpeq_epi8(v, _mm_set1_epi8(Stops)))), ...);
  return static_cast<unsigned>(_mm_movemask_epi8(any));
}
#endif

}  // namespace libgrid::internal
