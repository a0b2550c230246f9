# The disclosure-control layer: cell suppression (primary rules, secondary suppression with LPs,
# audit) and the cell key method. LPs are solved with COIN-OR CLP (Eclipse Public License 2.0,
# Debian package coinor-libclp-dev); GLPK is not used (its GPL does not suit the library).
pkg_check_modules(CLP REQUIRED IMPORTED_TARGET clp)
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/disclosure/table_set.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/cube.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/primary.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/linear_system.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/lp.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/reduced_lp.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/attacker.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/complement.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/quantity.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/audit.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/suppression.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/ptable.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/cell_key.cpp
  ${PROJECT_SOURCE_DIR}/src/disclosure/state_tables.cpp
)
list(APPEND JAMSTAT_LAYER_LIBRARIES PkgConfig::CLP)
