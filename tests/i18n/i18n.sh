#!/usr/bin/env bash
# i18n.sh - messages in two languages: no message people read escapes gettext (strings.py),
# po/warta.pot is current and po/id.po translates every message of it, and warta and wartad
# answer in Indonesian under LANG=id_ID.UTF-8 (whether or not that locale is installed) and
# in English under LANG=C, with the same exit codes. TAP.
# usage: i18n.sh WARTA WARTAD SOURCE_ROOT   (WARTA_LOCALEDIR: the built catalogs)
set -u
. "$(dirname "$(realpath "$0")")/../integration/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2"); root=$(realpath "$3")
work=$(mktemp -d /tmp/wi18n-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# in_lang LANG: run a command with only that locale asked for (LC_ALL and LANGUAGE unset)
in_lang() { local lang=$1; shift; env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$lang" "$@"; }
# both PATTERN_ID PATTERN_EN DESCRIPTION -- COMMAND: the same exit code in both languages,
# Indonesian under id_ID, English under C
both() {
    local id=$1 en=$2 what=$3; shift 4
    in_lang id_ID.UTF-8 "$@" > id.out 2>&1; local rc_id=$?
    in_lang C "$@" > en.out 2>&1; local rc_en=$?
    if [ $rc_id -eq $rc_en ] && grep -q -- "$id" id.out && grep -q -- "$en" en.out && ! grep -q -- "$en" id.out; then
        ok "$what (exit $rc_id in both)"
    else
        echo "# exit id $rc_id, en $rc_en"; sed 's/^/# id: /' id.out | head -5; sed 's/^/# en: /' en.out | head -5
        not_ok "$what"
    fi
}

# 1. The sources: every message goes through gettext.
python3 "$root/tests/i18n/strings.py" "$root"/tools/*.c "$root"/node/*.c "$root"/store/*.c "$root"/keys/*.c "$root"/gateway/*.c > strings.out 2>&1
check '[ $? -eq 0 ]' "every message of warta and wartad goes through gettext ($(tail -n 1 strings.out))"
grep -v "outside gettext" strings.out | sed 's/^/# /' | head -10
# 2. The catalogs: the template is current, and Indonesian translates all of it.
if command -v xgettext >/dev/null && command -v msgfmt >/dev/null; then
    (cd "$root" && LC_ALL=C.UTF-8 xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 --omit-header -o "$work/now.pot" -f po/POTFILES)
    ids() { sed -n '/^msgid /,/^msgstr/p' "$1" | grep -v '^msgstr' | grep -v '^msgid ""$' | sort; }
    check 'diff <(ids now.pot) <(ids "$root/po/warta.pot") > pot.diff' "po/warta.pot holds every message of the sources (ninja warta-pot)"
    (cd "$root" && for f in $(cat po/POTFILES); do grep -lq "_(\"\|N_(\"" "$f" || echo "$f"; done
        for f in tools/*.c node/*.c store/*.c keys/*.c protocol/*.c gateway/*.c; do
            grep -q "_(\"\|N_(\"" "$f" && ! grep -qx "$f" po/POTFILES && echo "$f"; done) > potfiles.diff
    check '[ ! -s potfiles.diff ]' "po/POTFILES lists every source with messages, and only those ($(tr '\n' ' ' < potfiles.diff))"
    msgfmt -c --statistics -o /dev/null "$root/po/id.po" > stats.out 2>&1
    check 'grep -q "^[0-9]* translated messages\.$" stats.out' "po/id.po translates every message, with matching formats ($(cat stats.out))"
else
    echo "ok $((n + 1)) # SKIP gettext tools are not installed"; n=$((n + 1))
fi

# 3. The programs, in both languages.
echo "not a bulletin" > junk.txt
export PP=office
"$warta" keygen -o office.key --cost interactive --passphrase-env PP >/dev/null 2>&1
"$warta" keygen -o other.key --cost interactive --passphrase-env PP >/dev/null 2>&1
"$warta" sign --key office.key --passphrase-env PP --verdict HOAKS --title "[HOAKS] Uji bahasa" -o b.wb 2>/dev/null
both "SAH " "VALID " "warta verify of a good bulletin" -- "$warta" verify b.wb --key office.pub
both "diterbitkan oleh .*, bukan oleh" "issued by .*, not by" "a bulletin of another key" -- "$warta" verify b.wb --key other.pub
python3 -c 'import base64,sys; t=open("b.wb").read().split("\n"); sys.stdout.buffer.write(base64.b64decode("".join(l for l in t if l and not l.startswith("-----"))))' > b.bin
LC_ALL=C sed 's/Uji bahasa/Uji bahaya/' b.bin > altered.bin
both "dipalsukan atau diubah" "forged or altered" "an altered bulletin" -- "$warta" verify altered.bin --key office.pub
both "bukan buletin" "not a bulletin" "a file that is not a bulletin" -- "$warta" verify junk.txt --key office.pub
both "perintah 'frob' tidak dikenal" "unknown command 'frob'" "an unknown command" -- "$warta" frob
both "^cara pakai: warta sign" "^usage: warta sign" "warta sign --help" -- "$warta" sign --help
both "^contoh: warta" "^example: warta" "and its example" -- "$warta" sign --help
both "buat pasangan kunci penerbit" "make an issuer keypair" "the list of commands" -- "$warta" --help
both "sudah ada; tidak akan ditimpa" "already exists; refusing to overwrite it" "keygen refuses to overwrite" -- "$warta" keygen -o office.key --passphrase-env PP
both "tidak ada node yang berjalan" "no node is running" "no node at the data directory" -- "$warta" status --node "$work/none"
printf '[node]\ndata_dir = d\nthreads = many\n' > bad.ini
both "seharusnya bilangan bulat dari 0 sampai 256" "expected a whole number from 0 to 256" "wartad -n names a bad value" -- "$wartad" -n -c bad.ini
printf '[node]\ndata_dir = d\nthreds = 2\n' > key.ini
both "pengaturan 'threds' tidak dikenal" "unknown setting 'threds'" "and an unknown setting" -- "$wartad" -n -c key.ini
echo pass > pass
both "konfigurasi baik" "configuration ok" "wartad -n on a good configuration" -- "$wartad" -n -d d -P pass
both "cara pakai: wartad" "usage: wartad" "wartad --help" -- "$wartad" --help
# The locale's own name is enough where it is installed, too: LC_ALL wins over LANG.
in_lang C env LC_ALL=id_ID.UTF-8 "$warta" frob > out 2>&1
check 'grep -q "tidak dikenal" out' "LC_ALL=id_ID.UTF-8 alone gives Indonesian"
tap_end
