package dev.berth.registry;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and restores the running state of a SHA-256 or SHA-512 {@link MessageDigest}, so that an
 * upload can continue on another replica without hashing its first bytes again.
 *
 * <p>The JDK's digests use the CPU's SHA instructions (several times faster than any portable Java
 * implementation) but offer no way to export their state. This class reads and writes the fields of
 * the JDK's own SHA-2 implementation, which the jar's manifest opens with {@code Add-Opens:
 * java.base/java.security java.base/sun.security.provider}. Where that access is not granted
 * (another JDK vendor, a security manager, a FIPS provider) {@link #supported()} is false and
 * callers fall back to hashing the stored bytes again.
 *
 * <p>The saved form is Go's {@code crypto/sha256} and {@code crypto/sha512} binary encoding, the
 * one registry:2 stores in {@code _uploads/<id>/hashstates/}: a magic string, the hash words, the
 * pending block and the total length, all big-endian.
 */
public final class DigestStates {
  private static final Logger LOG = LoggerFactory.getLogger(DigestStates.class);
  private static final byte[] MAGIC_SHA256 = {'s', 'h', 'a', 0x03};
  private static final byte[] MAGIC_SHA512 = {'s', 'h', 'a', 0x07};

  private static final Optional<Access> ACCESS = Access.open();

  private DigestStates() {}

  /** Whether digest states can be saved and restored in this JVM. */
  public static boolean supported() {
    return ACCESS.isPresent();
  }

  /**
   * Saves a digest's running state without disturbing it.
   *
   * @return the encoded state, or empty when this JVM does not allow it
   */
  public static Optional<byte[]> save(MessageDigest digest) {
    return ACCESS.map(access -> access.save(digest));
  }

  /**
   * Creates a digest that continues from a saved state.
   *
   * @param javaAlgorithm {@code SHA-256} or {@code SHA-512}
   * @return the digest, or empty when the state is malformed or this JVM does not allow it
   */
  public static Optional<MessageDigest> restore(String javaAlgorithm, byte[] state) {
    return ACCESS.flatMap(access -> access.restore(javaAlgorithm, state));
  }

  /** Reflective access to the JDK's SHA-2 digest fields. */
  private record Access(
      Field spi,
      Field buffer,
      Field bufferOffset,
      Field bytesProcessed,
      Field state256,
      Field state512) {

    static Optional<Access> open() {
      try {
        Field spi =
            Class.forName("java.security.MessageDigest$Delegate").getDeclaredField("digestSpi");
        Class<?> base = Class.forName("sun.security.provider.DigestBase");
        Access access =
            new Access(
                accessible(spi),
                accessible(base.getDeclaredField("buffer")),
                accessible(base.getDeclaredField("bufOfs")),
                accessible(base.getDeclaredField("bytesProcessed")),
                accessible(Class.forName("sun.security.provider.SHA2").getDeclaredField("state")),
                accessible(Class.forName("sun.security.provider.SHA5").getDeclaredField("state")));
        access.selfTest();
        return Optional.of(access);
      } catch (ReflectiveOperationException | RuntimeException | NoSuchAlgorithmException e) {
        LOG.atWarn()
            .setMessage(
                "digest state export unavailable; uploads resumed on another replica are hashed again from storage")
            .addKeyValue("reason", e.toString())
            .log();
        return Optional.empty();
      }
    }

    private static Field accessible(Field field) {
      field.setAccessible(true);
      return field;
    }

    /** Proves that save and restore agree with an uninterrupted digest before trusting them. */
    private void selfTest() throws NoSuchAlgorithmException {
      byte[] data = new byte[1000];
      Arrays.fill(data, (byte) 7);
      for (String algorithm : new String[] {"SHA-256", "SHA-512"}) {
        MessageDigest first = MessageDigest.getInstance(algorithm);
        first.update(data, 0, 333);
        MessageDigest resumed =
            restore(algorithm, save(first))
                .orElseThrow(() -> new IllegalStateException("restore refused its own state"));
        resumed.update(data, 333, data.length - 333);
        if (!Arrays.equals(resumed.digest(), MessageDigest.getInstance(algorithm).digest(data))) {
          throw new IllegalStateException("restored " + algorithm + " digest differs");
        }
      }
    }

    byte[] save(MessageDigest digest) {
      try {
        Object target = spi.get(digest);
        boolean wide = digest.getAlgorithm().equals("SHA-512");
        int blockSize = wide ? 128 : 64;
        ByteBuffer out = ByteBuffer.allocate(4 + (wide ? 64 : 32) + blockSize + 8);
        out.put(wide ? MAGIC_SHA512 : MAGIC_SHA256);
        if (wide) {
          for (long word : (long[]) state512.get(target)) {
            out.putLong(word);
          }
        } else {
          for (int word : (int[]) state256.get(target)) {
            out.putInt(word);
          }
        }
        byte[] pending = (byte[]) buffer.get(target);
        int pendingLength = bufferOffset.getInt(target);
        out.put(pending, 0, pendingLength);
        out.position(out.position() + blockSize - pendingLength);
        out.putLong(bytesProcessed.getLong(target));
        return out.array();
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("digest fields became inaccessible", e);
      }
    }

    Optional<MessageDigest> restore(String javaAlgorithm, byte[] saved) {
      boolean wide = javaAlgorithm.equals("SHA-512");
      int blockSize = wide ? 128 : 64;
      int wordsLength = wide ? 64 : 32;
      if (saved.length != 4 + wordsLength + blockSize + 8
          || !Arrays.equals(saved, 0, 4, wide ? MAGIC_SHA512 : MAGIC_SHA256, 0, 4)) {
        return Optional.empty();
      }
      try {
        MessageDigest digest = MessageDigest.getInstance(javaAlgorithm);
        if (!(spi.get(digest) instanceof MessageDigestSpi target)) {
          return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(saved, 4, saved.length - 4);
        if (wide) {
          long[] words = (long[]) state512.get(target);
          for (int i = 0; i < words.length; i++) {
            words[i] = in.getLong();
          }
        } else {
          int[] words = (int[]) state256.get(target);
          for (int i = 0; i < words.length; i++) {
            words[i] = in.getInt();
          }
        }
        byte[] block = new byte[blockSize];
        in.get(block);
        long length = in.getLong();
        if (length < 0) {
          return Optional.empty();
        }
        int pendingLength = (int) (length % blockSize);
        System.arraycopy(block, 0, (byte[]) buffer.get(target), 0, pendingLength);
        bufferOffset.setInt(target, pendingLength);
        bytesProcessed.setLong(target, length);
        return Optional.of(digest);
      } catch (IllegalAccessException | NoSuchAlgorithmException e) {
        return Optional.empty();
      }
    }
  }
}
