/*
 * A local stand-in for the WeCom, DingTalk and Feishu robot webhooks and
 * an SMTP server for the delivery tests. The robot receiver is a
 * libmicrohttpd server on 127.0.0.1 (port chosen by the system) running
 * in the test's own process. It records every request and responds from
 * a script of responses, then with {"errcode":0,"errmsg":"ok"} (and
 * {"code":0,"msg":"success"} on /feishu). The SMTP server is Debian's
 * python3-aiosmtpd writing each message into a Maildir.
 */
#ifndef CAIRN_TEST_DELIVERY_RECEIVER_H
#define CAIRN_TEST_DELIVERY_RECEIVER_H

#include <stddef.h>
#include <sys/types.h>

#define RECEIVER_MAX_REQUESTS 64
#define RECEIVER_MAX_SCRIPT   8

struct received_request {
    char path[64];         /* "/wecom", "/dingtalk", "/feishu", ... */
    char *query_timestamp; /* the timestamp and sign query parameters, or NULL */
    char *query_sign;
    char *content_type;
    char *body;
};

struct scripted_response {
    char path[64];
    unsigned status;
    char body[256];
};

struct receiver {
    struct MHD_Daemon *daemon;
    int port;
    char base_url[64]; /* "http://127.0.0.1:PORT" */
    struct received_request requests[RECEIVER_MAX_REQUESTS];
    size_t nrequests;
    struct scripted_response script[RECEIVER_MAX_SCRIPT];
    size_t nscript;
};

/* Starts the receiver; fails the test when it cannot. */
void receiver_start(struct receiver *r);
/* Stops it and frees the recorded requests. */
void receiver_stop(struct receiver *r);
/* Queues status and body as the response to the next request to path. */
void receiver_script(struct receiver *r, const char *path, unsigned status, const char *body);
/* Number of requests recorded for path. */
size_t receiver_count(const struct receiver *r, const char *path);
/* The n-th (0-based) request to path; fails the test when there is none. */
const struct received_request *receiver_request(const struct receiver *r, const char *path,
                                                size_t n);

struct smtp_sink {
    pid_t pid;
    int port;
    char *root;    /* temporary folder holding the Maildir */
    char *maildir; /* messages arrive in maildir/new */
};

/* Starts /usr/bin/python3 -m aiosmtpd with the Mailbox handler on a free
 * port of 127.0.0.1 and waits until it accepts connections. */
void smtp_sink_start(struct smtp_sink *s);
void smtp_sink_stop(struct smtp_sink *s);
/* The messages received so far, sorted by file name; each a new string.
 * Returns the count. */
size_t smtp_sink_messages(const struct smtp_sink *s, char ***out);

/* The value of header name in an e-mail message (LF or CRLF line ends),
 * unfolded; NULL when absent. A new string. */
char *mail_header(const char *message, const char *name);
/* Decodes RFC 2047 "B" encoded words (=?UTF-8?B?...?=), joining adjacent
 * ones, and copies other text. A new string. */
char *mail_decode_words(const char *value);
/* The body of a message whose body is base64, decoded. A new string. */
char *mail_body_base64(const char *message);

#endif
