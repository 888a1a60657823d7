/*
 * Route handlers' use of the response cache (cache.h): building the key
 * from the caller and the request, serving a hit, and storing a fresh
 * response. The key starts with the caller's role and account scope, so
 * callers with different access never share an entry.
 */
#include "auth/scope.h"
#include "web/cache.h"
#include "web/web.h"

int web_cache_lookup(struct request *req, const char *route, const char *query,
                     struct strbuf *key, int64_t *generation)
{
    struct strbuf err = STRBUF_INIT;

    if (cache_generation(req->db, generation, &err)) {
        web_internal_error(req, "reading the data generation", &err);
        sb_release(&err);
        return -1;
    }
    sb_addf(key, "%s|%s|", route, role_name(req->session.who.role));
    scope_format(&req->session.who.scope, key);
    sb_addf(key, "|%s", query);
    if (!cache_get(key->buf, *generation, &req->resp.body))
        return 0;
    req->resp.status = 200;
    req->resp.content_type = "application/json; charset=utf-8";
    return 1;
}

void web_cache_store(const struct request *req, const char *key, int64_t generation)
{
    if (req->resp.status == 200)
        cache_put(key, generation, req->resp.body.buf, req->resp.body.len);
}
