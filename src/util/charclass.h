/*
 * Classes of Unicode characters in UTF-8 text (from ICU's general
 * categories), for checking names that people type and files they upload.
 */
#ifndef CAIRN_UTIL_CHARCLASS_H
#define CAIRN_UTIL_CHARCLASS_H

#include <stdbool.h>
#include <stddef.h>

enum char_class {
    CHAR_INVALID, /* bad UTF-8, a surrogate, private-use or unassigned code point */
    CHAR_CONTROL, /* C0 and C1 controls (NUL too), line and paragraph separators */
    CHAR_FORMAT,  /* invisible format characters: zero-width space, bidi controls */
    CHAR_LETTER,  /* letters of any script and their combining marks */
    CHAR_DIGIT,   /* numbers of any script */
    CHAR_SPACE,   /* space separators */
    CHAR_OTHER,   /* punctuation and symbols */
};

/* Classifies the character that starts at text[*at] (len bytes in all) and
 * moves *at past it. Call it only with *at < len. */
enum char_class char_class_next(const char *text, size_t len, size_t *at);

/* Whether text (len bytes) has no control, format or invalid character. */
bool text_is_visible(const char *text, size_t len);

#endif
