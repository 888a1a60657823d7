/*
 * Password hashing with scrypt (OpenSSL's EVP_PBE_scrypt). A stored hash
 * carries its own parameters, "scrypt$LOG2N$R$P$SALT$HASH" with salt and
 * hash in lowercase hex, so the cost can be raised later without
 * invalidating existing passwords.
 */
#ifndef CAIRN_AUTH_PASSWORD_H
#define CAIRN_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Shortest password that "cairn user add" and "cairn user passwd" accept. */
#define PASSWORD_MIN_LENGTH 8

/*
 * Hashes password with a fresh 16-byte random salt at the current cost
 * (N = 2^15, r = 8, p = 1). Returns a new string the caller frees, or
 * NULL with a message in err.
 */
char *password_hash(const char *password, struct strbuf *err);

/*
 * Checks password against a stored hash in constant time. Returns 1 when
 * it matches, 0 when it does not, -1 with a message in err when stored is
 * malformed or its parameters exceed the limits below.
 */
int password_verify(const char *password, const char *stored, struct strbuf *err);

/* Runs one scrypt at the current cost and discards the result, so that a
 * login for an unknown account takes as long as one for a real account. */
void password_burn_time(const char *password);

/* Writes len random bytes from OpenSSL's RAND_bytes as lowercase hex into
 * hex (2 * len + 1 bytes). Returns 0, or -1 when the generator fails. */
int random_hex(char *hex, size_t len);

/* The SHA-256 of text as 64 lowercase hex digits plus NUL. */
void sha256_hex(const char *text, char hex[65]);

#endif
