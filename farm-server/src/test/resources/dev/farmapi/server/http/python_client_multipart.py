#!/usr/bin/python3
"""Prints the exact multipart/related body google-api-python-client 1.7.12 sends.

Development aid only: MultipartReaderPythonClientTest holds the captured bytes as Java
literals, so the build never needs Python. Regenerate with
    /usr/bin/python3 farm-server/src/test/resources/dev/farmapi/server/http/python_client_multipart.py [empty]
It drives the real client code path (discovery.createMethod -> MIMEMultipart +
_BytesGenerator) through build_from_document, without any network: we only read the
request that would be sent.
"""
import json
import random
import sys

from googleapiclient.discovery import build_from_document
from googleapiclient.http import MediaInMemoryUpload

DISCOVERY = {
    "kind": "discovery#restDescription",
    "discoveryVersion": "v1",
    "id": "farm:v1",
    "name": "farm",
    "version": "v1",
    "rootUrl": "http://127.0.0.1:8080/",
    "servicePath": "farm/v1/",
    "protocol": "rest",
    "resources": {
        "animals": {
            "methods": {
                "insert": {
                    "id": "farm.animals.insert",
                    "path": "animals",
                    "httpMethod": "POST",
                    "request": {"$ref": "Animal"},
                    "response": {"$ref": "Animal"},
                    "supportsMediaUpload": True,
                    "mediaUpload": {
                        "accept": ["*/*"],
                        "maxSize": "5TB",
                        "protocols": {
                            "simple": {"multipart": True, "path": "/upload/farm/v1/animals"}
                        },
                    },
                }
            }
        }
    },
    "schemas": {
        "Animal": {
            "id": "Animal",
            "type": "object",
            "properties": {"name": {"type": "string"}},
        }
    },
}

# Media that stresses the framing: CR, LF, CRLF, NUL, high bytes, a line that looks
# like a delimiter but is not one, and a trailing CR right before the closing delimiter.
MEDIA = (
    b"\x89PNG\r\n\x1a\n\x00\x01\xfe\xff"
    b"line one\nline two\r\nbare cr\r"
    b"\n--===============not-the-boundary==\n"
    b"\x00\x00tail\r"
)


def main():
    random.seed(20240601)  # the email package picks the boundary with random.randrange
    service = build_from_document(json.dumps(DISCOVERY), developerKey="k")
    data = b"" if sys.argv[1:] == ["empty"] else MEDIA  # "empty": a zero-byte media part
    media = MediaInMemoryUpload(data, mimetype="image/png", resumable=False)
    request = service.animals().insert(body={"name": "Pig"}, media_body=media)
    print("Content-Type:", request.headers["content-type"])
    print("Body (Java literal):")
    body = request.body
    print('"' + "".join(java_char(b) for b in body) + '"')
    print("Body (repr):", repr(body))


def java_char(b):
    if b == 0x0A:
        return "\\n"
    if b == 0x0D:
        return "\\r"
    if b == 0x22:
        return '\\"'
    if b == 0x5C:
        return "\\\\"
    if 0x20 <= b < 0x7F:
        return chr(b)
    return "\\u%04x" % b


if __name__ == "__main__":
    main()
