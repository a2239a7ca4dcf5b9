/* tool.h - internal interfaces of the warta command-line tool, grouped by file. */
#ifndef WARTA_TOOL_H
#define WARTA_TOOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto_bulletin.h"
#include "roster.h"
#include "store.h"

/* Exit codes shared by all subcommands (verify adds its own, see cmd_verify.c). */
#define EXIT_MALFORMED 3    /* input that is not a well-formed bulletin, key, proof or JSON */
#define EXIT_USAGE 64       /* bad flags or arguments (sysexits EX_USAGE) */
#define EXIT_DATAERR 65     /* input that is not what it should be (EX_DATAERR) */
#define EXIT_NOINPUT 66     /* an input file cannot be read (EX_NOINPUT) */
#define EXIT_UNAVAILABLE 69 /* the node does not answer (EX_UNAVAILABLE) */
#define EXIT_CANTCREAT 73   /* an output file cannot be created (EX_CANTCREAT) */
#define EXIT_PENDING 75     /* the node holds it until its predecessor arrives (EX_TEMPFAIL) */

/* verdict.c: the answer of warta verify (and of the gateway's POST /v1/verify). Each result is
 * also verify's exit code (documented in README and --help). */
enum verify_result {
    VERIFY_VALID = 0,
    VERIFY_BAD_SIGNATURE = 1,
    VERIFY_WRONG_KEY = 2,
    VERIFY_MALFORMED = 3,
    VERIFY_EXPIRED = 4,
    VERIFY_UNTRUSTED = 5, /* authentic, but the roster does not let this key say this */
};
struct tool_verdict {
    int result;              /* enum verify_result */
    char msg[512];           /* why, when not valid (begins with `where`) */
    struct proto_bulletin *b; /* decoded, unless malformed (views into the raw bytes) */
    bool has_office;         /* a notice the roster trusts: office names its issuer */
    struct roster_office office;
};
/* Judge raw[0..len): issued by pk (NULL: whoever the roster says), signature, expiry at `at`,
 * and with ro the trust rules; ro is left as it was. Returns v->result; free with
 * tool_verdict_free. */
int tool_verdict(const uint8_t *raw, size_t len, const uint8_t *pk, roster *ro, uint64_t at,
                 const char *where, struct tool_verdict *v);
/* {"valid", "result", "message", "bulletin", "issuer_office"}: verify --json's answer. */
json_t *tool_verdict_json(const struct tool_verdict *v, const uint8_t *raw, size_t len);
void tool_verdict_free(struct tool_verdict *v);
const char *tool_verify_name(int result);
/* An office, its regions and delegation path (wpk1 keys, then the root) as JSON. */
json_t *tool_office_json(const struct roster_office *w);

/* cmd_*.c: one subcommand each; argv[0] is the subcommand name. */
int cmd_keygen(int argc, char **argv);
int cmd_pubkey(int argc, char **argv);
int cmd_sign(int argc, char **argv);
/* warta report / warta receipt: warta sign --kind report / receipt. */
int cmd_report(int argc, char **argv);
int cmd_receipt(int argc, char **argv);
int cmd_chain(int argc, char **argv);
/* cmd_chain.c: 0 if KEYFILE.chain is not behind the key's chain in the node's store at dir;
 * else an exit code, after saying so and how to recover. */
int tool_chain_check(const char *key, const uint8_t *pk, const char *dir);
int cmd_verify(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_inbox(int argc, char **argv);
int cmd_desk(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* stats.c: the figures of warta stats and /v1/stats as JSON (NULL, *err -1, if the store cannot
 * be read or memory runs out), at time at (ms). */
json_t *tool_stats(store *s, roster *ro, uint64_t at, int *err);
/* inbox.c: the reports of store s within scope[0..n_scope) (none: all) that ro trusts, as
 * {"reports": [...], "open": N} (each report's JSON with "state", "answered_by", "reporter",
 * "group"): open first (urgent, then oldest), answered ones too when all, a claim's reports
 * together. NULL, *err -1, if the store cannot be read or memory runs out. */
json_t *tool_inbox(store *s, roster *ro, const struct proto_str *scope, size_t n_scope, bool all,
                   uint64_t at, int *err);
/* The regions of office's delegation in force, appended to scope (*n of them; room for
 * PROTO_ROSTER_MAX_REGIONS): false if the roster has no such office in force. */
bool tool_office_scope(roster *ro, const char *office, struct proto_str *scope, size_t *n);
int cmd_get(int argc, char **argv);
int cmd_roster(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* audit.c: the whole store checked, read-only (warta audit). */
enum audit_problem {
    AUDIT_DAMAGED,          /* stored bytes that do not decode */
    AUDIT_BAD_SIGNATURE,    /* stored bytes whose signature fails: altered after signing */
    AUDIT_INDEX_REWRITTEN,  /* an index or chain entry that points at other bytes */
    AUDIT_UNINDEXED,        /* stored bytes no index entry points at */
    AUDIT_MISSING,          /* an index or chain entry whose bytes are gone */
    AUDIT_GAP,              /* sequence numbers missing from an issuer's chain */
    AUDIT_BROKEN_LINK,      /* a bulletin whose previous id is not the one before it */
    AUDIT_HEAD_MISMATCH,    /* an issuer's recorded head is not where its chain ends */
    AUDIT_FORK,             /* two bulletins by one issuer at one sequence */
    AUDIT_UNTRUSTED,        /* not trusted by the roster at its issue time */
    AUDIT_DANGLING_SUBJECT, /* a correction or withdrawal of a bulletin that is not here */
    AUDIT_CHECKPOINT,       /* a checkpoint this node signed that its log no longer matches */
    AUDIT_CONFLICT,         /* another node caught signing two logs (conflict files kept) */
    AUDIT_N
};
struct audit_report {
    uint64_t bulletins, signatures, issuers;
    uint64_t log_size;         /* entries in the log (§19) */
    uint8_t log_root[32];      /* its root, recomputed from the stored bulletins */
    uint64_t checkpoints;      /* this node's signed checkpoints checked against the log */
    uint64_t latest_cosigners; /* witnesses of the latest one */
    uint64_t count[AUDIT_N];
    char first[AUDIT_N][200]; /* the first finding of each kind, described */
};
/* Check everything; progress (may be NULL) is called as signatures are checked. Returns a
 * store status; the findings are in rep. With ro, notices are judged at their issue time. */
int tool_audit(store *s, roster *ro, struct audit_report *rep,
               void (*progress)(uint64_t done, uint64_t total, void *ctx), void *ctx);
const char *tool_audit_name(int problem);

/* audit_proof.c: checkpoints, proofs and conflicts (warta audit --checkpoint, --prove,
 * --extends, --conflicts, --check). Each returns an exit code; out NULL or "-" = stdout. */
int tool_audit_checkpoint(store *s, const char *out);
/* Inclusion proof of bulletin id_hex at the checkpoint in file at (NULL: the latest). */
int tool_audit_prove(store *s, const char *id_hex, const char *at, const char *out);
/* Consistency proof from the checkpoint in old_path to the one in at (NULL: the latest). */
int tool_audit_extends(store *s, const char *old_path, const char *at, const char *out);
/* List the conflict files; write each into dir unless NULL. */
int tool_audit_conflicts(store *s, const char *dir);
/* Check checkpoint, proof and conflict files offline, optionally requiring the signing node
 * (key_arg) and, for inclusion proofs, the bulletin (the file at bulletin_path). */
int tool_audit_check(char **paths, int n, const char *key_arg, const char *bulletin_path);

/* audit_compare.c: whether two nodes' stores hold the same chains (warta audit --compare). */
int tool_audit_compare(const char *a_dir, const char *b_dir);
/* One line of a warta export: its signed bytes ("encoding") decoded and verified, as the chain
 * entry issuer | u64 sequence | id. 0, or -1 if the line holds no bulletin that verifies. */
int tool_export_entry(const char *line, size_t n, uint8_t entry[72]);

/* claimreview.c: notice b (id) as a schema.org ClaimReview; the author is the office ro names
 * (without a roster, "unverified issuer"); url is base_url/b/ID, the gateway's page, when
 * base_url is given, else the bulletin's first reference link. */
json_t *tool_claimreview(roster *ro, const struct proto_bulletin *b, const uint8_t *id,
                         const char *base_url);

/* roster_text.c */
void tool_print_record(const struct proto_roster *r);
/* "  LABEL wpk1... (fingerprint)" */
void tool_print_key(const char *label, const uint8_t *pk);
json_t *tool_record_to_json(const struct proto_roster *r);
/* One line about the roster record b carries, for listings. */
void tool_record_summary(const struct proto_bulletin *b, char *out, size_t cap);

/* passphrase.c: where a passphrase comes from. */
struct pass_source {
    const char *file;  /* --passphrase-file, or NULL */
    const char *env;   /* --passphrase-env (a variable name), or NULL */
    const char *given; /* one already held in secure memory (warta desk's form), or NULL */
    struct keys_secret *held; /* the key already decrypted (warta sign --batch): no passphrase */
};
/*
 * Get a passphrase from src, else from the terminal without echo (asked twice when confirm).
 * Returns a NUL-terminated sodium_malloc'd string (free with sodium_free) or NULL after
 * printing why to stderr.
 */
char *tool_passphrase(const struct pass_source *src, const char *prompt, bool confirm);

/* chain_sign.c: sign b (issuer set, content filled) as the next bulletin of the key file's
 * chain (wanted: a required sequence number, or 0) and write it to out. 0 or an exit code. */
int tool_sign_chained(const char *key, const struct pass_source *pass, struct proto_bulletin *b,
                      uint64_t wanted, const char *out, bool binary);
/* Decrypt the secret key file key with the passphrase from src into *ks (keys_secret_destroy
 * it): 0 or an exit code, after saying why. */
int tool_secret_load(const char *key, const struct pass_source *src, struct keys_secret **ks);
/* tool_sign_chained after the checks warta sign and warta desk make first: issued_at (and a
 * receipt's acted_at) now when not given; with node, the key's chain there is not ahead of
 * KEYFILE.chain (tool_chain_check); with ro, the roster lets this key issue b (roster_check;
 * a bulletin the network refuses would still take a place in the chain). 0 or an exit code. */
int tool_sign_checked(const char *key, const struct pass_source *pass, struct proto_bulletin *b,
                      uint64_t wanted, roster *ro, const char *node, const char *out, bool binary);

/* timefmt.c: RFC 3339 UTC times with milliseconds. */
#define TOOL_TIME_LEN 32 /* "2026-11-23T10:00:00.000Z" + NUL, with room */
/* Parse "YYYY-MM-DDTHH:MM:SS[.mmm]Z" (or a bare integer of ms) into ms since the epoch. */
int tool_time_parse(const char *s, uint64_t *ms);
void tool_time_format(uint64_t ms, char out[TOOL_TIME_LEN]);
uint64_t tool_time_now(void);

/* bulletin_io.c: bulletin files (armored text or raw binary) and public key arguments. */
/* Where the library's functions say why they failed: stderr, unless warta desk set another
 * stream (to show the words in its page); NULL sets stderr back. */
FILE *tool_err(void);
void tool_set_err(FILE *f);
/* Read the bulletin at path into a new malloc'd buffer; prints why on failure: -1 if the file
 * cannot be read, -2 if it holds no bulletin (neither the binary magic nor an armored block). */
int tool_read_bulletin(const char *path, uint8_t **raw, size_t *len);
/* The SHA-256 of a file's bytes (a report's content_sha256), as hex. 0, or -1 if unreadable. */
int tool_sha256_file(const char *path, char hex[65]);
/* The exit code for what tool_read_bulletin or tool_resolve_pubkey returned: 66 when the file
 * could not be read, 3 when it holds no bulletin or key. */
int tool_read_exit(int rc);
/* Write raw bulletin bytes (armored unless binary) to path, "-" = stdout, refusing to
 * overwrite. Returns 0 or prints why and returns -1. */
int tool_write_bulletin(const char *path, const uint8_t *raw, size_t len, bool binary);
/* Write data to path (NULL or "-" = stdout), refusing to overwrite. 0 or -1 after printing
 * why. */
int tool_write_output(const char *path, const void *data, size_t n);
/* Decode raw into b and check that pk signed it: 0, -1 if it does not decode or verify, -2 if
 * another key issued it. */
int tool_bulletin_of(const uint8_t *raw, size_t len, const uint8_t *pk, struct proto_bulletin *b);
/* Whether a new file could be made at path: its folder exists and may be written (errno says
 * why not). */
bool tool_dir_writable(const char *path);
/* Call fn for each bulletin in buf[0..n) read from `where` (raw binary: one; text: every
 * armored block, in order). Stops when fn returns non-0 and returns that; -1 after printing
 * why. */
int tool_each_bulletin(const uint8_t *buf, size_t n, const char *where,
                       int (*fn)(const uint8_t *raw, size_t len, void *ctx), void *ctx);
/* The roster file at path (bulletins, the network root first), or NULL after printing why. */
roster *tool_load_roster(const char *path);
/* Resolve --key: a wpk1 text, a .pub file holding one, or a secret key file. 0 or -1. */
int tool_resolve_pubkey(const char *arg, uint8_t pk[PROTO_KEY_BYTES]);
/* A bulletin kind as a person reads it: its protocol name (proto_kind_name), translated
 * ("klarifikasi"); JSON and flags keep the protocol's name. */
const char *tool_kind_label(uint8_t kind);
/* The message for a keys/ status: errno's text for KEYS_EIO, else keys_strerror(). */
const char *tool_keys_strerror(int rc);
/* Print "where: field 'x' at byte n: reason" for a decoder error. */
void tool_print_proto_err(const char *where, const struct proto_err *err);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void tool_hex(const uint8_t *p, size_t n, char *out);
int tool_unhex(const char *s, uint8_t *out, size_t n);

/* node_client.c: a running node's control socket, and its store opened read-only. */
/* Send [op][payload] and return the JSON reply (NULL after printing why); *ok if "ok". */
/* The node's data directory: the one given (--node), else $WARTA_NODE, else /var/lib/warta. */
const char *tool_node_dir(const char *given);

json_t *tool_node_request(const char *dir, const char *op, const uint8_t *payload, size_t len,
                          bool *ok);
/* Hand raw[0..len) to the node at dir to store (its "publish" operation), saying why not (of
 * `where`) when it does not: 0, EXIT_PENDING (held until its predecessor arrives),
 * EXIT_UNAVAILABLE, EXIT_MALFORMED or EXIT_DATAERR. *reply, when not NULL, gets the node's
 * answer (NULL if it gave none). */
int tool_publish(const char *dir, const uint8_t *raw, size_t len, const char *where,
                 json_t **reply);
store *tool_open_store(const char *dir);
/* "A.B.C.D:PORT" (port 0: any free one) for listening: 0, or -1 if it is not one. */
struct sockaddr_in;
int tool_parse_listen(const char *s, struct sockaddr_in *a);
/* Is arg a bulletin id, or its first 8 or more hex digits (as warta list shows them)? */
bool tool_is_id_prefix(const char *arg);
/* The bulletin of the node at dir whose id starts with hex, read into a new buffer; 0, or an
 * exit code after saying why (none, several, or the store cannot be read). */
int tool_bulletin_by_id(const char *dir, const char *hex, uint8_t **raw, size_t *len);
/* Add the roster records held in the store of the node at dir. 0 or -1 after printing why. */
int tool_roster_from_node(roster *ro, const char *dir);
/* The filter flags of list and export, as getopt values: 'r' --region, 'v' --verdict,
 * 'i' --issuer (kept in issuer), 's' --since, 'u' --until, 'l' --limit. Applies c with its
 * argument to f: 1 if c is one of them, 0 if not, -1 after printing why the value is bad. */
int tool_filter_flag(int c, const char *arg, struct store_filter *f,
                     uint8_t issuer[PROTO_KEY_BYTES]);
/* Their getopt_long entries, for an option table. */
// clang-format off
#define TOOL_FILTER_OPTIONS                                                                        \
    {"region", required_argument, NULL, 'r'}, {"verdict", required_argument, NULL, 'v'},          \
    {"issuer", required_argument, NULL, 'i'}, {"since", required_argument, NULL, 's'},            \
    {"until", required_argument, NULL, 'u'}, {"limit", required_argument, NULL, 'l'}
// clang-format on

/* bulletin_json.c: the JSON view of a bulletin, and bulletin content from JSON. */
/* Lower-case hex of p[0..n) as a JSON string. */
json_t *tool_hex_json(const uint8_t *p, size_t n);
/* Print o to stdout, indented, with a final newline, and release it. */
/* A u64 as JSON (beyond 2^63 - 1, a marked string that tool_json_dumps writes as a number),
 * and json_dumps that writes such numbers out. */
json_t *tool_u64_json(uint64_t v);
char *tool_json_dumps(const json_t *o, size_t flags);
void tool_print_json(json_t *o, size_t extra_flags);
/* A new JSON object with every field, id and signature of b (decoded from raw[0..len)). */
json_t *tool_bulletin_to_json(const struct proto_bulletin *b, const uint8_t *raw, size_t len);
/*
 * Fill the content fields of b (kind, times, priority, subject, translation_of, texts, links)
 * from obj; text views point into obj, which must outlive b. Unknown keys are errors.
 * *sequence receives "sequence" if given, else 0. Returns 0 or -1 with msg filled.
 */
int tool_bulletin_from_json(json_t *obj, struct proto_bulletin *b, uint64_t *sequence, char *msg,
                            size_t msg_len);

#endif
