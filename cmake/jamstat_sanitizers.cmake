# With JAMSTAT_SANITIZE=ON every target is built and linked with ASan + UBSan, and UBSan findings
# abort (so ctest fails on them instead of printing and carrying on).
if(JAMSTAT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
