package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalFields;
import dev.farmapi.server.store.UploadSession;
import dev.farmapi.server.upload.BodySink;
import dev.farmapi.server.upload.ChunkResult;
import dev.farmapi.server.upload.ChunkRange;
import dev.farmapi.server.upload.StagedMedia;
import dev.farmapi.server.upload.Target;
import dev.farmapi.server.upload.ResumableSessions;
import dev.farmapi.server.upload.Uploads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The media endpoints under {@code upload/farm/v1/animals}: simple ({@code uploadType=media}),
 * multipart and resumable uploads, for insert (POST) and update (PUT .../{id}), and the session
 * URIs ({@code upload_id}) that take chunks, status queries and cancels.
 */
final class UploadRoutes {
  private static final String OCTET_STREAM = "application/octet-stream";
  /**
   * Names one logical one-request upload across its retries (IETF httpapi draft "The
   * Idempotency-Key HTTP Header Field"): a repeat gets the first request's animal.
   */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final Uploads uploads;
  private final ResumableSessions sessions;
  private final ServerMetrics metrics;

  UploadRoutes(Uploads uploads, ResumableSessions sessions, ServerMetrics metrics) {
    this.uploads = uploads;
    this.sessions = sessions;
    this.metrics = metrics;
  }

  /** A new upload to {@code target}, of the request's {@code uploadType}. */
  void start(Exchange ex, Target target, RequestFaults faults) throws Exception {
    String type = ex.query.oneOf("uploadType", null, "media", "multipart", "resumable");
    switch (type) {
      case "media" -> simple(ex, target, faults);
      case "multipart" -> multipart(ex, target, faults);
      default -> initiate(ex, target, faults);
    }
  }

  /**
   * A simple upload: the body is pushed into a new blob window by window ({@link BodyStream});
   * the Idempotency-Key is held, and a repeat of an upload that already succeeded found, once
   * the first window is in.
   */
  private void simple(Exchange ex, Target target, RequestFaults faults) throws Exception {
    uploads.requireTarget(target);
    String contentType = Optional.ofNullable(ex.header(HttpHeader.CONTENT_TYPE)).orElse(OCTET_STREAM);
    String key = ex.header(IDEMPOTENCY_KEY);
    Uploads.checkIdempotencyKey(key);
    Optional<Fault> armed = faults.atStart(true);
    long length = ex.contentLength();
    BodyStream.<Uploaded>start(ex, () -> {
      Uploads.KeyHold hold = uploads.holdIdempotencyKey(target, key);
      try {
        Optional<Animal> earlier = uploads.earlierResult(target, key);
        BodySink<Uploaded> sink = earlier.isPresent()
            ? new Replay(earlier.get())
            : new Committing(uploads.stager(contentType, length), target, key);
        return BodyStream.Opened.sink(
            metrics.countUploadBytes(RequestFaults.wrap(sink, armed)), hold);
      } catch (IOException | RuntimeException e) {
        hold.close();
        throw e;
      }
    }, uploaded -> {
      if (uploaded.fresh()) {
        finishUpload(ex, "media", uploaded.animal(), faults);
      } else {
        sendAnimal(ex, uploaded.animal(), faults);
      }
    });
  }

  /**
   * A multipart upload: its parts are parsed by a reader that pulls, so it runs on a worker once
   * the first window of the body is in, and waits (holding the worker) for the rest.
   */
  private void multipart(Exchange ex, Target target, RequestFaults faults) throws Exception {
    String boundary = MultipartReader.boundary(ex.header(HttpHeader.CONTENT_TYPE));
    uploads.requireTarget(target);
    String key = ex.header(IDEMPOTENCY_KEY);
    Uploads.checkIdempotencyKey(key);
    Optional<Fault> armed = faults.atStart(true);
    ex.afterBody(BodyReader.GATE, () -> {
      try (Uploads.KeyHold hold = uploads.holdIdempotencyKey(target, key)) {
        multipart(ex, target, faults, boundary, key, armed);
      }
    });
  }

  private void multipart(Exchange ex, Target target, RequestFaults faults, String boundary,
      String key, Optional<Fault> armed) throws Exception {
    try (ReadableByteChannel body = ex.body()) {
      ReadableByteChannel faulty = RequestFaults.wrap(metrics.countUploadBytes(body), armed);
      Optional<Animal> earlier = uploads.earlierResult(target, key);
      if (earlier.isPresent()) {
        replay(ex, faulty, earlier.get(), faults);
        return;
      }
      MultipartReader reader = new MultipartReader(Channels.newInputStream(faulty), boundary);
      MultipartReader.Part metadata = reader.nextPart();
      if (metadata == null) {
        throw invalidMultipart("the multipart body has no parts");
      }
      AnimalFields fields = AnimalJson.fields(
          Json.parseObject(readBounded(reader.partBody()), "the multipart metadata part"));
      MultipartReader.Part media = reader.nextPart();
      if (media == null) {
        throw invalidMultipart("the multipart body has metadata but no media part");
      }
      StagedMedia staged = uploads.stage(media.contentType(),
          Channels.newChannel(reader.partBody()), -1);
      try {
        if (reader.nextPart() != null) {
          throw invalidMultipart("a multipart upload has exactly two parts: metadata, then media");
        }
      } catch (IOException | RuntimeException e) {
        uploads.discard(staged);
        throw e;
      }
      fireAtEnd(faulty, staged);
      finishUpload(ex, "multipart", uploads.commit(target, fields, staged, key), faults);
    }
  }

  private void initiate(Exchange ex, Target target, RequestFaults faults) throws Exception {
    faults.atStart(false);
    ex.afterWholeBody(Exchange.MAX_JSON_BODY + 1, () -> initiateWithBody(ex, target, faults));
  }

  private void initiateWithBody(Exchange ex, Target target, RequestFaults faults)
      throws IOException {
    ObjectNode json = ex.jsonBody("the upload metadata");
    AnimalFields fields = json.isEmpty() ? null : AnimalJson.fields(json);
    String contentType = Optional.ofNullable(ex.header("X-Upload-Content-Type")).orElse(OCTET_STREAM);
    long total = length(ex.header("X-Upload-Content-Length"));
    UploadSession session = sessions.initiate(target, fields, contentType, total, ex.key.id());
    faults.bindSession(session.id());
    String location = ex.baseUrl + "upload/farm/v1/animals"
        + (target.isInsert() ? "" : "/" + target.animalId())
        + "?uploadType=resumable&upload_id=" + session.id();
    ex.response.getHeaders().put(HttpHeader.LOCATION, location);
    metrics.sessionStarted();
    ex.sendEmpty(200); // exactly 200, empty, absolute Location: what the Python client checks
  }

  /**
   * A request on a session URI: a chunk or status query (PUT) or a cancel (DELETE). A chunk's
   * body is pushed into the session's blob window by window ({@link BodyStream}); what its
   * headers and the recorded session already decide is answered before the body is read.
   */
  void session(Exchange ex, UploadSession session, RequestFaults faults) throws Exception {
    if (ex.method.equals("DELETE")) {
      faults.atStart(false);
      sessions.cancel(session);
      ex.sendEmpty(499);
      return;
    }
    String header = ex.header(HttpHeader.CONTENT_RANGE);
    if (header == null) {
      throw ApiException.badRequest("invalidContentRange", "a PUT to an upload session needs"
          + " Content-Range: 'bytes FIRST-LAST/TOTAL' for a chunk or 'bytes */TOTAL' to query");
    }
    ChunkRange range = ContentRange.parse(header);
    if (range.isQuery() && ex.contentLength() > 0) {
      throw ApiException.badRequest("invalidContentRange", "a status query ('" + header
          + "') carries no body; send Content-Length: 0");
    }
    Optional<Fault> armed = faults.atStart(range.length() > 0);
    long length = ex.contentLength();
    if (range.isQuery()) {
      answer(ex, sessions.begin(session, range, length).answer(), faults);
      return;
    }
    Optional<ChunkResult> early = sessions.precheck(session, range, length);
    if (early.isPresent()) {
      RequestFaults.fireUnread(armed);
      answer(ex, early.get(), faults);
      return;
    }
    BodyStream.<ChunkResult>start(ex, () -> {
      ResumableSessions.Receipt receipt = sessions.begin(session, range, length);
      if (receipt.sink() == null) {
        RequestFaults.fireUnread(armed);
        return BodyStream.Opened.answer(receipt.answer(), null);
      }
      // The bytes counted are those the session got: after the fault, as a real break.
      return BodyStream.Opened.sink(
          RequestFaults.wrap(metrics.countUploadBytes(receipt.sink()), armed), null);
    }, result -> answer(ex, result, faults));
  }

  private void answer(Exchange ex, ChunkResult result, RequestFaults faults) throws IOException {
    if (result instanceof ChunkResult.Incomplete incomplete) {
      if (incomplete.rangeHeader() != null) {
        ex.response.getHeaders().put("Range", incomplete.rangeHeader());
      }
      ex.sendEmpty(308);
    } else {
      finishUpload(ex, "resumable", ((ChunkResult.Complete) result).animal(), faults);
    }
  }

  /** The animal a one-request upload ends with, and whether it is new or a repeat's. */
  private record Uploaded(Animal animal, boolean fresh) {}

  /** Stages a simple upload's media and, at its end, commits it to the target. */
  private final class Committing implements BodySink<Uploaded> {
    private final BodySink<StagedMedia> staging;
    private final Target target;
    private final String key;

    Committing(BodySink<StagedMedia> staging, Target target, String key) {
      this.staging = staging;
      this.target = target;
      this.key = key;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      staging.write(bytes);
    }

    @Override
    public Uploaded end() throws IOException {
      return new Uploaded(uploads.commit(target, null, staging.end(), key), true);
    }

    @Override
    public Uploaded fail(IOException cause) throws IOException {
      staging.fail(cause); // drops the staged blob and throws
      throw cause;
    }

    @Override
    public void abandon() {
      staging.abandon();
    }
  }

  /**
   * The body of a repeat of a one-request upload that already succeeded: read to its end (so
   * that the connection stays usable and the client sees an answer, not a reset) and dropped;
   * the answer is the animal the first request made, as it is now.
   */
  private static final class Replay implements BodySink<Uploaded> {
    private final Animal animal;

    Replay(Animal animal) {
      this.animal = animal;
    }

    @Override
    public void write(ByteBuffer bytes) {
      bytes.position(bytes.limit());
    }

    @Override
    public Uploaded end() {
      return new Uploaded(animal, false);
    }

    @Override
    public Uploaded fail(IOException cause) throws IOException {
      throw cause;
    }

    @Override
    public void abandon() {}
  }

  /** Fires a body fault due past the body's end; the staged media is dropped if it fails. */
  private void fireAtEnd(ReadableByteChannel faulty, StagedMedia staged) throws IOException {
    try {
      RequestFaults.fireAtEnd(faulty);
    } catch (IOException | RuntimeException e) {
      uploads.discard(staged);
      throw e;
    }
  }

  /**
   * Answers a repeat of a one-request upload that already succeeded: reads its body to the end
   * (so that the connection stays usable and the client sees an answer, not a reset) without
   * storing it, and answers with the animal the first request made, as it is now.
   */
  private void replay(Exchange ex, ReadableByteChannel body, Animal animal, RequestFaults faults)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    while (body.read(buffer) >= 0) {
      buffer.clear();
    }
    sendAnimal(ex, animal, faults);
  }

  /** Answers 200 with the animal, or breaks that answer when a retry test says so. */
  private void finishUpload(Exchange ex, String type, Animal animal, RequestFaults faults)
      throws IOException {
    metrics.uploadCompleted(type, animal);
    sendAnimal(ex, animal, faults);
  }

  private void sendAnimal(Exchange ex, Animal animal, RequestFaults faults) throws IOException {
    byte[] json = Json.bytes(ex.fields.apply(AnimalJson.render(animal, ex.baseUrl)));
    Optional<Fault.BrokenFinal> broken = faults.atCompletion();
    if (broken.isPresent()) {
      BrokenResponses.sendTruncated(ex, 200, "application/json; charset=UTF-8", json,
          broken.get().bytes());
    } else {
      ex.send(200, "application/json; charset=UTF-8", json);
    }
  }

  private static long length(String header) {
    if (header == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(header.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("invalidUploadLength", "X-Upload-Content-Length '"
        + Texts.excerpt(header) + "' is not a byte count; send a non-negative integer"
        + " or leave it out when the size is unknown");
  }

  private static byte[] readBounded(InputStream part) throws IOException {
    byte[] bytes = part.readNBytes(Exchange.MAX_JSON_BODY + 1);
    if (bytes.length > Exchange.MAX_JSON_BODY) {
      throw new ApiException(413, "payloadTooLarge", "the multipart metadata part is larger than "
          + Exchange.MAX_JSON_BODY + " bytes; metadata must be small");
    }
    return bytes;
  }

  private static ApiException invalidMultipart(String message) {
    return ApiException.badRequest("invalidMultipart", message
        + "; send multipart/related with a JSON metadata part and a media part");
  }
}
