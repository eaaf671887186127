#!/usr/bin/env bash
# Builds a minimal agent image for the end-to-end tests, offline (there is no image registry):
# busybox + the real Claude Code binary from npm + the shared libraries it needs, then `docker import`.
# Usage: build-agent-image.sh IMAGE CLAUDE_BINARY
set -euo pipefail
image="$1"; claude="$(readlink -f "$2")"
[ -x "$claude" ] || { echo "build-agent-image: $claude is not executable" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "build-agent-image: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }
root="$(mktemp -d)"; trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,usr/local/bin,etc/ssl/certs,tmp,home/mux,root,workspace}
chmod 1777 "$root/tmp"; chmod 777 "$root/home/mux"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$claude" "$root/usr/local/bin/claude"
for lib in $(ldd "$claude" | grep -o '/[^ ]*' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
done
[ -r /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/bin/sh\nmux:x:1000:1000:mux:/home/mux:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nmux:x:1000:\n' > "$root/etc/group"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /workspace' -c 'CMD ["sh"]' - "$image" >/dev/null
echo "build-agent-image: built $image" >&2
