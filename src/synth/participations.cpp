// A C++ port of shared/peers/gen/gen_participations.c, kept step for step in the same order of
// random draws and floating-point operations (this file is compiled without FMA contraction)
// so that its output matches the reference hashes. See shared/peers/README.md for the spec.
#include "jamstat/synth/participations.hpp"

#include <bit>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <stdexcept>

namespace jamstat::synth {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t mix64(std::uint64_t z) noexcept {  // stateless splitmix64 finaliser
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class xoshiro256ss {
 public:
  explicit xoshiro256ss(std::uint64_t seed) noexcept {
    for (auto& word : s_) word = splitmix64(seed);
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double u01() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint64_t uniform_below(std::uint64_t n) noexcept {
    __extension__ typedef unsigned __int128 u128;  // GCC/Clang; the reference uses __uint128_t
    return static_cast<std::uint64_t>((static_cast<u128>(next()) * n) >> 64);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

double u01_of(std::uint64_t h) noexcept { return static_cast<double>(h >> 11) * 0x1.0p-53; }

int categorical(double u, const double* p, int k) noexcept {
  double c = 0.0;
  for (int i = 0; i < k - 1; ++i) {
    c += p[i];
    if (u < c) return i;
  }
  return k - 1;
}

constexpr double p_sex[3] = {0.02, 0.47, 0.51};
constexpr double p_age[6] = {0.08, 0.21, 0.19, 0.25, 0.16, 0.11};
constexpr double p_region[3] = {0.64, 0.12, 0.24};
constexpr double p_edu_by_region[3][4] = {{0.20, 0.48, 0.28, 0.04}, {0.27, 0.38, 0.27, 0.08}, {0.38, 0.24, 0.20, 0.18}};
constexpr double p_edu_age0[4] = {0.60, 0.32, 0.01, 0.07};
constexpr double w_int_female[12] = {18, 6, 9, 8, 5, 4, 6, 2, 9, 10, 8, 15};
constexpr double w_int_male[12] = {16, 12, 10, 6, 3, 6, 9, 4, 5, 11, 10, 8};
constexpr double b0 = -0.35;
constexpr double b_sex[3] = {-0.25, 0.10, 0.00};
constexpr double b_age[6] = {0.35, 0.30, 0.20, 0.00, -0.20, -0.65};
constexpr double b_region[3] = {0.30, 0.00, -0.40};
constexpr double b_int[12] = {-0.10, 0.45, 0.20, 0.10, 0.05, 0.70, 0.90, 0.60, -0.50, -0.40, 0.15, -0.20};
constexpr double h_int[12] = {40, 380, 260, 220, 120, 900, 700, 150, 180, 320, 200, 25};
constexpr double h_sex[3] = {1.00, 1.08, 0.93};
constexpr double h_sigma = 0.9;

}  // namespace

participations generate(std::uint64_t n, std::uint64_t seed) {
  if (n == 0 || n > 2000000000ULL) throw std::invalid_argument("synth::generate: N must be in 1..2e9");
  xoshiro256ss rng(seed);
  const std::uint64_t person_salt = mix64(seed ^ 0x5E85A17ULL);
  const std::uint64_t persons = (n * 5) / 8;

  std::vector<std::uint32_t> perm(n);
  for (std::uint64_t i = 0; i < n; ++i) perm[i] = static_cast<std::uint32_t>(i);
  for (std::uint64_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.uniform_below(i + 1)]);

  double cum_int[3][12];
  for (int sx = 0; sx < 3; ++sx) {
    double tot = 0;
    for (int k = 0; k < 12; ++k) {
      const double w = sx == 2 ? w_int_female[k] : sx == 1 ? w_int_male[k] : 0.5 * (w_int_female[k] + w_int_male[k]);
      cum_int[sx][k] = w;
      tot += w;
    }
    for (int k = 0; k < 12; ++k) cum_int[sx][k] /= tot;
  }

  participations p;
  p.person_id.resize(n);
  p.sex.resize(n);
  p.age_band.resize(n);
  p.birth_region.resize(n);
  p.education.resize(n);
  p.intervention.resize(n);
  p.outcome.resize(n);
  p.hours.resize(n);
  p.distinct_persons = persons;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t pidx = perm[i] < persons ? perm[i] : rng.uniform_below(persons);
    const auto person_id = static_cast<std::uint32_t>(pidx * 2654435761ULL + 0x2545F491ULL);
    const std::uint64_t h1 = mix64(pidx ^ person_salt), h2 = mix64(h1);
    const int sex = categorical(u01_of(h1), p_sex, 3);
    const int region = categorical(u01_of(h2), p_region, 3);
    const int age = categorical(rng.u01(), p_age, 6);
    const int edu = categorical(rng.u01(), age == 0 ? p_edu_age0 : p_edu_by_region[region], 4);
    const int inter = categorical(rng.u01(), cum_int[sex], 12);
    const double logit = b0 + b_sex[sex] + b_age[age] + b_region[region] + b_int[inter];
    const double prob = 1.0 / (1.0 + std::exp(-logit));
    const int outcome = rng.u01() < prob;
    const double ua = rng.u01(), ub = rng.u01();
    const double z = std::sqrt(-2.0 * std::log(1.0 - ua)) * std::cos(2.0 * std::numbers::pi * ub);
    const double mean = h_int[inter] * h_sex[sex];
    const double mu = std::log(mean) - 0.5 * h_sigma * h_sigma;
    std::int64_t cents = std::llround(std::exp(mu + h_sigma * z) * 100.0);
    if (cents < 1) cents = 1;
    p.person_id[i] = person_id;
    p.sex[i] = static_cast<std::uint8_t>(sex);
    p.age_band[i] = static_cast<std::uint8_t>(age);
    p.birth_region[i] = static_cast<std::uint8_t>(region);
    p.education[i] = static_cast<std::uint8_t>(edu);
    p.intervention[i] = static_cast<std::uint8_t>(inter);
    p.outcome[i] = static_cast<std::uint8_t>(outcome);
    p.hours[i] = static_cast<double>(cents) / 100.0;
  }
  return p;
}

namespace {

char* put_unsigned(char* out, std::uint64_t v) noexcept {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *out++ = tmp[--n];
  return out;
}

}  // namespace

std::string to_csv(const participations& p) {
  std::string csv = "person_id,sex,age_band,birth_region,education,intervention,outcome,hours\n";
  csv.reserve(csv.size() + p.size() * 32);
  char line[128];
  for (std::size_t i = 0; i < p.size(); ++i) {
    // hours = cents / 100 exactly as generated, so llround recovers the cents
    const auto cents = static_cast<std::uint64_t>(std::llround(p.hours[i] * 100.0));
    char* q = put_unsigned(line, p.person_id[i]);
    for (const std::uint8_t v : {p.sex[i], p.age_band[i], p.birth_region[i], p.education[i]}) {
      *q++ = ',';
      q = put_unsigned(q, v);
    }
    *q++ = ',';
    q = put_unsigned(q, p.intervention[i]);
    *q++ = ',';
    q = put_unsigned(q, p.outcome[i]);
    *q++ = ',';
    q = put_unsigned(q, cents / 100);
    *q++ = '.';
    *q++ = static_cast<char>('0' + (cents % 100) / 10);
    *q++ = static_cast<char>('0' + cents % 10);
    *q++ = '\n';
    csv.append(line, static_cast<std::size_t>(q - line));
  }
  return csv;
}

std::uint64_t fnv1a64(std::span<const std::uint8_t> bytes) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const std::uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001B3ULL;
  }
  return h;
}

namespace {

template <class T>
std::span<const std::uint8_t> bytes_of(const std::vector<T>& v) {
  // The raw column files are little-endian; so is every platform this is built on (checked).
  static_assert(std::endian::native == std::endian::little, "raw columns are written little-endian");
  return {reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * sizeof(T)};
}

void write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

void write_files(const participations& p, std::uint64_t seed, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::string csv = to_csv(p);
  write_file(dir / "participations.csv", {reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size()});
  const std::pair<const char*, std::span<const std::uint8_t>> columns[] = {
      {"person_id.u32", bytes_of(p.person_id)}, {"sex.u8", bytes_of(p.sex)},
      {"age_band.u8", bytes_of(p.age_band)},    {"birth_region.u8", bytes_of(p.birth_region)},
      {"education.u8", bytes_of(p.education)},  {"intervention.u8", bytes_of(p.intervention)},
      {"outcome.u8", bytes_of(p.outcome)},      {"hours.f64", bytes_of(p.hours)}};
  std::uint64_t count_sex[3] = {0, 0, 0}, sum_outcome = 0;
  double sum_hours = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    ++count_sex[p.sex[i]];
    sum_outcome += p.outcome[i];
    sum_hours += p.hours[i];
  }
  std::ofstream meta(dir / "meta.txt");
  meta << "generator jamstat synth::generate (port of gen_participations.c)\nN " << p.size() << "\nseed " << seed
       << "\ndistinct_persons " << p.distinct_persons << "\ncount_sex0 " << count_sex[0] << "\ncount_sex1 "
       << count_sex[1] << "\ncount_sex2 " << count_sex[2] << "\nsum_outcome " << sum_outcome << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "sum_hours %.6f\n", sum_hours);
  meta << buf;
  for (const auto& [name, bytes] : columns) {
    write_file(dir / name, bytes);
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(bytes)));
    meta << "fnv1a64 " << name << " " << buf << "\n";
  }
  if (!meta) throw std::runtime_error("cannot write " + (dir / "meta.txt").string());
}

namespace {

std::shared_ptr<const schema> make_participation_schema(measure_kind hours_kind) {
  return std::make_shared<const schema>(
      std::vector<dimension>{
          dimension("age_band", {{0, "16–19 år", "16–19 years"},
                                 {1, "20–24 år", "20–24 years"},
                                 {2, "25–29 år", "25–29 years"},
                                 {3, "30–39 år", "30–39 years"},
                                 {4, "40–49 år", "40–49 years"},
                                 {5, "50–64 år", "50–64 years"}},
                    "Åldersgrupp", "Age band"),
          dimension("birth_region", {{0, "Sverige", "Sweden"},
                                     {1, "Europa utom Sverige", "Europe except Sweden"},
                                     {2, "Utanför Europa", "Outside Europe"}}, "Födelseregion", "Region of birth"),
          dimension("education", {{0, "Förgymnasial", "Compulsory"},
                                  {1, "Gymnasial", "Upper secondary"},
                                  {2, "Eftergymnasial", "Post-secondary"},
                                  {3, "Uppgift saknas", "Unknown"}}, "Utbildningsnivå", "Education"),
          dimension("intervention", {{0, "Jobbsökarstöd / coachning", "Job-search assistance / coaching"},
                                     {1, "Arbetsmarknadsutbildning", "Labour-market training"},
                                     {2, "Arbetspraktik", "Work-experience placement"},
                                     {3, "Förberedande utbildning", "Preparatory education"},
                                     {4, "Studiemotiverande kurs", "Study-motivation course"},
                                     {5, "Lönebidragsanställning", "Wage-subsidy employment"},
                                     {6, "Nystartsjobb / introduktionsjobb", "New-start / introduction job"},
                                     {7, "Stöd till start av näringsverksamhet", "Start-up support"},
                                     {8, "Rehabilitering / arbetsförmågebedömning", "Rehabilitation / work-capacity assessment"},
                                     {9, "Jobb- och utvecklingsgarantin", "Job and development guarantee"},
                                     {10, "Jobbgarantin för ungdomar", "Youth job guarantee"},
                                     {11, "Vägledning / studie- och yrkesvägledning", "Guidance / career counselling"}}, "Insats", "Intervention"),
      },
      std::vector<outcome>{{"in_work_or_studies", "I arbete eller studier", "In work or studies"}},
      std::vector<numeric_measure>{hours_kind == measure_kind::decimal
                                       ? numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, 0.0, 99999.99)
                                       : numeric_measure::floating("hours", "h", "Timmar", "Hours", 0.0, 99999.99)});
}

}  // namespace

std::shared_ptr<const schema> participation_schema(measure_kind hours_kind) {
  static const std::shared_ptr<const schema> decimal_hours = make_participation_schema(measure_kind::decimal);
  static const std::shared_ptr<const schema> floating_hours = make_participation_schema(measure_kind::floating);
  return hours_kind == measure_kind::decimal ? decimal_hours : floating_hours;
}

column_batch as_batch(const participations& p, std::size_t first, std::size_t count) {
  first = std::min(first, p.size());
  count = std::min(count, p.size() - first);
  column_batch b;
  b.rows = count;
  for (const auto* column : {&p.sex, &p.age_band, &p.birth_region, &p.education, &p.intervention})
    b.codes.emplace_back(std::span<const std::uint8_t>(column->data() + first, count));
  b.outcomes.emplace_back(std::span<const std::uint8_t>(p.outcome.data() + first, count));
  b.numerics.emplace_back(std::span<const double>(p.hours.data() + first, count));
  b.persons = std::span<const std::uint32_t>(p.person_id.data() + first, count);
  return b;
}

}  // namespace jamstat::synth
