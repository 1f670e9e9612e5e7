#!/usr/bin/python3
"""The Python peer for the benchmarks: google-api-python-client, as its guide uses it.

    farm_bench.py file  ROOT KEY FILE CHUNK   resumable MediaFileUpload, next_chunk() loop
    farm_bench.py small ROOT KEY LISTFILE     one multipart insert per listed file (httplib2
                                              keeps the connection between them)
    farm_bench.py startup ROOT KEY -          one small list: the fixed cost of a process
    farm_bench.py download ROOT KEY ID OUT    MediaIoBaseDownload of the picture into OUT,
                                              next_chunk() loop, 8 MiB chunks
    farm_bench.py download-small ROOT KEY LISTFILE DIR
                                              the same for each listed id, into DIR/ID

Prints one JSON line: {"seconds": ..., "uploads": [{"id", "md5Hash", "mediaSize"}]} (downloads:
{"seconds": ..., "downloads": N}); the seconds run from just before the first upload (download)
request to the last response (the discovery document is fetched before).
"""
import json
import os
import sys
import time

import googleapiclient.http
from googleapiclient import discovery
from googleapiclient.http import MediaFileUpload, MediaIoBaseDownload

DOWNLOAD_CHUNK = 8 << 20

TYPE = "application/octet-stream"


def service(root, key):
    if not root.endswith("/"):
        root += "/"
    return discovery.build(
        "farm", "v1",
        discoveryServiceUrl=root + "discovery/v1/apis/{api}/{apiVersion}/rest",
        http=googleapiclient.http.build_http(),
        developerKey=key,
        cache_discovery=False,
    )


def stored(animal):
    size = animal.get("mediaSize")
    return {"id": animal.get("id"), "md5Hash": animal.get("md5Hash"),
            "mediaSize": None if size is None else int(size)}


def download(farm, animal_id, out):
    with open(out, "wb") as f:
        downloader = MediaIoBaseDownload(f, farm.animals().get_media(id=animal_id),
                                         chunksize=DOWNLOAD_CHUNK)
        done = False
        while not done:
            _, done = downloader.next_chunk()


def main():
    mode, root, key, path = sys.argv[1:5]
    farm = service(root, key)
    uploads = []
    if mode == "download":
        start = time.monotonic()
        download(farm, path, sys.argv[5])
        print(json.dumps({"seconds": time.monotonic() - start, "downloads": 1}), flush=True)
        return
    if mode == "download-small":
        with open(path) as f:
            ids = [line.strip() for line in f if line.strip()]
        start = time.monotonic()
        for animal_id in ids:
            download(farm, animal_id, os.path.join(sys.argv[5], animal_id))
        print(json.dumps({"seconds": time.monotonic() - start, "downloads": len(ids)}),
              flush=True)
        return
    if mode == "file":
        media = MediaFileUpload(path, mimetype=TYPE, chunksize=int(sys.argv[5]), resumable=True)
        start = time.monotonic()
        request = farm.animals().insert(body={"name": "bench"}, media_body=media)
        response = None
        while response is None:
            _, response = request.next_chunk()
        uploads.append(stored(response))
    elif mode == "small":
        with open(path) as f:
            files = [line.strip() for line in f if line.strip()]
        start = time.monotonic()
        for i, name in enumerate(files):
            media = MediaFileUpload(name, mimetype=TYPE, resumable=False)
            animal = farm.animals().insert(body={"name": "small-%d" % i}, media_body=media).execute()
            uploads.append(stored(animal))
    elif mode == "startup":
        start = time.monotonic()
        farm.animals().list(maxResults=1).execute()
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps({"seconds": time.monotonic() - start, "uploads": uploads}), flush=True)


if __name__ == "__main__":
    main()
