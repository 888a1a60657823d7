#!/bin/sh
# Brings the message catalogs up to date with the sources: for each folder
# src/ROOM, extracts its translatable strings and merges them into
# po/LANG/ROOM.po (new entries arrive untranslated, and the catalog tests
# catalog/<lang>_complete fail until they are translated for zh_CN, ja
# and es).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in src/*/; do
    room=$(basename "$dir")
    files=$(find "$dir" -name '*.c' | sort)
    # main.c belongs to the command-line room.
    [ "$room" = cli ] && files="$files src/main.c"
    [ -n "$files" ] || continue
    # shellcheck disable=SC2086
    xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --no-location --sort-output \
        --add-comments=TRANSLATORS -o "$tmp/$room.pot" $files
    [ -f "$tmp/$room.pot" ] || continue
    for lang in zh_CN ja es; do
        po="po/$lang/$room.po"
        if [ -f "$po" ]; then
            msgmerge --quiet --update --backup=none --no-fuzzy-matching --sort-output \
                --no-location "$po" "$tmp/$room.pot"
        else
            msginit --no-translator --no-wrap --locale="$lang.UTF-8" -i "$tmp/$room.pot" -o "$po" 2>/dev/null
            sed -i "s/charset=ASCII/charset=UTF-8/" "$po"
        fi
    done
done
