"""Records what google-api-python-client 1.7.12 (Debian python3-googleapi) builds from Google's
published discovery documents of Drive v3, Cloud Storage v1 and YouTube v3 (the JSON files beside
this script), for GoogleDocumentsTest: each call's HTTP method, URL (rootUrl replaced by ROOT),
Content-Type, whether it is resumable, the metadata part of a multipart body, or the error the
client raises before sending anything (required parameters, accept, maxSize).

Run: /usr/bin/python3 google_parity.py > google-parity.json
"""
import json
import logging
import os
import sys
import tempfile

from googleapiclient import errors
from googleapiclient.discovery import build_from_document, key2param
from googleapiclient.http import MediaInMemoryUpload

logging.disable(logging.CRITICAL)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "http://root.invalid/"
FILES = tempfile.mkdtemp()
# Files given by name (media_body='clip.mp4'): their type is guessed from the name.
SIZES = {"report.pdf": 1000, "clip.mp4": 3000, "notes.txt": 10, "thumb.png": 2000,
         "big.png": 3 * 1024 * 1024}
for name, size in SIZES.items():
    with open(os.path.join(FILES, name), "wb") as f:
        f.write(b"\x89" * size)


def service(name, developer_key=None):
    doc = json.load(open(os.path.join(HERE, name + ".json")))
    doc["rootUrl"] = ROOT
    return build_from_document(doc, http=object(), developerKey=developer_key)


SERVICES = {"drive.v3": service("drive.v3"), "storage.v1": service("storage.v1"),
            "youtube.v3": service("youtube.v3"),
            "drive.v3+key": service("drive.v3", developer_key="AIzaTestKey")}

# (id, service, resource, method, params, body, media); media: None, a file name, or
# {"mimetype", "size", "resumable"} for a MediaInMemoryUpload.
CALLS = [
    ("drive-create-multipart", "drive.v3", "files", "create", {}, {"name": "report.pdf"},
     "report.pdf"),
    ("drive-create-media", "drive.v3", "files", "create", {}, None,
     {"mimetype": "image/png", "size": 10, "resumable": False}),
    ("drive-create-resumable", "drive.v3", "files", "create",
     {"supportsTeamDrives": True, "keepRevisionForever": False}, {"name": "pig.png"},
     {"mimetype": "image/png", "size": 10, "resumable": True}),
    ("drive-update-resumable", "drive.v3", "files", "update", {"fileId": "f 1/2"},
     {"name": "pig v2.png"}, {"mimetype": "image/png", "size": 10, "resumable": True}),
    ("drive-update-no-id", "drive.v3", "files", "update", {}, {"name": "x"},
     {"mimetype": "image/png", "size": 10, "resumable": True}),
    ("drive-list", "drive.v3", "files", "list", {"pageSize": 2, "q": "name contains 'pig'"},
     None, None),
    ("drive-get", "drive.v3", "files", "get", {"fileId": "f1", "fields": "id,name"}, None, None),
    ("drive-create-key", "drive.v3+key", "files", "create", {}, {"name": "pig.png"},
     {"mimetype": "image/png", "size": 10, "resumable": True}),
    ("storage-insert-resumable", "storage.v1", "objects", "insert",
     {"bucket": "my-bucket", "name": "photos/\u00e9t\u00e9 \U0001F416.png",
      "ifGenerationMatch": "0"}, None, {"mimetype": "image/png", "size": 10, "resumable": True}),
    ("storage-insert-multipart", "storage.v1", "objects", "insert", {"bucket": "my-bucket"},
     {"name": "na\u00efve/r\u00e9sum\u00e9.pdf", "metadata": {"owner": "pig"}}, "report.pdf"),
    ("storage-insert-media", "storage.v1", "objects", "insert",
     {"bucket": "my-bucket", "name": "a b&c=d+e.txt", "ifGenerationMatch": 1234567890123},
     None, {"mimetype": "text/plain", "size": 10, "resumable": False}),
    ("storage-insert-no-bucket", "storage.v1", "objects", "insert", {"name": "x"}, None,
     {"mimetype": "text/plain", "size": 10, "resumable": False}),
    ("storage-get", "storage.v1", "objects", "get",
     {"bucket": "my-bucket", "object": "photos/\u00e9t\u00e9.png"}, None, None),
    ("storage-list", "storage.v1", "objects", "list",
     {"bucket": "my-bucket", "prefix": "photos/", "maxResults": 2}, None, None),
    ("youtube-insert-multipart", "youtube.v3", "videos", "insert",
     {"part": "snippet,status", "notifySubscribers": False},
     {"snippet": {"title": "Pigs \u2603", "categoryId": "22"},
      "status": {"privacyStatus": "private"}}, "clip.mp4"),
    ("youtube-insert-resumable", "youtube.v3", "videos", "insert", {"part": "snippet"},
     {"snippet": {"title": "Pigs"}}, {"mimetype": "video/mp4", "size": 10, "resumable": True}),
    ("youtube-insert-no-part", "youtube.v3", "videos", "insert", {}, None,
     {"mimetype": "video/mp4", "size": 10, "resumable": True}),
    ("youtube-insert-text", "youtube.v3", "videos", "insert", {"part": "snippet"}, None,
     "notes.txt"),
    ("youtube-thumbnail", "youtube.v3", "thumbnails", "set", {"videoId": "v1"}, None,
     "thumb.png"),
    ("youtube-thumbnail-too-big", "youtube.v3", "thumbnails", "set", {"videoId": "v1"}, None,
     "big.png"),
    ("youtube-thumbnail-too-big-stream", "youtube.v3", "thumbnails", "set", {"videoId": "v1"},
     None, {"mimetype": "image/png", "size": 3 * 1024 * 1024, "resumable": True}),
]


def media_of(spec):
    if spec is None:
        return None
    if isinstance(spec, str):
        return os.path.join(FILES, spec)
    return MediaInMemoryUpload(b"\x89" * spec["size"], mimetype=spec["mimetype"],
                               resumable=spec["resumable"])


def call(cid, svc, resource, method, params, body, media):
    out = {"id": cid, "service": svc, "resource": resource, "method": method, "params": params,
           "body": body, "media": media}
    kwargs = {key2param(k): v for k, v in params.items()}
    if body is not None:
        kwargs["body"] = body
    if media is not None:
        kwargs["media_body"] = media_of(media)
    try:
        request = getattr(getattr(SERVICES[svc], resource)(), method)(**kwargs)
    except (TypeError, ValueError, errors.Error) as e:
        out["error"] = type(e).__name__
        out["message"] = str(e)
        return out
    out["httpMethod"] = request.method
    out["uri"] = request.uri[len(ROOT):]
    out["contentType"] = request.headers.get("content-type")
    out["resumable"] = request.resumable is not None
    if out["contentType"] and out["contentType"].startswith("multipart/related"):
        # The first part is the JSON metadata, as the client serialized it.
        body_bytes = request.body if isinstance(request.body, bytes) else request.body.encode("latin-1")
        text = body_bytes.decode("latin-1")
        part = text.split("\n\n", 2)[1]
        out["metadata"] = json.loads(part[:part.index("\n--")].encode("latin-1").decode("utf-8"))
    if method == "get":
        out["mediaUri"] = getattr(getattr(SERVICES[svc], resource)(), "get_media")(
            **kwargs).uri[len(ROOT):]
    if method == "list":
        r = getattr(SERVICES[svc], resource)()
        out["nextUri"] = r.list_next(request, {"nextPageToken": "tok 2/3"}).uri[len(ROOT):]
        out["lastPage"] = r.list_next(request, {"items": []}) is None
    return out


json.dump({"root": ROOT, "calls": [call(*c) for c in CALLS]}, sys.stdout, indent=1,
          ensure_ascii=True)
print()
