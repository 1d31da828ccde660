#include "bench/xstate_image.h"

#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

namespace fpubench {
namespace {

constexpr uint32_t kFcw = 0, kFsw = 2, kFtw = 4, kMxcsr = 24, kStRegs = 32, kXmmRegs = 160;
constexpr uint16_t kFcwDefault = 0x037f;
constexpr uint32_t kMxcsrDefault = 0x1f80;

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <typename T>
void put(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

std::string hex(const uint8_t* p, uint32_t n) {
  std::string s;
  char b[3];
  for (uint32_t i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%02x", p[i]);
    s += b;
  }
  return s;
}

}  // namespace

XstateImage::XstateImage(uint32_t size) : size_((size + 63) / 64 * 64) {
  bytes_.reset(static_cast<uint8_t*>(std::aligned_alloc(64, size_)));
  if (!bytes_) throw std::bad_alloc();
  clear();
}
XstateImage::XstateImage(const XstateLayout& layout) : XstateImage(layout.standard_size(~uint64_t{0})) {}
XstateImage::XstateImage(const XstateImage& o) : XstateImage(o.size_) {
  std::memcpy(data(), o.data(), size_);
}
XstateImage& XstateImage::operator=(const XstateImage& o) {
  if (this != &o) {
    XstateImage copy(o);
    std::swap(size_, copy.size_);
    std::swap(bytes_, copy.bytes_);
  }
  return *this;
}
void XstateImage::clear() { std::memset(data(), 0, size_); }
uint64_t XstateImage::xstate_bv() const {
  uint64_t v;
  std::memcpy(&v, data() + kXsaveHeaderOffset, 8);
  return v;
}
uint64_t XstateImage::xcomp_bv() const {
  uint64_t v;
  std::memcpy(&v, data() + kXsaveHeaderOffset + 8, 8);
  return v;
}
void XstateImage::set_xstate_bv(uint64_t v) { std::memcpy(data() + kXsaveHeaderOffset, &v, 8); }
void XstateImage::set_xcomp_bv(uint64_t v) { std::memcpy(data() + kXsaveHeaderOffset + 8, &v, 8); }

std::vector<ByteRange> significant_bytes(const XstateLayout& layout, unsigned id) {
  switch (id) {
    case kX87: {
      // FCW, FSW, abridged FTW, and the 80 bits of each ST register. FOP/FIP/FDP are left out:
      // AMD CPUs store them only when an x87 exception is pending.
      std::vector<ByteRange> r{{kFcw, 2}, {kFsw, 2}, {kFtw, 1}};
      for (uint32_t i = 0; i < 8; ++i) r.push_back({kStRegs + 16 * i, 10});
      return r;
    }
    case kSseState: return {{kMxcsr, 4}, {kXmmRegs, 256}};
    case kPkruState: return {{layout.find(id)->offset, 4}};
    default: {
      const XstateComponent* c = layout.find(id);
      if (!c) throw std::runtime_error(component_name(id) + " is not enabled on this CPU");
      return {{c->offset, c->size}};
    }
  }
}

XstateImage make_init_image(const XstateLayout& layout) {
  XstateImage img(layout);
  put<uint16_t>(img.data() + kFcw, kFcwDefault);
  put<uint32_t>(img.data() + kMxcsr, kMxcsrDefault);
  return img;
}

XstateImage make_pattern(const XstateLayout& layout, uint64_t mask, uint64_t seed) {
  XstateImage img = make_init_image(layout);
  uint64_t state = seed * 0x2545f4914f6cdd1dull + 1;
  auto fill = [&](uint32_t offset, uint32_t length) {
    for (uint32_t i = 0; i < length; i += 8) {
      uint64_t v = splitmix64(state);
      std::memcpy(img.data() + offset + i, &v, std::min<uint32_t>(8, length - i));
    }
  };
  mask &= layout.xcr0;
  for (unsigned id = 0; id < 64; ++id) {
    if (!(mask & component_bit(id))) continue;
    uint8_t* base = img.data();
    switch (id) {
      case kX87:
        // Eight valid, normal extended-precision numbers; all tags "valid".
        put<uint16_t>(base + kFcw, kFcwDefault);
        put<uint8_t>(base + kFtw, 0xff);
        for (uint32_t i = 0; i < 8; ++i) {
          uint64_t mantissa = splitmix64(state) | (uint64_t{1} << 63);
          uint16_t sign_exp = uint16_t(0x3ff0 + (splitmix64(state) & 0x1f)) | uint16_t((i & 1) << 15);
          put(base + kStRegs + 16 * i, mantissa);
          put(base + kStRegs + 16 * i + 8, sign_exp);
        }
        break;
      case kSseState: fill(kXmmRegs, 256); break;
      case kPkruState:
        // Keys 1..15 get pattern bits; key 0 (all ordinary memory) stays accessible.
        put<uint32_t>(base + layout.find(id)->offset, uint32_t(splitmix64(state)) & ~3u);
        break;
      case kXtilecfg: {
        uint8_t* cfg = base + layout.find(id)->offset;
        cfg[0] = 1;  // palette 1: eight tiles of up to 16 rows x 64 bytes
        for (int t = 0; t < 8; ++t) {
          put<uint16_t>(cfg + 16 + 2 * t, 64);
          cfg[48 + t] = 16;
        }
        break;
      }
      default: {
        const XstateComponent* c = layout.find(id);
        fill(c->offset, c->size);
      }
    }
  }
  // Tile data is only meaningful with a tile configuration to go with it.
  if ((mask & component_bit(kXtiledata)) && !(mask & component_bit(kXtilecfg)))
    throw std::invalid_argument("an XTILEDATA pattern needs XTILECFG in the mask too");
  img.set_xstate_bv(mask);
  return img;
}

XstateImage to_standard(const XstateLayout& layout, const XstateImage& saved, uint64_t mask) {
  XstateImage out = make_init_image(layout);
  uint64_t bv = saved.xstate_bv();
  bool compacted = saved.xcomp_bv() & kXcompBvCompacted;
  // The standard format stores MXCSR whenever SSE or AVX is requested; the compacted one skips it
  // when both are in init state, which includes MXCSR at its default.
  uint64_t mxcsr_owners = component_bit(kSseState) | component_bit(kAvxState);
  if (!compacted || (bv & mxcsr_owners)) std::memcpy(out.data() + kMxcsr, saved.data() + kMxcsr, 4);
  for (unsigned id = 0; id < 64; ++id) {
    if (!(mask & component_bit(id)) || !(bv & component_bit(id))) continue;
    if (id < 2) {
      for (const ByteRange& r : significant_bytes(layout, id))
        std::memcpy(out.data() + r.offset, saved.data() + r.offset, r.length);
      continue;
    }
    const XstateComponent* c = layout.find(id);
    uint32_t from = compacted ? layout.compacted_offset(id, saved.xcomp_bv()) : c->offset;
    std::memcpy(out.data() + c->offset, saved.data() + from, c->size);
  }
  out.set_xstate_bv(bv & mask);
  return out;
}

std::string Mismatch::describe() const {
  return component_name(component) + " differs at byte " + std::to_string(offset) + ": expected " +
         expected_hex + ", found " + found_hex;
}

std::optional<Mismatch> compare_images(const XstateLayout& layout, const XstateImage& expected,
                                       const XstateImage& found, uint64_t mask) {
  for (unsigned id = 0; id < 64; ++id) {
    if (!(mask & component_bit(id))) continue;
    uint32_t base = id < 2 ? 0 : layout.find(id)->offset;
    for (const ByteRange& r : significant_bytes(layout, id)) {
      for (uint32_t i = 0; i < r.length; ++i) {
        uint32_t at = r.offset + i;
        if (expected.data()[at] == found.data()[at]) continue;
        uint32_t n = std::min<uint32_t>(16, r.length - i);
        return Mismatch{id, at - base, hex(expected.data() + at, n), hex(found.data() + at, n)};
      }
    }
  }
  return std::nullopt;
}

}  // namespace fpubench
