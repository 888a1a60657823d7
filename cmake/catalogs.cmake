# Message catalogs. Each language has a folder po/<lang>/ with one .po
# file per capability, so that work on separate capabilities never edits
# the same file; they are merged with msgcat and compiled with msgfmt into
# <build>/locale/<lang>/LC_MESSAGES/cairn.mo, where the binary finds them
# beside itself. English is the msgid language; its catalog is generated
# with msgen so that every language goes through the same lookup.
find_program(MSGCAT msgcat REQUIRED)
find_program(MSGFMT msgfmt REQUIRED)
find_program(MSGEN msgen REQUIRED)
find_program(XGETTEXT xgettext REQUIRED)
find_program(MSGCMP msgcmp REQUIRED)

set(CAIRN_LANGS zh_CN ja es)
set(CAIRN_MO_FILES)
foreach(lang ${CAIRN_LANGS})
  file(GLOB po_parts CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/${lang}/*.po)
  set(merged ${CMAKE_BINARY_DIR}/po/${lang}.po)
  set(mo ${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES/cairn.mo)
  add_custom_command(OUTPUT ${merged}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/po
    COMMAND ${MSGCAT} --force-po --use-first -o ${merged} ${po_parts}
    DEPENDS ${po_parts} VERBATIM)
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES
    COMMAND ${MSGFMT} --check-format -o ${mo} ${merged}
    DEPENDS ${merged} VERBATIM)
  list(APPEND CAIRN_MO_FILES ${mo})
  install(FILES ${mo} DESTINATION share/locale/${lang}/LC_MESSAGES)
endforeach()

# English: every msgid translated to itself (the Chinese texts are
# emptied first, then msgen fills each entry with its msgid).
find_program(MSGFILTER msgfilter REQUIRED)
set(en_mo ${CMAKE_BINARY_DIR}/locale/en/LC_MESSAGES/cairn.mo)
add_custom_command(OUTPUT ${en_mo}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/locale/en/LC_MESSAGES
  COMMAND ${MSGFILTER} --force-po --keep-header -i ${CMAKE_BINARY_DIR}/po/zh_CN.po
          -o ${CMAKE_BINARY_DIR}/po/en-empty.po sed -e d
  COMMAND ${MSGEN} --force-po -o ${CMAKE_BINARY_DIR}/po/en.po ${CMAKE_BINARY_DIR}/po/en-empty.po
  COMMAND ${MSGFMT} -o ${en_mo} ${CMAKE_BINARY_DIR}/po/en.po
  DEPENDS ${CMAKE_BINARY_DIR}/po/zh_CN.po VERBATIM)
list(APPEND CAIRN_MO_FILES ${en_mo})
install(FILES ${en_mo} DESTINATION share/locale/en/LC_MESSAGES)

add_custom_target(catalogs ALL DEPENDS ${CAIRN_MO_FILES})

# The template of every translatable string in the sources, for
# translators and for the completeness test.
file(GLOB_RECURSE CAIRN_ALL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/*.c)
add_custom_target(pot
  COMMAND ${XGETTEXT} --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=ngettext:1,2
          --add-comments=TRANSLATORS --no-location -o ${CMAKE_BINARY_DIR}/po/cairn.pot
          ${CAIRN_ALL_SOURCES}
  VERBATIM)
