package dev.farmapi.apiclient;

/** The method does not accept media of this type (its discovery document's {@code accept}). */
public final class UnacceptableMimeTypeError extends IllegalArgumentException {
  public UnacceptableMimeTypeError(String mimeType, java.util.List<String> accepted) {
    super("media type " + mimeType + " is not accepted by this method; it accepts "
        + String.join(", ", accepted));
  }
}
