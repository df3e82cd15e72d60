#!/usr/bin/env bash
# Runs docker/Dockerfile's steps on this machine, as they are written there
# and in that order, then starts the image's command as its user and asks
# /health: the check of the image on machines without a Docker engine.
# Meant for a clean Debian 12 as root, in a copy of the repository:
#   ../shared/tools/fresh-machine -- docker/check-steps.sh
# Keep it in step with the Dockerfile (RUN, USER and CMD lines).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
start=$(date +%s)

# RUN (packages and build)
FORMPROC_CMAKE_ARGS="-DFORMPROC_TESTS=OFF -DFORMPROC_BENCH=OFF" scripts/setup.sh \
 && rm -rf /var/lib/apt/lists/*
# RUN (the service's user)
useradd --system --user-group --home-dir /var/lib/formproc --create-home --shell /usr/sbin/nologin formproc \
 && chmod 0700 /var/lib/formproc

# fresh-machine's chroot has its / at mode 0700 (an artefact of its base
# tarball; a container's / is 0755): without this the service's user can
# reach nothing. The first run of this script (see docker/Dockerfile) failed
# here, and only here.
chmod 0755 /

# USER formproc + CMD, on a fixed port instead of the image's 8080 (which
# the host may use); the rest of docker/formproc.json as it is.
log=$(mktemp)
chmod 0644 "$log" && chown formproc "$log"
runuser -u formproc -- build/formproc serve --config docker/formproc.json --port 18080 --host 127.0.0.1 2>"$log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.2; done
cat "$log"
status=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:18080/health').status)")
token=$(runuser -u formproc -- build/formproc token create --role admin --config docker/formproc.json)
files=$(stat -c '%U %a %n' /var/lib/formproc /var/lib/formproc/formproc.sqlite)
kill -TERM "$pid"
wait "$pid"
echo "check-steps: /health $status, token ${token:0:5}…, serve exited $?; data: $files"
echo "check-steps: $(( $(date +%s) - start )) s in all"
[ "$status" = 200 ]
