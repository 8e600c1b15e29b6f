# A small image: one static (musl) kestra-lint binary on an empty base.
#   docker build -t kestra-lint .
#   docker run --rm -v "$PWD:/repo" kestra-lint check flows/
# Not built by .ci/run (no Docker engine there); .ci/run lints this file with hadolint.
FROM rust:1.88-alpine AS build
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# On Alpine the Rust target is musl, which links statically; mimalloc's C code is built by gcc.
RUN cargo build --release --locked && strip target/release/kestra-lint

FROM scratch
COPY --from=build /src/target/release/kestra-lint /usr/local/bin/kestra-lint
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/kestra-lint"]
CMD ["check", "."]
