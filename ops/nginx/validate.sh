#!/usr/bin/env bash
# Check ops/nginx/accord.conf with nginx's own validator (`nginx -t`), without
# a running nginx, its certificates or its directories: everything it reads or
# writes lives in a temporary directory, removed on exit.
#
#   bash ops/nginx/validate.sh [path/to/accord.conf]
#
# Exit status: 0 valid, 1 invalid (nginx's message is printed), 2 the file or
# a throwaway certificate could not be had, 3 nginx not installed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
conf=${1:-$here/accord.conf}
[[ -f $conf ]] || { echo "validate.sh: no such file: $conf" >&2; exit 2; }

# /usr/sbin is not on every PATH.
nginx=$(command -v nginx || true)
[[ -z $nginx && -x /usr/sbin/nginx ]] && nginx=/usr/sbin/nginx
if [[ -z $nginx ]]; then
    echo "validate.sh: nginx not installed (e.g. apt-get install nginx-light)" >&2
    exit 3
fi
# nginx -t binds the listen ports (80, 443): an ordinary user gets
# "bind() ... Permission denied" from it.
((EUID == 0)) || echo "validate.sh: not root; nginx -t will likely fail to bind ports 80/443" >&2
command -v openssl >/dev/null || { echo "validate.sh: openssl not installed" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/logs" "$tmp/ssl"

if ! openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=accord.example.org \
        -keyout "$tmp/ssl/privkey.pem" -out "$tmp/ssl/fullchain.pem" >"$tmp/openssl.log" 2>&1; then
    cat "$tmp/openssl.log" >&2
    echo "validate.sh: could not make a throwaway certificate" >&2
    exit 2
fi

# The copy under test: the real certificate and log paths point into $tmp
# (nginx -t loads the certificates and opens every log file). Line numbers
# stay those of the original.
sed -e "s|/etc/ssl/accord/fullchain.pem|$tmp/ssl/fullchain.pem|g" \
    -e "s|/etc/ssl/accord/privkey.pem|$tmp/ssl/privkey.pem|g" \
    -e "s|/var/log/nginx/|$tmp/logs/|g" \
    "$conf" >"$tmp/accord.conf"

# Temp paths for the modules this nginx has (a directive of a module built
# without would itself be an error); otherwise nginx -t creates its
# compiled-in ones under /var/lib/nginx.
temp_paths="    client_body_temp_path $tmp/client_body;
    proxy_temp_path $tmp/proxy;"
for module in fastcgi uwsgi scgi; do
    if ! "$nginx" -V 2>&1 | grep -q -- "--without-http_${module}_module"; then
        temp_paths+="
    ${module}_temp_path $tmp/$module;"
    fi
done
mime=""
[[ -f /etc/nginx/mime.types ]] && mime="include /etc/nginx/mime.types;"

cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx.pid;
lock_file $tmp/nginx.lock;
error_log $tmp/logs/error.log;
events {}
http {
    $mime
    access_log $tmp/logs/access.log;
$temp_paths
    include $tmp/accord.conf;
}
EOF

# -e (nginx >= 1.19.5): the error log nginx opens before reading any
# configuration, which is otherwise a compiled-in path outside $tmp.
early_log=()
if "$nginx" -h 2>&1 | grep -q -- '^ *-e '; then
    early_log=(-e "$tmp/logs/error.log")
fi

status=0
output=$("$nginx" -t -p "$tmp" -c "$tmp/nginx.conf" "${early_log[@]}" 2>&1) || status=$?
# Name the file under test, not its temporary copy.
printf '%s\n' "$output" | sed -e "s|$tmp/accord.conf|$conf|g"
if ((status != 0)); then
    echo "validate.sh: $conf is INVALID (nginx -t exit $status)" >&2
    exit 1
fi
echo "validate.sh: $conf is valid"
