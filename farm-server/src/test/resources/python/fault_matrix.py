#!/usr/bin/python3
"""Runs many cells of the fault matrix in one process (startup and the discovery build are
slow), with the real google-api-python-client, the way the seed's guide uses it.

    fault_matrix.py ROOT KEY CELLS.json

CELLS.json is a list of {"cell": N, "mode": MODE, "file": F, "name": NAME or null,
"test": RETRY_TEST_ID}. MODE is one of:
  simple             MediaFileUpload(F), no body: uploadType=media, execute(num_retries=3)
  multipart          the same with body={"name": NAME}: uploadType=multipart
  resumable          MediaFileUpload(F, resumable=True, chunksize=256 KiB), next_chunk() loop
  resumable_unknown  upload.SizeUnknownUpload (the seed's "Extending MediaUpload": size None,
                     no stream, getbytes() per chunk): 'bytes A-B/*' until a short read
The loop is upload.py's (the guide's pattern): HttpError 404 starts over; 408, 429 and 5xx,
or a dropped connection or cut answer, back off and call next_chunk() again, which sends a
status query first.

The socket timeout is 1 s (socket.setdefaulttimeout before build_http(), as its docstring
says), so a server stall of 2 s or more is a real fault for the client. The client's backoff
sleeps (rand() * 2**n seconds) are scaled down by drawing rand() as 0.01: same retries, less
waiting.

Prints one JSON line per cell: {"cell": N, "animal": ... or null, "error": {...} or null,
"errors": [errors the loop survived], "requests": [this cell's trace]}.
"""
import http.client
import json
import socket
import sys
import time

import httplib2
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

import farmlib
import upload

CHUNK = 256 * 1024
MAX_ERRORS = 8


def main():
    root, key, cells_file = sys.argv[1:4]
    socket.setdefaulttimeout(1.0)
    farm = farmlib.service(root, key)
    with open(cells_file) as f:
        cells = json.load(f)
    for cell in cells:
        del farmlib.TRACE[:]
        errors = []
        try:
            animal = run(farm, cell, errors)
            farmlib.emit(cell=cell["cell"], animal=animal, error=None, errors=errors)
        except Exception as e:  # the cell failed: say how, and go on with the next one
            error = farmlib.describe(e)
            error["message"] = str(e)[:200]
            farmlib.emit(cell=cell["cell"], animal=None, error=error, errors=errors)


def run(farm, cell, errors):
    mode = cell["mode"]

    def new_request():
        if mode == "resumable_unknown":
            media = upload.SizeUnknownUpload(cell["file"], "image/png", CHUNK)
        else:
            media = MediaFileUpload(cell["file"], mimetype="image/png",
                                    resumable=mode == "resumable", chunksize=CHUNK)
        kwargs = {"media_body": media}
        if cell["name"] is not None:
            kwargs["body"] = {"name": cell["name"]}
        request = farm.animals().insert(**kwargs)
        request._rand = lambda: 0.01  # shorter backoff sleeps, same retries
        return farmlib.opt_in_to_retry_test(request, cell["test"])

    request = new_request()
    if mode in ("simple", "multipart"):
        return request.execute(num_retries=3)

    response = None
    while response is None:
        try:
            status, response = request.next_chunk()
        except HttpError as e:
            errors.append(farmlib.describe(e))
            if len(errors) > MAX_ERRORS:
                raise
            if e.resp.status == 404:
                request = new_request()  # the session is gone: start the upload all over again
            elif e.resp.status in (408, 429, 500, 502, 503, 504):
                backoff(len(errors))
            else:
                raise
        except (socket.error, http.client.HTTPException, httplib2.HttpLib2Error) as e:
            errors.append(farmlib.describe(e))
            if len(errors) > MAX_ERRORS:
                raise
            backoff(len(errors))
    return response


def backoff(attempt):
    time.sleep(min(0.02 * 2 ** attempt, 0.5))


if __name__ == "__main__":
    sys.exit(main())
