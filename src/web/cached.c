/*
 * Route handlers' use of the response cache (cache.h): building the key
 * from the caller and the request, serving a hit, and storing a fresh
 * response. The key starts with the caller's role and account scope, so
 * callers with different access never share an entry.
 *
 * The lookup comes before the scope check. That is safe because an entry
 * is stored only after a request passed the check, and the check depends
 * only on the account's scope, the requested scope and the units and
 * employees in the database. The key contains the first two, and the
 * data generation changes with every import that could change the third.
 */
#include "auth/scope.h"
#include "web/cache.h"
#include "web/web.h"

int web_cache_lookup(struct request *req, const char *route, const char *query,
                     struct strbuf *key, int64_t *generation)
{
    struct strbuf err = STRBUF_INIT;
    const char *scope = web_query(req, "scope"), *as_of = web_query(req, "as_of");
    char today[DATE_BUFSIZE];
    cdate day;

    if (cache_generation(req->db, generation, &err)) {
        web_internal_error(req, "reading the data generation", &err);
        sb_release(&err);
        return -1;
    }

    /* Caller, requested scope (the caller's own without one), as-of date
     * (today without one), then the route's other arguments. */
    sb_addf(key, "%s|%s|", route, role_name(req->session.who.role));
    scope_format(&req->session.who.scope, key);
    sb_addch(key, '|');
    if (scope)
        sb_add(key, scope);
    else
        scope_format(&req->session.who.scope, key);
    sb_addch(key, '|');
    if (as_of) {
        sb_add(key, as_of);
    } else {
        if (web_as_of(req, &day))
            return -1;
        date_format(day, today);
        sb_add(key, today);
    }
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
