/*
 * The test HTTP client: one libcurl easy handle per request, with the
 * body and the header lines collected into strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "http.h"
#include "support.h"

static size_t append(char *data, size_t size, size_t n, void *user)
{
    char **buf = user;
    size_t old = *buf ? strlen(*buf) : 0;

    *buf = realloc(*buf, old + size * n + 1);
    memcpy(*buf + old, data, size * n);
    (*buf)[old + size * n] = '\0';
    return size * n;
}

struct http http_request(const char *base_url, const char *method, const char *path,
                         const char *body, const char *cookie, const char *const *extra_headers)
{
    struct http h = {0};
    struct curl_slist *list = NULL;
    char url[512];
    CURL *c = curl_easy_init();

    assert_non_null(c);
    snprintf(url, sizeof(url), "%s%s", base_url, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        list = curl_slist_append(list, "Content-Type: application/json");
    }
    if (cookie)
        curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
    for (size_t i = 0; extra_headers && extra_headers[i]; i++)
        list = curl_slist_append(list, extra_headers[i]);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &h.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h.headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    if (!h.body)
        h.body = strdup("");
    return h;
}

void http_free(struct http *h)
{
    free(h->body);
    free(h->headers);
    h->body = h->headers = NULL;
}

char *http_header(const struct http *h, const char *name)
{
    size_t n = strlen(name);

    for (const char *line = h->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");

        if (!end)
            break;
        if (!strncasecmp(line, name, n) && line[n] == ':') {
            const char *v = line + n + 1;

            while (*v == ' ')
                v++;
            return strndup(v, (size_t)(end - v));
        }
        line = end + 2;
    }
    return NULL;
}

void http_assert_error(const struct http *h, long status, const char *code)
{
    json_error_t jerr;
    json_t *v = json_loads(h->body, 0, &jerr), *error;
    char *type = http_header(h, "Content-Type");

    if (h->status != status)
        fprintf(stderr, "status %ld, body %s\n", h->status, h->body);
    assert_int_equal(h->status, status);
    assert_non_null(v);
    assert_int_equal(json_object_size(v), 1);
    error = json_object_get(v, "error");
    assert_int_equal(json_object_size(error), 2);
    assert_string_equal(json_string_value(json_object_get(error, "code")), code);
    assert_non_null(json_string_value(json_object_get(error, "message")));
    assert_non_null(type);
    assert_string_equal(type, "application/json; charset=utf-8");
    free(type);
    json_decref(v);
}
