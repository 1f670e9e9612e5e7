package dev.farmapi.server.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Keeps every 308 a "Resume Incomplete", never a redirect, whoever writes it. Browsers follow a
 * 308 that carries {@code Location} silently, re-sending the chunk there, and the script only
 * sees the final answer: so a 308 never carries {@code Location}. And a client that cannot take
 * a 308 at all says {@code X-GUploader-No-308: yes} (google-api-go-client does): it gets 200 with
 * {@code X-Http-Status-Code-Override: 308} and the same {@code Range}.
 */
public final class ResumeIncomplete extends Handler.Wrapper {
  static final String NO_308 = "X-GUploader-No-308";
  static final String OVERRIDE = "X-Http-Status-Code-Override";

  public ResumeIncomplete(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    boolean no308 = "yes".equalsIgnoreCase(request.getHeaders().get(NO_308));
    return super.handle(request, new Guarded(request, response, no308), callback);
  }

  private static final class Guarded extends Response.Wrapper {
    private final boolean no308;

    Guarded(Request request, Response response, boolean no308) {
      super(request, response);
      this.no308 = no308;
    }

    @Override
    public void setStatus(int code) {
      if (code == 308 && no308) {
        getHeaders().put(OVERRIDE, "308");
        code = 200;
      } else {
        getHeaders().remove(OVERRIDE); // a status chosen again (an error after all) is itself
      }
      super.setStatus(code);
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (!isCommitted() && (getStatus() == 308 || getHeaders().contains(OVERRIDE))) {
        getHeaders().remove(HttpHeader.LOCATION);
      }
      super.write(last, content, callback);
    }
  }
}
