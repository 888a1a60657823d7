/*
 * scrypt password hashes, random tokens and SHA-256 digests, all through
 * OpenSSL's libcrypto.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "auth/password.h"
#include "util/i18n.h"
#include "util/xalloc.h"

enum {
    SCRYPT_LOG2_N = 15,
    SCRYPT_R = 8,
    SCRYPT_P = 1,
    SALT_BYTES = 16,
    HASH_BYTES = 32,
    /* Upper bounds accepted from a stored hash, so that a tampered row
     * cannot make one login allocate gigabytes or run for minutes. */
    MAX_LOG2_N = 20,
    MAX_R = 32,
    MAX_P = 16,
};

static void to_hex(const unsigned char *bytes, size_t len, char *hex)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 15];
    }
    hex[2 * len] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes exactly len bytes of lowercase hex from hex (which must end
 * there, at '$' or NUL). Returns 0, or -1 for malformed input. */
static int from_hex(const char *hex, unsigned char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = hex_value(hex[2 * i]), lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -1;
        bytes[i] = (unsigned char)(hi << 4 | lo);
    }
    return hex[2 * len] == '\0' || hex[2 * len] == '$' ? 0 : -1;
}

/* scrypt needs about 128 * r * N bytes; allow twice that. */
static uint64_t scrypt_memory(unsigned log2_n, unsigned r)
{
    return 2 * 128 * (uint64_t)r * ((uint64_t)1 << log2_n) + (1u << 20);
}

static int derive(const char *password, const unsigned char *salt, unsigned log2_n, unsigned r,
                  unsigned p, unsigned char *key)
{
    return EVP_PBE_scrypt(password, strlen(password), salt, SALT_BYTES, (uint64_t)1 << log2_n, r,
                          p, scrypt_memory(log2_n, r), key, HASH_BYTES) == 1
               ? 0
               : -1;
}

char *password_hash(const char *password, struct strbuf *err)
{
    unsigned char salt[SALT_BYTES], key[HASH_BYTES];
    char salt_hex[2 * SALT_BYTES + 1], key_hex[2 * HASH_BYTES + 1];
    struct strbuf out = STRBUF_INIT;

    if (RAND_bytes(salt, sizeof(salt)) != 1) {
        sb_addf(err, _("the random number generator failed"));
        return NULL;
    }
    if (derive(password, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, key)) {
        sb_addf(err, _("scrypt failed"));
        return NULL;
    }
    to_hex(salt, sizeof(salt), salt_hex);
    to_hex(key, sizeof(key), key_hex);
    OPENSSL_cleanse(key, sizeof(key));
    sb_addf(&out, "scrypt$%d$%d$%d$%s$%s", SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt_hex, key_hex);
    return sb_detach(&out);
}

/* Reads a decimal number in [1, max] followed by '$'; advances *p. */
static int read_param(const char **p, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(*p, &end, 10);

    if (end == *p || *end != '$' || v < 1 || v > max)
        return -1;
    *out = (unsigned)v;
    *p = end + 1;
    return 0;
}

int password_verify(const char *password, const char *stored, struct strbuf *err)
{
    unsigned log2_n, r, p;
    unsigned char salt[SALT_BYTES], want[HASH_BYTES], got[HASH_BYTES];
    const char *s = stored;
    int same;

    if (strncmp(s, "scrypt$", 7) != 0)
        goto malformed;
    s += 7;
    if (read_param(&s, MAX_LOG2_N, &log2_n) || read_param(&s, MAX_R, &r) ||
        read_param(&s, MAX_P, &p))
        goto malformed;
    if (from_hex(s, salt, SALT_BYTES) || s[2 * SALT_BYTES] != '$')
        goto malformed;
    s += 2 * SALT_BYTES + 1;
    if (from_hex(s, want, HASH_BYTES) || s[2 * HASH_BYTES] != '\0')
        goto malformed;

    if (derive(password, salt, log2_n, r, p, got)) {
        sb_addf(err, _("scrypt failed"));
        return -1;
    }
    same = CRYPTO_memcmp(got, want, HASH_BYTES) == 0;
    OPENSSL_cleanse(got, sizeof(got));
    return same;

malformed:
    sb_addf(err, _("the stored password hash is malformed; set the password again with 'cairn user passwd'"));
    return -1;
}

void password_burn_time(const char *password)
{
    unsigned char salt[SALT_BYTES] = {0}, key[HASH_BYTES];

    (void)derive(password, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, key);
}

int random_hex(char *hex, size_t len)
{
    unsigned char *bytes = xmalloc(len);
    int rc = RAND_bytes(bytes, (int)len) == 1 ? 0 : -1;

    if (rc == 0)
        to_hex(bytes, len, hex);
    OPENSSL_cleanse(bytes, len);
    free(bytes);
    return rc;
}

void sha256_hex(const char *text, char hex[65])
{
    unsigned char digest[SHA256_DIGEST_LENGTH];

    SHA256((const unsigned char *)text, strlen(text), digest);
    to_hex(digest, sizeof(digest), hex);
}
