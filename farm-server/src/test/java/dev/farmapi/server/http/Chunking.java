package dev.farmapi.server.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/**
 * How a test body reaches the reader: whole, or in the awkward pieces a network hands out, so
 * that every vector also crosses buffer boundaries at every possible byte (Okio runs its source
 * tests over a one-byte-at-a-time source the same way).
 */
enum Chunking {
  WHOLE {
    @Override
    InputStream open(byte[] data) {
      return new ByteArrayInputStream(data);
    }
  },
  ONE_BYTE_PER_READ {
    @Override
    InputStream open(byte[] data) {
      return new Choppy(data, new Random(0), 1);
    }
  },
  RANDOM_SMALL_READS {
    @Override
    InputStream open(byte[] data) {
      return new Choppy(data, new Random(data.length), 97);
    }
  },
  SOMETIMES_ZERO_BYTES {
    /** Breaks InputStream's contract by answering 0 now and then; the reader must not spin. */
    @Override
    InputStream open(byte[] data) {
      return new Choppy(data, new Random(42), 7) {
        @Override
        public int read(byte[] b, int off, int len) {
          return random.nextInt(3) == 0 ? 0 : super.read(b, off, len);
        }
      };
    }
  };

  abstract InputStream open(byte[] data);

  /** Serves {@code data} in reads of 1 to {@code maxRead} bytes. */
  static class Choppy extends InputStream {
    private final byte[] data;
    final Random random;
    private final int maxRead;
    private int pos;

    Choppy(byte[] data, Random random, int maxRead) {
      this.data = data;
      this.random = random;
      this.maxRead = maxRead;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxRead));
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** Serves {@code data}, then fails the way a dropped connection does. */
  static InputStream failingAfter(byte[] data, IOException failure) {
    return new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        if (pos == data.length) {
          throw failure;
        }
        return data[pos++] & 0xff;
      }
    };
  }
}
