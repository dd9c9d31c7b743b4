# Debian packages through CPack (`cpack -G DEB` in a build directory, or scripts/package.sh):
#   mcpd          the host, its systemd unit, a commented /etc/mcpd/mcpd.json and the examples
#   mcpd-plugins  the shipped plugins (tracking, gemini) in /usr/lib/mcpd/plugins, where mcpd looks
#   mcpd-dev      the plugin SDK: the C ABI header, the C++ headers and the CMake package `mcpd`
# The shared libraries each package needs become its Depends through dpkg-shlibdeps (dpkg-dev).

set(mcpd_deploy_dir ${PROJECT_SOURCE_DIR}/deploy)
# Installing (and so packaging) needs only what is installed to be built, not the test suite:
# scripts/package.sh and the Dockerfile build the serving targets and install those.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# What the `runtime` component adds to the host binary (host/CMakeLists.txt installs that).
install(FILES ${mcpd_deploy_dir}/systemd/mcpd.service DESTINATION lib/systemd/system COMPONENT runtime)
# The one absolute path: only the package (and `cmake --install --component config`) writes /etc.
install(FILES ${PROJECT_SOURCE_DIR}/examples/mcpd.json DESTINATION /etc/mcpd COMPONENT config EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${mcpd_deploy_dir}/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mcpd COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mcpd/examples
        COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mcpd/docs
        COMPONENT runtime)
install(FILES ${mcpd_deploy_dir}/debian/copyright DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mcpd-plugins
        COMPONENT plugins)
install(FILES ${mcpd_deploy_dir}/debian/copyright DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mcpd-dev
        COMPONENT sdk)
# dpkg keeps an operator's edits of a conffile across upgrades.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/debian-runtime/conffiles "/etc/mcpd/mcpd.json\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mcpd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "the mcpd authors")
set(CPACK_PACKAGE_CONTACT "the mcpd authors <mcpd@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Line tables stay in the build tree (build/bin/mcpd) for reading stack traces; the packages carry
# stripped binaries (mcpd: 14 MB with line tables).
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# One package per group: the host and its configuration file are one package.
set(CPACK_COMPONENTS_ALL runtime config plugins sdk)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENT_RUNTIME_GROUP server)
set(CPACK_COMPONENT_CONFIG_GROUP server)
set(CPACK_COMPONENT_PLUGINS_GROUP plugins)
set(CPACK_COMPONENT_SDK_GROUP dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://modelcontextprotocol.io")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME mcpd)
set(CPACK_COMPONENT_GROUP_SERVER_DESCRIPTION
    "Model Context Protocol server host\n mcpd serves MCP over stdio and Streamable HTTP, in both eras of the\n protocol, with tools from plugins loaded through a stable C ABI and replaced\n while it serves. Includes a hardened systemd unit (not enabled on install).")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_BINARY_DIR}/debian-runtime/conffiles)

set(CPACK_DEBIAN_PLUGINS_PACKAGE_NAME mcpd-plugins)
set(CPACK_DEBIAN_PLUGINS_PACKAGE_DEPENDS "mcpd (= ${PROJECT_VERSION})")
set(CPACK_COMPONENT_GROUP_PLUGINS_DESCRIPTION
    "mcpd's shipped plugins: PostHog tracking and Gemini visual questions\n tracking: capture, sessions, recordings and their frames (decoded with\n FFmpeg), funnels and feature flags. gemini: questions about images and\n videos to Google Gemini or an OpenAI-compatible model.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME mcpd-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE all)  # headers and CMake files only
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "cmake (>= 3.25), g++ (>= 4:12) | clang (>= 1:14), libboost1.81-dev, libboost-json1.81-dev, libcpp-httplib-dev, libssl-dev")
set(CPACK_COMPONENT_GROUP_DEV_DESCRIPTION
    "SDK for mcpd plugins\n The C ABI header, the header-only C++ SDK and the CMake package `mcpd`\n (find_package(mcpd); mcpd_add_plugin) for building plugins out of tree.")

include(CPack)
