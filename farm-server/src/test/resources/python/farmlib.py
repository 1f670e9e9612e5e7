"""Shared by the interop scripts: builds the Farm service from the server's own discovery
document with the real google-api-python-client, and prints results for the Java side.

Every script is run as ``/usr/bin/python3 SCRIPT ROOT KEY ...`` by PythonRunner. Lines that
start with '{' on stdout are JSON results; any other line is text the script printed as a
user would (e.g. the seed's "Uploaded 42%.").
"""
import json
import random
import sys
from urllib.parse import parse_qs

import googleapiclient.http
import httplib2
from googleapiclient import discovery

# Deterministic backoff sleeps (the client draws them from random.random) and multipart
# boundaries (the email package draws them from random.randrange): a failing run repeats.
random.seed(20240601)


# What the client sent and got, one entry per http.request() call of the client (httplib2's
# own silent resend of a request on a stale connection happens below this and is not seen).
TRACE = []


def service(root, key, ca_certs=None):
    """farm v1, built the way an application would build it, from ROOT's discovery document.
    With CA_CERTS (a PEM file), HTTPS trusts only the authorities in it (httplib2's ca_certs)."""
    # build_http() stops httplib2 from treating the 308 of a resumable upload as a redirect.
    http = traced(build_http(ca_certs))
    return discovery.build(
        "farm",
        "v1",
        discoveryServiceUrl=root + "discovery/v1/apis/{api}/{apiVersion}/rest",
        http=http,
        developerKey=key,
        cache_discovery=False,
    )


def build_http(ca_certs=None):
    """googleapiclient.http.build_http(), which takes no CA file; with one, the same Http made
    with httplib2's ca_certs (HTTPLIB2_CA_CERTS in the environment is the other way)."""
    if ca_certs is None:
        return googleapiclient.http.build_http()
    http = httplib2.Http(timeout=googleapiclient.http.DEFAULT_HTTP_TIMEOUT_SEC,
                         ca_certs=ca_certs)
    http.redirect_codes = http.redirect_codes - {308}
    return http


def traced(http):
    """Records each request's method, Content-Range and Content-Length, and its outcome, into
    TRACE; the request itself goes through unchanged (as set_user_agent() wraps it)."""
    send = http.request

    def request(uri, method="GET", body=None, headers=None, *args, **kwargs):
        lower = {k.lower(): v for k, v in (headers or {}).items()}
        path, _, query = uri.partition("?")
        entry = {"method": method, "path": path.split("/", 3)[-1]}
        upload_type = parse_qs(query).get("uploadType")
        if upload_type:
            entry["uploadType"] = upload_type[0]
        for header in ("content-range", "content-length"):
            if header in lower:
                entry[header] = lower[header]
        TRACE.append(entry)
        try:
            resp, content = send(uri, method, body, headers, *args, **kwargs)
        except Exception as e:
            entry["error"] = type(e).__name__
            raise
        entry["status"] = resp.status
        return resp, content

    http.request = request
    return http


def emit(**fields):
    """Prints one machine-readable result line, with the trace of the requests made."""
    fields.setdefault("requests", TRACE)
    print(json.dumps(fields, sort_keys=True), flush=True)


def say(text):
    """Prints a line a person would read, as the seed's examples do."""
    print(text, flush=True)


def describe(error):
    """A JSON-able summary of an exception met while uploading."""
    status = getattr(getattr(error, "resp", None), "status", None)
    summary = {"type": type(error).__name__}
    if status is not None:
        summary["status"] = int(status)
    return summary


def opt_in_to_retry_test(request, test_id):
    """Makes a request take part in a server retry test (a session remembers it)."""
    if test_id:
        request.headers["x-retry-test-id"] = test_id
    return request


def fail(message):
    print(message, file=sys.stderr, flush=True)
    sys.exit(2)
