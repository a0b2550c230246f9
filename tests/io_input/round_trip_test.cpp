// CSV written by synth::to_csv, ingested through the example schema file, gives byte for byte
// the state of the same data added as columns (synth::as_batch) with the decimal schema.
#include <gtest/gtest.h>

#include <sstream>

#include "jamstat/io/csv_ingest.hpp"
#include "jamstat/io/schema_file.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/synth/participations.hpp"
#include "test_files.hpp"

namespace jamstat::io {
namespace {

using testing::example;
using testing::temp_folder;

std::vector<std::uint8_t> state_of_columns(const synth::participations& p, const schema_file& sf) {
  aggregator agg(synth::participation_schema(measure_kind::decimal), aggregator_options_for(sf));
  agg.add_batch(synth::as_batch(p));
  return write_state(agg);
}

TEST(RoundTrip, ExampleSchemaFileIsTheSynthSchema) {
  testing::set_test_key();
  const schema_file sf = read_schema_file(example("participations.schema.json"));
  EXPECT_TRUE(*sf.schema == *synth::participation_schema(measure_kind::decimal));
  ASSERT_TRUE(sf.person_id.has_value());
  EXPECT_EQ(sf.person_id->form, person_id_form::integer);
  EXPECT_EQ(sf.report.outcome, "in_work_or_studies");
}

TEST(RoundTrip, CsvIngestEqualsColumnarBatchByteForByte) {
  testing::set_test_key();
  const schema_file sf = read_schema_file(example("participations.schema.json"));
  const synth::participations p = synth::generate(20000, 7);
  temp_folder dir;
  const auto csv = dir.write("participations.csv", synth::to_csv(p));
  const auto expected = state_of_columns(p, sf);
  for (const bool fast : {true, false}) {
    for (const unsigned threads : {1u, 2u}) {
      aggregator agg(sf.schema, aggregator_options_for(sf));
      ingest_options options;
      options.fast_path = fast;
      options.threads = threads;
      options.min_bytes_per_thread = 4096;
      options.batch_rows = 3000;
      options.block_bytes = 4096;  // many refills: lines cut at every block boundary
      const csv_input inputs[] = {csv_input::file(csv)};
      const ingest_result r = ingest_csv(agg, sf, inputs, options);
      EXPECT_EQ(r.rows_accepted, p.size());
      EXPECT_EQ(r.rows_rejected, 0u);
      EXPECT_EQ(write_state(agg), expected) << "fast " << fast << " threads " << threads;
      EXPECT_EQ(r.inputs[0].threads, threads);
    }
  }
}

}  // namespace
}  // namespace jamstat::io
