// std::visit helper: overloaded{[](A) {...}, [](B) {...}} (internal).
#pragma once

namespace jamstat {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace jamstat
