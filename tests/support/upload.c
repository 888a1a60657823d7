/*
 * Test uploads to "cairn serve" (upload.h), with libcurl's MIME API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "support.h"
#include "upload.h"

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    char **buf = user;
    size_t old = *buf ? strlen(*buf) : 0;

    *buf = realloc(*buf, old + size * n + 1);
    memcpy(*buf + old, data, size * n);
    (*buf)[old + size * n] = '\0';
    return size * n;
}

/* A handle for POST base_url/api/v1/import with the session headers. */
static CURL *upload_handle(const char *base_url, const char *cookie, const char *csrf,
                           struct curl_slist **headers, struct http *h)
{
    CURL *c = curl_easy_init();
    char url[512], line[128];

    assert_non_null(c);
    snprintf(url, sizeof(url), "%s/api/v1/import", base_url);
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (cookie)
        curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
    if (csrf) {
        snprintf(line, sizeof(line), "X-CSRF-Token: %s", csrf);
        *headers = curl_slist_append(*headers, line);
    }
    *headers = curl_slist_append(*headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, *headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &h->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h->headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    return c;
}

struct http http_upload(const char *base_url, const char *cookie, const char *csrf,
                        const struct upload_part *parts, size_t nparts)
{
    struct http h = {0};
    struct curl_slist *headers = NULL;
    CURL *c = upload_handle(base_url, cookie, csrf, &headers, &h);
    curl_mime *mime = curl_mime_init(c);

    for (size_t i = 0; i < nparts; i++) {
        curl_mimepart *part = curl_mime_addpart(mime);

        curl_mime_name(part, parts[i].name);
        curl_mime_data(part, parts[i].data, CURL_ZERO_TERMINATED);
        if (parts[i].filename) {
            curl_mime_filename(part, parts[i].filename);
            curl_mime_type(part, "text/csv");
        }
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h.status);
    curl_mime_free(mime);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    if (!h.body)
        h.body = strdup("");
    return h;
}

static size_t zeros(char *buf, size_t size, size_t n, void *user)
{
    unsigned long long *left = user;
    size_t give = size * n < *left ? size * n : (size_t)*left;

    memset(buf, 0, give);
    *left -= give;
    return give;
}

struct http http_upload_size(const char *base_url, const char *cookie, const char *csrf,
                             unsigned long long size)
{
    struct http h = {0};
    struct curl_slist *headers = NULL;
    CURL *c = upload_handle(base_url, cookie, csrf, &headers, &h);
    unsigned long long left = size;
    CURLcode rc;

    headers = curl_slist_append(headers, "Content-Type: multipart/form-data; boundary=x");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, zeros);
    curl_easy_setopt(c, CURLOPT_READDATA, &left);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)size);
    rc = curl_easy_perform(c);
    /* The server may response and close before the whole body is sent. */
    assert_true(rc == CURLE_OK || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    if (!h.body)
        h.body = strdup("");
    return h;
}

json_t *wait_for_job(const char *base_url, const char *cookie, long long id)
{
    char path[64];

    snprintf(path, sizeof(path), "/api/v1/import/%lld", id);
    for (int i = 0; i < 60; i++) {
        struct http h = http_request(base_url, "GET", path, NULL, cookie, NULL);
        json_t *v = json_loads(h.body, 0, NULL);
        const char *state = json_string_value(json_object_get(v, "state"));

        assert_int_equal(h.status, 200);
        http_free(&h);
        assert_non_null(state);
        if (!strcmp(state, "done") || !strcmp(state, "failed"))
            return v;
        json_decref(v);
        usleep(500 * 1000);
    }
    fail_msg("import job %lld did not end within 30 seconds", id);
    return NULL;
}
