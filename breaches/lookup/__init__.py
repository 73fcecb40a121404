"""The register's gate: who may ask (access), how often (throttle), the lookup itself and its access-log row
(service, log, sql), the fund's export of its people (export), and the HTTP adapter (http)."""
