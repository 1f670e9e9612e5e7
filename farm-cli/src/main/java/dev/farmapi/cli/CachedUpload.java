package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ChecksumMismatchError;
import dev.farmapi.apiclient.HttpError;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.ResumableSession;
import dev.farmapi.apiclient.ResumableUploadError;
import dev.farmapi.apiclient.RetryPolicy;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.time.Instant;

/**
 * A resumable upload of a file whose session is kept in the {@link UploadCache} after every
 * chunk, so that the same {@code farm upload} run again after a crash continues where the server
 * stands. The saved entry is forgotten once the upload completes, or fails in a way a rerun
 * cannot mend; a changed file (other size or modification time) starts over.
 */
final class CachedUpload {
  private final Farm farm;
  private final UploadCache cache;
  private final String server;
  private final MediaFileUpload media;
  private final Animal animal;
  private final FileProgress progress;
  private final RateLimit limit;
  private final boolean verbose;

  private final String id;
  private UploadCache.Entry saved; // the entry found at the start, if any
  private ResumableSession last; // the session as last saved by this run
  private boolean warnedCache;
  private boolean pending;

  /** {@code limit} null for no cap on the rate. */
  CachedUpload(Farm farm, UploadCache cache, String server, MediaFileUpload media, Animal animal,
      FileProgress progress, RateLimit limit, boolean verbose) {
    this.farm = farm;
    this.cache = cache;
    this.server = server;
    this.media = media;
    this.animal = animal;
    this.progress = progress;
    this.limit = limit;
    this.verbose = verbose;
    this.id = UploadCache.id(server, media.fingerprint().orElseThrow());
  }

  /** Runs the upload to the end; the server's animal as JSON. */
  JsonNode run() throws IOException {
    findSaved();
    HttpRequest<JsonNode> request = request(saved == null ? null : saved.session());
    JsonNode animalJson;
    try {
      animalJson = request.execute();
    } catch (IOException | RuntimeException e) {
      if (cannotResume(e)) {
        cache.delete(id);
      } else {
        pending = last != null || saved != null;
      }
      throw e;
    }
    if (saved != null && last == null) {
      say("The saved upload of " + media.path().getFileName() + " had already completed");
    }
    cache.delete(id);
    return animalJson;
  }

  /** After a failed {@link #run}: whether the session is saved, so that a rerun resumes. */
  boolean pending() {
    return pending;
  }

  /** Keeps the entry of this file as it is now; drops those of its earlier versions. */
  private void findSaved() throws IOException {
    for (UploadCache.Entry e : cache.of(server)) {
      if (!e.file().equals(media.path())) {
        continue;
      }
      if (e.id().equals(id)) {
        saved = e;
      } else {
        cache.delete(e.id());
        UploadsCommand.cancelQuietly(farm.client(), e.session());
        say(media.path().getFileName() + " changed since its upload began (it was "
            + Sizes.format(e.size()) + "); starting over");
      }
    }
  }

  private HttpRequest<JsonNode> request(ResumableSession resumeFrom) {
    // Bytes the saved session had acknowledged are only re-read to hash them: not charged.
    MediaUpload sent = limit == null ? media
        : new ThrottledMedia(media, limit, resumeFrom == null ? 0 : resumeFrom.offset());
    HttpRequest.Builder<JsonNode> builder = farm.animals().prepareInsert(animal, sent)
        .parser(json -> json) // the server's own fields, for --json
        .progressListener(p -> progress.at(p.bytesUploaded()))
        .sessionListener(this::onSession);
    if (resumeFrom == null) {
      return builder.build();
    }
    try {
      return builder.resumeFrom(resumeFrom).build();
    } catch (IllegalArgumentException notThisSource) {
      // Saved by another version of farm that fingerprinted files differently: start over.
      forget();
      saved = null;
      return builder.resumeFrom(null).build();
    }
  }

  /** The session started or advanced: the server's offset is known; save it. */
  private void onSession(ResumableSession session) {
    if (last == null) {
      announce(session);
      progress.started(session.offset());
    } else if (!session.sessionUri().equals(last.sessionUri()) && session.offset() == 0) {
      say("The server lost the upload session; starting over");
    }
    last = session;
    Instant started = saved == null ? Instant.now() : saved.started();
    try {
      cache.save(new UploadCache.Entry(id, server, media.path(), media.size().orElse(-1),
          animal.name(), animal.species(), started, session));
    } catch (IOException | RuntimeException e) {
      if (!warnedCache) {
        warnedCache = true;
        progress.say("farm: cannot save the upload session in " + cache.dir() + " ("
            + e.getMessage() + "); the upload goes on but cannot be resumed after a crash");
      }
    }
  }

  private void announce(ResumableSession session) {
    if (saved == null) {
      if (verbose) {
        say("Saving the upload session in " + cache.dir() + ": if interrupted, run the same"
            + " command again to resume");
      }
    } else if (session.sessionUri().equals(saved.session().sessionUri())) {
      say("Resuming at " + Sizes.format(session.offset()) + " of "
          + Sizes.format(media.size().orElse(-1)));
    } else {
      say("The server no longer has the saved upload (expired or cancelled); starting over");
    }
  }

  /** Whether a rerun could only fail the same way: then the saved session is useless. */
  private static boolean cannotResume(Exception e) {
    if (e instanceof ChecksumMismatchError || e instanceof ResumableUploadError) {
      return true; // the bytes stored are wrong, or the session cannot go on
    }
    // A refusal that is not passing trouble; but a wrong key says nothing of the session.
    return e instanceof HttpError && !RetryPolicy.isRetryable(e)
        && Failures.exitCode(e) != ExitCodes.AUTH;
  }

  private void forget() {
    try {
      cache.delete(id);
    } catch (IOException e) {
      // the entry is rewritten with the new session anyway
    }
  }

  private void say(String message) {
    progress.say(message);
  }
}
