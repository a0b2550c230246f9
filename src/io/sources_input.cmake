# The input layer of issue 14 (CSV reader, schema file, personnummer, CSV -> aggregator).
# nlohmann-json (Debian nlohmann-json3-dev) reads schema files. It is header-only and used only
# inside src/io/*.cpp, so it is a build-time dependency only: wrapped in BUILD_INTERFACE it does
# not appear in the installed package's link interface (consumers need not have it).
find_package(nlohmann_json 3 REQUIRED)
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/io/number_text.cpp
  ${PROJECT_SOURCE_DIR}/src/io/personnummer.cpp
  ${PROJECT_SOURCE_DIR}/src/io/text_utilities.cpp
  ${PROJECT_SOURCE_DIR}/src/io/byte_source.cpp
  ${PROJECT_SOURCE_DIR}/src/io/decoded_buffer.cpp
  ${PROJECT_SOURCE_DIR}/src/io/record_scanner.cpp
  ${PROJECT_SOURCE_DIR}/src/io/csv_preamble.cpp
  ${PROJECT_SOURCE_DIR}/src/io/csv_reader.cpp
  ${PROJECT_SOURCE_DIR}/src/io/schema_file.cpp
  ${PROJECT_SOURCE_DIR}/src/io/input_errors.cpp
  ${PROJECT_SOURCE_DIR}/src/io/ingest_plan.cpp
  ${PROJECT_SOURCE_DIR}/src/io/reject_output.cpp
  ${PROJECT_SOURCE_DIR}/src/io/csv_ingest.cpp
)
list(APPEND JAMSTAT_LAYER_LIBRARIES $<BUILD_INTERFACE:nlohmann_json::nlohmann_json>)
