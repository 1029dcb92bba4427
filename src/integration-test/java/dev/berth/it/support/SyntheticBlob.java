package dev.berth.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * A large blob of pseudo-random bytes that is never held in memory: any range of it is generated
 * again from the seed when it is written, so a test can push and verify hundreds of MiB.
 *
 * @param size its length in bytes
 * @param seed what its bytes are made from
 */
public record SyntheticBlob(long size, long seed) {
  private static final int BLOCK = 64 * 1024;

  /**
   * Writes bytes {@code [from, to)}.
   *
   * @param progress called after each block with the offset written up to
   */
  public void write(OutputStream out, long from, long to, LongConsumer progress)
      throws IOException {
    byte[] block = new byte[BLOCK];
    long offset = from;
    while (offset < to) {
      long index = offset / BLOCK;
      fill(block, index);
      int start = (int) (offset - index * BLOCK);
      int end = (int) Math.min(BLOCK, to - index * BLOCK);
      out.write(block, start, end - start);
      offset = index * BLOCK + end;
      progress.accept(offset);
    }
  }

  /** The {@code sha256:...} digest of the whole blob. */
  public String digest() {
    MessageDigest digest = OneRequest.sha256();
    byte[] block = new byte[BLOCK];
    for (long index = 0; index * BLOCK < size; index++) {
      fill(block, index);
      digest.update(block, 0, (int) Math.min(BLOCK, size - index * BLOCK));
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  private void fill(byte[] block, long index) {
    new SplittableRandom(seed * 1_000_003L + index).nextBytes(block);
  }
}
