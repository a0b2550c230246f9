/* A tiny integrator: builds a schema, adds two records, reads the total back. Built against the
   installed tree with find_package(jamstat) and with pkg-config. Prints "consumer ok N". */
#include <stdio.h>

#include <jamstat/jamstat.h>

int main(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL;
  jamstat_table *t = NULL;
  jamstat_cell_counts counts = JAMSTAT_CELL_COUNTS_INIT;
  const int32_t codes[2] = {1, 2};
  const char *sv[2] = {"Coachning", "Praktik"}, *en[2] = {"Coaching", "Placement"};
  const int32_t women[2] = {JAMSTAT_SEX_FEMALE, 1}, men[2] = {JAMSTAT_SEX_MALE, 2}, outcome[1] = {1};
  const double hours[1] = {10.0};
  if (jamstat_abi_version() != JAMSTAT_ABI_VERSION) return 3;
  if (jamstat_schema_builder_new(&b) || jamstat_schema_builder_add_dimension(b, "intervention", 2, codes, sv, en) ||
      jamstat_schema_builder_add_outcome(b, "in_work", "I arbete", "In work") ||
      jamstat_schema_builder_add_numeric(b, "hours", "h", "Timmar", "Hours") || jamstat_schema_build(b, &s) ||
      jamstat_aggregator_new(s, NULL, &a) || jamstat_aggregator_add(a, women, 2, outcome, 1, hours, 1, NULL, NULL) ||
      jamstat_aggregator_add(a, men, 2, outcome, 1, hours, 1, NULL, NULL) || jamstat_rollup(a, NULL, 0, &t) ||
      jamstat_table_cell_counts(t, 0, &counts)) {
    fprintf(stderr, "consumer: %s\n", jamstat_last_error_message());
    return 1;
  }
  printf("consumer ok %llu\n", (unsigned long long)counts.participations);
  jamstat_table_free(&t);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
  jamstat_schema_builder_free(&b);
  return counts.participations == 2 ? 0 : 1;
}
