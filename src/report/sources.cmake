# The report layer (issue 14): the report model, its builder and the CSV, JSON, Markdown and HTML
# writers. JSON is written with nlohmann-json (Debian nlohmann-json3-dev, header-only), linked
# privately into the objects only: no public header includes it, so neither the installed package
# nor its consumers need it.
find_package(nlohmann_json 3 REQUIRED)
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/report/texts.cpp
  ${PROJECT_SOURCE_DIR}/src/report/number_format.cpp
  ${PROJECT_SOURCE_DIR}/src/report/presentation.cpp
  ${PROJECT_SOURCE_DIR}/src/report/build_report.cpp
  ${PROJECT_SOURCE_DIR}/src/report/build_tables.cpp
  ${PROJECT_SOURCE_DIR}/src/report/build_findings.cpp
  ${PROJECT_SOURCE_DIR}/src/report/build_intersectional.cpp
  ${PROJECT_SOURCE_DIR}/src/report/csv_writer.cpp
  ${PROJECT_SOURCE_DIR}/src/report/json_writer.cpp
  ${PROJECT_SOURCE_DIR}/src/report/markdown_writer.cpp
  ${PROJECT_SOURCE_DIR}/src/report/svg_charts.cpp
  ${PROJECT_SOURCE_DIR}/src/report/html_writer.cpp
  ${PROJECT_SOURCE_DIR}/src/report/report_folder.cpp
  ${PROJECT_SOURCE_DIR}/src/report/standard_report.cpp
)
# The objects target is created after this file is read: link when the top-level directory is done.
cmake_language(DEFER CALL target_link_libraries jamstat_objects PRIVATE nlohmann_json::nlohmann_json)
