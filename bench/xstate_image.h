// A 64-byte aligned buffer in the XSAVE standard format, sized for a layout: what patterns are
// built in, what registers are read into, and what the XSAVE family writes. Also the architectural
// init values and the byte ranges of each component that carry state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/xstate.h"

namespace fpubench {

class XstateImage {
 public:
  explicit XstateImage(uint32_t size);
  explicit XstateImage(const XstateLayout& layout);
  XstateImage(const XstateImage& other);
  XstateImage& operator=(const XstateImage& other);

  uint8_t* data() { return bytes_.get(); }
  const uint8_t* data() const { return bytes_.get(); }
  uint32_t size() const { return size_; }
  uint64_t xstate_bv() const;
  uint64_t xcomp_bv() const;
  void set_xstate_bv(uint64_t v);
  void set_xcomp_bv(uint64_t v);
  void clear();

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  uint32_t size_;
  std::unique_ptr<uint8_t, Free> bytes_;
};

// [offset, offset+length) in the standard format that holds a component's architectural state.
// Reserved bytes and fields the CPU may not store (FOP/FIP/FDP on AMD) are left out.
struct ByteRange {
  uint32_t offset, length;
};
std::vector<ByteRange> significant_bytes(const XstateLayout& layout, unsigned component);

// Every component of `mask` in its architectural init state, XSTATE_BV = 0.
XstateImage make_init_image(const XstateLayout& layout);

// A unique, reproducible, non-init pattern for every component of `mask`, derived from `seed`
// (different seeds give different bytes everywhere). XSTATE_BV = mask. MXCSR keeps its default
// and PKRU keeps key 0 accessible, so code running with the pattern loaded behaves normally.
XstateImage make_pattern(const XstateLayout& layout, uint64_t mask, uint64_t seed);

// The same state in standard format: components whose XSTATE_BV bit is clear replaced by their
// init values, and a compacted image (XCOMP_BV bit 63) expanded.
XstateImage to_standard(const XstateLayout& layout, const XstateImage& saved, uint64_t mask);

struct Mismatch {
  unsigned component = 0;
  uint32_t offset = 0;                  // from the start of the component's standard-format area
  std::string expected_hex, found_hex;  // up to 16 bytes from the first differing one
  std::string describe() const;
};

// First difference between two standard-format images over the components of `mask`.
std::optional<Mismatch> compare_images(const XstateLayout& layout, const XstateImage& expected,
                                       const XstateImage& found, uint64_t mask);

}  // namespace fpubench
