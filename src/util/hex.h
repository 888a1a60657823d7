/*
 * Hexadecimal digits, for the decoders of %XX escapes and _xHHHH_ codes.
 */
#ifndef CAIRN_HEX_H
#define CAIRN_HEX_H

/* Returns the value of hexadecimal digit c (either case), or -1. */
static inline int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
