#pragma once

namespace tkb {
inline constexpr const char* kVersion = "0.1.0";
}
