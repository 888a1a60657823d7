/*
 * Character classes of UTF-8 text (charclass.h).
 */
#include <stdint.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "util/charclass.h"

enum char_class char_class_next(const char *text, size_t len, size_t *at)
{
    const uint8_t *p = (const uint8_t *)text;
    int32_t i = (int32_t)*at, n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    UChar32 cp;

    U8_NEXT(p, i, n, cp);
    *at = (size_t)i;
    if (cp < 0)
        return CHAR_INVALID;
    switch (u_charType(cp)) {
    case U_CONTROL_CHAR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
        return CHAR_CONTROL;
    case U_FORMAT_CHAR:
        return CHAR_FORMAT;
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
        return CHAR_LETTER;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
        return CHAR_DIGIT;
    case U_SPACE_SEPARATOR:
        return CHAR_SPACE;
    case U_SURROGATE:
    case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED:
        return CHAR_INVALID;
    default:
        return CHAR_OTHER;
    }
}

bool text_is_visible(const char *text, size_t len)
{
    size_t at = 0;

    while (at < len) {
        enum char_class c = char_class_next(text, len, &at);

        if (c == CHAR_INVALID || c == CHAR_CONTROL || c == CHAR_FORMAT)
            return false;
    }
    return true;
}
