"""nginx's configuration in front of the app servers (``nginx_conf``), as ``make cluster`` writes it.

- Slow clients wait on nginx, not on a worker: requests are read whole (headers within 10 s, bodies
  buffered) before an app server sees them, and answers are buffered before they are sent.
- Failover: a request that a server refuses, drops or times out is tried on the next server (a server
  that fails three times in 10 s is skipped for 10 s). The app's own 503 (an export that could not be
  made) is an answer, passed on as it is. Dash callbacks (POSTs that only read) are retried too; other POSTs (sign-in, publishing) never
  are, once sent.
- The security headers are on every answer, nginx's own error pages included: the app's
  Content-Security-Policy where it sent one, a strict one otherwise; HSTS as a TLS front end sets it.
- ``/assets/`` is served from the project's folder by nginx itself, for a year when the address names
  its version (``?m=`` or ``?v=``), as the app would.
"""

from __future__ import annotations

from pathlib import Path

from web import security

#: Largest body nginx accepts: an analyst's upload (publishing.uploads.MAX_UPLOAD_BYTES) and a margin.
MAX_BODY = "21m"

#: The app's headers, and HSTS, which belongs to the TLS front end.
SECURITY_HEADERS = {**security.SECURITY_HEADERS, "Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
FALLBACK_CSP = security.FALLBACK_CSP


def nginx_conf(port: int, servers: list[int], prefix: Path, logs: Path, assets: Path, user: str | None = None) -> str:
    upstream = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in servers)
    hide = "\n".join(f"        proxy_hide_header {name};" for name in [*SECURITY_HEADERS, "Content-Security-Policy"])
    add = "\n".join(f'    add_header {name} "{value}" always;' for name, value in SECURITY_HEADERS.items())
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / ('tmp-' + kind)};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Written by deploy/cluster.py (make cluster); see deploy/nginx.py for what each part is for.
{f"user {user};" if user else ""}
worker_processes 2;
pid {prefix / "nginx.pid"};
error_log {logs / "nginx-error.log"} warn;

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {logs / "nginx-access.log"};
{temp}
    server_tokens off;
    sendfile on;
    keepalive_timeout 15s;

    # A client gets 10 s to send its headers and 10 s between body packets; nginx holds what arrives.
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 30s;
    client_max_body_size {MAX_BODY};
    client_body_buffer_size 256k;
    large_client_header_buffers 4 8k;

    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml text/plain;
    gzip_min_length 1000;

    map $upstream_http_content_security_policy $spr_csp {{
        "" "{FALLBACK_CSP}";
        default $upstream_http_content_security_policy;
    }}
    map $arg_m$arg_v $spr_static_cache {{
        "" "no-cache";
        default "public, max-age=31536000, immutable";
    }}

    upstream spr_app {{
{upstream}
        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{port};
        server_name localhost;

{add}
    add_header Content-Security-Policy $spr_csp always;

        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_buffering on;
        proxy_request_buffering on;
        proxy_buffers 64 16k;
        proxy_busy_buffers_size 64k;
        proxy_max_temp_file_size 64m;
        proxy_connect_timeout 2s;
        proxy_read_timeout 120s;
        proxy_next_upstream error timeout http_502 http_504;
        proxy_next_upstream_tries 3;
{hide}

        location /assets/ {{
            alias {assets}/;
            add_header Cache-Control $spr_static_cache always;
{add.replace("    add_header", "            add_header")}
            add_header Content-Security-Policy "{FALLBACK_CSP}" always;
        }}

        # The page callback only reads: a request a dying server never answered is tried on another.
        location = /_dash-update-component {{
            proxy_pass http://spr_app;
            proxy_next_upstream error timeout http_502 http_504 non_idempotent;
        }}

        location / {{
            proxy_pass http://spr_app;
        }}
    }}
}}
"""
