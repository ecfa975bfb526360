# edgekv-emulator container image.
#
#   docker build --build-arg EKV_COMMIT=$(git rev-parse --short=12 HEAD) -t edgekv-emulator .
#   docker run -d --name ekv --hostname edgekv -p 127.0.0.1:8080:8080 -p 127.0.0.1:8443:8443 \
#     -v edgekv-data:/data -e EDGEKV_CONTROL_ANY_PEER=1 -e EDGEKV_ALLOW_REMOTE_DEV_CLIENT=1 edgekv-emulator
#
# Host calls arrive from the bridge address, not loopback: without the two opt-ins (safe only with
# ports published on the host's loopback, as above) the control API wants the admin secret the
# container prints at start, and the published development client is refused (README "Docker").
#
# The build stage runs the same `make deps-build` and `make` that CI runs (.ci/run -> make deps ...),
# so CI covers its steps. Configure the server with EDGEKV_* environment variables (`-e`), not
# with command-line flags: the HEALTHCHECK's `--probe` reads the same variables, so it always
# asks the port the server really listens on.

FROM debian:bookworm AS build
WORKDIR /src
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make \
 && rm -rf /var/lib/apt/lists/*
# The Makefile alone decides the build packages: this layer stays cached until it changes.
COPY Makefile ./
RUN make deps-build && rm -rf /var/lib/apt/lists/*
COPY base/ base/
COPY storage/ storage/
COPY api/ api/
COPY server/ server/
# fixtures/default/world.json is compiled in: the bare-start world (api_default_world).
COPY fixtures/ fixtures/
# `make` also makes the manual page, from man/ and the option table (tools/mkman).
COPY man/ man/
COPY tools/ tools/
# The build context has no .git: --version and /_emulator/health show this commit.
ARG EKV_COMMIT=unknown
RUN make EKV_COMMIT="$EKV_COMMIT" && strip -o /edgekv-emulator build/release/edgekv-emulator \
 && /edgekv-emulator --version

FROM debian:bookworm-slim
# Only the shared libraries the binary links (ldd build/release/edgekv-emulator).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libmicrohttpd12 libsqlite3-0 libcjson1 libuuid1 libgnutls30 zlib1g \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && groupadd --system --gid 10001 edgekv \
 && useradd --system --uid 10001 --gid edgekv --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin edgekv \
 && mkdir -p /data && chown edgekv:edgekv /data
COPY --from=build /edgekv-emulator /usr/local/bin/edgekv-emulator
COPY fixtures/default/edgerc /usr/local/share/edgekv-emulator/edgerc

# The defaults of `edgekv-emulator --listen 0.0.0.0 --db /data/edgekv.db`, as environment so that
# the server and its health probe read one configuration. The self-signed certificate is made
# next to the database, /data/cert.pem, and also names the container's hostname (@hostname):
# `--hostname edgekv` (Compose: `hostname: edgekv`) lets other containers call https://edgekv:8443.
ENV EDGEKV_LISTEN=0.0.0.0 \
    EDGEKV_HTTP_PORT=8080 \
    EDGEKV_HTTPS_PORT=8443 \
    EDGEKV_DB=/data/edgekv.db \
    EDGEKV_TLS_NAMES=@hostname
VOLUME ["/data"]
WORKDIR /data
USER edgekv:edgekv
EXPOSE 8080 8443
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["edgekv-emulator", "--probe"]
ENTRYPOINT ["edgekv-emulator"]
