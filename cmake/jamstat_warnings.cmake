# jamstat_set_warnings(target): the project's warning set; -Werror when JAMSTAT_WERROR is on.
#
# GCC 12 at -O3 reports -Wrestrict false positives inside libstdc++ for `"text" + std::string&&`
# (GCC bug 105329/105651: the inlined insert is misread as an overlapping memcpy); they broke the
# bindings' plain Release build three times. -Wrestrict is kept on every other compiler and
# optimisation level, where it is still reported.
function(jamstat_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion $<$<BOOL:${JAMSTAT_WERROR}>:-Werror>)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CONFIG:Release>>:-Wno-restrict>)
  endif()
endfunction()
