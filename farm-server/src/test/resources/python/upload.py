#!/usr/bin/python3
"""Uploads one file with the real google-api-python-client, the way the seed's guide does.

    upload.py ROOT KEY FILE [options]

--source picks the media_body:
  filename  media_body='FILE' (the client guesses the type from the name)
  file      MediaFileUpload(FILE, mimetype=...)
  bytesio   MediaIoBaseUpload(io.BytesIO(...), mimetype=...)
  fileobj   MediaIoBaseUpload(open(FILE, 'rb'), mimetype=...)
  memory    MediaInMemoryUpload(bytes, mimetype=...)
  custom    a MediaUpload subclass of unknown size and without a stream (the seed's
            "Extending MediaUpload"): the client sends 'bytes A-B/*' until a short read
With --resumable, the upload runs the seed's next_chunk() loop and prints "Uploaded N%."
after each chunk (or, with --execute, calls execute() and lets the client loop).
--max-errors N lets the loop survive N errors with the guide's exception handling pattern
(HttpError 404: start over; 5xx or 408, or a dropped connection: call next_chunk() again).

Ids may start with '-': pass them as --update=ID and --retry-test=ID.

Prints one JSON line: {"animal": ..., "progress": [bytes after each chunk], "errors": [...]}.
"""
import argparse
import http.client
import io
import socket
import sys
import time

import httplib2
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload, MediaInMemoryUpload, MediaIoBaseUpload
from googleapiclient.http import MediaUpload

import farmlib


def main():
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("key")
    p.add_argument("file")
    p.add_argument("--source", default="file",
                   choices=["filename", "file", "bytesio", "fileobj", "memory", "custom"])
    p.add_argument("--mimetype")
    p.add_argument("--name", help="metadata name; without it the request has no body")
    p.add_argument("--update", metavar="ID", help="update this animal instead of inserting")
    p.add_argument("--resumable", action="store_true")
    p.add_argument("--chunksize", type=int)
    p.add_argument("--execute", action="store_true", help="resumable: execute(), not a loop")
    p.add_argument("--num-retries", type=int, default=0)
    p.add_argument("--retry-test", help="x-retry-test-id to send")
    p.add_argument("--max-errors", type=int, default=0)
    p.add_argument("--ca-certs", help="PEM file of the CAs to trust for HTTPS")
    args = p.parse_args()

    farm = farmlib.service(args.root, args.key, args.ca_certs)

    def new_request():
        kwargs = {"media_body": media_body(args)}
        if args.name is not None:
            kwargs["body"] = {"name": args.name}
        if args.update:
            request = farm.animals().update(id=args.update, **kwargs)
        else:
            request = farm.animals().insert(**kwargs)
        return farmlib.opt_in_to_retry_test(request, args.retry_test)

    request = new_request()
    if not args.resumable or args.execute:
        farmlib.emit(animal=request.execute(num_retries=args.num_retries), progress=[], errors=[])
        return

    progress, errors, restarts = [], [], 0
    response = None
    while response is None:
        try:
            status, response = request.next_chunk(num_retries=args.num_retries)
            if status:
                farmlib.say("Uploaded %d%%." % int(status.progress() * 100))
                progress.append(status.resumable_progress)
        except HttpError as e:
            errors.append(farmlib.describe(e))
            give_up_unless(len(errors) <= args.max_errors, e)
            if e.resp.status == 404:
                request = new_request()  # the session is gone: start the upload all over again
                restarts += 1
            elif e.resp.status in (408, 500, 502, 503, 504):
                backoff(len(errors))  # call next_chunk() again, after a pause
            else:
                raise
        except (socket.error, http.client.HTTPException, httplib2.HttpLib2Error) as e:
            # A dropped connection or a cut answer: the next next_chunk() asks the server where
            # the upload stands (a status query) and goes on from there.
            errors.append(farmlib.describe(e))
            give_up_unless(len(errors) <= args.max_errors, e)
            backoff(len(errors))
    farmlib.say("Upload Complete!")
    farmlib.emit(animal=response, progress=progress, errors=errors, restarts=restarts)


def media_body(args):
    if args.source == "filename":
        return args.file
    options = {"resumable": args.resumable}
    if args.chunksize:
        options["chunksize"] = args.chunksize
    if args.source == "file":
        return MediaFileUpload(args.file, mimetype=args.mimetype, **options)
    if args.source == "bytesio":
        with open(args.file, "rb") as f:
            return MediaIoBaseUpload(io.BytesIO(f.read()), mimetype=args.mimetype, **options)
    if args.source == "fileobj":
        return MediaIoBaseUpload(open(args.file, "rb"), mimetype=args.mimetype, **options)
    if args.source == "memory":
        with open(args.file, "rb") as f:
            return MediaInMemoryUpload(f.read(), mimetype=args.mimetype, **options)
    return SizeUnknownUpload(args.file, args.mimetype, args.chunksize)


class SizeUnknownUpload(MediaUpload):
    """Media made on the fly: its size is unknown until the source runs dry, and it offers no
    stream, so the client asks for it with getbytes() one chunk at a time."""

    def __init__(self, filename, mimetype, chunksize):
        self._filename = filename
        self._mimetype = mimetype
        self._chunksize = chunksize

    def chunksize(self):
        return self._chunksize

    def mimetype(self):
        return self._mimetype

    def size(self):
        return None

    def resumable(self):
        return True

    def getbytes(self, begin, length):
        with open(self._filename, "rb") as f:
            f.seek(begin)
            return f.read(length)

    def has_stream(self):
        return False


def backoff(attempt):
    # The guide asks for exponential backoff; kept short so that the tests stay fast.
    time.sleep(min(0.05 * 2 ** attempt, 1.0))


def give_up_unless(condition, error):
    if not condition:
        raise error


if __name__ == "__main__":
    sys.exit(main())
