# The intersectional analyses (MAIHDA) and the Oaxaca-Blinder decomposition (issue 12).
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/analysis/maihda_design.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/theta_search.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/gauss_hermite.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/maihda_linear.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/maihda_logistic.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/intersectional_auc.cpp
)
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/analysis/oaxaca_blinder_moments.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/oaxaca_blinder_design.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/oaxaca_terms.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/oaxaca_blinder.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/oaxaca_blinder_logit.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/intersectional_rollup.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/intersectional_table.cpp
)
