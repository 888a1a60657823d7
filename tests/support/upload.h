/*
 * Uploads and import jobs for end-to-end tests of "cairn serve":
 * multipart POST /api/v1/import over libcurl, an oversized body, and
 * polling GET /api/v1/import/ID until the job has ended.
 */
#ifndef CAIRN_TEST_UPLOAD_H
#define CAIRN_TEST_UPLOAD_H

#include <stddef.h>

#include <jansson.h>

#include "http.h"

/* One part of a multipart body: a file part when filename is set,
 * otherwise a text field. */
struct upload_part {
    const char *name;
    const char *filename;
    const char *data;
};

/* POSTs the parts to /api/v1/import with the Cookie header cookie and
 * X-CSRF-Token csrf (either may be NULL to leave it out). */
struct http http_upload(const char *base_url, const char *cookie, const char *csrf,
                        const struct upload_part *parts, size_t nparts);

/* POSTs a body of size bytes (zeros, declared in Content-Length) to
 * /api/v1/import as multipart/form-data. */
struct http http_upload_size(const char *base_url, const char *cookie, const char *csrf,
                             unsigned long long size);

/* Polls GET /api/v1/import/ID (twice a second, at most 30 seconds) until
 * the state is done or failed, and returns that response's JSON. Fails the
 * test otherwise. */
json_t *wait_for_job(const char *base_url, const char *cookie, long long id);

#endif
