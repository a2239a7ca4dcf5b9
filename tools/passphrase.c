/* passphrase.c - passphrases from a file, an environment variable or the terminal. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keys_error.h"
#include "keys_file.h"
#include "tool.h"
#include "i18n.h"

#define PASS_MAX 1024

/* Copy the first line of p[0..n) into a new secure buffer. */
static char *secure_line(const char *p, size_t n)
{
    size_t len = 0;
    while (len < n && p[len] != '\n' && p[len] != '\r')
        len++;
    if (len > PASS_MAX) {
        fprintf(tool_err(), _("warta: passphrase longer than %d bytes\n"), PASS_MAX);
        return NULL;
    }
    char *s = sodium_malloc(len + 1);
    if (s == NULL) {
        fprintf(tool_err(), _("warta: cannot allocate secure memory for the passphrase\n"));
        return NULL;
    }
    memcpy(s, p, len);
    s[len] = 0;
    return s;
}

static char *from_file(const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = keys_file_read(path, PASS_MAX + 2, &buf, &len);
    if (rc != KEYS_OK) {
        fprintf(tool_err(), _("warta: %s: %s\n"), path, tool_keys_strerror(rc));
        return NULL;
    }
    char *s = secure_line((const char *)buf, len);
    sodium_memzero(buf, len);
    free(buf);
    return s;
}

/* Read one line from the terminal with echo off; NULL if there is no terminal. */
static char *from_tty(const char *prompt)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct termios old, quiet;
    char *line = sodium_malloc(PASS_MAX + 2), *s = NULL;
    if (line != NULL && tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        (void)!write(fd, prompt, strlen(prompt));
        if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0) {
            size_t n = 0;
            char c;
            while (n < PASS_MAX + 1 && read(fd, &c, 1) == 1 && c != '\n')
                line[n++] = c;
            tcsetattr(fd, TCSAFLUSH, &old);
            (void)!write(fd, "\n", 1);
            s = secure_line(line, n);
        }
    }
    sodium_free(line);
    close(fd);
    return s;
}

char *tool_passphrase(const struct pass_source *src, const char *prompt, bool confirm)
{
    if (src->given != NULL) return secure_line(src->given, strlen(src->given));
    if (src->file != NULL) return from_file(src->file);
    if (src->env != NULL) {
        const char *v = getenv(src->env);
        if (v == NULL) {
            fprintf(tool_err(), _("warta: environment variable %s is not set\n"), src->env);
            return NULL;
        }
        return secure_line(v, strlen(v));
    }
    char *s = from_tty(prompt);
    if (s == NULL) {
        fprintf(tool_err(), _("warta: no terminal to ask for the passphrase; "
                        "use --passphrase-file FILE or --passphrase-env VAR\n"));
        return NULL;
    }
    if (confirm) {
        char *again = from_tty("Repeat passphrase: ");
        if (again == NULL || strcmp(s, again) != 0) {
            fprintf(tool_err(), _("warta: the passphrases do not match\n"));
            sodium_free(s);
            s = NULL;
        }
        sodium_free(again);
    }
    return s;
}
