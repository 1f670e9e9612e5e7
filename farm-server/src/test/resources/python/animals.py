#!/usr/bin/python3
"""The Farm API's other methods through the real google-api-python-client.

    animals.py ROOT KEY update ID FILE NAME MIMETYPE CHUNKSIZE   resumable update with media
    animals.py ROOT KEY download ID OUT CHUNKSIZE                get_media + MediaIoBaseDownload
    animals.py ROOT KEY list MAXRESULTS                          list, then list_next to the end
    animals.py ROOT KEY patch ID NAME                            patch the name
    animals.py ROOT KEY delete ID                                delete, then get: HttpError 404
    animals.py ROOT KEY whoami                                   the top-level method whoami

Prints one JSON line with what the client returned.
"""
import io
import sys

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload, MediaIoBaseDownload

import farmlib


def update(farm, animal_id, filename, name, mimetype, chunksize):
    media = MediaFileUpload(filename, mimetype=mimetype, chunksize=int(chunksize), resumable=True)
    request = farm.animals().update(id=animal_id, body={"name": name}, media_body=media)
    response, progress = None, []
    while response is None:
        status, response = request.next_chunk()
        if status:
            progress.append(status.resumable_progress)
    farmlib.emit(animal=response, progress=progress)


def download(farm, animal_id, out, chunksize):
    request = farm.animals().get_media(id=animal_id)
    progress = []
    with io.FileIO(out, mode="wb") as fh:
        downloader = MediaIoBaseDownload(fh, request, chunksize=int(chunksize))
        done = False
        while done is False:
            status, done = downloader.next_chunk()
            farmlib.say("Download %d%%." % int(status.progress() * 100))
            progress.append(status.resumable_progress)
    farmlib.emit(progress=progress, total=status.total_size)


def list_all(farm, max_results):
    pages = []
    request = farm.animals().list(maxResults=int(max_results))
    while request is not None:
        response = request.execute()
        pages.append([animal["id"] for animal in response.get("items", [])])
        request = farm.animals().list_next(previous_request=request, previous_response=response)
    farmlib.emit(pages=pages)


def patch(farm, animal_id, name):
    farmlib.emit(animal=farm.animals().patch(id=animal_id, body={"name": name}).execute())


def delete(farm, animal_id):
    deleted = farm.animals().delete(id=animal_id).execute()
    try:
        farm.animals().get(id=animal_id).execute()
        farmlib.fail("get after delete succeeded")
    except HttpError as e:
        # delete has no response schema: the client hands back the raw (empty) body.
        farmlib.emit(deleted=repr(deleted), get_after_delete=e.resp.status)


def whoami(farm):
    farmlib.emit(whoami=farm.whoami().execute())


COMMANDS = {"update": update, "download": download, "list": list_all, "patch": patch,
            "delete": delete, "whoami": whoami}

if __name__ == "__main__":
    root, key, command = sys.argv[1:4]
    COMMANDS[command](farmlib.service(root, key), *sys.argv[4:])
