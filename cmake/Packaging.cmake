# `cpack -G DEB` in a build folder (scripts/package.sh): one Debian package, `cllm`, holding the command
# line, the workbench (its German translation is compiled in), a .desktop entry and the icon. Its
# Depends come from dpkg-shlibdeps over the two binaries, so they name exactly the libraries they link.
install(FILES ${PROJECT_SOURCE_DIR}/resources/cllm-workbench.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/cllm-workbench.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/cllm)

set(CPACK_PACKAGE_NAME cllm)
set(CPACK_PACKAGE_VENDOR "CLLM Workbench developers")
set(CPACK_PACKAGE_CONTACT "CLLM Workbench developers <cllm-workbench@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Train, inspect and sample small language models on a CPU")
set(CPACK_PACKAGE_DESCRIPTION
    "CLLM Workbench trains decoder-only transformers on a CPU and shows what they learn: live loss charts, the token embeddings and the prime lattice in 3-D, and a sampling panel (cllm-workbench, Qt 6). cllm is its command line: training, evaluation, generation, benchmarks and checkpoint inspection.")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# shlibdeps names the libopenblas0 metapackage, whose default is the pthread build; the OpenMP one shares
# the engine's thread runtime (README "Dependencies"). Mesa's drivers let the 3-D view run anywhere
# (a virtual display too).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libgl1-mesa-dri")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # cllm_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/cllm-workbench/cllm")
set(CPACK_STRIP_FILES ON)
include(CPack)
