"""Records what google-api-python-client 1.7.12 (Debian python3-googleapi) does, for
DiscoveryParityTest: URLs of calls built from parity-document.json, page-token requests, the
accept check (mimeparse), maxSize (_media_size_to_long) and URI template expansion (uritemplate).

Run: /usr/bin/python3 python_parity.py > python-parity.json
"""
import json
import logging
import sys
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import uritemplate
from googleapiclient import mimeparse
from googleapiclient.discovery import _media_size_to_long, build_from_document, key2param
from googleapiclient.http import MediaInMemoryUpload

logging.disable(logging.CRITICAL)
HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
DOC = json.load(open(HERE + "/parity-document.json"))
service = build_from_document(DOC, http=object())

CALLS = [
    ("enclosures", "get", {"enclosureId": "e1"}),
    ("enclosures", "get", {"enclosureId": "a/b c?d#e%41~*'()!$&+,;=:@[]"}),
    ("enclosures", "get", {"enclosureId": "\u00e9\u2603\U0001F418"}),
    ("enclosures", "get", {"enclosureId": ""}),
    ("enclosures", "get", {"enclosureId": "e1", "view": "FULL", "tags": ["x y", "z&w", "~*"],
                           "limit": 2.9, "ratio": 2, "open": True}),
    ("enclosures", "get", {"enclosureId": "e1", "tags": "single", "limit": " 1_000 "}),
    ("enclosures", "get", {"enclosureId": "e1", "tags": []}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": 1e16}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": 1e15}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": 0.0001}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": 0.00001}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": -123.456}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": "3.5"}),
    ("enclosures", "get", {"enclosureId": "e1", "ratio": "-1e-7"}),
    ("enclosures", "get", {"enclosureId": "e1", "limit": "42", "open": False}),
    ("enclosures", "get", {"enclosureId": "e1", "open": 0}),
    ("enclosures", "get", {"enclosureId": "e1", "open": 2}),
    ("enclosures", "get", {"enclosureId": "e1", "limit": -7.9}),
    ("enclosures", "get", {"enclosureId": "e1", "alt": "media", "fields": "id,name"}),
    ("enclosures", "get", {"enclosureId": "e1", "fields": "a b", "alt": "json"}),
    ("enclosures", "get", {"enclosureId": "e1", "userip": "1.2.3.4", "trace": "t", "pp": "0",
                           "strict": "1"}),
    ("enclosures", "get", {"enclosureId": "e1", "view": None}),
    ("enclosures", "get", {}),
    ("enclosures", "get", {"enclosureId": None}),
    ("enclosures", "get", {"enclosureId": "e1", "view": "NONE"}),
    ("enclosures", "get", {"enclosureId": "e1", "bogus": 1}),
    ("enclosures", "get", {"enclosureId": "e1", "limit": "2.5"}),
    ("enclosures", "get", {"enclosureId": "e1", "limit": "1__0"}),
    ("enclosures", "get", {"enclosureId": "e1", "tags": ["FULL", "x"], "view": "BASIC"}),
    ("enclosures", "move", {"name": "enclosures/e1"}),
    ("enclosures", "move", {"name": "enclosures/e 1?x#y%41"}),
    ("enclosures", "move", {"name": "cages/c1"}),
    ("enclosures", "move", {"name": "enclosures/e1/x"}),
    ("enclosures", "move", {"name": "xenclosures/e1"}),
    ("enclosures", "watch", {}),
    ("enclosures.keepers", "list", {"enclosureId": "e1"}),
    ("enclosures.keepers", "list", {"enclosureId": "e1", "pageToken": "", "max-results": 3}),
    ("enclosures.keepers", "list", {"enclosureId": "e1", "pageToken": "p 1"}),
    ("enclosures.keepers", "upload", {"enclosureId": "e/1", "keeperId": "k 1", "note": "n&m"}),
    ("enclosures.keepers", "upload", {"enclosureId": "e1"}),
    ("enclosures.keepers", "remove", {"enclosureId": "e1", "keeperId": "k1"}),
    ("", "ping", {}),
]


def resource(path):
    r = service
    for name in filter(None, path.split(".")):
        r = getattr(r, name)()
    return r


def without_upload_type(uri):
    parts = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "uploadType"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def call(path, method, params):
    r = resource(path)
    kwargs = {key2param(k): v for k, v in params.items()}
    out = {"resource": path, "method": method, "params": params}
    try:
        out["uri"] = getattr(r, method)(**kwargs).uri
    except (TypeError, ValueError) as e:
        out["error"] = type(e).__name__ + ": " + str(e)
        return out
    if method == "get":
        out["mediaUri"] = r.get_media(**kwargs).uri
    if method == "upload":
        media = MediaInMemoryUpload(b"x", mimetype="image/png", resumable=True)
        out["uploadUri"] = without_upload_type(getattr(r, method)(media_body=media, **kwargs).uri)
    return out


def paging():
    keepers = resource("enclosures.keepers")
    first = keepers.list(enclosureId="e1", pageToken="", max_results=2)
    second = keepers.list_next(first, {"nextPageToken": "t/2 3"})
    last = keepers.list_next(second, {"nextPageToken": ""})
    search = keepers.search(body={"query": "q"})
    found = keepers.search_next(search, {"nextPageToken": "s 2"})
    return {"listNext": second.uri, "listLast": last, "searchNextBody": json.loads(found.body),
            "searchNextUri": found.uri}


ACCEPT = [
    ([], "image/png"), (["*/*"], "image/png"), (["image/*"], "image/png"),
    (["image/*"], "text/plain"), (["image/png"], "image/png"), (["image/png"], "image/jpeg"),
    (["*"], "video/mp4"), (["image/*; q=0"], "image/png"), (["text/plain", "image/*"], "image/gif"),
    (["image/png,text/plain"], "text/plain"), ([" image/png "], "image/png"),
    (["image/*"], "*/*"), (["application/json"], "application/json; charset=utf-8"),
    (["", " "], "image/png"), (["text/*"], "image/png"), (["*/png"], "image/png"),
    (["image/svg+xml"], "image/svg+xml"), (["image/png;level=1"], "image/png"),
]

MAX_SIZES = ["5TB", "10MB", "1024", "1", "", "10mb", "1_0KB", " 5MB", "-5MB", "7 ", "+7GB",
             "\u0663KB", "\u00a05MB", "1.5KB", "1K", "KB", "0x10", "1__0", "1 0MB", "0",
             "99999999999999TB", "8388607TB", "8388608TB", "2gB", "5 TB", "_5MB"]

TEMPLATES = [
    ("a/{x}", {"x": "a/b c"}), ("{+x}", {"x": "a/b?c#d%41[]"}), ("{#x}", {"x": "a/b c"}),
    ("{x,y}", {"x": [], "y": "v"}), ("{x}", {}),
    ("x{/a,b*}{?q,r*}{;s}{.t}{#u}", {"a": "1", "b": ["2", "3"], "q": "v w", "r": ["x", "y"],
                                     "s": "", "t": ["a", "b"], "u": "\u00e9/"}),
    ("{&x}", {"x": "1"}), ("{;x*}", {"x": ["a", "b"]}), ("{;x}", {"x": ["a", "b"]}),
    ("{;x}", {"x": []}), ("{;x*}", {"x": []}), ("{x:3}", {"x": "abcdef"}),
    ("{x:-2}", {"x": "abcdef"}), ("{x=def}", {}), ("{x=def}", {"x": []}), ("{?x}", {"x": ""}),
    ("{?x}", {"x": []}), ("{?x*}", {"x": ["a b", "c"]}), ("{|x}", {"x": "v w"}),
    ("{!x,y}", {"x": "1", "y": "2"}), ("{@x}", {"x": ["1", "2"]}), ("{x}{x}", {"x": "d"}),
    ("{x*}", {"x": ["a", "b/c"]}), ("{/x}", {"x": ""}), ("{.x}", {"x": []}),
    ("{/x*}", {"x": ["a", "b"]}), ("{x}", {"x": "\U0001F418"}), ("{}", {"": "v"}),
    ("{+x:2}", {"x": "/a/b"}), ("a{?x,y}", {"y": "2"}),
]


def max_size(text):
    try:
        return {"text": text, "bytes": str(_media_size_to_long(text))}
    except ValueError as e:
        return {"text": text, "error": str(e)}


json.dump({
    "calls": [call(*c) for c in CALLS],
    "paging": paging(),
    "accept": [{"accept": a, "type": t, "accepted": bool(mimeparse.best_match([t], ",".join(a)))}
               for a, t in ACCEPT],
    "maxSize": [max_size(s) for s in MAX_SIZES],
    "templates": [{"template": t, "values": v, "expanded": uritemplate.expand(t, v)}
                  for t, v in TEMPLATES],
}, sys.stdout, indent=1, ensure_ascii=True)
print()
