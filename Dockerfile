# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/workrate ./cmd/workrate \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/workrate /usr/local/bin/workrate
COPY --from=build --chown=nonroot:nonroot /out/data /data
WORKDIR /
USER nonroot:nonroot
ENV WORKRATE_DATABASE_URL=sqlite:///data/workrate.db
# The embedded database and its secret.key live here: keep them on a volume,
# and back them up together.
VOLUME ["/data"]
EXPOSE 8080 8443
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["/usr/local/bin/workrate", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/workrate"]
CMD ["serve"]
