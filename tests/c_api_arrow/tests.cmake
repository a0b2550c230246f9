# The Arrow C Data Interface entry point (jamstat_aggregator_add_arrow), exercised from a program
# compiled as strict C11 against the shared library, with hand-built ArrowSchema/ArrowArray
# structures. Registered as tests/CMakeLists.txt's jamstat_add_c_test does; that function is
# defined after the layer test files are included, so this file cannot call it (once it is defined
# before them, this is `jamstat_add_c_test(jamstat_c_arrow_test c_api/arrow_test.c c_api.arrow)`).
add_executable(jamstat_c_arrow_test ${PROJECT_SOURCE_DIR}/tests/c_api/arrow_test.c)
set_target_properties(jamstat_c_arrow_test PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(jamstat_c_arrow_test PRIVATE -Wall -Wextra -Werror -pedantic)
target_include_directories(jamstat_c_arrow_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/c_api)
target_link_libraries(jamstat_c_arrow_test PRIVATE jamstat_shared m)
add_test(NAME c_api.arrow COMMAND jamstat_c_arrow_test)
set_tests_properties(c_api.arrow PROPERTIES PASS_REGULAR_EXPRESSION "c_api: [0-9]+ passed, 0 failed")
