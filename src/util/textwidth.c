/*
 * Display width of UTF-8 text (textwidth.h), from ICU's character
 * properties.
 */
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "util/textwidth.h"

int text_width(const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = 0, n = 0, width = 0;

    while (p[n])
        n++;
    while (i < n) {
        UChar32 cp;
        int ea;

        U8_NEXT(p, i, n, cp);
        if (cp < 0) {
            width++; /* an invalid byte shows as one replacement character */
            continue;
        }
        if (u_getCombiningClass(cp) > 0 || u_charType(cp) == U_NON_SPACING_MARK)
            continue;
        ea = u_getIntPropertyValue(cp, UCHAR_EAST_ASIAN_WIDTH);
        width += ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
    }
    return width;
}

void print_cell(FILE *out, const char *s, int width, bool right)
{
    int pad = width - text_width(s);

    if (pad < 0)
        pad = 0;
    if (right)
        fprintf(out, "%*s%s", pad, "", s);
    else
        fprintf(out, "%s%*s", s, pad, "");
}
