package dev.berth.storage.driver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;

/** Content and checks shared by the driver tests: deterministic, so a failure reproduces. */
public final class StorageTestData {

  private StorageTestData() {}

  /** Deterministic pseudo-random content. */
  public static byte[] bytes(int size, long seed) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return content;
  }

  /** UTF-8 bytes of a string. */
  public static byte[] text(String value) {
    return value.getBytes(UTF_8);
  }

  /** A direct (off-heap) buffer holding a copy of the content. */
  public static ByteBuffer direct(byte[] content) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(content.length);
    buffer.put(content).flip();
    return buffer;
  }

  /**
   * Writes {@code content[from, to)} in uneven pieces from 1 byte to about 1.3 MiB, alternating
   * heap, direct and sliced buffers, and checks that each buffer was consumed.
   */
  public static void writeUnevenly(FileWriter writer, byte[] content, int from, int to, long seed) {
    Random random = new Random(seed);
    int position = from;
    int step = 0;
    while (position < to) {
      int length =
          Math.min(
              to - position,
              switch (step % 4) {
                case 0 -> 1 + random.nextInt(17);
                case 1 -> 1 + random.nextInt(64 * 1024);
                case 2 -> 1 + random.nextInt(1_300_000);
                default -> 8192;
              });
      ByteBuffer buffer =
          switch (step % 3) {
            case 0 -> ByteBuffer.wrap(content, position, length);
            case 1 -> direct(Arrays.copyOfRange(content, position, position + length));
            default -> ByteBuffer.wrap(content, 0, position + length).position(position).slice();
          };
      writer.write(buffer);
      assertThat(buffer.hasRemaining()).isFalse();
      position += length;
      step++;
    }
  }

  /** Checks that a value has the size and is made of one repeated byte, not mixed from two. */
  public static void assertCompleteValue(byte[] value, int size) {
    assertThat(value).hasSize(size);
    byte first = value[0];
    for (byte b : value) {
      if (b != first) {
        throw new AssertionError("torn value: bytes of two writes mixed");
      }
    }
  }

  /** The SHA-256 of the content, for comparing large objects cheaply in failure messages. */
  public static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
