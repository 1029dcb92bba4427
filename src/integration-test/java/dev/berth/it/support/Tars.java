package dev.berth.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small ustar archives and gzips them: enough for image layers of test files. */
public final class Tars {
  private static final int BLOCK = 512;

  private Tars() {}

  /** A tar of regular files (name to content), in the map's order, mode 0644, mtime 0. */
  public static byte[] tar(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      out.writeBytes(header(file.getKey(), file.getValue().length));
      out.writeBytes(file.getValue());
      out.writeBytes(new byte[padding(file.getValue().length)]);
    }
    // The archive ends with two zero blocks.
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  /** The gzip of some bytes. */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to gzip", e);
    }
    return out.toByteArray();
  }

  private static int padding(int length) {
    return (BLOCK - length % BLOCK) % BLOCK;
  }

  private static byte[] header(String name, long size) {
    byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
    if (nameBytes.length > 100) {
      throw new IllegalArgumentException("tar name longer than 100 bytes: " + name);
    }
    byte[] header = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
    octal(header, 100, 8, 0644);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, 0);
    header[156] = '0';
    ascii(header, 257, "ustar\0");
    ascii(header, 263, "00");
    // The checksum is computed with its own field read as eight spaces.
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    octal(header, 148, 7, checksum);
    header[155] = ' ';
    return header;
  }

  private static void octal(byte[] header, int offset, int width, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(width - 1 - digits.length()) + digits;
    ascii(header, offset, padded);
    header[offset + width - 1] = 0;
  }

  private static void ascii(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
