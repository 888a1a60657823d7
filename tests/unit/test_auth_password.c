/*
 * scrypt password hashes, tokens and digests of src/auth/password.c.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "auth/password.h"

static void hash_roundtrip(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char *h1 = password_hash("correct horse", &err), *h2 = password_hash("correct horse", &err);

    (void)state;
    assert_non_null(h1);
    assert_non_null(h2);
    /* scrypt$15$8$1$ + 32 hex salt + $ + 64 hex hash */
    assert_int_equal(strncmp(h1, "scrypt$15$8$1$", 14), 0);
    assert_int_equal(strlen(h1), 14 + 32 + 1 + 64);
    assert_string_not_equal(h1, h2); /* fresh salt each time */
    assert_int_equal(password_verify("correct horse", h1, &err), 1);
    assert_int_equal(password_verify("correct horse", h2, &err), 1);
    assert_int_equal(password_verify("correct hors", h1, &err), 0);
    assert_int_equal(password_verify("", h1, &err), 0);
    free(h1);
    free(h2);
    sb_release(&err);
}

static void malformed_hashes(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char *h = password_hash("password1", &err);
    char *copy;

    (void)state;
    assert_int_equal(password_verify("password1", "", &err), -1);
    assert_int_equal(password_verify("password1", "bcrypt$xyz", &err), -1);
    assert_int_equal(password_verify("password1", "scrypt$15$8$1$00$00", &err), -1);
    /* A cost above the accepted limit (2^21) is refused, not computed. */
    copy = strdup(h);
    memcpy(copy + 7, "21", 2);
    assert_int_equal(password_verify("password1", copy, &err), -1);
    /* A flipped hash digit is a mismatch, not an error. */
    memcpy(copy, h, strlen(h));
    copy[strlen(copy) - 1] = copy[strlen(copy) - 1] == '0' ? '1' : '0';
    assert_int_equal(password_verify("password1", copy, &err), 0);
    /* Uppercase hex is not what Cairn writes. */
    memcpy(copy, h, strlen(h));
    copy[20] = 'A';
    assert_int_equal(password_verify("password1", copy, &err), -1);
    free(copy);
    free(h);
    sb_release(&err);
}

static void tokens_and_digests(void **state)
{
    char a[65], b[65], digest[65];

    (void)state;
    assert_int_equal(random_hex(a, 32), 0);
    assert_int_equal(random_hex(b, 32), 0);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    assert_int_equal(strspn(a, "0123456789abcdef"), 64);
    /* SHA-256("abc") from FIPS 180-2, appendix B.1 */
    sha256_hex("abc", digest);
    assert_string_equal(digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_roundtrip),
        cmocka_unit_test(malformed_hashes),
        cmocka_unit_test(tokens_and_digests),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
