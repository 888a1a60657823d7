/*
 * The session API: log in (POST), read the current session (GET), log
 * out (DELETE) under /api/v1/session. Logins are throttled per login and
 * per client address, and every login, failed login and logout is
 * written to the audit log.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "auth/sessions.h"
#include "settings/settings.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/log.h"
#include "web/web.h"

static json_t *session_json(const char *login, const struct principal *who, const char *csrf)
{
    struct strbuf scope = STRBUF_INIT;
    json_t *v;

    scope_format(&who->scope, &scope);
    v = json_pack("{s:s, s:s, s:s, s:s}", "login", login, "role", role_name(who->role), "scope",
                  scope.buf, "csrf", csrf);
    sb_release(&scope);
    return v;
}

/* Records a failed attempt in login_attempts and the audit log. */
static int record_failure(struct request *req, const char *login, const char *why,
                          struct strbuf *err)
{
    if (login_attempt_record(req->db, login, req->client_ip, false, time(NULL), err) ||
        audit_record(req->db, login, "login_failed", req->client_ip, why, err))
        return -1;
    log_line(LOG_INFO, req->id, NULL, "login failed: %s", why);
    return 0;
}

void api_session_create(struct request *req)
{
    struct strbuf err = STRBUF_INIT;
    struct user user = {0};
    json_t *body = NULL;
    json_error_t jerr;
    const char *login, *password, *why;
    char token[TOKEN_HEX_SIZE], csrf[TOKEN_HEX_SIZE], *hours = NULL;
    bool throttled = false, found = false;
    int64_t lifetime, now = time(NULL);
    int match;

    /* Checks: a JSON object with two strings. */
    body = json_loadb(sb_str(&req->body), req->body.len, 0, &jerr);
    login = json_string_value(json_object_get(body, "login"));
    password = json_string_value(json_object_get(body, "password"));
    if (!json_is_object(body) || !login || !password) {
        web_error(req, 400, "bad_request",
                  N_("Send a JSON object with the strings \"login\" and \"password\"."));
        goto out;
    }

    /* A login that no account can have is recorded under one fixed name,
     * so that a long or odd string never reaches the audit log. */
    if (!login_is_valid(login))
        login = "(invalid)";

    /* Throttling comes before the password check, so that a locked-out
     * guesser learns nothing from further attempts. */
    if (login_throttled(req->db, login, req->client_ip, now, &throttled, &err))
        goto fail;
    if (throttled) {
        if (audit_record(req->db, login, "login_failed", req->client_ip, "throttled", &err))
            goto fail;
        web_error(req, 429, "too_many_requests",
                  N_("Too many failed logins; wait 15 minutes and try again."));
        goto out;
    }

    /* An unknown or disabled account costs the same scrypt time as a
     * wrong password and gets the same response. */
    if (user_find(req->db, login, &user, &found, &err))
        goto fail;
    if (!found || user.disabled) {
        password_burn_time(password);
        match = 0;
    } else {
        match = password_verify(password, user.password_hash, &err);
        if (match < 0)
            goto fail;
    }
    if (!match) {
        why = "wrong password";
        if (!found)
            why = "unknown login";
        else if (user.disabled)
            why = "disabled";
        if (record_failure(req, login, why, &err))
            goto fail;
        web_error(req, 401, "unauthorized", N_("The login or the password is wrong."));
        goto out;
    }

    /* Success: a new session and its cookie. */
    hours = setting_get(req->db, "server.session_hours", &err);
    if (!hours)
        goto fail;
    lifetime = strtoll(hours, NULL, 10) * 3600;
    if (login_attempt_record(req->db, user.login, req->client_ip, true, now, &err) ||
        session_create(req->db, user.login, now, lifetime, token, csrf, &err) ||
        audit_record(req->db, user.login, "login", req->client_ip, NULL, &err))
        goto fail;
    sb_addf(&req->resp.set_cookie, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld",
            SESSION_COOKIE, token, (long long)lifetime);
    req->has_session = true;
    memcpy(req->session.login, user.login, sizeof(user.login));
    log_line(LOG_INFO, req->id, user.login, "logged in");
    web_json(req, 200, session_json(user.login, &user.who, csrf));
    goto out;

fail:
    web_internal_error(req, "login", &err);
out:
    user_release(&user);
    free(hours);
    json_decref(body);
    sb_release(&err);
}

void api_session_get(struct request *req)
{
    web_json(req, 200, session_json(req->session.login, &req->session.who, req->session.csrf));
}

void api_session_delete(struct request *req)
{
    struct strbuf err = STRBUF_INIT;
    const char *token = web_cookie(req, SESSION_COOKIE);

    if (session_delete(req->db, token, &err) ||
        audit_record(req->db, req->session.login, "logout", req->client_ip, NULL, &err)) {
        web_internal_error(req, "logout", &err);
        goto out;
    }
    sb_addf(&req->resp.set_cookie, "%s=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
            SESSION_COOKIE);
    req->resp.status = 204;
    req->resp.content_type = NULL;
out:
    sb_release(&err);
}
