/*
 * Text encodings of foreign files: telling UTF-8, GB18030 and UTF-16
 * apart from a file's first bytes, and a stream that transcodes a file to
 * UTF-8 through iconv while remembering where in the original file an
 * invalid byte sequence sits.
 */
#ifndef CAIRN_DECODE_H
#define CAIRN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "readers/source.h"

/* How many bytes of a file encoding detection looks at. */
#define DECODE_SNIFF_BYTES (256 * 1024)

/* Incremental UTF-8 validation. Overlong forms, surrogates and code
 * points above U+10FFFF are invalid. Zero-initialise before use. */
struct utf8_check {
    int need;             /* continuation bytes still expected */
    unsigned char lo, hi; /* bounds of the next continuation byte */
};

/* Feeds one byte: returns 1 when it completes a multi-byte sequence, 0
 * when it is valid so far, -1 when it is invalid (the state is reset). */
int utf8_check_byte(struct utf8_check *u, unsigned char c);

struct sniff_result {
    enum source_encoding encoding;
    bool big_endian;      /* UTF-16 only */
    size_t bom_len;       /* bytes of byte order mark at the start */
    long valid_sequences; /* multi-byte UTF-8 sequences seen */
    long invalid_bytes;   /* bytes that broke UTF-8 */
    long zero_bytes;      /* zero bytes in the first KiB, without a BOM */
};

/*
 * Detects the encoding of the len bytes at the start of a file (complete:
 * they are the whole file). A byte order mark decides. Without one, text
 * whose first KiB is at least 1/32 zero bytes, nearly all at even
 * (big-endian) or at odd (little-endian) offsets, is UTF-16. Valid UTF-8
 * is UTF-8, and so is a complete file that is valid UTF-8 but for a
 * sequence cut off at its end. Text with invalid UTF-8 is still UTF-8 when its valid
 * multi-byte sequences are at least three times as many as its invalid
 * bytes, because that is a UTF-8 file with a stray byte, which is reported
 * when read. Anything else is GB18030.
 */
void decode_sniff(const unsigned char *buf, size_t len, bool complete, struct sniff_result *out);

/* For UTF-16 forced without a byte order mark: big-endian when the first
 * code unit has its zero byte first ("\0A"), little-endian otherwise. */
bool decode_guess_utf16_be(const unsigned char *buf, size_t len);

struct decoder;

/*
 * Returns a read-only stream of UTF-8 decoded from raw (positioned at the
 * start of the file) in the iconv encoding from, after skipping skip
 * bytes (a byte order mark). At an invalid or truncated sequence the
 * stream yields the text before it, then one 0xFF byte (never valid
 * UTF-8, so a UTF-8 checking reader stops exactly there), then ends. A
 * U+0000 character stops the stream the same way.
 * fclose of the stream frees the decoder but leaves raw open. NULL with a
 * message in err when iconv lacks the encoding.
 */
FILE *decoder_open(FILE *raw, const char *from, size_t skip, struct decoder **dec,
                   struct strbuf *err);

/* Whether the stream stopped at an invalid sequence; then *decoded_at is
 * the position of the 0xFF byte in the decoded stream and
 * *original_offset the byte offset of the sequence in the original file. */
bool decoder_failed(const struct decoder *dec, long long *decoded_at, long long *original_offset);
/* Whether that stop was at a U+0000 character rather than an invalid
 * sequence. */
bool decoder_zero_char(const struct decoder *dec);

#endif
