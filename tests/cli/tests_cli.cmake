# End-to-end tests of the jamstat command (src/cli): each command run as a process on small files
# in a temporary folder; exit statuses, messages, and the states it writes checked against the
# library. Needs the command itself (JAMSTAT_BUILD_CLI).
if(TARGET jamstat_cli)
  add_executable(jamstat_cli_tests ${PROJECT_SOURCE_DIR}/tests/cli/cli_test.cpp)
  target_include_directories(jamstat_cli_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/io_input ${PROJECT_SOURCE_DIR}/src/cli)
  target_compile_definitions(jamstat_cli_tests PRIVATE JAMSTAT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                             JAMSTAT_COMMAND="$<TARGET_FILE:jamstat_cli>")
  target_link_libraries(jamstat_cli_tests PRIVATE jamstat_static jamstat_synth GTest::gtest_main)
  add_dependencies(jamstat_cli_tests jamstat_cli)
  jamstat_set_warnings(jamstat_cli_tests)
  gtest_discover_tests(jamstat_cli_tests DISCOVERY_TIMEOUT 60)
endif()
