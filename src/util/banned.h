/*
 * Functions that must not appear in Cairn's code, made compile errors.
 * sprintf/strcpy/strcat overflow silently, strtok keeps hidden state,
 * localtime/gmtime return shared static buffers (unsafe in the server's
 * threads), and atoi/atol hide parse errors. Use the strbuf builder,
 * snprintf, strtoll with end checks, and the date module instead.
 */
#ifndef CAIRN_BANNED_H
#define CAIRN_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_cairn

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)

#endif
