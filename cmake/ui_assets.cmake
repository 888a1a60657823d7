# Embeds the web page files of ui/ into cairn_core at build time (no
# xxd needed): cmake/embed_ui.cmake writes them as C arrays.
file(GLOB CAIRN_UI_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/ui/*)
set(CAIRN_UI_C ${CMAKE_BINARY_DIR}/generated/ui_assets.c)
add_custom_command(OUTPUT ${CAIRN_UI_C}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DUI_DIR=${CMAKE_SOURCE_DIR}/ui -DOUT=${CAIRN_UI_C}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_ui.cmake
  DEPENDS ${CAIRN_UI_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_ui.cmake
  VERBATIM)
target_sources(cairn_core PRIVATE ${CAIRN_UI_C})
