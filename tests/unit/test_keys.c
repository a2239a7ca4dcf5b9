/* test_keys.c - secret key files (encryption, mode, damage vs wrong passphrase) and chain state. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "keys_chain.h"
#include "keys_error.h"
#include "keys_file.h"
#include "keys_secret.h"
#include "proto_armor.h"
#include "sample.h"

static char dir[64], path[128];

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/warta-test-keys-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/office.key", dir);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void save(const keys_secret *ks, const char *pass)
{
    assert_int_equal(keys_secret_save(ks, path, pass, strlen(pass), KEYS_COST_INTERACTIVE),
                     KEYS_OK);
}

static void key_file_round_trips_and_is_private(void **state)
{
    (void)state;
    keys_secret *ks = keys_secret_generate(), *back = NULL;
    save(ks, "kata sandi rahasia");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(keys_secret_load(&back, path, "kata sandi rahasia", 18), KEYS_OK);
    assert_memory_equal(keys_secret_pk(back), keys_secret_pk(ks), KEYS_PK_BYTES);
    assert_memory_equal(keys_secret_sk(back), keys_secret_sk(ks), KEYS_SK_BYTES);
    uint8_t pk[KEYS_PK_BYTES];
    assert_int_equal(keys_secret_read_pk(path, pk), KEYS_OK);
    assert_memory_equal(pk, keys_secret_pk(ks), KEYS_PK_BYTES);
    keys_secret_destroy(&back);
    keys_secret_destroy(&ks);
    keys_secret_destroy(&ks); /* safe twice */
    assert_null(ks);
}

static void secret_is_not_stored_in_clear(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(9);
    save(ks, "pw");
    uint8_t *text = NULL, raw[KEYS_SEALED_BYTES + 8];
    size_t len = 0, n = 0;
    assert_int_equal(keys_file_read(path, KEYS_FILE_MAX, &text, &len), KEYS_OK);
    assert_int_equal(
        proto_armor_decode(PROTO_ARMOR_SECRET_KEY, (char *)text, len, raw, sizeof raw, &n), 0);
    assert_int_equal(n, KEYS_SEALED_BYTES);
    assert_null(memmem(raw, n, keys_secret_sk(ks), KEYS_SEED_BYTES)); /* the seed */
    free(text);
    keys_secret_destroy(&ks);
}

static void existing_file_is_never_overwritten(void **state)
{
    (void)state;
    keys_secret *ks = keys_secret_generate();
    save(ks, "pw");
    assert_int_equal(keys_secret_save(ks, path, "pw", 2, KEYS_COST_INTERACTIVE), KEYS_EEXIST);
    keys_secret_destroy(&ks);
}

static void wrong_passphrase_and_damage_are_different_errors(void **state)
{
    (void)state;
    keys_secret *ks = keys_secret_generate(), *back = NULL;
    save(ks, "benar");
    assert_int_equal(keys_secret_load(&back, path, "salah", 5), KEYS_EPASSPHRASE);
    assert_null(back);
    /* Change one base64 character of the body: the checksum catches it before the KDF. */
    uint8_t *text = NULL;
    size_t len = 0;
    assert_int_equal(keys_file_read(path, KEYS_FILE_MAX, &text, &len), KEYS_OK);
    char *body = strchr((char *)text, '\n') + 1;
    for (size_t i = 0; i < 150; i++) {
        if (body[i] == '\n') continue;
        char orig = body[i];
        body[i] = orig == 'A' ? 'B' : 'A';
        unlink(path);
        assert_int_equal(keys_file_create(path, text, len, 0600), KEYS_OK);
        int rc = keys_secret_load(&back, path, "benar", 5);
        if (rc != KEYS_EDAMAGED && rc != KEYS_EFORMAT)
            fail_msg("changed character %zu: got %s", i, keys_strerror(rc));
        body[i] = orig;
    }
    /* Cut short. */
    unlink(path);
    assert_int_equal(keys_file_create(path, text, len / 2, 0600), KEYS_OK);
    assert_int_equal(keys_secret_load(&back, path, "benar", 5), KEYS_EFORMAT);
    free(text);
    keys_secret_destroy(&ks);
}

static void hostile_kdf_costs_are_refused(void **state)
{
    (void)state;
    uint8_t raw[KEYS_SEALED_BYTES] = {'W', 'R', 'T', 'K', 1, 1};
    struct keys_sealed s;
    raw[6] = 0x7F; /* opslimit far beyond "sensitive" */
    crypto_generichash(raw + KEYS_SEALED_BYTES - 16, 16, raw, KEYS_SEALED_BYTES - 16, NULL, 0);
    assert_int_equal(keys_sealed_parse(&s, raw, sizeof raw), KEYS_EPARAMS);
    raw[4] = 2;
    assert_int_equal(keys_sealed_parse(&s, raw, sizeof raw), KEYS_EFORMAT);
}

static void chain_starts_empty_then_follows_each_signature(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(4);
    struct keys_chain st;
    static uint8_t out[PROTO_BULLETIN_MAX];
    assert_int_equal(keys_chain_load(path, keys_secret_pk(ks), &st), KEYS_OK);
    assert_int_equal(st.last_sequence, 0);
    struct proto_bulletin b;
    sample_bulletin(&b, keys_secret_pk(ks));
    for (uint64_t seq = 1; seq <= 3; seq++) {
        b.sequence = seq;
        memcpy(b.previous, st.last_id, PROTO_ID_BYTES);
        size_t n = sample_sign(&b, ks, out);
        assert_int_equal(keys_chain_save(path, out, n), KEYS_OK);
        uint8_t id[PROTO_ID_BYTES];
        proto_bulletin_id(out, n, id);
        assert_int_equal(keys_chain_load(path, keys_secret_pk(ks), &st), KEYS_OK);
        assert_int_equal(st.last_sequence, seq);
        assert_memory_equal(st.last_id, id, PROTO_ID_BYTES);
    }
    /* The state of key 4 is no state for key 5. */
    keys_secret *other = sample_key(5);
    assert_int_equal(keys_chain_load(path, keys_secret_pk(other), &st), KEYS_ECHAIN);
    keys_secret_destroy(&other);
    keys_secret_destroy(&ks);
}

static void damaged_chain_state_stops_signing(void **state)
{
    (void)state;
    char chain[160];
    struct keys_chain st;
    keys_secret *ks = sample_key(4);
    snprintf(chain, sizeof chain, "%s.chain", path);
    assert_int_equal(keys_file_create(chain, "garbage\n", 8, 0600), KEYS_OK);
    assert_int_equal(keys_chain_load(path, keys_secret_pk(ks), &st), KEYS_ECHAIN);
    keys_secret_destroy(&ks);
}

static void chain_lock_is_exclusive(void **state)
{
    (void)state;
    int fd = keys_chain_lock(path);
    assert_true(fd >= 0);
    assert_int_equal(keys_chain_lock(path), KEYS_ELOCKED);
    keys_chain_unlock(fd);
    fd = keys_chain_lock(path);
    assert_true(fd >= 0);
    keys_chain_unlock(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(key_file_round_trips_and_is_private, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(secret_is_not_stored_in_clear, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(existing_file_is_never_overwritten, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(wrong_passphrase_and_damage_are_different_errors, make_dir,
                                        remove_dir),
        cmocka_unit_test(hostile_kdf_costs_are_refused),
        cmocka_unit_test_setup_teardown(chain_starts_empty_then_follows_each_signature, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(damaged_chain_state_stops_signing, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(chain_lock_is_exclusive, make_dir, remove_dir),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
