#!/usr/bin/env bash
# Builds the base image for `-Pimage` on a machine with no container registry: a minimal Debian root file system
# (debootstrap --variant=minbase from Debian's package mirror) plus a Java runtime linked with jlink from the local
# JDK 21+ (bin/find-jdk), written as a `docker save` tar that Jib takes as `-Dimage.base=tar:///path/to/tar`.
#
#   sudo deploy/image/make-base-image.sh [OUT.tar]      (default: target/image/custos-base.tar)
#
# Environment: DEBIAN_SUITE (bookworm), DEBIAN_MIRROR (http://deb.debian.org/debian), JAVA_HOME (a JDK 21+).
# Needs root (debootstrap), debootstrap, tar and sha256sum. Machines that can pull images do not need this:
# the default base is eclipse-temurin:21-jre.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$here/target/image/custos-base.tar}")
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

fail() { echo "make-base-image: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap creates device files and root-owned files)"
command -v debootstrap >/dev/null || fail "debootstrap not found (apt-get install debootstrap)"
jdk=$("$here/bin/find-jdk") || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/custos-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root" "$work/image"

echo "make-base-image: debootstrap $suite (minbase) from $mirror" >&2
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }

# Nothing of the package manager's caches or the documentation is needed at run time; /dev is the runtime's to fill.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/dev/* \
       "$root"/proc/* "$root"/sys/* "$root"/tmp/* "$root"/run/*

# The Java runtime: the Java SE modules plus the ones a server and its operator use (JFR, jcmd, management, DNS,
# PKCS#11, locales, sun.misc.Unsafe for the libraries that still want it). Modules this JDK lacks are skipped.
want="java.se jdk.unsupported jdk.crypto.ec jdk.crypto.cryptoki jdk.charsets jdk.localedata jdk.naming.dns jdk.net
      jdk.zipfs jdk.jfr jdk.management jdk.management.agent jdk.management.jfr jdk.jcmd jdk.attach jdk.httpserver
      jdk.security.auth jdk.security.jgss jdk.xml.dom jdk.nio.mapmode"
have=$("$jdk/bin/java" --list-modules | sed 's/@.*//')
modules=$(for m in $want; do grep -qx "$m" <<<"$have" && printf '%s,' "$m"; done)
echo "make-base-image: jlink from $jdk" >&2
"$jdk/bin/jlink" --add-modules "${modules%,}" --strip-debug --no-header-files --no-man-pages \
  --output "$root/opt/java/openjdk" || fail "jlink failed"
"$root/opt/java/openjdk/bin/java" -version 2>&1 | head -n 1 >&2

# One layer: sorted names, every timestamp zero, numeric owners (the same packages give the same file list).
tar --sort=name --mtime=@0 --numeric-owner --xattrs -C "$root" -cf "$work/layer.tar" .
layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$layer_sha"
mv "$work/layer.tar" "$work/image/$layer_sha/layer.tar"
java_version=$("$root/opt/java/openjdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=/opt/java/openjdk","JAVA_VERSION=$java_version","LANG=C.UTF-8"],
           "Cmd":["/bin/bash"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"debootstrap --variant=minbase $suite; jlink $java_version (deploy/image/make-base-image.sh)"}]}
EOF
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_sha.json"
cat >"$work/image/manifest.json" <<EOF
[{"Config":"$config_sha.json","RepoTags":["custos-base:local"],"Layers":["$layer_sha/layer.tar"]}]
EOF
mkdir -p "$(dirname "$out")"
# Entries named without a leading "./": Jib refuses a tar entry "./" as one outside its destination.
(cd "$work/image" && tar --sort=name --mtime=@0 --numeric-owner -cf "$out.partial" manifest.json "$config_sha.json" "$layer_sha")
mv "$out.partial" "$out"
echo "make-base-image: wrote $out ($(du -h "$out" | cut -f1)); build with -Dimage.base=tar://$out" >&2
