/*
 * An HTTP client for end-to-end tests of "cairn serve", over libcurl.
 */
#ifndef CAIRN_TEST_HTTP_H
#define CAIRN_TEST_HTTP_H

struct http {
    long status;
    char *body;    /* never NULL */
    char *headers; /* every response header line, CRLF kept */
};

/*
 * Sends one request to base_url + path. body (JSON) may be NULL; cookie
 * is a "name=value" Cookie header or NULL; extra_headers is a
 * NULL-terminated list of "Name: value" lines or NULL. Fails the test
 * when no response arrives.
 */
struct http http_request(const char *base_url, const char *method, const char *path,
                         const char *body, const char *cookie, const char *const *extra_headers);
void http_free(struct http *h);

/* The value of a response header (first occurrence) as a new string, or
 * NULL when it is absent. */
char *http_header(const struct http *h, const char *name);

/* Checks a JSON error response: the status, exactly
 * {"error":{"code":code,"message":string}}, and its content type. */
void http_assert_error(const struct http *h, long status, const char *code);

#endif
