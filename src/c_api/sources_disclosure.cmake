# The C ABI of disclosure control (jamstat_protected_tables_*): protected tables column-wise.
list(APPEND JAMSTAT_LAYER_SOURCES ${PROJECT_SOURCE_DIR}/src/c_api/disclosure_api.cpp)
