/* zap.c - the ZAP handler (ZeroMQ RFC 27) that admits or refuses inbound CURVE peers: banned
 * keys are refused, and with allow_listed_only only the keys of configured [peer]s get in. */
#include <sodium.h>
#include <string.h>
#include <zmq.h>

#include "node.h"
#include "i18n.h"

int zap_open(struct node *n)
{
    n->zap = zmq_socket(n->zctx, ZMQ_REP);
    if (n->zap == NULL || zmq_bind(n->zap, "inproc://zeromq.zap.01") != 0) {
        log_msg(LOG_ERROR, _("ZAP handler: %s"), zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

bool zap_is_banned(const struct node *n, const uint8_t curve_key[32])
{
    for (int i = 0; i < n->n_banned; i++)
        if (memcmp(n->banned[i], curve_key, 32) == 0) return true;
    return false;
}

static bool is_listed(const struct node *n, const uint8_t curve_key[32])
{
    for (int i = 0; i < n->cfg.n_peers; i++) {
        uint8_t ck[32];
        if (crypto_sign_ed25519_pk_to_curve25519(ck, n->cfg.peers[i].key) == 0 &&
            memcmp(ck, curve_key, 32) == 0)
            return true;
    }
    return false;
}

void zap_handle(struct node *n)
{
    zmq_msg_t frames[8];
    int count = 0, more = 1;
    while (more && count < 8) {
        zmq_msg_init(&frames[count]);
        if (zmq_msg_recv(&frames[count], n->zap, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&frames[count]);
            break;
        }
        more = zmq_msg_more(&frames[count]);
        count++;
    }
    /* Drain anything beyond what a ZAP request can hold. */
    while (more) {
        zmq_msg_t extra;
        zmq_msg_init(&extra);
        if (zmq_msg_recv(&extra, n->zap, ZMQ_DONTWAIT) < 0) break;
        more = zmq_msg_more(&extra);
        zmq_msg_close(&extra);
    }
    if (count == 0) return;
    bool ok = false;
    char user[65] = "";
    if (count >= 7 && zmq_msg_size(&frames[5]) == 5 &&
        memcmp(zmq_msg_data(&frames[5]), "CURVE", 5) == 0 && zmq_msg_size(&frames[6]) == 32) {
        const uint8_t *key = zmq_msg_data(&frames[6]);
        sodium_bin2hex(user, sizeof user, key, 32);
        ok = !zap_is_banned(n, key) && (!n->cfg.allow_listed_only || is_listed(n, key));
        if (!ok) log_msg(LOG_INFO, _("refused inbound peer %.16s..."), user);
    }
    const char *status = ok ? "200" : "400";
    zmq_send(n->zap, "1.0", 3, ZMQ_SNDMORE);
    if (count >= 2)
        zmq_send(n->zap, zmq_msg_data(&frames[1]), zmq_msg_size(&frames[1]), ZMQ_SNDMORE);
    else
        zmq_send(n->zap, "", 0, ZMQ_SNDMORE);
    zmq_send(n->zap, status, 3, ZMQ_SNDMORE);
    zmq_send(n->zap, ok ? "OK" : "denied", ok ? 2 : 6, ZMQ_SNDMORE);
    zmq_send(n->zap, user, ok ? strlen(user) : 0, ZMQ_SNDMORE);
    zmq_send(n->zap, "", 0, 0);
    for (int i = 0; i < count; i++)
        zmq_msg_close(&frames[i]);
}
