package dev.farmapi.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;

/**
 * The engine comparison of the efficiency benchmark: a resumable upload written directly on
 * Netty, each chunk a {@code DefaultFileRegion} (sendfile, zero copy), and the CRC32C of the
 * file computed as ours does (read back from the page cache into one reused direct buffer) and
 * checked against the server's. Not a client anyone ships: the least a Netty-based library would
 * do per byte.
 *
 * <pre>  file ROOT KEY FILE CHUNK</pre>
 */
public final class NettyClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NettyClient() {}

  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[1]);
    String key = args[2];
    Path file = Path.of(args[3]);
    long chunk = Long.parseLong(args[4]);
    EventLoopGroup group = new NioEventLoopGroup(1);
    try (FileChannel source = FileChannel.open(file)) {
      long size = source.size();
      BlockingQueue<FullHttpResponse> answers = new LinkedBlockingQueue<>();
      Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                  new SimpleChannelInboundHandler<FullHttpResponse>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                      answers.add(r.retainedDuplicate());
                    }
                  });
            }
          })
          .connect(root.getHost(), root.getPort()).sync().channel();
      String host = root.getHost() + ":" + root.getPort();
      UploadLog log = new UploadLog().start();

      byte[] metadata = "{\"name\":\"netty\"}".getBytes(StandardCharsets.UTF_8);
      FullHttpRequest init = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
          root.getRawPath() + "upload/farm/v1/animals?uploadType=resumable",
          Unpooled.wrappedBuffer(metadata));
      init.headers().set(HttpHeaderNames.HOST, host)
          .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8")
          .set(HttpHeaderNames.CONTENT_LENGTH, metadata.length)
          .set("X-Upload-Content-Type", "application/octet-stream")
          .set("X-Upload-Content-Length", size);
      channel.writeAndFlush(init);
      FullHttpResponse started = answers.take();
      URI session = URI.create(started.headers().get(HttpHeaderNames.LOCATION));
      started.release();
      String target = session.getRawPath() + "?" + session.getRawQuery();

      CRC32C crc = new CRC32C();
      ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
      JsonNode animal = null;
      for (long offset = 0; offset < size; ) {
        long n = Math.min(chunk, size - offset);
        HttpRequest put = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, target);
        put.headers().set(HttpHeaderNames.HOST, host)
            .set(HttpHeaderNames.CONTENT_LENGTH, n)
            .set(HttpHeaderNames.CONTENT_RANGE,
                "bytes " + offset + "-" + (offset + n - 1) + "/" + size);
        channel.write(put);
        channel.write(new DefaultFileRegion(file.toFile(), offset, n));
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        for (long at = offset; at < offset + n; ) { // while the chunk goes out
          scratch.clear().limit((int) Math.min(scratch.capacity(), offset + n - at));
          at += source.read(scratch, at);
          crc.update(scratch.flip());
        }
        FullHttpResponse answer = answers.take();
        try {
          int status = answer.status().code();
          if (status == 308) {
            String range = answer.headers().get(HttpHeaderNames.RANGE);
            long acknowledged = Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
            if (acknowledged != offset + n) {
              throw new IllegalStateException("the server kept " + acknowledged + " bytes");
            }
          } else if (status == 200) {
            animal = JSON.readTree(ByteBufUtil.getBytes(answer.content()));
          } else {
            throw new IllegalStateException("HTTP " + status + ": "
                + answer.content().toString(StandardCharsets.UTF_8));
          }
        } finally {
          answer.release();
        }
        offset += n;
      }
      String ours = Base64.getEncoder().encodeToString(
          ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
      if (animal == null || !ours.equals(animal.path("crc32c").asText())) {
        throw new IllegalStateException("crc32c " + ours + " but the server has " + animal);
      }
      log.stored(animal.path("id").asText(), animal.path("md5Hash").asText(),
          animal.path("mediaSize").asLong());
      log.finish();
      channel.close().sync();
    } finally {
      group.shutdownGracefully().sync();
    }
  }
}
