#include "jamstat/engine/iso5218.hpp"

namespace jamstat::iso5218 {

const dimension& sex_dimension() {
  static const dimension sex{dimension_name,
                             {{not_known, "Okänt", "Not known"},
                              {male, "Män", "Men"},
                              {female, "Kvinnor", "Women"},
                              {not_applicable, "Ej tillämpligt", "Not applicable"}},
                             "Kön",
                             "Sex"};
  return sex;
}

}  // namespace jamstat::iso5218
