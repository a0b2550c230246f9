// Sex coded per ISO/IEC 5218, the built-in first dimension of every schema.
#pragma once

#include <cstdint>

#include "jamstat/engine/dimension.hpp"

namespace jamstat::iso5218 {

/// The four codes of ISO/IEC 5218. They are the codes Swedish registers use as well.
inline constexpr std::int32_t not_known = 0;
inline constexpr std::int32_t male = 1;
inline constexpr std::int32_t female = 2;
inline constexpr std::int32_t not_applicable = 9;

/// Name of the built-in sex dimension; it is always dimension 0 of a schema.
inline constexpr const char* dimension_name = "sex";

/// The sex dimension ("Kön" / "Sex") with its four levels in code order (0, 1, 2, 9), labelled
/// Okänt/Män/Kvinnor/Ej tillämpligt and Not known/Men/Women/Not applicable.
const dimension& sex_dimension();

}  // namespace jamstat::iso5218
