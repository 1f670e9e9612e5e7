#!/usr/bin/python3
"""Checks the client makes before it sends anything, from the discovery document's
mediaUpload.accept and mediaUpload.maxSize.

    media_checks.py ROOT KEY ACCEPTED_FILE REJECTED_TYPE_FILE TOO_BIG_FILE

ACCEPTED_FILE must pass the checks (and is uploaded, by file name); REJECTED_TYPE_FILE's
guessed type must not be accepted; TOO_BIG_FILE must be larger than maxSize. Prints one JSON
line: for each case, the exception's class and message, or the animal stored; and the requests
the client sent (none for a case it refused).
"""
import sys

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

import farmlib


def attempt(make_request):
    sent_before = len(farmlib.TRACE)
    try:
        result = {"animal": make_request().execute()}
    except HttpError as e:
        result = {"error": "HttpError", "status": e.resp.status}
    except Exception as e:  # what the client raises before sending: the point of this script
        result = {"error": type(e).__name__, "message": str(e)}
    result["sent"] = len(farmlib.TRACE) - sent_before
    return result


def main():
    root, key, accepted, rejected_type, too_big = sys.argv[1:6]
    farm = farmlib.service(root, key)
    insert = farm.animals().insert
    farmlib.emit(
        accepted=attempt(lambda: insert(media_body=accepted, body={"name": "Accepted"})),
        unacceptable_type=attempt(lambda: insert(media_body=rejected_type, body={"name": "No"})),
        # MediaUpload objects skip the accept check (only file names are checked): the server's
        # own 415 is what stops them.
        unacceptable_type_as_media=attempt(lambda: insert(
            media_body=MediaFileUpload(rejected_type, mimetype="text/plain"), body={"name": "No"})),
        too_big_by_name=attempt(lambda: insert(media_body=too_big, body={"name": "Big"})),
        too_big_resumable=attempt(lambda: insert(
            media_body=MediaFileUpload(too_big, mimetype="image/png", resumable=True),
            body={"name": "Big"})),
    )


if __name__ == "__main__":
    main()
