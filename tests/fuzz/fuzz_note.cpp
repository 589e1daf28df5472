// libFuzzer entry point: see targets.hpp. Built by scripts/fuzz (-DTKB_FUZZ=ON, clang).
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tkb::fuzz::note(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
