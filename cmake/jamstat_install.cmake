# Installation: headers, the shared and static libraries, a CMake package (find_package(jamstat)
# gives jamstat::jamstat, the C ABI shared library, and jamstat::jamstat_static, which also
# carries the C++ API) and a pkg-config file (jamstat.pc).
include(CMakePackageConfigHelpers)

install(DIRECTORY include/jamstat DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(TARGETS jamstat_shared jamstat_static EXPORT jamstat_targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(JAMSTAT_BUILD_CLI)
  install(TARGETS jamstat_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT jamstat_targets NAMESPACE jamstat:: FILE jamstat-targets.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jamstat)
configure_package_config_file(cmake/jamstat-config.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/jamstat-config.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jamstat)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/jamstat-config-version.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/jamstat-config.cmake ${CMAKE_CURRENT_BINARY_DIR}/jamstat-config-version.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jamstat)
file(RELATIVE_PATH JAMSTAT_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(cmake/jamstat.pc.in ${CMAKE_CURRENT_BINARY_DIR}/jamstat.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/jamstat.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
